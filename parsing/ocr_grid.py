"""Turn what OCR found on a page (text boxes, ruling lines: parsing/ocr.py) into the items the
PDF reader makes of a page with a text layer: text Lines and TableFragments, top to bottom.

The table grid comes from the ruling lines, through pdfplumber's own edge -> intersection ->
cell pipeline, so merged cells come out as they do for a text-layer page (None -> ""). Each
text box then goes to the cell under it; a box that runs across a rule (the detector joins
text close to a thin rule) is cut there using the recogniser's per-character positions.
Text outside tables becomes Lines: boxes on one line joined left to right.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from parsing.ocr import OcrChar, OcrPage, OcrWord, Rule
from parsing.pdf_tables import BBox, Cell, TableFragment, _padding
from parsing.pdf_text import Line, join_wrapped

GRID_SETTINGS: dict = {
    "snap_tolerance": 3.0,  # points, as pdfplumber's table settings
    "join_tolerance": 6.0,  # a rule broken by noise is joined across this gap
    "intersection_tolerance": 4.0,
    "min_edge": 6.0,
    # strokes of a large glyph (a title) can survive the rule filter and box a few tiny
    # cells: a table has a cell at least this wide and this tall (points)
    "min_cell_width": 20.0,
    "min_cell_height": 8.0,
    "line_overlap": 0.5,  # boxes overlapping this share of the lower height are on one line
    "space_gap_em": 1.0,  # boxes on one line further apart than this get a space between them
}

# --- the grid ------------------------------------------------------------------------------


def _edge(rule: Rule) -> dict:
    return {
        "x0": rule.x0, "x1": rule.x1, "top": rule.top, "bottom": rule.bottom,
        "width": rule.x1 - rule.x0, "height": rule.bottom - rule.top,
        "orientation": rule.orientation, "object_type": "line",
    }


def grid_tables(rules: list[Rule], cfg: dict, min_cells: int = 2) -> list[list[list[BBox | None]]]:
    """Tables as rows of cell boxes (None where a merged neighbour covers the slot)."""
    edges = [_edge(r) for r in rules]
    if not edges:
        return []
    snap, join, cross = cfg["snap_tolerance"], cfg["join_tolerance"], cfg["intersection_tolerance"]
    edges = merge_edges(edges, snap, snap, join, join)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= cfg["min_edge"]]
    cells = intersections_to_cells(edges_to_intersections(edges, cross, cross))
    out = []
    for table_cells in cells_to_tables(cells):
        if len(table_cells) < min_cells:
            continue
        if not any(c[2] - c[0] >= cfg["min_cell_width"] and c[3] - c[1] >= cfg["min_cell_height"] for c in table_cells):
            continue
        out.append([row.cells for row in Table(None, table_cells).rows])  # type: ignore[arg-type]  # Table.rows reads only the cells, never the page
    return out


def _bbox(rows: list[list[BBox | None]]) -> BBox:
    boxes = [c for row in rows for c in row if c]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _inside(x: float, y: float, box: BBox) -> bool:
    return box[0] <= x < box[2] and box[1] <= y < box[3]


# --- boxes into cells ----------------------------------------------------------------------


@dataclass
class _Piece:
    """The part of a text box that falls in one cell."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    score: float
    first_width: float


def _pieces(word: OcrWord, cells: list[BBox]) -> list[tuple[BBox, _Piece]]:
    """Cut `word` at the cell borders it crosses (by character centres); a box without
    character positions goes whole to the cell under its centre."""
    chars = word.chars if word.chars and _same_text(word) else []
    if not chars:
        cell = next((c for c in cells if _inside(word.cx, word.cy, c)), None)
        if cell is None:
            return []
        width = (word.x1 - word.x0) / max(1, len(word.text))
        return [(cell, _Piece(word.text, word.x0, word.x1, word.top, word.bottom, word.score, width))]
    runs: list[tuple[BBox, list[OcrChar]]] = []
    for char in chars:
        cx = (char.x0 + char.x1) / 2
        cell = next((c for c in cells if _inside(cx, word.cy, c)), None)
        if cell is None:
            continue
        if runs and runs[-1][0] == cell:
            runs[-1][1].append(char)
        else:
            runs.append((cell, [char]))
    out = []
    for cell, run in runs:
        text = "".join(c.text for c in run)
        score = min(c.score for c in run) if run else word.score
        out.append((cell, _Piece(text, run[0].x0, run[-1].x1, word.top, word.bottom, min(score, 1.0),
                                 run[0].x1 - run[0].x0)))
    return out


