"""parsing/read_pdf.py: a disclosure PDF reads into the same disclosure as its text export.

The acceptance test of the PDF reader: for each document, parse_file(pdf) and
parse_file(md) give equal tables, and equal narrative figures. PDF pages and text lines
differ, so locations are left out of every comparison. Block-level properties and golden
values use the approval bureau (38 pages, a few seconds).
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.model import TableKind
from core.text import fold
from parsing.read_pdf import read_pdf_blocks
from parsing.read_text import read_text_blocks
from tests.conftest import DOC_IDS

APPROVAL = "jincheng-etdz-approval-bureau-2026"
INDUSTRY = "jincheng-chengqu-industry-it-bureau-2025"
ADMIN = "jincheng-etdz-admin-committee-2026"
PAGE_FURNITURE = re.compile(r"^[-—–\s\d]*$")  # "— 1 —", "---": page numbers, rules

# The industry bureau's 收入总表 prints rows 215/21505/2150517 one cell short in the source:
# the text export drops the missing trailing cell and index/tables.align_rows re-inserts the
# 上年结转 column (105.45 -> 上年结转); the PDF draws the full grid with 105.45 under 单位资金.
# Both readers give the cells the page shows; only the parser's realignment differs.
KNOWN_SOURCE_DEFECTS = {(INDUSTRY, TableKind.income)}


def _rows(table):
    return [(r.side, r.code, r.name, r.values, r.texts, r.is_total) for r in table.rows]


def _table_cases() -> list:
    cases = []
    for doc_id in DOC_IDS:
        for kind in (k for k in TableKind if k != TableKind.other):
            marks = []
            if (doc_id, kind) in KNOWN_SOURCE_DEFECTS:
                marks.append(
                    pytest.mark.xfail(strict=True, reason="source row one cell short, see KNOWN_SOURCE_DEFECTS")
                )
            cases.append(pytest.param(doc_id, kind, id=f"{doc_id}-{kind.name}", marks=marks))
    return cases


@pytest.mark.parametrize("doc_id,kind", _table_cases())
def test_pdf_tables_equal_text_export_tables(doc_id, kind, parsed_text, parsed_pdf):
    text, pdf = parsed_text[doc_id].table(kind), parsed_pdf[doc_id].table(kind)
    assert (text is None) == (pdf is None)
    if text is None:
        return
    assert (pdf.title, pdf.label, pdf.unit, pdf.empty) == (text.title, text.label, text.unit, text.empty)
    assert pdf.columns == text.columns
    assert _rows(pdf) == _rows(text)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdf_identity_and_narrative_equal_text_export(doc_id, parsed_text, parsed_pdf):
    text, pdf = parsed_text[doc_id], parsed_pdf[doc_id]
    assert (pdf.unit, pdf.year, pdf.kind) == (text.unit, text.year, text.kind)
    assert pdf.source_kind == "pdf" and pdf.pages > 0

    def stated(d):  # 三公 and every other stated figure, with change and reason
        return sorted((s.subject, s.value, s.change, s.change_percent, s.direction, s.reason) for s in d.stated)

    assert stated(pdf) == stated(text)
    assert sorted((s.subject, s.value, s.percent) for s in pdf.shares) == sorted(
        (s.subject, s.value, s.percent) for s in text.shares
    )
    assert [(g.term, fold(g.definition)) for g in pdf.glossary] == [(g.term, fold(g.definition)) for g in text.glossary]
    for part in ("procurement", "performance", "assets"):
        mine, theirs = getattr(pdf, part), getattr(text, part)
        assert (mine is None) == (theirs is None), part
        if mine is not None:
            exclude = {"location", "sentence", "sentences"}
            assert mine.model_dump(exclude=exclude) == theirs.model_dump(exclude=exclude), part
    assert [s.title for s in pdf.sections] == [s.title for s in text.sections]
    assert pdf.overview.facts == text.overview.facts
    # the text export breaks a paragraph where its source had a page break; the PDF does not
    assert fold(pdf.overview.duties or "") == fold(text.overview.duties or "")


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdf_performance_targets_equal_text_export(doc_id, parsed_text, parsed_pdf):
    def targets(d):
        return [
            (t.project, t.funds_total, t.funds_year,
             [(i.period, i.level1, i.level2, i.level3, i.value) for i in t.indicators])
            for t in d.targets
        ]

    assert targets(parsed_pdf[doc_id]) == targets(parsed_text[doc_id])


def test_three_public_golden_values_from_the_pdf(parsed_pdf, pdf_docs):
    """Read by hand from the admin committee's 2026 PDF: 表十 and section 七."""
    import pdfplumber

    doc = parsed_pdf[ADMIN]
    table = doc.table(TableKind.three_public)
    values = {row.name: row.values["合计"] for row in table.rows}
    assert values["公务接待费"] == Decimal("1.00") and values["公务用车购置及运行费"] == Decimal("31.60")
    assert values["①公务用车购置费"] == Decimal("18.00") and values["因公出国（境）费"] is None
    assert values["合计"] == Decimal("32.60")
    stated = {s.subject: s for s in doc.stated if s.section and "三公" in s.section}
    assert (stated["公务接待费"].value, stated["公务接待费"].change) == (Decimal("1.00"), Decimal("-3.00"))
    vehicles = stated["公务用车购置及运行费"]
    assert (vehicles.value, vehicles.change) == (Decimal("31.60"), Decimal("13.75"))
    assert (stated["因公出国（境）费"].value, stated["因公出国（境）费"].change) == (Decimal("0"), Decimal("-10.75"))
    with pdfplumber.open(pdf_docs[ADMIN]) as pdf:  # the page cited is the page it is on
        assert "三公”经费支出预算表" in pdf.pages[table.location.page - 1].extract_text()
        page = fold(pdf.pages[stated["公务接待费"].location.page - 1].extract_text())
    assert "公务接待费1.00万元" in page


