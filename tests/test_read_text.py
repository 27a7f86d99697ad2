"""parsing/read_text.py: text exports -> blocks, on the real exports and on bad input."""
from __future__ import annotations

import pytest

from core.errors import DisclosureError, EmptyFileError, NotADisclosureError
from parsing.read_text import is_page_footer, read_text_blocks, text_to_blocks

APPROVAL = "jincheng-etdz-approval-bureau-2026"
INDUSTRY = "jincheng-chengqu-industry-it-bureau-2025"


@pytest.fixture(scope="module")
def blocks(text_docs):
    return {doc_id: read_text_blocks(path) for doc_id, path in text_docs.items()}


def table_at(blocks, line):
    return next(b for b in blocks if b.kind == "table" and line in b.row_lines)


def test_every_line_lands_in_one_block_but_page_footers(blocks, text_docs):
    for doc_id, path in text_docs.items():
        lines = path.read_text(encoding="utf-8-sig").split("\n")
        covered = [b.line for b in blocks[doc_id] if b.kind != "table"]
        covered += [n for b in blocks[doc_id] if b.kind == "table" for n in b.row_lines]
        expected = [n for n, text in enumerate(lines, 1) if text.strip() and not is_page_footer(text)]
        assert sorted(covered) == expected


def test_table_rows_keep_empty_cells_and_their_lines(blocks):
    # 预算公开表1 of the approval bureau: 收入 | 金额 | 支出 | 合计 | 当年 | 结转, L64-L99
    summary = table_at(blocks[APPROVAL], 66)
    assert summary.line == 64
    assert summary.row_lines[0] == 64 and summary.row_lines[-1] == 99
    assert summary.rows[2] == ["一、一般公共预算", "389.23", "一、一般公共服务支出", "326.40", "326.40", ""]
    assert summary.rows[7] == ["", "", "六、科学技术支出", "", "", ""]
    assert all(len(row) == 6 for row in summary.rows)


def test_single_blank_line_at_a_page_break_does_not_split_a_table(blocks):
    summary = table_at(blocks[APPROVAL], 66)
    assert 86 in summary.row_lines and 88 in summary.row_lines and 87 not in summary.row_lines
    assert len(summary.rows) == 35  # L64-L86 and L88-L99
    # 收入总表 of the industry bureau breaks after L195 (and loses a column on page two)
    income = table_at(blocks[INDUSTRY], 179)
    assert income.row_lines[-1] == 215 and 197 in income.row_lines


def test_two_blank_lines_or_text_end_a_table():
    blocks = text_to_blocks("a\tb\n1\t2\n\n\n3\t4\n注\n5\t6\n")
    tables = [b for b in blocks if b.kind == "table"]
    assert [t.rows for t in tables] == [[["a", "b"], ["1", "2"]], [["3", "4"]], [["5", "6"]]]


def test_headings_lose_their_markup(blocks):
    industry = blocks[INDUSTRY]
    heading = next(b for b in industry if b.line == 11)
    assert (heading.kind, heading.text) == ("heading", "晋城市城区工业和信息化局")
    part = next(b for b in industry if b.line == 60)
    assert (part.kind, part.text) == ("heading", "第一部分 概况")
    toc = table_at(industry, 25)
    assert toc.rows[0][0] == "第一部分 概况 ....."  # <b>…</b> stripped inside cells too
    plain = next(b for b in blocks[APPROVAL] if b.line == 3)
    assert (plain.kind, plain.text) == ("paragraph", "晋城经济技术开发区行政审批局")


def test_markdown_bullets_and_bold_lines():
    blocks = text_to_blocks("**一、本部门职责**\n- 1、负责全区工作。\n<b>二、机构设置</b>\n")
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "一、本部门职责"), ("paragraph", "1、负责全区工作。"), ("heading", "二、机构设置")]


def test_bom_and_crlf(tmp_path):
    path = tmp_path / "doc.md"
    path.write_bytes("\ufeff2026年预算收支总表\r\n\r\n项目\t金额\r\n合计\t1.00\r\n".encode())
    blocks = read_text_blocks(path)
    assert blocks[0].text == "2026年预算收支总表"
    assert blocks[1].rows == [["项目", "金额"], ["合计", "1.00"]] and blocks[1].row_lines == [3, 4]


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", "\ufeff".encode()])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(EmptyFileError) as err:
        read_text_blocks(path)
    assert "空" in str(err.value)


def test_binary_and_undecodable_files_are_refused(tmp_path, pdf_docs):
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "gbk.txt"
    latin.write_bytes("部门预算".encode("gbk"))
    renamed = tmp_path / "renamed.md"
    renamed.write_bytes(pdf_docs[APPROVAL].read_bytes()[:4096])
    for path in (binary, latin, renamed):
        with pytest.raises(NotADisclosureError):
            read_text_blocks(path)


def test_parse_file_refuses_text_that_is_not_a_disclosure(tmp_path):
    from parsing.parse import parse_file

    path = tmp_path / "notice.md"
    path.write_text("关于召开年度工作会议的通知\n\n各单位：请于周五上午九点参会。\n", encoding="utf-8")
    with pytest.raises(DisclosureError):
        parse_file(path)


def test_a_bold_lead_in_is_not_a_heading():
    blocks = text_to_blocks("**注：**本表无数据\n<b>表</b>一说明\n")
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "注：本表无数据"), ("paragraph", "表一说明")]

