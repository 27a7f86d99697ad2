"""Recognise the 13 standard tables and parse their rows.

Works on blocks from either reader (parsing/read_text.py, parsing/read_pdf.py):

    1. assemble: walk the blocks; a table block takes its kind, label and unit from the
       title paragraphs before it; a table block with only page furniture before it
       continues the open table (page breaks, repeated headers);
    2. split header rows from data rows and flatten the header into column names
       ("本年收入/一般公共预算"), tolerating headers narrower or wider than the data;
    3. turn each data row into TableRow(s): 科目编码, name, Decimal values, side for the
       two-sided tables, total flags.

Kinds are recognised by the meaning of the title, never by the printed number.
"""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from core.model import BudgetTable, Location, TableKind, TableRow
from core.numbers import TOLERANCE
from core.text import clean_cell as _clean_cell
from core.text import fold
from core.text import parse_amount as _parse_amount
from parsing.blocks import Block
from parsing.overview import ORG_LINE, parse_identity
from parsing.table_shapes import canonical_shapes

log = logging.getLogger(__name__)

# A dash alone in a cell is how many exporters print a blank amount ("-", "—", "－").
DASH_BLANK = re.compile(r"^[-—–－─]+$")


# The same few thousand cell texts are looked at many times: normalise each once.
@lru_cache(maxsize=1 << 16)
def clean_cell(text: str | None) -> str:
    """core.text.clean_cell for table cells: a dash-only cell ("—", "-") is blank; cached."""
    cell = _clean_cell(text)
    return "" if DASH_BLANK.match(cell) else cell


parse_amount = lru_cache(maxsize=1 << 16)(_parse_amount)

# --- vocabulary of the standard tables ---------------------------------------------------

TWO_SIDED = {TableKind.income_expenditure_summary, TableKind.fiscal_summary, TableKind.state_capital}
PROJECT_KINDS = {TableKind.projects_current, TableKind.projects_carryover}
# Names printed for the fund columns when a header cell is missing (seen in real grids).
CANONICAL_VALUE_COLUMNS = {
    TableKind.fiscal_summary: ["小计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
    TableKind.three_public: ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
    TableKind.operating_costs: ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
}
GENERIC_PARENTS = {"项目", "金额", "预算数", "预算", "本年预算数", "预算金额", "合计金额"}
# A column-group header that only restates the table ("支出预算" over 合计/基本支出/项目支出 in a
# 支出预算总表) is dropped; one that means this year's income is named as the standard tables do.
TABLE_PARENT = re.compile(r"^[\u4e00-\u9fff]*预算(?:基本)?支出$|^支出预算$")
PARENT_ALIASES = {"收入预算": "本年收入", "本年收入预算": "本年收入"}
BASIC_PARENT = "基本支出/"
# The one amount column of a side of a two-sided table is its 金额, whatever the header says.
PRINTED_UNIT = re.compile(r"\s*[（(](?:万元|元|千元|亿元)[)）]$")
AMOUNT_WORDS = {"金额", "预算数", "预算金额", "本年预算数", "预算"}
HEADER_YEAR = re.compile(r"(20\d{2})\s*年")
CHANGE_WORDS = {"增减", "增减额", "增减变化", "增减率", "增幅", "增减幅度", "比上年增减", "增长率"}
# A header part that only says which side a column is on ("本年收入", "国有资本经营预算收入"),
# unlike a real parent such as "基本支出" over 人员经费/公用经费.
SIDE_HEADER = re.compile(r"^(?:本年|上年)?(?:财政拨款|[\u4e00-\u9fff]*预算)?(?:收入|支出)$")
# Printed money units -> how many of them make one 万元, the unit every money table is held in.
PER_WANYUAN = {"元": Decimal(10000), "千元": Decimal(10), "亿元": Decimal("0.0001")}

LABEL = re.compile(
    r"^(?P<label>(?:(?:预算|部门|单位|财政)?公开表|附表|表)\s*"
    # "公开表12026年…" = 表1; "表七一般公共预算…" = 表七
    r"(?:\d{1,2}(?!\d)|\d{1,2}(?=20\d{2}\s*年)|[一二三四五六七八九十]{1,3}(?!般))(?:[-—]\d+)?)"
)
CONTINUED_TITLE = re.compile(r"^.{0,30}?表\s*[（(]\s*续\s*表?\s*[）)]\s*$|^\s*[（(]?\s*续\s*表?\s*[）)]?\s*$")
TITLE_END = re.compile(r"表\s*(?:[（(][^（）()]*[）)]\s*)*(?:续表?|[（(]续表?[）)])?$")
TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|\.\s?\.\s?\.)\s*\d*\s*$")
SECTION = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])"
)
UNIT = re.compile(r"单位[:：]\s*(万元|千元|亿元|元)")
EMPTY_NOTE = re.compile(r"本表无数据|本表为空|此表无数据|无数据")
PAGE_NUMBER = re.compile(r"^[-—–_\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–_\s]*$|^\d+\s*/\s*\d+$")

