"""Understanding questions on the real documents: units (full, short, colloquial), years,
measures, intents, and what follow-ups take from the conversation."""
from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL_FILE, ROOT

REPHRASINGS = ROOT / "tests" / "rephrasings.jsonl"
ADMIN, URBAN = "晋城经济技术开发区管理委员会", "晋城市城市管理局"
APPROVAL, INDUSTRY = "晋城经济技术开发区行政审批局", "晋城市城区工业和信息化局"


@pytest.fixture(scope="module")
def world(parsed_text):
    from assistant.ctx import Ctx
    from assistant.lexicon import load_lexicon
    from assistant.names import NameIndex
    from tools.catalog import Catalog

    docs = list(parsed_text.values())
    return Ctx(Catalog(docs), NameIndex(docs), load_lexicon())


def ask(world, question, history=None):
    from assistant.dialogue import follow

    return follow(history or [], question, world)


def intent(world, question, history=None):
    from assistant.intent import decide_intent

    return decide_intent(ask(world, question, history))


def gold(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


# ---- units ---------------------------------------------------------------------------------

@pytest.mark.parametrize("words, unit", [
    ("晋城经济技术开发区管理委员会", ADMIN), ("开发区管委会", ADMIN), ("经开区管委会", ADMIN), ("管委会", ADMIN),
    ("晋城市城市管理局", URBAN), ("城管局", URBAN), ("市城管局", URBAN), ("城市管理局", URBAN),
    ("开发区行政审批局", APPROVAL), ("审批局", APPROVAL), ("行政审批局", APPROVAL),
    ("城区工信局", INDUSTRY), ("工信局", INDUSTRY), ("工业和信息化局", INDUSTRY),
])
def test_unit_forms_resolve_to_the_held_unit(world, words, unit):
    u = ask(world, f"{words}的预算收入总计是多少？")
    assert u.units == [unit]
    assert not u.unknown_units


def test_several_units_keep_question_order(world):
    u = ask(world, "开发区管委会、城市管理局、开发区行政审批局、城区工信局谁的政府采购最多？")
    assert u.units == [ADMIN, URBAN, APPROVAL, INDUSTRY]


@pytest.mark.parametrize("question, words", [
    ("太原市教育局2023年部门预算收入总计是多少？", "太原市教育局"),
    ("晋城市财政局2025年“三公”经费预算是多少？", "晋城市财政局"),
    ("长治市城市管理局2025年预算收入总计？", "长治市城市管理局"),
    ("高新区行政审批局2026年预算收入总计是多少？", "高新区行政审批局"),
])
def test_units_not_held_are_recognised_not_mapped(world, question, words):
    u = ask(world, question)
    assert u.units == []
    assert u.unknown_units == [words]


def test_place_words_of_the_held_unit_are_not_another_place(world):
    assert ask(world, "城管局和开发区管委会谁的三公经费多").units == [URBAN, ADMIN]
    assert ask(world, "山西省晋城市城市管理局2025年三公经费").units == [URBAN]
    assert ask(world, "2025年晋城市城区工信局人员经费").units == [INDUSTRY]


def test_a_name_shared_by_two_units_asks_back(world):
    u = ask(world, "开发区2026年的三公经费是多少？")
    assert u.units == []
    assert {c for a in u.ambiguous for c in a["candidates"]} == {ADMIN, APPROVAL}


def test_project_names_with_unit_words_are_not_units(world):
    u = ask(world, "晋城市城区工业和信息化局老城管委会经费的商户满意度指标是多少？")
    assert u.units == [INDUSTRY]
    assert u.projects == ["老城管委会经费"]


# ---- years ---------------------------------------------------------------------------------

def test_years_explicit_and_relative(world):
    assert ask(world, "城管局2025年人员经费").years == [2025]
    assert ask(world, "城管局2025年机关运行经费比2024年减少多少？").years == [2025, 2024]
    assert ask(world, "城管局今年的人员经费").relative_year == "this"
    assert ask(world, "管委会的公务接待费去年是多少").relative_year is None  # asks the prior value
    assert ask(world, "那去年呢？", ["审批局2026年预算收入总计是多少？"]).years == [2025]


# ---- measures and intents ------------------------------------------------------------------

@pytest.mark.parametrize("question, measures", [
    ("基本支出和项目支出分别是多少", ["basic", "project"]),
    ("一般公共预算安排的公用经费是多少", ["public_use"]),
    ("财政拨款安排的“三公”经费预算合计多少", ["three_public"]),
    ("公务用车购置及运行费是多少", ["three_public.vehicles"]),
    ("公务用车运行维护费是多少", ["three_public.vehicle_operation"]),
    ("政府采购服务预算多少", ["procurement.services"]),
    ("公共安全支出预算是多少", ["function:204"]),
    ("资源勘探工业信息等支出占一般公共预算当年支出的比例", ["function:215", "general_budget_expenditure"]),
    ("有多少辆公务用车", ["assets.vehicles"]),
])
def test_measures_from_the_lexicon(world, question, measures):
    assert ask(world, "城管局" + question).measures == measures


def test_held_row_and_project_names_are_found(world):
    assert ask(world, "审批局住房公积金预算是多少？").rows == ["住房公积金"]
    u = ask(world, "城管局北石店污水处理厂运营费一共安排了多少？")
    assert u.projects == ["北石店污水处理厂运营费"]
    u = ask(world, "管委会化解期政策兑现资金一共安排多少？")
    assert len(u.projects) == 2 and u.project_words == "化解期政策兑现资金"


@pytest.mark.parametrize("path", [EVAL_FILE, REPHRASINGS], ids=["visible", "rephrasings"])
def test_intent_matches_the_kind_of_question(world, path):
    """The primary intent of every gold question fits its kind (follow-ups, no-data and
    out-of-scope items are judged by their answers, not here)."""
    fits = {"figure": {"figure", "count"}, "change": {"change", "narrative"}, "share": {"share"},
            "compare": {"compare"}, "rank": {"rank"}, "project": {"project"}, "performance": {"performance"},
            "code": {"code"}, "glossary": {"glossary"}, "narrative": {"narrative", "change"},
            "count": {"count", "figure"}}
    from assistant.targets import resolve_targets

    wrong = []
    for q in gold(path):
        if q["kind"] not in fits:
            continue
        u = ask(world, q["question"], q.get("history"))
        found = intent(world, q["question"], q.get("history"))
        targets = resolve_targets(u, world.catalog)
        about_prior_year = isinstance(targets, list) and targets and targets[0].prior_only
        if found not in fits[q["kind"]] and not (q["kind"] == "change" and about_prior_year):
            wrong.append((q["id"], q["question"], found))
    assert wrong == []


def test_out_of_scope_topics(world):
    assert intent(world, "2025年晋城市的地区生产总值（GDP）是多少？") == "out_of_scope"
    assert intent(world, "工信局2025年的决算实际支出是多少？") == "out_of_scope"
    assert intent(world, "今天天气怎么样？") == "out_of_scope"


def test_glossary_needs_a_definition_cue(world):
    assert intent(world, "城管局预算公开中的“机关运行经费”是什么意思？") == "glossary"
    assert intent(world, "城管局机关运行经费是多少？") == "figure"
    assert intent(world, "管委会2026年机关运行经费增加的原因是什么？") == "narrative"
    assert intent(world, "城管局“政府采购”是什么意思？") == "glossary"  # quoted, asked what it means
    assert intent(world, "城管局“政府采购”是多少？") == "figure"


@pytest.mark.parametrize("question, what", [
    ("城管局2025年哪个项级科目钱最多？", "functions_xiang"),
    ("城管局2025年哪个款级科目预算最大？", "functions_kuan"),
    ("城管局2025年哪个类级科目支出最多？", "functions"),
])
def test_rank_by_function_level(world, question, what):
    u = ask(world, question)
    assert u.rank_what == what and intent(world, question) == "rank"


def test_enumerated_siblings_of_a_named_measure_are_named_too(world):
    u = ask(world, "经开区管委会2026年政府采购预算有多少？货物、工程、服务各占多少？")
    assert u.measures == ["procurement", "procurement.goods", "procurement.works", "procurement.services"]
    assert u.share_whole == "procurement" and intent(world, u.question) == "share"


def test_a_part_inside_its_named_parent_leaves_the_parent_as_context(world):
    u = ask(world, "经开区管委会2026年政府采购里给中小企业预留了多少金额？")
    assert (u.measures, u.within) == (["procurement.sme"], "procurement")
    u = ask(world, "城管局2025年三公经费其中公务接待费是多少？")
    assert (u.measures, u.within) == (["three_public.reception"], "three_public")


# ---- follow-ups ----------------------------------------------------------------------------

def test_followup_keeps_unit_and_year_and_narrows_the_measure(world):
    u = ask(world, "其中公务接待费呢？", ["晋城经济技术开发区管理委员会2026年“三公”经费是多少？"])
    assert (u.units, u.years, u.measures, u.within) == ([ADMIN], [2026], ["three_public.reception"], "three_public")


def test_followup_without_a_measure_keeps_the_measure(world):
    u = ask(world, "比上年增加了多少？为什么？", ["晋城市城区工业和信息化局2025年机关运行经费是多少？"])
    assert u.measures == ["operating_costs"] and u.has("change") and u.has("reason")


def test_followup_compare_adds_a_unit(world):
    u = ask(world, "和城管局比呢？", ["工信局2025年机关运行经费是多少？"])
    assert u.units == [INDUSTRY, URBAN] and u.measures == ["operating_costs"]


def test_followup_keeps_the_project(world):
    u = ask(world, "这个项目的污水处理成本标准是多少？", ["晋城市城市管理局2025年北石店污水处理厂运营费安排了多少？"])
    assert u.projects == ["北石店污水处理厂运营费"]


def test_followup_share_of_the_whole_uses_the_parent(world):
    u = ask(world, "那服务类呢？占总额的比例是多少？",
            ["晋城经济技术开发区管理委员会2026年政府采购预算总额是多少？", "其中货物采购多少？"])
    assert u.measures == ["procurement.services"] and u.share_whole == "@parent"


def test_history_accepts_role_dicts_and_skips_assistant_turns(world):
    history = [{"role": "user", "content": "城管局2025年三公经费是多少？"},
               {"role": "assistant", "content": "工信局无三公经费。"}]
    assert ask(world, "其中公务接待费呢？", history).units == [URBAN]


def test_a_new_unit_in_a_followup_replaces_the_old_one(world):
    u = ask(world, "审批局呢？", ["城管局2025年人员经费是多少？"])
    assert u.units == [APPROVAL] and u.measures == ["personnel"]


def test_every_lexicon_alias_asked_alone_names_its_measure(world):
    lex = world.lex
    wrong = []
    for key, measure in lex.measures.items():
        for alias in (measure.label, *measure.aliases):
            u = ask(world, f"城管局2025年{alias}是多少？")
            if u.measures[:1] != [key]:
                wrong.append((key, alias, u.measures))
    assert wrong == []


def test_every_held_project_name_is_recognised(world):
    wrong = []
    for (unit, year), names in world.names.docs.items():
        for project in names.projects:
            u = ask(world, f"{unit}{year}年{project}安排了多少？")
            if project not in u.projects:
                wrong.append((unit, project, u.projects))
    assert wrong == []


# ---- issue 14: names derived from the documents, two-digit years, places before short names ----

@pytest.mark.parametrize("question, year", [
    ("开发区审批局26年预算收入总计是多少？", 2026),
    ("城管局25年度三公经费是多少？", 2025),
    ("2025年城管局三公经费是多少？", 2025),
])
def test_two_digit_years_near_a_held_year(world, question, year):
    assert ask(world, question).years == [year]


def test_a_number_of_years_far_from_any_held_year_is_not_a_year(world):
    assert ask(world, "城管局近80年来三公经费是多少？").years == []


@pytest.mark.parametrize("question, words", [
    ("平遥开发区审批局2026年预算收入总计是多少？", "平遥开发区审批局"),
    ("请问介休经开区管委会2026年三公经费是多少？", "介休经开区管委会"),
    ("真如街道办事处2025年三公经费是多少？", "真如街道办事处"),
])
def test_another_place_before_a_held_units_short_name_is_another_unit(world, question, words):
    u = ask(world, question)
    assert u.units == []
    assert u.unknown_units == [words]


def test_a_held_place_before_a_short_name_keeps_the_unit(world):
    assert ask(world, "请问晋城开发区审批局2026年预算收入总计是多少？").units == [APPROVAL]
    assert ask(world, "2026年开发区审批局预算收入总计是多少？").units == [APPROVAL]


def test_names_the_document_uses_for_its_unit(world):
    # "城区工信局是政府组成部门" in the 概况: a name of the unit; "市城市管理局" (the level word of
    # its own city) would also be inside another city's name, so it is not one
    assert "城区工信局" in world.catalog.stated_names[INDUSTRY]
    assert all(not n.startswith("市") for n in world.catalog.stated_names.get(URBAN, []))
