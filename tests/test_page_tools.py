"""What the app's pages compute, at its home behind the tools (tools/term_list, code_tree,
comparable, documents, passages; index/upload; assistant/examples, compose), on the real
documents; and the tool-call recorder of `cli.py explain`."""
from __future__ import annotations

import inspect
import os
import subprocess
import sys

import pytest
from conftest import BAD_DIR, ROOT, TEXT_DIR

from assistant.compose import Reply, without_disagreements
from assistant.examples import example_questions, example_templates
from assistant.lexicon import load_lexicon
from core.errors import DisclosureError
from core.generations import current_generation
from core.settings import OFFLINE_ENVIRONMENT
from index.upload import ingest_upload, safe_name, upload_doc_id
from tools import CompareQuery, MeasureQuery, TermQuery, compare_units, define_term, lookup_measure
from tools.catalog import Catalog
from tools.code_tree import CodeTreeQuery, code_tree
from tools.comparable import ComparableQuery, comparable_measures
from tools.documents import DocumentListQuery, list_documents, stored_findings
from tools.passages import Passage, PassageQuery, cited_passage
from tools.term_list import TermListQuery, list_terms, search_names
from tools.trace import recording
from tools.types import NoData

ETDZ = "晋城经济技术开发区管理委员会"
APPROVAL = "jincheng-etdz-approval-bureau-2026"
APPROVAL_UNIT = "晋城经济技术开发区行政审批局"


@pytest.fixture(scope="module")
def catalog(parsed_text) -> Catalog:
    return Catalog(list(parsed_text.values()))


# ---- 名词解释 ----------------------------------------------------------------------------------

def test_every_term_once_with_each_units_definition_and_its_source(catalog):
    glossary = list_terms(catalog, TermListQuery())
    names = [e.term for e in glossary.terms]
    assert len(names) == len(set(names)) == glossary.held
    three = [e for e in glossary.terms if e.term.replace("“", "").replace("”", "") == "三公经费"]
    assert len(three) == 1, "“三公”经费 and 三公经费 are one term"
    running = next(e for e in glossary.terms if e.term == "机关运行经费")
    assert {"晋城市城市管理局", APPROVAL_UNIT, ETDZ} <= set(running.units)
    for d in running.definitions:
        assert d.source.section == "名词解释" and d.source.document and (d.source.page or d.source.line)
    assert sum(len(v.definitions) for v in running.variants) == len(running.definitions)


def test_term_search_is_fuzzy_and_says_nothing_for_an_unrelated_word(catalog):
    found = list_terms(catalog, TermListQuery(search="机关运行费"))  # not the printed term
    assert found.terms[0].term == "机关运行经费"
    assert list_terms(catalog, TermListQuery(search="三公经费")).terms[0].term == "“三公”经费"
    assert list_terms(catalog, TermListQuery(search="完全无关的词")).terms == []
    assert search_names("", ["甲", "乙"]) == ["甲", "乙"]


def test_differing_definitions_are_grouped_and_agree_with_define_term(parsed_text):
    doc = parsed_text[APPROVAL]
    glossary = [g.model_copy(update={"definition": "专指本单位的办公经费。"}) if g.term == "机关运行经费" else g
                for g in doc.glossary]
    catalog = Catalog([d for k, d in parsed_text.items() if k != APPROVAL]
                      + [doc.model_copy(update={"glossary": glossary})])
    entry = next(e for e in list_terms(catalog, TermListQuery()).terms if e.term == "机关运行经费")
    assert entry.differs and len(entry.variants) == 2
    redefined = next(v for v in entry.variants if v.definition.startswith("专指"))
    assert [d.unit for d in redefined.definitions] == [APPROVAL_UNIT]
    result = define_term(catalog, TermQuery(term="机关运行经费"))
    assert result.differs and result.variants == len(entry.variants)


# ---- 科目编码 ----------------------------------------------------------------------------------