YEAR = re.compile(r"^(?:19|20)\d{2}$")
CODE = re.compile(r"^(?:\d{3}|\d{5}|\d{7})$")
CODE_AND_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})\s*([^\d\s].*)$")
TOTAL_NAME = re.compile(r"(?:合计|总计|小计)$")
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩]|[（(][一二三四五六七八九十\d]+[)）])")
HEADER_WORD = re.compile(r"(?:编码|名称|^项目$|^金额$|^科目$|^单位$|^栏次$)")
NAME_HEADER = re.compile(r"(?:名称|^项目$|^[收支]入?出?项目$|^支出项目$|^收入项目$|^科目$)")
CODE_HEADER = re.compile(r"编码|^代码$")
LEAD_IN_MIN = 8  # characters of a sentence that leads into a grid ("具体项目如下："), not a label ("单位：")
PROJECT_AMOUNT_HEAD = re.compile(r"预算金额|预算数|金额|合计")
PROJECT_HEAD_EXCLUDED = re.compile(r"指标|绩效|采购|购买服务|品目")
# an untitled grid read by its header is cited by what it is, not by a title it does not print
HEADER_KIND_TITLES = {TableKind.projects_current: "情况说明所列项目支出表"}
ROW_NUMBER_HEADER = re.compile(r"^(?:序号|行次|栏次|栏号)$")
ORG_CODE_HEADER = re.compile(r"^(?:单位|部门|预算单位)(?:编码|代码)$")
PROJECT_CODE_HEADER = re.compile(r"^项目(?:编码|代码|编号)$")
LONG_IDENTIFIER = re.compile(r"\d{12,}")  # a project's code: more digits than any amount is printed with
CODE_PART_HEADER = {"类": 3, "款": 2, "项": 2}
ORG_SUFFIX = re.compile(
    r"(?:局|委员会|管委会|委|办公室|办|中心|院|所|站|队|厅|部|处|馆|校|学校|政府|总工会|工会|联合会|协会|会|社|室|团|台|园)$"
)


PROJECT_TABLE_WORDS = ("项目支出", "项目预算", "专项业务经费")  # 专项业务经费支出表 (Shaanxi) lists projects


def table_kind(title: str) -> TableKind | None:
    """The standard kind a table title means, or None ("项目支出绩效目标表" is not one)."""
    t = fold(strip_label(title))
    if not TITLE_END.search(t) or "绩效" in t or "目录" in t:
        return None
    if any(w in t for w in PROJECT_TABLE_WORDS) and not ("经济分类" in t or "经济科目" in t):
        # (项目支出…表（按经济分类科目） sums the projects by 经济科目: no project is a row of it)
        carryover = re.search(r"(?<!不含)上年结转", t) or "结转项目" in t
        return TableKind.projects_carryover if carryover else TableKind.projects_current
    if "三公" in t:
        return TableKind.three_public
    if "机关运行经费" in t:
        return TableKind.operating_costs
    if "国有资本经营" in t:
        return TableKind.state_capital
    if "政府性基金" in t:
        if "收入" in t and "支出" not in t:
            return TableKind.fund_income
        return TableKind.fund_expenditure if "支出" in t or "收支" in t else None
    if "经济科目" in t or "经济分类" in t or "基本支出" in t:
        return TableKind.basic_expenditure_economic
    if "一般公共预算" in t and "支出" in t:
        return TableKind.general_budget_expenditure
    if "财政拨款" in t and "收支" in t:
        return TableKind.fiscal_summary
    if "收支" in t:
        return TableKind.income_expenditure_summary
    if "收入" in t and "支出" not in t:
        return TableKind.income
    if "支出" in t and "收入" not in t:
        return TableKind.expenditure
    return None


# Words that make a title the better one of two tables of a kind (the 基本支出 table by 部门预算
# 经济分类 over the whole 一般公共预算 by 政府预算 经济分类 or 基本支出 by 功能分类).
TITLE_FIT = {
    TableKind.basic_expenditure_economic: (("基本支出", "经济", "部门预算"), ("功能", "政府预算")),
    TableKind.general_budget_expenditure: (("功能",), ("基本支出", "经济")),
}


def title_fit(kind: TableKind, title: str) -> int:
    good, bad = TITLE_FIT.get(kind, ((), ()))
    t = fold(title)
    return sum(w in t for w in good) - sum(w in t for w in bad)


def is_generic_title(title: str) -> bool:
    """A table title we keep as a generic table: not a 绩效目标表 (parsing/targets.py reads those)
    nor a line of the 目录."""
    t = fold(strip_label(title))
    project_targets = "绩效" in t and "项目" in t
    return bool(TITLE_END.search(t)) and not project_targets and "目录" not in t and len(t) <= 60


def strip_label(text: str) -> str:
    return LABEL.sub("", clean_cell(text), count=1).strip()


def parse_tables(blocks: list[Block], doc_id: str) -> list[BudgetTable]:
    identity = parse_identity(blocks)
    grids = assemble(blocks)
    org_names = {fold(n) for g in grids for n in g.org_names}
    if identity:
        org_names.add(fold(identity[0]))
    tables = []
    for grid in grids:
        try:
            tables.append(build_table(grid, doc_id, org_names, identity[1] if identity else None))
        except Exception:  # one malformed grid must not cost the other tables
            log.exception("table %s (%s) could not be parsed", grid.kind.value, doc_id)
    return canonical_shapes(tables)


# --- lookups shared with checks and tools -------------------------------------------------


def column_value(row: TableRow, column: str) -> Decimal | None:
    """Value of `column` in `row`: exact column name, else a name ending in "/column"."""
    if column in row.values:
        return row.values[column]
    for name, value in row.values.items():
        if name.endswith("/" + column):
            return value
    return None


def has_column(row: TableRow, column: str) -> bool:
    return column in row.values or any(name.endswith("/" + column) for name in row.values)


def total_row(table: BudgetTable, side: str | None = None, contains: str | None = None) -> TableRow | None:
    """The table's grand total row (first 合计/总计 row), optionally on one side / by name."""
    for row in table.rows:
        if not row.is_total or (side and row.side != side):
            continue
        if contains is None or contains in fold(row.name):
            return row
    return None


