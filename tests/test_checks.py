"""index/checks.py: the real disclosures' own consistency, real errors found in them, and
injected errors that must be caught."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.model import Disclosure, Finding
from core.model import TableKind as K
from index.checks import TOLERANCE, run_checks
from parsing.tables import find_row, total_row

APPROVAL = "jincheng-etdz-approval-bureau-2026"
INDUSTRY = "jincheng-chengqu-industry-it-bureau-2025"
ADMIN = "jincheng-etdz-admin-committee-2026"
URBAN = "jincheng-urban-management-bureau-2025"
D = Decimal

# Every finding above rounding in the four text exports, read and confirmed in the documents.
KNOWN = {
    APPROVAL: [("warning", "narrative_vs_table", "支出”326.40万元")],  # L389: 一般公共预算支出 means 一般公共服务支出
    INDUSTRY: [("warning", "narrative_vs_table", "支出”266.25万元")],  # L520: same slip
    ADMIN: [("warning", "code_name", "科目20604在收入总表中名为“技术与研究开发”"),  # L151 vs L212
            ("warning", "code_name", "科目2060499在收入总表中名为“其他技术与研究开发支出”")],  # L152 vs L213
    URBAN: [("error", "narrative_inconsistent", "其他运转类项目14个的金额前后不一致")],  # L519: 2,032.20 then 2,032.00
}


@pytest.fixture(scope="module")
def findings(parsed_text) -> dict[str, list[Finding]]:
    return {doc_id: run_checks(d) for doc_id, d in parsed_text.items()}


@pytest.mark.parametrize("doc_id", [APPROVAL, INDUSTRY, ADMIN, URBAN])
def test_only_known_findings_above_rounding(findings, doc_id):
    serious = [f for f in findings[doc_id] if f.severity != "rounding"]
    assert len(serious) == len(KNOWN[doc_id])
    for severity, check, text in KNOWN[doc_id]:
        assert any(f.severity == severity and f.check == check and text in f.message for f in serious), text


def test_children_sum_to_parents_and_totals_reconcile(findings):
    """Property over all documents: every parent/child, row, total and cross-table relation
    holds within the documents' rounding (尾差)."""
    for doc_findings in findings.values():
        for f in doc_findings:
            if f.check in ("parent_sum", "row_sum", "total_rows", "cross_table", "three_public_sum"):
                assert f.severity == "rounding" and abs(f.expected - f.actual) <= TOLERANCE, f.message


def test_a_real_rounding_difference_is_reported(findings):
    # approval bureau 表六 L238: 人员经费185.20 + 公用经费14.95 = 200.15, printed 合计 200.14
    match = [f for f in findings[APPROVAL] if f.check == "row_sum" and "人员经费、公用经费" in f.message]
    assert len(match) == 1
    f = match[0]
    assert (f.severity, f.expected, f.actual) == ("rounding", D("200.15"), D("200.14"))
    assert [loc.line for loc in f.locations] == [238] and "尾差" in f.message


def test_narrative_figures_are_checked_against_tables(parsed_text, findings):
    # the narrative parser reads these; every one equals its table (no finding) in the documents
    admin = parsed_text[ADMIN]
    subjects = {s.subject for s in admin.stated}
    assert {"预算收入总计", "一般公共预算基本支出", "人员经费", "公用经费", "“三公”经费"} <= subjects
    assert not [f for f in findings[ADMIN] if f.check in ("narrative_vs_table", "share_percent", "change_percent")
                and f.severity == "error"]


# --- injected errors ------------------------------------------------------------------------


def _with(d: Disclosure, kind: K, code: str | None, name: str | None, column: str, value: Decimal) -> Disclosure:
    copy = d.model_copy(deep=True)
    row = find_row(copy.table(kind), code=code, name=name)
    row.values[column] = value
    return copy


