"""Real disclosures of another province's layout (../shared/corpus/real-other: Shanghai 普陀区):
nine tables, amounts in 元, “三公”经费 and 机关运行经费 in one table, 部门 documents covering several
units. They parse to a Disclosure, their checks run on what is there, and the assistant answers
the usual questions about them (tests/real_other.jsonl, figures read from the PDFs by hand)."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from core.model import TableKind as K
from index.checks import run_checks
from parsing.tables import find_row, total_row
from tests.conftest import ROOT, SHARED

REAL_OTHER = SHARED / "corpus" / "real-other"
QUESTIONS = ROOT / "tests" / "real_other.jsonl"
COMMERCE = "shanghai-putuo-commerce-commission-2025-unit"
OFFICE = "shanghai-putuo-district-govt-office-2025-dept"
WANLI = "shanghai-putuo-wanli-subdistrict-2024-dept"

pytestmark = pytest.mark.skipif(not REAL_OTHER.is_dir(), reason="../shared/corpus/real-other is absent")


@pytest.fixture(scope="module")
def parsed() -> dict:
    from parsing.parse import parse_file

    return {p.stem: parse_file(p) for p in sorted(REAL_OTHER.glob("*.pdf"))}


@pytest.mark.parametrize("doc_id, unit, year, kind", [
    (COMMERCE, "上海市普陀区商务委员会", 2025, "单位"),
    (OFFICE, "上海市普陀区人民政府办公室", 2025, "部门"),
    (WANLI, "上海市普陀区人民政府万里街道办事处", 2024, "部门"),
])
def test_identity_from_a_cover_that_names_only_the_place(parsed, doc_id, unit, year, kind):
    d = parsed[doc_id]
    assert (d.unit, d.year, d.kind) == (unit, year, kind)


def test_nine_tables_recognised_by_meaning(parsed):
    for d in parsed.values():
        kinds = {t.kind for t in d.tables}
        assert {K.income_expenditure_summary, K.income, K.expenditure, K.fiscal_summary,
                K.general_budget_expenditure, K.fund_expenditure, K.state_capital,
                K.basic_expenditure_economic, K.three_public, K.operating_costs} <= kinds


def test_amounts_printed_in_yuan_are_held_exactly_in_wanyuan(parsed):
    d = parsed[COMMERCE]
    summary = d.table(K.income_expenditure_summary)
    assert (summary.unit, summary.printed_unit) == ("万元", "元")
    assert total_row(summary, side="收入").values["金额"] == Decimal("37151.4655")  # 371,514,655.00元
    economic = d.table(K.basic_expenditure_economic)
    assert total_row(economic).values["公用经费"] == Decimal("171.0062")
    assert find_row(economic, code="30217").values["合计"] == Decimal("1.00")  # 公务接待费 10,000.00元
    three_public = d.table(K.three_public)
    assert three_public.printed_unit is None  # printed in 万元


def test_three_public_and_operating_costs_split_into_the_standard_shape(parsed):
    wanli = parsed[WANLI]
    rows = {r.name: r.values["合计"] for r in wanli.table(K.three_public).rows}
    assert rows == {"因公出国（境）费": Decimal("0"), "公务接待费": Decimal("1.35"),
                    "公务用车购置及运行费": Decimal("46.56"), "①公务用车购置费": Decimal("25"),
                    "②公务用车运行维护费": Decimal("21.56"), "合计": Decimal("47.91")}
    assert total_row(wanli.table(K.operating_costs)).values["合计"] == Decimal("443.18")
    office = parsed[OFFICE].table(K.three_public)
    assert find_row(office, name="因公出国（境）费").values["合计"] == Decimal("839.00")


def test_department_lists_its_units(parsed):
    assert parsed[WANLI].member_units == [
        "上海市普陀区人民政府万里街道办事处（本部）", "上海市普陀区万里街道社区事务受理服务中心",
        "上海市普陀区万里街道社区党群服务中心", "上海市普陀区万里街道城市运行管理中心",
        "上海市普陀区万里街道经济发展服务中心", "上海市普陀区万里街道综合行政执法队"]
    assert parsed[COMMERCE].member_units == []


def test_codes_split_into_columns_and_printed_without_leading_zero(parsed):
    economic = parsed[WANLI].table(K.basic_expenditure_economic)
    assert find_row(economic, code="30102").name == "津贴补贴"  # printed "301 | 2"
    income = parsed[WANLI].table(K.income)
    assert total_row(income).values["本年收入/合计"] == Decimal("15621.1123")  # 合计 merged across 类/款/项


def test_checks_run_on_what_is_there_and_say_what_could_not_run(parsed):
    for doc_id, d in parsed.items():
        findings = run_checks(d)
        assert not [f for f in findings if f.severity == "error"], doc_id
        not_run = [f for f in findings if f.check == "not_run"]
        assert len(not_run) == 1 and "项目支出预算表（本年）" in not_run[0].message
    wanli = run_checks(parsed[WANLI])
    assert any(f.check == "empty_note" and "三公" in f.message for f in wanli)  # 注明空表却有金额


# Blind questions written without seeing the rules: tests/heldout_other.jsonl (first contact 58/75)
# and tests/heldout_other2.jsonl (written later by another hand; first contact 41/50: projects
# described only in 项目经费情况说明, a 功能科目 item named by what it is used for, a 经济分类 类
# ranked inside). Every question of both passes now.
BLIND_SETS = ("heldout_other.jsonl", "heldout_other2.jsonl")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from assistant.service import open_assistant
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("real-other-index")
    build_index(sorted(REAL_OTHER.glob("*.pdf")), index_dir, progress=False)
    return open_assistant(index_dir)


def ask_all(assistant, path: Path) -> dict:
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {q["id"]: (q, assistant.ask(q["question"], q.get("history") or []).to_batch(q["id"]))
            for q in questions}


def failures(answers: dict) -> dict[str, str]:
    sys.path.insert(0, str(SHARED / "eval"))
    from score import judge

    return {qid: verdict[1] for qid, (q, a) in answers.items() if not (verdict := judge(q, a))[0]}


@pytest.fixture(scope="module")
def answers(assistant) -> dict:
    return ask_all(assistant, QUESTIONS)


def test_assistant_answers_the_usual_questions_on_another_layout(answers):
    assert failures(answers) == {}


@pytest.mark.parametrize("questions", BLIND_SETS)
def test_blind_questions_on_another_layout(assistant, questions):
    assert failures(ask_all(assistant, ROOT / "tests" / questions)) == {}


def test_a_project_described_only_in_prose_is_read_by_its_parts(parsed):
    notes = {n.project: n for d in parsed.values() for n in d.project_notes}
    centre = notes["万里街道社区公共服务中心新建工程"]  # named inside its 项目概况, the title names none
    assert list(centre.parts) == ["项目概况", "立项依据", "实施主体", "实施方案", "实施周期", "年度预算安排",
                                  "绩效目标"]
    assert centre.parts["年度预算安排"].startswith("第一季度用款计划158.05万元")
    assert centre.location.page == 33
    assert "区政府督查及建议提案工作业务经费项目" in notes  # named by its section's title


def test_a_project_described_only_in_prose_is_answered_from_the_part_asked(assistant):
    answer = assistant.ask("万里街道社区公共服务中心新建工程的立项依据是什么？")
    assert answer.status == "ok"
    assert "立项依据" in answer.answer and "普发改投【2017】89号" in answer.answer
    assert "用款计划" not in answer.answer  # the part asked, not the whole description
    assert answer.citations[0].page == 33


def test_figures_from_yuan_tables_cite_the_printed_amount(answers):
    _, answer = answers["so01"]
    # each amount of a document printed in 元 is followed by its printed form, exactly
    assert "37151.47万元（合371,514,655.00元）" in answer["answer"]
    sources = [f["source"] for f in answer["figures"]]
    assert any(s.get("note") == "原表以元列示：371514655.00元，已换算为万元" and s.get("page") == 9 for s in sources)


def test_glossary_numbered_in_brackets(parsed):
    """名词解释 entries written "（一）财政拨款收入：是…" (not "一、…：")."""
    for d in parsed.values():
        terms = {g.term: g.definition for g in d.glossary}
        assert len(terms) == 8 and list(terms)[0] == "财政拨款收入"
        assert "日常公用经费支出" in terms["机关运行经费"]