def find_row(table: BudgetTable, *, code: str | None = None, name: str | None = None,
             side: str | None = None) -> TableRow | None:
    """First row with this 科目编码, or whose name (ordinal prefix ignored) equals `name`."""
    key = fold(strip_ordinal(name)) if name else None
    for row in table.rows:
        if side and row.side != side:
            continue
        if code and row.code == code:
            return row
        if key and fold(strip_ordinal(row.name)) == key:
            return row
    return None


def strip_ordinal(name: str) -> str:
    """A row name without its one leading ordinal ("一、", "①", "（二）"), otherwise as printed
    (tools.lookup.key also folds it and drops every kind of numbering, for comparing)."""
    return ORDINAL.sub("", name or "").strip()


# --- 1. assembling grids from blocks ------------------------------------------------------


@dataclass
class Grid:
    kind: TableKind
    title: str
    label: str | None
    unit: str
    title_block: Block
    rows: list[list[str]] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    piece: list[int] = field(default_factory=list)  # which source block each row came from
    org_names: list[str] = field(default_factory=list)
    empty_note: bool = False
    pieces: int = 0
    from_header: bool = False  # no title: its kind was read from its header


@dataclass
class Context:
    """What the blocks between two table blocks say about the next table."""

    title: str | None = None
    title_block: Block | None = None
    unrecognised_title: bool = False
    label: str | None = None
    unit: str | None = None
    org_names: list[str] = field(default_factory=list)
    empty_note_before_title: bool = False
    narrative: bool = False  # text that is neither page furniture nor a table title


def assemble(blocks: list[Block]) -> list[Grid]:
    grids: list[Grid] = []
    seen: set[TableKind] = set()
    open_grid: Grid | None = None
    region: list[Block] = []
    for block in blocks:
        if block.kind != "table":
            region.append(block)
            continue
        rows, pages, lines, inner = _strip_inner_context(block)
        titled_inside = read_context(inner).title is not None
        region, empty_grids = _split_title_only_tables(region, seen, last_owned=not titled_inside)
        ctx = read_context(region + inner)
        region = []
        if open_grid is not None and ctx.empty_note_before_title:
            open_grid.empty_note = True
        if empty_grids:
            grids += empty_grids
            open_grid = None
        if open_grid is not None and not open_grid.rows and ctx.title is None and not ctx.label:
            _append(open_grid, rows, pages, lines)  # "（本表为…不含上年结转）" between the 单位 line and the grid
            continue
        if open_grid is not None and ctx.title is not None and CONTINUED_TITLE.match(ctx.title):
            _append(open_grid, rows, pages, lines)  # "续表" alone over the rest of the table
            continue
        kind = table_kind(ctx.title) if ctx.title else None
        if kind is None and ctx.title is None and not ctx.narrative and open_grid is not None and not ctx.label:
            _append(open_grid, rows, pages, lines)  # continuation across a page break
            continue
        if (kind is not None and open_grid is not None and kind == open_grid.kind and not ctx.narrative
                and (ctx.title is None or _uncontinued(ctx.title) == _uncontinued(open_grid.title)
                     or (kind != TableKind.other and open_grid.title == kind.value))):
            _append(open_grid, rows, pages, lines)  # title repeated on the next page ("续表")
            continue
        from_header = kind is None and not ctx.unrecognised_title
        if from_header:
            kind = kind_from_header(rows)
        if kind is None and ctx.unrecognised_title and ctx.title is not None and is_generic_title(ctx.title):
            kind = TableKind.other
        if kind is not None and kind in seen and ctx.title is not None:
            # a second table of one kind (按经济分类-政府预算 / -部门预算): the better-fitting title
            # keeps the kind, the other is kept as a generic table
            holder = next((g for g in grids if g.kind == kind), None)
            better = holder is not None and title_fit(kind, ctx.title) > title_fit(kind, holder.title)
            if holder is not None and (holder.from_header or better):
                holder.kind = TableKind.other
                seen.discard(kind)
            else:
                kind = TableKind.other
        if kind is None or kind in seen:
            open_grid = None
            continue
        if kind != TableKind.other:
            seen.add(kind)
        title_block = ctx.title_block or block
        open_grid = Grid(
            kind=kind,
            title=strip_label(ctx.title) if ctx.title else HEADER_KIND_TITLES.get(kind, kind.value),
            label=ctx.label,
            unit=ctx.unit or "万元",
            title_block=title_block,
            org_names=ctx.org_names,
            from_header=from_header,
        )
        _append(open_grid, rows, pages, lines)
        grids.append(open_grid)
    region, empty_grids = _split_title_only_tables(region, seen, last_owned=False)
    if open_grid is not None and read_context(region).empty_note_before_title:
        open_grid.empty_note = True
    grids += empty_grids
    # titles without a single grid are not tables we can read (a layout without tab/ruled
    # tables): refusing beats reporting every table as empty
    return grids if any(g.pieces for g in grids) else []


_CONTINUED_MARK = re.compile(r"[（(]\s*续\s*表?\s*[）)]|续表")


def _uncontinued(title: str) -> str:
    """A title without its label and 续 marks: "表4 一般公共预算支出表（续）" is 一般公共预算支出表."""
    return fold(_CONTINUED_MARK.sub("", strip_label(title)))


