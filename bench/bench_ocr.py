"""OCR of scanned pages: table cells recovered exactly and cells flagged, against the text layer.

    python bench/bench_ocr.py [--resolution auto 200] [--sets approval-core,admin-summary] [--dpi 150]
                              [--whole jincheng-etdz-approval-bureau-2026]

Each page set is a few table pages of a bundled PDF (data/pdf), found by their titles. They
are rendered to images and made to look scanned (a small skew, noise, specks, JPEG
artefacts: `make_scan`), put together into an image-only PDF, and read back through the
OCR path of parsing/read_pdf.py. The tables parsed from that (parsing/tables.py) are compared
cell by cell with the tables parsed from the text layer of the same pages:

    exact %     amount cells whose value equals the text layer's (blank = blank counts)
    names %     row names (科目/项目) read exactly, after the parser's normalisation
    verified %  amount cells that take part in a check that holds (index/ocr_verify.py)
    flagged %   amount cells reported 「识别存疑」 (doubt + unchecked amounts)
    wrong       amount cells not read as printed (a different value, or not recovered at all);
                "unflagged": a different value that verify_ocr did not report (should be 0)
    pages/s     OCR'd pages per second of wall-clock time, and CPU s per page (all threads)
"""
from __future__ import annotations

import argparse
import difflib
import io
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import
from core.model import BudgetTable, Disclosure  # noqa: E402

PDF_DIR = ROOT / "data" / "pdf"

# page sets: (document, titles of the tables whose pages to scan)
PAGE_SETS = {
    "approval-core": ("jincheng-etdz-approval-bureau-2026",
                      ["预算收支总表", "预算收入总表", "预算支出总表", "财政拨款收支总表",
                       "一般公共预算支出预算表", "基本支出分经济科目表", "“三公”经费支出预算表",
                       "机关运行经费预算表"]),
    "admin-summary": ("jincheng-etdz-admin-committee-2026",
                      ["预算收支总表", "预算收入总表", "“三公”经费支出预算表"]),
    "industry-three-public": ("jincheng-chengqu-industry-it-bureau-2025",
                              ["预算收支总表", "“三公”经费支出预算表", "机关运行经费预算表"]),
}


# --- making a scan -------------------------------------------------------------------------


def table_pages(pdf_path: Path, titles: list[str]) -> list[int]:
    """Pages (1-based) that hold each title and a ruled table, plus the page after when the
    table runs on (its next page starts with a table and carries no title of its own)."""
    import pdfplumber

    found: list[int] = []
    with pdfplumber.open(pdf_path) as pdf:
        texts = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
        for title in titles:
            for number, text in enumerate(texts, 1):
                if title in text and "...." not in text and "…" not in text and pdf.pages[number - 1].find_tables():
                    found.append(number)
                    nxt = number + 1
                    if nxt <= len(texts) and "年" not in texts[nxt - 1][:12] and pdf.pages[nxt - 1].find_tables():
                        found.append(nxt)  # a continuation page: no title at its top
                    break
    return sorted(set(found))


def make_scan(pdf_path: Path, pages: list[int], out: Path, dpi: int = 150, skew: float = 0.6,
              noise: float = 10.0, specks: float = 0.0004, jpeg_quality: int = 45, seed: int = 13) -> Path:
    """An image-only PDF of `pages`, each rendered at `dpi`, turned by up to ±`skew` degrees,
    with gaussian noise, dark specks and JPEG compression, as a cheap office scanner does."""
    import numpy as np
    import pdfplumber
    from PIL import Image

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    images = []
    with pdfplumber.open(pdf_path) as pdf:
        for number in pages:
            gray = pdf.pages[number - 1].to_image(resolution=dpi).original.convert("L")
            gray = gray.rotate(rng.uniform(-skew, skew) or skew, resample=Image.BICUBIC, fillcolor=255)
            pixels = np.asarray(gray, dtype=np.float32)
            pixels = pixels + nrng.normal(0, noise, pixels.shape)
            dots = nrng.random(pixels.shape) < specks
            pixels[dots] = nrng.uniform(0, 120, int(dots.sum()))
            gray = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            buffer = io.BytesIO()
            gray.save(buffer, "JPEG", quality=jpeg_quality)
            images.append(Image.open(io.BytesIO(buffer.getvalue())).convert("L"))
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out


# --- comparing -----------------------------------------------------------------------------


def text_layer_tables(pdf_path: Path, pages: list[int]) -> list[BudgetTable]:
    """Tables parsed from the text layer of `pages` only, numbered as in the scan (1..n)."""
    from parsing.read_pdf import read_pdf_blocks
    from parsing.tables import parse_tables

    blocks, _ = read_pdf_blocks(pdf_path)
    renumber = {p: i for i, p in enumerate(pages, 1)}
    kept = []
    for block in blocks:
        if block.page in renumber:
            block.page = renumber[block.page]
            block.row_pages = [renumber.get(p, p) for p in block.row_pages]
            kept.append(block)
    return parse_tables(kept, pdf_path.stem)


