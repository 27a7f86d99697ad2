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
