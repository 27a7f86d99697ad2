"""The facts store, the catalog and the tools on PostgreSQL instead of SQLite.

Runs against BUDGET_TEST_PG_URL when set (a SQLAlchemy URL), else against a throw-away local
server that scripts/start_test_postgres.sh starts; skipped only when neither is possible. Each
run works in a schema of its own, dropped at the end, so the database can be shared.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import DOC_IDS, TEXT_DIR

from core.model import Finding, Location

pytest.importorskip("psycopg", reason="psycopg is needed for PostgreSQL URLs (requirements-dev.txt)")

ADMIN = "晋城经济技术开发区管理委员会"
URBAN = "晋城市城市管理局"
APPROVAL = "晋城经济技术开发区行政审批局"
INDUSTRY = "晋城市城区工业和信息化局"


@contextmanager
def schema_url(base: str):
    """A URL on `base` whose connections see only a new schema, dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"budget_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def pg_base():
    """BUDGET_TEST_PG_URL when given; otherwise a throw-away local server started with
    scripts/start_test_postgres.sh when PostgreSQL's server binaries are installed."""
    base = os.environ.get("BUDGET_TEST_PG_URL")
    started = None
    if not base:
        started = start_local_server()
        if started is None:
            pytest.skip("no PostgreSQL: set BUDGET_TEST_PG_URL or install PostgreSQL's server binaries")
        base = started["url"]
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(base)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as err:
        pytest.skip(f"PostgreSQL at {base} is not reachable: {err.orig}")
    finally:
        engine.dispose()
    yield base
    if started:
        subprocess.run([str(SCRIPT), "stop"], env=started["env"], capture_output=True, timeout=60)
        shutil.rmtree(started["env"]["PGTEST_DIR"], ignore_errors=True)


SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "start_test_postgres.sh"


def start_local_server() -> dict | None:
    # Not under pytest's tmp folders: they are private (0700) and the server runs as an
    # unprivileged user when we are root.
    folder = Path(tempfile.mkdtemp(prefix="budget-pgtest-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PGTEST_DIR": str(folder), "PGTEST_PORT": str(port)}
    os.chmod(folder, 0o777)
    try:
        done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return {"url": done.stdout.strip().splitlines()[-1], "env": env}


@pytest.fixture(scope="module")
def pg_url(pg_base):
    with schema_url(pg_base) as url:
        yield url


@pytest.fixture(scope="module")
def store(pg_url, parsed_text):
    from index.store import FactStore

    store = FactStore(pg_url)
    assert store.engine.dialect.name == "postgresql"
    for doc in parsed_text.values():
        store.save(doc)
    yield store
    store.close()


# ---- FactStore --------------------------------------------------------------------------------

def test_round_trip_is_exact(store, parsed_text):
    for doc_id, doc in parsed_text.items():
        assert store.load(doc_id) == doc
    assert sorted(d.doc_id for d in store.load_all()) == DOC_IDS


def test_decimals_keep_their_digits(store):
    doc = store.load("jincheng-etdz-admin-committee-2026")
    summary = next(t for t in doc.tables if t.kind.value == "收支总表")
    total = next(r for r in summary.rows if r.name == "收入总计")
    assert str(next(iter(total.values.values()))) == "8530.80"


def test_documents_summary(store):
    by_id = {r["doc_id"]: r for r in store.documents()}
    assert sorted(by_id) == DOC_IDS
    assert by_id["jincheng-urban-management-bureau-2025"]["unit"] == URBAN
    assert by_id["jincheng-urban-management-bureau-2025"]["year"] == 2025
    assert by_id["jincheng-etdz-approval-bureau-2026"]["kind"] == "部门"


def test_cells_hold_every_cell_as_exact_text_and_answer_sql(store, parsed_text):
    from sqlalchemy import text

    for doc_id, doc in parsed_text.items():
        expected = [(t.kind.value, r.code, r.name, col, None if v is None else str(v))
                    for t in doc.tables for r in t.rows for col, v in r.values.items()]
        assert [(c["table_kind"], c["code"], c["name"], c["column_name"], c["value"])
                for c in store.cells(doc_id)] == expected
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT value, line FROM cells WHERE doc_id = :d AND table_kind = '支出总表' "
            "AND code = '2080505' AND column_name = '合计'"), {"d": "jincheng-etdz-approval-bureau-2026"}).all()
    assert rows == [("18.06", 147)]


