"""parse_narrative on another province's layout: three real Shanghai (普陀区) disclosures.

Their 情况说明 is not numbered 一..十二 under 第三部分 but titled (2025年单位预算编制说明,
其他相关情况说明 with 一、二、… inside, …项目经费情况说明), states totals against 上年预算 or
上年预算执行数, lists the budget per 功能科目 and words 三公, 政府采购, 绩效 and 国有资产 its own way.
Every expected figure below was read from the PDF's text (pdfplumber page.extract_text()).
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

REAL_OTHER = Path(__file__).resolve().parents[1].parent / "shared/corpus/real-other"
COMMERCE = "shanghai-putuo-commerce-commission-2025-unit"
OFFICE = "shanghai-putuo-district-govt-office-2025-dept"
WANLI = "shanghai-putuo-wanli-subdistrict-2024-dept"
DOCS = (COMMERCE, OFFICE, WANLI)

pytestmark = pytest.mark.skipif(not REAL_OTHER.is_dir(), reason="../shared/corpus/real-other is absent")


@pytest.fixture(scope="module")
def narratives():
    """doc_id -> Narrative, each PDF read once for the module."""
    from parsing.narrative import parse_narrative
    from parsing.parse import read_blocks

    return {doc: parse_narrative(read_blocks(REAL_OTHER / f"{doc}.pdf")[0], doc) for doc in DOCS}


def stated(narrative, subject):
    found = [f for f in narrative.stated if f.subject == subject]
    assert len(found) == 1, f"{subject}: {len(found)} figures"
    return found[0]


# ---------------------------------------------------------------- sections

SECTIONS = {
    COMMERCE: ["2025年单位预算编制说明", "其他相关情况说明", "2025年“三公”经费预算情况说明", "机关运行经费预算",
               "政府采购预算情况", "绩效目标设置情况", "国有资产占有使用情况"],
    OFFICE: ["2025年部门预算编制说明", "其他相关情况说明", "2025年“三公”经费预算情况说明", "机关运行经费预算",
             "政府采购预算情况", "绩效目标设置情况", "国有资产占有使用情况",
             "区政府督查及建议提案工作业务经费项目经费情况说明"],
    WANLI: ["2024年部门预算编制说明", "其他相关情况说明", "2024年“三公”经费预算情况说明", "机关运行经费预算",
            "政府采购预算情况", "绩效目标设置情况", "国有资产占有使用情况", "项目经费情况说明"],
}


@pytest.mark.parametrize("doc", DOCS)
def test_titled_sections_are_sections(narratives, doc):
    sections = narratives[doc].sections
    assert [s.title for s in sections] == SECTIONS[doc]
    assert all(s.part == "情况说明" for s in sections)
    inside = [s for s in sections if s.parent == "其他相关情况说明"]
    assert [s.number for s in inside] == ["一", "二", "三", "四", "五"]
    assert all(s.number is None and s.parent is None for s in sections if s not in inside)


@pytest.mark.parametrize("doc", DOCS)
def test_sections_stop_at_the_tables_and_keep_their_text(narratives, doc):
    by_title = {s.title: s for s in narratives[doc].sections}
    plan = next(s for s in by_title.values() if s.title.endswith("预算编制说明"))
    assert plan.text.startswith(f"{doc[-9:-5]}年，上海市普陀区")
    assert "预算总表" not in plan.text and "单位：元" not in plan.text  # the tables that follow are not prose
    assert plan.location.page in (6, 7)
    three_public = by_title[SECTIONS[doc][2]]
    assert "“三公”经费预算数为" in three_public.text and "机关运行经费" not in three_public.text
    projects = [s for s in by_title.values() if s.title.endswith("项目经费情况说明")]
    for project in projects:  # the project's 一、二、… stay inside its text
        assert "一、项目概" in project.text and "二、立项依据" in project.text


# ---------------------------------------------------------------- 编制说明 totals

# subject -> (value, change, direction, change_base)
TOTALS = {
    COMMERCE: {
        "预算收入总计": (D("37151.47"), None, None, None),
        "财政拨款收入": (D("37151.47"), D("24558.18"), "增加", "上年预算执行数"),
        "事业收入": (D("0"), None, None, None),
        "事业单位经营收入": (D("0"), None, None, None),
        "其他收入": (D("0"), None, None, None),
        "预算支出总计": (D("37151.47"), None, None, None),
        "财政拨款支出": (D("37151.47"), D("24491.71"), "增加", "上年预算"),
        "一般公共预算拨款支出": (D("37151.47"), D("24491.71"), "增加", "上年预算"),
        "政府性基金拨款支出": (D("0"), D("0"), "持平", "上年预算执行数"),
        "国有资本经营预算拨款支出": (D("0"), D("0"), "持平", "上年预算执行数"),
    },
    OFFICE: {
        "预算收入总计": (D("9101.68"), None, None, None),
        "财政拨款收入": (D("9101.68"), D("-2389.52"), "减少", "上年预算"),
        "事业收入": (D("0"), None, None, None),
        "事业单位经营收入": (D("0"), None, None, None),
        "其他收入": (D("0"), None, None, None),
        "预算支出总计": (D("9101.68"), None, None, None),
        "财政拨款支出": (D("9101.68"), D("-2389.52"), "减少", "上年预算"),
        "一般公共预算拨款支出": (D("9101.68"), D("-2389.52"), "减少", "上年预算"),
        "政府性基金拨款支出": (D("0"), D("0"), "持平", "上年预算"),
        "国有资本经营预算拨款支出": (D("0"), D("0"), "持平", "上年预算"),
    },
    WANLI: {
        "预算收入总计": (D("15621.11"), None, None, None),
        "财政拨款收入": (D("15621.11"), D("-876.75"), "减少", "上年预算"),
        "事业收入": (D("0"), None, None, None),
        "事业单位经营收入": (D("0"), None, None, None),
        "其他收入": (D("0"), None, None, None),
        "预算支出总计": (D("15621.11"), None, None, None),
        "财政拨款支出": (D("15621.11"), D("-876.75"), "减少", "上年预算"),
        "一般公共预算拨款支出": (D("15621.11"), D("-876.75"), "减少", "上年预算"),
        "政府性基金拨款支出": (D("0"), D("0"), "持平", "上年预算"),
        "国有资本经营预算拨款支出": (D("0"), D("0"), "持平", "上年预算"),
    },
}
SHARED_REASON = {
    COMMERCE: "主要原因是：政策资金项目预算增加，根据实际工作安排编制预算",
    OFFICE: "主要原因是项目调整",
    WANLI: "主要原因是项目调整",
}


@pytest.mark.parametrize("doc", DOCS)
def test_totals_with_change_and_its_base(narratives, doc):
    for subject, (value, change, direction, base) in TOTALS[doc].items():
        figure = stated(narratives[doc], subject)
        got = (figure.value, figure.change, figure.direction, figure.change_base)
        assert got == (value, change, direction, base), subject
        assert figure.unit == "万元" and figure.section.endswith("预算编制说明")


@pytest.mark.parametrize("doc", DOCS)
def test_a_reason_sentence_shared_by_the_figures_it_names(narratives, doc):
    # "财政拨款收入支出增加的主要原因是：…" names 财政拨款收入 and 财政拨款支出, no other figure
    n = narratives[doc]
    assert stated(n, "财政拨款收入").reason == SHARED_REASON[doc]
    assert stated(n, "财政拨款支出").reason == SHARED_REASON[doc]
    assert stated(n, "政府性基金拨款支出").reason is None  # 持平: the sentence explains a change


# ---------------------------------------------------------------- 功能科目 items

ITEM_COUNTS = {COMMERCE: 16, OFFICE: 12, WANLI: 33}


def items(narrative):
    return [f for f in narrative.stated if "/" in f.subject]


@pytest.mark.parametrize("doc", DOCS)
def test_every_function_item_is_read_and_they_add_up(narratives, doc):
    found = items(narratives[doc])
    assert len(found) == ITEM_COUNTS[doc]
    assert all(len(f.subject.split("/")) == 3 and f.used_for for f in found)
    total = stated(narratives[doc], "财政拨款支出").value
    assert abs(sum(f.value for f in found) - total) <= D("0.05")  # rounding of 元 to 万元


def test_function_item_with_level_markers_and_its_use(narratives):
    found = items(narratives[COMMERCE])
    first = found[0]
    assert first.subject == "一般公共服务支出/商贸事务/行政运行"
    assert first.value == D("938.99") and first.used_for == "机关行政运行和机关人员经费支出"
    assert (first.change, first.change_percent, first.prior, first.direction) == (None, None, None, None)
    # mixed brackets "（款)" and a thousands separator
    big = next(f for f in found if f.subject.endswith("/其他支持中小企业发展和管理支出"))
    assert big.subject == "资源勘探工业信息等支出/支持中小企业发展和管理支出/其他支持中小企业发展和管理支出"
    assert big.value == D("29381.00") and big.used_for == "支持中小企业发展和管理，产业扶持政策支出"
    assert stated(narratives[COMMERCE], "住房保障支出/住房改革支出/购房补贴").value == D("148.80")


def test_function_item_as_a_dashed_path(narratives):
    found = items(narratives[OFFICE])
    assert found[0].subject == "一般公共服务支出/政府办公厅（室）及相关机构事务/行政运行"
    assert found[0].value == D("1202.95") and found[0].used_for == "行政单位的基本支出"
    other = stated(narratives[OFFICE],
                   "一般公共服务支出/政府办公厅（室）及相关机构事务/其他政府办公厅（室）及相关机构事务支出")
    assert other.value == D("2012")


# subject -> (value, prior execution, change percent, direction, reason)
WANLI_ITEMS = {
    "一般公共服务支出/统计信息事务/专项普查活动": (D("25.77"), D("60.13"), D("-57.14"), "减少", "主要原因是：项目调整"),
    "一般公共服务支出/组织事务/一般行政管理事务": (D("88.87"), D("60.79"), D("46.19"), "增加",
                                         "主要原因是：组织事务一般行政管理事务经费增加"),
    "教育支出/其他教育支出/其他教育支出": (D("25.00"), D("0.00"), D("100.00"), "增加", "主要原因是：项目调整"),
    "科学技术支出/科学技术普及/科普活动": (D("10.00"), D("10.00"), None, "持平", "主要原因是：科普活动经费保持不变"),
    "社会保障和就业支出/行政事业单位养老支出/机关事业单位基本养老保险缴费支出": (
        D("460.85"), D("357.56"), D("28.89"), "增加", "主要原因是：机关事业单位基本养老保险缴费支出经费增加"),
    "城乡社区支出/城乡社区管理事务/行政运行": (
        D("1660.32"), D("1899.77"), D("-12.60"), "减少", "主要原因是：行政运行经费减少"),
    "住房保障支出/城乡社区住宅/其他城乡社区住宅支出": (D("217.72"), D("217.72"), None, "持平",
                                           "主要原因是：其他城乡社区住宅支出经费保持不变"),
}


def test_function_items_against_last_years_execution(narratives):
    n = narratives[WANLI]
    for subject, (value, prior, percent, direction, reason) in WANLI_ITEMS.items():
        figure = stated(n, subject)
        assert (figure.value, figure.prior, figure.change_percent, figure.direction, figure.reason) == (
            value, prior, percent, direction, reason), subject
        assert figure.change_base == "上年预算执行数"
        assert figure.change == (D("0") if direction == "持平" else None)  # only a percent is stated
    found = items(n)
    assert all(f.prior is not None and f.direction and f.reason and f.change_base == "上年预算执行数" for f in found)
    assert stated(n, "一般公共服务支出/统计信息事务/专项普查活动").used_for == "专项普查活动"


def test_a_function_item_restated_with_another_amount_keeps_both(narratives):
    # "“…住房公积金（项）”350.35万元 … 2024年预算安排352.67万元": the document contradicts itself
    figure = stated(narratives[WANLI], "住房保障支出/住房改革支出/住房公积金")
    assert (figure.value, figure.value_restated, figure.prior) == (D("350.35"), D("352.67"), D("348.52"))
    same = [f for f in items(narratives[WANLI]) if f.value_restated is not None and f.value_restated != f.value]
    assert same == [figure]


# ---------------------------------------------------------------- 三公 and 机关运行经费

# subject -> (value, change, direction, reason)
THREE_PUBLIC = {
    COMMERCE: {
        "“三公”经费": (D("1.00"), D("0"), "持平", None),
        "因公出国（境）费": (D("0"), D("0"), "持平", "主要原因是此部分预算由区外办统一安排"),
        "公务用车购置及运行费": (D("0"), D("0"), "持平", "主要原因是无公务用车车辆"),
        "公务用车购置费": (D("0"), D("0"), "持平", "主要原因是无公务用车车辆"),
        "公务用车运行维护费": (D("0"), D("0"), "持平", "主要原因是无公务用车车辆"),
        # "公务接待费1.00万元。与2024年预算持平，…": the change opens the next sentence
        "公务接待费": (D("1.00"), D("0"), "持平", "主要原因是根据本单位实际业务需求开展公务接待"),
    },
    OFFICE: {
        "“三公”经费": (D("867.50"), D("0"), "持平", None),
        "因公出国（境）费": (D("839"), D("0"), "持平", None),
        "公务用车购置及运行费": (D("0"), D("0"), "持平", None),
        "公务用车购置费": (D("0"), D("0"), "持平", None),
        "公务用车运行维护费": (D("0"), D("0"), "持平", None),
        "公务接待费": (D("28.50"), D("0"), "持平", None),
    },
    WANLI: {
        "“三公”经费": (D("47.91"), D("25"), "增加", None),
        "因公出国（境）费": (D("0"), D("0"), "持平", "主要原因是因公出国（境）费保持不变"),
        "公务用车购置及运行费": (D("46.56"), D("25"), "增加", "主要原因是购置公务用车"),
        "公务用车购置费": (D("25"), D("25"), "增加", "主要原因是购置公务用车"),
        "公务用车运行维护费": (D("21.56"), D("0"), "持平", "主要原因是公务车用车运行费保持不变"),
        "公务接待费": (D("1.35"), D("0"), "持平", "主要原因是公务接待费保持不变"),
    },
}
OPERATING_COSTS = {COMMERCE: D("171.01"), OFFICE: D("213.28"), WANLI: D("443.18")}


@pytest.mark.parametrize("doc", DOCS)
def test_three_public_items_with_change_and_reason(narratives, doc):
    for subject, (value, change, direction, reason) in THREE_PUBLIC[doc].items():
        figure = stated(narratives[doc], subject)
        got = (figure.value, figure.change, figure.direction, figure.reason)
        assert got == (value, change, direction, reason), subject
        assert figure.change_base == "上年预算" and figure.section.startswith("一、")


@pytest.mark.parametrize("doc", DOCS)
def test_operating_costs(narratives, doc):
    figure = stated(narratives[doc], "机关运行经费")
    assert figure.value == OPERATING_COSTS[doc] and figure.change is None
    assert figure.section == "二、机关运行经费预算"


@pytest.mark.parametrize("doc", DOCS)
def test_every_stated_figure_is_recognised_once(narratives, doc):
    n = narratives[doc]
    expected = len(TOTALS[doc]) + ITEM_COUNTS[doc] + len(THREE_PUBLIC[doc]) + 1
    assert len(n.stated) == expected
    assert all(isinstance(f.value, D) for f in n.stated)
    assert n.shares == []  # these documents state no 占X%


# ---------------------------------------------------------------- 政府采购, 绩效, 国有资产

# (total, goods, works, services, sme_reserved, small_micro_reserved)
PROCUREMENT = {
    COMMERCE: (D("38.20"), D("7.80"), D("0"), D("30.40"), None, None),
    OFFICE: (D("34"), D("0"), D("0"), D("34"), D("34"), D("34")),
    WANLI: (D("1662.44"), D("93.98"), D("815.87"), D("752.59"), D("664.98"), D("465.49")),
}
# (project_count, amount, unit_count)
PERFORMANCE = {COMMERCE: (25, D("11381.60"), None), OFFICE: (11, D("6626"), 1), WANLI: (50, D("5634.81"), 2)}
VEHICLE_TYPES = ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                 "特种专业技术用车", "离退休干部用车", "其他用车"]
# (as_of, vehicles_actual, 其他用车, planned_vehicles, planned 其他用车)
ASSETS = {
    COMMERCE: ("2024年8月31日", 0, 0, 0, 0),
    OFFICE: ("2024年8月31日", 0, 0, 0, 0),
    WANLI: ("2023年8月31日", 7, 7, 1, 1),
}


@pytest.mark.parametrize("doc", DOCS)
def test_procurement_with_the_sme_reserve(narratives, doc):
    p = narratives[doc].procurement
    assert (p.total, p.goods, p.works, p.services, p.sme_reserved, p.small_micro_reserved) == PROCUREMENT[doc]
    assert p.location.page in (21, 22, 32)


@pytest.mark.parametrize("doc", DOCS)
def test_performance_project_count_and_amount(narratives, doc):
    perf = narratives[doc].performance
    assert (perf.project_count, perf.amount, perf.unit_count) == PERFORMANCE[doc]
    assert perf.published_count is None and perf.categories == []


@pytest.mark.parametrize("doc", DOCS)
def test_assets_held_and_planned(narratives, doc):
    a = narratives[doc].assets
    as_of, actual, other, planned, planned_other = ASSETS[doc]
    assert (a.as_of, a.vehicles_actual, a.vehicles_quota, a.office_area) == (as_of, actual, None, None)
    assert list(a.vehicles_by_type) == VEHICLE_TYPES and a.vehicles_by_type["其他用车"] == other
    assert sum(a.vehicles_by_type.values()) == actual
    assert a.equipment == {"100万元以上设备": 0}
    assert a.planned_vehicles == planned and a.planned_vehicles_by_type["其他用车"] == planned_other
    assert list(a.planned_vehicles_by_type) == VEHICLE_TYPES
    assert a.planned_equipment == {"100万元以上设备": 0}
