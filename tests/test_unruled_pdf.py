"""Tables printed without ruling lines (parsing/pdf_unruled.py).

The four templates of tests/layouts.py are rendered as PDFs whose tables are text at column
positions with no line drawn (tests/unruled_pdf.py), read by `parsing.parse.parse_file` as an
upload would be, and must give what the template's text export gives: the same tables and
every printed amount the export parse recovers. Ruled documents must read exactly as before.
"""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from core.errors import DisclosureError
from parsing import read_pdf
from parsing.parse import parse_file
from parsing.pdf_unruled import Column, Item, place_items
from tests import layouts as L
from tests.unruled_pdf import write_unruled

NAMES = sorted(L.LAYOUTS)
DATA = Path(__file__).resolve().parent.parent / "data"
_CACHE: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """name -> (layout, pdf path, parse of the PDF, parse of the text export); each once."""
    folder = tmp_path_factory.mktemp("unruled")

    def get(name: str):
        if name not in _CACHE:
            layout = L.LAYOUTS[name]()
            md = folder / f"{name}-{layout.year}.md"
            md.write_text(layout.text, encoding="utf-8")
            pdf = write_unruled(layout.text, folder / f"{name}-{layout.year}.pdf")
            _CACHE[name] = (layout, pdf, parse_file(pdf), parse_file(md))
        return _CACHE[name]

    return get


def _kinds(disclosure) -> list[str]:
    return [getattr(t.kind, "value", t.kind) for t in disclosure.tables]


def test_generated_pdf_has_no_rules_and_reads_as_chinese(rendered):
    _, pdf, _, _ = rendered("shanghai-like-scitech")
    with pdfplumber.open(pdf) as doc:
        assert all(not p.lines and not p.rects and not p.curves for p in doc.pages)
        text = "".join(p.extract_text() for p in doc.pages)
    assert "(cid:" not in text
    assert "财务收支预算总表" in text and "科学技术支出" in text and "17,392,684.00" in text


@pytest.mark.parametrize("name", NAMES)
def test_unruled_tables_equal_text_export(rendered, name):
    layout, _, pdf, text = rendered(name)
    assert (pdf.unit, pdf.year, pdf.kind) == (text.unit, text.year, text.kind)
    assert _kinds(pdf) == _kinds(text)
    for a, b in zip(pdf.tables, text.tables):
        assert a.empty == b.empty, a.title
        if b.empty:  # a header printed with no data row is not found (no amounts): title only
            continue
        assert a.columns == b.columns, a.title
        assert [(r.side, r.code, r.name, r.values, r.is_total) for r in a.rows] == \
               [(r.side, r.code, r.name, r.values, r.is_total) for r in b.rows], a.title


@pytest.mark.parametrize("name", NAMES)
def test_unruled_cells_recovered(rendered, name):
    """Every printed amount the text export's parse recovers, the unruled PDF's parse does."""
    layout, _, pdf, text = rendered(name)
    from_pdf = {r.cell for r in L.recovered_cells(pdf, layout) if r.ok}
    from_text = {r.cell for r in L.recovered_cells(text, layout) if r.ok}
    assert from_text - from_pdf == set()
    assert len(from_pdf) >= 0.95 * len(layout.cells)


def test_without_the_fallback_the_unruled_pdf_is_refused(rendered, monkeypatch):
    """What the fallback is for: the ruled path alone finds no table and refuses the file."""
    _, pdf, _, _ = rendered("mof8-county-education")
    monkeypatch.setitem(read_pdf.SETTINGS, "unruled", False)
    with pytest.raises(DisclosureError):
        parse_file(pdf)


def test_ruled_pdf_reads_exactly_as_before():
    """On a ruled document the fallback finds nothing: blocks equal with and without it."""
    path = DATA / "pdf" / "jincheng-etdz-approval-bureau-2026.pdf"
    with_fallback, _ = read_pdf.read_pdf_blocks(path)
    without, _ = read_pdf.read_pdf_blocks(path, {"unruled": False})
    assert [(b.kind, b.text, b.rows) for b in with_fallback] == [(b.kind, b.text, b.rows) for b in without]


def test_header_cell_takes_the_columns_it_is_centred_over():
    """本年收入 over two columns, 本年支出 over four: each written into its run's first column."""
    columns = [Column(x, x + 40, x - 5, x + 45) for x in range(0, 300, 50)]
    items = [Item("本年收入", 30, 60), Item("本年支出", 180, 210)]
    assert place_items(items, columns, 4.0) == ["本年收入", "", "本年支出", "", "", ""]
    # a wide cell over narrow columns (功能分类科目编码 over 类/款/项) spans them all
    narrow = [Column(x, x + 15, x - 2.5, x + 17.5) for x in (0, 20, 40)] + [Column(60, 160, 57.5, 162.5)]
    items = [Item("功能分类科目编码", -10, 42), Item("名称", 100, 120)]
    assert place_items(items, narrow, 4.0) == ["功能分类科目编码", "", "", "名称"]