def _split_title_only_tables(region: list[Block], seen: set[TableKind], last_owned: bool):
    """Tables printed as a title and 注：本表无数据 without any grid: one empty Grid each.

    A region between two grids is cut at its title lines (with a label line just above);
    the last piece titles the next grid when `last_owned`. A piece with a standard title
    and an empty note is an empty table (empty is not missing); its note then no longer
    reads as belonging to the grid before it. Returns (the rest of the region, the grids)."""
    starts = []
    for i, block in enumerate(region):
        text = clean_cell(block.text)
        body = strip_label(text) if text and not TOC_LINE.search(text) else ""
        if body and TITLE_END.search(fold(body)) and not body.startswith("注"):
            starts.append(i - 1 if i and LABEL.fullmatch(clean_cell(region[i - 1].text)) else i)
    pieces = list(zip(starts, starts[1:] + [len(region)]))
    if last_owned:
        pieces = pieces[:-1]
    grids: list[Grid] = []
    taken: set[int] = set()
    for start, end in pieces:
        piece = region[start:end]
        ctx = read_context(piece)
        if not ctx.title or ctx.title_block is None:  # read_context sets the two together
            continue
        kind = table_kind(ctx.title)
        if kind is None or kind in seen or not any(EMPTY_NOTE.search(clean_cell(b.text)) for b in piece):
            continue
        seen.add(kind)
        taken.update(range(start, end))
        grids.append(Grid(kind=kind, title=strip_label(ctx.title), label=ctx.label, unit=ctx.unit or "万元",
                          title_block=ctx.title_block, org_names=ctx.org_names, empty_note=True))
    return [b for i, b in enumerate(region) if i not in taken], grids


def _append(grid: Grid, rows, pages, lines) -> None:
    if grid.pieces:
        rows, pages, lines = _drop_repeated_header(grid, rows, pages, lines)
    grid.rows += rows
    grid.pages += pages
    grid.lines += lines
    grid.piece += [grid.pieces] * len(rows)
    grid.pieces += 1


def _drop_repeated_header(grid: Grid, rows, pages, lines):
    header_keys = {_row_key(r) for r in grid.rows[:6] if not _is_data_row(r)}
    keep = 0
    while keep < len(rows) and not _is_data_row(rows[keep]) and (
        _row_key(rows[keep]) in header_keys or _is_column_numbers(rows[keep])
    ):
        keep += 1
    return rows[keep:], pages[keep:], lines[keep:]


def _row_key(row: list[str]) -> tuple[str, ...]:
    return tuple(fold(clean_cell(c)) for c in row if c and c.strip())


def _strip_inner_context(block: Block):
    """Leading grid rows that are really the title or 单位名称/单位 lines (some PDFs draw
    them inside the table frame) become context blocks."""
    rows = [[c if c is not None else "" for c in r] for r in block.rows]
    pages = list(block.row_pages) or [block.page] * len(rows)
    lines = list(block.row_lines) or [block.line] * len(rows)
    pages += [block.page] * (len(rows) - len(pages))
    lines += [block.line] * (len(rows) - len(lines))
    inner: list[Block] = []
    while rows:
        cells = [clean_cell(c) for c in rows[0] if c and c.strip()]
        if not cells and len(rows) > 1:  # blank spacer rows around a title drawn in the frame
            rows, pages, lines = rows[1:], pages[1:], lines[1:]
            continue
        if not cells or len(cells) > 2:
            break
        known = all(TITLE_END.search(fold(c)) or ORG_LINE.search(c) or UNIT.search(c) or LABEL.fullmatch(c)
                    for c in cells)
        # "填报单位：X  单位：元" in any wording: a row holding the money unit and no amount is context
        unit_row = any(UNIT.search(c) for c in cells) and not any(re.search(r"\d", c) for c in cells)
        if not (known or unit_row):
            break
        inner += [Block(kind="paragraph", text=c, page=pages[0], line=lines[0]) for c in cells]
        rows, pages, lines = rows[1:], pages[1:], lines[1:]
    return rows, pages, lines, inner


def read_context(region: list[Block]) -> Context:
    ctx = Context()
    title_index = None
    nearest = True  # the text right above the grid (unit lines aside)
    for i in range(len(region) - 1, -1, -1):
        text = clean_cell(region[i].text)
        if not text or TOC_LINE.search(text):
            continue
        if nearest and text.endswith(("：", ":")) and len(text) > LEAD_IN_MIN:
            break  # "…具体项目如下：" right above: the grid belongs to that sentence, no title above it is its own
        nearest = nearest and bool(UNIT.search(text) or _is_furniture(text))
        body = strip_label(text)
        if body and TITLE_END.search(fold(body)) and not body.startswith("注"):
            title_index = i
            ctx.title = body
            # a title wrapped onto a second line: "…项目支出预算表" + "（上年结转）"
            nxt = clean_cell(region[i + 1].text) if i + 1 < len(region) else ""
            if nxt and re.fullmatch(r"[（(][^（）()]{1,12}[)）]", nxt):
                ctx.title += nxt
            ctx.title_block = region[i]
            ctx.unrecognised_title = table_kind(ctx.title) is None
            label = LABEL.match(text)
            if label and label.group("label") != text:
                ctx.label = label.group("label")
            break
    for i, block in enumerate(region):
        text = clean_cell(block.text)
        if not text or TOC_LINE.search(text):
            continue
        if LABEL.fullmatch(text):
            if ctx.label is None or (title_index is not None and i < title_index):
                ctx.label = text  # printed above the title, or else beside/below it
            continue
        if EMPTY_NOTE.search(text) and text.startswith("注") or text in ("本表无数据", "无数据"):
            if title_index is None or i < title_index:
                ctx.empty_note_before_title = True
            continue
        if m := UNIT.search(text):
            ctx.unit = m.group(1)
        if m := ORG_LINE.search(text):
            ctx.org_names.append(clean_cell(m.group("name")))
            continue
        if i == title_index or UNIT.search(text) or _is_furniture(text):
            continue
        ctx.narrative = True
    if ctx.title is not None and ctx.unrecognised_title:
        ctx.narrative = True
    return ctx


