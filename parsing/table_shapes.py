"""Bring a table printed in another shape into the shape the checks and tools read.

Some layouts print the “三公”经费 table with its items as columns and one data row
(合计 | 因公出国(境)费 | 公务接待费 | 公务用车购置及运行费: 小计/购置费/运行费), and add the
机关运行经费 as one more column of the same table. The standard shape has one row per item
(value in column 合计) and a 机关运行经费预算表 of its own:

    tables = canonical_shapes(tables)

Every value keeps the location of the cell it was read from.
"""
from __future__ import annotations

import re

from core.model import BudgetTable, TableKind, TableRow
from core.text import fold

TOTAL_COLUMN = "合计"
CAR_PARENT = "公务用车"
OPERATING_COSTS = "机关运行经费"
# columns printed beside the “三公” items that are none of them ("行政经费合计 | 人员经费 | 公用经费 | “三公”经费合计…")
OTHER_SPENDING = ("行政经费", "人员经费", "公用经费")
OTHER_YEAR = re.compile(r"^20\d{2}年/")  # a column of another year, named so by parsing.tables
YEAR = re.compile(r"(20\d{2})\s*年")
YEAR_ROW = re.compile(r"^(20\d{2})\s*年")  # rows of years: "2024年预算数", "2025年预算数"
CHANGE_ROW = re.compile(r"^(?:增减|增长|变动|比上年)")  # "增减额", "增减率（%）"
UNIT_ROW_LEAD = re.compile(r"^其中[：:]\s*")  # "其中：X局本级" is the unit X局本级
# (a word of the column's last header part, the canonical row name, is_total); first match wins.
# "小计" and "合计" under a 公务用车 parent are the car subtotal, not the table's total.
THREE_PUBLIC_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("因公出国", "因公出国（境）费", False),
    ("公务接待", "公务接待费", False),
    ("购置及运行", "公务用车购置及运行费", False),
    ("购置", "①公务用车购置费", False),
    ("运行", "②公务用车运行维护费", False),
    ("会议", "会议费", False),  # "“三公”经费、会议费和培训费支出情况表": rows of their own, outside the 合计
    ("培训", "培训费", False),
    ("合计", "合计", True),
)


def canonical_shapes(tables: list[BudgetTable]) -> list[BudgetTable]:
    out: list[BudgetTable] = []
    for table in tables:
        if table.kind == TableKind.three_public and _items_in_columns(table):
            three_public, operating = _three_public_by_rows(table)
            out.append(three_public)
            if operating is not None and not any(t.kind == TableKind.operating_costs for t in tables):
                out.append(operating)
        else:
            out.append(table)
    return out


def _items_in_columns(table: BudgetTable) -> bool:
    names = [fold(c) for c in table.columns]
    return any("因公出国" in n for n in names) and any("公务接待" in n for n in names)


def _data_row(table: BudgetTable) -> TableRow | None:
    """The row holding the unit's (or department's) amounts: the row of the table's year when
    rows are years ("2024年预算数 | 2025年预算数"), else its total row, else the only row."""
    rows = [r for r in table.rows if any(v is not None for v in r.values.values())]
    by_year = _year_rows(table)
    if by_year:
        titled = YEAR.search(table.title)
        return by_year.get(int(titled.group(1)) if titled else max(by_year)) or by_year[max(by_year)]
    dated = [r for r in rows if _text_year(r) is not None]
    if dated:  # "单位名称 | 年度 | 合计…": the first unit's row (the 部门's) of the table's year
        year = _table_year(table, dated)
        return next((r for r in dated if _text_year(r) == year), None)
    totals = [r for r in rows if r.is_total or not r.name]
    if totals:
        return totals[0]
    return rows[0] if len(rows) == 1 else None


def _year_rows(table: BudgetTable) -> dict[int, TableRow]:
    return {int(m.group(1)): r for r in table.rows if (m := YEAR_ROW.match(r.name or ""))}


def _text_year(row: TableRow) -> int | None:
    """The year a row's text column gives ("年度 | 2025年预算数"), for tables of units by year."""
    return next((int(m.group(1)) for text in row.texts.values() if (m := YEAR_ROW.match(text or ""))), None)


