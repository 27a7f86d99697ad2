"""“三公”经费: the total and each item from the table, with the narrative's change, derived
prior year and reason; a "none" result when the unit has no 三公 budget."""
from __future__ import annotations

import re

from core.model import Disclosure, Section, TableKind
from core.text import fold
from tools.catalog import Catalog
from tools.changes import change_result, find_stated, stated_figure
from tools.lookup import cell_figure, doc_source, find_rows, table_source, total_row
from tools.measures import measures
from tools.trace import traced
from tools.types import Ambiguous, Figure, NoData, ThreePublicItem, ThreePublicQuery, ThreePublicResult

TOTAL = "三公经费"
ITEMS = ["因公出国（境）费", "公务接待费", "公务用车购置及运行费"]
_NONE = re.compile(r"无[“\"]?三公[”\"]?经费")


def _none_sentence(doc: Disclosure) -> tuple[str | None, Section | None]:
    """The narrative's "无“三公”经费" of the unit (not of one of a 部门's member units)."""
    members = [m for m in doc.member_units if m != doc.unit]
    for section in doc.sections:
        if "三公" in section.title:
            for sentence in re.split(r"(?<=[。；])", section.text):
                if any(sentence.strip().startswith(m) for m in members):
                    continue
                if _NONE.search(fold(sentence).replace('"', "")) or _NONE.search(sentence):
                    return sentence.strip(), section
    return None, None


def _item(doc: Disclosure, table, name: str) -> ThreePublicItem:
    rows = find_rows(table, name) if table is not None and not table.empty else []
    current = cell_figure(doc, table, rows[0], "合计", name) if rows else None
    current = current if isinstance(current, Figure) else None
    s = find_stated(doc, name, with_change=False)
    if s is not None and fold(s.subject) != fold(name) and s.subject not in measures()[name].get("subjects", []):
        s = None  # a loose match on a 三公 item would mix items up
    item = ThreePublicItem(item=name, current=current, children=measures()[name].get("parts", []))
    if s is None:
        return item
    change = change_result(doc, s, fallback=current)
    item.stated = stated_figure(doc, s, "value", f"{name}（说明）")
    item.change, item.change_percent, item.direction = change.change, change.change_percent, change.direction
    item.prior, item.reason = change.prior, change.reason
    return item


@traced
def three_public(catalog: Catalog, query: ThreePublicQuery) -> ThreePublicResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    table = doc.table(TableKind.three_public)
    sentence, section = _none_sentence(doc)
    total = None
    if table is not None and not table.empty:
        rows = find_rows(table, "合计") or ([last] if (last := total_row(table)) else [])
        if rows:
            t = cell_figure(doc, table, rows[0], "合计", "“三公”经费合计")
            total = t if isinstance(t, Figure) else None
    if table is not None:
        source = table_source(doc, table)
    elif sentence is not None and section is not None:  # _none_sentence gives both or neither
        source = doc_source(doc, section=section.title, page=section.location.page, line=section.location.line)
    else:
        return NoData(reason="no_table", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开中没有“三公”经费支出预算表。")
    has = total is not None and total.value != 0 and sentence is None
    if not has:
        return ThreePublicResult(unit=doc.unit, year=doc.year, has_three_public=False, total=total,
                                 none_sentence=sentence, source=source)
    items = []
    for name in ITEMS:
        item = _item(doc, table, name)
        items.append(item)
        for child in item.children:
            items.append(_item(doc, table, child))
    stated_total = find_stated(doc, TOTAL)
    total_change = change_result(doc, stated_total, fallback=total) if stated_total else None
    return ThreePublicResult(unit=doc.unit, year=doc.year, has_three_public=True, total=total,
                             total_change=total_change, items=items, source=source)