def test_save_replaces_by_doc_id_and_remove(pg_url, parsed_text):
    from index.store import FactStore

    doc = parsed_text["jincheng-etdz-approval-bureau-2026"].model_copy(update={"doc_id": "pg-replace-probe"})
    store = FactStore(pg_url)
    finding = Finding(check="parent_sum", severity="rounding", message="尾差0.01", expected=D("200.15"),
                      actual=D("200.14"), locations=[Location(document=doc.doc_id, line=238)])
    store.save(doc, [finding])
    cells = len(store.cells(doc.doc_id))
    store.save(doc.model_copy(update={"unit": "改名后的单位"}))
    assert [d["unit"] for d in store.documents() if d["doc_id"] == doc.doc_id] == ["改名后的单位"]
    assert len(store.cells(doc.doc_id)) == cells and store.findings(doc.doc_id) == []
    assert store.remove(doc.doc_id) is True and store.remove(doc.doc_id) is False
    assert store.load(doc.doc_id) is None and store.cells(doc.doc_id) == []
    store.close()


# ---- Catalog and tools --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog(store, pg_url):
    from tools import Catalog

    return Catalog.open(facts_url=pg_url)


def test_catalog_opens_the_facts_url(catalog, parsed_text, pg_url, monkeypatch, tmp_path):
    from tools import Catalog

    assert sorted(catalog.by_id) == DOC_IDS
    urban = "jincheng-urban-management-bureau-2025"
    assert catalog.by_id[urban] == parsed_text[urban]
    monkeypatch.setenv("BUDGET_FACTS_URL", pg_url)  # the one setting, whatever the index folder
    assert sorted(Catalog.open(tmp_path / "no-index-here").by_id) == DOC_IDS


@pytest.mark.parametrize("unit, measure, expected, table", [
    (ADMIN, "收入总计", "8530.80", "收支总表"),
    (ADMIN, "三公经费", "32.60", "三公经费支出预算表"),
    (URBAN, "上年结转", "77.81", "收支总表"),
    (URBAN, "机关运行经费", "529.14", "机关运行经费预算表"),
    (APPROVAL, "住房公积金", "21.30", "支出总表"),
    (INDUSTRY, "国有资本经营预算", "575.28", "收支总表"),
])
def test_measures_from_tables(catalog, unit, measure, expected, table):
    from tools import MeasureQuery, MeasureResult, lookup_measure

    result = lookup_measure(catalog, MeasureQuery(unit=unit, measure=measure))
    assert isinstance(result, MeasureResult), result
    assert str(result.figure.value) == expected
    assert result.figure.source.table == table and result.figure.source.line


def test_units_and_missing_data(catalog):
    from tools import MeasureQuery, NoData, UnitMatch, UnitQuery, lookup_measure, resolve_unit

    assert catalog.units() == sorted([ADMIN, URBAN, APPROVAL, INDUSTRY])
    match = resolve_unit(catalog, UnitQuery(name="城管局"))
    assert isinstance(match, UnitMatch) and match.unit == URBAN
    missing = lookup_measure(catalog, MeasureQuery(unit="城管局", year=2023, measure="收入总计"))
    assert isinstance(missing, NoData) and missing.reason == "no_year"


def test_build_writes_facts_to_the_facts_url(pg_base, tmp_path, monkeypatch):
    """BUDGET_FACTS_URL is the one setting: the build stores facts there, readers read them there."""
    from index.build import build_index
    from tools import Catalog, MeasureQuery, lookup_measure

    with schema_url(pg_base) as facts_url:
        monkeypatch.setenv("BUDGET_FACTS_URL", facts_url)
        index_dir = tmp_path / "index"
        build_index([TEXT_DIR / "jincheng-etdz-approval-bureau-2026.md"], index_dir, progress=False)
        assert not list(index_dir.rglob("facts.sqlite")), "no SQLite file when a facts URL is set"
        catalog = Catalog.open(index_dir)
        assert sorted(catalog.by_id) == ["jincheng-etdz-approval-bureau-2026"]
        income = lookup_measure(catalog, MeasureQuery(unit="审批局", measure="收入总计"))
        assert str(income.figure.value) == "389.23"
