"""Finding tables, rows, columns and cells in one Disclosure, and the Sources that name them.

Names are matched the way people type them: folded (full/half width, quotes, spaces), without
the document's numbering ("一、", "①", "（二）"), exact before contained before fuzzy.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz

from core.model import BudgetTable, Disclosure, TableKind, TableRow
from core.numbers import cn_number
from core.text import fold
from parsing.tables import as_printed
from tools.types import Figure, NoData, Source

MONEY_UNIT = "万元"
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳]|\d+[、.．](?!\d)|[:：])+")
_TABLE_NUMBER = re.compile(r"^(?:预算公开表|部门公开表|单位公开表|公开表|表)([一二三四五六七八九十]+|\d+)$")
TOTAL_NAMES = ("合计", "总计", "部门合计", "单位合计")
TABLE_ORDER = list(TableKind)  # 表一..表十三 in the standard order


def key(text: str | None) -> str:
    """Comparison key of a name: folded, numbering and ①② marks removed."""
    return _NUMBERING.sub("", fold(text or ""))


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part/whole in percent, rounded half-up to 2 decimals as the documents print shares."""
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- tables -----------------------------------------------------------------------------------

def find_table(doc: Disclosure, query: str | TableKind) -> BudgetTable | None:
    if isinstance(query, TableKind):
        return doc.table(query)
    kinds = {k.value: k for k in TableKind if k != TableKind.other}
    if query in kinds:  # a kind by its name is that kind, or absent (上年结转 is not 本年)
        return doc.table(kinds[query])
    q = fold(query)
    for t in doc.tables:
        if q in (fold(t.kind.value), fold(t.kind.name), fold(t.label or "-"), fold(t.title)):
            return t
    m = _TABLE_NUMBER.match(q)
    if m:
        number = cn_number(m.group(1))
        labelled = [t for t in doc.tables if t.label and _label_number(t.label) == number]
        if labelled:
            return labelled[0]
        if number and 1 <= number <= len(TABLE_ORDER):
            return doc.table(TABLE_ORDER[number - 1])
        return None
    q = re.sub(r"^\d{4}年(?:度)?", "", q)
    contained = [t for t in doc.tables if q and (q in fold(t.kind.value) or q in _bare_title(t))]
    if contained:
        return min(contained, key=lambda t: len(t.kind.value))
    containing = [t for t in doc.tables if fold(t.kind.value) in q]
    if containing:
        return max(containing, key=lambda t: len(t.kind.value))
    scored = [(max(fuzz.ratio(q, fold(t.kind.value)), fuzz.ratio(q, _bare_title(t))), t) for t in doc.tables]
    best = max(scored, key=lambda st: st[0], default=(0, None))
    return best[1] if best[0] >= 70 else None


def table_kind(query: str) -> TableKind | None:
    """A table kind from its name in any form ("三公表", "表十", "项目支出预算表（本年预算）")."""
    stub = Disclosure(doc_id="-", source_kind="text", unit="-", year=0, kind="单位", tables=[
        BudgetTable(kind=k, title=k.value, location={"document": "-"}) for k in TableKind])
    table = find_table(stub, query)
    return table.kind if table else None


def _label_number(label: str) -> int | None:
    m = _TABLE_NUMBER.match(fold(label))
    return cn_number(m.group(1)) if m else None


def _bare_title(table: BudgetTable) -> str:
    return re.sub(r"^\d{4}年(?:度)?", "", fold(table.title))


# ---- rows -------------------------------------------------------------------------------------

def total_row(table: BudgetTable, unit: str | None = None) -> TableRow | None:
    """The table's overall total: a 合计/总计 row, else the first is_total row, else a first row
    that names the unit (项目支出预算表 print the unit's total as their first row)."""
    for name in TOTAL_NAMES:
        for row in table.rows:
            if key(row.name) == name:
                return row
    flagged = [r for r in table.rows if r.is_total]
    if flagged:
        return flagged[0]
    if table.rows and unit and key(table.rows[0].name) == key(unit):
        return table.rows[0]
    return None


