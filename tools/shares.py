"""Shares: part over whole from the tables (rounded half-up to 2 decimals, as the documents
print them), next to the narrative's stated share when there is one."""
from __future__ import annotations

from decimal import Decimal

from core.model import Disclosure, StatedShare, TableKind
from tools.catalog import Catalog
from tools.lookup import doc_source, key
from tools.measures import (
    canonical_measure,
    canonical_share,
    derived_percent_figure,
    is_function_class,
    measure_table,
    measures,
    resolve_amount,
)
from tools.trace import traced
from tools.types import Ambiguous, Figure, NoData, ShareQuery, ShareResult

AGREE = Decimal("0.01")


def default_whole(doc: Disclosure, part: str) -> str | None:
    name = canonical_measure(part)
    if name:
        return measures()[name].get("share_of")
    if is_function_class(doc, part):
        return measure_table().get("function_class_share_of")
    return None


def spent_as(whole_text: str) -> str:
    """A 功能分类 class is spent money: named against an income (一般公共预算), it is a share of
    what that income pays for (一般公共预算当年支出)."""
    name = canonical_measure(whole_text)
    return measures()[name].get("spent_as", whole_text) if name else whole_text


def share_figures(doc: Disclosure, part_text: str, whole_text: str | None) -> ShareResult | NoData:
    spec = canonical_share(part_text)
    if spec:
        part_text, whole_text = spec["part"], whole_text or spec["whole"]
    whole_text = whole_text or default_whole(doc, part_text)
    if whole_text and is_function_class(doc, part_text):
        whole_text = spent_as(whole_text)
    if not whole_text:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"请说明“{part_text}”是占什么的比例。")
    whole = resolve_amount(doc, whole_text)
    if not isinstance(whole, Figure):
        return whole
    part = resolve_amount(doc, part_text, prefer=_table_of(whole, whole_text))
    if not isinstance(part, Figure):
        return part
    if whole.value == 0:
        return NoData(reason="blank", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{whole.label}为0，无法计算占比。", source=whole.source)
    label = f"{part.label}占{whole.label}的比例"
    computed = derived_percent_figure(doc, part, whole, label)
    stated = find_share(doc, part_text, part, whole_text, whole)
    stated_fig = None
    if stated is not None:
        stated_fig = Figure(label=f"{stated.subject}占比（原文）", value=stated.percent, unit="%",
                            source=doc_source(doc, section=stated.section, row=stated.subject, column="占比",
                                              page=stated.location.page, line=stated.location.line))
    return ShareResult(part=part, whole=whole, computed=computed, stated=stated_fig,
                       stated_sentence=stated.sentence if stated else None,
                       agrees=(abs(stated.percent - computed.value) <= AGREE) if stated else None)


def _table_of(whole: Figure, whole_text: str) -> TableKind | None:
    """The table a share's part is read from: the whole's; for a whole the narrative states
    (一般公共预算当年拨款), the table its measure is first looked up in."""
    kinds = {k.value: k for k in TableKind}
    if whole.source.table in kinds:
        return kinds[whole.source.table]
    name = canonical_measure(whole_text)
    tables = [lookup["table"] for lookup in measures()[name].get("lookups", []) if "table" in lookup] if name else []
    return kinds.get(tables[0]) if tables else None


def find_share(doc: Disclosure, part_text: str, part: Figure, whole_text: str | None = None,
               whole: Figure | None = None) -> StatedShare | None:
    """The narrative's share of the same thing: same subject (or measure), of the same whole
    (when one is asked for) and, when the sentence gives an amount, the same amount."""
    names = {key(part_text), key(part.label)}
    name = canonical_measure(part_text)
    if name:
        names |= {key(x) for x in [name, *measures()[name].get("aliases", []), *measures()[name].get("subjects", [])]}
    hits = [s for s in doc.shares if key(s.subject) in names
            or (name is not None and canonical_measure(s.subject) == name)]
    if whole_text is not None:
        default = default_whole(doc, part_text)  # a share stated without its whole is of the default
        hits = [s for s in hits if (same_whole(doc, s.whole, whole_text, whole) if s.whole is not None
                                    else default is not None and key(default) == key(whole_text))]
    if not hits:
        return None
    same_amount = [s for s in hits if s.value is not None and s.value == part.value]
    if same_amount:
        return same_amount[0]
    with_amount = [s for s in hits if s.value is not None]
    return hits[0] if not with_amount else None


def same_whole(doc: Disclosure, stated_whole: str, whole_text: str, whole: Figure | None) -> bool:
    """Whether a stated share's whole is the requested whole: the same name or measure, or a whole
    that reads as the same amount from the same table."""
    if key(stated_whole) == key(whole_text):
        return True
    name = canonical_measure(whole_text)
    if name is not None and canonical_measure(stated_whole) == name:
        return True
    if whole is None:
        return False
    read = resolve_amount(doc, stated_whole)
    return (isinstance(read, Figure) and read.value == whole.value
            and read.source.table == whole.source.table)


@traced
def compute_share(catalog: Catalog, query: ShareQuery) -> ShareResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    return share_figures(doc, query.part, query.whole)
