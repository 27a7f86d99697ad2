"""Tables printed in shapes other than the bundled template's: last year's budget beside this
year's, and the “三公”经费 items as columns with the 机关运行经费 in the same table."""
from __future__ import annotations

from decimal import Decimal

from core.model import TableKind as K
from parsing.parse import parse_file
from parsing.tables import find_row, total_row
from tests.conftest import ROOT

HEAD = """# 青山县财政局2025年部门预算公开

预算单位：青山县财政局

## 2025年部门收支总表

单位：万元

| 收入项目 | 2025年预算数 | 支出项目 | 2025年预算数 |
| --- | --- | --- | --- |
| 一、一般公共预算拨款收入 | 100.00 | 一、一般公共服务支出 | 100.00 |
| 收入总计 | 100.00 | 支出总计 | 100.00 |
"""

PRIOR_YEAR_FIRST = HEAD + """
## 2025年一般公共预算“三公”经费支出表

单位：万元

| 项目 | 2024年预算数 | 2025年预算数 | 增减 |
| --- | --- | --- | --- |
| 合计 | 12.00 | 10.00 | -2.00 |
| 因公出国（境）费 | 2.00 | 0.00 | -2.00 |
| 公务接待费 | 4.00 | 4.00 | 0.00 |
| 公务用车购置及运行费 | 6.00 | 6.00 | 0.00 |
"""

ITEMS_AS_COLUMNS = HEAD + """
## 2025年“三公”经费和机关运行经费预算表

单位：元

| 合计 | 因公出国(境)费 | 公务接待费 | 公务用车购置及运行费/小计 | 公务用车购置及运行费/购置费 | 公务用车购置及运行费/运行费 | 机关运行经费预算数 |
| --- | --- | --- | --- | --- | --- | --- |
| 95,000.00 | 0.00 | 15,000.00 | 80,000.00 | 50,000.00 | 30,000.00 | 1,234,500.00 |
"""  # noqa: E501 (a Markdown table row: one row of the document, it cannot wrap)


def _parse(tmp_path, text: str):
    path = tmp_path / "qingshan-finance-2025.md"
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def test_last_years_column_keeps_its_year_and_never_replaces_this_years(tmp_path):
    d = _parse(tmp_path, PRIOR_YEAR_FIRST)
    table = d.table(K.three_public)
    assert table.columns == ["2024年/预算数", "合计", "增减"]
    total = total_row(table)
    assert total.values["合计"] == Decimal("10.00") and total.values["2024年/预算数"] == Decimal("12.00")
    assert find_row(table, name="公务接待费").values["合计"] == Decimal("4.00")


def test_items_as_columns_become_rows_and_the_operating_costs_a_table(tmp_path):
    d = _parse(tmp_path, ITEMS_AS_COLUMNS)
    three_public = d.table(K.three_public)
    rows = {r.name: r.values["合计"] for r in three_public.rows}
    assert rows == {"因公出国（境）费": Decimal("0.00"), "公务接待费": Decimal("1.50"),
                    "公务用车购置及运行费": Decimal("8.00"), "①公务用车购置费": Decimal("5.00"),
                    "②公务用车运行维护费": Decimal("3.00"), "合计": Decimal("9.50")}
    assert three_public.printed_unit == "元"
    operating = d.table(K.operating_costs)
    assert total_row(operating).values["合计"] == Decimal("123.45")


PROVINCE = ROOT / "tests" / "heldout_province" / "sichuan-qinglan-education-bureau-2025.md"


def test_a_unit_line_beside_the_department_line_sets_the_table_in_yuan():
    # 「部门：青岚县教育局 <tabs> 单位：元」 is one row of the grid in a text export
    doc = parse_file(PROVINCE)
    income = doc.table(K.income)
    assert income.printed_unit == "元" and income.unit == "万元"
    assert total_row(income).values["合计"] == Decimal("2625.91")
    assert doc.table(K.income_expenditure_summary).printed_unit is None  # printed in 万元


def test_split_subject_codes_and_member_units_of_a_department_document():
    doc = parse_file(PROVINCE)
    spending = doc.table(K.general_budget_expenditure)
    assert find_row(spending, code="2050201").values["合计"] == Decimal("535.64")  # 205 | 02 | 01: three cells
    assert doc.member_units == ["青岚县教育局（本级）", "青岚县实验幼儿园", "青岚县教师发展中心"]
    assert {t.unit for t in doc.targets} == {"万元"}  # the forms print 「单位：万元」


def test_a_page_footer_of_a_text_export_is_not_text():
    from parsing.read_text import text_to_blocks

    blocks = text_to_blocks("第一段。\n\n— 12 —\n\n第二段。\n第3页 共17页\n")
    assert [b.text for b in blocks] == ["第一段。", "第二段。"]


HUNAN = ROOT / "tests" / "heldout_province2" / "hunan-shaoyang-zijiang-health-bureau-2026.md"


def test_the_narrative_part_is_found_by_its_title_wherever_it_stands():
    doc = parse_file(HUNAN)  # 第一部分 2026年部门预算说明, then 第二部分 …公开表
    assert [s.number for s in doc.sections][:3] == ["一", "二", "三"]
    assert doc.performance.project_count == 14 and doc.procurement is not None


def test_units_listed_one_per_line_and_targets_in_one_wide_table():
    doc = parse_file(HUNAN)
    assert doc.member_units == ["邵阳市资江区卫生健康局（本级）", "邵阳市资江区疾病预防控制中心",
                                "邵阳市资江区妇幼保健计划生育服务中心"]
    first = doc.targets[0]
    assert (first.project, first.funds_year, first.unit) == ("基本公共卫生服务区级配套资金", Decimal("386.00"), "万元")
    assert first.indicators[0].level3 == "居民电子健康档案建档率" and first.indicators[0].value == "≥90%"
    assert all(t.project != "邵阳市资江区卫生健康局（本级）" for t in doc.targets)  # a unit's subtotal row
