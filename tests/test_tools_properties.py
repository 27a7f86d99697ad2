"""Properties of every tool answer, over many inputs drawn from the documents themselves:

- every figure that is not derived reads back, through its Source, to the very value returned;
- every derived figure equals what its note says it is computed from (sums, shares, prior year);
- any input (unknown names, odd strings) gives a typed result, never an exception.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tools import (
    Ambiguous,
    AssetsQuery,
    CellQuery,
    ChangeQuery,
    CodeQuery,
    CompareQuery,
    DocQuery,
    Figure,
    MeasureQuery,
    NoData,
    ProjectQuery,
    RankQuery,
    ShareQuery,
    TargetQuery,
    TermQuery,
    ThreePublicQuery,
    UnitRef,
    VerifyQuery,
    compare_units,
    compute_share,
    define_term,
    explain_code,
    find_project,
    list_measures,
    lookup_cell,
    lookup_measure,
    performance_summary,
    procurement,
    project_target,
    rank_items,
    read_back,
    state_assets,
    stated_change,
    three_public,
    verify_figure,
)
from tools.catalog import Catalog
from tools.lookup import percent
from tools.projects import PROJECT_TABLES, project_items

ROUNDING = Decimal("0.01")


@pytest.fixture(scope="module")
def catalog(parsed_text) -> Catalog:
    return Catalog(list(parsed_text.values()))


def figures_in(obj) -> list[Figure]:
    """Every Figure inside a result (nested models, lists, dicts)."""
    if isinstance(obj, Figure):
        return [obj]
    if isinstance(obj, BaseModel):
        return [f for name in type(obj).model_fields for f in figures_in(getattr(obj, name))]
    if isinstance(obj, (list, tuple)):
        return [f for x in obj for f in figures_in(x)]
    if isinstance(obj, dict):
        return [f for x in obj.values() for f in figures_in(x)]
    return []


def assert_sources_hold(catalog: Catalog, result) -> int:
    checked = 0
    for f in figures_in(result):
        assert isinstance(f.value, Decimal)
        if f.source.derived:
            assert f.source.note, f
            continue
        assert read_back(catalog, f.source) == f.value, (f.label, f.source)
        checked += 1
    return checked


def all_answers(catalog: Catalog):
    """Tool answers over inputs taken from every document: all measures, every table cell,
    every project and indicator, every stated change, every code, every term."""
    measures = [m.name for m in list_measures().measures]
    for doc in catalog.disclosures:
        unit, year = doc.unit, doc.year
        for m in measures:
            yield lookup_measure(catalog, MeasureQuery(unit=unit, year=year, measure=m))
            yield compute_share(catalog, ShareQuery(unit=unit, year=year, part=m))
            yield verify_figure(catalog, VerifyQuery(unit=unit, year=year, measure=m))
        for table in doc.tables:
            for row in table.rows:
                ref = row.code or row.name
                for column in row.values:
                    yield lookup_cell(catalog, CellQuery(unit=unit, year=year, table=table.kind.value, row=ref,
                                                         column=column, side=row.side))
                if row.code:
                    yield lookup_measure(catalog, MeasureQuery(unit=unit, year=year, measure=row.code))
                    yield compute_share(catalog, ShareQuery(unit=unit, year=year, part=row.name))
                    yield explain_code(catalog, CodeQuery(code_or_name=row.code, unit=unit, year=year))
        for kind in PROJECT_TABLES:
            table = doc.table(kind)
            if table is not None and not table.empty:
                for row in project_items(doc, table):
                    yield find_project(catalog, ProjectQuery(unit=unit, year=year, name=row.name))
        for target in doc.targets:
            yield project_target(catalog, TargetQuery(unit=unit, year=year, project=target.project))
        for s in doc.stated:
            yield stated_change(catalog, ChangeQuery(unit=unit, year=year, subject=s.subject))
            yield verify_figure(catalog, VerifyQuery(unit=unit, year=year, measure=s.subject))
        for s in doc.shares:
            yield compute_share(catalog, ShareQuery(unit=unit, year=year, part=s.subject))
        for g in doc.glossary:
            yield define_term(catalog, TermQuery(term=g.term))
        for what in ("projects", "functions", "economic", "carryover_projects"):
            yield rank_items(catalog, RankQuery(unit=unit, year=year, what=what, n=100))
            yield rank_items(catalog, RankQuery(unit=unit, year=year, what=what, n=100, group_duplicates=True))
        yield three_public(catalog, ThreePublicQuery(unit=unit, year=year))
        yield state_assets(catalog, AssetsQuery(unit=unit, year=year))
        yield procurement(catalog, DocQuery(unit=unit, year=year))
        yield performance_summary(catalog, DocQuery(unit=unit, year=year))
    for m in measures + ["基本支出占比", "项目支出占比"]:
        yield compare_units(catalog, CompareQuery(units=[], measure=m))


@pytest.fixture(scope="module")
def answers(catalog) -> list:
    return list(all_answers(catalog))


def test_every_source_reads_back_to_its_value(catalog, answers):
    checked = sum(assert_sources_hold(catalog, a) for a in answers)
    assert len(answers) > 2000 and checked > 5000


def test_every_source_reads_back_in_a_pdf(pdf_docs):
    """Sources from a PDF carry pages; they read back the same way."""
    from parsing.parse import parse_file

    doc = parse_file(pdf_docs["jincheng-etdz-approval-bureau-2026"])
    catalog = Catalog([doc])
    checked = sum(assert_sources_hold(catalog, a) for a in all_answers(catalog))
    assert checked > 500
    cell = lookup_measure(catalog, MeasureQuery(unit=doc.unit, measure="收入总计"))
    assert cell.figure.source.page and cell.figure.value == Decimal("389.23")


def test_derived_figures_are_what_their_inputs_make(answers):
    for answer in answers:
        kind = getattr(answer, "kind", None)
        if kind == "share":
            assert answer.computed.value == percent(answer.part.value, answer.whole.value)
        elif kind == "project":
            assert answer.total.value == sum(r.figure.value for r in answer.rows)
        elif kind == "change" and answer.prior is not None:
            delta = answer.change.value if answer.change else Decimal(0)
            assert answer.prior.value == answer.current.value - delta
        elif kind == "rank":
            values = [r.figure.value for r in answer.rows]
            assert values == sorted(values, reverse=True)
            if answer.total is not None:
                assert sum(values) <= answer.total.value + ROUNDING * len(values)  # the tables' 尾差
                for r in answer.rows:
                    assert r.share_of_total.value == percent(r.figure.value, answer.total.value)
        elif kind == "measure" and answer.breakdown:
            total = sum(f.value for f in answer.breakdown)
            assert abs(total - answer.figure.value) <= ROUNDING * len(answer.breakdown), answer.measure
        elif kind == "procurement" and answer.parts_sum is not None:
            assert answer.parts_sum.value == answer.goods.value + answer.works.value + answer.services.value
        elif kind == "compare":
            ranked = [r.figure.value for r in answer.rows if r.figure]
            assert ranked == sorted(ranked, reverse=True)
            assert [r.rank for r in answer.rows if r.figure] == list(range(1, len(ranked) + 1))


def test_three_public_items_sum_to_the_total(catalog):
    for doc in catalog.disclosures:
        result = three_public(catalog, ThreePublicQuery(unit=doc.unit, year=doc.year))
        if not result.has_three_public:
            continue
        items = {i.item: i.current.value if i.current else Decimal(0) for i in result.items}
        top = items["因公出国（境）费"] + items["公务接待费"] + items["公务用车购置及运行费"]
        assert top == result.total.value
        assert items["公务用车购置费"] + items["公务用车运行维护费"] == items["公务用车购置及运行费"]


def test_rank_of_projects_covers_the_table_total(catalog):
    """Project rows (without unit subtotal rows) add up to the table's total."""
    for doc in catalog.disclosures:
        for what in ("projects", "carryover_projects"):
            result = rank_items(catalog, RankQuery(unit=doc.unit, year=doc.year, what=what, n=100))
            if isinstance(result, NoData):
                continue
            assert sum(r.figure.value for r in result.rows) == result.total.value