def _table_year(table: BudgetTable, dated: list[TableRow]) -> int:
    titled = YEAR.search(table.title)
    years = {_text_year(r) for r in dated} - {None}
    year = int(titled.group(1)) if titled else max(y for y in years if y is not None)
    return year if year in years else max(y for y in years if y is not None)


def _item_of(column: str) -> tuple[str, bool] | None:
    name = fold(column)
    if OPERATING_COSTS in name or any(w in name for w in OTHER_SPENDING):
        return None
    leaf = name.split("/")[-1]
    if leaf in ("小计", "合计") and CAR_PARENT in name:
        return "公务用车购置及运行费", False
    for word, item, is_total in THREE_PUBLIC_COLUMNS:
        if word in leaf:
            return item, is_total
    return None


def _three_public_by_rows(table: BudgetTable) -> tuple[BudgetTable, BudgetTable | None]:
    source = _data_row(table)
    rows: list[TableRow] = []
    operating: BudgetTable | None = None
    if source is not None:
        this_year = {c: v for c, v in source.values.items() if not OTHER_YEAR.match(c)}
        for column, value in this_year.items():
            if OPERATING_COSTS in fold(column):
                operating = _operating_costs(table, source, value)
                continue
            found = _item_of(column)
            if found is None or any(r.name == found[0] for r in rows):
                continue
            rows.append(TableRow(name=found[0], values={TOTAL_COLUMN: value}, is_total=found[1],
                                 location=source.location))
        rows.sort(key=lambda r: r.is_total)  # items first, 合计 last, as the standard table prints
        _add_other_years(table, source, rows)
        _add_unit_columns(table, source, rows)
    columns = [TOTAL_COLUMN] + [c for c in dict.fromkeys(k for r in rows for k in r.values) if c != TOTAL_COLUMN]
    shaped = table.model_copy(update={"rows": rows, "columns": columns,
                                      "empty": not any(r.values[TOTAL_COLUMN] is not None for r in rows)})
    return shaped, operating


def _add_other_years(table: BudgetTable, source: TableRow, rows: list[TableRow]) -> None:
    """Last year's amounts printed beside this year's ("2025年预算数 | 2026年预算数"), or in a row
    of their own ("2024年预算数"), become the column "2024年/合计" of each item's row."""
    by_item = {r.name: r for r in rows}
    for column, value in source.values.items():
        year = OTHER_YEAR.match(column)
        found = _item_of(column[year.end():]) if year else None
        if year and found is not None and found[0] in by_item:
            by_item[found[0]].values.setdefault(f"{year.group(0)}{TOTAL_COLUMN}", value)
    other_years = list(_year_rows(table).items())
    other_years += [(dated, r) for r in table.rows if (dated := _text_year(r)) is not None and r.name == source.name]
    for year_number, row in other_years:
        if row is source:
            continue
        for column, value in row.values.items():
            found = _item_of(column)
            if found is not None and found[0] in by_item:
                by_item[found[0]].values.setdefault(f"{year_number}年/{TOTAL_COLUMN}", value)


def _add_unit_columns(table: BudgetTable, source: TableRow, rows: list[TableRow]) -> None:
    """A 部门 table with one row per unit: each unit's amounts become a column of its own."""
    by_item = {r.name: r for r in rows}
    year = _text_year(source)
    for unit_row in table.rows:
        if (unit_row is source or unit_row.is_total or not unit_row.name or YEAR_ROW.match(unit_row.name)
                or CHANGE_ROW.match(unit_row.name) or unit_row.name == source.name
                or _text_year(unit_row) != year):  # another year's row of a unit
            continue
        unit = UNIT_ROW_LEAD.sub("", unit_row.name)
        for column, value in unit_row.values.items():
            found = _item_of(column) if not OTHER_YEAR.match(column) else None  # this year's amounts only
            if found is not None and found[0] in by_item:
                by_item[found[0]].values.setdefault(unit, value)


def _operating_costs(table: BudgetTable, source: TableRow, value) -> BudgetTable:
    row = TableRow(name="合计", values={TOTAL_COLUMN: value}, is_total=True, location=source.location)
    return BudgetTable(kind=TableKind.operating_costs, title=table.title, label=table.label, unit=table.unit,
                       printed_unit=table.printed_unit, columns=[TOTAL_COLUMN], rows=[row],
                       empty=value is None, location=table.location)
