"""The units a 部门 document covers (本级 and its 下属单位): their rows in the 收入总表 / 支出总表,
which the national template lists by 单位名称 with each unit's 合计 and funding columns.

    r = member_budget(catalog, MemberQuery(unit="青岚县教育局", year=2025, member="青岚县实验幼儿园",
                                           column="事业收入"))
    r.figure.value == Decimal("186.00"); r.share_of_whole  # the unit's share of the 部门 total
    members = member_totals(doc)                            # [(member, Figure of its 合计), …]
"""
from __future__ import annotations

from core.model import BudgetTable, Disclosure, TableKind, TableRow
from tools.catalog import Catalog
from tools.lookup import cell_figure, column_key, key
from tools.measures import derived_percent_figure
from tools.trace import traced
from tools.types import Ambiguous, Figure, MemberQuery, MemberResult, NoData

MEMBER_TABLES = (TableKind.income, TableKind.expenditure)


def member_tables(doc: Disclosure) -> list[tuple[BudgetTable, list[TableRow]]]:
    """The tables listing the document's member units by name, each with those rows."""
    members = {key(m) for m in doc.member_units}
    found = []
    for kind in MEMBER_TABLES:
        table = doc.table(kind)
        rows = [r for r in table.rows if key(r.name) in members] if table is not None and not table.empty else []
        if table is not None and rows:
            found.append((table, rows))
    return found


def member_rows(doc: Disclosure) -> tuple[BudgetTable, list[TableRow]] | None:
    """The first table listing the document's member units by name, with their rows."""
    tables = member_tables(doc)
    return tables[0] if tables else None


def member_totals(doc: Disclosure) -> list[tuple[str, Figure]]:
    """Each listed member unit with its 合计, in table order."""
    found = member_rows(doc)
    if found is None:
        return []
    table, rows = found
    return [(r.name, f) for r in rows if isinstance(f := cell_figure(doc, table, r, None, r.name), Figure)]


@traced
def member_budget(catalog: Catalog, query: MemberQuery) -> MemberResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    listed = [(table, row) for table, rows in member_tables(doc) for row in rows if key(row.name) == key(query.member)]
    if not listed:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年部门预算的报表没有按单位列示“{query.member}”。",
                      available=list(doc.member_units))
    # the first table that has the column asked (收入总表: 事业收入; 支出总表: 基本支出)
    table, row = next(((t, r) for t, r in listed if query.column is None or column_key(r, query.column, t)),
                      listed[0])
    column = column_key(row, query.column, table) if query.column else None
    if query.column and column is None:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{table.title}没有按单位列示“{query.column}”。", available=list(row.values))
    label = f"{row.name}{(column or '合计').split('/')[-1]}"
    figure = cell_figure(doc, table, row, column, label)
    if not isinstance(figure, Figure):
        return figure
    whole = next((cell_figure(doc, table, r, column, f"{doc.unit}{(column or '合计').split('/')[-1]}")
                  for r in table.rows if r.is_total or key(r.name) == key(doc.unit)), None)
    share = (derived_percent_figure(doc, figure, whole, f"{row.name}占部门{(column or '合计').split('/')[-1]}的比例")
             if isinstance(whole, Figure) and whole.value else None)
    return MemberResult(member=row.name, figure=figure, whole=whole if isinstance(whole, Figure) else None,
                        share_of_whole=share)


__all__ = ["member_tables", "member_rows", "member_totals", "member_budget"]
