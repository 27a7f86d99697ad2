"""Every tool on the four shared documents, with values read from the documents themselves
(line numbers refer to ../shared/corpus/text/*.md)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from tools import (
    Ambiguous,
    AssetsQuery,
    CellQuery,
    ChangeQuery,
    CodeQuery,
    CompareQuery,
    DocQuery,
    MeasureQuery,
    NoData,
    ProjectQuery,
    RankQuery,
    ShareQuery,
    TargetQuery,
    TermQuery,
    ThreePublicQuery,
    UnitMatch,
    UnitQuery,
    UnitRef,
    VerifyQuery,
    compare_units,
    compute_share,
    define_term,
    explain_code,
    find_project,
    find_unit_mentions,
    list_measures,
    list_units,
    lookup_cell,
    lookup_measure,
    performance_summary,
    procurement,
    project_target,
    rank_items,
    resolve_unit,
    state_assets,
    stated_change,
    three_public,
    verify_figure,
)
from tools.catalog import Catalog

ADMIN = "晋城经济技术开发区管理委员会"
URBAN = "晋城市城市管理局"
APPROVAL = "晋城经济技术开发区行政审批局"
INDUSTRY = "晋城市城区工业和信息化局"


@pytest.fixture(scope="module")
def catalog(parsed_text) -> Catalog:
    return Catalog(list(parsed_text.values()))


def value(result) -> D:
    assert not isinstance(result, (NoData, Ambiguous)), result
    return result.figure.value


# ---- units ---------------------------------------------------------------------------------------

def test_list_units(catalog):
    units = {u.unit: u for u in list_units(catalog).units}
    assert set(units) == {ADMIN, URBAN, APPROVAL, INDUSTRY}
    assert units[URBAN].years == [2025] and units[ADMIN].years == [2026]
    assert units[APPROVAL].kind == "部门"


@pytest.mark.parametrize("name, unit", [
    (ADMIN, ADMIN), ("开发区管委会", ADMIN), ("经开区管委会", ADMIN), ("管委会", ADMIN),
    ("城管局", URBAN), ("城市管理局", URBAN), ("晋城市城管局", URBAN),
    ("工信局", INDUSTRY), ("城区工信局", INDUSTRY), ("工业和信息化局", INDUSTRY),
    ("审批局", APPROVAL), ("开发区行政审批局", APPROVAL), ("行政审批局", APPROVAL),
    ("晋城市开发区管委会", ADMIN), ("山西省晋城市城市管理局", URBAN),
    ("晋城市城市管里局", URBAN),  # a typo
])
def test_resolve_unit_names(catalog, name, unit):
    match = resolve_unit(catalog, UnitQuery(name=name))
    assert isinstance(match, UnitMatch) and match.unit == unit


@pytest.mark.parametrize("name, short", [
    ("银川市兴庆区农业农村和水务局", "兴庆区农水局"), ("昌吉市人力资源和社会保障局", "昌吉人社局"),
    ("大连市甘井子区住房和城乡建设局", "甘井子住建局"), ("吉州区文化和旅游局", "文旅局"),
])
def test_a_name_joined_by_he_is_said_by_its_parts_first_characters(name, short):
    from core.model import Disclosure
    from tools.catalog import Catalog

    held = Catalog([Disclosure(doc_id="d", source_kind="text", unit=name, year=2026, kind="单位")])
    match = resolve_unit(held, UnitQuery(name=short))
    assert isinstance(match, UnitMatch) and match.unit == name


def test_resolve_unit_ambiguous_and_unknown(catalog):
    amb = resolve_unit(catalog, UnitQuery(name="开发区"))
    assert isinstance(amb, Ambiguous) and set(amb.candidates) == {ADMIN, APPROVAL}
    # other units, not held: another city, the city-level bureau, a district-level bureau
    for name in ("太原市教育局", "晋城市财政局", "晋城市工信局", "晋城市审批局", "晋城市城区城市管理局"):
        missing = resolve_unit(catalog, UnitQuery(name=name))
        assert isinstance(missing, NoData) and missing.reason == "no_unit" and URBAN in missing.available


def test_unit_mentions_in_questions(catalog):
    found = find_unit_mentions(
        catalog, "开发区管委会、城市管理局、开发区行政审批局、城区工信局这四个单位中，谁的政府采购预算总额最大？"
    )
    assert [m.unit for m in found.mentions] == [ADMIN, URBAN, APPROVAL, INDUSTRY]
    # 老城管委会经费 is a project of the 工信局, not the 管委会
    found = find_unit_mentions(catalog, "晋城市城区工业和信息化局老城管委会经费的商户满意度指标是多少？")
    assert [m.unit for m in found.mentions] == [INDUSTRY]


def test_missing_year_is_typed(catalog):
    result = lookup_measure(catalog, MeasureQuery(unit="城管局", year=2023, measure="收入总计"))
    assert isinstance(result, NoData) and result.reason == "no_year" and result.available == ["2025"]


# ---- figures -------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit, measure, expected, table", [
    (ADMIN, "收入总计", "8530.80", "收支总表"),  # L111
    (ADMIN, "基本支出", "2835.51", "支出总表"),  # L185
    (ADMIN, "项目支出", "5695.28", "支出总表"),
    (ADMIN, "公用经费", "443.28", "一般公共预算基本支出分经济科目表"),  # L351
    (ADMIN, "政府性基金", "500.00", "收支总表"),
    (ADMIN, "公共安全支出", "1373.65", "支出总表"),  # L205
    (ADMIN, "三公经费", "32.60", "三公经费支出预算表"),  # L435
    (URBAN, "收入总计", "28278.81", "收支总表"),  # L117
    (URBAN, "本年收入合计", "28201.00", "收支总表"),
    (URBAN, "上年结转", "77.81", "收支总表"),
    (URBAN, "一般公共预算", "13965.66", "收支总表"),  # L84
    (URBAN, "人员经费", "3955.20", "一般公共预算基本支出分经济科目表"),  # L279
    (URBAN, "机关运行经费", "529.14", "机关运行经费预算表"),  # L383
    (APPROVAL, "收入总计", "389.23", "收支总表"),
    (APPROVAL, "住房公积金", "21.30", "支出总表"),
    (INDUSTRY, "收入总计", "9799.45", "收支总表"),
    (INDUSTRY, "国有资本经营预算", "575.28", "收支总表"),  # L138
    (INDUSTRY, "机关运行经费", "25.53", "机关运行经费预算表"),  # L451
    (INDUSTRY, "上年结转", "105.45", "收支总表"),
    (INDUSTRY, "资源勘探工业信息等支出", "8498.25", "支出总表"),
])
def test_measures_from_tables(catalog, unit, measure, expected, table):
    result = lookup_measure(catalog, MeasureQuery(unit=unit, measure=measure))
    assert value(result) == D(expected) and str(value(result)) == expected
    assert result.figure.source.table == table and result.figure.source.line


def test_measures_from_the_narrative(catalog):
    assert value(lookup_measure(catalog, MeasureQuery(unit="开发区管委会", measure="政府采购"))) == D("2423.93")
    assert value(lookup_measure(catalog, MeasureQuery(unit="城管局", measure="政府采购"))) == D("5024.31")
    assert value(lookup_measure(catalog, MeasureQuery(unit="开发区管委会", measure="公务用车实有数"))) == 8
    assert value(lookup_measure(catalog, MeasureQuery(unit="审批局", measure="办公用房面积"))) == 92
    assert value(lookup_measure(catalog, MeasureQuery(unit="工信局", measure="在职人员"))) == 16
    assert value(lookup_measure(catalog, MeasureQuery(unit="审批局", measure="核定编制"))) == 9


def test_measure_parts(catalog):
    result = lookup_measure(catalog, MeasureQuery(unit="城管局", measure="预算收入总计"))
    assert [p.value for p in result.parts] == [D("28201.00"), D("77.81")]
    result = lookup_measure(catalog, MeasureQuery(unit="开发区管委会", measure="三公经费"))
    assert [(p.label, p.value) for p in result.parts] == [
        ("公务接待费", D("1.00")), ("公务用车购置及运行费", D("31.60"))
    ]


def test_measure_breakdown_names_the_codes(catalog):
    fund = lookup_measure(catalog, MeasureQuery(unit="开发区管委会", measure="政府性基金预算收入"))
    assert [(f.label, f.value) for f in fund.breakdown] == [("1030148 国有土地使用权出让收入", D("500.00"))]  # L391
    carry = lookup_measure(catalog, MeasureQuery(unit="工信局", measure="上年结转"))
    assert [(f.label, f.value) for f in carry.breakdown] == [("2150517 产业发展", D("105.45"))]  # L207
    urban = lookup_measure(catalog, MeasureQuery(unit="城管局", measure="政府性基金"))
    assert sum(f.value for f in urban.breakdown) == urban.figure.value == D("14235.34")


@pytest.mark.parametrize("unit, measure, reason", [
    ("审批局", "政府性基金支出", "empty_table"),  # L271-280
    ("开发区管委会", "国有资本经营预算支出", "empty_table"),  # L407-418
    ("开发区管委会", "机关运行经费", "empty_table"),  # L437-447
    ("城管局", "国有资本经营预算支出", "empty_table"),
    ("审批局", "三公经费", "empty_table"),
    ("审批局", "财政专户管理资金", "blank"),  # 收支总表 四、财政专户管理资金 is blank, not 0
    ("审批局", "政府性基金", "empty_table"),  # blank in 收支总表, and 表七 says 本表无数据
    ("工信局", "不存在的东西", "no_item"),
])
def test_missing_figures_are_typed_not_zero(catalog, unit, measure, reason):
    result = lookup_measure(catalog, MeasureQuery(unit=unit, measure=measure))
    assert isinstance(result, NoData) and result.reason == reason and result.message_zh


def test_lookup_cell(catalog):
    cell = lookup_cell(catalog, CellQuery(unit="审批局", table="表六", row="合计", column="人员经费"))
    assert value(cell) == D("185.20") and cell.figure.source.line == 238
    cell = lookup_cell(catalog, CellQuery(unit="审批局", table="支出总表", row="2080505"))
    assert value(cell) == D("18.06") and cell.code == "2080505"
    assert {f.value for f in cell.others} == {D("18.06")}
    cell = lookup_cell(catalog, CellQuery(unit="开发区管委会", table="政府性基金收入表", row="1030148"))
    assert value(cell) == D("500.00") and cell.row_name == "国有土地使用权出让收入"
    cell = lookup_cell(catalog, CellQuery(unit="城管局", table="收支总表", row="城乡社区支出", column="上年结转安排",
                                          side="支出"))
    assert value(cell) == D("77.81")
    blank = lookup_cell(catalog, CellQuery(unit="城管局", table="三公经费支出预算表", row="因公出国（境）费"))
    assert isinstance(blank, NoData) and blank.reason == "blank" and blank.source.line
    assert isinstance(lookup_cell(catalog, CellQuery(unit="城管局", table="表十", row="不存在")), NoData)


def test_list_measures_is_data():
    names = {m.name for m in list_measures().measures}
    assert {"收入总计", "基本支出", "三公经费", "机关运行经费", "政府采购", "上年结转"} <= names


# ---- change --------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit, subject, change, pct, prior", [
    ("开发区管委会", "收入总计", "-7442.70", "-46.59", "15973.50"),  # L525
    ("开发区管委会", "一般公共预算当年支出", "-7940.88", "-49.73", "15968.33"),  # L546
    ("城管局", "收入总计", "10053.83", "55.17", "18224.98"),  # L453
    ("城管局", "一般公共预算当年支出", "2316.57", "19.89", None),  # L474
    ("工信局", "预算收入总计", "379.52", "4.03", None),  # L495
    ("工信局", "一般公共预算当年支出", "274.07", "3.1", None),  # L516 (one decimal in the text)
    ("审批局", "预算总额", "35.12", "9.92", "354.11"),  # L362
    ("城管局", "机关运行经费", "-14.96", "-2.75", "544.10"),  # L501
    ("工信局", "机关运行经费", "2.03", "8.64", "23.50"),  # L540
    ("开发区管委会", "公务接待费", "-3.00", None, "4.00"),  # L569
])
def test_stated_changes(catalog, unit, subject, change, pct, prior):
    result = stated_change(catalog, ChangeQuery(unit=unit, subject=subject))
    assert result.change.value == D(change)
    assert result.direction == ("增加" if D(change) > 0 else "减少")
    if pct:
        assert result.change_percent.value == D(pct) and result.percent_check is None
    if prior:
        assert result.prior.value == D(prior)
        assert result.prior.source.derived and "推算" in result.prior.source.note
    assert result.sentence


def test_change_reasons(catalog):
    result = stated_change(catalog, ChangeQuery(unit="工信局", subject="机关运行经费"))
    assert "1名人员" in result.reason
    result = stated_change(catalog, ChangeQuery(unit="开发区管委会", subject="收入总计"))
    assert "紧日子" in result.reason and "非刚性" in result.reason
    result = stated_change(catalog, ChangeQuery(unit="城管局", subject="收入总计"))
    assert "人员工资调增" in result.reason


def test_change_not_stated(catalog):
    result = stated_change(catalog, ChangeQuery(unit="审批局", subject="公务接待费"))
    assert isinstance(result, NoData) and result.reason == "not_stated"


# ---- shares --------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit, part, whole, part_value, computed, stated", [
    ("开发区管委会", "基本支出", None, "2835.51", "33.24", "33.24"),  # L535
    ("开发区管委会", "一般公共预算", None, "8027.45", "94.10", "94.10"),  # L529
    ("城管局", "政府性基金", None, "14235.34", "50.34", "50.34"),  # L457
    ("城管局", "城乡社区支出", None, "12859.75", "92.08", "92.08"),  # L478, 一般公共预算 口径
    ("工信局", "资源勘探工业信息等支出", None, "8392.80", "92.04", "92.04"),  # L520
    ("审批局", "项目支出", None, "189.09", "48.58", "48.58"),  # L372
    ("审批局", "社会保障和就业支出", None, "29.66", "7.62", "7.62"),  # L389
    ("开发区管委会", "人员经费", None, "2392.23", "84.37", None),  # not stated: computed only
    ("城管局", "公用经费", "基本支出", "529.14", "11.80", None),
    ("工信局", "城投应急周转金", "项目支出预算表（本年预算）合计", "8000.00", "84.78", None),
    ("开发区管委会", "公务用车购置及运行费", None, "31.60", "96.93", None),
    ("开发区管委会", "政府采购服务", None, "2160.50", "89.13", None),
    ("开发区管委会", "基本支出占比", None, "2835.51", "33.24", "33.24"),
])
def test_shares(catalog, unit, part, whole, part_value, computed, stated):
    result = compute_share(catalog, ShareQuery(unit=unit, part=part, whole=whole))
    assert result.part.value == D(part_value)
    assert result.computed.value == D(computed) and result.computed.unit == "%"
    assert result.computed.source.derived
    if stated:
        assert result.stated.value == D(stated) and result.agrees
    else:
        assert result.stated is None and result.agrees is None


def test_share_rounds_half_up():
    from tools.lookup import percent

    assert percent(D("1"), D("8")) == D("12.50")
    assert percent(D("0.125"), D("1")) == D("12.50")
    assert percent(D("0.00125"), D("0.1")) == D("1.25")
    assert percent(D("1.2345"), D("100")) == D("1.23")
    assert percent(D("1.235"), D("100")) == D("1.24")  # half-up, not banker's


# ---- 三公 ----------------------------------------------------------------------------------------

def test_three_public_breakdown(catalog):
    result = three_public(catalog, ThreePublicQuery(unit="开发区管委会"))
    assert result.has_three_public and result.total.value == D("32.60")
    items = {i.item: i for i in result.items}
    abroad = items["因公出国（境）费"]
    assert abroad.current is None  # the table cell is blank (L430)
    assert abroad.stated.value == 0 and abroad.change.value == D("-10.75") and abroad.prior.value == D("10.75")
    assert "无出国" in abroad.reason
    assert items["公务接待费"].current.value == D("1.00") and items["公务接待费"].prior.value == D("4.00")
    car = items["公务用车购置及运行费"]
    assert car.current.value == D("31.60") and car.change.value == D("13.75") and car.prior.value == D("17.85")
    assert car.children == ["公务用车购置费", "公务用车运行维护费"]
    upkeep = items["公务用车运行维护费"]
    assert upkeep.current.value == D("13.60") and upkeep.prior.value == D("17.85") and "集中调度" in upkeep.reason
    assert items["公务用车购置费"].current.value == D("18.00") and "使用年限" in items["公务用车购置费"].reason
    assert result.total_change.direction == "持平" and result.total_change.prior.value == D("32.60")


def test_three_public_single_item(catalog):
    result = three_public(catalog, ThreePublicQuery(unit="城管局"))
    present = [i for i in result.items if i.current is not None]
    assert [(i.item, i.current.value) for i in present] == [("公务接待费", D("1.00"))]
    assert result.total_change.direction == "持平"


@pytest.mark.parametrize("unit", ["审批局", "工信局"])
def test_three_public_none(catalog, unit):
    result = three_public(catalog, ThreePublicQuery(unit=unit))
    assert result.has_three_public is False and result.total is None and result.items == []
    assert "无“三公”经费" in result.none_sentence
    assert result.source.table == "三公经费支出预算表"


# ---- compare, rank -------------------------------------------------------------------------------

def test_compare_three_public_mixed_years(catalog):
    result = compare_units(catalog, CompareQuery(
        units=[UnitRef(unit="开发区管委会", year=2026), UnitRef(unit="城管局", year=2025)], measure="三公经费"))
    assert [(r.rank, r.unit, r.year, r.figure.value) for r in result.rows] == [
        (1, ADMIN, 2026, D("32.60")), (2, URBAN, 2025, D("1.00"))]
    assert result.mixed_years and result.unit_of_value == "万元"


def test_compare_all_units_procurement(catalog):
    result = compare_units(catalog, CompareQuery(units=[], measure="政府采购"))
    assert [r.figure.value for r in result.rows] == [D("5024.31"), D("2423.93"), D("32.97"), D("4.89")]
    table = result.table_rows()
    assert table[0]["单位"] == URBAN and table[0]["排名"] == 1 and table[0]["政府采购预算总额"] == "5024.31"


def test_compare_shares_and_missing(catalog):
    result = compare_units(catalog, CompareQuery(units=[UnitRef(unit="开发区管委会"), UnitRef(unit="审批局")],
                                                 measure="基本支出占比"))
    assert [(r.unit, r.figure.value) for r in result.rows] == [(APPROVAL, D("51.42")), (ADMIN, D("33.24"))]
    assert result.unit_of_value == "%"
    result = compare_units(catalog, CompareQuery(units=[UnitRef(unit="城管局"), UnitRef(unit="工信局")],
                                                 measure="项目支出占比"))
    assert [(r.unit, r.figure.value) for r in result.rows] == [(INDUSTRY, D("97.37")), (URBAN, D("84.14"))]
    result = compare_units(catalog, CompareQuery(units=[UnitRef(unit="城管局"), UnitRef(unit="开发区管委会"),
                                                        UnitRef(unit="太原市教育局")], measure="机关运行经费"))
    assert result.rows[0].figure.value == D("529.14")
    assert result.rows[1].figure is None and result.rows[1].missing.reason == "empty_table"
    assert result.problems[0].reason == "no_unit"
    result = compare_units(catalog, CompareQuery(units=[UnitRef(unit="开发区管委会"), UnitRef(unit="城管局")],
                                                 measure="公务用车实有数"))
    assert [r.figure.value for r in result.rows] == [60, 8] and result.unit_of_value == "辆"


@pytest.mark.parametrize("unit, what, name, amount, count", [
    ("开发区管委会", "projects", "粤港澳大湾区科创中心项目预算资金", "1108.00", 46),  # L478
    ("城管局", "projects", "晋城市清源水务有限公司运营费", "4358.46", 37),  # L418
    ("工信局", "projects", "城投应急周转金", "8000.00", 11),  # L465
    ("审批局", "projects", "政府统一服务经费", "100.00", 5),  # L340
    ("开发区管委会", "functions", "一般公共服务支出", "4495.18", 8),  # L186
    ("工信局", "functions", "资源勘探工业信息等支出", "8498.25", 8),
    ("开发区管委会", "economic", "绩效工资", "823.00", 24),
    ("工信局", "carryover_projects", "2024年战略性新兴产业区级奖补资金（第一批）", "75.45", 2),
])
def test_rank_top(catalog, unit, what, name, amount, count):
    result = rank_items(catalog, RankQuery(unit=unit, what=what, n=3))
    assert result.rows[0].name == name and result.rows[0].figure.value == D(amount)
    assert result.count == count
    assert [r.figure.value for r in result.rows] == sorted((r.figure.value for r in result.rows), reverse=True)


def test_rank_details(catalog):
    second = rank_items(catalog, RankQuery(unit="开发区管委会", n=2)).rows[1]
    assert second.name == "化解期政策兑现资金（第一批）" and second.figure.value == D("654.00")
    top = rank_items(catalog, RankQuery(unit="工信局", n=1))
    assert top.total.value == D("9436.52") and top.rows[0].share_of_total.value == D("84.78")
    grouped = rank_items(catalog, RankQuery(unit="城管局", n=2, group_duplicates=True))
    assert [(r.name, r.figure.value, r.rows) for r in grouped.rows] == [
        ("晋城市清源水务有限公司运营费", D("4958.46"), 2), ("金匠污水处理厂运营费", D("4124.76"), 2)]
    functions = rank_items(catalog, RankQuery(unit="开发区管委会", what="functions", n=2))
    assert functions.rows[1].name == "公共安全支出" and functions.rows[1].code == "204"
    smallest = rank_items(catalog, RankQuery(unit="审批局", n=1, ascending=True))
    assert smallest.rows[0].figure.value == D("3.30")
    assert rank_items(catalog, RankQuery(unit="审批局", what="carryover_projects")).reason == "empty_table"


# ---- projects, targets ---------------------------------------------------------------------------

@pytest.mark.parametrize("unit, name, rows, total", [
    ("城管局", "晋城市餐厨垃圾、城市粪便及污泥处置费", ["200.00", "3474.83"], "3674.83"),  # L397/L403
    ("城管局", "北石店污水处理厂运营费", ["100.00", "2082.76", "175.24"], "2358.00"),
    ("城管局", "金匠污水处理厂运营费", ["300.00", "3824.76"], "4124.76"),
    ("城管局", "城市管理综合行政执法辅助人员经费", ["159.30", "318.60"], "477.90"),
    ("城管局", "春光热电分流职工工资", ["32.25", "96.75"], "129.00"),
    ("城管局", "城市生命线", ["2600.00"], "2600.00"),
    ("城管局", "二水厂滤池顶棚钢夹心泡沫保温板更换项目", ["38.23"], "38.23"),
    ("开发区管委会", "公安分局辅警人员经费", ["376.00"], "376.00"),
    ("开发区管委会", "化解期政策兑现资金", ["654.00", "129.00"], "783.00"),
    ("开发区管委会", "鸿才苑小区消防系统智慧改造提升工程（一期）", ["260.90"], "260.90"),
    ("工信局", "疫情防控物资储备", ["200.00"], "200.00"),
    ("审批局", "金匠工业园区北区区域水资源论证评估经费", ["27.00"], "27.00"),
    ("工信局", "仿制药一致性评价", ["30.00"], "30.00"),
])
def test_find_project(catalog, unit, name, rows, total):
    result = find_project(catalog, ProjectQuery(unit=unit, name=name))
    assert [str(r.figure.value) for r in result.rows] == rows
    assert result.total.value == D(total)
    assert result.total.source.derived == (len(rows) > 1)


def test_find_project_details(catalog):
    result = find_project(catalog, ProjectQuery(unit="开发区管委会", name="化解期政策兑现资金"))
    assert result.names == ["化解期政策兑现资金（第一批）", "化解期政策兑现资金（第二批）"]
    carry = find_project(catalog, ProjectQuery(unit="工信局", name="区级奖补资金"))
    assert carry.rows[0].table == "上年结转" and carry.total.value == D("75.45")
    fund = find_project(catalog, ProjectQuery(unit="开发区管委会", name="晋城市融资担保公司注册资本金"))
    assert [(f.source.column, f.value) for f in fund.rows[0].funding] == [("财政拨款/政府性基金预算", D("500.00"))]
    missing = find_project(catalog, ProjectQuery(unit="工信局", name="不存在的项目"))
    assert isinstance(missing, NoData) and "城投应急周转金" in missing.available


@pytest.mark.parametrize("unit, project, indicator, printed, number", [
    ("开发区管委会", "2026年度党员教育培训经费", "党员满意度", "≥95%", "95"),  # L627
    ("开发区管委会", "公安分局辅警人员经费", "工资发放标准", "3500元/人/月", "3500"),  # L1368
    ("开发区管委会", "天网工程运维经费", "视频监控数", "118路", "118"),  # L1725
    ("审批局", "政府统一服务经费", "免费刻公章", "≤96元/套", "96"),  # L618
    ("审批局", "开发区行政审批局专项业务费", "中介超市运行稳定率", "≥98%", "98"),
    ("城管局", "城市生活垃圾焚烧发电厂飞灰填埋处置费", "飞灰处置成本", "478元/吨", "478"),
    ("城管局", "城管服装采购项目", "服装购置标准", "5136元/人/套", "5136"),
    ("城管局", "金匠污水处理厂运营费", "污水处理成本", "1.67元/吨", "1.67"),
    ("城管局", "北石店污水处理厂运营费", "污水处理成本", "2.32元/吨", "2.32"),
    ("工信局", "城投应急周转金", "服务企业数量", "≥40户", "40"),
    ("工信局", "老城管委会经费", "商户满意度", "≥93%", "93"),
])
def test_project_targets(catalog, unit, project, indicator, printed, number):
    result = project_target(catalog, TargetQuery(unit=unit, project=project, indicator=indicator))
    hit = result.indicators[0]
    assert hit.value == printed and hit.number.value == D(number)
    assert hit.source.table == "项目支出绩效目标表" and hit.source.line


def test_project_target_overview_and_misses(catalog):
    result = project_target(catalog, TargetQuery(unit="审批局", project="金匠工业园区北区区域水资源论证评估经费"))
    assert result.funds_year.value == D("270000") and result.funds_year.unit == "元"  # L491
    assert result.funds_total.value == D("550000") and "9.84平方公里" in result.overview
    assert len(result.indicators) >= 8
    missing = project_target(catalog, TargetQuery(unit="审批局", project="政府统一服务经费", indicator="不存在的指标"))
    assert isinstance(missing, NoData) and missing.reason == "no_item" and missing.available


# ---- assets, procurement, performance ------------------------------------------------------------

def test_assets(catalog):
    admin = state_assets(catalog, AssetsQuery(unit="开发区管委会"))
    assert admin.vehicles_actual.value == 8 and admin.vehicles_quota.value == 8  # L2290
    assert [(f.label, f.value) for f in admin.vehicles_by_type[:2]] == [("应急保障用车", 7), ("执法执勤用车", 1)]
    assert admin.office_area.value == 13998 and admin.office_area.unit == "平方米"
    assert {f.label: f.value for f in admin.equipment}["100万元以上通用设备"] == 1
    urban = state_assets(catalog, AssetsQuery(unit="城管局"))
    assert urban.vehicles_actual.value == 60 and urban.vehicles_quota.value == 0 and urban.as_of == "2024年12月31日"
    assert state_assets(catalog, AssetsQuery(unit="审批局")).office_area.value == 92


@pytest.mark.parametrize("unit, total, goods, works, services", [
    ("开发区管委会", "2423.93", "107.55", "155.88", "2160.50"),
    ("城管局", "5024.31", "96.10", "90.00", "4838.21"),
    ("审批局", "32.97", "1.17", "0", "31.80"),
    ("工信局", "4.89", "4.89", "0", "0"),
])
def test_procurement(catalog, unit, total, goods, works, services):
    result = procurement(catalog, DocQuery(unit=unit))
    assert [str(f.value) for f in (result.total, result.goods, result.works, result.services)] == [
        total, goods, works, services]
    assert result.agrees is True and result.parts_sum.source.derived


@pytest.mark.parametrize("unit, count, amount, categories", [
    ("开发区管委会", 46, "5691.94", [("其他运转类", 33, "2281.68"), ("特定目标类", 13, "3410.26")]),  # L593
    ("城管局", 37, "23716.65", [("其他运转类", 14, "2032.20"), ("特定目标类", 23, "21684.45")]),  # L517-519
    ("工信局", 11, "9436.52", [("其他运转类", 5, "175.00"), ("特定目标类", 6, "9261.52")]),
])
def test_performance_summary(catalog, unit, count, amount, categories):
    result = performance_summary(catalog, DocQuery(unit=unit))
    assert result.project_count.value == count and result.amount.value == D(amount)
    assert [(c["category"], c["count"].value, str(c["amount"].value)) for c in result.categories] == [
        (c, n, a) for c, n, a in categories]


# ---- codes, glossary, verification ---------------------------------------------------------------

@pytest.mark.parametrize("query, unit, code, name, amount", [
    ("2080505", "审批局", "2080505", "机关事业单位基本养老保险缴费支出", "18.06"),
    ("事业运行", "审批局", "2010350", "事业运行", "137.31"),
    ("2120104", "城管局", "2120104", "城管执法", "1685.94"),
    ("2150899", "工信局", "2150899", "其他支持中小企业发展和管理支出", "8080.00"),
    ("2011308", "开发区管委会", "2011308", "招商引资", "1408.00"),
    ("1030178", "城管局", "1030178", "污水处理费收入", "4900.00"),
])
def test_explain_code(catalog, query, unit, code, name, amount):
    result = explain_code(catalog, CodeQuery(code_or_name=query, unit=unit))
    assert (result.code, result.name) == (code, name)
    assert result.amounts[0].value == D(amount)
    assert [lvl.code for lvl in result.path] == [code[:3], code[:5], code]
    assert all(lvl.name for lvl in result.path)


def test_explain_code_path_names_and_misses(catalog):
    result = explain_code(catalog, CodeQuery(code_or_name="2080505"))
    assert [lvl.name for lvl in result.path] == [
        "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"
    ]
    assert len(result.documents) >= 2  # the same code in several units
    assert isinstance(explain_code(catalog, CodeQuery(code_or_name="9999999")), NoData)


@pytest.mark.parametrize("term, unit, words", [
    ("机关运行经费", "城管局", ["公用经费", "参照公务员法"]),  # L3124
    ("财政拨款", "开发区管委会", ["一般公共预算", "政府性基金预算", "国有资本经营预算"]),  # last line
    ("上年结转", "审批局", ["按原规定用途继续使用"]),
    ("单位资金", "工信局", ["财政专户管理资金以外", "事业收入"]),
    ("三公经费", "开发区管委会", ["因公出国", "公务用车购置及运行费", "公务接待费"]),
    ("财政专户管理资金", "城管局", ["教育收费"]),
    ("一般公共预算", "工信局", ["以税收为主体"]),
])
def test_define_term(catalog, term, unit, words):
    result = define_term(catalog, TermQuery(term=term, unit=unit))
    definition = result.definitions[0].definition
    assert all(w in definition for w in words)
    assert result.definitions[0].source.section and result.definitions[0].source.line


def test_term_across_units(catalog):
    result = define_term(catalog, TermQuery(term="基本支出"))
    assert len(result.definitions) == 4 and result.differs is False and result.variants == 1
    assert isinstance(define_term(catalog, TermQuery(term="决算")), NoData)


def test_verify_figures(catalog):
    same = verify_figure(catalog, VerifyQuery(unit="开发区管委会", measure="基本支出"))
    assert same.status == "一致" and same.table.value == same.stated.value == D("2835.51")
    context = verify_figure(catalog, VerifyQuery(unit="城管局", measure="城乡社区支出"))
    assert context.status == "一致" and context.table.source.table == "一般公共预算支出表"  # 12859.75, L478
    narrative_only = verify_figure(catalog, VerifyQuery(unit="城管局", measure="政府采购"))
    assert narrative_only.status == "仅说明" and narrative_only.stated.value == D("5024.31")


def test_verify_flags_rounding_and_disagreement(parsed_text):
    doc = parsed_text["jincheng-etdz-approval-bureau-2026"]
    for delta, status in ((D("0.01"), "尾差"), (D("1.00"), "不一致")):
        stated = [s.model_copy(update={"value": s.value + delta}) if s.subject == "人员经费" else s for s in doc.stated]
        catalog = Catalog([doc.model_copy(update={"stated": stated})])
        result = verify_figure(catalog, VerifyQuery(unit="审批局", measure="人员经费"))
        assert result.status == status and result.difference.value == delta


def test_year_settles_an_ambiguous_name(parsed_text):
    admin = parsed_text["jincheng-etdz-admin-committee-2026"]
    approval = parsed_text["jincheng-etdz-approval-bureau-2026"].model_copy(update={"year": 2025})
    catalog = Catalog([admin, approval])
    assert isinstance(catalog.document("开发区"), Ambiguous)
    assert catalog.document("开发区", 2025).unit == APPROVAL


def test_department_subtotal_rows_are_not_projects(parsed_text):
    """A 部门 table lists each unit's subtotal before its projects (晋城市城市管理局本级, …中心)."""
    from core.model import TableKind, TableRow

    doc = parsed_text["jincheng-etdz-approval-bureau-2026"]
    table = doc.table(TableKind.projects_current)
    projects = [r for r in table.rows if not r.is_total]
    first, rest = projects[:2], projects[2:]

    def subtotal(name, rows):
        values = {col: sum((r.values[col] for r in rows if r.values[col] is not None), D(0)) or None
                  for col in table.columns}
        return TableRow(name=name, values=values, location=rows[0].location)

    dept_rows = [table.rows[0], subtotal(f"{doc.unit}本级", first), *first,
                 subtotal("晋城经济技术开发区政务服务中心", rest), *rest]
    dept = doc.model_copy(update={"tables": [table.model_copy(update={"rows": dept_rows})]})
    result = rank_items(Catalog([dept]), RankQuery(unit=APPROVAL, n=100))
    assert sorted(r.name for r in result.rows) == sorted(r.name for r in projects)
    assert sum(r.figure.value for r in result.rows) == result.total.value == D("189.09")


