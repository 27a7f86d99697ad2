"""Documents of other layouts (tests/layouts.py) parse into their known truth.

Each template is written to a file and read by `parsing.parse.parse_file`, as an upload would be.
The assertions do not depend on a template's table count or order: tables are found by kind
(and by title for tables of no standard kind), rows by 科目编码 or name, columns by the printed
header path, values compared in 元 whatever unit the parser holds them in.

    pytest -m layouts
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from tests import layouts as L

pytestmark = pytest.mark.layouts

NAMES = sorted(L.LAYOUTS)
_PARSED: dict[str, object] = {}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """name -> (Layout, Disclosure or the DisclosureError it raised); each parsed once."""
    from core.errors import DisclosureError
    from parsing.parse import parse_file

    folder = tmp_path_factory.mktemp("layouts")

    def get(name: str):
        if name not in _PARSED:
            layout = L.LAYOUTS[name]()
            path = folder / f"{name}-{layout.year}.md"
            path.write_text(layout.text, encoding="utf-8")
            try:
                result = parse_file(path)
            except DisclosureError as err:
                result = err
            _PARSED[name] = (layout, result)
        return _PARSED[name]

    return get


def disclosure(parsed, name):
    layout, result = parsed(name)
    if isinstance(result, Exception):
        pytest.fail(f"{name}: parse_file refused the document: {type(result).__name__}: {result}")
    return layout, result


# --- the templates themselves -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_template_truth_is_consistent(name):
    """A parent 科目 is the sum of its children in every column, 收入总计 = 支出总计, and the
    tables agree on the total: otherwise the parse tests would test a broken truth."""
    layout = L.LAYOUTS[name]()
    by_table = defaultdict(dict)
    for cell in layout.cells:
        by_table[(cell.table, cell.title)][(cell.side, cell.row, cell.column)] = L.in_yuan(cell.value, cell.unit)
    for (table, _), cells in by_table.items():
        for (side, row, column), value in cells.items():
            if row is None or not row.isdigit() or len(row) == 7:
                continue
            children = [v for (s, r, c), v in cells.items()
                        if c == column and s == side and r and r.isdigit() and len(r) == len(row) + 2
                        and r.startswith(row)]
            if table == L.ECONOMIC and len(row) == 5:
                continue
            if children:
                assert sum(children) == value, (name, table, row, column)
    totals = {(c.table, c.row, c.side): L.in_yuan(c.value, c.unit) for c in layout.cells
              if c.row in ("收入总计", "支出总计", "合计") and c.column in ("合计", "本年预算", "预算数", "预算金额")}
    summary = [v for (t, r, _), v in totals.items() if t == L.SUMMARY]
    assert summary and len(set(summary)) == 1, (name, summary)
    assert totals[(L.EXPENDITURE, "合计", None)] == summary[0]
    assert totals[(L.INCOME, "合计", None)] == summary[0]
    assert layout.text.count("\t") or layout.text.count("|")
    assert all(f.value >= 0 for f in layout.figures)
    proc = layout.procurement
    assert proc["total"] == proc["goods"] + proc["works"] + proc["services"]


def test_templates_differ_from_each_other_and_from_the_samples():
    units = {L.LAYOUTS[n]().unit for n in NAMES}
    assert len(units) == len(NAMES)
    assert not any("晋城" in u or "普陀" in u for u in units)
    layouts = [L.LAYOUTS[n]() for n in NAMES]
    assert {lay.kind for lay in layouts} == {"单位", "部门"}
    assert {c.unit for lay in layouts for c in lay.cells} == {"元", "万元"}
    assert any(L.OTHER in lay.table_kinds for lay in layouts)


# --- what the parser recovers -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_identity(parsed, name):
    layout, d = disclosure(parsed, name)
    assert (d.unit, d.year, d.kind) == (layout.unit, layout.year, layout.kind)


@pytest.mark.parametrize("name", [n for n in NAMES if L.LAYOUTS[n]().members])
def test_member_units(parsed, name):
    layout, d = disclosure(parsed, name)
    members = getattr(d, "member_units", None)
    assert members is not None, "the Disclosure has no member_units"
    assert list(members) == layout.members


@pytest.mark.parametrize("name", NAMES)
def test_tables_present(parsed, name):
    """Every printed table is there with its kind; a table of no standard kind is kept (as
    other, under its title); a table printed empty is empty, not missing."""
    layout, d = disclosure(parsed, name)
    kinds = [getattr(t.kind, "value", t.kind) for t in d.tables]
    missing = sorted(set(layout.table_kinds) - set(kinds))
    assert not missing, f"tables missing: {missing}; parsed {kinds}"
    for title in layout.other_titles:
        assert any(L.norm(title) in L.norm(t.title) or L.norm(t.title) in L.norm(title) and L.norm(t.title)
                   for t in d.tables), f"{title} not kept; parsed titles {[t.title for t in d.tables]}"
    for kind in layout.empty_tables:
        table = next(t for t in d.tables if getattr(t.kind, "value", t.kind) == kind)
        values = [v for r in table.rows for v in r.values.values() if v is not None]
        assert table.empty and not values, (kind, table.empty, values[:5])


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_recovered(parsed, name):
    layout, d = disclosure(parsed, name)
    results = L.recovered_cells(d, layout)
    failed = [r for r in results if not r.ok]
    lines = [f"{r.cell.label()}: truth {r.cell.value} {r.cell.unit}, parsed (元) {r.found[:3]} — {r.reason}"
             for r in failed[:25]]
    assert not failed, f"{len(failed)}/{len(results)} cells not recovered:\n" + "\n".join(lines)


@pytest.mark.parametrize("name", NAMES)
def test_printed_unit_kept(parsed, name):
    """A table held in another unit than the one printed says what was printed."""
    layout, d = disclosure(parsed, name)
    printed = {(c.table, c.title): c.unit for c in layout.cells}
    wrong = []
    for (kind, title), unit in printed.items():
        for table in L.candidate_tables(d, L.Cell(kind, None, "", Decimal(0), unit, title=title)):
            held = table.unit
            shown = L.printed_unit(table) or held
            if shown != unit:
                wrong.append((kind, f"printed {unit}", f"held {held}", f"says printed {L.printed_unit(table)}"))
    assert not wrong, wrong


@pytest.mark.parametrize("name", NAMES)
def test_narrative_figures(parsed, name):
    layout, d = disclosure(parsed, name)
    results = L.recovered_figures(d, layout)
    failed = [r for r in results if not r.ok]
    lines = [f"{r.figure.subject} = {r.figure.value} 万元 (change {r.figure.change}): parsed {r.parsed or 'nothing'}"
             for r in failed]
    assert not failed, f"{len(failed)}/{len(results)} narrative figures not recovered:\n" + "\n".join(lines)


@pytest.mark.parametrize("name", NAMES)
def test_procurement(parsed, name):
    layout, d = disclosure(parsed, name)
    results = L.procurement_results(d, layout)
    wrong = {k: v for k, v in results.items() if v[0] != v[1]}
    assert not wrong, f"政府采购 (truth, parsed) in 万元: {wrong}"
