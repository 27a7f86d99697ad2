"""One uploaded file into the index: parsed in the sandbox under an id of its own, checked,
then added as a new generation. The index changes only when every step succeeds.

    done = ingest_upload("审批局-2026.md", data, index_dir, taken=catalog.by_id)
    done.unit, done.year, done.findings
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from core.model import Disclosure, Finding
from index.audit import audit
from index.build import add_disclosures
from parsing.sandbox import parse_file_sandboxed

Stage = Literal["audit", "index"]  # after parsing: checking the tables, then indexing


class Ingested(BaseModel):
    doc_id: str
    unit: str
    year: int
    findings: list[Finding] = Field(default_factory=list)


def safe_name(text: str) -> str:
    """Text usable in a file name or document id: runs of anything but word characters, '-' and
    Chinese characters become one '-'."""
    return re.sub(r"[^\w\-\u4e00-\u9fff]+", "-", text).strip("-")


def upload_doc_id(name: str, data: bytes, taken: Collection[str] = ()) -> str:
    """The document id of an upload: its file name made safe; never another document's id (unit
    and year, not the id, decide what an upload replaces)."""
    stem = safe_name(Path(name).stem) or "upload"
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}" if stem in taken else stem


def parse_upload(name: str, data: bytes, taken: Collection[str] = (),
                 on_page: Callable[[int, int], None] | None = None) -> Disclosure:
    """Parse uploaded bytes in the sandbox. Raises DisclosureError subclasses only."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{upload_doc_id(name, data, taken)}{Path(name).suffix.lower()}"
        path.write_bytes(data)
        return parse_file_sandboxed(path, on_page=on_page)


def ingest_upload(name: str, data: bytes, index_dir: Path, taken: Collection[str] = (),
                  on_page: Callable[[int, int], None] | None = None,
                  on_stage: Callable[[Stage, Disclosure], None] | None = None) -> Ingested:
    """Parse, check and index one upload. Raises DisclosureError for a file that is not a
    readable disclosure; any error leaves the index unchanged."""
    disclosure = parse_upload(name, data, taken, on_page)
    if on_stage:
        on_stage("audit", disclosure)
    findings = audit(disclosure)
    if on_stage:
        on_stage("index", disclosure)
    add_disclosures([disclosure], Path(index_dir))
    return Ingested(doc_id=disclosure.doc_id, unit=disclosure.unit, year=disclosure.year, findings=findings)