def _is_furniture(text: str) -> bool:
    """Page numbers, watermarks, notes: text that may sit between two pages of one table."""
    if PAGE_NUMBER.match(text) or text.startswith("注"):
        return True
    if SECTION.match(text) or TITLE_END.search(fold(text)):
        return False
    return len(text) <= 30 and not re.search(r"[。；]", text)


def kind_from_header(rows: list[list[str]]) -> TableKind | None:
    """Fallback when a grid has no title: the few kinds whose header alone is unambiguous."""
    head = fold("".join(clean_cell(c) for r in rows[:4] for c in r))
    first_col = fold("".join(clean_cell(r[0]) for r in rows[:12] if r))
    if "经济科目" in head or "经济分类" in head:
        return TableKind.basic_expenditure_economic
    if "国有资本经营预算收入" in head or "国有资本经营收入" in head:
        return TableKind.state_capital
    if "因公出国" in first_col and "公务接待" in first_col:
        return TableKind.three_public
    if "项目名称" in head and PROJECT_AMOUNT_HEAD.search(head) and not PROJECT_HEAD_EXCLUDED.search(head):
        return TableKind.projects_current  # "项目支出安排情况如下：" 序号 | 项目名称 | … | 预算金额
    return None


# --- 2. header and columns ----------------------------------------------------------------


@dataclass
class Column:
    index: int
    name: str
    side: str | None = None
    role: str = "value"  # value | code | code_part | name | text


def _is_column_numbers(cells: list[str]) -> bool:
    values = [clean_cell(c) for c in cells if c and c.strip()]
    if values and ROW_NUMBER_HEADER.match(values[0]):
        values = values[1:]  # "栏次 | 1 | 2 | 3 | 4"
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_data_row(raw: list[str]) -> bool:
    cells = [clean_cell(c) for c in raw]
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or _is_column_numbers(cells):
        return False
    if any(parse_amount(c) is not None and not CODE.match(c) and not YEAR.match(c) for c in cells[1:]):
        return True
    if any(CODE.match(c) or CODE_AND_NAME.match(c) for c in cells[:2]):
        return True
    first_index, first = filled[0]
    if first_index > 1:
        return False
    if ORDINAL.match(first):
        return True
    others = [c for _, c in filled[1:]]
    if TOTAL_NAME.search(first) and all(TOTAL_NAME.search(c) or ORDINAL.match(c) for c in others):
        return True
    return len(filled) == 1 and first_index == 0 and not HEADER_WORD.search(first)


def split_header(rows: list[list[str]]) -> int:
    """Number of leading header rows (column-number rows count as header)."""
    for i, row in enumerate(rows):
        if _is_data_row(row):
            return i
    return len(rows)


def _year_stripped(part: str) -> str:
    return re.sub(r"^20\d{2}\s*年?度?", "", part).strip()


def flatten_header(header: list[list[str]], width: int) -> list[list[str]]:
    """Per column, the header parts from top to bottom, with spanning parents filled in."""
    grid = [[clean_cell(c) for c in row] + [""] * (width - len(row)) for row in header if not _is_column_numbers(row)]
    for i, row in enumerate(grid[:-1]):
        for j in range(1, width):
            if row[j] or not row[j - 1]:
                continue
            below = any(grid[k][j] for k in range(i + 1, len(grid)))
            same_parent = all(grid[k][j] == grid[k][j - 1] for k in range(i))
            if below and same_parent:
                row[j] = row[j - 1]
    return [[grid[i][j] for i in range(len(grid))] for j in range(width)]


def make_columns(kind: TableKind, header: list[list[str]], width: int, data: list[list[str]],
                 year: int | None = None) -> list[Column]:
    parts_by_col = flatten_header(header, width)
    boundary = _side_boundary(kind, parts_by_col, data) if kind in TWO_SIDED else None
    columns: list[Column] = []
    for j, parts in enumerate(parts_by_col):
        side = None if boundary is None else ("收入" if j < boundary else "支出")
        name = _column_name(parts, side is not None)
        if kind == TableKind.basic_expenditure_economic:  # "基本支出" over 人员经费/公用经费 restates the table
            name = name.removeprefix(BASIC_PARENT)
        columns.append(Column(index=j, name=name, side=side))
    _assign_roles(kind, columns, data)
    _complete_names(kind, columns)
    _name_other_years(columns, parts_by_col, year)
    if boundary is not None:
        _name_single_amounts(columns)
    elif kind != TableKind.other:  # a generic table keeps its headers as printed
        _name_lone_amount(columns)
    return columns


def _name_other_years(columns: list[Column], parts_by_col: list[list[str]], year: int | None) -> None:
    """Columns of another year printed beside this year's ("2024年预算数 | 2025年预算数") keep
    their year in the name ("2024年/预算数"); this year's drop it, as in a one-year table."""
    years = [{int(y) for p in parts for y in HEADER_YEAR.findall(p)} for parts in parts_by_col]
    printed = set().union(*years) if years else set()
    if len(printed) < 2 and not (year and printed - {year}):
        return
    current = year if year in printed else max(printed)
    for col, found in zip(columns, years):
        other = found - {current}
        if col.role == "value" and other and current not in found:
            col.name = f"{max(other)}年/{col.name}"