names = st.one_of(
    st.text(min_size=0, max_size=12),
    st.sampled_from(["城管局", "开发区", "审批局", "工信局", "管委会", "晋城市", "太原市教育局", "", "局"]),
)
terms = st.one_of(
    st.text(min_size=0, max_size=10),
    st.sampled_from(["收入总计", "三公", "服务", "合计", "2080505", "208", "表六", "支出", "经费", "项目"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=names, thing=terms, year=st.one_of(st.none(), st.integers(2020, 2030)))
def test_any_input_gives_a_typed_result(catalog, unit, thing, year):
    calls = [
        lambda: lookup_measure(catalog, MeasureQuery(unit=unit, year=year, measure=thing)),
        lambda: lookup_cell(catalog, CellQuery(unit=unit, year=year, table=thing, row=thing)),
        lambda: stated_change(catalog, ChangeQuery(unit=unit, year=year, subject=thing)),
        lambda: compute_share(catalog, ShareQuery(unit=unit, year=year, part=thing)),
        lambda: find_project(catalog, ProjectQuery(unit=unit, year=year, name=thing)),
        lambda: project_target(catalog, TargetQuery(unit=unit, year=year, project=thing, indicator=thing)),
        lambda: explain_code(catalog, CodeQuery(code_or_name=thing)),
        lambda: define_term(catalog, TermQuery(term=thing, unit=unit or None, year=year)),
        lambda: verify_figure(catalog, VerifyQuery(unit=unit, year=year, measure=thing)),
        lambda: three_public(catalog, ThreePublicQuery(unit=unit, year=year)),
        lambda: compare_units(catalog, CompareQuery(units=[UnitRef(unit=unit, year=year)], measure=thing)),
    ]
    for call in calls:
        result = call()
        assert isinstance(result, BaseModel) and getattr(result, "kind", None)
        if isinstance(result, NoData):
            assert result.message_zh
        elif isinstance(result, Ambiguous):
            assert len(result.candidates) > 1
        else:
            assert_sources_hold(catalog, result)
