"""The structured facts store: whole disclosures (JSON) plus one row per table cell.

    store = FactStore("var/index/generations/g1/facts.sqlite")   # or a SQLAlchemy URL
    store.save(disclosure, findings)                              # replaces by doc_id
    store.load_all()                                              # -> list[Disclosure]

SQLAlchemy Core over SQLite by default; nothing SQLite-specific, so a PostgreSQL URL works.
Money is stored as TEXT (the exact Decimal), never as a float column.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, delete, insert, select
from sqlalchemy.engine import Engine

from core.model import Disclosure, Finding

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("doc_id", String(200), primary_key=True),
    Column("unit", String(200), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("source_kind", String(10), nullable=False),
    Column("pages", Integer),
    Column("saved_at", String(40), nullable=False),
    Column("disclosure", Text, nullable=False),  # Disclosure JSON (Decimals as strings)
    Column("findings", Text, nullable=False),  # list[Finding] JSON
)

cells = Table(
    "cells", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(200), nullable=False, index=True),
    Column("table_kind", String(40), nullable=False),
    Column("row_index", Integer, nullable=False),
    Column("side", String(10)),
    Column("code", String(20)),
    Column("name", Text, nullable=False),
    Column("column_name", Text, nullable=False),
    Column("value", String(40)),  # exact Decimal text; NULL = blank cell
    Column("is_total", Integer, nullable=False),
    Column("page", Integer),
    Column("line", Integer),
)

findings_table = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(200), nullable=False, index=True),
    Column("check_name", String(60), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("message", Text, nullable=False),
    Column("expected", String(40)),
    Column("actual", String(40)),
)


def _url(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    if "://" in text:
        return text
    Path(text).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(text).resolve()}"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class FactStore:
    def __init__(self, path_or_url: str | Path):
        self.url = _url(path_or_url)
        self.engine: Engine = create_engine(self.url)
        metadata.create_all(self.engine)

    def save(self, disclosure: Disclosure, findings: list[Finding] | None = None) -> None:
        """Store (or replace) one disclosure with its consistency findings, in one transaction."""
        findings = list(findings or [])
        with self.engine.begin() as conn:
            self._delete(conn, disclosure.doc_id)
            conn.execute(insert(documents).values(
                doc_id=disclosure.doc_id, unit=disclosure.unit, year=disclosure.year,
                kind=disclosure.kind, source_kind=disclosure.source_kind, pages=disclosure.pages,
                saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                disclosure=disclosure.model_dump_json(),
                findings=json.dumps([f.model_dump(mode="json") for f in findings], ensure_ascii=False),
            ))
            rows = list(_cell_rows(disclosure))
            if rows:
                conn.execute(insert(cells), rows)
            if findings:
                conn.execute(insert(findings_table), [
                    {"doc_id": disclosure.doc_id, "check_name": f.check, "severity": f.severity,
                     "message": f.message, "expected": _text(f.expected), "actual": _text(f.actual)}
                    for f in findings])

    def remove(self, doc_id: str) -> bool:
        with self.engine.begin() as conn:
            return self._delete(conn, doc_id)

    def documents(self) -> list[dict]:
        """One summary dict per stored document (no JSON bodies), ordered by unit and year."""
        cols = [documents.c.doc_id, documents.c.unit, documents.c.year, documents.c.kind,
                documents.c.source_kind, documents.c.pages, documents.c.saved_at]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols).order_by(documents.c.unit, documents.c.year, documents.c.doc_id))
            return [dict(r._mapping) for r in rows]

    def load(self, doc_id: str) -> Disclosure | None:
        with self.engine.connect() as conn:
            body = conn.execute(select(documents.c.disclosure).where(documents.c.doc_id == doc_id)).scalar()
        return None if body is None else Disclosure.model_validate_json(body)

    def load_all(self) -> list[Disclosure]:
        with self.engine.connect() as conn:
            bodies = conn.execute(select(documents.c.disclosure).order_by(documents.c.unit, documents.c.year))
            return [Disclosure.model_validate_json(b) for (b,) in bodies]

    def findings(self, doc_id: str) -> list[Finding]:
        with self.engine.connect() as conn:
            body = conn.execute(select(documents.c.findings).where(documents.c.doc_id == doc_id)).scalar()
        return [] if body is None else [Finding.model_validate(f) for f in json.loads(body)]

    def cells(self, doc_id: str) -> list[dict]:
        """The normalised cells of one document, in table and row order (values as exact text)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(cells).where(cells.c.doc_id == doc_id).order_by(cells.c.id))
            return [dict(r._mapping) for r in rows]

    def close(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _delete(conn, doc_id: str) -> bool:
        conn.execute(delete(cells).where(cells.c.doc_id == doc_id))
        conn.execute(delete(findings_table).where(findings_table.c.doc_id == doc_id))
        return conn.execute(delete(documents).where(documents.c.doc_id == doc_id)).rowcount > 0


def _cell_rows(disclosure: Disclosure):
    for table in disclosure.tables:
        for index, row in enumerate(table.rows):
            for column, value in row.values.items():
                yield {
                    "doc_id": disclosure.doc_id, "table_kind": table.kind.value, "row_index": index,
                    "side": row.side, "code": row.code, "name": row.name, "column_name": column,
                    "value": _text(value), "is_total": int(row.is_total),
                    "page": row.location.page, "line": row.location.line,
                }
