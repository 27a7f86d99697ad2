"""The loaded documents at a glance (what was read from each, how many check findings), and the
findings the index stored for each document.

    findings = stored_findings(index_dir)                  # doc_id -> [Finding]
    listing = list_documents(catalog, DocumentListQuery(), findings)
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from core.generations import FACTS_FILE, facts_path, reading
from core.model import Finding
from core.settings import settings
from index.store import FactStore
from tools.catalog import Catalog
from tools.trace import traced


class DocumentListQuery(BaseModel):
    unit: str | None = Field(default=None, description="只列出这个单位的文件（可选）")


class DocumentSummary(BaseModel):
    doc_id: str
    unit: str
    year: int
    kind: str  # 单位 / 部门
    source_kind: str  # pdf / text
    pages: int | None = None
    tables: int  # tables recognised
    tables_with_data: int
    targets: int  # 绩效目标表
    terms: int  # 名词解释 entries
    findings: int | None = None  # stored check findings (None: not known)


class DocumentList(BaseModel):
    kind: Literal["documents"] = "documents"
    documents: list[DocumentSummary]


def stored_findings(index_dir: Path | None = None) -> dict[str, list[Finding]]:
    """doc_id -> the check findings the index stored, read from the active generation (pinned
    while reading) or from BUDGET_FACTS_URL; {} for an index never built."""
    cfg = settings()
    root = Path(index_dir) if index_dir is not None else cfg.index_dir
    with reading(root) as current:  # pinned: a concurrent build cannot prune it meanwhile
        url = cfg.facts_url
        if url is None:
            path = current / FACTS_FILE if current is not None else facts_path(root)
            if not path.exists():
                return {}
            url = str(path)
        store = FactStore(url)
        try:
            return {d["doc_id"]: store.findings(d["doc_id"]) for d in store.documents()}
        finally:
            store.close()


@traced
def list_documents(catalog: Catalog, query: DocumentListQuery,
                   findings: dict[str, list[Finding]] | None = None) -> DocumentList:
    docs = catalog.disclosures
    if query.unit:
        match = catalog.resolve_unit(query.unit)
        docs = [d for d in docs if d.unit == getattr(match, "unit", None)]
    return DocumentList(documents=[DocumentSummary(
        doc_id=d.doc_id, unit=d.unit, year=d.year, kind=d.kind, source_kind=d.source_kind, pages=d.pages,
        tables=len(d.tables), tables_with_data=sum(not t.empty for t in d.tables), targets=len(d.targets),
        terms=len(d.glossary), findings=None if findings is None else len(findings.get(d.doc_id, [])),
    ) for d in docs])


__all__ = ["DocumentListQuery", "DocumentSummary", "DocumentList", "list_documents", "stored_findings"]