def _same_text(word: OcrWord) -> bool:
    return "".join(c.text for c in word.chars).replace(" ", "") == word.text.replace(" ", "")


def _join_same_line(left: str, right: str, gap: float, em: float, space_gap_em: float) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    if gap > space_gap_em * em and not (_cjk(left[-1:]) and _cjk(right[:1])):
        return f"{left} {right}"
    return left + right


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def _lines_of(items: list, overlap: float) -> list[list]:
    """Group objects with top/bottom/x0 into lines (vertical overlap), each sorted left to right."""
    lines: list[list] = []
    for item in sorted(items, key=lambda i: (i.top + i.bottom) / 2):
        for line in lines:
            top, bottom = min(i.top for i in line), max(i.bottom for i in line)
            shared = min(bottom, item.bottom) - max(top, item.top)
            if shared >= overlap * min(bottom - top, item.bottom - item.top):
                line.append(item)
                break
        else:
            lines.append([item])
    return [sorted(line, key=lambda i: i.x0) for line in sorted(lines, key=lambda ln: min(i.top for i in ln))]


def _cell_text(pieces: list[_Piece], cfg: dict) -> tuple[str, tuple[float, float] | None, float, float]:
    """(text, last line's x0/x1, first unit width, lowest confidence)."""
    if not pieces:
        return "", None, 0.0, 1.0
    lines = _lines_of(pieces, cfg["line_overlap"])
    texts = []
    for line in lines:
        text = line[0].text
        for prev, piece in zip(line, line[1:]):
            text = _join_same_line(text, piece.text, piece.x0 - prev.x1, piece.bottom - piece.top,
                                   cfg["space_gap_em"])
        texts.append(text.strip())
    joined = texts[0]
    for part in texts[1:]:
        joined = join_wrapped(joined, part)
    last = lines[-1]
    return (normalise_cell(joined), (last[0].x0, last[-1].x1), lines[0][0].first_width,
            min(p.score for p in pieces))


# Look-alikes OCR confuses where the context tells which is meant: 十 read as +, 万 as 方.
TEXT_FIXES = [
    (re.compile(r"(?:(?<=^)|(?<=[一二三四五六七八九]))\+(?=[一二三四五六七八九]?、)"), "十"),  # +一、 -> 十一、
    (re.compile(r"(?<=\d)\s*方元|(?<=单位[:：])\s*方元"), "万元"),  # 326.40方元, 单位：方元
    (re.compile(r"(?<=\d)，(?=\d{3}(?!\d))"), ","),  # 28，278.81: a thousands separator read full-width
]


def fix_text(text: str) -> str:
    for pattern, replacement in TEXT_FIXES:
        text = pattern.sub(replacement, text)
    return text


# OCR reads a few characters of amounts as their look-alikes
_AMOUNT_LIKE = re.compile(r"^[-−—]?[\dOoIl|,，.．。]+$")
_DECIMAL_COMMA = re.compile(r"^(\d{1,3}(?:,\d{3})*|\d+)[,，](\d{2})$")


