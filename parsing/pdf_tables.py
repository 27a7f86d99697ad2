"""Ruled tables of one PDF page as rows of cell strings, and rows split across pages.

pdfplumber finds the grid; a cell covered by a merged neighbour comes back as None and
becomes "" here, which is how the text export writes merged cells (a tab with nothing).
A row that the PDF split at a page break (its cells' text continues at the top of the next
page) is joined back into one row: see `join_split_rows`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from pdfplumber.utils import extract_text

from core.text import clean_cell
from parsing.pdf_text import join_lines, join_wrapped

BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    text: str
    bbox: BBox | None = None  # None: covered by a merged cell
    last_line: tuple[float, float] | None = None  # x0, x1 of the text's last line
    first_unit: float = 0.0  # width of the first glyph and the punctuation held to it


@dataclass
class TableFragment:
    """The part of a table on one page."""

    page: int
    bbox: BBox
    cells: list[list[Cell]] = field(default_factory=list)
    padding: float = 0.0  # cell padding, measured: the smallest gap between text and rule
    first_on_page: bool = False
    last_on_page: bool = False

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def rows(self) -> list[list[str]]:
        """Cell texts. Trailing columns with no text on this page are left out, as the text
        export leaves them out: they say nothing, and the header still spans the table."""
        width = max((j + 1 for row in self.cells for j, cell in enumerate(row) if cell.text), default=0)
        return [[cell.text for cell in row[:width]] for row in self.cells]


def extract_tables(page, table_settings: dict, text_settings: dict, min_cells: int) -> list[TableFragment]:
    fragments = []
    for table in page.find_tables(table_settings):
        if len(table.cells) < min_cells:
            continue
        chars = sorted((c for c in page.chars if _centre_in(c, table.bbox)), key=_centre_y)
        centres = [_centre_y(c) for c in chars]
        cells = []
        for row in table.rows:
            cells.append([_cell(bbox, _band(chars, centres, bbox), text_settings) for bbox in row.cells])
        fragments.append(TableFragment(page.page_number, table.bbox, cells, _padding(cells)))
    return fragments


def _centre_y(char: dict) -> float:
    return (char["top"] + char["bottom"]) / 2


def _band(chars: list[dict], centres: list[float], bbox: BBox | None) -> list[dict]:
    """The chars (sorted by vertical centre) whose centre lies between the bbox's top and bottom."""
    if bbox is None:
        return []
    return chars[bisect_left(centres, bbox[1]) : bisect_left(centres, bbox[3])]


def _cell(bbox: BBox | None, chars: list[dict], text_settings: dict) -> Cell:
    if bbox is None:
        return Cell("")
    inside = [c for c in chars if _centre_in(c, bbox)]
    text = join_lines(extract_text(inside, **text_settings))
    inside = [c for c in inside if c["text"].strip()]
    if not inside or not text:
        return Cell("", bbox)
    last_top = max(c["top"] for c in inside)
    last = [c for c in inside if abs(c["top"] - last_top) < 1.5]
    return Cell(
        text,
        bbox,
        (min(c["x0"] for c in last), max(c["x1"] for c in last)),
        _first_unit_width(inside),
    )


_NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)]}%")


def _first_unit_width(chars: list[dict]) -> float:
    """Width of what a line break cannot split at the start of the text: the first glyph and
    any punctuation that may not begin a line (期 + ：). Latin words count glyph by glyph: a
    word moved whole to the next line leaves a space behind, which a split cell never shows."""
    first_top = min(c["top"] for c in chars)
    line = sorted((c for c in chars if abs(c["top"] - first_top) < 1.5), key=lambda c: c["x0"])
    end = 1
    while end < len(line) and line[end]["text"] in _NO_LINE_START:
        end += 1
    return line[end - 1]["x1"] - line[0]["x0"]


