"""A unit loaded next to the bundled ones is understood as well as they are (issue 14).

Bundled exports renamed by tests/variants.py into units of other places and years
(孝义经济技术开发区管理委员会 2024, built into an index with `index.build.build_index` next to
the four bundled ones; 上海市普陀区人民政府万里街道办事处 2024 and 上海市普陀区人民政府办公室 2025,
loaded into a catalog with them, no index, to keep the run short); every question of
tests/question_variants.py about them (name forms × year forms × measure wordings × question
forms, comparisons, rankings, follow-ups, places not loaded, ambiguous short names, the visible
eval rewritten for them) is answered exactly. Nothing about these units is written in the code
or in prompts/: their names come from their documents.
"""
from __future__ import annotations

import pytest

from tests import question_variants as QV

XIAOYI = "孝义经济技术开发区管理委员会"


HELD_BACK = QV.RENAMED[:1]  # indexed
OTHERS = QV.RENAMED[1:]  # in a catalog only


@pytest.fixture(scope="module")
def renamed_index(built_index, tmp_path_factory):
    """The session index of the four bundled exports plus the held-back renamed document
    (only that one is parsed and embedded here)."""
    return QV.build(tmp_path_factory.mktemp("renamed") / "index", base_index=built_index, renamed=HELD_BACK)


@pytest.fixture(scope="module")
def assistant(renamed_index):
    from assistant.service import open_assistant

    return open_assistant(renamed_index)


@pytest.fixture(scope="module")
def catalog_assistant(parsed_text, tmp_path_factory):
    """The bundled documents and the other renamed ones in a catalog (figures need no index)."""
    from assistant.service import Assistant
    from parsing.parse import parse_file
    from tools.catalog import Catalog

    paths = QV.write_renamed(tmp_path_factory.mktemp("renamed-others"), OTHERS)
    return Assistant(Catalog([*parsed_text.values(), *(parse_file(p) for p in paths)]))


def _check(assistant, questions):
    assert questions
    failures = QV.run(assistant, questions)
    shown = "\n".join(f"{q.question} (history {q.history}) -> {problem}: {answer[:160]}"
                      for q, problem, answer in failures[:20])
    assert not failures, f"{len(failures)}/{len(questions)} wrong:\n{shown}"


def test_names_are_derived_from_the_documents(assistant, catalog_assistant):
    for r in QV.RENAMED:
        catalog = (assistant if r in HELD_BACK else catalog_assistant).catalog
        for form in r.forms:
            resolved = catalog.resolve_unit(form)
            assert getattr(resolved, "unit", None) == r.unit, (form, resolved)


def test_the_issue_questions(assistant):
    a = assistant.ask("孝义开发区管委会2024年预算盘子一共多大？")
    assert a.status == "ok" and XIAOYI in a.answer and "8530.80" in a.answer
    a = assistant.ask("孝义经开区24年一般公共预算拨款有多少？")
    assert a.status == "ok" and XIAOYI in a.answer and "8027.45" in a.answer


GROUPS = {
    "figures": lambda c, r: QV.figure_questions(c, r, every=2),
    "compare-rank": QV.cross_unit_questions,
    "places-ambiguous": QV.scope_questions,
    "dialogue-spending": QV.dialogue_questions,
    "visible-eval": lambda c, r: QV.eval_questions(r),
}


@pytest.mark.parametrize("group", GROUPS)
def test_held_back_document(assistant, group):
    _check(assistant, GROUPS[group](assistant.catalog, HELD_BACK))


@pytest.mark.parametrize("group", [g for g in GROUPS if g != "visible-eval"])  # the eval asks for passages too
def test_other_renamed_units(catalog_assistant, group):
    _check(catalog_assistant, GROUPS[group](catalog_assistant.catalog, OTHERS))
