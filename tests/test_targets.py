"""项目支出绩效目标表 -> PerformanceTarget: counts, golden values read from the documents,
and properties that hold for any disclosure."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rapidfuzz import fuzz

from core.model import TableKind
from core.text import fold
from parsing.blocks import Block
from parsing.targets import parse_targets, terms

APPROVAL = "jincheng-etdz-approval-bureau-2026"
ADMIN = "jincheng-etdz-admin-committee-2026"
CHENGQU = "jincheng-chengqu-industry-it-bureau-2025"
URBAN = "jincheng-urban-management-bureau-2025"

# Forms counted by hand in each document (title lines "…项目支出绩效目标表", including the
# typo 市級; the department-wide 整体支出绩效目标申报表 is not one).
FORMS = {CHENGQU: 10, ADMIN: 46, APPROVAL: 5, URBAN: 37}


def all_targets(parsed_text):
    return [(doc_id, t) for doc_id, d in parsed_text.items() for t in d.targets]


def target(parsed_text, doc_id, project, nth=0):
    return [t for t in parsed_text[doc_id].targets if t.project == project][nth]


def indicator(t, period, level3):
    return next(i for i in t.indicators if i.period == period and i.level3 == level3)


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize("doc_id", sorted(FORMS))
def test_one_target_per_form(parsed_text, doc_id):
    assert len(parsed_text[doc_id].targets) == FORMS[doc_id]


def test_count_agrees_with_narrative_except_projects_without_a_form(parsed_text):
    """十、绩效管理: 公开项目绩效目标N个. 城区工信局 states 11 but prints 10 forms: its
    项目支出预算表 lists 业务经费, which has no form. Everywhere the gap is exactly the
    number of budget-table projects with no form."""
    for doc_id, d in parsed_text.items():
        published = d.performance.published_count
        names = [fold(t.project) for t in d.targets]
        rows = [r for r in d.table(TableKind.projects_current).rows if not r.is_total]
        formless = [r.name for r in rows if max(fuzz.ratio(fold(r.name), n) for n in names) < 80]
        assert published - len(d.targets) == len(formless), (doc_id, published, formless)
    assert parsed_text[CHENGQU].performance.published_count == 11


# ---------------------------------------------------------------- golden values


def test_funds_two_periods(parsed_text):
    t = target(parsed_text, APPROVAL, "金匠工业园区北区区域水资源论证评估经费")
    assert (t.funds_total, t.funds_year) == (Decimal("550000"), Decimal("270000"))
    assert t.unit == "元"
    assert t.funds_detail["实施期/市县(区)财政资金"] == Decimal("550000")
    assert t.funds_detail["年度/市县(区)财政资金"] == Decimal("270000")
    assert t.funds_detail["年度/中央财政资金"] == Decimal("0")
    assert t.funds_detail["年度/其他资金"] is None  # printed blank: no value, not zero
    assert (t.attribute, t.duration) == ("延续性项目(阶段开展)", "3年")
    assert t.department == "608-晋城经济技术开发区行政审批局"
    assert t.implementer == "晋城经济技术开发区行政审批局"


def test_indicator_values_as_printed(parsed_text):
    sky_net = target(parsed_text, ADMIN, "天网工程运维经费")
    assert sky_net.funds_year == Decimal("360000")
    for period in ("实施期", "年度"):
        count = indicator(sky_net, period, "视频监控数")
        assert (count.level1, count.level2, count.value) == ("产出指标", "数量指标", "118路")

    police = target(parsed_text, ADMIN, "公安分局辅警人员经费")
    assert police.funds_year == Decimal("3760000")
    assert indicator(police, "年度", "工资发放标准").value == "3500元/人/月"

    approval = target(parsed_text, APPROVAL, "开发区行政审批局专项业务费")
    for period in ("实施期", "年度"):
        stability = indicator(approval, period, "中介超市运行稳定率")
        assert (stability.level2, stability.value) == ("质量指标", "≥98%")
    # the two periods list some indicators in a different order and with different values
    assert indicator(approval, "实施期", "协助窗口业务受理工作费用(按年)").value == "≤27.2万元"
    assert indicator(approval, "年度", "协助窗口业务受理工作费用(按年)").value == "≤27.22万元"


def test_level_names_printed_mid_group(parsed_text):
    """The merged 产出指标/数量指标 cells print their text on the 4th row of the group."""
    t = target(parsed_text, ADMIN, "组织人力资源部党建工作经费")
    printing = indicator(t, "实施期", "印刷装订资料")
    assert (printing.level1, printing.level2, printing.value) == ("产出指标", "数量指标", "≥1000份")


def test_city_form_with_full_width_labels(parsed_text):
    t = target(parsed_text, URBAN, "办公用房修缮")
    assert (t.funds_total, t.funds_year) == (Decimal("3900000"), Decimal("900000"))
    assert t.duration == "2年"
    assert indicator(t, "实施期", "修缮面积").value == "≤2507.55平方米"
    satisfaction = indicator(t, "年度", "执法队员满意度")
    assert (satisfaction.level1, satisfaction.level2, satisfaction.value) == ("满意度指标", "服务对象满意度", ">90%")


def test_amounts_split_from_their_labels(parsed_text):
    # 年度资金总额 printed on the row below its label
    t = target(parsed_text, CHENGQU, "提前下达2025年市级市属国有企业退休人员社会化管理补助资金")
    assert t.funds_year == Decimal("1434420")
    assert t.duration == "99年"  # also on the row below its label
    # 实施期 label cells left blank, amounts still in their column
    lights = target(parsed_text, URBAN, "2025年两节亮化")
    assert lights.funds_detail["实施期/市县(区)财政资金"] == Decimal("5800000")
    assert lights.funds_detail["年度/市县(区)财政资金"] == Decimal("5800000")


def test_blank_amounts_are_none(parsed_text):
    fly_ash = target(parsed_text, URBAN, "城市生活垃圾焚烧发电厂飞灰填埋处置费")
    assert fly_ash.funds_total is None and fly_ash.funds_year == Decimal("3726700")
    old_town = target(parsed_text, CHENGQU, "老城管委会经费")
    assert old_town.funds_total == Decimal("300000") and old_town.funds_year is None


def test_texts_and_goals(parsed_text):
    t = target(parsed_text, APPROVAL, "审批事项办理工作经费")
    assert t.basis.startswith("关于建立开发区投资项目建设领代办工作制度的通知")
    assert t.plan.startswith("根据窗口和企业实际需求")
    assert t.goal_total.startswith("通过购买服务方式完成行政审批事项办理")
    assert t.goal_year.startswith("通过购买服务方式完成行政审批事项办理")
    assert "市县" in target(parsed_text, ADMIN, "联合作战支持中心建设经费").basis  # text, not a fund label


# ---------------------------------------------------------------- properties


def test_every_target_is_complete(parsed_text):
    level1 = {fold(w) for w in terms().level1}
    for doc_id, t in all_targets(parsed_text):
        assert t.project and t.indicators, (doc_id, t.project)
        assert t.location.document == doc_id and t.location.line
        for i in t.indicators:
            assert i.level3 and i.value, (doc_id, t.project, i)
            assert i.period in ("实施期", "年度")
            assert i.level1 is None or fold(i.level1) in level1, (doc_id, t.project, i)
            assert i.location.line


def test_year_within_implementation_period(parsed_text):
    for doc_id, t in all_targets(parsed_text):
        if t.funds_total is not None and t.funds_year is not None:
            assert t.funds_year <= t.funds_total, (doc_id, t.project)


def test_sources_sum_to_totals(parsed_text):
    """中央 + 省级 + 市县(区) + 单位自筹 + 其他 = the period's total, wherever both are printed."""
    checked = 0
    for doc_id, t in all_targets(parsed_text):
        for period, total in (("实施期", t.funds_total), ("年度", t.funds_year)):
            parts = [v for k, v in t.funds_detail.items() if k.startswith(period + "/") and v is not None]
            if total is not None and parts:
                assert sum(parts) == total, (doc_id, t.project, period)
                checked += 1
    assert checked > 150