def test_code_tree_lists_every_class_with_its_levels_and_marks_a_search(catalog):
    tree = code_tree(catalog, CodeTreeQuery())
    classes = {c.code: c for c in tree.classes}
    assert "201" in classes and classes["201"].family == "支出功能分类科目"
    assert not any(c.hit for c in tree.classes), "no search, no hit"
    social = classes["208"]
    assert {lv.level for lv in social.levels} == {"类", "款", "项"}
    assert social.levels[0].code == "208" and [lv.code for lv in social.levels[1:]] == sorted(
        lv.code for lv in social.levels[1:])
    assert all(lv.code.startswith("208") for lv in social.levels)
    searched = code_tree(catalog, CodeTreeQuery(search="2080505"))
    assert [c.code for c in searched.classes if c.hit] == ["208"]
    by_name = code_tree(catalog, CodeTreeQuery(search="城乡社区"))
    assert "212" in [c.code for c in by_name.classes if c.hit]


# ---- comparison menu -----------------------------------------------------------------------

def test_every_comparable_measure_has_a_value_for_some_unit(catalog):
    options = {o.label: o for o in comparable_measures(catalog, ComparableQuery()).measures}
    for wanted in ("“三公”经费", "公务接待费", "基本支出占比", "人员经费", "机关运行经费",
                   "功能分类：212 城乡社区支出"):
        assert wanted in options
    assert options["功能分类：212 城乡社区支出"].measure == "212"
    for option in options.values():
        assert option.units_with_value >= 1
        rows = compare_units(catalog, CompareQuery(units=[], measure=option.measure)).rows
        assert sum(r.figure is not None for r in rows) == option.units_with_value
        assert all(r.figure.source.document for r in rows if r.figure), "figures carry their source"
    everything = comparable_measures(catalog, ComparableQuery(with_value_only=False)).measures
    assert len(everything) >= len(options)


# ---- documents and findings ----------------------------------------------------------------

def test_documents_with_what_was_read_and_the_stored_findings(built_index):
    catalog = Catalog.open(built_index)
    findings = stored_findings(built_index)
    assert set(findings) == set(catalog.by_id)
    listing = list_documents(catalog, DocumentListQuery(), findings)
    assert len(listing.documents) == 4
    for d in listing.documents:
        doc = catalog.by_id[d.doc_id]
        assert d.findings == len(findings[d.doc_id])
        assert d.tables == len(doc.tables) and 0 < d.tables_with_data <= d.tables
        assert d.terms == len(doc.glossary) and d.source_kind == "text" and d.pages is None
    assert list_documents(catalog, DocumentListQuery()).documents[0].findings is None, "unknown, not 0"
    one = list_documents(catalog, DocumentListQuery(unit="城管局"))
    assert [d.unit for d in one.documents] == ["晋城市城市管理局"]


def test_no_findings_for_an_index_never_built(tmp_path):
    assert stored_findings(tmp_path) == {}


# ---- passages ------------------------------------------------------------------------------

def test_a_cited_line_gives_the_sentences_read_from_it(catalog, parsed_text):
    doc = parsed_text["jincheng-etdz-admin-committee-2026"]
    stated = next(s for s in doc.stated if s.location.line is not None)
    found = cited_passage(catalog, PassageQuery(document=doc.doc_id, section=stated.section, line=stated.location.line))
    assert isinstance(found, Passage) and stated.sentence in found.text and not found.whole_section
    assert found.source.document == doc.doc_id and found.source.line == stated.location.line


def test_a_cited_section_without_a_sentence_gives_its_start(catalog, parsed_text):
    doc = parsed_text["jincheng-etdz-admin-committee-2026"]
    section = max(doc.sections, key=lambda s: len(s.text))
    found = cited_passage(catalog, PassageQuery(document=doc.doc_id, section=section.title))
    assert isinstance(found, Passage) and found.whole_section
    assert found.text.endswith("……") and section.text.startswith(found.text[:-2])
    assert isinstance(cited_passage(catalog, PassageQuery(document="no-such-document")), NoData)


