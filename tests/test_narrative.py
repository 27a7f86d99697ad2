"""第三部分 情况说明: sections and stated figures, on the four real documents and on small
synthetic block lists for wordings the four documents happen not to use."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.text import parse_amount
from parsing.blocks import Block
from parsing.narrative import SUBJECTS, parse_narrative
from parsing.read_text import read_text_blocks
from tests.conftest import DOC_IDS, TEXT_DIR

D = Decimal
ADMIN = "jincheng-etdz-admin-committee-2026"
APPROVAL = "jincheng-etdz-approval-bureau-2026"
INDUSTRY = "jincheng-chengqu-industry-it-bureau-2025"
URBAN = "jincheng-urban-management-bureau-2025"
TOLERANCE = D("0.03")
THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")


@pytest.fixture(scope="module")
def narratives():
    return {doc_id: parse_narrative(read_text_blocks(TEXT_DIR / f"{doc_id}.md"), doc_id) for doc_id in DOC_IDS}


def figure(narrative, subject):
    found = [f for f in narrative.stated if f.subject == subject]
    assert len(found) == 1, (subject, found)
    return found[0]


def changed(narrative, subject):
    return [f for f in narrative.stated if f.subject == subject and f.direction is not None]


# ---------------------------------------------------------------- golden values read from the documents

# doc -> (收入总计, change, percent); the documents state 支出总计 with the same figures.
TOTALS = {
    ADMIN: ("8530.80", "-7442.70", "-46.59"),
    APPROVAL: ("389.23", "35.12", "9.92"),
    INDUSTRY: ("9799.45", "379.52", "4.03"),
    URBAN: ("28278.81", "10053.83", "55.17"),
}
CURRENT_SPENDING = {  # 一般公共预算当年支出: value, change, percent
    ADMIN: ("8027.45", "-7940.88", "-49.73"),
    APPROVAL: ("389.23", "35.12", "9.92"),
    INDUSTRY: ("9118.72", "274.07", "3.1"),
    URBAN: ("13965.66", "2316.57", "19.89"),
}
THREE_PUBLIC = {  # subject -> (value, change, direction); {} = 本单位无“三公”经费预算
    ADMIN: {
        "“三公”经费": ("32.60", "0", "持平"),
        "因公出国（境）费": ("0", "-10.75", "减少"),
        "公务接待费": ("1.00", "-3.00", "减少"),
        "公务用车购置及运行费": ("31.60", "13.75", "增加"),
        "公务用车运行维护费": ("13.60", "-4.25", "减少"),
        "公务用车购置费": ("18.00", "18.00", "增加"),
    },
    URBAN: {
        "“三公”经费": ("1.00", "0", "持平"),
        "因公出国（境）费": ("0", "0", "持平"),
        "公务接待费": ("1.00", "0", "持平"),
        "公务用车购置及运行费": ("0", "0", "持平"),
        "公务用车运行维护费": ("0", "0", "持平"),
        "公务用车购置费": ("0", "0", "持平"),
    },
    APPROVAL: {},
    INDUSTRY: {},
}
OPERATING_COSTS = {  # 机关运行经费: value, change, percent; None = 无机关运行经费
    ADMIN: None,
    APPROVAL: None,
    INDUSTRY: ("25.53", "2.03", "8.64"),
    URBAN: ("529.14", "-14.96", "-2.75"),
}
PROCUREMENT = {  # total, goods, works, services
    ADMIN: ("2423.93", "107.55", "155.88", "2160.50"),
    APPROVAL: ("32.97", "1.17", "0", "31.80"),
    INDUSTRY: ("4.89", "4.89", "0", "0"),
    URBAN: ("5024.31", "96.10", "90.00", "4838.21"),
}
PERFORMANCE = {  # 二级项目 count, amount, {category: (count, amount)}
    ADMIN: (46, "5691.94", {"其他运转类": (33, "2281.68"), "特定目标类": (13, "3410.26")}),
    APPROVAL: (5, "189.09", {"其他运转类": (5, "189.09"), "特定目标类": (0, "0")}),
    INDUSTRY: (11, "9436.52", {"其他运转类": (5, "175.00"), "特定目标类": (6, "9261.52")}),
    URBAN: (37, "23716.65", {"其他运转类": (14, "2032.20"), "特定目标类": (23, "21684.45")}),
}
ASSETS = {  # as_of, 编制, 实有, office area, 100万元以上通用设备, non-zero vehicle types
    ADMIN: ("2025年12月31日", 8, 8, "13998", 1, {"应急保障用车": 7, "执法执勤用车": 1}),
    APPROVAL: ("2025年12月31日", 0, 0, "92", 0, {}),
    INDUSTRY: ("2024年12月31日", 0, 0, "0", 0, {}),
    URBAN: ("2024年12月31日", 0, 60, "5136.8", 0, {"执法执勤用车": 60}),
}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_twelve_sections_in_order(narratives, doc_id):
    sections = narratives[doc_id].sections
    assert [s.number for s in sections] == list("一二三四五六七八九十") + ["十一", "十二"]
    assert "三公" in sections[6].title and "政府采购" in sections[8].title and "国有资产" in sections[10].title
    assert all(s.part == "情况说明" and s.text and s.location.line for s in sections)


def test_section_text_keeps_the_no_data_sentence(narratives):
    assert narratives[APPROVAL].sections[6].text == "本部门无“三公”经费预算。"
    assert narratives[ADMIN].sections[7].text == "我单位无机关运行经费。"


def test_attached_documents_are_not_part_of_the_last_section(narratives):
    # each document attaches a 财政局/财政厅 文件 after 十二、其他说明
    for narrative in narratives.values():
        last = narrative.sections[-1]
        assert last.title == "其他说明" and len(last.text) < 500
        assert not any(line.endswith(("文件", "印发", "通知")) for line in last.text.splitlines())


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_totals_and_their_change(narratives, doc_id):
    value, change, percent = map(D, TOTALS[doc_id])
    for subject in ("预算收入总计", "预算支出总计"):
        stated = figure(narratives[doc_id], subject)
        assert (stated.value, stated.change, stated.change_percent) == (value, change, percent)
        assert stated.reason.startswith("主要原因是") and stated.section.startswith("一、")
    value, change, percent = map(D, CURRENT_SPENDING[doc_id])
    stated = figure(narratives[doc_id], "一般公共预算当年支出")
    assert (stated.value, stated.change, stated.change_percent) == (value, change, percent)


def test_reason_is_cut_at_the_clause_it_belongs_to(narratives):
    income = figure(narratives[ADMIN], "预算收入总计")
    assert income.reason == "主要原因是严格落实过“紧日子”要求，从严从紧核定年初预算，压减非刚性、非重点项目支出预算"
    # the document runs the next item on after a comma: "…降低运维成本，公务用车运行维护费13.60万元"
    vehicles = figure(narratives[ADMIN], "公务用车购置及运行费")
    assert vehicles.reason.endswith("降低运维成本") and "13.60" not in vehicles.reason
    assert figure(narratives[ADMIN], "因公出国（境）费").reason == "主要原因是根据工作安排，本年度无出国（境）计划"
    # 原因一是…，二是… without 主要; the paragraph is split by a page break in the export
    urban = figure(narratives[URBAN], "机关运行经费")
    assert urban.reason.startswith("原因一是人员数量减少") and urban.reason.endswith("故机关运行经费减少")
    assert "过紧日子要求" in urban.reason


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_three_public_items(narratives, doc_id):
    expected = THREE_PUBLIC[doc_id]
    three_public = [f for f in narratives[doc_id].stated if f.section and f.section.startswith("七、")]
    assert {f.subject for f in three_public} == set(expected)
    for subject, (value, change, direction) in expected.items():
        stated = figure(narratives[doc_id], subject)
        assert (stated.value, stated.change, stated.direction) == (D(value), D(change), direction)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_operating_costs(narratives, doc_id):
    expected = OPERATING_COSTS[doc_id]
    stated = [f for f in narratives[doc_id].stated if f.subject == "机关运行经费"]
    if expected is None:
        assert stated == []
        return
    assert [(f.value, f.change, f.change_percent) for f in stated] == [tuple(map(D, expected))]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_procurement(narratives, doc_id):
    procurement = narratives[doc_id].procurement
    got = (procurement.total, procurement.goods, procurement.works, procurement.services)
    assert got == tuple(map(D, PROCUREMENT[doc_id]))
    assert "政府采购" in procurement.sentence
    assert procurement.location.line is not None


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_performance_summary(narratives, doc_id):
    count, amount, categories = PERFORMANCE[doc_id]
    performance = narratives[doc_id].performance
    assert (performance.project_count, performance.amount) == (count, D(amount))
    assert (performance.published_count, performance.published_amount) == (count, D(amount))
    assert {c.category: (c.count, c.amount) for c in performance.categories} == {
        name: (n, D(value)) for name, (n, value) in categories.items()
    }


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_assets(narratives, doc_id):
    as_of, quota, actual, area, big_equipment, vehicles = ASSETS[doc_id]
    assets = narratives[doc_id].assets
    assert (assets.as_of, assets.vehicles_quota, assets.vehicles_actual) == (as_of, quota, actual)
    assert assets.office_area == D(area)
    assert assets.equipment == {"50万元以上通用设备": 0, "100万元以上通用设备": big_equipment}
    assert {k: v for k, v in assets.vehicles_by_type.items() if v} == vehicles
    assert len(assets.vehicles_by_type) == 7 and "领导用车" in assets.vehicles_by_type
    assert len(assets.sentences) == 3


def test_shares_and_what_they_are_shares_of(narratives):
    shares = {(s.subject, s.whole): (s.value, s.percent) for s in narratives[ADMIN].shares}
    assert shares[("基本支出", "支出预算")] == (D("2835.51"), D("33.24"))
    assert shares[("一般公共预算拨款收入", "预算收入")] == (D("8027.45"), D("94.10"))
    assert shares[("上年结转", "预算收入")] == (D("3.35"), D("0.04"))
    urban = {(s.subject, s.whole): (s.value, s.percent) for s in narratives[URBAN].shares}
    assert urban[("城乡社区支出", "一般公共预算当年支出")] == (D("12859.75"), D("92.08"))
    assert urban[("政府性基金预算拨款收入", "预算收入")] == (D("14235.34"), D("50.34"))
    industry = {(s.subject, s.whole): (s.value, s.percent) for s in narratives[INDUSTRY].shares}
    assert industry[("资源勘探工业信息等支出", "一般公共预算当年支出")] == (D("8392.80"), D("92.04"))


def test_plain_figures_of_basic_expenditure(narratives):
    admin = narratives[ADMIN]
    assert figure(admin, "人员经费").value == D("2392.23")
    assert figure(admin, "公用经费").value == D("443.28")
    # "一般公共预算安排基本支出2,835.51万元": the general budget's part, told apart from 基本支出 of all funds
    assert figure(admin, "一般公共预算基本支出").value == D("2835.51")
    assert figure(admin, "人员经费").direction is None and figure(admin, "人员经费").change is None


# ---------------------------------------------------------------- properties of any disclosure


def amounts_in(text: str) -> set[Decimal]:
    return {parse_amount(m) for m in re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_stated_figures_are_consistent(narratives, doc_id):
    for stated in narratives[doc_id].stated:
        assert stated.subject in SUBJECTS or stated.function_item  # a 功能科目 item, named as printed
        assert stated.location.document == doc_id and stated.location.line is not None
        section = next(s for s in narratives[doc_id].sections if stated.section == f"{s.number}、{s.title}")
        assert stated.sentence in section.text
        if stated.value is not None:
            assert stated.value in amounts_in(stated.sentence)
        if stated.reason:
            assert stated.reason in section.text
        if stated.direction == "持平":
            assert stated.change == 0
        elif stated.direction == "增加":
            assert stated.change is None or stated.change >= 0
            assert stated.change_percent is None or stated.change_percent >= 0
        elif stated.direction == "减少":
            assert stated.change is None or stated.change <= 0
            assert stated.change_percent is None or stated.change_percent <= 0
        else:
            assert stated.change is None and stated.change_percent is None
        if stated.change is not None:
            assert abs(stated.change) in amounts_in(stated.sentence) or stated.direction == "持平"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_three_public_items_add_up(narratives, doc_id):
    narrative = narratives[doc_id]
    total = [f for f in narrative.stated if f.subject == "“三公”经费"]
    if not total:
        return
    items = [figure(narrative, s) for s in THREE_PUBLIC_ITEMS]
    assert abs(sum(f.value for f in items) - total[0].value) <= TOLERANCE
    assert abs(sum(f.change for f in items) - total[0].change) <= TOLERANCE
    vehicles = figure(narrative, "公务用车购置及运行费")
    parts = [figure(narrative, "公务用车购置费"), figure(narrative, "公务用车运行维护费")]
    assert abs(sum(f.value for f in parts) - vehicles.value) <= TOLERANCE
    assert abs(sum(f.change for f in parts) - vehicles.change) <= TOLERANCE


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_shares_add_up_to_their_whole(narratives, doc_id):
    groups: dict[tuple, Decimal] = {}
    for share in narratives[doc_id].shares:
        assert D(0) <= share.percent <= D(100)
        assert share.value in amounts_in(share.sentence) and share.whole
        groups[(share.section, share.whole)] = groups.get((share.section, share.whole), D(0)) + share.percent
    assert len(groups) == 3  # 二 收入构成, 三 基本/项目支出, 五(二) 支出结构
    assert all(abs(total - 100) <= D("0.1") for total in groups.values()), groups


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_procurement_parts_add_up(narratives, doc_id):
    p = narratives[doc_id].procurement
    assert abs(p.goods + p.works + p.services - p.total) <= TOLERANCE
    for value in (p.total, p.goods, p.works, p.services):
        assert value in amounts_in(p.sentence)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_performance_categories_add_up(narratives, doc_id):
    p = narratives[doc_id].performance
    assert sum(c.count for c in p.categories) == p.project_count
    assert abs(sum(c.amount for c in p.categories) - p.amount) <= TOLERANCE


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_vehicle_types_add_up(narratives, doc_id):
    assets = narratives[doc_id].assets
    assert sum(assets.vehicles_by_type.values()) == assets.vehicles_actual


# ---------------------------------------------------------------- the PDF gives the same narrative


def test_pdf_reads_the_same_narrative(narratives, pdf_blocks):
    blocks = pdf_blocks(APPROVAL)
    from_pdf = parse_narrative(blocks, APPROVAL)
    from_text = narratives[APPROVAL]
    assert [(s.number, s.title, s.text) for s in from_pdf.sections] == [
        (s.number, s.title, s.text) for s in from_text.sections
    ]
    strip = {"location"}
    assert [f.model_dump(exclude=strip) for f in from_pdf.stated] == [
        f.model_dump(exclude=strip) for f in from_text.stated
    ]
    assert [f.model_dump(exclude=strip) for f in from_pdf.shares] == [
        f.model_dump(exclude=strip) for f in from_text.shares
    ]
    for part in ("procurement", "performance", "assets"):
        assert getattr(from_pdf, part).model_dump(exclude=strip) == getattr(from_text, part).model_dump(exclude=strip)
    assert all(f.location.page for f in from_pdf.stated)


# ---------------------------------------------------------------- wordings the four documents do not use


def narrative_of(*paragraphs: str, page_break_at: int | None = None) -> object:
    """A tiny disclosure narrative; each string is one block, as a reader would give it."""
    blocks = [Block(kind="heading", text="第三部分 2030年度部门预算情况说明", line=1)]
    for i, text in enumerate(paragraphs, start=2):
        kind = "heading" if re.match(r"^[一二三四五六七八九十]+、", text) and len(text) < 30 else "paragraph"
        blocks.append(Block(kind=kind, text=text, line=i, page=1 if page_break_at is None or i < page_break_at else 2))
    blocks.append(Block(kind="heading", text="第四部分 名词解释", line=len(paragraphs) + 2))
    return parse_narrative(blocks, "synthetic")


def test_numbers_and_paragraphs_cut_by_a_page_break():
    narrative = narrative_of(
        "九、政府采购情况",
        "2030年某局政府采购预算总额2,423.93万元。其中：政府采购货物预算107.55万元、政府采购工程预算155.88万元、政府采购服务预算",
        "2,160.",
        "50万元。",
        page_break_at=4,
    )
    p = narrative.procurement
    assert (p.total, p.goods, p.works, p.services) == (D("2423.93"), D("107.55"), D("155.88"), D("2160.50"))
    assert p.location.page == 1


def test_change_wordings():
    narrative = narrative_of(
        "七、“三公”经费增减变动原因说明",
        "2030年某局“三公”经费预算为12.5万元，比2029年减少2.5万元，下降16.67%。主要原因是压减公务接待。",
        "其中：公务接待费2.50万元，较上年降低1万元，降幅28.57%；公务用车购置及运行费10万元，与上年持平；"
        "因公出国（境）费0万元，与上年预算数相同。",
        "八、机关运行经费增减变动原因说明",
        "本部门机关运行经费预算100.00万元，比上年增长5%，其主要原因是新增人员。",
    )
    three_public = figure(narrative, "“三公”经费")
    assert (three_public.value, three_public.change, three_public.change_percent) == (D("12.5"), D("-2.5"), D("-16.67"))
    assert three_public.reason == "主要原因是压减公务接待"  # given as the next sentence
    reception = figure(narrative, "公务接待费")
    assert (reception.change, reception.change_percent, reception.direction) == (D("-1"), D("-28.57"), "减少")
    assert figure(narrative, "公务用车购置及运行费").direction == "持平"
    assert figure(narrative, "因公出国（境）费").change == 0
    operating = figure(narrative, "机关运行经费")
    assert (operating.value, operating.change, operating.change_percent) == (D("100.00"), None, D("5"))
    assert operating.reason == "主要原因是新增人员"


def test_no_three_public_budget_records_no_figure():
    narrative = narrative_of("七、“三公”经费增减变动原因说明", "本单位无“三公”经费预算。")
    assert narrative.stated == [] and narrative.sections[0].text == "本单位无“三公”经费预算。"


def test_table_of_contents_and_subject_without_amount():
    blocks = [
        Block(kind="paragraph", text="第三部分 2030年度部门预算情况说明.....16", line=1),
        Block(kind="paragraph", text="一、部门预算收支数据变动情况及原因.....16", line=2),
        Block(kind="heading", text="第三部分 2030年度部门预算情况说明", line=3),
        Block(kind="heading", text="一、部门预算收支数据变动情况及原因", line=4),
        Block(kind="paragraph", text="本年一般公共预算当年支出比上年增加12.00万元，增长3.00%。", line=5),
    ]
    narrative = parse_narrative(blocks, "synthetic")
    assert [s.location.line for s in narrative.sections] == [4]
    stated = figure(narrative, "一般公共预算当年支出")
    assert (stated.value, stated.change, stated.change_percent) == (None, D("12.00"), D("3.00"))


def test_a_disclosure_with_project_tables_has_no_prose_project_notes(parsed_text):
    # the 绩效目标表 describe every project of the bundled layout; no narrative section reads as one
    assert all(d.project_notes == [] for d in parsed_text.values())


def test_sub_headings_of_a_section_carry_the_text_under_them(parsed_text):
    from assistant.names import sub_headings

    doc = parsed_text["jincheng-urban-management-bureau-2025"]
    other = next(s for s in doc.sections if s.title == "其他说明")
    headings = {h.title: h.text for h in sub_headings(other)}
    assert list(headings) == ["政府购买服务指导性目录", "其他"]
    assert "平台运行辅助服务279万元" in headings["政府购买服务指导性目录"]
    assert "（二）" not in headings["政府购买服务指导性目录"]
