"""Read a figure back from the Disclosure its Source names: the check that every tool answer
is really in the document (used by the property tests and by the audit view).

Table cells are found by table kind + row (科目编码 or name) + column + page/line. Narrative
figures by section field conventions (see tools/types.py): stated figures (row = subject,
column 金额/增减额/增减幅度), shares (column 占比 or 金额), 政府采购 (row 政府采购), 绩效管理,
国有资产 and 项目支出绩效目标表 (table 项目支出绩效目标表, row = project).
"""
from __future__ import annotations

import re
from decimal import Decimal

from core.model import YEAR_FUNDS, Disclosure, TableKind
from tools.catalog import Catalog
from tools.changes import STATED_FIELDS
from tools.measures import PROCUREMENT_FIELDS
from tools.projects import TARGET_TABLE, indicator_numbers
from tools.stated_facts import ASSET_FIELDS, PERFORMANCE_FIELDS
from tools.types import Source

_KINDS = {k.value: k for k in TableKind}


def read_back(catalog: Catalog | list[Disclosure], source: Source) -> Decimal | None:
    """The value at `source` in its document, or None when the source names nothing there.
    Derived sources are not cells: they return None."""
    if source.derived:
        return None
    docs = catalog.by_id if isinstance(catalog, Catalog) else {d.doc_id: d for d in catalog}
    doc = docs.get(source.document)
    if doc is None:
        return None
    if source.table in _KINDS:
        return _cell(doc, source)
    if source.table == TARGET_TABLE:
        return _target(doc, source)
    return _narrative(doc, source)


def _same_place(loc, source: Source) -> bool:
    return (source.line is None or loc.line == source.line) and (source.page is None or loc.page == source.page)


def _cell(doc: Disclosure, source: Source) -> Decimal | None:
    if source.table is None:  # read_back calls this only for a table kind
        return None
    table = doc.table(_KINDS[source.table])
    if table is None:
        return None
    for row in table.rows:
        if (row.code or row.name) == source.row and _same_place(row.location, source) and source.column in row.values:
            return row.values[source.column]
    return None


def _target(doc: Disclosure, source: Source) -> Decimal | None:
    column, nth = _nth_number(source.column or "")
    for t in doc.targets:
        if t.project != source.row:
            continue
        if column in ("实施期资金总额", "年度资金总额"):
            if _same_place(t.location, source):  # several tables may share one project title
                return t.funds_total if column == "实施期资金总额" else t.funds_year
            continue
        if column.startswith(YEAR_FUNDS) and column in t.funds_detail:  # "年度/省级财政资金": a source of the funds
            if _same_place(t.location, source):
                return t.funds_detail[column]
            continue
        for ind in t.indicators:
            if f"{ind.period}/{ind.level3}" == column and _same_place(ind.location, source):
                numbers = indicator_numbers(ind.value)
                return numbers[nth - 1][0] if len(numbers) >= nth else None
    return None


def _nth_number(column: str) -> tuple[str, int]:
    """"实施期/救助标准[2]" -> ("实施期/救助标准", 2): the second number of an 指标值."""
    m = re.fullmatch(r"(.*)\[(\d+)\]", column)
    return (m.group(1), int(m.group(2))) if m else (column, 1)


def _narrative(doc: Disclosure, source: Source) -> Decimal | None:
    column = source.column or ""
    if source.row == "政府采购" and doc.procurement is not None:
        field = {v: k for k, v in PROCUREMENT_FIELDS.items()}.get(column)
        return getattr(doc.procurement, field) if field else None
    if source.row == "国有资产" and doc.assets is not None:
        a = doc.assets
        field = {v[0]: k for k, v in ASSET_FIELDS.items()}.get(column)
        if field:
            value = getattr(a, field)
        elif column.startswith("车辆/"):
            value = a.vehicles_by_type.get(column[3:])
        elif column.startswith("设备/"):
            value = a.equipment.get(column[3:])
        else:
            value = None
        return None if value is None else Decimal(value)
    if source.row == "概况":
        value = doc.overview.facts.get(column)
        return None if value is None else Decimal(value)
    if source.row == "绩效管理" and doc.performance is not None:
        p = doc.performance
        field = {v[0]: k for k, v in PERFORMANCE_FIELDS.items()}.get(column)
        if field:
            value = getattr(p, field)
        elif column.startswith("类别/"):
            _, category, what = column.split("/")
            c = next((c for c in p.categories if c.category == category), None)
            value = None if c is None else (c.count if what == "个数" else c.amount)
        else:
            value = None
        return None if value is None else Decimal(value)
    if column == "占比":
        for s in doc.shares:
            if s.subject == source.row and _same_place(s.location, source):
                return s.percent
    field = {v: k for k, v in STATED_FIELDS.items()}.get(column)
    if field:
        for fact in doc.stated:
            if fact.subject == source.row and _same_place(fact.location, source) and getattr(fact, field) is not None:
                return getattr(fact, field)
        if column == "金额":
            for s in doc.shares:
                if s.subject == source.row and _same_place(s.location, source):
                    return s.value
    return None
