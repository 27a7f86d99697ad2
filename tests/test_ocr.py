"""Scanned disclosures: OCR of pages without a text layer, checked by the document's arithmetic.

The scan is made here from a bundled PDF (data/pdf): the pages of its 收支总表, 支出总表 and
“三公” table are rendered, skewed, made noisy and JPEG-compressed (bench/bench_ocr.py's
make_scan), saved as an image-only PDF, and read back through the OCR path. The cells
recovered are compared with the text-layer parse of the same pages. OCR costs a few CPU
seconds a page, so the scan is read once per module.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from bench.bench_ocr import compare, make_scan, scan_disclosure, table_pages, text_layer_tables
from core.model import TableKind
from index.ocr_verify import verify_ocr
from parsing import ocr
from parsing.ocr_grid import correct_term, fix_text, grid_tables, normalise_cell, page_items
from parsing.read_pdf import SETTINGS, needs_ocr, ocr_pages, read_pdf_blocks

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "pdf" / "jincheng-etdz-approval-bureau-2026.pdf"
TITLES = ["预算收支总表", "预算支出总表", "“三公”经费支出预算表"]

pytestmark = pytest.mark.skipif(not ocr.available(), reason="OCR packages not installed")


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    """(pages of the source, scan path, progress calls, blocks, Disclosure of the scan)."""
    pages = table_pages(SOURCE, TITLES)
    path = make_scan(SOURCE, pages, tmp_path_factory.mktemp("scan") / "scan.pdf", dpi=150)
    calls: list[tuple[int, int]] = []
    disclosure, count = scan_disclosure(path, on_page=lambda done, total: calls.append((done, total)))
    return pages, path, calls, count, disclosure


def test_the_scan_has_no_text_layer(scan):
    import pdfplumber

    pages, path, *_ = scan
    assert pages == [5, 6, 8, 16]  # 收支总表 (two pages), 支出总表, “三公”
    with pdfplumber.open(path) as pdf:
        assert all(needs_ocr(page) for page in pdf.pages)


def test_progress_is_reported_per_page(scan):
    pages, _, calls, count, _ = scan
    assert count == len(pages)
    assert calls == [(i, len(pages)) for i in range(1, len(pages) + 1)]


def test_ocr_pages_and_provenance(scan):
    pages, path, _, _, disclosure = scan
    assert disclosure.ocr_pages == list(range(1, len(pages) + 1))
    kinds = {t.kind for t in disclosure.tables}
    assert {TableKind.income_expenditure_summary, TableKind.expenditure, TableKind.three_public} <= kinds


def test_cells_match_the_text_layer_and_no_wrong_figure_is_unflagged(scan):
    pages, _, _, _, disclosure = scan
    result = compare(text_layer_tables(SOURCE, pages), disclosure)
    assert result.cells > 150
    assert result.exact_share >= 0.97, result.wrong
    assert result.names_exact / result.names >= 0.95
    assert result.wrong_unflagged == []


def test_the_arithmetic_verifies_the_figures(scan):
    *_, disclosure = scan
    report = verify_ocr(disclosure)
    amounts = [c for c in report.cells if c.value is not None]
    assert amounts and all(c.status == "verified" for c in amounts)
    assert not [f for f in report.findings if f.severity == "error"]


def test_a_misread_figure_is_flagged(scan):
    """One digit of 支出总表 201 (326.40) read wrong: every sum it is in breaks, so it is
    reported 「识别存疑」; the verification works on a copy."""
    *_, disclosure = scan
    wrong = disclosure.model_copy(deep=True)
    ti, table = next((i, t) for i, t in enumerate(wrong.tables) if t.kind == TableKind.expenditure)
    ri, row = next((i, r) for i, r in enumerate(table.rows) if r.code == "201")
    assert row.values["合计"] == Decimal("326.40")
    row.values["合计"] = Decimal("328.40")
    report = verify_ocr(wrong)
    cell = next(c for c in report.cells if (c.table_index, c.row_index, c.column) == (ti, ri, "合计"))
    assert cell.status == "doubt" and cell.failing
    flagged = [f for f in report.findings if f.check == "ocr_doubt" and f.severity == "error"]
    assert any("201" in f.message and "328.40" in f.message and "识别存疑" in f.message for f in flagged)
    assert row.values["合计"] == Decimal("328.40")  # the caller's disclosure is untouched


def test_a_doubtful_figure_is_never_stated_as_fact(scan):
    """The audit marks the doubtful cell on its row; a figure read from it says 识别存疑 and
    that it was OCR'd from a scanned page, wherever an answer uses it."""
    from index.audit import audit
    from tools.lookup import cell_figure

    *_, disclosure = scan
    wrong = disclosure.model_copy(deep=True)
    table = next(t for t in wrong.tables if t.kind == TableKind.expenditure)
    row = next(r for r in table.rows if r.code == "201")
    row.values["合计"] = Decimal("328.40")
    findings = audit(wrong)
    assert any(f.check == "ocr_doubt" for f in findings) and row.ocr_doubt == ["合计"]
    note = cell_figure(wrong, table, row, "合计").source.note
    assert "识别存疑" in note and "扫描页" in note
    untouched = next(r for r in table.rows if r.code == "208")
    assert "识别存疑" not in (cell_figure(wrong, table, untouched, "合计").source.note or "")


