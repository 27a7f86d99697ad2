"""Does the narrative agree with the tables? Both values, and the difference (tolerance 0.03 =
the rounding the documents themselves note as 尾差). A measure the narrative states under its own
subject is compared exactly as the build-time check compares it (index.checks.narrative_vs_table,
with the registry's `stated_in`); shares and narrative facts are matched to their table rows here."""
from __future__ import annotations

from core.measures import registry
from core.model import Disclosure, TableKind
from index.checks import agreement_status, narrative_vs_table
from tools.catalog import Catalog
from tools.changes import find_stated, stated_figure
from tools.lookup import cell_figure, derived_source, doc_source, key
from tools.measures import canonical_measure, measures, read_lookup, resolve_amount
from tools.trace import traced
from tools.types import Ambiguous, Figure, NoData, VerifyQuery, VerifyResult


def table_figure(doc: Disclosure, measure: str, whole: str | None = None) -> Figure | None:
    """The measure as the tables give it; `whole` (what a stated share was of) picks the table
    of that context (城乡社区支出 of 一般公共预算当年支出 is read from 一般公共预算支出表)."""
    name = canonical_measure(measure)
    if whole and name is None:
        w = resolve_amount(doc, whole)
        if isinstance(w, Figure) and w.source.table in {k.value for k in TableKind}:
            f = resolve_amount(doc, measure, prefer=TableKind(w.source.table))
            if isinstance(f, Figure) and f.source.table:
                return f
    if name is None:
        f = resolve_amount(doc, measure)
        return f if isinstance(f, Figure) and f.source.table else None
    label = measures()[name].get("label", name)
    for lookup in measures()[name]["lookups"]:
        if "table" in lookup:
            f = read_lookup(doc, lookup, label)
            if isinstance(f, Figure):
                return f
    return None


def stated_value_figure(doc: Disclosure, measure: str) -> tuple[Figure | None, str | None, str | None]:
    """(the narrative's figure, its sentence, the whole it is a share of) for a measure."""
    s = find_stated(doc, measure, with_change=False)
    if s is not None and s.value is not None and not s.function_item:
        return stated_figure(doc, s, "value", f"{s.subject}（说明）"), s.sentence, None
    # a 功能科目 item listed in the 说明 is compared as its share is, in the context of its whole
    q = key(measure)
    name = canonical_measure(measure)
    for share in doc.shares:
        if share.value is not None and (key(share.subject) == q or (name and canonical_measure(share.subject) == name)):
            return (Figure(label=f"{share.subject}（说明）", value=share.value, unit="万元",
                           source=doc_source(doc, section=share.section, row=share.subject, column="金额",
                                             page=share.location.page, line=share.location.line)),
                    share.sentence, share.whole)
    if name:
        label = measures()[name].get("label", name)
        for lookup in measures()[name]["lookups"]:
            if "table" not in lookup:
                f = read_lookup(doc, lookup, label)
                if isinstance(f, Figure):
                    return f, _sentence(doc, lookup), None
    if s is not None and s.value is not None:
        return stated_figure(doc, s, "value", f"{s.subject}（说明）"), s.sentence, None
    return None, None, None


def _sentence(doc: Disclosure, lookup: dict) -> str | None:
    if "procurement" in lookup and doc.procurement:
        return doc.procurement.sentence
    if "performance" in lookup and doc.performance:
        return doc.performance.sentence
    if "assets" in lookup and doc.assets:
        return "".join(doc.assets.sentences) or None
    return None


def _own_statement(doc: Disclosure, measure: str) -> tuple[Figure, str | None, Figure | None] | None:
    """(stated figure, its sentence, table figure) when the narrative states a registry measure
    under its own subject: compared by index.checks.narrative_vs_table, the build-time check."""
    name = canonical_measure(measure)
    if not name:
        return None
    spec = registry().by_tool(name)
    if spec is None or spec.stated_in is None:
        return None
    found = narrative_vs_table(doc, spec)
    if found.stated is None:
        return None
    stated = stated_figure(doc, found.stated, "value", f"{found.stated.subject}（说明）")
    if stated is None:
        return None
    table = None
    if found.table is not None:
        label = measures()[name].get("label", name)
        cell = cell_figure(doc, found.table.table, found.table.row, found.table.column, label)
        if isinstance(cell, Figure):
            table = cell
        elif cell.reason == "blank" and cell.source is not None:  # a blank cell counts as 0, as in the checks
            table = Figure(label=label, value=found.table.value or 0, unit=found.table.table.unit,
                           source=cell.source.model_copy(update={"derived": True,
                                                                 "note": "报表此格为空（未安排），按0计"}))
    return stated, found.stated.sentence, table


@traced
def verify_figure(catalog: Catalog, query: VerifyQuery) -> VerifyResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    own = _own_statement(doc, query.measure)
    stated: Figure | None
    if own is not None:  # a statement of the measure's narrative subject: the registry's `stated_in`
        stated, sentence, table = own
    else:  # a share, a narrative fact, or a row the registry does not name
        stated, sentence, whole = stated_value_figure(doc, query.measure)
        table = table_figure(doc, query.measure, whole)
    label = query.measure
    if table is None:
        if stated is None:
            return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                          message_zh=f"报表和说明中都没有找到“{query.measure}”。")
        return VerifyResult(measure=label, stated=stated, status="仅说明", sentence=sentence,
                            message_zh=f"“{query.measure}”只在情况说明中出现（{stated.value}{stated.unit}），报表中没有对应数。")
    if stated is None:
        return VerifyResult(measure=label, table=table, status="仅表格",
                            message_zh=f"“{query.measure}”只在报表中出现（{table.value}{table.unit}），情况说明未写明金额。")
    diff = stated.value - table.value
    difference = Figure(label="说明数 − 报表数", value=diff, unit=table.unit,
                        source=derived_source(doc, f"推算：{stated.value} − {table.value} = {diff}", row=label))
    status = agreement_status(diff)
    if status == "一致":
        message = f"情况说明与报表一致：{table.value}{table.unit}。"
    elif status == "尾差":
        message = (f"情况说明写{stated.value}{stated.unit}，报表为{table.value}{table.unit}，"
                   f"相差{abs(diff)}，属四舍五入尾差。")
    else:
        message = (f"情况说明写{stated.value}{stated.unit}，报表为{table.value}{table.unit}，"
                   f"相差{abs(diff)}，两者不一致。")
    return VerifyResult(measure=label, table=table, stated=stated, difference=difference, status=status,
                        message_zh=message, sentence=sentence)