def test_a_wrong_child_breaks_its_parent_the_row_and_the_other_tables(parsed_text):
    broken = _with(parsed_text[APPROVAL], K.expenditure, "2010350", None, "合计", D("147.31"))  # was 137.31
    errors = [f for f in run_checks(broken) if f.severity == "error"]
    parent = [f for f in errors if f.check == "parent_sum" and "科目20103" in f.message and "“合计”列" in f.message]
    assert parent and parent[0].expected == D("336.40") and parent[0].actual == D("326.40")
    assert parent[0].locations[0].line == 141  # the parent row, 支出总表 L141
    assert any(f.check == "row_sum" and "科目2010350" in f.message for f in errors)
    assert any(f.check == "cross_table" and "科目2010350" in f.message for f in errors)


def test_three_public_items_must_add_up(parsed_text):
    broken = _with(parsed_text[ADMIN], K.three_public, None, "①公务用车购置费", "合计", D("19.00"))
    found = [f for f in run_checks(broken) if f.check == "three_public_sum" and f.severity == "error"]
    assert found and "购置费与运行维护费之和" in found[0].message and found[0].expected == D("32.60")


def test_a_narrative_figure_that_differs_from_its_table_is_an_error(parsed_text):
    broken = parsed_text[URBAN].model_copy(deep=True)
    stated = next(s for s in broken.stated if s.subject == "预算收入总计")
    stated.value = D("28278.18")  # the table says 28,278.81
    found = [f for f in run_checks(broken) if f.check == "narrative_vs_table" and f.severity == "error"]
    assert len(found) == 1 and found[0].expected == D("28278.81") and found[0].actual == D("28278.18")
    assert "情况说明所述预算收入总计" in found[0].message and found[0].locations[-1].line == stated.location.line


def test_cross_table_totals(parsed_text):
    broken = parsed_text[INDUSTRY].model_copy(deep=True)
    total_row(broken.table(K.income_expenditure_summary), side="收入", contains="总计").values["金额"] = D("9800.45")
    messages = [f.message for f in run_checks(broken) if f.severity == "error"]
    assert any("收入总计与支出总计" in m for m in messages)


def test_checks_never_raise(parsed_text):
    d = parsed_text[APPROVAL]
    # with no table at all, the only finding says which checks could not run
    assert [f.check for f in run_checks(d.model_copy(update={"tables": []}, deep=True))] == ["not_run"]
    odd = d.model_copy(deep=True)
    for table in odd.tables:
        for row in table.rows[::2]:
            row.values = {}
            row.code = "1"
    assert isinstance(run_checks(odd), list)


def test_a_section_stating_two_amounts_for_one_thing_is_flagged(parsed_text, findings):
    # L519: 其他运转类项目14个，涉及金额2,032.20万元 … 其他运转类项目14个，涉及项目金额2,032.00万元
    found = [f for f in findings[URBAN] if f.check == "narrative_inconsistent"]
    assert len(found) == 1
    assert (found[0].expected, found[0].actual) == (D("2032.20"), D("2032.00"))
    assert found[0].locations[0].line == parsed_text[URBAN].performance.location.line
    # the other documents state each category once, or twice alike
    for doc_id in (APPROVAL, INDUSTRY, ADMIN):
        assert not [f for f in findings[doc_id] if f.check == "narrative_inconsistent"]


def test_repeated_amounts_that_agree_are_not_flagged(parsed_text):
    fixed = parsed_text[URBAN].model_copy(deep=True)
    for section in fixed.sections:
        section.text = section.text.replace("2,032.00万元", "2,032.20万元")
    assert not [f for f in run_checks(fixed) if f.check == "narrative_inconsistent"]


def test_an_injected_second_amount_is_flagged(parsed_text):
    broken = parsed_text[ADMIN].model_copy(deep=True)
    perf = broken.performance
    category = perf.categories[0]
    section = next(s for s in broken.sections if perf.sentence[:20] in s.text)
    section.text += (f"其中：{category.category}项目{category.count}个，"
                     f"涉及项目金额{category.amount + 1}万元。")
    found = [f for f in run_checks(broken) if f.check == "narrative_inconsistent"]
    assert len(found) == 1 and found[0].expected == category.amount and found[0].actual == category.amount + 1
