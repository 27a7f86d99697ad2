"""名词解释: a term's definition per document, and whether the units define it differently."""
from __future__ import annotations

from core.model import Disclosure, GlossaryTerm
from core.text import fold
from tools.catalog import Catalog
from tools.lookup import doc_source, key
from tools.projects import match_names
from tools.trace import traced
from tools.types import Ambiguous, NoData, TermDefinition, TermQuery, TermResult

GLOSSARY_SECTION = "名词解释"  # "第四部分 名词解释" in some layouts, a part of its own in others


def _term_key(text: str) -> str:
    """tools.lookup.key without straight quotes: “三公”经费 and "三公"经费 and 三公经费 meet."""
    return key(text).replace('"', "").replace("'", "")


def find_term(doc: Disclosure, term: str) -> GlossaryTerm | None:
    q = _term_key(term)
    exact = [g for g in doc.glossary if _term_key(g.term) == q]
    if exact:
        return exact[0]
    names = match_names(q, [_term_key(g.term) for g in doc.glossary])
    if not names:
        return None
    return next(g for g in doc.glossary if _term_key(g.term) == names[0])


@traced
def define_term(catalog: Catalog, query: TermQuery) -> TermResult | NoData | Ambiguous:
    docs = catalog.documents_for(query.unit, query.year)
    if not isinstance(docs, list):
        return docs
    definitions = []
    for doc in docs:
        g = find_term(doc, query.term)
        if g is None:
            continue
        definitions.append(term_definition(doc, g))
    if not definitions:
        available = sorted({g.term for d in docs for g in d.glossary})
        return NoData(reason="no_item", unit=docs[0].unit if query.unit and docs else None,
                      message_zh=f"名词解释中没有“{query.term}”。", available=available)
    variants = len(definition_groups(definitions))
    return TermResult(query=query.term, definitions=definitions, differs=variants > 1, variants=variants)


def term_definition(doc: Disclosure, g: GlossaryTerm) -> TermDefinition:
    """One document's definition of a term, with its place in the 名词解释."""
    return TermDefinition(unit=doc.unit, year=doc.year, term=g.term, definition=g.definition,
                          source=doc_source(doc, section=GLOSSARY_SECTION, row=g.term, page=g.location.page,
                                            line=g.location.line))


def definition_groups(definitions: list[TermDefinition]) -> list[list[TermDefinition]]:
    """The definitions grouped by wording (spacing, width and the final 。 ignored), in order."""
    groups: dict[str, list[TermDefinition]] = {}
    for d in definitions:
        groups.setdefault(fold(d.definition).rstrip("。."), []).append(d)
    return list(groups.values())
