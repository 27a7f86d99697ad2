"""One measure across units (years may differ, each row carries its own), ranked."""
from __future__ import annotations

from core.model import Disclosure
from tools.catalog import Catalog
from tools.measures import canonical_measure, canonical_share, measures, read_measure, resolve_amount
from tools.shares import share_figures
from tools.trace import traced
from tools.types import Ambiguous, CompareQuery, CompareResult, CompareRow, Figure, NoData, ShareResult, Source, UnitRef


def measure_figure(doc: Disclosure, measure: str) -> Figure | NoData:
    """The value of `measure` in one document: a share measure (the stated share when the
    document states it, else computed), a named measure, or anything resolve_amount knows."""
    if canonical_share(measure) or measure.endswith(("占比", "比重", "比例")):
        part = measure
        for suffix in ("占比", "比重", "比例"):
            part = part.removesuffix(suffix)
        result = share_figures(doc, measure if canonical_share(measure) else part, None)
        if isinstance(result, ShareResult):
            return result.stated or result.computed
        return result
    name = canonical_measure(measure)
    return read_measure(doc, name) if name else resolve_amount(doc, measure)


@traced
def compare_units(catalog: Catalog, query: CompareQuery) -> CompareResult:
    refs = query.units or [UnitRef(unit=u) for u in catalog.units()]
    rows: list[CompareRow] = []
    problems: list[Ambiguous | NoData] = []
    seen: set[str] = set()
    for ref in refs:
        doc = catalog.document(ref.unit, ref.year)
        if not isinstance(doc, Disclosure):
            problems.append(doc)
            continue
        if doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        figure = measure_figure(doc, query.measure)
        if isinstance(figure, Figure):
            rows.append(CompareRow(unit=doc.unit, year=doc.year, figure=figure))
        else:
            rows.append(CompareRow(unit=doc.unit, year=doc.year, missing=figure))
    scored = sorted(((r, fig) for r in rows if (fig := r.figure)), key=lambda rf: rf[1].value, reverse=True)
    ranked = [r for r, _ in scored]
    for i, r in enumerate(ranked, 1):
        r.rank = i
    rows = ranked + [r for r in rows if r.figure is None]
    units = {fig.unit for _, fig in scored}
    name = canonical_measure(query.measure)
    unit_of_value = (units.pop() if len(units) == 1 else
                     measures()[name].get("unit", "万元") if name else "万元")
    return CompareResult(measure=(measures()[name].get("label", name) if name else query.measure),
                         unit_of_value=unit_of_value, rows=rows,
                         mixed_years=len({r.year for r in rows}) > 1, problems=problems,
                         difference=top_two_difference(ranked))


def top_two_difference(ranked: list[CompareRow]) -> Figure | None:
    """Rank 1 minus rank 2, derived, when both are in the same unit of value."""
    if len(ranked) < 2:
        return None
    a, b = ranked[0], ranked[1]
    fa, fb = a.figure, b.figure
    if fa is None or fb is None or fa.unit != fb.unit:  # ranked rows all have a figure
        return None
    value = fa.value - fb.value
    note = (f"推算：{a.unit}{a.year}年{fa.label} {fa.value} − "
            f"{b.unit}{b.year}年{fb.label} {fb.value} = {value}")
    return Figure(label=f"{a.unit}与{b.unit}之差", value=value, unit=fa.unit,
                  source=Source(document=fa.source.document, unit=a.unit, year=a.year,
                                derived=True, note=note))
