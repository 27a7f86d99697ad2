"""Tables printed without ruling lines, rebuilt from word positions.

Word/WPS exports and many provincial systems print budget tables with no (or only partial)
ruling: pdfplumber's "lines" strategy then finds no grid, and the page reads as text lines
such as "201  一般公共服务支出  21,601,733.00  12,291,733.00  9,310,000.00". This module finds
such runs of lines and rebuilds the grid from where their words sit:

    fragments = unruled_tables(page, text_settings)   # list[TableFragment], as the ruled path

1. lines and cells: each text line (pdfplumber's text lines) is cut into cell words where
   the horizontal gap between two glyphs is wider than `cell_gap_em`;
2. body: a table starts at a data line (two or more amounts in separate cells) and runs down
   while the lines stay close (`max_gap_em`) and look like table rows (no title, 单位 line,
   note or wide paragraph); rows with only a name ("二、事业收入") stay in;
3. columns: the x-ranges the body's cells cover, merged where they overlap (right-aligned
   amounts share their right edge, names their left edge); header cells over columns the
   body leaves empty add their own;
4. header: the lines just above the first data line (not a title or 单位 line) are header
   rows; each header cell takes the run of columns it is centred over (a parent over its
   children), found by a small dynamic programme, and is written into the first column of
   that run, the way the text export writes a merged cell;
5. rows: a line set closer to the one above than rows are apart (`wrap_pitch_ratio`), or a
   name-only line under a name that filled its column, continues the row above (a wrapped
   name or header).

Only what the ruled path left over is looked at (read_pdf calls this on the page without its
ruled tables), so ruled documents read exactly as before.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from parsing.pdf_tables import Cell, TableFragment, _padding
from parsing.pdf_text import join_wrapped

SETTINGS: dict = {
    "cell_gap_em": 1.0,  # a gap this wide between two glyphs of a line separates two cells
    "min_amounts": 2,  # a data line has this many amount cells (one with , or . in it) ...
    "min_plain_numbers": 3,  # ... or this many numbers of any shape
    "max_gap_em": 2.5,  # lines farther apart than this (blank space) end the table
    "wrap_pitch_ratio": 0.8,  # a line this much closer than the row pitch continues its row
    "full_cell_em": 1.5,  # a name ending this close to its column's right edge was wrapped
    "max_header_lines": 10,
    "uncovered_em": 0.5,  # DP cost of a header column left under no header cell
    "paragraph_ratio": 0.45,  # a one-cell line wider than this share of the table is prose
}

_NUMBER = re.compile(r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DASH = re.compile(r"^[-—–－─]+$")
_TITLE = re.compile(r"表\s*$|^(?:附)?表\s*[0-9一二三四五六七八九十]+|^[（(]?续[表)）]")
_UNIT = re.compile(r"单\s*位\s*[：:]|金额单位|编制单位|编报单位|预算单位[：:]")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*[：:0-9１-９]|^本表|^此表")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])")
_TOTAL = re.compile(r"^[收支入出\s]*[合总小]\s*计$")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def number(self) -> bool:
        return bool(_NUMBER.match(self.text.replace(" ", "")))

    @property
    def amount(self) -> bool:
        t = self.text.replace(" ", "")
        return self.number and ("," in t or "." in t)


@dataclass
class TLine:
    words: list[Word]
    top: float
    bottom: float
    size: float
    used: bool = False

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


@dataclass
class Column:
    x0: float
    x1: float
    left: float = 0.0  # cell bounds, between the neighbours' text
    right: float = 0.0


@dataclass
class Item:
    """A header cell: the words of one header row over one place, top to bottom."""

    text: str
    x0: float
    x1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Grid:
    columns: list[Column]
    header: list[list[TLine]] = field(default_factory=list)
    body: list[list[TLine]] = field(default_factory=list)
    items: list[list[Item]] = field(default_factory=list)  # each header row's cells


# ---- lines and cell words ----------------------------------------------------------------


def text_lines(page, text_settings: dict, gap_em: float) -> list[TLine]:
    lines = []
    for raw in page.extract_text_lines(**text_settings, return_chars=True):
        chars = sorted((c for c in raw["chars"] if c["text"].strip()), key=lambda c: c["x0"])
        if not chars:
            continue
        size = statistics.median(c["size"] for c in chars)
        words, run = [], [chars[0]]
        for c in chars[1:]:
            if c["x0"] - run[-1]["x1"] > gap_em * size:
                words.append(_word(run, raw["chars"]))
                run = [c]
            else:
                run.append(c)
        words.append(_word(run, raw["chars"]))
        lines.append(TLine(words, min(w.top for w in words), max(w.bottom for w in words), size))
    return sorted(lines, key=lambda ln: ln.top)


def _word(run: list[dict], all_chars: list[dict]) -> Word:
    x0, x1 = run[0]["x0"], run[-1]["x1"]
    # keep the spaces the PDF draws inside the cell ("收 入 总 计")
    inside = sorted((c for c in all_chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1), key=lambda c: c["x0"])
    text = re.sub(r"\s+", " ", "".join(c["text"] for c in inside)).strip()
    return Word(text, x0, x1, min(c["top"] for c in run), max(c["bottom"] for c in run),
                statistics.median(c["size"] for c in run))


def data_strength(line: TLine, cfg: dict) -> int:
    """2: a data line (two or more amounts in their own cells); 1: a row with one amount in its
    own cell after other cells (a one-amount table, "合计  4,993,700"); 0: no data."""
    if len(line.words) < 2:
        return 0
    numbers = [w for w in line.words if w.number]
    amounts = [w for w in numbers if w.amount]
    if (len(numbers) >= cfg["min_amounts"] and amounts) or len(numbers) >= cfg["min_plain_numbers"]:
        return 2
    return 1 if amounts and line.words[-1].amount else 0


def is_data_line(line: TLine, cfg: dict) -> bool:
    return data_strength(line, cfg) > 0


def _stop_line(line: TLine, width: float, cfg: dict) -> bool:
    """A line that cannot be part of a table: a title, 单位 line, note or prose."""
    text = line.text
    if _TITLE.search(text) or _UNIT.search(text) or _NOTE.search(text):
        return True
    return len(line.words) == 1 and line.x1 - line.x0 > cfg["paragraph_ratio"] * max(width, 1.0)


# ---- finding tables ------------------------------------------------------------------------


def unruled_tables(page, text_settings: dict, settings: dict | None = None) -> list[TableFragment]:
    cfg = {**SETTINGS, **(settings or {})}
    lines = text_lines(page, text_settings, cfg["cell_gap_em"])
    fragments = []
    i = 0
    while i < len(lines):
        if lines[i].used or not is_data_line(lines[i], cfg):
            i += 1
            continue
        body = _grow_body(lines, i, cfg)
        strengths = [data_strength(ln, cfg) for ln in body]
        if 2 not in strengths and strengths.count(1) < 2:  # one lone amount: not a table
            i += 1
            continue
        header = _grow_header(lines, i, body, _row_pitch(body, cfg), cfg)
        grid = build_grid(header, body, cfg)
        if grid is not None:
            for line in [*header, *body]:
                line.used = True
            fragments.append(_fragment(page.page_number, grid, cfg))
        i = lines.index(body[-1]) + 1
    return fragments


def _grow_body(lines: list[TLine], start: int, cfg: dict) -> list[TLine]:
    first = lines[start]
    body = [first]
    x0, x1 = first.x0, first.x1
    last_data = 0
    for line in lines[start + 1:]:
        if line.top - body[-1].bottom > cfg["max_gap_em"] * first.size:
            break
        data = is_data_line(line, cfg)
        if not data and _stop_line(line, x1 - x0, cfg):
            break
        if not data and (line.x0 < x0 - 2 * first.size or line.x1 > x1 + 2 * first.size):
            break  # sticks out of the table: text below it
        body.append(line)
        if data:
            last_data = len(body) - 1
            x0, x1 = min(x0, line.x0), max(x1, line.x1)
    # lines after the last data line stay only as wrapped names of it
    tail = body[last_data + 1:]
    body = body[: last_data + 1]
    pitch = _pitch(body)
    for line in tail:
        if pitch and line.top - body[-1].top < cfg["wrap_pitch_ratio"] * pitch and len(line.words) == 1:
            body.append(line)
        else:
            break
    return body


def _grow_header(lines: list[TLine], start: int, body: list[TLine], pitch: float | None,
                 cfg: dict) -> list[TLine]:
    size = body[0].size
    x0 = min(ln.x0 for ln in body)
    x1 = max(ln.x1 for ln in body)
    header: list[TLine] = []
    below = body[0]
    for k in range(start - 1, -1, -1):
        line = lines[k]
        if line.used or len(header) >= cfg["max_header_lines"]:
            break
        if below.top - line.bottom > cfg["max_gap_em"] * size or is_data_line(line, cfg):
            break
        if _stop_line(line, x1 - x0, cfg):
            break
        wrapped = k > 0 and _wrap_pitch(lines[k - 1], line, pitch, cfg)
        if len(line.words) == 1 and line.x0 < x0 + size and not wrapped:
            break  # one text flush with the table's left edge: a heading or prose
        header.insert(0, line)
        below = line
    return header


def _wrap_pitch(above: TLine, line: TLine, pitch: float | None, cfg: dict) -> bool:
    """`line` sits closer under `above` than table rows are apart: a wrapped cell."""
    return bool(pitch) and 0 < line.top - above.top < cfg["wrap_pitch_ratio"] * pitch


def _header_pitch(header: list[TLine], pitch: float | None) -> float | None:
    """The row pitch, or without rows to measure it, the header's widest line spacing when
    its spacings differ (wrapped lines sit closer than rows)."""
    if pitch:
        return pitch
    pitches = [b.top - a.top for a, b in zip(header, header[1:]) if b.top > a.top]
    if pitches and max(pitches) > 1.15 * min(pitches):
        return max(pitches)
    return None


def _pitch(lines: list[TLine]) -> float | None:
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    return statistics.median(pitches) if pitches else None


def _row_pitch(body: list[TLine], cfg: dict) -> float | None:
    data = [ln for ln in body if is_data_line(ln, cfg)]
    pitches = [b.top - a.top for a, b in zip(body, body[1:]) if is_data_line(a, cfg) and is_data_line(b, cfg)]
    if pitches:
        return statistics.median(pitches)
    return _pitch(body) if len(data) < len(body) else None


# ---- columns -------------------------------------------------------------------------------


def build_grid(header: list[TLine], body: list[TLine], cfg: dict) -> Grid | None:
    spans = sorted((w.x0, w.x1) for line in body for w in line.words if not _TOTAL.match(w.text))
    if not spans:
        return None
    columns: list[Column] = []
    for a, b in spans:
        if columns and a <= columns[-1].x1 + 0.2:
            columns[-1].x1 = max(columns[-1].x1, b)
        else:
            columns.append(Column(a, b))
    pitch = _row_pitch(body, cfg)
    header_rows = _group_rows(header, _header_pitch(header, pitch), cfg, body_rows=False, columns=None)
    items = [_items(row) for row in header_rows]
    # header cells over columns the body leaves empty (the lowest header row), and any header
    # cell out past the body's last column
    for k, row in enumerate(items):
        for item in row:
            clear = not any(item.x0 <= c.x1 and c.x0 <= item.x1 for c in columns)
            if clear and (k == len(items) - 1 or item.x0 > columns[-1].x1 or item.x1 < columns[0].x0):
                columns.append(Column(item.x0, item.x1))
    columns.sort(key=lambda c: c.x0)
    _bounds(columns, body[0].size)
    if len(columns) < 2:
        return None
    return Grid(columns, header_rows, _group_rows(body, pitch, cfg, body_rows=True, columns=columns), items)


def _bounds(columns: list[Column], size: float) -> None:
    gaps = [b.x0 - a.x1 for a, b in zip(columns, columns[1:])]
    edge = min(gaps) / 2 if gaps else size / 2
    for k, col in enumerate(columns):
        col.left = (columns[k - 1].x1 + col.x0) / 2 if k else col.x0 - edge
        col.right = (col.x1 + columns[k + 1].x0) / 2 if k + 1 < len(columns) else col.x1 + edge


def _column_of(columns: list[Column], x: float) -> int:
    for k, col in enumerate(columns):
        if x < col.right:
            return k
    return len(columns) - 1


def _group_rows(lines: list[TLine], pitch: float | None, cfg: dict, body_rows: bool,
                columns: list[Column] | None) -> list[list[TLine]]:
    """Lines into rows: a line closer to the one above than the row pitch, or a name-only line
    under a name that filled its column, continues the row."""
    rows: list[list[TLine]] = []
    for line in lines:
        if rows and _continues(rows[-1], line, pitch, cfg, body_rows, columns):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _continues(row: list[TLine], line: TLine, pitch: float | None, cfg: dict, body_rows: bool,
               columns: list[Column] | None) -> bool:
    if body_rows and (is_data_line(line, cfg) or any(w.number for w in line.words)):
        return False
    if body_rows and any(_ORDINAL.match(w.text) or _TOTAL.match(w.text) for w in line.words):
        return False
    above = row[-1]
    if pitch and line.top - above.top < cfg["wrap_pitch_ratio"] * pitch:
        return True
    if not body_rows or columns is None:
        return False
    # a name-only line under names that ran to their column's right edge
    for w in line.words:
        k = _column_of(columns, w.centre)
        last = [v for v in above.words if _column_of(columns, v.centre) == k]
        if not last or columns[k].right - last[-1].x1 > cfg["full_cell_em"] * line.size:
            return False
    return True


# ---- header cells over their columns ----------------------------------------------------


def _items(row: list[TLine]) -> list[Item]:
    items: list[Item] = []
    for line in row:
        for w in line.words:
            under = [it for it in items if w.x0 <= it.x1 and it.x0 <= w.x1]
            if under:
                it = under[-1]
                it.text = join_wrapped(it.text, w.text)
                it.x0, it.x1 = min(it.x0, w.x0), max(it.x1, w.x1)
            else:
                items.append(Item(w.text, w.x0, w.x1))
    return sorted(items, key=lambda it: it.x0)


def place_items(items: list[Item], columns: list[Column], uncovered: float) -> list[str]:
    """Each header cell on the run of columns it is centred over (every column under at most
    one cell; a column under none costs `uncovered`), written into the run's first column."""
    n, m = len(columns), len(items)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    choice: dict[tuple[int, int], tuple[int, int, int | None]] = {}
    best[0][0] = 0.0
    for i in range(m + 1):
        for j in range(n + 1):
            cost = best[i][j]
            if cost == inf:
                continue
            if j < n and cost + uncovered < best[i][j + 1]:
                best[i][j + 1] = cost + uncovered
                choice[(i, j + 1)] = (i, j, None)
            if i < m and j < n:
                it = items[i]
                for k in range(j, n):
                    left, right = columns[j].left, columns[k].right
                    if left > it.x1:
                        break
                    if right < it.x0:
                        continue
                    c = abs((left + right) / 2 - it.centre)
                    if right - left < 0.9 * (it.x1 - it.x0):
                        c += right - left + 1000.0  # the text does not fit its cell
                    if cost + c < best[i + 1][k + 1]:
                        best[i + 1][k + 1] = cost + c
                        choice[(i + 1, k + 1)] = (i, j, i)
    cells = [""] * n
    i, j = m, n
    if best[m][n] == inf:  # cannot place: fall back to the column under each centre
        for it in items:
            k = _column_of(columns, it.centre)
            cells[k] = join_wrapped(cells[k], it.text) if cells[k] else it.text
        return cells
    while (i, j) != (0, 0):
        pi, pj, placed = choice[(i, j)]
        if placed is not None:
            cells[pj] = items[placed].text
        i, j = pi, pj
    return cells


