"""Chunking, tokenising, fusion and hybrid search over the index of the four text exports."""
from __future__ import annotations

import re

import pytest

from core.text import fold
from retrieval.chunks import KINDS, chunk_disclosure, section_label
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.search import open_searcher
from retrieval.tokenize import tokenize

ADMIN = ("晋城经济技术开发区管理委员会", 2026)
URBAN = ("晋城市城市管理局", 2025)
CHENGQU = ("晋城市城区工业和信息化局", 2025)
APPROVAL = ("晋城经济技术开发区行政审批局", 2026)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


# -- tokenizer ------------------------------------------------------------------------

def test_tokens_are_words_not_sentences():
    tokens = tokenize("2026年“三公”经费中的公务用车运行维护费是多少？")
    assert "公务用车运行维护费" in tokens  # domain dictionary word kept whole …
    assert {"运行", "维护费"} <= set(tokens)  # … and its parts, so short queries meet it
    assert "经费" in tokens and "2026" in tokens
    assert not {"的", "是", "多少", "？", "“", "”"} & set(tokens)


def test_query_and_document_share_tokens():
    question = tokenize("机关运行经费为什么减少")
    passage = tokenize("本单位机关运行经费财政拨款预算529.14万元,比2024年预算减少14.96万元")
    assert {"机关运行经费", "减少"} <= set(question) & set(passage)


# -- chunks ---------------------------------------------------------------------------

def test_chunks_follow_the_document(parsed_text):
    for disclosure in parsed_text.values():
        chunks = chunk_disclosure(disclosure)
        ids = [c.id for c in chunks]
        assert len(ids) == len(set(ids))
        for chunk in chunks:
            meta = chunk.metadata
            assert meta["doc_id"] == disclosure.doc_id and meta["unit"] == disclosure.unit
            assert meta["year"] == disclosure.year and meta["kind"] in KINDS
            assert meta["title"] and meta.get("line")  # text exports carry line numbers
            assert chunk.page_content.startswith(f"{disclosure.unit} {disclosure.year}年")
            assert all(v is not None for v in meta.values())
        by_kind = {kind: [c for c in chunks if c.metadata["kind"] == kind] for kind in KINDS}
        assert sorted(c.metadata["term"] for c in by_kind["glossary"]) == sorted(t.term for t in disclosure.glossary)
        assert len(by_kind["project"]) == len(disclosure.targets)
        assert {c.metadata["table"] for c in by_kind["table"]} == {t.kind.value for t in disclosure.tables}
        chunked_sections = {c.metadata["section"] for c in by_kind["section"]}
        for section in disclosure.sections:
            if section.text.strip():
                assert section_label(section) in chunked_sections


def test_every_project_row_is_findable_in_a_table_chunk(parsed_text):
    for disclosure in parsed_text.values():
        table_text = _key("\n".join(c.page_content for c in chunk_disclosure(disclosure)
                                    if c.metadata["kind"] == "table"))
        for table in disclosure.tables:
            for row in table.rows:
                if any(v is not None for v in row.values.values()):
                    assert _key(row.name) in table_text


def test_project_chunk_carries_overview_and_indicators(parsed_text):
    admin = parsed_text["jincheng-etdz-admin-committee-2026"]
    chunk = next(c for c in chunk_disclosure(admin) if c.metadata.get("project") == "公安分局辅警人员经费")
    assert "项目概况" in chunk.page_content
    assert "工资发放标准：3500元/人/月" in chunk.page_content  # indicator, as printed
    assert "3760000元" in chunk.page_content  # 年度资金总额 (元)


def test_empty_table_says_so(parsed_text):
    approval = parsed_text["jincheng-etdz-approval-bureau-2026"]
    chunk = next(c for c in chunk_disclosure(approval) if c.metadata.get("table") == "三公经费支出预算表")
    assert "本表无数据" in chunk.page_content


# -- fusion ---------------------------------------------------------------------------

def test_rrf_rewards_agreement_and_respects_weights():
    fused = reciprocal_rank_fusion([(["a", "b", "c"], 1.0), (["b", "d"], 1.0)], k=60)
    assert fused[0][0] == "b"  # ranked by both legs
    assert {cid for cid, _ in fused} == {"a", "b", "c", "d"}
    heavy = reciprocal_rank_fusion([(["a"], 3.0), (["d"], 1.0)], k=60)
    assert [cid for cid, _ in heavy] == ["a", "d"]