def test_year_funds_match_project_budget_table(parsed_text):
    """funds_year (元) / 10000 is the 合计 (万元) of a 项目支出预算表 row of the same project.
    Measured: all 90 forms that print a 年度资金总额 match, 90 of 98 forms overall (8 leave
    it blank)."""
    matched = total = 0
    for _doc_id, d in parsed_text.items():
        rows = [
            r
            for kind in (TableKind.projects_current, TableKind.projects_carryover)
            if d.table(kind) is not None
            for r in d.table(kind).rows
            if not r.is_total
        ]
        for t in d.targets:
            total += 1
            if t.funds_year is None:
                continue
            wan = (t.funds_year / 10000).quantize(Decimal("0.01"))
            if any(r.values.get("合计") == wan and fuzz.ratio(fold(r.name), fold(t.project)) >= 70 for r in rows):
                matched += 1
    assert matched / total >= 0.9, (matched, total)


def test_pdf_reads_the_same_targets(parsed_text, pdf_blocks):
    """Same forms from the PDF, including a row cut by a page break (…办结 | 率)."""
    blocks = pdf_blocks(APPROVAL)
    from_pdf = parse_targets(blocks, APPROVAL)
    from_text = parsed_text[APPROVAL].targets

    def comparable(t):
        return t.model_dump(exclude={"location": True, "indicators": {"__all__": {"location"}}})

    assert [comparable(t) for t in from_pdf] == [comparable(t) for t in from_text]
    business = next(t for t in from_pdf if t.project == "开发区行政审批局专项业务费")
    assert indicator(business, "年度", "窗口业务受理工作办结率").location.page == 27


