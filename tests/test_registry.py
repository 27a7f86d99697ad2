"""The measure registry (prompts/measures.json, core/measures.py) and the other rule files of
prompts/ (core/rules.py): they load, a misspelt key fails at load time naming the file and the key,
every measure key a rule file names exists, and a measure added to a copy of the registry is seen
by every reader (lexicon, tools, narrative parser, checks, verification) with no other edit."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core import rules
from core.measures import REGISTRY_FILE, RuleFileError, load_registry, registry, using_registry
from tests.conftest import ROOT, TEXT_DIR

PROMPTS = ROOT / "prompts"
ADMIN = "jincheng-etdz-admin-committee-2026"

# a measure the shipped registry does not have: the 印刷费 row of 一般公共预算基本支出分经济科目表
# (7.00 in the admin committee's table), stated by an added narrative sentence as 8.00
PRINTING = {
    "key": "test.printing", "label": "印刷费", "tool": "印刷费", "unit": "万元", "verified": True,
    "aliases": ["印刷经费", "印刷费用"],
    "lookups": [{"table": "一般公共预算基本支出分经济科目表", "row": ["印刷费"], "column": ["合计"]}],
    "subjects": ["印刷费"],
    "narrative": [{"subject": "印刷费", "wordings": ["印刷费"]}],
    "stated_in": {"table": "一般公共预算基本支出分经济科目表", "column": "合计", "row_with": ["印刷"]},
}
PRINTING_SENTENCE = "印刷费8.00万元，比上年增加1.00万元，增长14.29%，主要原因是宣传资料印制增加。"


def registry_data() -> dict:
    return json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- loading


def test_the_registry_loads():
    reg = load_registry()
    assert len(reg.measures) >= 50
    income = reg.measure("income_total")
    assert income.tool == "收入总计" and income.subject == "预算收入总计" and income.verified
    assert reg.by_tool("基本支出").key == "basic"
    assert reg.by_subject("“三公”经费").key == "three_public"


def test_the_tools_file_is_gone():
    assert not (ROOT / "tools" / "measures.json").exists()


@pytest.mark.parametrize("where", ["measure", "lookup", "top"])
def test_a_misspelt_key_raises_naming_file_and_key(tmp_path, where):
    data = registry_data()
    basic = next(m for m in data["measures"] if m["key"] == "basic")
    if where == "measure":
        basic["aliasez"] = basic.pop("aliases")
    elif where == "lookup":
        basic["lookups"][0]["colum"] = basic["lookups"][0].pop("column")
    else:
        data["bare_word"] = data.pop("bare_words")
    path = write(tmp_path / "measures.json", data)
    with pytest.raises(RuleFileError) as e:
        load_registry(path)
    message = str(e.value)
    assert str(path) in message
    assert {"measure": "aliasez", "lookup": "colum", "top": "bare_word"}[where] in message
    if where != "top":
        assert "[basic]" in message  # the measure is named by its key, not its index


def test_an_unknown_reference_raises(tmp_path):
    data = registry_data()
    next(m for m in data["measures"] if m["key"] == "personnel")["parent"] = "basik"
    with pytest.raises(RuleFileError, match="basik"):
        load_registry(write(tmp_path / "measures.json", data))


def test_an_alias_names_one_measure(tmp_path):
    data = registry_data()
    next(m for m in data["measures"] if m["key"] == "project")["aliases"].append("基本支出")
    with pytest.raises(RuleFileError, match="names two measures"):
        load_registry(write(tmp_path / "measures.json", data))


def test_the_merged_aliases_resolve_to_one_measure():
    from assistant.lexicon import load_lexicon, norm
    from tools.measures import canonical_measure

    lex = load_lexicon()
    for word in ("总收入", "总预算", "预算总收入"):
        assert [h.key for h in lex.find_measures(norm(f"{word}是多少"))] == ["income_total"], word
        assert canonical_measure(word) == "收入总计", word
    assert canonical_measure("财政拨款") == "财政拨款收入"  # what 收支总表 prints as 财政拨款
    assert canonical_measure("服务") == "政府采购服务"  # a whole tool argument …
    assert not any(h.key == "procurement.services" for h in lex.find_measures(norm("一般公共服务怎么样")))
    # in_questions: false — a tool name, answered in questions as another measure
    assert canonical_measure("公务用车编制") == "公务用车编制数" and "assets.vehicle_quota" not in lex.measures
    assert [h.key for h in lex.find_measures(norm("公务用车编制多少辆"))] == ["assets.vehicles"]


@pytest.mark.parametrize("name", sorted(rules.RULE_FILES))
def test_every_rule_file_loads(name):
    assert rules.load_rules(rules.RULE_FILES[name], name) is not None


@pytest.mark.parametrize("name", sorted(rules.RULE_FILES))
def test_a_misspelt_key_in_a_rule_file_raises(tmp_path, name):
    data = json.loads((PROMPTS / name).read_text(encoding="utf-8"))
    data["unknwon_rule"] = data.get("_about", "x")
    write(tmp_path / name, data)
    with pytest.raises(RuleFileError, match=rf"{re.escape(name)}.*unknwon_rule"):
        rules.load_rules(rules.RULE_FILES[name], name, prompts_dir=tmp_path)


def test_a_misspelt_key_inside_a_rule_file_raises(tmp_path):
    data = json.loads((PROMPTS / "scope.json").read_text(encoding="utf-8"))
    data["topics"][0]["unless_stated"] = "执行数"
    write(tmp_path / "scope.json", data)
    with pytest.raises(RuleFileError, match=r"topics\[0\]\.unless_stated"):
        rules.load_rules(rules.Scope, "scope.json", prompts_dir=tmp_path)


# ---------------------------------------------------------------- references


def _strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def test_every_measure_key_named_in_prompts_exists():
    reg = registry()
    keys = {m.key for m in reg.measures}
    namespaces = {k.split(".")[0] for k in keys if "." in k}
    named = []
    for path in sorted(PROMPTS.glob("*.json")):
        for s in _strings(json.loads(path.read_text(encoding="utf-8"))):
            if re.fullmatch(r"[a-z_]+\.[a-z_]+", s) and s.split(".")[0] in namespaces:
                named.append((path.name, s))
    refs = [(m.key, r) for m in reg.measures for r in m.referenced_keys()]
    refs += [("bare_words", k) for k in reg.bare_words.values()]
    refs += [(f"shares.{n}", k) for n, s in reg.shares.items() for k in (s.part, s.whole)]
    refs.append(("function_class_share_of", reg.function_class_share_of))
    assert named and refs
    assert [(where, k) for where, k in named + refs if k not in keys] == []


def test_the_python_tables_are_gone():
    checks = (ROOT / "index" / "checks.py").read_text(encoding="utf-8")
    narrative = (ROOT / "parsing" / "narrative.py").read_text(encoding="utf-8")
    figures = (ROOT / "assistant" / "reply_figures.py").read_text(encoding="utf-8")
    assert "STATED_IN_TABLES" not in checks and "class Figure" not in checks
    assert not re.search(r"^SUBJECTS\s*[:=]", narrative, re.M)
    assert "VERIFIED" not in figures


# ---------------------------------------------------------------- one new measure, every reader


@pytest.fixture()
def with_printing(tmp_path):
    data = registry_data()
    data["measures"].append(PRINTING)
    reg = load_registry(write(tmp_path / "measures.json", data))
    with using_registry(reg):
        yield reg


@pytest.fixture(scope="module")
def printing_doc_file(tmp_path_factory) -> Path:
    """The admin committee's text export with one more narrative sentence (after 公用经费…)."""
    text = (TEXT_DIR / f"{ADMIN}.md").read_text(encoding="utf-8")
    anchor = next(line for line in text.splitlines() if line.startswith("公用经费443.28万元"))
    path = tmp_path_factory.mktemp("printing") / f"{ADMIN}.md"
    path.write_text(text.replace(anchor, anchor + "\n\n" + PRINTING_SENTENCE, 1), encoding="utf-8")
    return path