# -- search ---------------------------------------------------------------------------

CASES = [
    # (question, (unit, year), kind, key the answering chunk's section/term/project/table contains)
    ("晋城经济技术开发区管理委员会2026年“三公”经费为什么变化？", ADMIN, "section", "“三公”经费增减变动原因"),
    ("晋城市城市管理局2025年机关运行经费为什么减少？", URBAN, "section", "机关运行经费增减变动原因"),
    ("晋城市城区工业和信息化局2025年预算为什么比上年增加？", CHENGQU, "section", "预算收支数据变动情况"),
    ("开发区行政审批局政府采购预算是多少？", APPROVAL, "section", "政府采购"),
    ("“上年结转”指什么？", APPROVAL, "glossary", "上年结转"),
    ("单位资金是什么意思？", CHENGQU, "glossary", "单位资金"),
    ("“三公”经费包括哪几项？", ADMIN, "glossary", "三公"),
    ("天网工程运维经费覆盖多少路视频监控？", ADMIN, "project", "天网工程运维经费"),
    ("城投应急周转金计划服务多少户企业？", CHENGQU, "project", "城投应急周转金"),
    ("金匠污水处理厂运营费的污水处理成本指标是多少？", URBAN, "project", "金匠污水处理厂运营费"),
    ("有哪些上年结转项目？各多少？", CHENGQU, "table", "项目支出预算表（上年结转）"),
    ("“三公”经费支出预算表", ADMIN, "table", "三公经费支出预算表"),
]


@pytest.mark.parametrize("question,unit_year,kind,key", CASES, ids=[f"{c[2]}-{n}" for n, c in enumerate(CASES)])
def test_search_finds_the_answering_passage(built_index, question, unit_year, kind, key):
    unit, year = unit_year
    hits = open_searcher(built_index).search(question, unit=unit, year=year, k=5)
    field = {"section": "section", "glossary": "term", "project": "project", "table": "table"}[kind]
    assert any(h.kind == kind and _key(key) in _key(h.metadata.get(field, "")) for h in hits), \
        [h.citation() for h in hits]


def test_filters_by_unit_year_and_kind(built_index):
    searcher = open_searcher(built_index)
    hits = searcher.search("项目支出 经费 预算", unit=URBAN[0], k=10)
    assert hits and {h.metadata["unit"] for h in hits} == {URBAN[0]}
    hits = searcher.search("项目支出 经费 预算", year=2026, k=10)
    assert hits and {h.metadata["year"] for h in hits} == {2026}
    hits = searcher.search("项目支出 经费 预算", kinds=["glossary"], k=10)
    assert hits and {h.kind for h in hits} == {"glossary"}
    hits = searcher.search("项目支出", unit=CHENGQU[0], year=2026)
    assert hits == []  # that unit has no 2026 document: no passage from another year
    assert searcher.search("三公经费", unit="太原市教育局") == []


def test_unit_filter_accepts_a_short_name(built_index):
    hits = open_searcher(built_index).search("机关运行经费", unit="城市管理局", k=5)
    assert hits and {h.metadata["unit"] for h in hits} == {URBAN[0]}


def test_single_legs_and_fusion_return_ranked_hits(built_index):
    searcher = open_searcher(built_index)
    for mode in ("bm25", "vector", "hybrid"):
        hits = searcher.search("政府采购预算总额", unit=ADMIN[0], year=ADMIN[1], k=3, mode=mode)
        assert len(hits) == 3
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert all(mode in h.ranks or mode == "hybrid" for h in hits)


def test_hits_cite_their_source(built_index):
    hit = open_searcher(built_index).search("机关运行经费为什么减少", unit=URBAN[0], year=URBAN[1], k=1)[0]
    citation = hit.citation()
    assert URBAN[0] in citation and "2025年" in citation and re.search(r"第\d+行", citation)
    cite = hit.to_citation()
    assert cite.document == "jincheng-urban-management-bureau-2025" and cite.line == hit.metadata["line"]
    assert cite.quote and cite.quote in hit.text
