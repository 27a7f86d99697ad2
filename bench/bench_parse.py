"""Parse pace over the bundled disclosures: text exports in ms/document, PDFs in pages/s.

    python bench/bench_parse.py [--repeat 3] [--pdf-repeat 1]

Each figure is the best of its repeats (the least disturbed by other work on the machine).
"PDF read" is read_pdf_blocks alone (pdfplumber: layout, tables, lines); "PDF parse" is
parse_file, which adds the table/narrative/target parsers on the blocks.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import index.settings  # noqa: E402,F401  (offline environment)
from index.parse import parse_file  # noqa: E402
from index.read_pdf import read_pdf_blocks  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per text export")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="runs per PDF")
    parser.add_argument("--corpus", type=Path, default=SHARED)
    args = parser.parse_args()

    rows = []
    for text in sorted((args.corpus / "text").glob("*.md")):
        pdf = args.corpus / "pdf" / f"{text.stem}.pdf"
        text_s = best_of(args.repeat, lambda: parse_file(text))
        pages = parse_file(pdf).pages if pdf.exists() else 0
        read_s = best_of(args.pdf_repeat, lambda: read_pdf_blocks(pdf)) if pdf.exists() else 0.0
        parse_s = best_of(args.pdf_repeat, lambda: parse_file(pdf)) if pdf.exists() else 0.0
        rows.append((text.stem, pages, text_s, read_s, parse_s))

    print(f"{'document':44} {'pages':>5} {'text ms':>8} {'PDF read s':>10} {'PDF parse s':>11} {'pages/s':>8}")
    for name, pages, text_s, read_s, parse_s in rows:
        pace = pages / parse_s if parse_s else 0.0
        print(f"{name:44} {pages:5d} {text_s * 1000:8.0f} {read_s:10.1f} {parse_s:11.1f} {pace:8.1f}")
    pages = sum(r[1] for r in rows)
    parse_total = sum(r[4] for r in rows)
    print(f"{'all':44} {pages:5d} {sum(r[2] for r in rows) / len(rows) * 1000:8.0f} "
          f"{sum(r[3] for r in rows):10.1f} {parse_total:11.1f} {pages / parse_total if parse_total else 0:8.1f}")
    print("(text ms: mean per document; pages/s: PDF parse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
