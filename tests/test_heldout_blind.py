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
  40/50 after that one abbreviation in prompts/unit_aliases.json, now 49/50;
- tests/heldout_fresh3/: 忻州市忻府区工信局 2026 and 吕梁经开区行政审批服务管理局 2025, written after
  those fixes; first contact 41/50 (82%), now 49/50;
- tests/heldout_fresh4/: 晋中市榆次区城管局 2024 and 长治高新技术产业开发区管委会 2026, written after
  those fixes; first contact 35/50 (70%: 「榆次城管」 without 局, 「买服务」), 41/50 after two data
  lines, now 49/50;
- tests/heldout_fresh5/: 运城市盐湖区工信局 2025 and 太原高新区行政审批局 2027, written after those
  fixes; first contact 45/50 (90%), now 49/50.
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

FRESH2_KNOWN_GAPS = {
    "hg027": "「今年安排多少？明年还要多少」: one clause about a year not published makes the whole question"
             " out of scope",
}

FRESH3_KNOWN_GAPS = {
    # relative years count from the document's year (issue #14; tests/heldout_newunit.jsonl hn007 and
    # hn032 expect the same); this gold counts 去年 from the calendar (2026 -> 2025)
    "hk016": "「去年」 read as the year before the document's 2025, not as calendar 2025",
}

FRESH4_KNOWN_GAPS = {
    "hm027": "「执法大队租办公用房和车库的钱」 for 「直属大队办公用房租赁及库房租赁」: 办公用房 is taken as the "
             "国有资产 measure before any project is looked for",
}

FRESH5_KNOWN_GAPS = {
    "hp045": "a follow-up naming 绩效目标 is read as the count of 绩效目标 projects, "
             "not about the project asked before",
}


@pytest.fixture(scope="module")
def fresh_units(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_fresh")


def test_blind_questions_on_units_in_other_layouts(templates):
    assert failures(ask_all(templates, ROOT / "tests" / "heldout_templates.jsonl")) == {}


def test_blind_questions_on_new_units_of_a_known_layout(new_units):
    assert set(failures(ask_all(new_units, ROOT / "tests" / "heldout_newunit.jsonl"))) == set(NEW_UNIT_KNOWN_GAPS)


def test_blind_questions_asked_the_way_people_write_them(fresh_units):
    assert failures(ask_all(fresh_units, ROOT / "tests" / "heldout_fresh.jsonl")) == {}


@pytest.fixture(scope="module")
def fresh_units_2(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_fresh2")


def test_blind_questions_written_after_the_fixes(fresh_units_2):
    assert set(failures(ask_all(fresh_units_2, ROOT / "tests" / "heldout_fresh2.jsonl"))) == set(FRESH2_KNOWN_GAPS)


@pytest.fixture(scope="module")
def fresh_units_3(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_fresh3")


def test_blind_questions_of_the_third_fresh_set(fresh_units_3):
    assert set(failures(ask_all(fresh_units_3, ROOT / "tests" / "heldout_fresh3.jsonl"))) == set(FRESH3_KNOWN_GAPS)


@pytest.fixture(scope="module")
def fresh_units_4(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_fresh4")


def test_blind_questions_of_the_fourth_fresh_set(fresh_units_4):
    assert set(failures(ask_all(fresh_units_4, ROOT / "tests" / "heldout_fresh4.jsonl"))) == set(FRESH4_KNOWN_GAPS)


@pytest.fixture(scope="module")
def fresh_units_5(tmp_path_factory):
    return open_index(tmp_path_factory, ROOT / "tests" / "heldout_fresh5")


def test_blind_questions_of_the_fifth_fresh_set(fresh_units_5):
    assert set(failures(ask_all(fresh_units_5, ROOT / "tests" / "heldout_fresh5.jsonl"))) == set(FRESH5_KNOWN_GAPS)


def test_a_count_read_from_the_performance_form_cites_the_form_row(fresh_units):
    answer = fresh_units.ask("运城经开区审批局核定编制几个人？")
    quota = next(f for f in answer.figures if f.unit == "人")
    assert quota.value == 9
    assert quota.source.section == "整体支出绩效目标申报表"
    assert quota.source.line == 435  # 核定的人员编制数 | 9人, not the 概况 heading