def test_the_shipped_registry_does_not_know_the_new_measure():
    from tools.measures import canonical_measure

    assert registry().get("test.printing") is None and canonical_measure("印刷经费") is None


def test_the_lexicon_sees_a_new_measure(with_printing):
    from assistant.lexicon import load_lexicon, norm

    lex = load_lexicon()
    assert [h.key for h in lex.find_measures(norm("开发区管委会2026年印刷经费是多少"))] == ["test.printing"]
    assert lex.measures["test.printing"].tool == "印刷费" and lex.measures["test.printing"].verified


def test_the_narrative_parser_sees_a_new_measure(with_printing, printing_doc_file):
    from parsing.narrative import SUBJECTS, parse_narrative
    from parsing.read_text import read_text_blocks

    assert SUBJECTS["印刷费"] == ("印刷费",)
    narrative = parse_narrative(read_text_blocks(printing_doc_file), ADMIN)
    stated = [s for s in narrative.stated if s.subject == "印刷费"]
    assert [(s.value, s.change) for s in stated] == [(Decimal("8.00"), Decimal("1.00"))]


def test_the_tools_checks_and_verification_see_a_new_measure(with_printing, printing_doc_file):
    from index.checks import narrative_vs_table, run_checks
    from parsing.parse import parse_file
    from tools.catalog import Catalog
    from tools.measures import canonical_measure, read_measure
    from tools.types import Figure, VerifyQuery
    from tools.verify import verify_figure

    doc = parse_file(printing_doc_file)
    assert canonical_measure("印刷经费") == "印刷费"
    figure = read_measure(doc, "印刷费")
    assert isinstance(figure, Figure) and figure.value == Decimal("7.00")

    agreement = narrative_vs_table(doc, "test.printing")
    assert agreement.stated.value == Decimal("8.00") and agreement.table.value == Decimal("7.00")
    assert agreement.status == "不一致" and agreement.difference == Decimal("1.00")

    findings = [f for f in run_checks(doc) if f.check == "narrative_vs_table" and "印刷费" in f.message]
    assert [(f.severity, f.expected, f.actual) for f in findings] == [("error", Decimal("7.00"), Decimal("8.00"))]

    result = verify_figure(Catalog([doc]), VerifyQuery(unit=doc.unit, year=doc.year, measure="印刷经费"))
    assert result.status == "不一致"
    assert (result.stated.value, result.table.value) == (Decimal("8.00"), Decimal("7.00"))


def test_build_time_and_answer_time_agree_on_every_shipped_document(parsed_text):
    """One comparison: every statement the checks compare, verify_figure judges the same way."""
    from index.checks import narrative_vs_table
    from tools.catalog import Catalog
    from tools.types import VerifyQuery
    from tools.verify import verify_figure

    reg = registry()
    compared = 0
    for doc in parsed_text.values():
        catalog = Catalog([doc])
        for m in reg.measures:
            if m.stated_in is None or not m.tool:
                continue
            agreement = narrative_vs_table(doc, m)
            if agreement.difference is None:
                continue
            result = verify_figure(catalog, VerifyQuery(unit=doc.unit, year=doc.year, measure=m.tool))
            assert (result.status, result.stated.value, result.table.value) == (
                agreement.status, agreement.stated.value, agreement.table.value or 0), (doc.doc_id, m.key)
            compared += 1
    assert compared >= 20