def find_rows(table: BudgetTable, query: str, side: str | None = None, unit: str | None = None) -> list[TableRow]:
    """Rows named by a 科目编码, a name, or "@total"; the best tier of matches only."""
    rows = [r for r in table.rows if side is None or r.side is None or r.side == side]
    if query == "@total":
        total = total_row(table if side is None else table.model_copy(update={"rows": rows}), unit)
        return [total] if total else []
    q = key(query)
    if not q:
        return []
    if q.isdigit():
        return [r for r in rows if r.code == q]
    tiers = (
        lambda name: name == q,
        lambda name: name.startswith(q) or name.endswith(q),
        lambda name: q in name,
        lambda name: len(name) >= 2 and name in q,
    )
    for test in tiers:
        hits = [r for r in rows if test(key(r.name))]
        if hits:
            return hits
    scored = [(fuzz.ratio(q, key(r.name)), r) for r in rows]
    best = max((s for s, _ in scored), default=0)
    return [r for s, r in scored if s >= 80 and s == best]


def column_key(row: TableRow, query: str | None, table: BudgetTable | None = None) -> str | None:
    """The row's column named by `query` (last header segment, then contained); None query = the
    first column (合计 in every standard table)."""
    keys = list(row.values) or (table.columns if table else [])
    if not keys:
        return None
    # this year's amounts first: not "2024年/预算数" printed beside them, nor 增减额/增减率
    keys = sorted(keys, key=lambda k: not is_this_years_amount(k))
    if query is None:
        return keys[0]
    q = fold(query)
    for test in (lambda k: fold(k) == q,
                 lambda k: fold(k).split("/")[-1] == q,
                 lambda k: fold(k).split("/")[-1].endswith(q),
                 lambda k: q in fold(k)):
        hits = [k for k in keys if test(k)]
        if hits:
            return hits[0]
    if q in TOTAL_COLUMNS:  # "2026年预算数小计" is the year's 合计
        return next((k for k in keys if is_this_years_amount(k) and fold(k).endswith(TOTAL_COLUMNS)), None)
    return None


TOTAL_COLUMNS = ("合计", "总计", "小计")
_OTHER_YEAR = re.compile(r"^20\d{2}年/")


def is_this_years_amount(column: str) -> bool:
    """A column of this year's amounts: not another year's (named "2024年/…" by the parser), not a
    change against it (增减额, 增减率（%）)."""
    return not _OTHER_YEAR.match(column) and "增减" not in column and not column.endswith(("率", "%）", "%)"))


# ---- cells and sources ------------------------------------------------------------------------

def table_name(table: BudgetTable) -> str:
    """How a source names a table: its kind, or for a generic or listed table its title."""
    return table.title if table.kind == TableKind.other or table.listed else table.kind.value


def cell_source(doc: Disclosure, table: BudgetTable, row: TableRow, column: str | None) -> Source:
    return Source(document=doc.doc_id, unit=doc.unit, year=doc.year, table=table_name(table),
                  row=row.code or row.name, column=column,
                  page=row.location.page, line=row.location.line, note=cell_note(doc, table, row, column))


def cell_note(doc: Disclosure, table: BudgetTable, row: TableRow, column: str | None) -> str | None:
    """What a reader of the figure must know about its cell: the amount as printed in 元, and
    that it was read with OCR from a scanned page."""
    notes = [printed_note(table, row, column)]
    if row.location.page in doc.ocr_pages:
        notes.append(f"第{row.location.page}页为扫描页，数字经OCR识别")
    if column in row.ocr_doubt:
        notes.append("识别存疑：该数字未能通过报表间核对，请以原件为准")
    return "；".join(n for n in notes if n) or None


