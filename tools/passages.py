"""The narrative text a citation points at, for answers that carry no quote: the sentences read
from that line (or that page and section), else the start of the section.

    p = cited_passage(catalog, PassageQuery(document="…-2026", section="七、“三公”经费…", line=540))
    p.text, p.source
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.text import fold
from tools.catalog import Catalog
from tools.lookup import doc_source
from tools.trace import traced
from tools.types import NoData, Source

PASSAGE_CHARS = 400  # a section's start shown when no sentence was read from the cited place


class PassageQuery(BaseModel):
    document: str = Field(description="doc_id")
    section: str | None = Field(default=None, description="情况说明的节标题")
    page: int | None = None
    line: int | None = None


class Passage(BaseModel):
    kind: Literal["passage"] = "passage"
    text: str  # verbatim; a section's start ends with "……"
    whole_section: bool = False  # the start of the section, not the cited sentences
    source: Source


@traced
def cited_passage(catalog: Catalog, query: PassageQuery) -> Passage | NoData:
    doc = catalog.by_id.get(query.document)
    if doc is None:
        return NoData(reason="no_unit", document=query.document, message_zh="索引中没有这份文件。")
    spots = [*doc.stated, *doc.shares, doc.procurement, doc.performance]

    def here(spot) -> bool:
        loc = spot.location
        if query.line is not None:
            return loc.line == query.line
        return (query.page is not None and loc.page == query.page
                and getattr(spot, "section", query.section) == query.section)

    sentences = list(dict.fromkeys(spot.sentence for spot in spots if spot is not None and here(spot)))
    if sentences:
        return Passage(text="\n".join(sentences), source=doc_source(
            doc, section=query.section, page=query.page, line=query.line))
    section = next((s for s in doc.sections if query.section and fold(s.title) in fold(query.section)), None)
    if section is None:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"文件中没有“{query.section or ''}”一节的原文。")
    text = section.text if len(section.text) <= PASSAGE_CHARS else section.text[:PASSAGE_CHARS] + "……"
    return Passage(text=text, whole_section=True, source=doc_source(
        doc, section=section.title, page=section.location.page, line=section.location.line))


__all__ = ["PassageQuery", "Passage", "cited_passage"]