# ---------------------------------------------------------------- other templates


def table(*rows: str) -> Block:
    return Block(kind="table", rows=[r.split("|") for r in rows], line=1, row_lines=list(range(1, len(rows) + 1)))


def test_year_only_form_without_title_line():
    """A 年度-only form (no 实施期 columns); its title printed inside the grid."""
    blocks = [
        Block(kind="paragraph", text="（项目绩效目标表公开情况见附件）", line=1),
        table(
            "某市市級预算部门（单位）项目支出绩效目标表||||",
            "项目名称|示例项目|||",
            "主管部门及代码|001-示例局|实施单位|示例局|",
            "项目资金（元）|年度资金总额：|1,200,000||",
            "|其中：中央财政资金|200,000||",
            "|市县（区）财政资金|1,000,000||",
            "|其他资金|||",
            "年度目标||||",
            "总体目标|完成示例工作。|||",
            "绩效指标|一级指标|二级指标|三级指标|指标值",
            "|产出指标|数量指标|服务人次|≥500人次",
            "|||覆盖街道数|12个",
            "|效益指标|社会效益指标|群众办事便利度|提高",
            "|满意度指标|服务对象满意度指标|群众满意度|≥95%",
        ),
    ]
    (t,) = parse_targets(blocks, "sample")
    assert (t.project, t.implementer, t.funds_total, t.funds_year) == ("示例项目", "示例局", None, Decimal("1200000"))
    assert t.funds_detail == {
        "年度/中央财政资金": Decimal("200000"),
        "年度/市县(区)财政资金": Decimal("1000000"),
        "年度/其他资金": None,
    }
    assert (t.goal_total, t.goal_year) == (None, "完成示例工作。")
    assert [(i.period, i.level1, i.level2, i.level3, i.value) for i in t.indicators] == [
        ("年度", "产出指标", "数量指标", "服务人次", "≥500人次"),
        ("年度", "产出指标", "数量指标", "覆盖街道数", "12个"),
        ("年度", "效益指标", "社会效益指标", "群众办事便利度", "提高"),
        ("年度", "满意度指标", "服务对象满意度指标", "群众满意度", "≥95%"),
    ]


def test_cost_level1_with_its_own_level2():
    """In current forms 成本指标 is a level-1 indicator with 经济成本指标 under it."""
    blocks = [
        Block(kind="paragraph", text="示例县(区)级预算部门(单位)项目支出绩效目标表", line=1),
        table(
            "项目名称|示例项目||||||",
            "项目资金(元)|实施期资金总额:|100|年度资金总额:|100|||",
            "绩效指标|一级指标|二级指标|三级指标|指标值|二级指标|三级指标|指标值",
            "|产出指标|数量指标|培训人数|50人|数量指标|培训人数|50人",
            "|成本指标|经济成本指标|人均培训成本|≤200元/人|经济成本指标|人均培训成本|≤200元/人",
        ),
        Block(kind="paragraph", text="十一、国有资产占有使用情况", line=9),
        table("项目名称|不是目标表"),
    ]
    (t,) = parse_targets(blocks, "sample")
    cost = indicator(t, "年度", "人均培训成本")
    assert (cost.level1, cost.level2, cost.value) == ("成本指标", "经济成本指标", "≤200元/人")