# ---- the fragment ----------------------------------------------------------------------------


def _fragment(page_number: int, grid: Grid, cfg: dict) -> TableFragment:
    cols = grid.columns
    size = grid.body[0][0].size
    cells: list[list[Cell]] = []
    for row, items in zip(grid.header, grid.items):
        texts = place_items(items, cols, cfg["uncovered_em"] * size)
        top, bottom = row[0].top, row[-1].bottom
        cells.append([Cell(t, (c.left, top, c.right, bottom)) if t else Cell("", (c.left, top, c.right, bottom))
                      for t, c in zip(texts, cols)])
    for row in grid.body:
        top, bottom = row[0].top, row[-1].bottom
        per_col: list[list[Word]] = [[] for _ in cols]
        for line in row:
            for w in line.words:
                per_col[_column_of(cols, w.centre)].append(w)
        out = []
        for words, c in zip(per_col, cols):
            box = (c.left, top, c.right, bottom)
            if not words:
                out.append(Cell("", box))
                continue
            text = ""
            last_top = None
            for w in words:
                if not text:
                    text = w.text
                elif last_top is not None and abs(w.top - last_top) < 1.5:
                    text = f"{text} {w.text}"
                else:
                    text = join_wrapped(text, w.text)
                last_top = w.top
            last = [w for w in words if abs(w.top - words[-1].top) < 1.5]
            first = words[0]
            unit = (first.x1 - first.x0) / max(len(first.text), 1)
            out.append(Cell(text, box, (min(w.x0 for w in last), max(w.x1 for w in last)), unit))
        cells.append(out)
    all_lines = [ln for row in [*grid.header, *grid.body] for ln in row]
    bbox = (cols[0].left, min(ln.top for ln in all_lines), cols[-1].right, max(ln.bottom for ln in all_lines))
    return TableFragment(page_number, bbox, cells, _padding(cells))