def scan_disclosure(scan_path: Path, on_page=None) -> tuple[Disclosure, int]:
    """The tables of an image-only PDF read through the OCR path, as a Disclosure holding
    only tables (a few pages are not a whole disclosure), with ocr_pages set."""
    from parsing.read_pdf import ocr_pages, read_pdf_blocks
    from parsing.tables import parse_tables

    blocks, count = read_pdf_blocks(scan_path, on_page=on_page)
    tables = parse_tables(blocks, scan_path.stem)
    year = next((int(t.title[:4]) for t in tables if t.title[:4].isdigit()), 2000)
    disclosure = Disclosure(doc_id=scan_path.stem, source_kind="pdf", unit="", year=year, kind="部门",
                            pages=count, tables=tables, ocr_pages=ocr_pages(blocks))
    return disclosure, count


@dataclass
class Comparison:
    cells: int = 0
    exact: int = 0
    names: int = 0
    names_exact: int = 0
    wrong: list[str] = field(default_factory=list)  # "table row column: truth -> read"
    wrong_unflagged: list[str] = field(default_factory=list)
    flagged: int = 0
    verified: int = 0
    ocr_cells: int = 0  # amount cells the verifier looked at

    @property
    def exact_share(self) -> float:
        return self.exact / self.cells if self.cells else 0.0


def _row_key(row) -> tuple:
    return (row.side, row.code, row.name)


def compare(truth: list[BudgetTable], read: Disclosure) -> Comparison:
    """Amount cells and row names of the text-layer tables against the OCR'd ones; each
    wrong amount is looked up in the verification report (flagged or not)."""
    from index.ocr_verify import verify_ocr

    report = verify_ocr(read)
    status = {(c.table_index, c.row_index, c.column): c.status for c in report.cells}
    result = Comparison(ocr_cells=len(report.cells), verified=report.count("verified"),
                        flagged=sum(1 for c in report.cells if c.status == "doubt"
                                    or (c.status == "unchecked" and c.value is not None)))
    for table in truth:
        position = next((i for i, t in enumerate(read.tables) if t.kind == table.kind), None)
        other = read.tables[position] if position is not None else None
        pairs: list[tuple[int, int | None]] = [(i, None) for i in range(len(table.rows))]
        if other is not None:
            matcher = difflib.SequenceMatcher(None, [_row_key(r) for r in table.rows],
                                              [_row_key(r) for r in other.rows], autojunk=False)
            pairs = []
            for op, a0, a1, b0, b1 in matcher.get_opcodes():
                for k in range(a1 - a0):
                    pairs.append((a0 + k, b0 + k if op in ("equal", "replace") and k < b1 - b0 else None))
        for i, j in pairs:
            row = table.rows[i]
            mine = other.rows[j] if other is not None and j is not None else None
            result.names += 1
            result.names_exact += mine is not None and _row_key(mine) == _row_key(row)
            for column, value in row.values.items():
                result.cells += 1
                got = mine.values.get(column, "missing") if mine is not None else "missing"
                if got == value:
                    result.exact += 1
                    continue
                label = f"{table.kind.value} {row.name} {column}: {value} -> {got}"
                result.wrong.append(label)
                # a cell not recovered at all is absent, not a wrong figure; a read one counts as
                # flagged when verify_ocr reports it (doubt, or an unproven amount)
                state = status.get((position, j, column))
                flagged = got == "missing" or state == "doubt" or (state == "unchecked" and got is not None)
                if not flagged:
                    result.wrong_unflagged.append(label)
    return result


# --- the bench -----------------------------------------------------------------------------


def run_whole(doc: str, dpi: int, workdir: Path) -> None:
    """Scan every page of `doc` and parse it as a whole disclosure (parsing/parse.py on the
    OCR blocks): identity, tables, narrative and targets against the text-layer parse."""
    import pdfplumber

    from parsing.parse import parse_blocks, parse_file
    from parsing.read_pdf import ocr_pages, read_pdf_blocks

    source = PDF_DIR / f"{doc}.pdf"
    with pdfplumber.open(source) as pdf:
        count = len(pdf.pages)
    scan = make_scan(source, list(range(1, count + 1)), workdir / f"{doc}-whole.pdf", dpi=dpi)
    wall, cpu = time.perf_counter(), time.process_time()
    blocks, pages = read_pdf_blocks(scan)
    read = parse_blocks(blocks, doc, "pdf", pages).model_copy(update={"ocr_pages": ocr_pages(blocks)})
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    truth = parse_file(source)
    c = compare(truth.tables, read)
    same_identity = (read.unit, read.year, read.kind) == (truth.unit, truth.year, truth.kind)
    print(f"whole {doc}: {pages} pages, identity {'same' if same_identity else 'DIFFERENT'}, "
          f"tables {len(read.tables)}/{len(truth.tables)}, sections {len(read.sections)}/{len(truth.sections)}, "
          f"stated figures {len(read.stated)}/{len(truth.stated)}, targets {len(read.targets)}/{len(truth.targets)}, "
          f"glossary {len(read.glossary)}/{len(truth.glossary)} (OCR/text layer)")
    print(f"whole {doc}: cells {c.cells}, exact {100 * c.exact_share:.1f}%,"
          f" names {100 * c.names_exact / max(1, c.names):.1f}%,"
          f" verified {100 * c.verified / max(1, c.ocr_cells):.1f}%,"
          f" flagged {100 * c.flagged / max(1, c.ocr_cells):.1f}%,"
          f" wrong {len(c.wrong)}, unflagged {len(c.wrong_unflagged)};"
          f" {pages / wall:.2f} pages/s, {cpu / pages:.1f} CPU s/page")


