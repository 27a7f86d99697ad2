"""The facts store: exact round-trips, replace/remove by doc_id, the normalised cells table,
and Catalog.open over an index generation folder."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from core.model import Finding, Location
from index.store import FactStore
from tools.catalog import Catalog, facts_path


@pytest.fixture(scope="module")
def store(tmp_path_factory, parsed_text):
    store = FactStore(tmp_path_factory.mktemp("facts") / "facts.sqlite")
    for doc in parsed_text.values():
        store.save(doc)
    yield store
    store.close()


def test_round_trip_is_exact(store, parsed_text):
    for doc_id, doc in parsed_text.items():
        assert store.load(doc_id) == doc
    assert sorted(d.doc_id for d in store.load_all()) == sorted(parsed_text)


def test_decimals_keep_their_digits(store, parsed_text):
    # trailing zeros are part of the printed figure: 8530.80 stays 8530.80, never 8530.8
    doc = store.load("jincheng-etdz-admin-committee-2026")
    summary = next(t for t in doc.tables if t.kind.value == "收支总表")
    total = next(r for r in summary.rows if r.name == "收入总计")
    value = next(iter(total.values.values()))
    assert isinstance(value, Decimal) and str(value) == "8530.80"


def test_documents_summary(store, parsed_text):
    rows = store.documents()
    assert {r["doc_id"] for r in rows} == set(parsed_text)
    by_id = {r["doc_id"]: r for r in rows}
    assert by_id["jincheng-urban-management-bureau-2025"]["unit"] == "晋城市城市管理局"
    assert by_id["jincheng-urban-management-bureau-2025"]["year"] == 2025
    assert by_id["jincheng-etdz-approval-bureau-2026"]["kind"] == "部门"
    assert all(r["source_kind"] == "text" for r in rows)


def test_cells_table_holds_every_cell_as_exact_text(store, parsed_text):
    for doc_id, doc in parsed_text.items():
        cells = store.cells(doc_id)
        expected = [(t.kind.value, r.code, r.name, col, None if v is None else str(v))
                    for t in doc.tables for r in t.rows for col, v in r.values.items()]
        assert [(c["table_kind"], c["code"], c["name"], c["column_name"], c["value"]) for c in cells] == expected


def test_cells_answer_sql_questions(store):
    # facts for SQL users: 2080505 in the 支出总表 of the approval bureau (document line 147)
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT value, line FROM cells WHERE doc_id = :d AND table_kind = '支出总表' "
            "AND code = '2080505' AND column_name = '合计'"), {"d": "jincheng-etdz-approval-bureau-2026"}).all()
    assert rows == [("18.06", 147)]
    with store.engine.connect() as conn:
        blank = conn.execute(text(
            "SELECT COUNT(*) FROM cells WHERE doc_id = :d AND table_kind = '三公经费支出预算表' "
            "AND value IS NOT NULL"), {"d": "jincheng-etdz-approval-bureau-2026"}).scalar()
    assert blank == 0  # an empty table stores no zeros


def test_save_replaces_by_doc_id_and_remove(tmp_path, parsed_text):
    doc = parsed_text["jincheng-etdz-approval-bureau-2026"]
    store = FactStore(tmp_path / "facts.sqlite")
    finding = Finding(check="parent_sum", severity="rounding", message="尾差0.01", expected=Decimal("200.15"),
                      actual=Decimal("200.14"), locations=[Location(document=doc.doc_id, line=238)])
    store.save(doc, [finding])
    n_cells = len(store.cells(doc.doc_id))
    changed = doc.model_copy(update={"unit": "改名后的单位"})
    store.save(changed)
    assert [d["unit"] for d in store.documents()] == ["改名后的单位"]
    assert len(store.cells(doc.doc_id)) == n_cells
    assert store.findings(doc.doc_id) == []
    store.save(doc, [finding])
    assert store.findings(doc.doc_id) == [finding]
    assert store.remove(doc.doc_id) is True
    assert store.remove(doc.doc_id) is False
    assert store.documents() == [] and store.cells(doc.doc_id) == [] and store.load(doc.doc_id) is None
    store.close()


def test_catalog_opens_the_current_generation(tmp_path, parsed_text):
    index_dir = tmp_path / "index"
    generation = index_dir / "generations" / "g2"
    store = FactStore(generation / "facts.sqlite")
    for doc in parsed_text.values():
        store.save(doc)
    store.close()
    (index_dir / "CURRENT").write_text("g2\n", encoding="utf-8")
    assert facts_path(index_dir) == generation / "facts.sqlite"
    catalog = Catalog.open(index_dir)
    assert sorted(catalog.by_id) == sorted(parsed_text)
    urban = "jincheng-urban-management-bureau-2025"
    assert catalog.by_id[urban] == parsed_text[urban]


def test_catalog_of_an_empty_index_holds_nothing(tmp_path):
    catalog = Catalog.open(tmp_path / "nothing-here")
    assert catalog.units() == []
    assert catalog.document("城管局").reason == "no_unit"
