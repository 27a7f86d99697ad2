"""One figure of what a document's text states outside the tables: 国有资产 (十一), 绩效管理 (十)
and the 概况 staff/organisation facts. tools/measures.py reads measures through these and
tools/facts.py builds its results from them, so they sit below both."""
from __future__ import annotations

from decimal import Decimal

from core.model import Disclosure
from tools.lookup import doc_source, section_title
from tools.types import Figure, NoData, Source

ASSETS_SECTION = "十一、国有资产占有使用情况"
PERFORMANCE_SECTION = "十、绩效管理情况"
ASSET_FIELDS = {"vehicles_actual": ("实有车辆", "辆"), "vehicles_quota": ("编制车辆", "辆"),
                "office_area": ("办公用房面积", "平方米")}
PERFORMANCE_FIELDS = {"project_count": ("项目个数", "个"), "amount": ("金额", None),
                      "published_count": ("公开项目个数", "个"), "published_amount": ("公开金额", None)}


def assets_source(doc: Disclosure, column: str | None = None) -> Source:
    # callers check doc.assets first; without it the source simply has no page
    loc = doc.assets.location if doc.assets is not None else None
    return doc_source(doc, section=section_title(doc, ASSETS_SECTION, "国有资产"), row="国有资产",
                      column=column, page=loc.page if loc else None, line=loc.line if loc else None)


def no_assets(doc: Disclosure) -> NoData:
    return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"{doc.unit}{doc.year}年预算说明中没有国有资产占有使用情况。")


def no_performance(doc: Disclosure) -> NoData:
    return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"{doc.unit}{doc.year}年预算说明中没有绩效管理情况。")


def asset_figure(doc: Disclosure, field: str, label: str | None = None) -> Figure | NoData:
    if doc.assets is None:
        return no_assets(doc)
    column, unit = ASSET_FIELDS[field]
    value = getattr(doc.assets, field)
    if value is None:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"国有资产占有使用情况中没有写明{column}。")
    return Figure(label=label or column, value=Decimal(value), unit=unit, source=assets_source(doc, column))


def performance_figure(doc: Disclosure, field: str, label: str | None = None) -> Figure | NoData:
    p = doc.performance
    if p is None:
        return no_performance(doc)
    column, unit = PERFORMANCE_FIELDS[field]
    value = getattr(p, field)
    if value is None:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"绩效管理情况中没有写明{column}。")
    return Figure(label=label or column, value=Decimal(value), unit=unit or p.unit,
                  source=performance_source(doc, column))


OVERVIEW_SECTION = "第一部分 概况"
FORM_SECTION = "整体支出绩效目标申报表"
OVERVIEW_UNITS = {"在职人员": "人", "在编人员": "人", "离退休人员": "人", "核定编制": "人", "内设科室": "个",
                  "下属单位": "个"}


def overview_figure(doc: Disclosure, fact: str, label: str | None = None) -> Figure | NoData:
    """A staff/organisation fact of 第一部分 概况 (在职人员, 内设科室, 核定编制 …)."""
    value = doc.overview.facts.get(fact)
    if value is None:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开的概况中没有写明{fact}数。",
                      available=sorted(doc.overview.facts))
    loc = doc.overview.fact_locations.get(fact) or doc.overview.location
    section = FORM_SECTION if fact in doc.overview.fact_locations else OVERVIEW_SECTION
    return Figure(label=label or fact, value=Decimal(value), unit=OVERVIEW_UNITS.get(fact, "个"),
                  source=doc_source(doc, section=section, row="概况", column=fact,
                                    page=loc.page if loc else None, line=loc.line if loc else None))


def performance_source(doc: Disclosure, column: str | None = None) -> Source:
    # callers check doc.performance first; without it the source simply has no page
    loc = doc.performance.location if doc.performance is not None else None
    return doc_source(doc, section=section_title(doc, PERFORMANCE_SECTION, "绩效"), row="绩效管理",
                      column=column, page=loc.page if loc else None, line=loc.line if loc else None)
