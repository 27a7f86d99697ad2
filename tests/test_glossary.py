"""第四部分 名词解释 on the four real documents and on synthetic variants of its layout."""
from __future__ import annotations

import pytest

from core.text import fold_key
from parsing.blocks import Block
from parsing.glossary import find_term, parse_glossary
from parsing.read_text import read_text_blocks
from tests.conftest import DOC_IDS, TEXT_DIR

APPROVAL = "jincheng-etdz-approval-bureau-2026"
# The standard glossary every one of the four documents prints, in order.
TERMS = [
    "基本支出", "项目支出", "“三公”经费", "机关运行经费", "政府购买服务", "财政专户管理资金",
    "单位资金", "上年结转", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款",
]


@pytest.fixture(scope="module")
def glossaries():
    return {doc_id: parse_glossary(read_text_blocks(TEXT_DIR / f"{doc_id}.md"), doc_id) for doc_id in DOC_IDS}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_terms_in_order(glossaries, doc_id):
    assert [t.term for t in glossaries[doc_id]] == TERMS


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_definitions(glossaries, doc_id):
    glossary = glossaries[doc_id]
    for term in glossary:
        assert term.definition.endswith("。") and term.term not in ("", term.definition)
        assert term.location.document == doc_id and term.location.line is not None
        assert "**" not in term.term + term.definition
    # the definition printed on the paragraph after its term
    assert find_term(glossary, "财政专户管理资金").definition.startswith("专指教育收费")
    assert find_term(glossary, "财政拨款").definition == "包含一般公共预算、政府性基金预算、国有资本经营预算。"
    three_public = find_term(glossary, "“三公”经费").definition
    assert three_public.startswith("指省直部门用财政拨款安排的因公出国（境）费用")
    assert three_public.endswith("公务接待费反映机关和参公事业单位按规定开支的各类公务接待（含外宾接待）支出。")


def test_lookup_ignores_quotes_and_width(glossaries):
    glossary = glossaries[APPROVAL]
    for spelling in ("三公经费", "“三公”经费", '"三公"经费', "三公 经费"):
        assert find_term(glossary, spelling).term == "“三公”经费"
    assert fold_key("“三公”经费") == fold_key("三公经费")
    assert find_term(glossary, "不存在的名词") is None


def test_pdf_reads_the_same_glossary(glossaries, pdf_blocks):
    blocks = pdf_blocks(APPROVAL)
    from_pdf = parse_glossary(blocks, APPROVAL)
    assert [(t.term, t.definition) for t in from_pdf] == [(t.term, t.definition) for t in glossaries[APPROVAL]]
    assert all(t.location.page for t in from_pdf)


def blocks_of(*lines: str) -> list[Block]:
    return [Block(kind="paragraph", text=text, line=i, page=1) for i, text in enumerate(lines, start=1)]


def test_wrapped_definitions_and_half_width_colons():
    blocks = blocks_of(
        "第四部分 名词解释.....99",  # table of contents
        "一、基本支出：见名词解释",
        "第四部分 名词解释",
        '1."三公"经费:指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务',
        "接待费。",
        "2. 上年结转：",
        "指以前年度预算安排、结转到本年仍按原规定用途继续使用的资金。",
        "其中，基本支出结转用于增人增资。",
        "3、财政拨款：包含一般公共预算、政府性基金预算。",
    )
    glossary = parse_glossary(blocks, "synthetic")
    assert [t.term for t in glossary] == ["“三公”经费", "上年结转", "财政拨款"]
    assert glossary[0].definition.endswith("公务接待费。")
    assert glossary[1].definition == (
        "指以前年度预算安排、结转到本年仍按原规定用途继续使用的资金。其中，基本支出结转用于增人增资。"
    )
    assert glossary[0].location.line == 4


def test_stops_at_the_end_of_the_glossary():
    blocks = blocks_of(
        "第四部分 名词解释",
        "一、基本支出：指为保障机构正常运转而发生的支出。",
        "二、项目支出：指为完成特定任务所发生的支出。",
        "某某局",
        "2030年1月10日",
        "附件：",
        "一、说明：这不是名词。",
        "三、其他：也不是名词。",
    )
    glossary = parse_glossary(blocks, "synthetic")
    assert [(t.term, t.definition) for t in glossary] == [
        ("基本支出", "指为保障机构正常运转而发生的支出。"),
        ("项目支出", "指为完成特定任务所发生的支出。"),
    ]


def test_no_glossary():
    assert parse_glossary(blocks_of("第三部分 情况说明", "一、收支：略。"), "synthetic") == []


def test_numbering_typos_do_not_end_the_glossary():
    blocks = blocks_of(
        "第四部分 名词解释",
        "一、基本支出：指人员支出和公用支出。",
        "二、项目支出：指特定任务的支出。",
        "二、单位资金：指政府预算资金以外的资金。",  # number repeated
        "四、上年结转：指结转到本年的资金。",  # 三 skipped
        "九、财政拨款：不在序列中。",
    )
    assert [t.term for t in parse_glossary(blocks, "synthetic")] == ["基本支出", "项目支出", "单位资金", "上年结转"]