def _centre_in(char: dict, bbox: BBox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= cx < x1 and top <= cy < bottom


def _padding(cells: list[list[Cell]]) -> float:
    gaps = [
        gap
        for row in cells
        for cell in row
        if cell.bbox and cell.last_line
        for gap in (cell.last_line[0] - cell.bbox[0], cell.bbox[2] - cell.last_line[1])
    ]
    return max(0.0, min(gaps)) if gaps else 0.0


# ---- rows split across a page break --------------------------------------------------


def repeated_header_rows(head: TableFragment, fragment: TableFragment) -> int:
    """How many leading rows of `fragment` repeat the first rows of the table (`head`)."""
    if fragment is head:
        return 0
    count = 0
    for mine, theirs in zip(fragment.rows, head.rows):
        if [clean_cell(c) for c in mine] != [clean_cell(c) for c in theirs] or not any(mine):
            break
        count += 1
    return count


def _wraps_into(above: Cell, unit: float, padding: float) -> bool:
    """`above`'s last line had no room left for a unit this wide: the text was cut there.
    The room is the cell less its padding on both sides; half a point covers the rule."""
    if not (above.bbox and above.last_line):
        return False
    room = (above.bbox[2] - above.bbox[0]) - 2 * padding
    used = above.last_line[1] - above.last_line[0]
    return room - used < unit + 0.5


def join_split_rows(before: TableFragment, after: TableFragment, rows: list[list[str]], skip: int) -> bool:
    """Join the rest of a row (or of a merged cell) that a page break split back onto it.

    `before` ends one page and `after` starts the next; `rows` are the table rows built so
    far (the last one is `before`'s last row); the first `skip` rows of `after` repeat the
    table header. Text at the top of `after` continues a cell of `before`'s last row when
    the cell above had no room left on its last line for the text's first glyph, and the
    text is not shaped like the cell above (A170107 under A170106 is the next code).

    A whole row continues when every non-empty cell of it does and the split is plain to
    see: some cell of the last row ends on its page (text above, none below), or several
    cells continue; a text that happens to fill its cell looks wrapped, but a new row also
    fills its other cells. Failing that, a cell merged down over several rows continues the
    cell right above it (a split 一级指标 cell: 效益指 / 标). Returns whether text was joined.
    """
    if not (before.last_on_page and after.first_on_page and after.page == before.page + 1):
        return False
    if len(after.cells) <= skip or not before.cells:
        return False
    last, first = before.cells[-1], after.cells[skip]
    continued = [
        (i, cell) for cell in first if cell.text and (i := _continued_column(last, cell, before.padding)) is not None
    ]
    if continued and len(continued) == sum(1 for cell in first if cell.text):
        columns = {i for i, _ in continued}
        ends_here = any(cell.text and i not in columns for i, cell in enumerate(last))
        if ends_here or len(continued) > 1:
            for i, cell in continued:
                rows[-1][i] = join_wrapped(rows[-1][i], cell.text)
            del after.cells[skip]
            return True
    bottom = min((cell.bbox[3] for cell in first if cell.bbox), default=0.0)
    merged = [
        (i, cell)
        for i, cell in continued
        if cell.bbox is not None and cell.bbox[3] > bottom + 1
        and _aligned(last[i], cell) and len(cell.text) < len(last[i].text)
    ]
    for i, cell in merged:
        rows[-1][i] = join_wrapped(rows[-1][i], cell.text)
        cell.text = ""
    if merged and not any(cell.text for cell in first):
        del after.cells[skip]
    return bool(merged)


def _continued_column(last: list[Cell], cell: Cell, padding: float) -> int | None:
    """The column of `last` whose text `cell` carries on, if it looks that way."""
    i = _column_under(last, cell.bbox)
    if i is None or not last[i].text:
        return None
    shape = _code_shape(cell.text)
    if shape is not None and shape == _code_shape(last[i].text):
        return None
    return i if _wraps_into(last[i], cell.first_unit, padding) else None


def _aligned(above: Cell, cell: Cell) -> bool:
    return (above.bbox is not None and cell.bbox is not None
            and abs(above.bbox[0] - cell.bbox[0]) < 1 and abs(above.bbox[2] - cell.bbox[2]) < 1)


def _code_shape(text: str) -> str | None:
    """Digits -> 9, Latin letters -> A, for texts with any: codes of one level share a shape."""
    if not re.search(r"[0-9A-Za-z]", text):
        return None
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", text))


def _column_under(row: list[Cell], bbox: BBox | None) -> int | None:
    if bbox is None:
        return None
    centre = (bbox[0] + bbox[2]) / 2
    for index, cell in enumerate(row):
        if cell.bbox and cell.bbox[0] <= centre < cell.bbox[2]:
            return index
    return None
