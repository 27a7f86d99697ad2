"""Projects listed only in the 情况说明 (parsing/listed_projects.py), on a Henan-style document that
prints no 项目支出预算表, and never on documents that print one."""
from __future__ import annotations

from decimal import Decimal

from core.model import TableKind
from parsing.parse import parse_file
from tests.conftest import ROOT
from tools.lookup import table_name

HENAN = next((ROOT / "tests" / "heldout_province6").glob("*.md"))


def test_projects_listed_in_the_narrative_become_a_cited_table():
    doc = parse_file(HENAN)
    current, carryover = doc.table(TableKind.projects_current), doc.table(TableKind.projects_carryover)
    assert current is not None and current.listed and carryover is not None and carryover.listed
    assert len(current.rows) == 10
    assert current.rows[0].name == "辖区道路环卫保洁市场化运营服务项目"
    assert current.rows[0].values["合计"] == Decimal("1380.00")
    assert [r.name for r in carryover.rows] == ["社区党群服务中心提升改造项目"]
    # the listed projects and the carry-over make up the 支出总表's 项目支出 (3,603.00万元)
    listed = sum(r.values["合计"] for r in current.rows + carryover.rows)
    assert listed == Decimal("3603.00")
    # a source names what the rows were read from, not a table the document does not print
    assert table_name(current) == "情况说明所列项目"
    assert all(r.location.line == 208 for r in current.rows)


def test_documents_printing_a_project_table_keep_it(parsed_text):
    for doc in parsed_text.values():
        tables = [t for t in doc.tables if t.kind in (TableKind.projects_current, TableKind.projects_carryover)]
        assert tables and not any(t.listed for t in tables)
