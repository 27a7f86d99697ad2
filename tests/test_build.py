"""Index building: layout, incremental adds, replacement, and atomic generations."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.generations import GENERATIONS, KEEP, current_generation
from index.build import BuildFailed, build_index, collect_sources
from index.store import FactStore
from retrieval.chunks import load_chunks
from retrieval.search import open_searcher
from retrieval.vectors import VectorStore
from tests.conftest import BAD_DIR, DOC_IDS, PDF_DIR, ROOT, TEXT_DIR

APPROVAL = "jincheng-etdz-approval-bureau-2026"


def _generation_files(index_dir: Path) -> dict:
    generation = current_generation(index_dir)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    chunks = load_chunks(generation / "chunks.jsonl")
    store = VectorStore(generation)
    try:
        vectors = store.count()
    finally:
        store.close()
    return {"generation": generation, "manifest": manifest, "chunks": chunks, "vectors": vectors}


def _copy_index(built_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(built_index, target)
    return target


@pytest.fixture
def other_year_document(tmp_path) -> Path:
    """A new document for the index: the approval bureau's text export moved to 2027."""
    text = (TEXT_DIR / f"{APPROVAL}.md").read_text(encoding="utf-8").replace("2026", "2027")
    path = tmp_path / "src" / "jincheng-etdz-approval-bureau-2027.md"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_built_index_has_one_generation_with_facts_chunks_and_vectors(built_index):
    files = _generation_files(built_index)
    assert (built_index / "CURRENT").read_text().strip() == files["generation"].name
    assert sorted(doc["doc_id"] for doc in files["manifest"]["documents"]) == DOC_IDS
    assert files["vectors"] == len(files["chunks"]) > 0
    assert len({c["id"] for c in files["chunks"]}) == len(files["chunks"])
    for doc in files["manifest"]["documents"]:
        assert doc["chunks"] == sum(1 for c in files["chunks"] if c["metadata"]["doc_id"] == doc["doc_id"])
        assert len(doc["sha256"]) == 64
    store = FactStore(files["generation"] / "facts.sqlite")
    try:
        assert sorted(d["doc_id"] for d in store.documents()) == DOC_IDS
    finally:
        store.close()


def test_one_file_per_document_text_preferred(tmp_path):
    for stem in ("a", "b"):
        (tmp_path / f"{stem}.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "notes.docx").write_text("x", encoding="utf-8")
    files, missing = collect_sources([tmp_path, tmp_path / "nowhere.pdf"])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["sub/a.md", "b.pdf"]
    assert missing == [(str(tmp_path / "nowhere.pdf"), "文件或文件夹不存在。")]
    files, _ = collect_sources([PDF_DIR / f"{APPROVAL}.pdf", TEXT_DIR / f"{APPROVAL}.md"])
    assert files == [TEXT_DIR / f"{APPROVAL}.md"]


def test_adding_a_document_keeps_the_others_and_rebuilding_replaces_it(built_index, tmp_path, other_year_document):
    index_dir = _copy_index(built_index, tmp_path)
    before = _generation_files(index_dir)
    kept_id = before["chunks"][0]["id"]
    old_store = VectorStore(before["generation"])
    old_vector = old_store.vectors([kept_id])[kept_id]
    old_store.close()

    # a batch with a bad file: the good document is indexed, the bad one reported, in Chinese
    with pytest.raises(BuildFailed) as failed:
        build_index([other_year_document, BAD_DIR / "empty.pdf"], index_dir, progress=False)
    report = failed.value.report
    assert report.added == ["jincheng-etdz-approval-bureau-2027"] and report.replaced == []
    assert report.kept == DOC_IDS
    assert [Path(p).name for p, _ in report.failed] == ["empty.pdf"] and "文件为空" in str(failed.value)

    added = _generation_files(index_dir)
    new_chunks = [c for c in added["chunks"] if c["metadata"]["doc_id"] == "jincheng-etdz-approval-bureau-2027"]
    assert report.chunks == len(new_chunks) > 0  # only the new document was embedded
    assert len(added["chunks"]) == len(before["chunks"]) + len(new_chunks) == added["vectors"]
    new_store = VectorStore(added["generation"])
    kept_vector = new_store.vectors([kept_id])[kept_id]
    new_store.close()
    assert kept_vector == old_vector  # carried over, not re-embedded
    hits = open_searcher(index_dir).search("政府采购预算", unit="晋城经济技术开发区行政审批局", year=2027)
    assert hits and {h.metadata["doc_id"] for h in hits} == {"jincheng-etdz-approval-bureau-2027"}

    report = build_index([other_year_document], index_dir, progress=False)
    assert report.replaced == ["jincheng-etdz-approval-bureau-2027"] and report.kept == DOC_IDS
    rebuilt = _generation_files(index_dir)
    assert len(rebuilt["chunks"]) == len(added["chunks"]) == rebuilt["vectors"]  # no duplicates
    assert len(rebuilt["manifest"]["documents"]) == len(DOC_IDS) + 1
    generations = [p for p in (index_dir / GENERATIONS).iterdir() if p.is_dir()]
    assert len(generations) <= KEEP and rebuilt["generation"] in generations


def test_failed_build_leaves_the_previous_generation_current(built_index, tmp_path, monkeypatch):
    index_dir = _copy_index(built_index, tmp_path)
    current = (index_dir / "CURRENT").read_text()
    folders = sorted((index_dir / GENERATIONS).iterdir())
    searcher = open_searcher(index_dir)

    # every source refused: nothing to publish
    with pytest.raises(BuildFailed) as failed:
        build_index([BAD_DIR / "not-a-pdf.pdf", BAD_DIR / "encrypted-approval-bureau-2026.pdf"], index_dir,
                    progress=False)
    assert "不是有效的PDF" in str(failed.value) and "已加密" in str(failed.value)
    assert (index_dir / "CURRENT").read_text() == current

    # a failure after parsing, while writing the generation (here: no embedding model)
    monkeypatch.setenv("BUDGET_EMBED_MODEL", str(tmp_path / "no-such-model"))
    with pytest.raises(RuntimeError, match="嵌入模型不存在"):
        build_index([TEXT_DIR / f"{APPROVAL}.md"], index_dir, progress=False)
    assert (index_dir / "CURRENT").read_text() == current
    assert sorted((index_dir / GENERATIONS).iterdir()) == folders  # the half-built one is gone
    assert open_searcher(index_dir) is searcher
    assert searcher.search("政府采购", unit="晋城经济技术开发区行政审批局", k=1)


def test_cli_build_reports_bad_files_and_exits_non_zero(tmp_path):
    result = subprocess.run(
        [sys.executable, "cli.py", "build", "--source", str(BAD_DIR / "empty.pdf"), "--index-dir",
         str(tmp_path / "index"), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "empty.pdf" in result.stderr and "文件为空" in result.stderr
    assert current_generation(tmp_path / "index") is None