# The words of the standard tables' headers and fixed rows, and the 30 类 of 支出功能分类:
# a cell read as one of these less one character (a lone 一 or a 、 the detector lost)
# is given back its character. Names outside this list are left as read.
VOCABULARY = frozenset("""
收入 支出 项目 金额 小计 合计 总计 科目编码 科目名称 功能分类科目 经济分类科目
一般公共预算 政府性基金预算 国有资本经营预算 财政专户管理资金 单位资金 事业收入 事业单位经营收入 其他收入
上年结转 上年财政拨款结转 年终结转 本年收入 本年支出 本年收入合计 本年支出合计 收入总计 支出总计
基本支出 项目支出 人员经费 公用经费 当年预算安排 上年结转安排 预算数 本年预算数 上年预算数
因公出国（境）费 公务接待费 公务用车购置及运行费 公务用车购置费 公务用车运行维护费
①公务用车购置费 ②公务用车运行维护费 工资福利支出 商品和服务支出 对个人和家庭的补助
部门预算支出经济科目名称 政府预算支出经济科目名称 项目名称 单位名称 部门名称
一般公共服务支出 外交支出 国防支出 公共安全支出 教育支出 科学技术支出 文化旅游体育与传媒支出
社会保障和就业支出 社会保险基金支出 卫生健康支出 节能环保支出 城乡社区支出 农林水支出 交通运输支出
资源勘探工业信息等支出 商业服务业等支出 金融支出 援助其他地区支出 自然资源海洋气象等支出 住房保障支出
粮油物资储备支出 国有资本经营预算支出 灾害防治及应急管理支出 预备费 其他支出 转移性支出 债务还本支出
债务付息支出 债务发行费用支出 抗疫特别国债安排的支出
""".split())
_ORDINAL = re.compile(r"^([一二三四五六七八九十]{1,3})、?(.+)$")
_DASH_AS_ONE = re.compile(r"[—–－-](?=[\u4e00-\u9fff、])")


def _ordinal_term(text: str) -> bool:
    m = _ORDINAL.match(text)
    return m is not None and m[2] in VOCABULARY


def correct_term(text: str) -> str:
    """A standard term OCR dropped one character of, given back; an ordinal's lost 、 too
    ("二政府性基金预算" -> "二、政府性基金预算"). Anything else is returned as is."""
    if text in VOCABULARY or len(text) < 3:
        return text
    dashless = _DASH_AS_ONE.sub("一", text)  # 一 read as a dash: "—般公共预算"
    if dashless != text and (dashless in VOCABULARY or _ordinal_term(dashless)):
        return correct_term(dashless)
    fixed = _one_short(text)
    if fixed is not None:
        return fixed
    m = _ORDINAL.match(text)
    if m:
        body = m[2] if m[2] in VOCABULARY else _one_short(m[2])
        if body is not None:
            return f"{m[1]}、{body}"
    return text


def _one_short(text: str) -> str | None:
    """The one vocabulary word that is `text` with one character more, if there is one."""
    if len(text) < 3:
        return None
    found = [w for w in VOCABULARY if len(w) == len(text) + 1 and _subsequence(text, w)]
    return found[0] if len(found) == 1 else None


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def normalise_cell(text: str) -> str:
    """Undo OCR's usual slips: in amounts O/o -> 0, I/l/| -> 1, full-width or ideographic
    stops, a decimal comma before the two decimals of 万元; in the standard tables' terms a
    lost character (correct_term). Other text is left as read."""
    text = fix_text(text.strip())
    if not _AMOUNT_LIKE.match(text) or not re.search(r"\d", text):
        return correct_term(text)
    slips: dict[str, str | int | None] = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "，": ",",
                                          "．": ".", "。": ".", "−": "-", "—": "-"}
    text = text.translate(str.maketrans(slips))
    m = _DECIMAL_COMMA.match(text)
    if m and "." not in text:
        text = f"{m[1]}.{m[2]}"
    return text


def fill_table(
    rows: list[list[BBox | None]], words: list[OcrWord], page: int, cfg: dict
) -> tuple[TableFragment, list[float]]:
    """A TableFragment of the grid with the words' text in its cells, and the lowest
    character confidence per cell (row-major, 1.0 for an empty cell)."""
    boxes = [c for row in rows for c in row if c]
    by_cell: dict[BBox, list[_Piece]] = {}
    for word in words:
        for cell, piece in _pieces(word, boxes):
            by_cell.setdefault(cell, []).append(piece)
    cells: list[list[Cell]] = []
    scores: list[float] = []
    for row in rows:
        out_row = []
        for box in row:
            if box is None:
                out_row.append(Cell(""))
                scores.append(1.0)
                continue
            text, last_line, first_unit, score = _cell_text(by_cell.get(box, []), cfg)
            out_row.append(Cell(text, box, last_line, first_unit) if text else Cell("", box))
            scores.append(score)
        cells.append(out_row)
    for cell_row in cells:
        _complete_column_numbers(cell_row)
    return TableFragment(page, _bbox(rows), cells, _padding(cells)), scores