def printed_note(table: BudgetTable, row: TableRow, column: str | None) -> str | None:
    """For a table printed in 元: the amount as printed ("原表以元列示：371514655.00元")."""
    value = row.values.get(column) if column else None
    if not table.printed_unit or value is None:
        return None
    printed = as_printed(value, table.printed_unit).quantize(Decimal("0.01"))
    return f"原表以{table.printed_unit}列示：{printed}{table.printed_unit}，已换算为万元"


def table_source(doc: Disclosure, table: BudgetTable) -> Source:
    return Source(document=doc.doc_id, unit=doc.unit, year=doc.year, table=table_name(table),
                  page=table.location.page, line=table.location.line)


def doc_source(doc: Disclosure, **fields) -> Source:
    return Source(document=doc.doc_id, unit=doc.unit, year=doc.year, **fields)


def derived_source(doc: Disclosure, note: str, **fields) -> Source:
    return Source(document=doc.doc_id, unit=doc.unit, year=doc.year, derived=True, note=note, **fields)


def cell_figure(doc: Disclosure, table: BudgetTable, row: TableRow, column: str | None,
                label: str | None = None) -> Figure | NoData:
    col = column_key(row, column, table)
    if col is None:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{table.title}中“{row.name}”没有“{column}”列。",
                      available=list(row.values), source=cell_source(doc, table, row, None))
    value = row.values.get(col)
    if value is None:
        return NoData(reason="blank", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{table.title}中“{row.name}”的“{col}”为空（未安排）。",
                      source=cell_source(doc, table, row, col))
    return Figure(label=label or row.name, value=value, unit=table.unit or MONEY_UNIT,
                  source=cell_source(doc, table, row, col))


def first_row_figure(doc: Disclosure, table: BudgetTable, rows: list[TableRow], column: str | None,
                     label: str | None = None) -> Figure | NoData:
    """The first row's cell; with the rows that repeat it (one 部门 code printed once per
    政府经济分类 code: 30215 会议费 under 50202 and under 50502) it is their sum."""
    first = rows[0]
    figure = cell_figure(doc, table, first, column, label)
    repeated = [r for r in rows[1:] if r.code == first.code and r.name == first.name and not r.is_total]
    if not isinstance(figure, Figure) or not repeated:
        return figure
    figures = [figure] + [f for r in repeated if isinstance(f := cell_figure(doc, table, r, column, label), Figure)]
    return sum_figures(doc, figures, label or first.name)


def usable_table(doc: Disclosure, table: BudgetTable | None, what: str) -> BudgetTable | NoData:
    """The table, or NoData for an absent or empty one."""
    if table is None:
        return NoData(reason="no_table", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开中没有{what}。")
    if table.empty or not table.rows:
        return NoData(reason="empty_table", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{titled(doc, table)}注明“本表无数据”。",
                      source=table_source(doc, table))
    return table


def titled(doc: Disclosure, table: BudgetTable) -> str:
    """The table's title with the year once: "2026年预算收支总表"."""
    return table.title if re.match(r"^\d{4}年", table.title) else f"{doc.year}年{table.title}"


def sum_figures(doc: Disclosure, figures: list[Figure], label: str) -> Figure:
    """The sum of several figures: itself when there is one, else a derived figure."""
    if len(figures) == 1:
        return figures[0].model_copy(update={"label": label})
    total = sum((f.value for f in figures), Decimal(0))
    terms = " + ".join(f"{f.value}" for f in figures)
    first = figures[0].source  # cited where the first of the rows summed is printed
    return Figure(label=label, value=total, unit=figures[0].unit,
                  source=derived_source(doc, f"推算：{terms} = {total}", table=first.table, row=label,
                                        page=first.page, line=first.line))


def section_title(doc: Disclosure, default: str, *words: str) -> str:
    """The numbered title of the narrative section whose title has all `words`."""
    for s in doc.sections:
        if all(w in s.title for w in words):
            if s.number and not s.title.startswith(s.number):
                sep = "" if s.number.startswith(("（", "(")) else "、"
                return f"{s.number}{sep}{s.title}"
            return s.title
    return default
