"""Shared fixtures: the real documents in ../shared, parsed once, and one built index."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import apply_offline_environment

apply_offline_environment()  # before any HF / chroma import

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEXT_DIR = SHARED / "corpus" / "text"
PDF_DIR = SHARED / "corpus" / "pdf"
BAD_DIR = SHARED / "corpus" / "bad"
EVAL_FILE = SHARED / "eval" / "visible.jsonl"

DOC_IDS = sorted(p.stem for p in TEXT_DIR.glob("*.md"))


@pytest.fixture(scope="session")
def text_docs() -> dict[str, Path]:
    return {p.stem: p for p in sorted(TEXT_DIR.glob("*.md"))}


@pytest.fixture(scope="session")
def pdf_docs() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PDF_DIR.glob("*.pdf"))}


@pytest.fixture(scope="session")
def parsed_text(text_docs):
    """doc_id -> Disclosure parsed from the text export."""
    from parsing.parse import parse_file

    return {doc_id: parse_file(path) for doc_id, path in text_docs.items()}


@pytest.fixture(scope="session")
def parsed_pdf(pdf_docs):
    """doc_id -> Disclosure parsed from the PDF (slow: a few seconds per document)."""
    from parsing.parse import parse_file

    return {doc_id: parse_file(path) for doc_id, path in pdf_docs.items()}


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, text_docs) -> Path:
    """One index of the four text exports, built once per test session."""
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("index")
    build_index(list(text_docs.values()), index_dir, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def pdf_blocks(pdf_docs):
    """doc_id -> the PDF's blocks, read once per session (a copy each call: parsers may not mutate)."""
    import copy

    from parsing.read_pdf import read_pdf_blocks

    cache: dict = {}

    def read(doc_id: str):
        if doc_id not in cache:
            cache[doc_id] = read_pdf_blocks(pdf_docs[doc_id])[0]
        return copy.deepcopy(cache[doc_id])

    return read


@pytest.fixture()
def app_index(built_index, tmp_path, monkeypatch):
    """A private copy of the session index, made the app's index, so uploads in a test do not
    touch other tests."""
    import shutil

    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    monkeypatch.setenv("BUDGET_INDEX_DIR", str(index_dir))
    return index_dir