def _complete_column_numbers(row: list[Cell]) -> None:
    """The 栏次 row under a header numbers the columns 1, 2, 3 …; the detector misses a lone
    digit now and then. A row whose every text is its own column number (amounts print with
    decimals), with at most half missing, gets the missing numbers back (the table parser
    knows the full row)."""
    slots = [i for i, cell in enumerate(row) if cell.bbox is not None]
    if len(slots) < 3:
        return
    texts = {i: row[i].text for i in slots if row[i].text}
    numbers = {i: str(n) for n, i in enumerate(slots, 1)}
    if len(texts) < 2 or len(texts) < len(slots) / 2 or any(t != numbers[i] for i, t in texts.items()):
        return
    for i in slots:
        if not row[i].text:
            row[i].text = numbers[i]


# --- lines outside tables ------------------------------------------------------------------


def text_lines(words: list[OcrWord], cfg: dict) -> list[Line]:
    """Boxes outside tables as text lines. The font size is read from the pitch of the CJK
    characters (square glyphs: advance = size), which tells a title from body text far
    better than box heights; sizes are rounded to half points."""
    lines = []
    for group in _lines_of(words, cfg["line_overlap"]):
        height = statistics.median(w.height for w in group)
        text = group[0].text
        for prev, word in zip(group, group[1:]):
            text = _join_same_line(text, word.text, word.x0 - prev.x1, height, cfg["space_gap_em"])
        size = round(_font_size(group, height) * 2) / 2
        lines.append(Line(fix_text(text.strip()), min(w.x0 for w in group), max(w.x1 for w in group),
                          min(w.top for w in group), max(w.bottom for w in group), size, False))
    return lines


def _font_size(words: list[OcrWord], height: float) -> float:
    pitches = [
        b.x0 - a.x0
        for word in words
        for a, b in zip(word.chars, word.chars[1:])
        if _hanzi(a.text) and _hanzi(b.text) and b.x0 > a.x0
    ]
    if len(pitches) >= 2:
        return statistics.median(pitches)
    return height * HEIGHT_TO_SIZE


HEIGHT_TO_SIZE = 0.85  # glyph size / detected box height, for lines without two hanzi in a row


def _hanzi(text: str) -> bool:
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff"


# --- a page --------------------------------------------------------------------------------


@dataclass
class OcrItems:
    items: list  # Line | TableFragment, top to bottom
    cell_scores: list[list[float]]  # per table fragment, per cell (row-major)


def page_items(page: OcrPage, min_cells: int = 2, settings: dict | None = None) -> OcrItems:
    cfg = {**GRID_SETTINGS, **(settings or {})}
    grids = grid_tables(page.rules, cfg, min_cells)
    boxes = [_bbox(rows) for rows in grids]
    in_table: dict[int, list[OcrWord]] = {i: [] for i in range(len(grids))}
    outside: list[OcrWord] = []
    for word in page.words:
        index = next((i for i, b in enumerate(boxes) if _inside(word.cx, word.cy, b)), None)
        (outside if index is None else in_table[index]).append(word)
    fragments, scores = [], []
    for i, rows in enumerate(grids):
        fragment, cell_scores = fill_table(rows, in_table[i], page.number, cfg)
        if any(c.text for row in fragment.cells for c in row):
            fragments.append(fragment)
            scores.append(cell_scores)
        else:  # a ruled frame with nothing in it: its text (if any) stays text
            outside += in_table[i]
    lines = text_lines(outside, cfg)
    both: list[Line | TableFragment] = [*lines, *fragments]
    items = sorted(both, key=lambda item: item.top)
    return OcrItems(items, scores)
