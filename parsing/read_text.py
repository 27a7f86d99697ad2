"""Read a text export (.md/.txt) of a disclosure into blocks.

The export writes each table row as one line of tab-separated cells (markdown pipe rows,
"| a | b |", are read the same way) and everything else as lines of text, with markdown-ish
heading marks (#, **…**, <b>…</b>) on some headings.

    blocks = read_text_blocks(Path("data/text/jincheng-etdz-approval-bureau-2026.md"))
"""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import EmptyFileError, NotADisclosureError, TooLargeError
from core.text import strip_markup
from parsing.blocks import Block

MAX_TEXT_BYTES = 20 * 1024 * 1024

# a heading is a line marked as a whole: "## 二、…", "**二、…**", "<b>二、…</b>"
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*$|<b>(?:(?!</b>).)*</b>\s*$)", re.IGNORECASE)
_BULLET = re.compile(r"^[-*+]\s+")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
# a page footer a PDF export leaves between two pages ("— 12 —", "- 3 -", "第3页 共17页"): not text,
# and a table continues across it
_PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—–]{1,2}\s*\d{1,4}\s*[-—–]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
# A table row broken by a page break shows up as: row, one blank line, row.
MAX_BLANK_LINES_INSIDE_TABLE = 1


def read_text_blocks(path: str | Path) -> list[Block]:
    """Blocks of a text export; raises DisclosureError subclasses for unusable files."""
    return text_to_blocks(decode_text(Path(path).read_bytes()))


def decode_text(data: bytes) -> str:
    if len(data) > MAX_TEXT_BYTES:
        raise TooLargeError(f"{len(data) // (1024 * 1024)}MB")
    if not data.strip():
        raise EmptyFileError()
    if data.startswith(b"%PDF"):
        raise NotADisclosureError("文件内容是PDF，请使用.pdf扩展名上传")
    if b"\x00" in data[:65536]:
        raise NotADisclosureError("文件不是文本文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NotADisclosureError("文件不是UTF-8编码的文本") from err
    if not text.strip():
        raise EmptyFileError()
    return text


def text_to_blocks(text: str) -> list[Block]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    table: Block | None = None
    blank_run = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if _PIPE_SEPARATOR.match(line):
            continue
        cells = table_cells(line)
        if cells is not None:
            if table is None or blank_run > MAX_BLANK_LINES_INSIDE_TABLE:
                table = Block(kind="table", line=number)
                blocks.append(table)
            table.rows.append(cells)
            table.row_lines.append(number)
            table.row_pages.append(None)
            blank_run = 0
            continue
        if not line.strip() or is_page_footer(line):
            blank_run += 1
            continue
        table = None
        blank_run = 0
        blocks.append(_text_block(line, number))
    if not any(b.rows or b.text for b in blocks):
        raise EmptyFileError()
    return blocks


def is_page_footer(line: str) -> bool:
    return _PAGE_FOOTER.match(line) is not None


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row (tab-separated, or a markdown pipe row), or None for text."""
    if "\t" in line:
        return [strip_markup(cell) for cell in line.split("\t")]
    if _PIPE_ROW.match(line):
        return [strip_markup(cell) for cell in line.strip().strip("|").split("|")]
    return None


def _text_block(line: str, number: int) -> Block:
    if _HEADING.match(line):
        return Block(kind="heading", text=strip_markup(line), line=number)
    text = _BULLET.sub("", line.strip())
    return Block(kind="paragraph", text=strip_markup(text), line=number)
