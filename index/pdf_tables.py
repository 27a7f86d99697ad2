"""Ruled tables of one PDF page as rows of cell strings, and rows split across pages.

pdfplumber finds the grid; a cell covered by a merged neighbour comes back as None and
becomes "" here, which is how the text export writes merged cells (a tab with nothing).
A row that the PDF split at a page break (its cells' text continues at the top of the next
page) is joined back into one row: see `join_split_rows`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pdfplumber.utils import extract_text

from index.normalize import clean_cell
from index.pdf_text import join_lines, join_wrapped

BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    text: str
    bbox: BBox | None = None  # None: covered by a merged cell
    last_line: tuple[float, float] | None = None  # x0, x1 of the text's last line
    first_glyph: float = 0.0  # width of the first glyph


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
        return [[cell.text for cell in row] for row in self.cells]


def extract_tables(page, table_settings: dict, text_settings: dict, min_cells: int) -> list[TableFragment]:
    fragments = []
    for table in page.find_tables(table_settings):
        if len(table.cells) < min_cells:
            continue
        chars = [c for c in page.chars if _centre_in(c, table.bbox) and c["text"].strip()]
        cells = []
        for row in table.rows:
            row_chars = [c for c in chars if _centre_in(c, row.bbox)]
            cells.append([_cell(bbox, row_chars, text_settings) for bbox in row.cells])
        fragments.append(TableFragment(page.page_number, table.bbox, cells, _padding(cells)))
    return fragments


def _cell(bbox: BBox | None, chars: list[dict], text_settings: dict) -> Cell:
    if bbox is None:
        return Cell("")
    inside = [c for c in chars if _centre_in(c, bbox)]
    if not inside:
        return Cell("", bbox)
    last_top = max(c["top"] for c in inside)
    last = [c for c in inside if abs(c["top"] - last_top) < 1.5]
    first = min(inside, key=lambda c: (round(c["top"]), c["x0"]))
    return Cell(
        join_lines(extract_text(inside, **text_settings)),
        bbox,
        (min(c["x0"] for c in last), max(c["x1"] for c in last)),
        first["x1"] - first["x0"],
    )


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
    count = 0
    for mine, theirs in zip(fragment.rows, head.rows):
        if [clean_cell(c) for c in mine] != [clean_cell(c) for c in theirs] or not any(mine):
            break
        count += 1
    return count if fragment is not head else 0


def _wraps_into(above: Cell, glyph: float, padding: float) -> bool:
    """`above`'s last line had no room left for a glyph this wide: the text was cut there."""
    if not (above.bbox and above.last_line):
        return False
    room = (above.bbox[2] - above.bbox[0]) - 2 * padding
    used = above.last_line[1] - above.last_line[0]
    return room - used < glyph - 0.5


def join_split_rows(before: TableFragment, after: TableFragment, rows: list[list[str]], skip: int) -> bool:
    """Join the rest of a row that the page break split back onto that row.

    `before` ends one page, `after` starts the next; `rows` are the table rows built so far
    (their last row is `before`'s last row); `skip` leading rows of `after` repeat the header.
    The first row of `after` (past the header) continues the last row of `before` when each
    of its non-empty cells sits under a cell whose last line had no room left for the cell's
    first glyph, or under an empty cell (a cell that starts on this page, beside the split one);
    and when some cell of the last row ends on that page (non-empty above, empty below): a real
    new row never leaves its neighbours' columns empty like that.
    The continued text is appended to the row above and blanked (dropped with its row when
    nothing else is left in it). Returns whether a row was joined.
    """
    if not (before.last_on_page and after.first_on_page and after.page == before.page + 1):
        return False
    if len(after.cells) <= skip or not before.cells:
        return False
    last, first = before.cells[-1], after.cells[skip]
    continued: list[tuple[int, int]] = []  # (column in `last`, column in `first`)
    for j, cell in enumerate(first):
        if not cell.text:
            continue
        i = _column_under(last, cell.bbox)
        if i is None:  # under a cell merged down from above: starts here
            continue
        if last[i].text and _wraps_into(last[i], cell.first_glyph, before.padding):
            continued.append((i, j))
        elif last[i].text:
            return False
    continued_above = {i for i, _ in continued}
    ends_here = any(
        cell.text and i not in continued_above and not _text_below(first, cell.bbox) for i, cell in enumerate(last)
    )
    if not continued or not ends_here:
        return False
    for i, j in continued:
        rows[-1][i] = join_wrapped(rows[-1][i], first[j].text)
        first[j] = Cell("", first[j].bbox)
    if not any(cell.text for cell in first):
        del after.cells[skip]
    return True


def _column_under(row: list[Cell], bbox: BBox | None) -> int | None:
    if bbox is None:
        return None
    centre = (bbox[0] + bbox[2]) / 2
    for index, cell in enumerate(row):
        if cell.bbox and cell.bbox[0] <= centre < cell.bbox[2]:
            return index
    return None


def _text_below(row: list[Cell], bbox: BBox | None) -> bool:
    index = _column_under(row, bbox)
    return index is not None and bool(row[index].text)
