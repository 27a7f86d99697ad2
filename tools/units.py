"""Which units and years the catalog holds, and what a unit name (full, short, colloquial) means."""
from __future__ import annotations

from core.text import fold
from tools.catalog import Catalog
from tools.projects import PROJECT_TABLES, project_items
from tools.types import Ambiguous, NoData, UnitInfo, UnitList, UnitMatch, UnitMention, UnitMentions, UnitQuery


def list_units(catalog: Catalog) -> UnitList:
    out = []
    for unit in catalog.units():
        docs = catalog.by_unit[unit]
        years = sorted(docs)
        out.append(UnitInfo(unit=unit, years=years, documents=[docs[y].doc_id for y in years],
                            kind=docs[years[-1]].kind))
    return UnitList(units=out)


def resolve_unit(catalog: Catalog, query: UnitQuery) -> UnitMatch | Ambiguous | NoData:
    return catalog.resolve_unit(query.name)


def find_unit_mentions(catalog: Catalog, text: str) -> UnitMentions:
    """Units named in a question, in order. Project names that contain a unit-like word
    (老城管委会经费) are masked first so they do not count as a unit."""
    masked = _mask_projects(catalog, fold(text))
    return UnitMentions(mentions=[UnitMention(unit=u, text=v, start=s, end=e)
                                  for u, v, s, e in catalog.find_unit_mentions(masked)])


def _mask_projects(catalog: Catalog, folded: str) -> str:
    names = catalog.cache.get("project_names")
    if names is None:
        names = set()
        for doc in catalog.disclosures:
            for kind in PROJECT_TABLES:
                table = doc.table(kind)
                if table is not None and not table.empty:
                    names.update(fold(r.name) for r in project_items(doc, table))
            names.update(fold(t.project) for t in doc.targets)
        names = catalog.cache["project_names"] = sorted((n for n in names if len(n) >= 4), key=len, reverse=True)
    for name in names:
        if name in folded:
            folded = folded.replace(name, "＿" * len(name))
    return folded