def test_verify_ocr_on_a_whole_disclosure():
    """Treat every page of a text-layer parse as OCR'd: nearly every amount is proven by some
    check, and none is in doubt (the document's few 尾差 count as holding)."""
    from parsing.parse import parse_file

    d = parse_file(SOURCE)
    pages = sorted({r.location.page for t in d.tables for r in t.rows if r.location.page})
    report = verify_ocr(d, pages)
    amounts = [c for c in report.cells if c.value is not None]
    assert len(amounts) > 100
    assert sum(c.status == "verified" for c in amounts) / len(amounts) >= 0.9
    assert not [c for c in amounts if c.status == "doubt"]
    assert verify_ocr(d).cells == []  # a text-layer parse has no OCR'd pages


# --- the pieces, on made-up input ----------------------------------------------------------


def test_amount_slips_are_undone():
    assert normalise_cell("389,23") == "389.23"
    assert normalise_cell("1,234.50") == "1,234.50"
    assert normalise_cell("2O.5l") == "20.51"
    assert normalise_cell("公务接待费") == "公务接待费"


def test_standard_terms_get_a_lost_character_back():
    assert correct_term("般公共服务支出") == "一般公共服务支出"
    assert correct_term("二政府性基金预算") == "二、政府性基金预算"
    assert correct_term("一、般公共预算") == "一、一般公共预算"
    assert correct_term("事业运行") == "事业运行"  # not a standard term: left as read
    assert correct_term("计") == "计"


def test_look_alikes_are_read_from_their_context():
    assert fix_text("+一、国有资产占有使用情况") == "十一、国有资产占有使用情况"
    assert fix_text("比上年增加12.50方元") == "比上年增加12.50万元"
    assert fix_text("单位：方元") == "单位：万元"
    assert fix_text("3+5") == "3+5"
    assert correct_term("—般公共预算") == "一般公共预算"


def test_a_column_number_row_missing_a_digit_is_completed():
    h = [ocr.Rule(0, y, 400, y, "h") for y in (0, 20)]
    v = [ocr.Rule(x, 0, x, 20, "v") for x in (0, 100, 200, 300, 400)]
    words = [ocr.OcrWord(str(n), x, 5, x + 6, 15, 0.99) for n, x in ((2, 150), (3, 250), (4, 350))]
    (fragment,) = page_items(ocr.OcrPage(1, 400, 20, words, h + v)).items
    assert fragment.rows == [["1", "2", "3", "4"]]


def test_grid_from_rules_keeps_merged_cells():
    """A 2x3 grid whose top row merges the last two columns, as pdfplumber returns it."""
    h = [ocr.Rule(0, y, 300, y, "h") for y in (0, 20, 40)]
    v = [ocr.Rule(x, 0, x, 40, "v") for x in (0, 100, 300)] + [ocr.Rule(200, 20, 200, 40, "v")]
    (rows,) = grid_tables(h + v, {"snap_tolerance": 3, "join_tolerance": 6, "intersection_tolerance": 4,
                                  "min_edge": 6, "min_cell_width": 20, "min_cell_height": 8})
    assert len(rows) == 2 and len(rows[0]) == 3
    assert rows[0][2] is None and rows[1][2] is not None


def test_words_are_cut_at_the_rules_they_cross():
    h = [ocr.Rule(0, y, 300, y, "h") for y in (0, 20)]
    v = [ocr.Rule(x, 0, x, 20, "v") for x in (0, 100, 300)]
    chars = [ocr.OcrChar(t, x, x + 9, 0.99) for t, x in zip("合计12.50", (60, 70, 105, 111, 117, 123, 129))]
    word = ocr.OcrWord("合计12.50", 60, 5, 136, 15, 0.99, chars)
    page = ocr.OcrPage(1, 300, 20, [word], h + v)
    (fragment,) = page_items(page).items
    assert fragment.rows == [["合计", "12.50"]]


def test_skew_is_measured():
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 1000), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 900, 40):
        draw.rectangle((100, y, 700, y + 12), fill=0)  # text-like bars
    turned = np.asarray(image.rotate(1.2, resample=Image.BICUBIC, fillcolor=255))
    assert abs(abs(ocr.skew_angle(turned, ocr.OCR_SETTINGS)) - 1.2) < 0.1


def test_pages_with_a_text_layer_are_not_ocrd():
    blocks, _ = read_pdf_blocks(SOURCE)
    assert ocr_pages(blocks) == [] and not any(b.ocr for b in blocks)
    assert SETTINGS["ocr"] is True
