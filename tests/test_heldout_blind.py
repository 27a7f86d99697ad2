"""Blind questions, written without seeing the rules, about units no rule was written for:
- tests/heldout_templates/: four invented units in other layouts (rendered from tests/layouts.py);
  first contact 49/65, now every question passes;
- tests/heldout_newunit/: two units of the bundled layout under other names, places and years
  (介休 2024, 长治 2024); first contact 45/50;
- tests/heldout_fresh/: two more such units (大同市平城区 工信局 2026, 运城经开区 审批局 2024),
  questions written the way people ask (钱从哪来, 干啥用, 各拿多少, 占几成, 编制几个人);
  first contact 42/50 (84%), now every question passes;
- tests/heldout_fresh2/: 朔州经济开发区管委会 2025 and 临汾市城管局 2026, written after those fixes;
  first contact 26/50 (52%: 「朔州开发区/朔州经开区」 did not reach a 经济开发区 without 技术),
  40/50 after that one abbreviation in prompts/unit_aliases.json, now 50/50;
- tests/heldout_fresh3/: 忻州市忻府区工信局 2026 and 吕梁经开区行政审批服务管理局 2025, written after
  those fixes; first contact 41/50 (82%), now 49/50;
- tests/heldout_fresh4/: 晋中市榆次区城管局 2024 and 长治高新技术产业开发区管委会 2026, written after
  those fixes; first contact 35/50 (70%: 「榆次城管」 without 局, 「买服务」), 41/50 after two data
  lines, now 50/50;
- tests/heldout_fresh5/: 运城市盐湖区工信局 2025 and 太原高新区行政审批局 2027, written after those
  fixes; first contact 45/50 (90%), now 50/50;
- tests/heldout_fresh6/: 阳泉经开区管委会 2025 and 高平市城管局 2026 (a county-level city); first
  contact 40/50 (80%: the place said inside a project's name, a long 项目概况 clipped before the
  answer, a （一） heading of 其他说明 asked by name, a glossary term asked with its amount), now 49/50;
- tests/heldout_fresh7/: 介休高新区行政审批局 2025 and 临汾市尧都区工信局 2027; first contact 38/50
  (76%: projects named without their unit or by an indicator, amounts inside a 项目概况 per recipient,
  「从大到小排一下」, 「今年收入总计」), now 48/50;
- tests/heldout_province/: a 部门 document in a Sichuan-style layout (青岚县教育局 2025: three units,
  事业收入, tables in 元 under a 「部门：… 单位：元」 line, split 科目编码 cells), written with its
  questions by a helper that never saw the code; first contact 17/40 (42.5%: 元 tables read as 万元,
  unit subtotal rows taken for projects, member units not answered, glossary terms over 30
  characters), now 39/40;
- tests/heldout_fresh8/: 大同经开区管委会 2027 and 朔州市城管局 2024, written after all those fixes;
  first contact 44/50 (88%), now 49/50;
- tests/heldout_province2/: a Hunan-style 部门 document (邵阳市资江区卫生健康局 2026: 说明 as 第一部分
  before the tables, units listed one per line, 绩效目标 as one wide table), written with its
  questions by another helper; first contact 15/40 (37.5%: the 说明 was looked for as 第三部分),
  now 35/40;
- tests/heldout_fresh9/: 运城经开区审批局 2024 and 忻府区工信局 2026; first contact 43/50 (86%), now 48/50;
- tests/heldout_province3/: a Guangdong-style 部门 document (乳源瑶族自治县自然资源局 2025: 元 tables, 说明
  first); first contact 21/40 (52.5%: 「乳源自然资源局」 not found, “三公” with years side by side),
  now 39/40;
- tests/heldout_province4/: a Zhejiang-style 单位 document (嘉兴市秀洲区市场监督管理局 2026: 2025 and 2026
  side by side, 市场监管所 member units); first contact 9/40 (22.5%: 「秀洲区市监局」 not found), now
  36/40;
- tests/heldout_fresh10/: 临汾经济开发区管委会 2025 and 长治市城管局 2026; first contact 42/50 (84%), now
  48/50;
- tests/heldout_province5/: a Jiangsu-style 部门 document (射阳县农业农村局 2026, three units); first
  contact 19/40 (47.5%: member units by abbreviation, figures of a member from the narrative), now
  39/40;
- tests/heldout_province6/: a Henan-style 单位 document (郑州市金水区丰产路街道办事处 2025); first contact
  28/40 (70%: no 项目支出预算表, projects listed in the 情况说明 and their 绩效目标表 only), now 40/40;
- tests/heldout_province7/: a Shandong-style 部门 document (德州市陵城区教育和体育局 2026: five units, schools
  asked as 陵城一中 / 陵城职专, projects listed under each unit's 小计, the narrative's reasons after a 主要用于
  sentence); first contact 23/40 (57.5%: 「陵城区教育局」 not found), now 40/40;
- tests/heldout_province8/: an Anhui-style township 单位 document (霍山县诸佛庵镇人民政府 2025: tables in 元
  before the 说明, a 续表 across a page, a contents list naming 第四部分 名词解释); first contact 34/40
  (85%), now 40/40;
- tests/heldout_province9/: a Beijing-style 单位 document (北京市丰台区城市管理委员会 2026: 表N titles without a
  year, codes printed after each （项）, 名词解释 inside the 说明); first contact 20/40 (50%: 「丰台区城管委」 not
  found), now 39/40;
- tests/heldout_province10/: a Hubei-style 部门 document (远安县卫生健康局 2026: four units in a 单位名称 table,
  “三公” by unit with 2025 and 2026 side by side, a note line between a table's title and its grid); first
  contact 21/40 (52.5%: members not listed, the 一般公共预算支出表 lost), now 37/40;
- tests/heldout_province11/: a Fujian-style 部门 document (三明市生态环境局 2026: 公开N表 labels, a 公开10表（续）
  over a page, 机关运行经费（含…）预算 with a bracket before its amount); first contact 31/40 (77.5%), now
  38/40;
- tests/heldout_province12/: a Jiangxi-style 部门 document (吉州区民政局 2026: 说明 before the tables, units
  as rows, 项目名称：X above each 绩效目标 form, no 项目支出表); first contact 25/40 (62.5%: the forms not
  read, 「吉州民政」 not found, a member's 无“三公” taken for the 部门's), now 40/40;
- tests/heldout_province13/: a Chongqing-style 街道 document (白鹤湾街道 2026: 表1–表12, 2025 and 2026 side
  by side with 增减额, 绩效目标 as a header row over values and an indicator table 指标名称 | 计量单位 | 指标性质 |
  指标值); first contact 24/40 (60%), now 39/40;
- tests/heldout_province14/: a Shaanxi-style 部门 document (渭滨区市场监督管理局 2026: 18 tables, three 经济分类
  tables of one kind, a 专项业务经费支出表 for projects, 会议费/培训费 with the “三公”); first contact 24/40 (60%:
  「渭滨区市场局」 not found, tables of one kind merged), now 39/40;
- tests/heldout_province15/: a Hubei-style 部门 document (荆门市东宝区交通运输局 2026: 部门公开表01…12, units in a
  部门预算单位构成 table, a 政府性基金 of 车辆通行费); first contact 27/40 (67.5%: members ending 机关 not listed,
  局机关 said alone, a 款 asked for its 项), now 39/40;
- tests/heldout_province16/: a Guangxi-style 部门 document (桂林市临桂区农业农村局 2026: 公开N表, units only in the
  收入表 by 单位编码, one wide 绩效目标表, the project list as an untitled table in the 说明, a 简称 in the
  glossary); first contact 25/40 (62.5%), now 39/40;
- tests/heldout_province17/: a Hebei-style 单位 document (保定市竞秀区住建局 2026: 序号/栏次 columns, the 说明
  as 三、… over （一）…（十四）); first contact 19/40 (47.5%: 栏次 read as amounts, no section read), now 39/40;
- tests/heldout_fresh11/ and tests/heldout_fresh12/: two unit types new to the bundled layout (太谷区卫健局 2026,
  荫城镇人民政府 2026); first contact 37/40 (92.5%) and, after the fixes of the three sets above, 32/40 (80%:
  「收入总计…其中：本年收入…上年结转…，比上年增加」 read as 上年结转's change), both now 40/40;
- tests/heldout_province18/, 19/, 20/: Liaoning (甘井子区卫健局), Gansu (党寨镇, the 说明 before the tables) and
  Tianjin (河西区城管委) documents written after those fixes; first contact 34/40, 33/40 and 37/40 (86.7%
  together), now 39/40, 37/40 and 40/40;
- tests/heldout_province21/, 22/, 23/: Jilin (船营区水利局), Guizhou (高坪街道, 说明 before the tables) and Hainan
  (美兰区卫健委) documents written after all of the above; first contact 33/40, 28/40 and 39/40 (83.3%
  together: a “三公” table whose one amount of the year stood beside 增减额 and 增减率（%）, a member's projects
  summed to the table's 合计), now 40/40, 39/40 and 40/40;
- round 4, written after those fixes: Inner Mongolia (赛罕区民政局), Heilongjiang (道里区市场监管局, a 目录 with
  "…16" page numbers), Ningxia (兴庆区农业农村和水务局, every amount in 元), Xinjiang (昌吉市人社局, indicators
  as 指标性质 | 指标值 | 度量单位) and a 医疗保障局 in the bundled layout (tests/heldout_fresh13/); first contact
  36, 22, 12, 31 and 36 of 40 (68.5%: 「农水局」 not derived, a narrative in 元 not read, the 说明 taken from
  the 目录), now 40, 39, 39, 40 and 38;
- round 5, written after round 4's fixes: Qinghai (平安区农业农村和科技局), Yunnan (金辰街道, 21-digit 项目代码),
  Tibet (城关区农业农村局) and a 自然资源局 in the bundled layout (tests/heldout_fresh14/); first contact 33, 29,
  34 and 34 of 40 (81.3%), now 40, 36, 39 and 37;
- round 6, written after round 5's fixes: Guangdong (桂城街道, tables in 元, the 说明 over three parts),
  Sichuan (蕨溪镇), Zhejiang (衢州市文广旅局, 5 units, a 目录 without page numbers) and a 水利局 in the
  bundled layout (tests/heldout_fresh15/); first contact 20, 31, 22 and 35 of 40 (67.5%), now 32, 32, 33
  and 36.
Each set runs on an index of its own documents only."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_real_other import ask_all, failures

NEW_UNIT_KNOWN_GAPS = {
    # tests/heldout.jsonl h025 and tests/rephrasings.jsonl r018 ask the same thing and expect the 推算
    "hn024": "a year not published is answered as 推算 from the next year's stated change (gold: no_data)",
}


def open_index(tmp_path_factory, folder: Path):
    from assistant.service import open_assistant
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp(folder.name)
    build_index(sorted(folder.glob("*.md")), index_dir, progress=False)
    return open_assistant(index_dir)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_templates")


@pytest.fixture(scope="module")
def new_units(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_newunit")

FRESH2_KNOWN_GAPS: dict[str, str] = {}

FRESH3_KNOWN_GAPS = {
    # relative years count from the document's year (issue #14; tests/heldout_newunit.jsonl hn007 and
    # hn032 expect the same); this gold counts 去年 from the calendar (2026 -> 2025)
    "hk016": "「去年」 read as the year before the document's 2025, not as calendar 2025",
}

FRESH6_KNOWN_GAPS = {
    "hq024": "the gold also expects 城管通业务卡数量 (340个), which 「坐席员几个、专线几条」 does not ask",
}

FRESH7_KNOWN_GAPS = {
    "hr026": "上年结转 is blank in every table and 0 only in the narrative's sentence on 收入总计; the answer "
             "says the 上年结转 table is empty (本表无数据) instead of quoting that 0",
    "hr047": "the 整体支出绩效目标申报表 is a form read as a grid; its 年度绩效目标 cell is not quoted",
}

FRESH8_KNOWN_GAPS = {
    "hw039": "「有机关运行经费吗」 on a table marked 本表无数据: the answer quotes 「我单位无机关运行经费」 but "
             "keeps status no_data, as every empty table does (tests/test_assistant_answers.py)",
}

PROVINCE2_KNOWN_GAPS = {
    "hz006": "「基本公共卫生服务…安排了多少钱」 is answered by the 功能科目 row of that name (the same 386.00), "
             "the gold wants the project 基本公共卫生服务区级配套资金",
    "hz007": "「政府性基金预算多少？钱花在哪」: 花在哪 asks a ranking of the 功能分类 and the fund's own "
             "amount is lost",
    "hz036": "a member unit's stated change (妇幼中心 事业收入 +120.00) is read as the 部门's",
}

FRESH9_KNOWN_GAPS = {
    "ha033": "「单家最多给多少」: the largest grant is written only inside the 项目概况 (最多为…40万), not as an "
             "indicator",
    "ha037": "the 部门战略目标 is a cell of the 整体支出绩效目标申报表, a form read as a grid and not quoted",
}

# invented documents of other provinces' layouts (Guangdong: 元 tables, 说明 first; Zhejiang: a 单位
# with 2025 and 2026 side by side), written by helpers who never saw the code
PROVINCE3_KNOWN_GAPS: dict[str, str] = {}

PROVINCE4_KNOWN_GAPS = {
    "hc004": "「其他收入…是啥收入」: the narrative's bracket (主要为机关食堂就餐收费收入) is not quoted",
    "hc022": "the 特定目标类 count (11) is stated in the 项目支出 section, not in the 预算绩效 section read",
    "hc025": "a project's change (比上年减少40.00万元) stated inside another item's reason is not read",
}

FRESH10_KNOWN_GAPS = {
    "hg138": "「咋回事」 of a project: its 项目概况 is quoted to a length limit and 终审判决 comes after it",
    "hg145": "「合作期几年」: the 5-year term is written only inside the 项目概况",
}

PROVINCE5_KNOWN_GAPS = {
    "hd025": "「另外还有上年结转的人居环境资金吗」: the second project (…长效管护资金（上年结转）) said by a "
             "shared word after the first is not looked up",
}

PROVINCE6_KNOWN_GAPS: dict[str, str] = {}

PROVINCE7_KNOWN_GAPS: dict[str, str] = {}

PROVINCE8_KNOWN_GAPS: dict[str, str] = {}

PROVINCE10_KNOWN_GAPS = {
    "hy010": "「为啥一分钱没安排？去年是多少」: an item zero this year is stated only in the narrative, not read",
    "hy025": "「财政安排的一共多少」 of one unit's projects: the 财政拨款 columns are not summed",
}

PROVINCE11_KNOWN_GAPS: dict[str, str] = {}

PROVINCE12_KNOWN_GAPS: dict[str, str] = {}

PROVINCE13_KNOWN_GAPS = {
    "pc27": "「扫马路搞保洁，每平方米一年花多少钱」: the project is named only by paraphrase (扫马路)",
}

PROVINCE14_KNOWN_GAPS = {
    "ps26": "「其中运维服务采购多少」: the project's line of the 政府采购预算表 (a generic table) is not read",
}

PROVINCE15_KNOWN_GAPS = {
    "hb37": "「其中危桥改造…花多少钱」: the part's amount (180.00万元) is written only inside the 年度绩效目标 text",
}

PROVINCE16_KNOWN_GAPS = {
    "gx14": "「中央和自治区提前下达的转移支付占多少比例」: the transfer (1234.50万元) is stated only in the narrative "
            "and no share of a narrative part within a measure is computed",
}

PROVINCE17_KNOWN_GAPS: dict[str, str] = {}

PROVINCE18_KNOWN_GAPS = {
    "ln26": "「其中奖励扶助那块大概多少钱」: the part (825.60万元) is not printed; it is derived from indicators",
}

PROVINCE19_KNOWN_GAPS = {
    "gs14": "「上级转移支付（中央加省级）一共多少」: the transfers are stated only in the narrative's 其中 list",
    "gs20": "「中央转移支付和省级转移支付分别多少」: as gs14",
    "gs36": "「平均每辆车多少」: a fee divided by the vehicles held is not computed",
}

PROVINCE22_KNOWN_GAPS = {
    "gz04": "「是啥基金」: the fund's kind is named only in the narrative (全部为城市基础设施配套费安排的支出)",
}

PROVINCE25_KNOWN_GAPS = {
    "hlj29": "「买执法车一辆最多能花多少钱」: the project is named by neither its name nor its indicator's words "
             "(单车购置价格), only by the thing bought",
}

PROVINCE26_KNOWN_GAPS = {
    "nx37": "「其中单位资金多少，拿来干啥」 of a member unit: the projects its 单位资金 pays for are not listed",
}

FRESH13_KNOWN_GAPS = {
    "f13_11": "「区级财政补助今年比去年少安排了多少」: the change is stated only in the project's 项目概况",
    "f13_24": "「城乡医疗救助…一共多少（含结转）」: a project of this year and its 上年结转 namesake are not summed",
}

PROVINCE29_KNOWN_GAPS = {
    "yn20": "「环卫保洁项目明年计划多少」: the 部门项目中期规划预算表 (2026/2027/2028) is not read by year",
    "yn21": "「纳入绩效目标管理的项目…涉及多少钱」: the narrative's 绩效 total in a Yunnan wording is not read",
    "yn28": "「买AED一台多少钱」: a project named by Latin letters is not found",
}

PROVINCE30_KNOWN_GAPS = {
    "xz35": "「援藏的项目钱为什么不在预算里」: the 其他需要说明的情况 passage is not found for the question",
}

FRESH14_KNOWN_GAPS = {
    "f14_18": "「本级和不动产登记中心今年项目支出各多少」: the 部门 document prints no project spending by unit",
    "f14_22": "「用土地出让收入安排了几个项目」: projects are counted by the 政府性基金 column, not by one fund's row",
    "f14_26": "「其中给村级田长的补助多少」: an amount derived from two indicators (人数 × 标准) is not computed",
}

PROVINCE31_KNOWN_GAPS = {
    "gd05": "「行政经费预算多少元」: the 行政经费 columns of the “三公” table are not read as a measure",
    "gd13": "「专项债资金占政府性基金预算拨款支出的比重」: 专项债 is no measure",
    "gd22": "「有多少辆车」: the vehicles stated in 国有资产占用 with this wording are not read",
    "gd26": "「雨污分流那个专项债项目…债券期限几年」: the bond's term is stated only in the 专项债 section",
    "gd29": "「网格员人均经费一年多少？折合每月多少」: a monthly amount derived from a yearly standard",
    "gd33": "「地方政府专项债券是啥」: the project is matched before the glossary term",
    "gd35": "「收入预算增加的主要原因」: the reason's figures (4500.00) are in a later sentence",
    "gd37": "「上年结转的…是哪两个项目」: carry-over rows of the one project table are not listed by their column",
}

PROVINCE32_KNOWN_GAPS = {
    "sc03": "「人员经费和公用经费各是多少」: 表2-1's 经济分类 layout gives no 人员经费 column",
    "sc11": "「给村委会村支部的补助…涨了多少」: the 项 is named by its 科目 words, the project by others",
    "sc14": "「…占当年项目支出的比例」: 当年项目支出 (without 上年结转) is not chosen as the whole",
    "sc23": "「一共覆盖多少名村（社区）干部」: two headcount indicators are not summed",
    "sc24": "「一事一议…算上去年结转的一共多少」: this year's project and its carry-over are not summed",
    "sc28": "「村主职干部基本报酬一个月多少」: the standard is the project's, named by 主职干部 only",
    "sc35": "「三公经费为啥降了」: the reason is stated item by item, not for the total",
    "sc36": "「其中公车那块呢」: 公车 said for the 公务用车 money, read as the vehicle count",
}

PROVINCE33_KNOWN_GAPS = {
    "zj27": "「农村公益电影每放一场补多少钱」: 一场 is not matched to the indicator's 元/场",
}

FRESH15_KNOWN_GAPS = {
    "f15_20": "「防汛经费比河湖长制经费多多少」: 防汛经费 names a 科目 row, not a project, and is not compared",
    "f15_23": "「小型水库和淤地坝各有多少座」: two indicators of one project asked together, one answered",
    "f15_26": "「26年还得安排多少钱」: a later year's amount stated only in the project's 项目概况",
    "f15_28": "「一个人一年补助多少钱」: a yearly amount derived from a monthly standard is not computed",
}

PROVINCE34_KNOWN_GAPS = {
    "sd37": "「那省考古院呢？主要花在哪一块」 after the 三公: the member's largest 三公 item is not ranked",
}

PROVINCE35_KNOWN_GAPS = {
    "sh25": "「老师培训经费」: 老师 for 教师, and 培训经费 is read as the 培训费 measure, not the 培训支出 row",
}

PROVINCE36_KNOWN_GAPS = {
    "fj29": "「买警车，每辆最多多少钱」: 警车 alone (two characters) does not name 警用车辆更新购置经费",
}

PROVINCE37_KNOWN_GAPS = {
    "js37": "「按人头算每人多少钱？去年标准是多少」: last year's standard is stated only in a 功能科目 item's reason",
}

PROVINCE39_KNOWN_GAPS = {
    "ha08": "「环境卫生那块为啥降了」: the project 环境卫生保洁经费 is chosen over the 科目 row whose change is stated",
    "ha28": "「每平米一年多少钱？去年呢」: last year's standard is stated only in a 功能科目 item's reason",
}

PROVINCE40_KNOWN_GAPS = {
    "hun07": "「检验检测收入比去年涨了多少」: the parts of 事业收入 listed in prose (按来源划分：…) are not read",
    "hun12": "「检验检测收入占事业收入几成」: the same prose list of 事业收入's parts",
    "hun14": "「一般公共预算拨款里项目支出占几成」: the 一般公共预算 project column is not chosen as the part",
    "hun17": "「事业收入里哪块最多」: the same prose list of 事业收入's parts is not ranked",
    "hun37": "「其中检验检测收入呢」: the same prose list of 事业收入's parts",
}

# the last round, registered as first measured (no fix since): what a new layout still misses
PROVINCE41_KNOWN_GAPS = {
    "bj06": "「收入预算比去年多了多少」: 收入预算 is read as 本年收入, whose change the text does not state",
    "bj10": "「应急管理这块…比去年多了多少」: the 类's change is taken from the wrong clause of a list",
    "bj12": "「财政拨款占多少」: the share printed in the text (of 本年收入) is not the one computed",
    "bj14": "「公车（购置+运维）占了多少比例」: 公车 is read as the vehicle count, not the 公务用车 money",
    "bj17": "「公用经费里哪一项最多」: the 经济分类 table's 人员经费 rows are not left out",
    "bj19": "「背街小巷整治和垃圾分类两个项目哪个钱多」: the first project is not found by those words",
    "bj29": "「城管协管员一人一年多少钱」: a per-person amount derived from the project's total and headcount",
    "bj34": "「编制多少人，实有多少人」: 行政编制 and 事业编制 are stated apart; only the first pair is read",
    "bj35": "「去年结转下来的钱干啥用了」: what the 上年结转 pays for is stated only in the narrative",
}

PROVINCE42_KNOWN_GAPS = {
    "hbz07": "「一事一议奖补…为啥降了」: a project's change is stated only for its 功能科目 item",
    "hbz09": "「村级组织运转经费比去年涨了多少」: the same, for another project",
    "hbz17": "「一般公共预算支出按类排前三」: the 类 of the 一般公共预算支出表 are not ranked when asked by 按类",
    "hbz19": "「防汛和集镇环卫保洁两个项目哪个资金多」: 防汛 alone does not name its project",
    "hbz20": "「村级组织运转经费和一事一议奖补差多少」: 一事一议奖补 does not name 农村公益事业建设补助",
    "hbz22": "「下面有多少个村」: 辖22个村（社区） (the verb 辖 before the number) is not read as a count",
    "hbz26": "「群众文化活动经费…主要干啥用」: what the project is for is stated only in its 绩效 goal",
}

FRESH18_KNOWN_GAPS = {
    "f18_18": "「本级和公证处的项目钱各是多少」: the 本级's 小计 is nested under the 部门's own",
    "f18_23": "「下面有几个司法所」: a count of 司法所 stated in the 概况 is not read",
    "f18_24": "「公证处今年有啥项目？钱从哪来」: the member's projects under a nested 小计 are not listed",
    "f18_28": "「社区矫正对象教育帮扶人均多少钱」: the per-person standard is not matched to 人均",
}

PROVINCE_KNOWN_GAPS = {
    "hv035": "「其中财政拨款安排的是多少？」 after 项目支出: the 财政拨款 part of a measure asked before "
             "(项目支出 in the 一般公共预算支出表) is not read; 财政拨款收入 is answered",
}

# blind sets of new units in the bundled layout: folder -> the questions that fail, and why
FRESH_SETS = {
    "heldout_fresh": {},
    "heldout_fresh2": FRESH2_KNOWN_GAPS,
    "heldout_fresh3": FRESH3_KNOWN_GAPS,
    "heldout_fresh4": {},
    "heldout_fresh5": {},
    "heldout_fresh6": FRESH6_KNOWN_GAPS,
    "heldout_fresh7": FRESH7_KNOWN_GAPS,
    "heldout_province": PROVINCE_KNOWN_GAPS,
    "heldout_fresh8": FRESH8_KNOWN_GAPS,
    "heldout_province2": PROVINCE2_KNOWN_GAPS,
    "heldout_fresh9": FRESH9_KNOWN_GAPS,
    "heldout_province3": PROVINCE3_KNOWN_GAPS,
    "heldout_province4": PROVINCE4_KNOWN_GAPS,
    "heldout_fresh10": FRESH10_KNOWN_GAPS,
    "heldout_province5": PROVINCE5_KNOWN_GAPS,
    "heldout_province6": PROVINCE6_KNOWN_GAPS,
    "heldout_province7": PROVINCE7_KNOWN_GAPS,
    "heldout_province8": PROVINCE8_KNOWN_GAPS,
    "heldout_province9": {},
    "heldout_province10": PROVINCE10_KNOWN_GAPS,
    "heldout_province11": PROVINCE11_KNOWN_GAPS,
    "heldout_province12": PROVINCE12_KNOWN_GAPS,
    "heldout_province13": PROVINCE13_KNOWN_GAPS,
    "heldout_province14": PROVINCE14_KNOWN_GAPS,
    "heldout_province15": PROVINCE15_KNOWN_GAPS,
    "heldout_province16": PROVINCE16_KNOWN_GAPS,
    "heldout_province17": PROVINCE17_KNOWN_GAPS,
    "heldout_fresh11": {},
    "heldout_province18": PROVINCE18_KNOWN_GAPS,
    "heldout_province19": PROVINCE19_KNOWN_GAPS,
    "heldout_province20": {},
    "heldout_fresh12": {},
    "heldout_province21": {},
    "heldout_province22": PROVINCE22_KNOWN_GAPS,
    "heldout_province23": {},
    "heldout_province24": {},
    "heldout_province25": PROVINCE25_KNOWN_GAPS,
    "heldout_province26": PROVINCE26_KNOWN_GAPS,
    "heldout_province27": {},
    "heldout_fresh13": FRESH13_KNOWN_GAPS,
    "heldout_province28": {},
    "heldout_province29": PROVINCE29_KNOWN_GAPS,
    "heldout_province30": PROVINCE30_KNOWN_GAPS,
    "heldout_fresh14": FRESH14_KNOWN_GAPS,
    "heldout_province31": PROVINCE31_KNOWN_GAPS,
    "heldout_province32": PROVINCE32_KNOWN_GAPS,
    "heldout_province33": PROVINCE33_KNOWN_GAPS,
    "heldout_fresh15": FRESH15_KNOWN_GAPS,
    "heldout_province34": PROVINCE34_KNOWN_GAPS,
    "heldout_province35": PROVINCE35_KNOWN_GAPS,
    "heldout_province36": PROVINCE36_KNOWN_GAPS,
    "heldout_province37": PROVINCE37_KNOWN_GAPS,
    "heldout_fresh16": {},
    "heldout_province38": {},
    "heldout_province39": PROVINCE39_KNOWN_GAPS,
    "heldout_province40": PROVINCE40_KNOWN_GAPS,
    "heldout_fresh17": {},
    "heldout_province41": PROVINCE41_KNOWN_GAPS,
    "heldout_province42": PROVINCE42_KNOWN_GAPS,
    "heldout_fresh18": FRESH18_KNOWN_GAPS,
}


@pytest.fixture(scope="module")
def fresh_sets(tmp_path_factory):
    opened: dict = {}

    def assistant(name: str):
        if name not in opened:
            opened[name] = open_index(tmp_path_factory, ROOT / "tests" / name)
        return opened[name]
    return assistant


@pytest.fixture(scope="module")
def fresh_units(fresh_sets):
    return fresh_sets("heldout_fresh")


def test_blind_questions_on_units_in_other_layouts(templates):
    assert failures(ask_all(templates, ROOT / "tests" / "heldout_templates.jsonl")) == {}


def test_blind_questions_on_new_units_of_a_known_layout(new_units):
    assert set(failures(ask_all(new_units, ROOT / "tests" / "heldout_newunit.jsonl"))) == set(NEW_UNIT_KNOWN_GAPS)


@pytest.mark.parametrize("name", list(FRESH_SETS))
def test_blind_questions_asked_the_way_people_write_them(fresh_sets, name):
    answers = ask_all(fresh_sets(name), ROOT / "tests" / f"{name}.jsonl")
    assert set(failures(answers)) == set(FRESH_SETS[name])


def test_a_count_read_from_the_performance_form_cites_the_form_row(fresh_units):
    answer = fresh_units.ask("运城经开区审批局核定编制几个人？")
    quota = next(f for f in answer.figures if f.unit == "人")
    assert quota.value == 9
    assert quota.source.section == "整体支出绩效目标申报表"
    assert quota.source.line == 435  # 核定的人员编制数 | 9人, not the 概况 heading
