"""parsing/tables.py and parsing/overview.py on the four real disclosures.

Golden values were read from the text exports by hand (line numbers in the comments);
the properties at the end hold for any disclosure.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model import TableKind as K
from parsing.read_text import read_text_blocks, text_to_blocks
from parsing.tables import column_value, find_row, parse_tables, table_kind, total_row

APPROVAL = "jincheng-etdz-approval-bureau-2026"
INDUSTRY = "jincheng-chengqu-industry-it-bureau-2025"
ADMIN = "jincheng-etdz-admin-committee-2026"
URBAN = "jincheng-urban-management-bureau-2025"
D = Decimal


@pytest.fixture(scope="module")
def tables(text_docs):
    out = {}
    for doc_id, path in text_docs.items():
        parsed = parse_tables(read_text_blocks(path), doc_id)
        standard = [t for t in parsed if t.kind != K.other]
        out[doc_id] = {t.kind: t for t in standard}
        assert len(standard) == len(out[doc_id])  # each standard kind once
    return out


def cell(table, column, *, code=None, name=None, side=None, total=False):
    row = total_row(table, side=side) if total else find_row(table, code=code, name=name, side=side)
    assert row is not None, (table.kind, code, name, side)
    return column_value(row, column)


# --- identity and 概况 --------------------------------------------------------------------


@pytest.mark.parametrize("doc_id, unit, year, kind", [
    (APPROVAL, "晋城经济技术开发区行政审批局", 2026, "部门"),
    (INDUSTRY, "晋城市城区工业和信息化局", 2025, "单位"),
    (ADMIN, "晋城经济技术开发区管理委员会", 2026, "单位"),
    (URBAN, "晋城市城市管理局", 2025, "单位"),
])
def test_identity(text_docs, doc_id, unit, year, kind):
    from parsing.overview import parse_identity

    assert parse_identity(read_text_blocks(text_docs[doc_id])) == (unit, year, kind)


def test_identity_from_name_lines_when_the_cover_is_missing():
    from parsing.overview import parse_identity

    blocks = text_to_blocks("2027年预算收支总表\n\n部门名称：某某县教育局\n\n单位：万元\n\n项目\t金额\n合计\t1.00\n"
                            "\n第三部分 2027年度部门预算情况说明\n")
    assert parse_identity(blocks) == ("某某县教育局", 2027, "部门")


@pytest.mark.parametrize("doc_id, facts", [
    (INDUSTRY, {"在职人员": 16, "内设科室": 6}),  # L122 在职职工16人，内设6个科室
    (URBAN, {"内设科室": 6}),  # L70 内设6个科室
    # L52 …6个科室构成; L434-435 整体绩效目标申报表: 内设职能部门数6个, 核定编制9人, 在职9人
    (APPROVAL, {"内设科室": 6, "核定编制": 9, "在职人员": 9}),
])
def test_overview_facts(text_docs, doc_id, facts):
    from parsing.overview import parse_overview

    overview = parse_overview(read_text_blocks(text_docs[doc_id]), doc_id)
    assert facts.items() <= overview.facts.items()
    assert overview.duties and overview.organisation and overview.location.line


def test_overview_text_stops_at_the_next_part(text_docs):
    from parsing.overview import parse_overview

    overview = parse_overview(read_text_blocks(text_docs[INDUSTRY]), INDUSTRY)
    assert overview.duties.startswith("1、贯彻执行国家工业和信息化工作")
    assert overview.duties.endswith("27、承担区委、区政府交办的其他事项。")
    assert overview.organisation.startswith("城区工信局是政府组成部门")
    assert "第二部分" not in overview.organisation


# --- all 13 tables, empty ones marked -------------------------------------------------------

EMPTY = {
    APPROVAL: {K.fund_income, K.fund_expenditure, K.state_capital, K.three_public, K.operating_costs,
               K.projects_carryover},
    INDUSTRY: {K.fund_income, K.fund_expenditure, K.three_public},
    ADMIN: {K.state_capital, K.operating_costs},
    URBAN: {K.state_capital},
}
ROW_COUNTS = {  # rows per table as printed (two-sided tables: one row per side)
    APPROVAL: [41, 17, 17, 42, 17, 20, 1, 1, 1, 6, 1, 7, 0],
    INDUSTRY: [41, 36, 36, 42, 33, 27, 1, 1, 8, 6, 2, 12, 4],
    ADMIN: [41, 51, 51, 42, 48, 28, 4, 4, 1, 6, 1, 47, 3],
    URBAN: [41, 29, 29, 42, 21, 37, 6, 9, 1, 6, 2, 38, 3],
}


@pytest.mark.parametrize("doc_id", [APPROVAL, INDUSTRY, ADMIN, URBAN])
def test_all_thirteen_tables(tables, doc_id):
    found = tables[doc_id]
    assert set(found) == set(K) - {K.other}
    assert {k for k, t in found.items() if t.empty} == EMPTY[doc_id]
    assert [len(found[k].rows) for k in K if k != K.other] == ROW_COUNTS[doc_id]


def test_unknown_tables_are_kept_as_generic_tables(text_docs):
    """A table of no standard kind (here the 整体支出绩效目标申报表) is kept with its rows, not dropped;
    the 项目支出绩效目标表 stay with parsing/targets.py."""
    parsed = parse_tables(read_text_blocks(text_docs[APPROVAL]), APPROVAL)
    others = [t for t in parsed if t.kind == K.other]
    assert [t.title for t in others] == ["县(区)级预算部门(单位)整体支出绩效目标申报表"]
    assert others[0].rows and others[0].location.line is not None
    assert not any("项目支出绩效目标表" in t.title for t in parsed)


def test_labels_and_titles_as_printed(tables):
    approval = tables[APPROVAL]
    assert approval[K.income_expenditure_summary].label == "预算公开表1"
    assert approval[K.income].label == "预算公开表2"
    assert approval[K.state_capital].label == "部门公开表9"
    assert approval[K.three_public].label == "预算公开表10"
    assert approval[K.expenditure].label is None
    assert approval[K.general_budget_expenditure].title == "2026年一般公共预算支出预算表（不含上年结转）"
    assert tables[INDUSTRY][K.expenditure].title == "2025年预算支出汇总表"
    assert approval[K.income].location.line == 105 and approval[K.income].location.document == APPROVAL


def test_columns_flattened_from_two_level_headers(tables):
    t = tables[APPROVAL]
    assert t[K.income].columns == [
        "本年收入/合计", "本年收入/一般公共预算", "本年收入/政府性基金", "本年收入/国有资本经营预算",
        "本年收入/财政专户管理资金", "本年收入/单位资金", "上年结转"]
    assert t[K.income_expenditure_summary].columns == [
        "收入/金额", "支出/合计", "支出/当年预算安排", "支出/上年结转安排"
    ]
    assert t[K.fiscal_summary].columns == ["收入/金额", "支出/小计", "支出/一般公共预算", "支出/政府性基金预算",
                                           "支出/国有资本经营预算"]
    assert t[K.basic_expenditure_economic].columns == ["政府预算支出经济科目名称", "合计", "人员经费", "公用经费"]
    assert t[K.projects_current].columns == ["合计", "财政拨款/一般公共预算", "财政拨款/政府性基金预算",
                                             "财政拨款/国有资本经营预算", "财政专户管理资金", "单位资金"]
    assert t[K.state_capital].columns == ["收入/国有资本经营收入预算", "支出/合计", "支出/基本支出", "支出/项目支出"]


# --- golden figures -------------------------------------------------------------------------


def test_approval_bureau_figures(tables):
    t = tables[APPROVAL]
    summary = t[K.income_expenditure_summary]
    assert cell(summary, "金额", side="收入", name="收入总计") == D("389.23")  # L99
    assert cell(summary, "合计", side="支出", name="一般公共服务支出") == D("326.40")  # L66
    assert cell(summary, "上年结转安排", side="支出", name="一般公共服务支出") is None  # blank, not 0
    income = t[K.income]
    row = find_row(income, code="201")
    assert row.name == "一般公共服务支出" and row.location.line == 114
    assert column_value(row, "本年收入/一般公共预算") == D("326.40")
    assert cell(t[K.expenditure], "基本支出", total=True) == D("200.14")  # L139
    assert cell(t[K.expenditure], "项目支出", total=True) == D("189.09")
    economic = t[K.basic_expenditure_economic]
    assert [cell(economic, c, total=True) for c in ("合计", "人员经费", "公用经费")] == [
        D("200.14"), D("185.20"), D("14.95")]  # L238
    assert find_row(economic, name="退休费").texts == {"政府预算支出经济科目名称": "离退休费"}  # L257
    projects = t[K.projects_current]
    assert [r.is_total for r in projects.rows] == [True, True, False, False, False, False, False]
    assert projects.rows[-1].name == "金匠工业园区北区区域水资源论证评估经费"  # L343 "论证 评估" rejoined
    assert projects.rows[-1].values["合计"] == D("27.00")


def test_industry_bureau_figures(tables):
    t = tables[INDUSTRY]
    income = t[K.income]
    # L205: page two of 收入总表 printed one column fewer; the carry-over still lands in 上年结转
    row = find_row(income, code="215")
    assert column_value(row, "本年收入/合计") == D("8392.80") and column_value(row, "上年结转") == D("105.45")
    assert column_value(row, "本年收入/单位资金") is None
    row = find_row(income, code="2230105")  # L215
    assert column_value(row, "本年收入/国有资本经营预算") == D("575.28")
    fiscal = t[K.fiscal_summary]  # L301: header printed without its 国有资本经营预算 column
    assert cell(fiscal, "国有资本经营预算", side="支出", name="本年支出合计") == D("575.28")
    assert cell(fiscal, "一般公共预算", side="支出", name="本年支出合计") == D("9224.17")
    assert cell(fiscal, "金额", side="收入", name="上年财政拨款结转") == D("105.45")  # L303
    capital = t[K.state_capital]  # L419-422, coded on both sides
    assert cell(capital, "国有资本经营收入预算", side="收入", total=True) == D("575.28")
    assert cell(capital, "项目支出", side="支出", code="2230105") == D("575.28")
    assert cell(t[K.operating_costs], "合计", total=True) == D("25.53")  # L451
    carryover = t[K.projects_carryover]  # L485-488
    assert [(r.name, r.values["合计"], r.is_total) for r in carryover.rows] == [
        ("晋城市城区工业和信息化局", D("105.45"), True), ("晋城市城区工业和信息化局", D("105.45"), True),
        ("工业转型资金-仿制药一致性评价", D("30.00"), False),
        ("2024年战略性新兴产业区级奖补资金（第一批）", D("75.45"), False)]


def test_admin_committee_figures(tables):
    t = tables[ADMIN]
    three = t[K.three_public]  # L430-435
    assert [(r.name, r.values["合计"]) for r in three.rows] == [
        ("因公出国（境）费", None), ("公务接待费", D("1.00")), ("公务用车购置及运行费", D("31.60")),
        ("①公务用车购置费", D("18.00")), ("②公务用车运行维护费", D("13.60")), ("合计", D("32.60"))]
    assert three.rows[-1].is_total
    fund = t[K.fund_income]
    assert cell(fund, "政府性基金收入预算", code="1030148") == D("500.00")  # L391
    spending = t[K.fund_expenditure]  # L400: 合计 printed in the name column
    assert spending.rows[0].is_total and spending.rows[0].values["合计"] == D("500.00")
    projects = t[K.projects_current]
    assert projects.rows[0].is_total and projects.rows[0].values["合计"] == D("5691.94")  # L458
    assert len([r for r in projects.rows if not r.is_total]) == 46  # 十、绩效管理: 二级项目46个
    assert cell(t[K.income], "上年结转", code="2013902") == D("3.35")  # L142
    assert cell(t[K.income], "本年收入/合计", code="2013902") is None


def test_urban_management_figures(tables):
    t = tables[URBAN]
    projects = t[K.projects_current]
    assert sum(1 for r in projects.rows if not r.is_total) == 37  # 二级项目37个
    # the same project on several rows with different amounts keeps every row (L396, L402, L408)
    same = [(r.values["合计"], r.location.line) for r in projects.rows if r.name == "北石店污水处理厂运营费"]
    assert same == [(D("100.00"), 396), (D("2082.76"), 402), (D("175.24"), 408)]
    assert any(r.name == "晋城市餐厨垃圾、城市粪便及污泥处置费" for r in projects.rows)  # L397 "污 泥"
    assert cell(t[K.fund_income], "政府性基金收入预算", code="1030178") == D("4900.00")  # L330
    assert cell(t[K.three_public], "合计", name="公务接待费") == D("1.00")  # L371
    assert cell(t[K.operating_costs], "合计", total=True) == D("529.14")  # L383
    assert cell(t[K.income], "本年收入/合计", code="2120199") is None  # L141: blank 合计, 结转 77.81
    assert cell(t[K.income], "上年结转", code="2120199") == D("77.81")
    assert cell(t[K.expenditure], "合计", code="21201") == D("5688.46")  # L176


# --- properties of every parsed table ---------------------------------------------------------


def test_every_row_is_located_and_typed(tables):
    for doc_id, found in tables.items():
        for table in found.values():
            for row in table.rows:
                assert row.location.document == doc_id and row.location.line
                assert row.code is None or re.fullmatch(r"\d{3}|\d{5}|\d{7}", row.code)
                assert all(v is None or isinstance(v, Decimal) for v in row.values.values())
                assert not any(c.startswith("列") for c in row.values)
                assert "\t" not in row.name and "  " not in row.name


def test_codes_nest_and_sides_are_complete(tables):
    for found in tables.values():
        for table in found.values():
            codes = {(r.side, r.code) for r in table.rows if r.code}
            for side, code in codes:
                if len(code) > 3:
                    assert (side, code[:-2]) in codes, (table.kind, code)
            if table.kind in (K.income_expenditure_summary, K.fiscal_summary):
                assert {r.side for r in table.rows} == {"收入", "支出"}
            if not table.empty:
                assert any(r.is_total for r in table.rows), table.kind


def test_project_totals_equal_their_projects(tables):
    for found in tables.values():
        for kind in (K.projects_current, K.projects_carryover):
            table = found[kind]
            leaves = [r.values["合计"] for r in table.rows if not r.is_total]
            if leaves:
                assert abs(sum(leaves) - table.rows[0].values["合计"]) <= D("0.03")


def test_pdf_blocks_give_the_same_tables(tables, pdf_blocks):
    """The approval bureau PDF (small, a few seconds) through parsing/read_pdf.py."""
    blocks = pdf_blocks(APPROVAL)
    from_pdf = {t.kind: t for t in parse_tables(blocks, APPROVAL)}
    assert set(from_pdf) == set(K)
    for kind, table in tables[APPROVAL].items():
        other = from_pdf[kind]
        assert (other.empty, other.label, other.columns) == (table.empty, table.label, table.columns)
        assert [(r.side, r.code, r.name, r.values, r.texts, r.is_total) for r in other.rows] == [
            (r.side, r.code, r.name, r.values, r.texts, r.is_total) for r in table.rows]
        assert all(r.location.page for r in other.rows)
    assert from_pdf[K.income].location.page == 7


# --- recognition by meaning, on other units' wording ------------------------------------------


@pytest.mark.parametrize("title, kind", [
    ("表一2026年预算收支总表", K.income_expenditure_summary),
    ("2026年部门收支总表", K.income_expenditure_summary),
    ("预算公开表2 部门收入总表", K.income),
    ("2025年预算支出汇总表", K.expenditure),
    ("部门支出总表", K.expenditure),
    ("财政拨款收支总表", K.fiscal_summary),
    ("2026年一般公共预算支出预算表（不含上年结转）", K.general_budget_expenditure),
    ("一般公共预算财政拨款支出表", K.general_budget_expenditure),
    ("一般公共预算基本支出表", K.basic_expenditure_economic),
    ("2026年一般公共预算安排基本支出分经济科目表（不含上年结转）", K.basic_expenditure_economic),
    ("政府性基金预算收入表", K.fund_income),
    ("政府性基金预算支出表", K.fund_expenditure),
    ("国有资本经营预算支出表", K.state_capital),
    ("一般公共预算“三公”经费支出表", K.three_public),
    ("部门公开表11 机关运行经费预算表", K.operating_costs),
    ("2026年项目支出预算表（本年预算）", K.projects_current),
    ("项目支出表", K.projects_current),
    ("2026年项目支出预算表（上年结转）", K.projects_carryover),
    ("晋城经济技术开发区县(区)级预算部门(单位)项目支出绩效目标表", None),
    ("表一2026年预算收支总表.....", None),
    ("注：本套报表因取数时四舍五入，部分金额可能存在尾差", None),
])
def test_table_kind_from_title(title, kind):
    assert table_kind(title) == kind


AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)


@st.composite
def coded_tables(draw):
    """A 支出总表 of random 类/款/项 rows, as a text export prints it."""
    rows = []
    for i in range(draw(st.integers(1, 3))):
        lei = f"2{i:02d}"
        kuan_rows = []
        for j in range(draw(st.integers(1, 3))):
            kuan = f"{lei}{j + 1:02d}"
            items = [(f"{kuan}{k + 1:02d}", draw(AMOUNTS), draw(AMOUNTS) if draw(st.booleans()) else None)
                     for k in range(draw(st.integers(1, 3)))]
            kuan_rows.append((kuan, items))
        rows.append((lei, kuan_rows))
    return rows, draw(st.booleans()), draw(st.integers(0, 30)), draw(st.sampled_from(
        ["{y}年预算支出总表", "{y}年部门支出总表", "{y}年预算支出汇总表", "部门支出预算总表"]))


def _money(value: Decimal | None, commas: bool) -> str:
    return "" if value is None else (f"{value:,.2f}" if commas else f"{value:.2f}")


@settings(max_examples=60, deadline=None)
@given(coded_tables())
def test_any_coded_table_round_trips(example):
    tree, commas, break_at, title = example
    expected: list[tuple[str, Decimal, Decimal | None]] = []
    for lei, kuans in tree:
        lei_base = lei_proj = D(0)
        lei_rows = []
        for kuan, items in kuans:
            base = sum((b for _, b, _ in items), D(0))
            proj = sum((p or D(0) for _, _, p in items), D(0))
            lei_rows.append((kuan, base, proj))
            lei_rows += [(code, b, p) for code, b, p in items]
            lei_base, lei_proj = lei_base + base, lei_proj + proj
        expected += [(lei, lei_base, lei_proj)] + lei_rows
    lines = ["预算公开表3", "", title.format(y=2027), "", "单位名称：某县某局", "", "单位：万元", "",
             "项目\t\t2027年预算数\t\t", "科目编码\t科目名称\t合计\t基本支出\t项目支出"]
    body = [f"{code}\t科目 {code}\t{_money(b + (p or 0), commas)}\t{_money(b, commas)}\t{_money(p or None, commas)}"
            for code, b, p in expected]
    cut = min(break_at, len(body))
    lines += body[:cut] + ([""] if 0 < cut < len(body) else []) + body[cut:] + ["", "第三部分 情况说明"]
    table = {t.kind: t for t in parse_tables(text_to_blocks("\n".join(lines)), "x")}[K.expenditure]
    assert table.label == "预算公开表3"
    got = [(r.code, r.name, r.values["合计"], r.values["基本支出"], r.values["项目支出"]) for r in table.rows]
    assert got == [(c, f"科目{c}", b + (p or 0), b, p or None) for c, b, p in expected]


def test_pdf_like_blocks_split_across_pages_with_a_repeated_header():
    """Blocks as a PDF reader gives them: page numbers, wrapped cells, thousands separators,
    None for merged cells, the header repeated on the next page."""
    from parsing.blocks import Block

    header = [["项目名称", "合计", "2027年财政拨款", None, "单位资金"],
              [None, None, "一般公共\n预算", "政府性基金\n预算", None]]
    page_one = header + [["某某县某局", "1,234.50", "1,034.50", "200.00", ""],
                         ["办公楼维修改造\n工程", "1,000.00", "1,000.00", "", ""]]
    page_two = header + [["污水处理厂运 营费", "200.00", "", "200.00", ""],
                         ["信息 系统运维", "34.50", "34.50", "", ""]]
    blocks = [
        Block(kind="paragraph", text="部门公开表12", page=9),
        Block(kind="paragraph", text="2027年项目支出预算表", page=9),
        Block(kind="paragraph", text="部门名称：某某县某局 单位：万元", page=9),
        Block(kind="table", rows=page_one, page=9, row_pages=[9] * 4),
        Block(kind="paragraph", text="— 12 —", page=9),
        Block(kind="table", rows=page_two, page=10, row_pages=[10] * 4),
        Block(kind="paragraph", text="2027年项目支出预算表（上年结转）", page=11),
        Block(kind="table", rows=header[:1] + [["某某县某局", "", "", "", ""]], page=11, row_pages=[11, 11]),
        Block(kind="paragraph", text="注：本表无数据", page=11),
    ]
    found = {t.kind: t for t in parse_tables(blocks, "pdf-doc")}
    current = found[K.projects_current]
    assert current.label == "部门公开表12" and current.location.page == 9
    assert current.columns == ["合计", "财政拨款/一般公共预算", "财政拨款/政府性基金预算", "单位资金"]
    assert [(r.name, r.values["合计"], r.is_total, r.location.page) for r in current.rows] == [
        ("某某县某局", D("1234.50"), True, 9), ("办公楼维修改造工程", D("1000.00"), False, 9),
        ("污水处理厂运营费", D("200.00"), False, 10), ("信息系统运维", D("34.50"), False, 10)]
    assert current.rows[2].values["财政拨款/政府性基金预算"] == D("200.00")
    assert current.rows[1].values["单位资金"] is None
    assert found[K.projects_carryover].empty
