"""Which 功能科目 grew (or shrank) most against last year: from a table that prints each row's
change (一般公共预算支出表 with “2025年预算数 | 2026年… | 增减”), else from the changes the
情况说明 states item by item ("行政运行（项）…比上年增加15.27万元")."""
from __future__ import annotations

from core.model import Disclosure, TableKind
from parsing.narrative import FUNCTION_PATH_SEPARATOR
from tools.catalog import Catalog
from tools.changes import change_column, stated_figure
from tools.lookup import cell_figure
from tools.rank import CODE_LENGTH
from tools.trace import traced
from tools.types import Ambiguous, Figure, NoData, RankQuery, RankResult, RankRow

LEVEL_NAME = {3: "类", 5: "款", 7: "项"}
PATH_DEPTH = {3: 1, 5: 2, 7: 3}  # "类/款/项" parts of a stated item's subject
CHANGE_TABLES = (TableKind.general_budget_expenditure, TableKind.expenditure)


@traced
def rank_changes(catalog: Catalog, query: RankQuery) -> RankResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    length = CODE_LENGTH.get(query.what, 7)
    what = f"支出功能分类（{LEVEL_NAME[length]}）"
    changes = _table_changes(doc, length) or _stated_changes(doc, length)
    if not changes:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开中，各支出科目比上年的增减既没有列表，也没有逐项说明。")
    shrinking = query.by_change == "减少"
    ranked = sorted(changes, key=lambda pair: pair[1].value, reverse=not shrinking)
    ranked = [pair for pair in ranked if (pair[1].value < 0 if shrinking else pair[1].value > 0)]
    if not ranked:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年没有比上年{query.by_change}的{what}。")
    rows = [RankRow(rank=i, name=name, figure=figure) for i, (name, figure) in enumerate(ranked[:query.n], 1)]
    return RankResult(what=what, rows=rows, count=len(ranked))


def _table_changes(doc: Disclosure, length: int) -> list[tuple[str, Figure]]:
    for kind in CHANGE_TABLES:
        table = doc.table(kind)
        column = change_column(table) if table is not None and not table.empty else None
        if table is None or column is None:
            continue
        found = []
        for row in table.rows:
            if row.code and len(row.code) == length and not row.is_total:
                figure = cell_figure(doc, table, row, column, f"{row.name}比上年增减")
                if isinstance(figure, Figure):
                    found.append((row.name, figure))
        if found:
            return found
    return []




def _stated_changes(doc: Disclosure, length: int) -> list[tuple[str, Figure]]:
    """The 功能科目 items of the 情况说明 with a stated change, at the level asked (by the depth of
    their 类/款/项 path); items stated by one name only when none has a path."""
    items = [s for s in doc.stated if s.change is not None and s.member is None and s.function_item]
    at_level = [s for s in items if s.subject.count(FUNCTION_PATH_SEPARATOR) + 1 == PATH_DEPTH[length]]
    chosen = at_level or [s for s in items if FUNCTION_PATH_SEPARATOR not in s.subject]
    found = []
    for s in chosen:
        name = s.subject.rsplit(FUNCTION_PATH_SEPARATOR, 1)[-1]
        figure = stated_figure(doc, s, "change", f"{name}比上年增减")
        if figure is not None:
            found.append((name, figure))
    return found

