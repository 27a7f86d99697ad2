"""名词解释 across the loaded documents: every term once (however each document prints it), the
units defining it and its distinct wordings; and a fuzzy search over the terms.

    glossary = list_terms(catalog, TermListQuery())                       # all, by name
    found = list_terms(catalog, TermListQuery(search="机关运行费"))        # best match first
    found.terms[0].term == "机关运行经费"; found.terms[0].differs        # units word it differently?
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process

from core.text import fold_key
from tools.catalog import Catalog
from tools.terms import definition_groups, term_definition
from tools.trace import traced
from tools.types import TermDefinition

SEARCH_CUTOFF = 70  # rapidfuzz partial_ratio a fuzzy match needs


class TermListQuery(BaseModel):
    search: str | None = Field(default=None, description="名词（可模糊匹配）；省略则列出全部名词")
    limit: int = Field(default=10, description="搜索时最多返回的名词个数")


class DefinitionVariant(BaseModel):
    definition: str  # as the first document giving this wording prints it
    definitions: list[TermDefinition]  # every document giving it, each with its Source


class TermEntry(BaseModel):
    term: str  # as the first document printing it does
    definitions: list[TermDefinition]  # one per document, in catalog order
    variants: list[DefinitionVariant]  # distinct wordings (spacing, width, final 。 ignored)

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(d.unit for d in self.definitions))

    @property
    def differs(self) -> bool:
        return len(self.variants) > 1


class TermList(BaseModel):
    kind: Literal["terms"] = "terms"
    search: str | None = None
    terms: list[TermEntry]  # all terms by name; for a search, the matches best first
    held: int  # terms in the loaded documents


def term_entries(catalog: Catalog) -> dict[str, TermEntry]:
    """fold_key(term) -> its entry: "“三公”经费" and "三公经费" are one term."""
    if "term_entries" not in catalog.cache:
        by_key: dict[str, list[TermDefinition]] = {}
        for doc in catalog.disclosures:
            for g in doc.glossary:
                by_key.setdefault(fold_key(g.term), []).append(term_definition(doc, g))
        catalog.cache["term_entries"] = {
            k: TermEntry(term=defs[0].term, definitions=defs,
                         variants=[DefinitionVariant(definition=group[0].definition, definitions=group)
                                   for group in definition_groups(defs)])
            for k, defs in by_key.items()}
    return catalog.cache["term_entries"]


def search_names(query: str, names: list[str], limit: int = 10) -> list[str]:
    """Names matching a query: containing it (or contained in it) first, shortest first, then
    fuzzy matches, best first."""
    q = fold_key(query)
    if not q:
        return list(names)
    contained = [n for n in names if q in fold_key(n) or fold_key(n) in q]
    scored = process.extract(q, {n: fold_key(n) for n in names}, scorer=fuzz.partial_ratio,
                             limit=limit, score_cutoff=SEARCH_CUTOFF)
    fuzzy = [name for _, score, name in sorted(scored, key=lambda s: -s[1]) if name not in contained]
    return (sorted(contained, key=lambda n: (len(n), n)) + fuzzy)[:limit]


@traced
def list_terms(catalog: Catalog, query: TermListQuery) -> TermList:
    entries = term_entries(catalog)
    by_name = {e.term: e for e in entries.values()}
    names = sorted(by_name, key=fold_key)
    if query.search:
        names = search_names(query.search, names, query.limit)
    return TermList(search=query.search, terms=[by_name[n] for n in names], held=len(entries))


__all__ = ["TermListQuery", "DefinitionVariant", "TermEntry", "TermList", "list_terms", "search_names"]