def _name_lone_amount(columns: list[Column]) -> None:
    """A one-sided table whose only amount of this year is headed 预算数/金额: that is its 合计."""
    values = [c for c in columns if c.role == "value" and not HEADER_YEAR.match(c.name)
              and re.sub(r"[（(].*$", "", c.name) not in CHANGE_WORDS and not c.name.startswith("上年")]
    if len(values) == 1 and values[0].name in AMOUNT_WORDS and not any(c.name == "合计" for c in columns):
        values[0].name = "合计"


def _name_single_amounts(columns: list[Column]) -> None:
    for side in ("收入", "支出"):
        values = [c for c in columns if c.side == side and c.role == "value"]
        if len(values) == 1 and values[0].name in AMOUNT_WORDS:
            values[0].name = "金额"


def _column_name(parts: list[str], two_sided: bool) -> str:
    parts = [p for p in parts if p]
    deduped: list[str] = []
    for p in parts:
        if not deduped or deduped[-1] != p:
            deduped.append(p)
    if two_sided:  # "收入"/"支出"/"国有资本经营预算收入" over a side: the side says it
        deduped = [p for p in deduped[:-1] if not SIDE_HEADER.match(p)] + deduped[-1:]
    cleaned = [PRINTED_UNIT.sub("", _year_stripped(p)) for p in deduped]  # "预算金额（万元）": the unit is the table's
    leaf = cleaned[-1] if cleaned else ""
    if deduped and not leaf:
        leaf = "金额"  # a bare year header ("2026年") over the amount column
    parents = [PARENT_ALIASES.get(p, p) for p in cleaned[:-1]
               if p and p not in GENERIC_PARENTS and not p.endswith("预算数") and not TABLE_PARENT.match(p)]
    return "/".join(parents + [leaf]) if leaf else ""


def _side_boundary(kind: TableKind, parts_by_col: list[list[str]], data: list[list[str]]) -> int | None:
    seen_value = False
    for j, parts in enumerate(parts_by_col):
        labels = [fold(p) for p in parts if p]
        if labels and ROW_NUMBER_HEADER.match(labels[0]):
            continue  # a 序号 column before the income side
        name_like = any(NAME_HEADER.search(p) or CODE_HEADER.search(p) for p in labels[-2:])
        if j > 0 and seen_value and name_like:
            return j
        if labels and not name_like:
            seen_value = True
    # no header help: the first text column after a numeric one
    for j in range(1, len(parts_by_col)):
        texts = [r[j] for r in data if j < len(r) and clean_cell(r[j]) and parse_amount(r[j]) is None]
        if len(texts) >= 2 and any(parse_amount(r[j - 1]) is not None for r in data if j - 1 < len(r)):
            return j
    return None


def _assign_roles(kind: TableKind, columns: list[Column], data: list[list[str]]) -> None:
    names_seen: dict[str | None, int] = {}
    # project tables may print 单位名称 before 项目名称: the project is the row's name
    preferred = next((c.index for c in columns if kind in PROJECT_KINDS and "项目名称" in c.name), None)
    if preferred is not None:
        names_seen[columns[preferred].side] = 1
    for col in columns:
        if col.index == preferred:
            col.role = "name"
            continue
        leaf = col.name.split("/")[-1]
        cells = [clean_cell(r[col.index]) for r in data if col.index < len(r)]
        filled = [c for c in cells if c]
        numeric = sum(1 for c in filled if parse_amount(c) is not None and not CODE.match(c))
        codes = sum(1 for c in filled if CODE.match(c) or CODE_AND_NAME.match(c))
        if ROW_NUMBER_HEADER.match(leaf):
            col.role = "text"  # 序号 1, 2, 3 … numbers the rows, it is no amount
        elif leaf in CODE_PART_HEADER:
            col.role = "code_part"
        elif ORG_CODE_HEADER.search(leaf) or PROJECT_CODE_HEADER.search(leaf) or (
                filled and sum(1 for c in filled if LONG_IDENTIFIER.fullmatch(c)) * 2 > len(filled)):
            col.role = "text"  # 单位编码 "401001", 项目代码 "530103251100001135201": no 科目编码, no amount
        elif CODE_HEADER.search(leaf) or (codes and codes >= len(filled) - 2 and codes > numeric
                                          and (not leaf or leaf.endswith("科目"))):
            col.role = "code"
        elif NAME_HEADER.search(leaf) or (filled and numeric * 2 < len(filled)):
            count = names_seen.get(col.side, 0)
            col.role = "name" if count == 0 else "text"
            names_seen[col.side] = count + 1
        else:
            col.role = "value"
    _one_code_per_name(columns)


def _one_code_per_name(columns: list[Column]) -> None:
    """Two code columns on a side (部门经济分类 30215 and 政府经济分类 50202, each with its name):
    the row's code is the one printed with the row's name; the other is kept as text."""
    for side in {c.side for c in columns}:
        codes = [c for c in columns if c.side == side and c.role == "code"]
        name = next((c for c in columns if c.side == side and c.role == "name"), None)
        if len(codes) < 2 or name is None:
            continue
        before = [c for c in codes if c.index < name.index]
        paired = before[-1] if before else codes[0]
        for col in codes:
            if col is not paired:
                col.role = "text"


def _complete_names(kind: TableKind, columns: list[Column]) -> None:
    for side in {c.side for c in columns}:
        cols = [c for c in columns if c.side == side]
        canonical = CANONICAL_VALUE_COLUMNS.get(kind, []) if side in (None, "支出") else []
        present = {c.name.split("/")[-1] for c in cols}
        missing = [n for n in canonical if n not in present]
        for col in cols:
            if not col.name:
                if col.role == "value" and missing:
                    col.name = missing.pop(0)
                elif col.role == "name":
                    col.name = "项目"
                else:
                    col.name = f"列{col.index + 1}"


