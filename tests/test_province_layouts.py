"""Layout details of the Jiangxi, Chongqing and Shaanxi blind documents, parsed one by one (the
questions about them are in tests/test_heldout_blind.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.model import TableKind
from parsing.parse import parse_file
from tests.conftest import ROOT
from tools.changes import table_change


def parsed(folder: str):
    return parse_file(next((ROOT / "tests" / folder).glob("*.md")))


@pytest.fixture(scope="module")
def jiangxi():
    return parsed("heldout_province12")


@pytest.fixture(scope="module")
def chongqing():
    return parsed("heldout_province13")


@pytest.fixture(scope="module")
def shaanxi():
    return parsed("heldout_province14")


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
