"""Question shapes found by probing the assistant by hand: amount thresholds on project lists,
definitions led by an interrogative, and "which bureau" as a question over all units."""
from decimal import Decimal as D

import pytest


@pytest.fixture(scope="module")
def assistant(parsed_text):
    from assistant.service import Assistant
    from tools.catalog import Catalog

    return Assistant(Catalog(list(parsed_text.values())))


def values(answer) -> set[D]:
    return {f.value for f in answer.figures}


def test_strict_threshold_excludes_the_limit_itself(assistant, parsed_text):
    answer = assistant.ask("经开区管委会超过500万的项目有哪些？")
    assert answer.status == "ok"
    assert values(answer) == {D("1108.00"), D("654.00")}, "500.00 is not 超过500万"


def test_inclusive_threshold_and_a_threshold_in_yi(assistant):
    inclusive = assistant.ask("经开区管委会500万元以上的项目有哪些？")
    assert D("500.00") in values(inclusive) and len(inclusive.figures) == 3
    none = assistant.ask("工信局超过1亿的项目有哪些")
    assert none.status == "ok" and "没有" in none.answer and values(none) == {D("8000.00")}


def test_threshold_below(assistant):
    answer = assistant.ask("审批局低于10万的项目有哪些？")
    assert values(answer) == {D("3.30")}


@pytest.mark.parametrize("question, words", [
    ("什么是政府购买服务？", "服务供应商"),
    ("何谓财政专户管理资金", "教育收费"),
    ("何为上年结转？", "按原规定用途继续使用"),
])
def test_definitions_led_by_an_interrogative(assistant, question, words):
    answer = assistant.ask(question)
    assert answer.status == "ok" and words in answer.answer


def test_which_bureau_compares_every_unit(assistant):
    answer = assistant.ask("哪个局的三公经费最多？")
    assert answer.status == "ok"
    assert {D("32.60"), D("1.00")} <= values(answer)


@pytest.mark.parametrize("question, words", [
    ("城管局预算公开里说的“机关运行经费”是什么意思？", "公用经费支出"),
    ("城管局的名词解释里“项目支出”是怎么定义的？", "在基本支出之外"),
])
def test_a_quoted_measure_asked_what_it_means_is_defined_not_summed(assistant, question, words):
    answer = assistant.ask(question)
    assert answer.status == "ok" and words in answer.answer and not answer.figures


def test_a_quoted_name_no_glossary_holds_is_not_replaced_by_a_near_term(assistant):
    answer = assistant.ask("城管局“政府采购”是什么意思？")
    assert answer.status == "no_data" and "政府购买服务”：" not in answer.answer and not answer.figures


@pytest.mark.parametrize("question, top, level", [
    ("城管局2025年哪个项级科目钱最多？多少万元？", D("5800.00"), "（项）"),
    ("城管局2025年哪个款级科目预算最大？", D("5800.00"), "（款）"),
])
def test_rank_by_function_code_level(assistant, question, top, level):
    answer = assistant.ask(question)
    assert answer.status == "ok" and level in answer.answer
    assert answer.figures[0].value == top
    codes = [row["科目编码"] for row in answer.table]
    assert all(len(code) == (7 if level == "（项）" else 5) for code in codes)


def test_parts_named_with_their_parent_each_get_a_share_of_it(assistant):
    answer = assistant.ask("经开区管委会2026年政府采购预算有多少？货物、工程、服务各占多少？")
    assert answer.status == "ok"
    assert {D("2423.93"), D("107.55"), D("155.88"), D("2160.50")} <= values(answer)
    assert {D("4.44"), D("6.43"), D("89.13")} <= values(answer)


def test_a_part_asked_inside_its_parent_is_not_answered_by_the_parent(assistant):
    answer = assistant.ask("经开区管委会2026年政府采购里给中小企业预留了多少金额？")
    assert answer.status == "no_data" and "中小企业" in answer.answer
    assert D("2423.93") not in values(answer)
