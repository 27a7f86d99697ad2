"""Layout details of the blind documents of other provinces (Jiangxi, Chongqing, Shaanxi, Hubei,
Guangxi, Hebei, Jilin, Guizhou, Inner Mongolia, Heilongjiang, Ningxia, Xinjiang, Qinghai, Yunnan,
Tibet), parsed one by one
(the questions about them are in tests/test_heldout_blind.py)."""
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
           "jilin": "heldout_province21", "guizhou": "heldout_province22", "inner_mongolia": "heldout_province24",
           "heilongjiang": "heldout_province25", "ningxia": "heldout_province26", "xinjiang": "heldout_province27",
           "qinghai": "heldout_province28", "yunnan": "heldout_province29", "tibet": "heldout_province30",
           "guangdong": "heldout_province31"}


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
    assert hebei.overview.facts == {"核定编制": 20, "在职人员": 19, "内设科室": 8, "离退休人员": 11}


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


def test_a_single_level_item_and_an_unnumbered_class_line_state_their_changes(guizhou, jilin):
    stated = {s.subject: s for s in guizhou.stated if s.function_item}
    environment = stated["节能环保支出"]  # "5.节能环保支出（类）50.00万元，比上年40.00万元增加10.00万元…"
    assert (environment.value, environment.change, environment.prior) == (Decimal("50.00"), Decimal("10.00"),
                                                                          Decimal("40.00"))
    assert environment.reason == "主要原因是新增辖区河道水体保洁范围"
    flood = next(s for s in jilin.stated if s.subject == "防汛")  # "11.防汛（项）186.00万元，主要用于…。比上年减少…"
    assert flood.change == Decimal("-24.00") and flood.reason.startswith("主要原因是上年已集中采购")


def test_a_contents_entry_with_an_ellipsis_before_its_page_is_no_section(heilongjiang):
    first = heilongjiang.sections[0] if heilongjiang.sections[0].part == "情况说明" else \
        next(s for s in heilongjiang.sections if s.part == "情况说明")
    assert first.location.line == 585  # the heading, not "一、关于2026年收支预算情况的总体说明…16" of the 目录
    total = next(s for s in heilongjiang.stated if s.subject == "预算收入总计" and s.change is not None)
    # "收支总预算2719.34万元，比2025年收支总预算2647.93万元增加71.41万元"
    assert (total.change, total.prior) == (Decimal("71.41"), Decimal("2647.93"))


def test_a_table_numbered_seven_before_a_title_that_starts_with_one(heilongjiang):
    assert heilongjiang.table(TableKind.projects_current).title == "一般公共预算项目支出表"  # 表七一般…, not 表七一|般…


def test_the_items_of_a_list_after_a_stated_change_state_their_own(xinjiang):
    # "“三公”经费…比2025年减少1.50万元，下降17.24%，其中：…公务接待费减少0.30万元，下降20.00%，主要原因是…"
    reception = next(s for s in xinjiang.stated if s.subject == "公务接待费" and s.change is not None)
    assert (reception.change, reception.change_percent) == (Decimal("-0.30"), Decimal("-20.00"))
    assert reception.reason == "主要原因是严格执行公务接待标准，从严控制接待范围和规模"
    purchase = next(s for s in xinjiang.stated if s.subject == "公务用车购置费" and s.direction == "持平")
    assert purchase.reason == "主要原因是2026年无车辆购置计划"  # not run on into the next item's name


def test_an_indicator_table_with_sign_value_and_measure_columns(xinjiang, inner_mongolia):
    # 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位
    jobs = next(t for t in xinjiang.targets if t.project == "公益性岗位补贴资金")
    values = {i.level3: i.value for i in jobs.indicators}
    assert values["公益性岗位补贴标准"] == "≤1500元/人·月"
    assert values["岗位补贴发放准确率"] == "100%"  # "=" adds nothing
    assert values["就业困难人员托底安置机制持续运行"] == "长期"  # nor does 定性
    # "项目名称 | X | 项目类别 | 特定目标类": the category is no part of the name
    assert {t.project for t in inner_mongolia.targets} >= {"城市最低生活保障金", "临时救助资金"}


def test_a_narrative_printed_in_yuan_states_its_figures_in_wanyuan(ningxia):
    # "2026年一般公共预算当年拨款20,116,576.20元，比上年增加945,190.10元，增长4.93%"
    current = next(s for s in ningxia.stated if s.subject == "一般公共预算当年支出" and s.change is not None)
    assert (current.value, current.change) == (Decimal("2011.65762"), Decimal("94.51901"))
    assert ningxia.printed_money_unit == "元"
    assert ningxia.procurement is not None and ningxia.procurement.total is not None


@pytest.fixture(scope="module")
def round_four(inner_mongolia, heilongjiang, ningxia, xinjiang):
    from assistant.service import Assistant
    from tools.catalog import Catalog

    return Assistant(Catalog([inner_mongolia, heilongjiang, ningxia, xinjiang]))


