"""Cells of the tables no measure is read from (其他报表: 政府采购预算表, 整体支出绩效目标表 …):
found by the name of a row, every value as printed with its source."""
from __future__ import annotations

from core.model import Disclosure, TableKind
from core.text import fold
from tools.catalog import Catalog
from tools.lookup import cell_source, key
from tools.trace import traced
from tools.types import Ambiguous, Figure, GenericQuery, GenericRow, GenericRowsResult, NoData

MIN_NAME = 2  # characters: a shorter name matches too many rows


@traced
def generic_rows(catalog: Catalog, query: GenericQuery) -> GenericRowsResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    wanted = key(query.name)
    found: list[GenericRow] = []
    for table in doc.tables:
        if table.kind != TableKind.other or len(wanted) < MIN_NAME:
            continue
        for row in table.rows:
            if not any(wanted in key(text) for text in (row.name, *row.texts.values())):
                continue  # the name may sit in any text column (年度主要任务 | 任务名称 | …)
            figures = [Figure(label=f"{row.name}（{column}）", value=value, unit=table.unit,
                              source=cell_source(doc, table, row, column))
                       for column, value in row.values.items() if value is not None]
            texts = {fold(c): t for c, t in row.texts.items()}
            found.append(GenericRow(table=table.title, row=row.name, figures=figures, texts=texts))
    if not found:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开的其他报表中没有“{query.name}”。")
    return GenericRowsResult(unit=doc.unit, year=doc.year, rows=found)