# --- aligning rows narrower than the table -------------------------------------------------


def align_rows(rows: list[list[str]], width: int, fixed: set[int], piece: list[int]) -> list[list[str]]:
    """Pad rows to `width`. A run of rows printed narrower (an exporter dropped empty columns
    on one page) is widened by re-inserting the columns that fit the full-width rows best."""
    full = [r for r in rows if len(r) == width]
    profile = _column_profile(full, width)
    out: list[list[str]] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and len(rows[j]) == len(rows[i]) and piece[j] == piece[i]:
            j += 1
        run = rows[i:j]
        missing = width - len(run[0])
        if missing <= 0 or not full:
            out += [r[:width] + [""] * (width - len(r)) if len(r) < width else r for r in run]
        elif all(_is_merged_total(r) for r in run):
            # "合计" in one cell merged across the code and name columns: the amounts are the
            # table's last columns
            out += [r[:1] + [""] * missing + r[1:] for r in run]
        else:
            drop = _best_insertion(run, width, missing, fixed, profile)
            out += [_widen(r, width, drop) for r in run]
        i = j
    return out


def _is_merged_total(row: list[str]) -> bool:
    cells = [clean_cell(c) for c in row]
    return bool(cells) and bool(TOTAL_NAME.search(cells[0])) and all(
        not c or parse_amount(c) is not None for c in cells[1:])


def _column_profile(rows: list[list[str]], width: int) -> list[tuple[int, int]]:
    profile = []
    for j in range(width):
        cells = [clean_cell(r[j]) for r in rows]
        numeric = sum(1 for c in cells if c and parse_amount(c) is not None)
        text = sum(1 for c in cells if c and parse_amount(c) is None)
        profile.append((numeric, text))
    return profile


def _best_insertion(run, width, missing, fixed, profile) -> tuple[int, ...]:
    candidates = [j for j in range(width) if j not in fixed]
    best, best_score = tuple(range(width - missing, width)), None
    combos = itertools.combinations(candidates, missing)
    for drop in itertools.islice(combos, 3000):
        keep = [j for j in range(width) if j not in drop]
        score = 0
        for row in run:
            for cell, j in zip(row, keep):
                c = clean_cell(cell)
                if not c:
                    continue
                numeric, text = profile[j]
                is_number = parse_amount(c) is not None
                score += (2 if numeric else -2) if is_number else (2 if text else -2)
        if best_score is None or score > best_score or (score == best_score and drop > best):
            best, best_score = drop, score
    return best


def _widen(row: list[str], width: int, drop: tuple[int, ...]) -> list[str]:
    cells = iter(row)
    return ["" if j in drop else next(cells, "") for j in range(width)]


# --- 3. rows ------------------------------------------------------------------------------


def build_table(grid: Grid, doc_id: str, org_names: set[str], year: int | None = None) -> BudgetTable:
    n_header = split_header(grid.rows)
    header = grid.rows[:n_header]
    # a page break inside one block can repeat the header rows between data rows
    header_keys = {_row_key(r) for r in header if not _is_data_row(r)}
    body = [
        (r, p, ln, pc)
        for r, p, ln, pc in zip(
            grid.rows[n_header:], grid.pages[n_header:], grid.lines[n_header:], grid.piece[n_header:]
        )
        if any(c and c.strip() for c in r) and not _is_column_numbers(r)
        and (_is_data_row(r) or _row_key(r) not in header_keys)
    ]
    width = max([len(r) for r in grid.rows] or [0])
    header_width = max([len(r) for r in header] or [0])
    data_rows = [r for r, *_ in body]
    # header-named name/code columns never move when a narrow run is widened
    prelim = make_columns(grid.kind, header, max(header_width, 1), data_rows, year) if header else []
    fixed = {c.index for c in prelim if c.role in ("name", "code", "code_part")} or {0}
    aligned = align_rows(data_rows, width, fixed, [pc for *_, pc in body])
    columns = make_columns(grid.kind, header, width, aligned, year)
    columns = [c for c in columns if c.name and not c.name.startswith("列") or _has_data(aligned, c.index)]
    rows = _table_rows(grid, columns, aligned, body, doc_id)
    if grid.kind in PROJECT_KINDS:
        _flag_project_subtotals(rows, org_names)
    unit, printed_unit = grid.unit, None
    if grid.kind != TableKind.other and grid.unit in PER_WANYUAN:
        _scale(rows, PER_WANYUAN[grid.unit])
        unit, printed_unit = "万元", grid.unit
    has_values = any(v is not None for r in rows for v in r.values.values())
    # a table marked empty that does print amounts is not empty (checks report the contradiction)
    empty = not has_values or (grid.empty_note and not any(v for r in rows for v in r.values.values()))
    if grid.kind == TableKind.other:  # a generic table may hold only text (指标, 说明)
        empty = not rows
    location = Location(document=doc_id, page=grid.title_block.page, line=grid.title_block.line)
    return BudgetTable(
        kind=grid.kind,
        title=grid.title,
        label=grid.label,
        unit=unit,
        printed_unit=printed_unit,
        columns=[c.name if c.side is None else f"{c.side}/{c.name}" for c in columns if c.role in ("value", "text")],
        rows=rows,
        empty=empty,
        empty_note=grid.empty_note,
        location=location,
    )


def _scale(rows: list[TableRow], per_wanyuan: Decimal) -> None:
    """Amounts to 万元; a rate column (增减率（%）) is no amount and stays as printed."""
    for row in rows:
        row.values = {k: v if v is None or _is_rate(k) else to_wanyuan(v, per_wanyuan) for k, v in row.values.items()}


