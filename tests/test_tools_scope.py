"""Tools keep each figure in its own scope: the whole a share is of, the table a breakdown is
read from, the 绩效目标表 an indicator is in, the place a unit name names (line numbers refer
to ../shared/corpus/text/*.md)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from tools import (
    CompareQuery,
    MeasureQuery,
    NoData,
    ShareQuery,
    TargetQuery,
    UnitMatch,
    UnitQuery,
    UnitRef,
    compare_units,
    compute_share,
    lookup_measure,
    project_target,
    resolve_unit,
)
from tools.catalog import Catalog
from tools.projects import indicator_numbers

ADMIN = "晋城经济技术开发区管理委员会"
URBAN = "晋城市城市管理局"
TARGETS = "项目支出绩效目标表"


@pytest.fixture(scope="module")
def catalog(parsed_text) -> Catalog:
    return Catalog(list(parsed_text.values()))


# ---- compare: the difference of the top two ------------------------------------------------------

def test_compare_carries_the_difference_of_the_top_two(catalog):
    result = compare_units(catalog, CompareQuery(
        units=[UnitRef(unit="城管局"), UnitRef(unit="开发区管委会")], measure="三公经费"))
    top, second = (r.figure for r in result.rows[:2])
    diff = result.difference
    assert diff.value == top.value - second.value == D("31.60")  # 32.60 − 1.00
    assert diff.unit == "万元" and diff.source.derived
    assert ADMIN in diff.source.note and URBAN in diff.source.note
    assert str(top.value) in diff.source.note and str(second.value) in diff.source.note


def test_compare_difference_needs_two_figures(catalog):
    one = compare_units(catalog, CompareQuery(units=[UnitRef(unit="城管局")], measure="三公经费"))
    assert one.difference is None
    many = compare_units(catalog, CompareQuery(units=[], measure="政府采购"))
    ranked = [r.figure.value for r in many.rows if r.figure]
    assert many.difference.value == ranked[0] - ranked[1]


# ---- 绩效目标表 sharing one title ------------------------------------------------------------------

def test_targets_sharing_a_title_are_all_returned(catalog):
    result = project_target(catalog, TargetQuery(unit="城管局", project="北石店污水处理厂运营费"))
    assert result.funds_year.value == D("1752400")  # L560
    assert [o.funds_year.value for o in result.others] == [D("20827600"), D("1000000")]  # L594, L628
    lines = {result.source.line} | {o.source.line for o in result.others}
    assert len(lines) == 3
    assert {h.table for h in result.indicators} == {0, 1, 2}


def test_indicator_search_covers_every_table_of_the_title(catalog):
    # 污水处置成本 is only in the second 北石店 table (L620); the first says 污水处理成本
    result = project_target(catalog, TargetQuery(unit="城管局", project="北石店污水处理厂运营费",
                                                 indicator="污水处置成本"))
    hit = result.indicators[0]
    assert hit.value == "2.32元/吨" and hit.table == 1 and hit.number.value == D("2.32")
    assert hit.source.line == 620 and hit.source.line != result.source.line
    assert result.others[hit.table - 1].source.line < hit.source.line
    # 水质达标率: the first table has none, the second and third do (L617, L651)
    quality = project_target(catalog, TargetQuery(unit="城管局", project="北石店污水处理厂运营费",
                                                  indicator="水质达标率"))
    assert {h.source.line for h in quality.indicators} >= {617, 651}


def test_a_single_table_has_no_others(catalog):
    result = project_target(catalog, TargetQuery(unit="审批局", project="政府统一服务经费"))
    assert result.others == [] and all(h.table == 0 for h in result.indicators)


# ---- every number of an 指标值 ---------------------------------------------------------------------

def test_indicator_value_with_a_range_gives_both_numbers(catalog):
    result = project_target(catalog, TargetQuery(unit="工信局", project="困难企业救助资金", indicator="救助标准"))
    hit = result.indicators[0]
    assert hit.value == "2万元至40万元"  # L730
    assert [(n.value, n.unit) for n in hit.numbers] == [(D("2"), "万元"), (D("40"), "万元")]
    assert hit.number.value == D("2") and hit.number.unit == "万元"
    assert hit.numbers[0].source.column != hit.numbers[1].source.column  # each number its own address


@pytest.mark.parametrize("value, numbers", [
    ("≥95%", [("95", "%")]),
    ("3500元/人/月", [("3500", "元/人/月")]),
    ("2-40万元", [("2", "万元"), ("40", "万元")]),
    ("50至57人", [("50", "人"), ("57", "人")]),
    ("1.5元/m 2 /月", [("1.5", "元/m 2 /月")]),
    ("满足", []),
])
def test_indicator_numbers(value, numbers):
    assert [(str(v), u) for v, u in indicator_numbers(value)] == numbers


def test_every_indicator_number_is_in_its_value(catalog):
    for doc in catalog.disclosures:
        for target in doc.targets:
            for ind in target.indicators:
                for value, _ in indicator_numbers(ind.value):
                    assert str(abs(value)) in ind.value.replace(",", ""), (ind.value, value)


# ---- breakdowns in the measure's own table -------------------------------------------------------

@pytest.mark.parametrize("unit, measure, table, parts", [
    ("城管局", "政府性基金支出", "政府性基金支出表", [("项目支出", "14235.34")]),  # 基本支出 blank
    ("城管局", "一般公共预算当年支出", "一般公共预算支出表", [("基本支出", "4484.35"), ("项目支出", "9481.31")]),
    ("开发区管委会", "政府性基金支出", "政府性基金支出表", [("项目支出", "500.00")]),
    ("工信局", "一般公共预算当年支出", "一般公共预算支出表", [("基本支出", "257.48"), ("项目支出", "8861.24")]),
])
def test_breakdown_is_read_from_the_measures_own_table(catalog, unit, measure, table, parts):
    result = lookup_measure(catalog, MeasureQuery(unit=unit, measure=measure))
    assert [(p.label, p.value) for p in result.parts] == [(n, D(v)) for n, v in parts]
    assert all(p.source.table == table for p in result.parts)
    assert sum(p.value for p in result.parts) == result.figure.value


def test_parts_add_up_wherever_they_are_given(catalog):
    for doc in catalog.disclosures:
        for measure in ("支出总计", "一般公共预算当年支出", "政府性基金支出"):
            result = lookup_measure(catalog, MeasureQuery(unit=doc.unit, year=doc.year, measure=measure))
            if isinstance(result, NoData) or not result.parts or len(result.parts) < 2:
                continue
            assert abs(sum(p.value for p in result.parts) - result.figure.value) <= D("0.03"), (doc.unit, measure)


# ---- a stated share only for the whole asked about -----------------------------------------------

def test_stated_share_must_be_of_the_requested_whole(catalog):
    # L535: 项目支出5695.28万元，占66.76% — of 支出预算, not of 基本支出
    other = compute_share(catalog, ShareQuery(unit="开发区管委会", part="项目支出", whole="基本支出"))
    assert other.stated is None and other.agrees is None and other.computed.value == D("200.86")
    same = compute_share(catalog, ShareQuery(unit="开发区管委会", part="项目支出", whole="支出总计"))
    assert same.stated.value == D("66.76") and same.agrees
    default = compute_share(catalog, ShareQuery(unit="开发区管委会", part="项目支出"))
    assert default.stated.value == D("66.76")
    # 城乡社区支出 92.08% is of 一般公共预算当年支出 (L478), not of 支出总计
    wide = compute_share(catalog, ShareQuery(unit="城管局", part="城乡社区支出", whole="支出总计"))
    assert wide.stated is None


# ---- another place's unit ------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "长治市城市管理局", "长治市城管局", "晋中市城市管理局", "阳城县城市管理局",
    "晋中经济技术开发区管理委员会", "晋中开发区管委会",
])
def test_another_places_unit_is_not_ours(catalog, name):
    result = resolve_unit(catalog, UnitQuery(name=name))
    assert isinstance(result, NoData) and result.reason == "no_unit", result


@pytest.mark.parametrize("name, unit", [
    ("城管局", URBAN), ("开发区管委会", ADMIN), ("晋城市城市管里局", URBAN),
    ("晋城经济技术开发区管里委员会", ADMIN), ("山西省晋城市城市管理局", URBAN),
])
def test_short_forms_and_typos_still_resolve(catalog, name, unit):
    result = resolve_unit(catalog, UnitQuery(name=name))
    assert isinstance(result, UnitMatch) and result.unit == unit
