"""The parser is not tuned to the four sample files: other units' disclosures, made from the
samples by tests/variants.py (another unit's name, another year, 表N / 预算公开表N / no labels,
单位 <-> 部门, 支出汇总表, other heading markup and numbering, full-/half-width punctuation,
thousands separators, page breaks inside tables, names broken by a space …), parse to the
same Disclosure as the original, modulo the intended changes and the locations.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

import pytest

from core.model import TableKind
from tests import variants as V
from tests.conftest import DOC_IDS

# Another unit for each sample: names not in the samples (nor any sample's substring).
NEW_UNITS = {
    "jincheng-chengqu-industry-it-bureau-2025": "泽州县教育局",
    "jincheng-etdz-admin-committee-2026": "高平市住房和城乡建设局",
    "jincheng-etdz-approval-bureau-2026": "阳城县行政审批服务管理局",
    "jincheng-urban-management-bureau-2025": "晋城市文化和旅游局",
}

# Each recipe is applied to every sample. Together they cover every transformation of
# tests/variants.py; SINGLE_CHANGES isolates each one (a failure there names its cause).
COMBINATIONS = {
    "renamed-2027-表N-kind-flipped-halfwidth-thousands-dashes": dict(
        rename=True, year_shift=1, flip_kind=True, labels="表N", flip_expenditure=True,
        headings="none", punctuation="half", thousands="add", dash_blanks="-", synonym_titles=True,
        changes_worded="较"),
    "inline-公开表N-markdown-fullwidth-repeated-headers-broken-names-merged-codes": dict(
        rename=True, labels="预算公开表N", inline_labels=True, headings="markdown", punctuation="full",
        thousands="remove", page_breaks="blank+header", broken_names=True, subsections="1、",
        glossary_numbers="1、", code_and_name_merged=True, org_label="编制单位", cover_wording="预算信息公开"),
    "no-labels-continued-titles-no-org-lines-no-toc-split-paragraphs": dict(
        rename=True, year_shift=1, labels="none", headings="html", page_breaks="continued",
        empty_note="注:本单位无此项预算,本表为空。", no_org_lines=True, no_toc=True, one_line_cover=True,
        prior_year_explicit=True, subsections="(一)", glossary_numbers="1.", split_paragraphs_every=2,
        target_page_breaks="page_number", title_years=False, changes_worded="与…相比"),
    "page-numbers-bold-arabic-sections-gridless-empty-tables": dict(
        rename=True, page_breaks="page_number", page_rows=7, headings="bold", arabic_sections=True,
        no_empty_grids=True, dash_blanks="—", cover_wording="预算"),
    "watermarks-附表N-2028": dict(
        rename=True, year_shift=2, page_breaks="watermark", page_rows=11, labels="附表N",
        target_page_breaks="watermark"),
}

SINGLE_CHANGES = {
    "rename": dict(rename=True),
    "year": dict(year_shift=1),
    "kind": dict(flip_kind=True),
    "labels-表N": dict(labels="表N"),
    "labels-inline-公开表N": dict(labels="预算公开表N", inline_labels=True),
    "labels-none": dict(labels="none"),
    "expenditure-title": dict(flip_expenditure=True),
    "synonym-titles": dict(synonym_titles=True),
    "titles-without-year": dict(title_years=False),
    "org-line-编制单位": dict(org_label="编制单位"),
    "cover-without-公开": dict(cover_wording="预算", no_org_lines=True),
    "changes-worded-较": dict(changes_worded="较"),
    "changes-worded-与相比": dict(changes_worded="与…相比"),
    "headings-none": dict(headings="none"),
    "headings-markdown": dict(headings="markdown"),
    "subsections-1.": dict(subsections="1."),
    "sections-1、": dict(arabic_sections=True),
    "glossary-1、": dict(glossary_numbers="1、"),
    "halfwidth": dict(punctuation="half"),
    "fullwidth": dict(punctuation="full"),
    "thousands-add": dict(thousands="add"),
    "thousands-remove": dict(thousands="remove"),
    "dash-blanks": dict(dash_blanks="－"),
    "page-breaks-blank": dict(page_breaks="blank", page_rows=5),
    "page-breaks-header": dict(page_breaks="blank+header", page_rows=5),
    "page-breaks-continued": dict(page_breaks="continued", page_rows=5),
    "target-page-breaks": dict(target_page_breaks="watermark", page_rows=5),
    "split-paragraphs": dict(split_paragraphs_every=1),
    "broken-names": dict(broken_names=True, rename=True),
    "merged-code-and-name": dict(code_and_name_merged=True),
    "empty-note": dict(empty_note="本表无数据"),
    "gridless-empty-tables": dict(no_empty_grids=True),
    "no-org-lines": dict(no_org_lines=True),
    "no-toc": dict(no_toc=True),
    "one-line-cover": dict(one_line_cover=True),
    "explicit-prior-year": dict(prior_year_explicit=True),
}
# Each single change on the smallest 单位 and 部门 samples keeps the run short; the
# combinations run on all four.
SINGLE_CHANGE_DOCS = ["jincheng-chengqu-industry-it-bureau-2025", "jincheng-etdz-approval-bureau-2026"]


def build_variant(original, recipe: dict, name: str) -> V.Variant:
    recipe = dict(recipe)
    doc_id = original.doc_id
    if recipe.pop("rename", False):
        recipe["new_unit"] = NEW_UNITS[doc_id]
    if recipe.pop("flip_kind", False):
        recipe["new_kind"] = "部门" if original.kind == "单位" else "单位"
    if recipe.pop("flip_expenditure", False):
        title = original.table(_kind("expenditure")).title
        recipe["expenditure_summary"] = "汇总" not in title
    return V.make_variant(name, unit=original.unit, year=original.year, kind=original.kind, **recipe)


def _kind(name):
    from core.model import TableKind

    return TableKind[name]


# --- comparing disclosures ------------------------------------------------------------------

_LIST_MARK = re.compile(r"^(?:\([一二三四五六七八九十]{1,3}\)|\d{1,2}[、.](?!\d))")
_QUOTES = re.compile(r"[\"'“”‘’《》〈〉【】\[\]「」『』]")
_MARKUP = re.compile(r"</?b>|\*\*", re.IGNORECASE)


def canon(text: str) -> str:
    """What a string means, not how it is printed: no markup, NFKC width, no whitespace,
    no quotes, no thousands separators, no list markers in front of lines."""
    text = unicodedata.normalize("NFKC", _MARKUP.sub("", text))
    lines = [_LIST_MARK.sub("", line.strip()) for line in text.split("\n")]
    text = re.sub(r"\s+", "", "".join(lines))
    text = _QUOTES.sub("", text)
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


def _plain(value, fn):
    """A model dump with locations gone and every string mapped by fn then canon()."""
    if isinstance(value, dict):
        return {_plain(k, fn): _plain(v, fn) for k, v in value.items() if k not in ("location", "fact_locations")}
    if isinstance(value, list):
        return [_plain(v, fn) for v in value]
    if isinstance(value, str):
        return canon(fn(value))
    return value


def snapshot(d, variant: V.Variant | None = None) -> dict:
    """The parts of a Disclosure a variant must reproduce. With `variant`, the original's
    strings, labels and section numbers are mapped to what the variant should print."""
    prose = variant.expect_prose if variant else (lambda s: s)
    cell = variant.expect_cell if variant else (lambda s: s)
    dump = d.model_dump()
    tables = []
    # the 13 standard tables; a generic table outside 第二部分 is not what the variants rewrite
    standard = [t for t in dump["tables"] if t["kind"] != TableKind.other.value]
    for i, table in enumerate(standard):
        label = table["label"] if variant is None or variant.labels is None else variant.labels[i]
        gridless = variant is not None and variant.empty_grids_dropped and table["empty"]
        tables.append({
            "kind": table["kind"],
            "title": _plain(table["title"], (lambda s: variant.table_title(prose(s))) if variant else prose),
            "label": label,
            "unit": table["unit"],
            "empty": table["empty"],
            "columns": [] if gridless else _plain(table["columns"], cell),
            "rows": [] if gridless else _plain(table["rows"], cell),
        })
    if variant is not None:
        for section in dump["sections"]:
            section["number"] = section["number"] and variant.section_number(section["number"])
        for item in dump["stated"] + dump["shares"]:
            item["section"] = item["section"] and variant.section_number(item["section"])
    return {
        "identity": (d.unit, d.year, d.kind),
        "overview": _plain(dump["overview"], prose),
        "tables": tables,
        "sections": _plain(dump["sections"], prose),
        "stated": _plain(dump["stated"], prose),
        "shares": _plain(dump["shares"], prose),
        "procurement": _plain(dump["procurement"], prose),
        "performance": _plain(dump["performance"], prose),
        "assets": _plain(dump["assets"], prose),
        "targets": _plain(dump["targets"], cell),
        "glossary": _plain(dump["glossary"], prose),
    }


def expected_snapshot(original, variant: V.Variant) -> dict:
    snap = snapshot(original, variant)
    snap["identity"] = (variant.unit, variant.year, variant.kind)
    return snap


def differences(expected, actual, path="", limit=12) -> list[str]:
    """Paths where two snapshots differ (the first few), for a readable failure."""
    out: list[str] = []

    def walk(a, b, p):
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(a) + [k for k in b if k not in a]:
                walk(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{p}.{k}")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(f"{p}: {len(a)} items expected, {len(b)} parsed")
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{p}[{i}]")
        elif a != b and not (isinstance(a, Decimal) and isinstance(b, Decimal) and a == b):
            out.append(f"{p}: expected {str(a)[:120]!r}, parsed {str(b)[:120]!r}")

    walk(expected, actual, path)
    return out


def error_keys(disclosure) -> Counter:
    from index.checks import run_checks

    return Counter((f.check, f.expected, f.actual) for f in run_checks(disclosure) if f.severity == "error")


def parse_variant(original, text_docs, recipe, name, tmp_path):
    from parsing.parse import parse_file

    variant = build_variant(original, recipe, name)
    text = variant.apply(text_docs[original.doc_id].read_text(encoding="utf-8"))
    path = tmp_path / f"variant-{variant.year}.md"
    path.write_text(text, encoding="utf-8")
    return variant, parse_file(path), text


_ORIGINAL_ERRORS: dict[str, Counter] = {}


def assert_same_disclosure(original, variant, parsed):
    expected = expected_snapshot(original, variant)
    actual = snapshot(parsed)
    diffs = differences(expected, actual)
    assert not diffs, f"{variant.name} of {original.doc_id}:\n" + "\n".join(diffs)
    assert parsed.doc_id != original.doc_id
    if original.doc_id not in _ORIGINAL_ERRORS:
        _ORIGINAL_ERRORS[original.doc_id] = error_keys(original)
    new_errors = error_keys(parsed) - _ORIGINAL_ERRORS[original.doc_id]
    assert not new_errors, f"new consistency errors: {dict(new_errors)}"


# --- the transformations themselves ---------------------------------------------------------


def _amounts(text: str) -> list[Decimal]:
    return sorted(Decimal(m.replace(",", "")) for m in re.findall(r"\d[\d,]*\.\d+", text))


def test_variants_change_what_they_say_and_keep_every_amount(text_docs):
    """Guards against a transformation that silently does nothing (the parse tests would then
    prove nothing) or that changes a figure."""
    text = text_docs["jincheng-urban-management-bureau-2025"].read_text(encoding="utf-8")
    renamed = V.rename_unit(text, "晋城市城市管理局", "晋城市文化和旅游局")
    assert "晋城市城市管理局" not in renamed and renamed.count("晋城市文化和旅游局") == text.count("晋城市城市管理局")
    shifted = V.shift_years(text, 1)
    assert "2026年预算收支总表" in shifted and "2025年预算收支总表" not in shifted
    assert "2000万元" in shifted  # an amount is not a year
    assert "截至2025年12月31日" in shifted  # was 截至2024年… in the 2025 document
    labelled = V.relabel_tables(text, "表N")
    assert [ln for ln in labelled.split("\n") if ln in ("表一", "表十三")] == ["表一", "表十三"]
    assert "预算公开表1" not in V.relabel_tables(text, "none").split("\n")
    assert "2025年预算支出总表（续）" in V.insert_page_breaks(text, 5, "continued")
    assert re.search(r"\t[\u4e00-\u9fff]{3,} [\u4e00-\u9fff]{3,}\t", V.break_names(text))
    assert "7、“三公”经费增减变动原因说明" in V.renumber_top_sections(text)
    assert "1、本单位职责" in V.renumber_overview_headings(text)
    transforms = [
        V.add_thousands, V.remove_thousands, V.halfwidth_prose, V.fullwidth_prose, V.break_names,
        V.drop_org_lines, V.drop_toc, V.merge_code_and_name, V.drop_empty_grids, V.renumber_top_sections,
        V.renumber_overview_headings,
        lambda t: V.switch_kind(t, "部门"), lambda t: V.retitle_expenditure(t, True),
        lambda t: V.retitle_tables(t, True, False), lambda t: V.relabel_org_lines(t, "编制单位"),
        lambda t: V.reword_cover(t, "预算"), lambda t: V.cover_on_one_line(t, "晋城市城市管理局"),
        lambda t: V.explicit_prior_year(t, 2025), lambda t: V.split_paragraphs(t, 2),
        lambda t: V.insert_page_breaks(t, 5, "watermark", part="三"), lambda t: V.renumber_glossary(t, "1."),
        *(lambda t, s=s: V.renumber_subsections(t, s) for s in ("1、", "1.")),
        *(lambda t, s=s: V.dash_blank_cells(t, s) for s in ("-", "—")),
        *(lambda t, s=s: V.reword_changes(t, s) for s in V.CHANGE_WORDINGS),
        *(lambda t, s=s: V.relabel_tables(t, s) for s in V.LABEL_STYLES),
        *(lambda t, s=s: V.insert_page_breaks(t, 5, s) for s in V.BREAK_STYLES),
        *(lambda t, s=s: V.restyle_headings(t, s) for s in ("none", "markdown", "bold", "html")),
        *(lambda t, s=s: V.reword_empty_notes(t, s) for s in V.EMPTY_NOTES[1:]),
    ]
    for i, transform in enumerate(transforms):
        out = transform(text)
        assert out != text, i
        assert _amounts(out) == _amounts(text), i


# --- every sample under every recipe ---------------------------------------------------------


@pytest.mark.parametrize("recipe_name", sorted(COMBINATIONS))
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_variant_parses_like_the_original(doc_id, recipe_name, parsed_text, text_docs, tmp_path):
    original = parsed_text[doc_id]
    variant, parsed, _ = parse_variant(original, text_docs, COMBINATIONS[recipe_name], recipe_name, tmp_path)
    assert (parsed.unit, parsed.year, parsed.kind) == (variant.unit, variant.year, variant.kind)
    assert len([t for t in parsed.tables if t.kind != TableKind.other]) == 13
    assert_same_disclosure(original, variant, parsed)


@pytest.mark.parametrize("change", sorted(SINGLE_CHANGES))
@pytest.mark.parametrize("doc_id", SINGLE_CHANGE_DOCS)
def test_single_change_parses_like_the_original(doc_id, change, parsed_text, text_docs, tmp_path):
    original = parsed_text[doc_id]
    variant, parsed, _ = parse_variant(original, text_docs, SINGLE_CHANGES[change], change, tmp_path)
    assert_same_disclosure(original, variant, parsed)


@pytest.mark.parametrize("rows", [2, 3, 7])
@pytest.mark.parametrize("doc_id", [
    "jincheng-chengqu-industry-it-bureau-2025", "jincheng-urban-management-bureau-2025"])
def test_target_forms_survive_a_page_break_after_any_row(doc_id, rows, parsed_text, text_docs, tmp_path):
    """绩效目标表 cut by page breaks every few rows, so that values, labels and wrapped cells
    land on the next page (these two samples print values under their labels)."""
    original = parsed_text[doc_id]
    recipe = dict(target_page_breaks="watermark", page_rows=rows)
    variant, parsed, _ = parse_variant(original, text_docs, recipe, f"forms-every-{rows}", tmp_path)
    assert_same_disclosure(original, variant, parsed)


def test_markdown_pipe_tables_parse_like_tab_rows(parsed_text, text_docs, tmp_path):
    from parsing.parse import parse_file

    doc_id = "jincheng-etdz-approval-bureau-2026"
    path = tmp_path / f"{doc_id}.md"
    path.write_text(V.tables_as_pipes(text_docs[doc_id].read_text(encoding="utf-8")), encoding="utf-8")
    parsed, original = parse_file(path), parsed_text[doc_id]

    def cells(d):
        return [(t.kind, t.empty, [(r.side, r.code, r.name, r.values) for r in t.rows]) for t in d.tables]

    assert cells(parsed) == cells(original)
    assert [(t.term, t.definition) for t in parsed.glossary] == [(t.term, t.definition) for t in original.glossary]
    assert [t.project for t in parsed.targets] == [t.project for t in original.targets]


@pytest.mark.parametrize("layout", [V.tables_as_spaces])
def test_tables_the_text_reader_cannot_see_are_refused_not_read_as_empty(layout, text_docs, tmp_path):
    """Titles and 本表无数据 notes without a single readable grid must not become 13 "empty"
    tables: the file is refused with a message instead."""
    from core.errors import NotADisclosureError
    from parsing.parse import parse_file

    path = tmp_path / "other-layout.md"
    path.write_text(layout(text_docs["jincheng-etdz-approval-bureau-2026"].read_text(encoding="utf-8")),
                    encoding="utf-8")
    with pytest.raises(NotADisclosureError):
        parse_file(path)


def test_page_breaks_split_the_long_tables(parsed_text, text_docs, tmp_path):
    """The page-break recipes really cut tables: the export then has more table blocks."""
    from parsing.read_text import text_to_blocks

    doc_id = "jincheng-etdz-admin-committee-2026"
    text = text_docs[doc_id].read_text(encoding="utf-8")
    before = sum(b.kind == "table" for b in text_to_blocks(text))
    for style in ("page_number", "watermark", "continued"):
        after = sum(b.kind == "table" for b in text_to_blocks(V.insert_page_breaks(text, 7, style)))
        assert after > before + 10, style


def test_pdf_of_another_unit_parses_like_the_original(pdf_blocks, parsed_text):
    """The PDF reader's blocks of the smallest sample, as another unit's PDF would give them:
    renamed, a year later, worded as a 单位 disclosure, 支出汇总表, half-width prose, no
    thousands separators in cells."""
    from parsing.parse import parse_blocks

    doc_id = "jincheng-etdz-approval-bureau-2026"
    blocks = pdf_blocks(doc_id)
    original = parse_blocks(blocks, doc_id, "pdf")
    recipe = dict(rename=True, year_shift=1, flip_kind=True, flip_expenditure=True, punctuation="half")
    variant = build_variant(original, recipe, "pdf")
    new_unit = NEW_UNITS[doc_id]

    def cell(text: str) -> str:
        return V.remove_thousands(V.shift_years(V.rename_unit(text, original.unit, new_unit), 1))

    parsed = parse_blocks(V.transform_blocks(blocks, variant.apply, cell), "yangcheng-approval-2027", "pdf")
    assert (parsed.unit, parsed.year, parsed.kind) == (new_unit, original.year + 1, "单位")
    assert len([t for t in parsed.tables if t.kind != TableKind.other]) == 13
    assert_same_disclosure(original, variant, parsed)


# --- the assistant over a renamed unit ---------------------------------------------------------
# Slow (one document embedded: about 20 s of CPU): the index holds ONE variant, the smallest
# sample renamed to 阳城县行政审批服务管理局, moved to 2027 and worded as a 单位 disclosure.

ASSISTANT_DOC = "jincheng-etdz-approval-bureau-2026"
ASSISTANT_RECIPE = "renamed-2027-表N-kind-flipped-halfwidth-thousands-dashes"


@pytest.fixture(scope="module")
def variant_index(tmp_path_factory, parsed_text, text_docs):
    from index.build import build_index

    original = parsed_text[ASSISTANT_DOC]
    variant = build_variant(original, COMBINATIONS[ASSISTANT_RECIPE], "assistant")
    folder = tmp_path_factory.mktemp("variant-sources")
    path = folder / "yangcheng-approval-2027.md"
    path.write_text(variant.apply(text_docs[ASSISTANT_DOC].read_text(encoding="utf-8")), encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("variant-index")
    build_index([path], index_dir, progress=False)
    from assistant.service import open_assistant

    return open_assistant(index_dir), variant


def _numbers(answer) -> set[Decimal]:
    return {f.value for f in answer.figures}


def test_assistant_answers_about_an_unseen_unit_slow(variant_index):
    assistant, variant = variant_index
    unit = variant.unit

    total = assistant.ask(f"{unit}2027年预算收入总计是多少？")
    assert total.status == "ok" and Decimal("389.23") in _numbers(total), total.answer
    assert unit in total.answer
    assert {f.source.document for f in total.figures} == {"yangcheng-approval-2027"}

    short = assistant.ask("阳城县审批局2027年政府采购预算总额是多少？")  # short form of the new name
    assert short.status == "ok" and Decimal("32.97") in _numbers(short), short.answer

    project = assistant.ask(f"{unit}2027年政府统一服务经费项目预算多少？")
    assert project.status == "ok" and Decimal("100.00") in _numbers(project), project.answer

    # an empty table is "no 三公 budget", never 0
    three = assistant.ask(f"{unit}2027年“三公”经费预算是多少？")
    assert three.status == "no_data" and "本表无数据" in three.answer and not three.figures, three.answer

    # the year moved with the document: 2026 is the year before, derived from the stated change
    prior = assistant.ask(f"{unit}2026年预算收入总计是多少？")
    assert Decimal("354.11") in _numbers(prior) and "推算" in prior.answer, prior.answer

    # a sample's unit is not in this index: no figures of the held unit for it
    other = assistant.ask("晋城市城市管理局2025年预算收入总计是多少？")
    assert other.status != "ok" and not other.figures, other.answer


def test_assistant_does_not_answer_another_places_bureau_slow(variant_index):
    assistant, _ = variant_index
    other = assistant.ask("晋城经济技术开发区行政审批局2027年预算收入总计是多少？")
    assert other.status != "ok" and Decimal("389.23") not in _numbers(other), other.answer
