"""Parse pace over the bundled disclosures: text exports in ms/document, PDFs in pages/s.

    python bench/bench_parse.py [--repeat 3] [--pdf-repeat 1]

Each figure is the CPU time of the best of its repeats (the least disturbed by other work
on the machine); the wall-clock time of the PDF parse is shown beside it.
"PDF read" is read_pdf_blocks alone (pdfplumber: layout, tables, lines); "PDF parse" is
parse_file, which adds the table/narrative/target parsers on the blocks.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import
from parsing.parse import parse_file  # noqa: E402
from parsing.read_pdf import read_pdf_blocks  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def best_of(repeat: int, run) -> tuple[float, float, object]:
    """(wall s, CPU s, result) of the fastest run. CPU time is steadier on a busy machine."""
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        timing = (time.perf_counter() - wall, time.process_time() - cpu, result)
        best = timing if best is None or timing[1] < best[1] else best
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per text export")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="runs per PDF")
    parser.add_argument("--corpus", type=Path, default=SHARED)
    args = parser.parse_args()

    rows = []
    for text in sorted((args.corpus / "text").glob("*.md")):
        pdf = args.corpus / "pdf" / f"{text.stem}.pdf"
        _, text_cpu, _ = best_of(args.repeat, lambda text=text: parse_file(text))
        _, read_cpu, (_, pages) = best_of(args.pdf_repeat, lambda pdf=pdf: read_pdf_blocks(pdf))
        parse_wall, parse_cpu, _ = best_of(args.pdf_repeat, lambda pdf=pdf: parse_file(pdf))
        rows.append((text.stem, pages, text_cpu, read_cpu, parse_cpu, parse_wall))

    print(f"{'document':42} {'pages':>5} {'text ms':>8} {'PDF read s':>10} {'PDF parse s':>11}"
          f" {'pages/s':>8} {'wall s':>7}")
    for name, pages, text_cpu, read_cpu, parse_cpu, parse_wall in rows:
        print(f"{name:42} {pages:5d} {text_cpu * 1000:8.0f} {read_cpu:10.1f} {parse_cpu:11.1f}"
              f" {pages / parse_cpu:8.1f} {parse_wall:7.1f}")
    pages, parse_cpu = sum(r[1] for r in rows), sum(r[4] for r in rows)
    print(f"{'all':42} {pages:5d} {sum(r[2] for r in rows) / len(rows) * 1000:8.0f} {sum(r[3] for r in rows):10.1f}"
          f" {parse_cpu:11.1f} {pages / parse_cpu:8.1f} {sum(r[5] for r in rows):7.1f}")
    print("CPU time of the best run (text ms: per document, mean on the last line); wall s: PDF parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
