"""The measures compare_units can read for at least one loaded unit: named measures, shares and
each 支出功能分类 类 (by code, so names never collide) — the menu of a comparison.

    options = comparable_measures(catalog, ComparableQuery())
    options.measures[0].label, options.measures[0].measure      # "收入总计", "income_total"
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.catalog import Catalog
from tools.compare import compare_units
from tools.figures import list_measures
from tools.measures import function_class_rows, share_measures
from tools.trace import traced
from tools.types import CompareQuery

FUNCTION_CLASS_LABEL = "功能分类：{code} {name}"


class ComparableQuery(BaseModel):
    with_value_only: bool = Field(default=True, description="只列出至少一个单位有数值的指标")


class MeasureOption(BaseModel):
    label: str  # shown in a menu, unique
    measure: str  # what CompareQuery.measure takes: a measure name, a share name or a 类 code
    units_with_value: int  # loaded documents giving a value for it


class MeasureOptions(BaseModel):
    kind: Literal["measure_options"] = "measure_options"
    measures: list[MeasureOption]


def candidates(catalog: Catalog) -> dict[str, str]:
    """Menu label -> measure, before checking that any document has a value."""
    out = {m.label: m.name for m in list_measures().measures}
    out.update({name: name for name in share_measures()})
    classes: dict[str, str] = {}
    for doc in catalog.disclosures:
        for row in function_class_rows(doc)[1]:
            classes.setdefault(row.code, row.name)
    for code, name in sorted(classes.items()):
        out[FUNCTION_CLASS_LABEL.format(code=code, name=name)] = code
    return out


@traced
def comparable_measures(catalog: Catalog, query: ComparableQuery) -> MeasureOptions:
    options = []
    for label, measure in candidates(catalog).items():
        result = compare_units(catalog, CompareQuery(units=[], measure=measure))
        count = sum(r.figure is not None for r in result.rows)
        if count or not query.with_value_only:
            options.append(MeasureOption(label=label, measure=measure, units_with_value=count))
    return MeasureOptions(measures=options)


__all__ = ["ComparableQuery", "MeasureOption", "MeasureOptions", "comparable_measures", "FUNCTION_CLASS_LABEL"]