def _is_rate(column: str) -> bool:
    return column.endswith(("率", "%）", "%)", "％）")) or "率（" in column or "率(" in column


def to_wanyuan(value: Decimal, per_wanyuan: Decimal) -> Decimal:
    """An amount printed in 元 (or 千元, 亿元) in 万元, exactly: 371514655.00元 -> 37151.4655万元."""
    return value / per_wanyuan if per_wanyuan >= 1 else value * int(1 / per_wanyuan)


def as_printed(value: Decimal, unit: str) -> Decimal:
    """The inverse of to_wanyuan: a held 万元 amount as the table printed it in `unit`."""
    per = PER_WANYUAN[unit]
    return value * per if per >= 1 else value / int(1 / per)


def _has_data(rows: list[list[str]], j: int) -> bool:
    return any(j < len(r) and clean_cell(r[j]) for r in rows)


def _table_rows(grid: Grid, columns: list[Column], aligned, body, doc_id: str) -> list[TableRow]:
    sides = sorted({c.side for c in columns}, key=lambda s: (s != "收入", s or ""))
    out: list[TableRow] = []
    last_code_parts: dict[str | None, list[str]] = {}
    for cells, (_, page, line, _) in zip(aligned, body):
        location = Location(document=doc_id, page=page, line=line)
        side_rows = [_side_row(cells, [c for c in columns if c.side == s], s, location, last_code_parts) for s in sides]
        total = next((r for r in side_rows if r is not None and r.is_total), None)
        for row in side_rows:
            if row is None:
                continue
            if total is not None and not row.name and not row.code:
                row.name, row.is_total = total.name, True  # 合计 printed once across both sides
            if out and _is_name_continuation(row, out[-1], grid.kind):
                out[-1].name += row.name
                continue
            out.append(row)
    return out


def _side_row(cells, columns: list[Column], side, location, last_code_parts) -> TableRow | None:
    code: str | None = None
    name = ""
    values: dict[str, Decimal | None] = {}
    texts: dict[str, str] = {}
    parts: list[str] = []
    for col in columns:
        raw = cells[col.index] if col.index < len(cells) else ""
        text = clean_cell(raw)
        if col.role == "code":
            if CODE.match(text):
                code = text
            elif m := CODE_AND_NAME.match(text):
                code, name = m.group(1), name or clean_cell(m.group(2))
            elif text and not text.isdigit():  # (a unit's code, 118001, names no row)
                name = name or text  # 合计 printed in the code column
        elif col.role == "code_part":
            parts.append(text)
            if text and not text.isdigit():
                name = name or text  # 合计 printed across the 类/款/项 columns
        elif col.role == "name":
            if not code and (m := CODE_AND_NAME.match(text)):
                code, text = m.group(1), clean_cell(m.group(2))
            if text:
                name = text if not name else name
        elif col.role == "text":
            if text:
                texts[col.name] = text
        else:
            values[col.name] = parse_amount(raw)
    if parts and any(parts):
        code = _code_from_parts(parts, last_code_parts.setdefault(side, ["", "", ""]))
    if not name and not code and not texts and all(v is None for v in values.values()):
        return None
    if not name and not code and any(TOTAL_NAME.fullmatch(t) for t in texts.values()):
        name = next(t for t in texts.values() if TOTAL_NAME.fullmatch(t))  # 合计 printed in the 单位名称 column
    return TableRow(
        side=side,
        code=code,
        name=name,
        values=values,
        texts=texts,
        is_total=bool(TOTAL_NAME.search(name)) and not code,
        location=location,
    )


def _code_from_parts(parts: list[str], last: list[str]) -> str | None:
    """类/款/项 printed in separate columns: "201" "03" "50" -> "2010350"."""
    # a 款/项 printed without its leading zero ("2" for "02") is still two digits
    digits = [("" if not p.isdigit() else p.zfill(2) if i else p) for i, p in enumerate(parts[:3])]
    for i, d in enumerate(digits):
        if d:
            last[i] = d
            for k in range(i + 1, 3):
                last[k] = ""
    depth = max((i for i, d in enumerate(digits) if d), default=-1)
    if depth < 0:
        return None
    code = "".join(last[: depth + 1])
    return code if CODE.match(code) else None


def _is_name_continuation(row: TableRow, previous: TableRow, kind: TableKind) -> bool:
    """A PDF cell wrapped onto its own grid row: only a name fragment, no code, no values."""
    if row.code or row.texts or any(v is not None for v in row.values.values()) or row.side != previous.side:
        return False
    if kind in PROJECT_KINDS:
        return not previous.is_total and not TOTAL_NAME.search(row.name)
    return previous.code is not None and not TOTAL_NAME.search(row.name)


def _flag_project_subtotals(rows: list[TableRow], org_names: set[str]) -> None:
    """Unit-name rows in project tables are subtotals of the projects that follow them."""
    amounts = [_first_value(r) for r in rows]
    for i, row in enumerate(rows):
        if row.is_total:
            continue
        key = fold(row.name)
        if key in org_names:
            row.is_total = True
            continue
        amount = amounts[i]
        if not ORG_SUFFIX.search(row.name) or amount is None:
            continue
        following: list[Decimal] = []
        for j in range(i + 1, len(rows)):
            if rows[j].is_total or fold(rows[j].name) in org_names or ORG_SUFFIX.search(rows[j].name):
                if following:
                    break
                continue
            following.append(amounts[j] or Decimal(0))
        if following and abs(sum(following) - amount) <= TOLERANCE * len(following):
            row.is_total = True


def _first_value(row: TableRow) -> Decimal | None:
    return next(iter(row.values.values()), None) if row.values else None
