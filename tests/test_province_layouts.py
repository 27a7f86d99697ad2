"""Layout details of the Jiangxi, Chongqing, Shaanxi, Hubei, Guangxi and Hebei blind documents,
parsed one by one (the questions about them are in tests/test_heldout_blind.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.model import TableKind
from parsing.parse import parse_file
from tests.conftest import ROOT
from tools.changes import table_change


def parsed(folder: str):
    return parse_file(next((ROOT / "tests" / folder).glob("*.md")))


# fixture name -> the folder of its blind document
LAYOUTS = {"jiangxi": "heldout_province12", "chongqing": "heldout_province13", "shaanxi": "heldout_province14",
           "hubei": "heldout_province15", "guangxi": "heldout_province16", "hebei": "heldout_province17",
           "jilin": "heldout_province21", "guizhou": "heldout_province22"}


def _document_fixture(name: str, folder: str):
    @pytest.fixture(scope="module", name=name)
    def document():
        return parsed(folder)
    return document


for _name, _folder in LAYOUTS.items():
    globals()[_name] = _document_fixture(_name, _folder)


def test_forms_named_by_a_line_above_their_grid_are_read_one_by_one(jiangxi):
    forms = {t.project: t for t in jiangxi.targets}
    assert len(forms) == 14
    low_income = forms["城市最低生活保障区级配套资金"]
    assert low_income.funds_year == Decimal("312.00") and low_income.unit == "万元"
    assert low_income.implementer == "吉安市吉州区民政局（本级）"
    assert any(i.level3 == "城市低保保障标准" and i.value == "≥935元/人·月" for i in low_income.indicators)


def test_a_head_printed_as_a_header_row_and_an_indicator_table_by_column(chongqing):
    cleaning = next(t for t in chongqing.targets if t.project == "辖区道路清扫保洁及垃圾清运服务费")
    assert cleaning.funds_year == Decimal("758.60")
    assert cleaning.goal_year and cleaning.goal_year.startswith("通过政府购买服务方式")
    values = {i.level3: i.value for i in cleaning.indicators}
    assert values["道路保洁作业成本"] == "≤5.90元/平方米·年"  # sign, value and unit from three columns
    assert values["清扫保洁面积"] == "128.6万平方米"  # "=" is not printed
    assert all("科目" not in i.level3 for t in chongqing.targets for i in t.indicators)  # the next table is no form


def test_the_better_titled_of_two_tables_of_one_kind_keeps_the_kind(shaanxi):
    basic = shaanxi.table(TableKind.basic_expenditure_economic)
    assert basic is not None and "基本支出" in basic.title and "部门预算" in basic.title
    others = [t.title for t in shaanxi.tables if t.kind == TableKind.other]
    assert sum("经济分类科目-政府预算" in title for title in others) == 2  # kept, as generic tables
    projects = shaanxi.table(TableKind.projects_current)
    assert projects is not None and "专项业务经费" in projects.title


def test_a_member_units_paragraph_states_that_units_figures(jiangxi):
    own = [s for s in jiangxi.stated if s.subject == "项目支出" and s.value == Decimal("1913.10")]
    assert own and all(s.member == "吉安市吉州区民政局（本级）" for s in own)


def test_a_change_printed_beside_last_years_column_is_read_from_its_cells(chongqing):
    change = table_change(chongqing, "2080208")
    assert change is not None and change.subject == "基层政权建设"
    assert (change.current.value, change.change.value, change.prior.value) == (
        Decimal("986.40"), Decimal("57.80"), Decimal("928.60"))
    assert not change.prior.source.derived  # printed in the 2025年 column, not 推算


def test_unmarked_class_items_carry_their_change_and_reason(chongqing):
    community = next(s for s in chongqing.stated if s.subject == "城乡社区支出")
    assert community.change == Decimal("-223.90")
    assert community.reason and "移交区城市管理局" in community.reason


def test_a_total_said_as_a_bare_word_after_the_paragraphs_amount(chongqing):
    # "（一）收入预算：2026年年初预算数4198.44万元，其中：…。收入较去年减少189.46万元，下降4.32%"
    income = next(s for s in chongqing.stated if s.subject == "预算收入总计")
    assert (income.value, income.change, income.change_percent) == (
        Decimal("4198.44"), Decimal("-189.46"), Decimal("-4.32"))


def test_row_number_columns_are_no_amounts(hebei):
    summary = hebei.table(TableKind.income_expenditure_summary)
    total = next(r for r in summary.rows if r.side == "收入" and r.name == "收入总计")
    assert total.values == {"金额": Decimal("1734.02")} and total.texts == {"序号": "34"}


def test_a_numbered_explanation_part_is_cut_at_its_bracketed_headings(hebei):
    titles = [s.title for s in hebei.sections]
    assert titles[0] == "收支预算总体情况" and len(titles) == 14
    assert hebei.sections[0].number == "（一）"
    three = next(s for s in hebei.stated if s.subject == "“三公”经费")
    assert three.change == Decimal("-19.30")


def test_staff_counts_under_bracketed_overview_headings(hebei):
    # "核定行政编制18名、工勤编制2名，共20名；…实有在职人员19人…内设…8个股室"
    assert hebei.overview.facts == {"核定编制": 20, "在职人员": 19, "内设科室": 8}


def test_a_wide_performance_table_with_a_row_per_project(guangxi):
    forms = {t.project: t for t in guangxi.targets}
    assert len(forms) == 7 and all(t.indicators for t in forms.values())
    industry = forms["2026年衔接推进乡村振兴补助资金（产业发展）"]
    assert industry.unit == "元" and industry.funds_year == Decimal("6800000.00")
    assert {i.level3: i.value for i in industry.indicators}["到户产业奖补标准"] == "≤2000元/户"
    assert "项目名称" not in forms  # the header printed again over the continuation is no project


def test_an_untitled_project_list_in_the_narrative_is_the_project_table(guangxi):
    projects = guangxi.table(TableKind.projects_current)
    assert projects is not None and projects.title == "情况说明所列项目支出表"
    rows = {r.name: r for r in projects.rows if not r.is_total}
    assert len(rows) == 14
    quality = rows["农产品质量安全监管与检测经费"]
    assert quality.code == "2130109" and quality.values == {"合计": Decimal("68.40")}
    assert quality.texts["资金来源"] == "一般公共预算42.80万元、事业收入25.60万元"


def test_member_units_listed_by_code_or_in_a_table_after_the_list_sentence(guangxi, hubei):
    assert guangxi.member_units == ["桂林市临桂区农业农村局（本级）", "桂林市临桂区农业技术推广中心",
                                    "桂林市临桂区水产畜牧兽医站", "桂林市临桂区农产品质量安全检测站"]
    assert hubei.member_units[0] == "荆门市东宝区交通运输局机关"  # a name ending 机关 is a unit's


def test_meeting_and_training_fees_printed_as_columns_of_the_three_public_table(guangxi):
    three = guangxi.table(TableKind.three_public)
    rows = {r.name: r.values for r in three.rows}
    assert rows["培训费"] == {"合计": Decimal("8.60"), "2025年/合计": Decimal("6.80")}
    assert rows["合计"]["合计"] == Decimal("22.70")  # the “三公” total, without them


def test_a_fund_qualified_subject_and_a_reason_after_what_the_money_is(hubei):
    three = next(s for s in hubei.stated if s.subject == "“三公”经费")  # "“三公”经费一般公共预算拨款预算数为"
    assert (three.value, three.change) == (Decimal("57.00"), Decimal("16.00"))
    fund = next(s for s in hubei.stated if s.subject == "政府性基金拨款支出")  # "…，全部为…，用于…，主要原因是"
    assert fund.reason == "主要原因是普通国省道路面中修任务较上年增加"


@pytest.fixture(scope="module")
def assistant(hubei, guangxi, shaanxi, jiangxi, chongqing, jilin, guizhou):
    from assistant.service import Assistant
    from tools.catalog import Catalog

    return Assistant(Catalog([hubei, guangxi, shaanxi, jiangxi, chongqing, jilin, guizhou]))


def test_the_one_amount_of_the_year_beside_a_change_and_a_rate_is_the_total(guizhou):
    # 项目 | 2025年预算数 | 2026年预算数 | 增减额 | 增减率（%）
    three = guizhou.table(TableKind.three_public)
    assert three.columns == ["2025年/预算数", "合计", "增减额", "增减率（%）"]
    assert next(r for r in three.rows if r.name == "合计").values["合计"] == Decimal("13.10")


def test_a_kuan_asked_by_name_lists_its_xiang(hubei):
    from tools.catalog import Catalog
    from tools.codes import explain_code
    from tools.types import CodeQuery

    result = explain_code(Catalog([hubei]), CodeQuery(code_or_name="车辆通行费安排的支出"))
    assert result.code == "21460"
    assert [(c.code, c.name) for c in result.children] == [("2146099", "其他车辆通行费安排的支出")]


def test_a_reason_stated_with_the_same_change_elsewhere_is_cited_there(hubei):
    from tools.catalog import Catalog
    from tools.changes import stated_change
    from tools.types import ChangeQuery

    query = ChangeQuery(unit=hubei.unit, year=hubei.year, subject="政府性基金预算拨款收入")
    change = stated_change(Catalog([hubei]), query)
    assert change.change.value == Decimal("140.00")
    assert change.reason == "主要原因是普通国省道路面中修任务较上年增加"
    assert change.reason_source is not None and change.reason_source.line == 723


@pytest.mark.parametrize("question, expected", [
    # where a project's money comes from: the document's sentence, the table's words, the fund's 科目,
    # the unit's income outside 财政拨款
    ("渭滨食药检测中心的检验检测业务运行经费钱从哪来？", "资金来源为事业收入"),
    ("临桂农业农村局农产品质量安全监管与检测经费一共多少？钱从哪来？", "一般公共预算42.80万元、事业收入25.60万元"),
    ("白鹤湾街道社区养老服务站运营补助多少钱？钱从哪来？", "2296002（用于社会福利的彩票公益金支出）"),
    ("吉州区社会福利院代养服务运营经费多少？钱从哪来？", "事业收入168.50万元"),
    # a 部门's own level said alone beside a member unit
    ("东宝区交通运输综合执法大队和局机关的三公经费哪个多，多多少", "多31.60万元"),
    # a 科目 row against a project
    ("东宝交通局今年对城市公交的补贴比农村客运补贴多多少", "多164.00万元"),
    # a term's 简称 given by the glossary, and a project named by it and its note
    ("临桂农业农村局预算里的衔接资金是什么意思？", "巩固拓展脱贫攻坚成果"),
    ("临桂农业农村局衔接资金产业发展项目，到户产业奖补每户最多多少钱？", "≤2000元/户"),
    # 会议费 of the “三公”、会议费和培训费 table, not the 基本支出 economic row
    ("临桂农业局2026年会议费和培训费哪个多？", "8.60万元"),
    # a unit named on each of its project rows (no 小计): the sum of its rows, not the table's 合计
    ("船营农水中心今年有哪些项目，一共多少钱", "合计360.90万元"),
    ("船营区水利局上级补助收入多少，占总收入多少", "35.00万元"),
    ("船营水利局有几辆车？今年买车不", "未安排购置车辆"),
    # the unit of a standard said in the indicator's name (每吨…成本 ≤100元)
    ("高坪街道垃圾收运一吨多少钱？一年收多少吨", "≤100元"),
    ("高坪街道公务接待费比去年少了多少", "0.70万元"),
])
def test_answers_on_other_provinces_layouts(assistant, question, expected):
    answer = assistant.ask(question)
    assert answer.status == "ok" and expected in answer.answer