def test_change_flags_a_percent_that_does_not_fit(parsed_text):
    doc = parsed_text["jincheng-urban-management-bureau-2025"]
    stated = [s.model_copy(update={"change_percent": D("-3.75")}) if s.subject == "机关运行经费" else s
              for s in doc.stated]
    result = stated_change(Catalog([doc.model_copy(update={"stated": stated})]),
                           ChangeQuery(unit="城管局", subject="机关运行经费"))
    assert result.prior.value == D("544.10") and "2.75" in result.percent_check  # 14.96 / 544.10


def test_langchain_tools(catalog):
    from tools.langchain_tools import as_langchain_tools

    tools = {t.name: t for t in as_langchain_tools(catalog)}
    assert {"lookup_measure", "three_public", "compare_units", "find_project", "verify_figure"} <= set(tools)
    out = tools["lookup_measure"].invoke({"unit": "开发区管委会", "measure": "收入总计"})
    assert out["figure"]["value"] == "8530.80" and out["figure"]["source"]["line"] == 111  # exact, not a float
    out = tools["three_public"].invoke({"unit": "审批局"})
    assert out["has_three_public"] is False
    assert tools["list_units"].invoke({})["units"]


def test_income_sources_ranked_with_their_share_of_the_income_total(catalog):
    """收支总表's income side, blank sources left out, shares of 收入总计 (上年结转 included)."""
    result = rank_items(catalog, RankQuery(unit="城管局", what="income_sources", n=10))
    assert result.total.label == "收入总计" and result.total.value == D("28278.81")
    assert [(r.name, r.figure.value, r.share_of_total.value) for r in result.rows] == [
        ("政府性基金预算", D("14235.34"), D("50.34")), ("一般公共预算", D("13965.66"), D("49.39")),
        ("上年结转", D("77.81"), D("0.28"))]
    assert result.rows[0].figure.source.line == 85


def test_a_measure_added_to_the_registry_reads_the_form_row(catalog):
    """在编人员 (overview.on_roll) was added as one entry of prompts/measures.json: the tool reads
    it from the 整体支出绩效目标申报表 and cites that row."""
    result = lookup_measure(catalog, MeasureQuery(unit="审批局", measure="在编人员数"))
    assert result.figure.value == D(9) and result.figure.unit == "人"
    assert result.figure.source.section == "整体支出绩效目标申报表" and result.figure.source.line == 436


def test_a_short_form_that_needs_its_place(catalog):
    """城管 names 晋城市城市管理局 right after its place (晋城城管); alone it is a word of the row
    城管执法 and names no unit (prompts/unit_aliases.json needs_place)."""
    assert catalog.find_unit_mentions("晋城城管今年三公经费多少") == [("晋城市城市管理局", "晋城城管", 0, 4)]
    mentions = catalog.find_unit_mentions("晋城市城市管理局2025年城管执法是多少？")
    assert [(m[0], m[1]) for m in mentions] == [("晋城市城市管理局", "晋城市城市管理局")]