# ---- chat: examples and the answer's own text ------------------------------------------------

def test_example_questions_name_the_held_units(catalog):
    docs = catalog.disclosures
    questions = example_questions(docs)
    assert len(questions) == len(example_templates()) > 0
    assert all(any(d.unit in q and str(d.year) in q for d in docs) for q in questions)
    assert example_questions([]) == []


def test_the_answer_text_without_its_disagreement_notes():
    lexicon = load_lexicon()
    reply = Reply(lexicon)
    reply.add_text("基本支出200.14万元。")
    reply.disagree("情况说明写基本支出占61.42%，按报表计算为51.42%")
    answer = reply.build("ok")
    assert "61.42" in answer.answer
    assert without_disagreements(answer, lexicon) == "基本支出200.14万元。"


# ---- upload --------------------------------------------------------------------------------

def test_upload_ids_never_take_another_documents():
    assert safe_name("审批局 2026(终稿).md") == "审批局-2026-终稿-md"
    assert upload_doc_id("审批局-2026.md", b"x") == "审批局-2026"
    taken = upload_doc_id("审批局-2026.md", b"x", taken={"审批局-2026"})
    assert taken.startswith("审批局-2026-") and taken != upload_doc_id("审批局-2026.md", b"y", taken={"审批局-2026"})
    assert upload_doc_id("!!!.md", b"x") == "upload"


def test_ingest_upload_replaces_the_same_unit_and_year(app_index):
    before = current_generation(app_index)
    stages = []
    done = ingest_upload("审批局-2026.md", (TEXT_DIR / f"{APPROVAL}.md").read_bytes(), app_index,
                         taken=Catalog.open(app_index).by_id, on_stage=lambda stage, d: stages.append(stage))
    assert (done.unit, done.year) == (APPROVAL_UNIT, 2026) and stages == ["audit", "index"]
    assert current_generation(app_index) != before
    catalog = Catalog.open(app_index)
    assert len(catalog.disclosures) == 4 and done.doc_id in catalog.by_id
    assert stored_findings(app_index)[done.doc_id] == done.findings


def test_ingest_upload_of_a_bad_file_leaves_the_index_alone(app_index):
    before = current_generation(app_index)
    with pytest.raises(DisclosureError):
        ingest_upload("not-a-pdf.pdf", (BAD_DIR / "not-a-pdf.pdf").read_bytes(), app_index)
    assert current_generation(app_index) == before


# ---- tool-call recording --------------------------------------------------------------------

def test_recording_lists_tool_calls_in_order_with_their_queries(catalog):
    query = MeasureQuery(unit="城管局", year=2025, measure="收入总计")
    lookup_measure(catalog, query)  # not recording: nothing kept anywhere
    with recording() as calls:
        lookup_measure(catalog, query)
        comparable = comparable_measures(catalog, ComparableQuery())
    assert calls[0].tool == "lookup_measure" and calls[0].depth == 0
    assert calls[0].query == {"unit": "城管局", "year": 2025, "measure": "收入总计"}
    assert calls[0].result == "MeasureResult"
    assert calls[1].tool == "comparable_measures"
    inner = [c for c in calls[2:] if c.tool == "compare_units"]
    assert len(inner) >= len(comparable.measures) and all(c.depth == 1 for c in inner)
    with recording() as outside:
        pass
    assert outside == []


def test_traced_tools_keep_their_signature():
    assert list(inspect.signature(lookup_measure).parameters) == ["catalog", "query"]
    assert lookup_measure.__name__ == "lookup_measure" and lookup_measure.__doc__ == lookup_measure.__wrapped__.__doc__


def test_the_entry_points_load_no_model_library_at_import_and_go_offline():
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}
    probe = ("import os, sys, cli; from core.settings import OFFLINE_ENVIRONMENT as want; "
             "assert not [m for m in ('torch', 'sentence_transformers', 'chromadb') if m in sys.modules]; "
             "assert all(os.environ.get(k) == v for k, v in want.items())")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
