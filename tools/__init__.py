"""Deterministic figure tools over the loaded disclosures (the Catalog).

Every tool takes the catalog and a pydantic query and returns a pydantic result whose figures
carry their Source; missing data is a NoData result, an unclear name an Ambiguous one.

    from tools import Catalog, lookup_measure, MeasureQuery
    catalog = Catalog.open(index_dir)
    r = lookup_measure(catalog, MeasureQuery(unit="城管局", year=2025, measure="收入总计"))
"""
from tools.catalog import Catalog
from tools.changes import stated_change
from tools.codes import explain_code
from tools.compare import compare_units
from tools.facts import performance_summary, procurement, state_assets
from tools.figures import list_measures, lookup_cell, lookup_measure
from tools.projects import find_project, project_target
from tools.provenance import read_back
from tools.rank import rank_items
from tools.shares import compute_share
from tools.terms import define_term
from tools.three_public import three_public
from tools.types import *  # noqa: F401,F403  (the query and result types)
from tools.types import __all__ as _types
from tools.units import find_unit_mentions, list_units, resolve_unit
from tools.verify import verify_figure

__all__ = [
    "Catalog", "list_units", "resolve_unit", "find_unit_mentions", "lookup_cell", "lookup_measure",
    "list_measures", "stated_change", "compute_share", "three_public", "compare_units", "rank_items",
    "find_project", "project_target", "state_assets", "procurement", "performance_summary",
    "explain_code", "define_term", "verify_figure", "read_back", *_types,
]