def run_set(
    name: str, resolution: str, dpi: int, workdir: Path, **scan_options
) -> tuple[Comparison, int, float, float]:
    from parsing import read_pdf

    doc, titles = PAGE_SETS[name]
    source = PDF_DIR / f"{doc}.pdf"
    pages = table_pages(source, titles)
    scan = make_scan(source, pages, workdir / f"{name}.pdf", dpi=dpi, **scan_options)
    truth = text_layer_tables(source, pages)
    read_pdf.SETTINGS["ocr_settings"] = {"resolution": resolution if resolution == "auto" else int(resolution)}
    wall, cpu = time.perf_counter(), time.process_time()
    disclosure, count = scan_disclosure(scan)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return compare(truth, disclosure), count, wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", nargs="+", default=["auto"], help="OCR render dpi or auto (several to compare)")
    parser.add_argument("--dpi", type=int, default=150, help="dpi of the simulated scan")
    parser.add_argument("--skew", type=float, default=0.6, help="largest skew of a scanned page, degrees")
    parser.add_argument("--noise", type=float, default=10.0, help="gaussian noise sigma (0-255 grey levels)")
    parser.add_argument("--jpeg", type=int, default=45, help="JPEG quality of the scan")
    parser.add_argument("--sets", default=",".join(PAGE_SETS), help="comma-separated page sets")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the cells read wrong")
    parser.add_argument("--whole", metavar="DOC", help="also scan and parse every page of data/pdf/DOC.pdf (minutes)")
    args = parser.parse_args()

    print(f"{'page set':24} {'res':>4} {'pages':>5} {'cells':>6} {'exact %':>8} {'names %':>8} {'verified %':>10}"
          f" {'flagged %':>9} {'wrong':>5} {'unflagged':>9} {'pages/s':>8} {'CPU s/page':>10}")
    totals: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for resolution in args.resolution:
            for name in args.sets.split(","):
                c, pages, wall, cpu = run_set(name, resolution, args.dpi, Path(tmp), skew=args.skew,
                                              noise=args.noise, jpeg_quality=args.jpeg)
                totals.setdefault(resolution, []).append((c, pages, wall, cpu))
                print(f"{name:24} {resolution:>4} {pages:5d} {c.cells:6d} {100 * c.exact_share:8.1f}"
                      f" {100 * c.names_exact / max(1, c.names):8.1f} {100 * c.verified / max(1, c.ocr_cells):10.1f}"
                      f" {100 * c.flagged / max(1, c.ocr_cells):9.1f} {len(c.wrong):5d} {len(c.wrong_unflagged):9d}"
                      f" {pages / wall:8.2f} {cpu / pages:10.1f}")
                if args.verbose:
                    for label in c.wrong:
                        print(f"    wrong{' (unflagged)' if label in c.wrong_unflagged else ''}: {label}")
    for resolution, runs in totals.items():
        cells = sum(c.cells for c, *_ in runs)
        ocr_cells = sum(c.ocr_cells for c, *_ in runs)
        pages = sum(p for _, p, _, _ in runs)
        print(f"{'all':24} {resolution:>4} {pages:5d} {cells:6d}"
              f" {100 * sum(c.exact for c, *_ in runs) / max(1, cells):8.1f}"
              f" {100 * sum(c.names_exact for c, *_ in runs) / max(1, sum(c.names for c, *_ in runs)):8.1f}"
              f" {100 * sum(c.verified for c, *_ in runs) / max(1, ocr_cells):10.1f}"
              f" {100 * sum(c.flagged for c, *_ in runs) / max(1, ocr_cells):9.1f}"
              f" {sum(len(c.wrong) for c, *_ in runs):5d} {sum(len(c.wrong_unflagged) for c, *_ in runs):9d}"
              f" {pages / sum(w for *_, w, _ in runs):8.2f} {sum(u for *_, u in runs) / pages:10.1f}")
    if args.whole:
        with tempfile.TemporaryDirectory() as tmp:
            run_whole(args.whole, args.dpi, Path(tmp))
    print(f"scan: rendered at {args.dpi} dpi, skew up to ±{args.skew}°, noise σ{args.noise:g}, specks,"
          f" JPEG q{args.jpeg};"
          " pages/s: wall clock on this (shared) machine; CPU s/page: all threads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