ROUND_FOUR = [
    # "A和B局" said by its parts' first characters
    ("兴庆区农水局今年预算盘子多大？", "合26,746,576.20元"),
    ("昌吉人社局今年预算比去年多了多少？", "184.57万元"),
    # an answer on a document printed in 元 gives each amount as printed, exactly (not from its rounding)
    ("兴庆区农水局机关运行经费26年比25年少了多少？", "合20,176.40元"),
    # 功能科目 ranked by their change: from a table's 增减 column, or from the items the narrative states
    ("昌吉人社局一般公共预算支出里，比去年增加最多的是哪个科目", "其他就业补助支出"),
    ("道里区市场监管局哪个科目比去年增加最多", "行政运行”，增加24.48万元"),
    # a project's change is its 科目's when the 科目 holds the project's amount
    ("兴庆区农水局高标准农田管护经费去年预算是多少？今年多了多少", "46.00万元"),
    ("赛罕区城市低保金今年为啥降了？", "动态管理"),
    # a number in a project's name is no 科目编码
    ("道里区市场监管局12315热线和明厨亮灶平台的运维费加起来多少？", "合计59.80万元"),
    # the unit a 部门's project table prints beside the project
    ("兴庆区农水局农村供水工程运行维护补助资金给了多少？哪个单位干", "银川市兴庆区水务服务中心"),
    ("道里区市场监管局食品安全抽检监测经费里有多少是去年结转下来的？", "上年结转15.80万元"),
]


def test_a_project_code_column_is_neither_an_amount_nor_a_subject_code(yunnan):
    projects = yunnan.table(TableKind.projects_current)
    first = next(r for r in projects.rows if r.name == "社区工作者薪酬待遇保障经费")
    assert max(v for v in first.values.values() if v is not None) == Decimal("673.92")  # 6,739,200.00元
    assert first.texts["项目代码"] == "530103251100001135201"


def test_a_wide_indicator_grid_with_sign_value_and_measure_columns(yunnan):
    # 项目名称 | 项目年度绩效目标 | 一级 | 二级 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 指标属性
    workers = next(t for t in yunnan.targets if t.project == "社区工作者薪酬待遇保障经费")
    values = {i.level3: i.value for i in workers.indicators}
    assert values["社区工作者月均薪酬标准"] == "5200元/人·月" and values["社区工作者队伍稳定率"] == "≥95%"


def test_items_named_with_their_code_and_a_label_with_nested_brackets(tibet):
    farming = next(s for s in tibet.stated if s.subject == "农业生产发展")  # "（6）农业生产发展（2130122）120.00万元…"
    assert farming.change == Decimal("-80.00") and "农机购置累加补贴" in farming.reason
    # "机关运行经费（即拉萨市城关区农业农村局（本级）…中的公用经费）预算84.50万元，比上年减少6.90万元"
    running = next(s for s in tibet.stated if s.subject == "机关运行经费" and s.change is not None)
    assert (running.value, running.change) == (Decimal("84.50"), Decimal("-6.90"))


def test_a_list_entry_ends_with_its_clause_and_a_reason_after_the_parts(qinghai):
    # "…；住房保障支出89.00万元。财政拨款收支总预算比2025年预算数增加91.90万元": not 住房保障支出's change
    housing = next(s for s in qinghai.stated if s.subject == "住房保障支出")
    assert housing.change is None
    # "公务用车购置及运行费18.00万元，比2025年预算数减少1.20万元，…，其中公务用车购置费0万元，…，公务用车运行
    # 维护费18.00万元，主要原因是2025年报废处置1辆…"
    cars = next(s for s in qinghai.stated if s.subject == "公务用车购置及运行费")
    assert cars.reason.startswith("主要原因是2025年报废处置1辆")
    assert qinghai.overview.facts["在职人员"] == 50  # under "三、人员编制及实有人数"


def test_a_form_head_printed_as_lines_above_its_grid(guangdong):
    # "项目名称：长者饭堂运营补贴" / "主管部门：…  实施单位：社会事务办公室" / "年度绩效目标：…" over the grid
    # 一级 | 二级 | 三级 | 指标值
    meals = next(t for t in guangdong.targets if t.project == "长者饭堂运营补贴")
    assert meals.implementer == "社会事务办公室" and meals.goal_year.startswith("保障辖区28个长者饭堂")
    assert {i.level3: i.value for i in meals.indicators}["每人次助餐补贴标准"] == "≤8元/人次"


@pytest.fixture(scope="module")
def round_five(qinghai, yunnan, tibet):
    from assistant.service import Assistant
    from tools.catalog import Catalog

    return Assistant(Catalog([qinghai, yunnan, tibet]))


ROUND_FIVE = [
    # a measure asked by the units of a 部门: each unit's part
    ("平安区农业农村和科技局2026年度事业收入有多少？哪几个单位的？", "6.50万元"),
    # a member unit said short (疫病预防控制中心 -> 疫控中心), its projects summed
    ("平安区动物疫控中心的项目一共多少钱？", "180.40万元"),
    # 政府采购 of one category: the rows of the document's own 政府采购预算表
    ("平安区农业农村和科技局政府采购服务类的是买啥？", "农产品质量安全第三方检测服务"),
    ("平安区科技特派员每人一年补助多少？派了多少人？", "30名"),
    # 人员经费 read from the 一般公共预算支出表 when the 基本支出 table has no such column
    ("金辰街道26年人员经费和公用经费各多少？", "991.86万元"),
    ("金辰街道网格员每人每月补助多少钱？", "350元/人·月"),
    # a place said alone names the one unit held there
    ("城关区动物防疫要免疫多少头牲畜，每头多少钱", "≤4元"),
    ("城关区高素质农牧民培训今年培训多少人，人均多少钱", "1500元"),
    ("城关区农业农村局去年机关运行经费是多少", "91.40万元"),
]


@pytest.mark.parametrize("layouts, question, expected", [
    *(("round_four", q, e) for q, e in ROUND_FOUR), *(("round_five", q, e) for q, e in ROUND_FIVE)])
def test_answers_on_later_rounds_layouts(request, layouts, question, expected):
    answer = request.getfixturevalue(layouts).ask(question)
    assert answer.status == "ok" and expected in answer.answer
