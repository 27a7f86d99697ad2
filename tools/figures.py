"""Figure lookup: any table cell, and named measures (收入总计, 基本支出, 三公经费 …)."""
from __future__ import annotations

from core.model import Disclosure
from tools.catalog import Catalog
from tools.lookup import cell_figure, column_key, find_rows, find_table, first_row_figure, usable_table
from tools.measures import canonical_measure, measures, read_breakdown, read_measure, read_parts, resolve_amount
from tools.trace import traced
from tools.types import (
    Ambiguous,
    CellQuery,
    CellResult,
    Figure,
    MeasureInfo,
    MeasureList,
    MeasureQuery,
    MeasureResult,
    NoData,
)


@traced
def lookup_cell(catalog: Catalog, query: CellQuery) -> CellResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    table = usable_table(doc, find_table(doc, query.table), query.table)
    if isinstance(table, NoData):
        return table
    rows = find_rows(table, query.row, side=query.side, unit=doc.unit)
    if not rows:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{table.title}中没有“{query.row}”。",
                      available=[r.code or r.name for r in table.rows])
    distinct = list(dict.fromkeys((r.code or "") + r.name for r in rows))
    if len(distinct) > 1 and not query.row.isdigit():
        return Ambiguous(query=query.row, candidates=distinct,
                         message_zh=f"{table.title}中有多行与“{query.row}”相近：{'、'.join(distinct)}。")
    row = rows[0]
    figure = first_row_figure(doc, table, rows, query.column)
    if not isinstance(figure, Figure):
        return figure
    others = [f for col in row.values if col != figure.source.column
              and isinstance(f := cell_figure(doc, table, row, col, f"{row.name}（{col}）"), Figure)]
    return CellResult(figure=figure, table_title=table.title, row_name=row.name, code=row.code,
                      columns=list(row.values), others=others)


@traced
def lookup_measure(catalog: Catalog, query: MeasureQuery) -> MeasureResult | NoData | Ambiguous:
    """A named measure or anything resolve_amount understands (功能分类 name, code, project)."""
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    name = canonical_measure(query.measure)
    figure = read_measure(doc, name) if name else resolve_amount(doc, query.measure)
    if not isinstance(figure, Figure):
        return figure
    parts = read_parts(doc, name, figure) if name else []
    note = None
    if figure.source.table is None and name and measures()[name]["lookups"][0].get("table"):
        note = "报表中未取到，取自情况说明。"
    return MeasureResult(measure=name or query.measure, figure=figure, parts=parts,
                         breakdown=read_breakdown(doc, name) if name else [], note=note)


def list_measures() -> MeasureList:
    return MeasureList(measures=[
        MeasureInfo(name=name, label=spec.get("label", name), aliases=spec.get("aliases", []),
                    unit=spec.get("unit", "万元"))
        for name, spec in measures().items()])


__all__ = ["lookup_cell", "lookup_measure", "list_measures", "column_key"]