# ---- blocks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def approval(pdf_docs):
    return read_pdf_blocks(pdf_docs[APPROVAL])


def test_blocks_carry_pages_in_reading_order(approval):
    blocks, pages = approval
    assert pages == 38
    assert all(b.page is not None and 1 <= b.page <= pages for b in blocks)
    assert [b.page for b in blocks] == sorted(b.page for b in blocks)
    for block in blocks:
        if block.kind == "table":
            assert len(block.row_pages) == len(block.rows) > 0
            assert block.row_pages[0] == block.page
            assert all(p in (block.page,) for p in block.row_pages)
        else:
            assert block.text == block.text.strip() and block.text


def test_page_numbers_are_dropped(approval):
    blocks, _ = approval
    assert not [b.text for b in blocks if b.kind != "table" and PAGE_FURNITURE.match(b.text)]


def test_every_text_export_paragraph_is_in_the_pdf_text(approval, text_docs):
    """Wrapped lines are joined back into the export's paragraphs: each paragraph of the text
    export is found whole in the PDF's text (the PDF may join more, never split)."""
    blocks, _ = approval
    pdf_text = "\n".join(fold(b.text) for b in blocks if b.kind != "table")
    paragraphs = [b.text for b in read_text_blocks(text_docs[APPROVAL]) if b.kind != "table"]
    missing = [p for p in paragraphs if not PAGE_FURNITURE.match(p) and fold(p) not in pdf_text]
    assert missing == []


def test_a_wrapped_paragraph_is_one_block(approval):
    blocks, _ = approval
    duties = next(b for b in blocks if b.text.startswith("集中行使行政许可权"))
    # four lines on page 4 of the PDF, one paragraph in the export
    assert duties.text.endswith("负责行政审批信息化建设和管理。") and duties.page == 4
    assert duties.kind == "paragraph"
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "第一部分 概况" in headings and "一、本部门职责" in headings


def test_merged_header_cells_are_empty_cells(approval):
    blocks, _ = approval
    summary = next(b for b in blocks if b.kind == "table" and b.rows[0][:3] == ["收入", "", "支出"])
    assert summary.page == 5
    assert summary.rows[0] == ["收入", "", "支出", "", "", ""]
    assert summary.rows[1] == ["项目", "2026年", "项目", "2026年合计", "当年预算安排", "上年结转安排"]
    assert summary.rows[2] == ["一、一般公共预算", "389.23", "一、一般公共服务支出", "326.40", "326.40", ""]


def test_a_table_split_across_pages_is_consecutive_table_blocks(approval):
    blocks, _ = approval
    at = next(i for i, b in enumerate(blocks) if b.kind == "table" and b.rows[0][:1] == ["收入"])
    rest = blocks[at + 1]
    assert rest.kind == "table" and rest.page == 6
    assert rest.rows == [["收入总计", "389.23", "支出总计", "389.23", "389.23"]]


def test_a_row_split_by_a_page_break_is_joined(approval):
    blocks, _ = approval
    rows = [(row, page) for b in blocks if b.kind == "table" for row, page in zip(b.rows, b.row_pages)]
    split = [(row, page) for row, page in rows if "报告编制完成时间" in row]
    # 2026年12 | 月底前: the cell text runs from the foot of page 25 to the top of page 26
    assert split[0] == (
        ["", "", "", "报告编制完成时间", "2026年12月底前", "", "报告编制完成时间", "2026年12月底前"], 25
    )
    assert not [row for row, _ in rows if fold("".join(row)) == "月底前月底前"]


def test_performance_target_grids_are_tables(approval):
    blocks, _ = approval
    grids = [b for b in blocks if b.kind == "table" and [r[0] for r in b.rows[:2]] == ["项目名称", "主管部门及代码"]]
    assert len(grids) == 5  # one 项目支出绩效目标表 per project
    overall = next(b for b in blocks if b.kind == "table" and b.rows[0][:2] == ["部门基本信息", "部门名称"])
    assert overall.page == 23


# ---- what is drawn over the text ---------------------------------------------------------


def test_fake_bold_and_a_diagonal_watermark_are_not_text(tmp_path):
    import pdfplumber

    from parsing.read_pdf import SETTINGS, clean_chars
    from tests.pdf_samples import one_page_pdf, text_at

    content = text_at(72, 760, b"Budget 2026") + text_at(72.3, 760.2, b"Budget 2026")  # drawn twice: bold
    content += b"".join(text_at(72, 700 - 20 * i, b"Line %d of the report" % i) for i in range(10))
    content += b"BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 200 300 Tm (DRAFT) Tj ET\n"
    path = tmp_path / "drawn-over.pdf"
    path.write_bytes(one_page_pdf(content))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert "DRAFT" in "".join(c["text"] for c in page.chars)
        text = clean_chars(page, SETTINGS).extract_text()
    assert text.count("Budget 2026") == 1 and "BBuuddggeett" not in text
    assert "DRAFT" not in text and "D" not in text.replace("Budget", "")
    assert "Line 9 of the report" in text
