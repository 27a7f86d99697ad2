"""Narrative facts: 国有资产 (vehicles, office area, equipment), 政府采购, 绩效管理 summary."""
from __future__ import annotations

from decimal import Decimal

from core.model import Disclosure
from tools.catalog import Catalog
from tools.lookup import derived_source, doc_source, section_title
from tools.measures import PROCUREMENT_SECTION, no_procurement, procurement_figure

# ASSET_FIELDS, PERFORMANCE_FIELDS, overview_figure: also read from here by other modules
from tools.stated_facts import (  # noqa: F401
    ASSET_FIELDS,
    PERFORMANCE_FIELDS,
    asset_figure,
    assets_source,
    no_assets,
    no_performance,
    overview_figure,
    performance_figure,
    performance_source,
)
from tools.trace import traced
from tools.types import (
    TOLERANCE,
    Ambiguous,
    AssetsQuery,
    AssetsResult,
    DocQuery,
    Figure,
    NoData,
    PerformanceResult,
    ProcurementResult,
)


@traced
def state_assets(catalog: Catalog, query: AssetsQuery) -> AssetsResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    if doc.assets is None:
        return no_assets(doc)
    a = doc.assets
    pick = lambda field: f if isinstance(f := asset_figure(doc, field), Figure) else None  # noqa: E731
    by_type = sorted(a.vehicles_by_type.items(), key=lambda kv: kv[1] == 0)
    return AssetsResult(
        as_of=a.as_of, vehicles_actual=pick("vehicles_actual"), vehicles_quota=pick("vehicles_quota"),
        vehicles_by_type=[Figure(label=name, value=Decimal(n), unit="辆", source=assets_source(doc, f"车辆/{name}"))
                          for name, n in by_type],
        office_area=pick("office_area"),
        planned_vehicles=None if a.planned_vehicles is None else Figure(
            label=f"{doc.year}年预算安排购置车辆", value=Decimal(a.planned_vehicles), unit="辆",
            source=assets_source(doc, "预算安排购置车辆")),
        equipment=[Figure(label=name, value=Decimal(n), unit="台（套）", source=assets_source(doc, f"设备/{name}"))
                   for name, n in a.equipment.items()],
        sentences=a.sentences, source=assets_source(doc))


@traced
def procurement(catalog: Catalog, query: DocQuery) -> ProcurementResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    p = doc.procurement
    if p is None:
        return no_procurement(doc)
    labels = {"total": "政府采购预算总额", "goods": "政府采购货物预算", "works": "政府采购工程预算",
              "services": "政府采购服务预算", "sme_reserved": "面向中小企业预留的政府采购预算",
              "small_micro_reserved": "预留给小型和微型企业的政府采购预算"}
    figs = {f: (x if isinstance(x := procurement_figure(doc, f, label), Figure) else None)
            for f, label in labels.items()}
    parts = [fig for f in ("goods", "works", "services") if (fig := figs[f]) is not None]
    parts_sum = agrees = None
    if len(parts) == 3:
        total = sum((x.value for x in parts), Decimal(0))
        parts_sum = Figure(label="货物、工程、服务合计", value=total, unit=p.unit,
                           source=derived_source(doc,
                                                 "推算：" + " + ".join(str(x.value) for x in parts) + f" = {total}",
                                                 section=PROCUREMENT_SECTION, row="政府采购"))
        stated_total = figs["total"]
        agrees = stated_total is not None and abs(stated_total.value - total) <= TOLERANCE
    source = doc_source(doc, section=section_title(doc, PROCUREMENT_SECTION, "政府采购"), row="政府采购",
                        page=p.location.page, line=p.location.line)
    return ProcurementResult(total=figs["total"], goods=figs["goods"], works=figs["works"],
                             services=figs["services"], sme_reserved=figs["sme_reserved"],
                             small_micro_reserved=figs["small_micro_reserved"], parts_sum=parts_sum, agrees=agrees,
                             sentence=p.sentence, source=source)


@traced
def performance_summary(catalog: Catalog, query: DocQuery) -> PerformanceResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    p = doc.performance
    if p is None:
        return no_performance(doc)
    pick = lambda field, label: f if isinstance(f := performance_figure(doc, field, label), Figure) else None  # noqa: E731
    categories = []
    for c in p.categories:
        categories.append({
            "category": c.category,
            "count": (Figure(label=f"{c.category}项目个数", value=Decimal(c.count), unit="个",
                             source=performance_source(doc, f"类别/{c.category}/个数"))
                      if c.count is not None else None),
            "amount": (Figure(label=f"{c.category}项目金额", value=c.amount, unit=p.unit,
                              source=performance_source(doc, f"类别/{c.category}/金额"))
                       if c.amount is not None else None),
        })
    return PerformanceResult(
        project_count=pick("project_count", "纳入绩效目标管理的项目个数"),
        amount=pick("amount", "纳入绩效目标管理的项目金额"),
        categories=categories,
        published_count=pick("published_count", "公开绩效目标的项目个数"),
        published_amount=pick("published_amount", "公开绩效目标的项目金额"),
        target_tables=len(doc.targets), sentence=p.sentence, source=performance_source(doc))
