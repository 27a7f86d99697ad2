"""The index stays whole: refused files change nothing, a killed build leaves the previous
generation serving, readers never see a half-written index, pruning spares what readers use,
and the same document indexed twice is held once.

Every scenario runs the real CLI or library in real processes on a private copy of the
session index (four text exports).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import BAD_DIR, DOC_IDS, PDF_DIR, ROOT, TEXT_DIR

from core import errors
from core.generations import (
    READERS,
    GenerationGone,
    build_lock,
    current_generation,
    new_generation,
    pin_generation,
    prune,
    publish,
    reading,
)

APPROVAL = "jincheng-etdz-approval-bureau-2026"
LIMIT = 240  # seconds: a safety net for a stuck subprocess, not a timing assertion

# each bad file, the error it must be refused with, and words its message must contain
BAD_FILES = {
    "empty.pdf": (errors.EmptyFileError, "文件为空"),
    "encrypted-approval-bureau-2026.pdf": (errors.EncryptedPdfError, "密码"),
    "not-a-pdf.pdf": (errors.NotPdfError, "不是有效的PDF"),
    # read with OCR now: its three pages (cover, contents) hold no budget table
    "scanned-approval-bureau-2026-p1-3.pdf": (errors.NotADisclosureError, "未找到单位名称、年度或标准预算报表"),
    "truncated-approval-bureau-2026.pdf": (errors.CorruptPdfError, "损坏或不完整"),
    "unrelated-notice.pdf": (errors.NotADisclosureError, "不是部门/单位预算公开文件"),
}


def copy_index(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(READERS, ".build.lock"))
    return target


def cli(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "cli.py", *args], cwd=ROOT, text=True, **popen)


def file_hashes(index_dir: Path) -> dict[str, str]:
    """Every byte of the index, except lock files (their content is empty by design)."""
    return {str(p.relative_to(index_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(index_dir.rglob("*"))
            if p.is_file() and p.name not in (READERS, ".build.lock")}


def snapshot(index_dir: Path) -> dict:
    """What readers see: CURRENT, the generations, the current generation's files, the facts
    (document list and every stored disclosure) and the retrieval chunks."""
    from index.store import FactStore

    current = current_generation(index_dir)
    store = FactStore(current / "facts.sqlite")
    try:
        documents, disclosures = store.documents(), [d.model_dump_json() for d in store.load_all()]
    finally:
        store.close()
    return {
        "CURRENT": (index_dir / "CURRENT").read_text(encoding="utf-8"),
        "generations": sorted(p.name for p in (index_dir / "generations").iterdir()),
        "files": sorted(str(p.relative_to(current)) for p in current.rglob("*") if p.name != READERS),
        "documents": documents,
        "disclosures": disclosures,
        "chunks": (current / "chunks.jsonl").read_text(encoding="utf-8"),
    }


def chunk_doc_ids(generation: Path) -> list[str]:
    from retrieval.chunks import load_chunks

    return [r["metadata"]["doc_id"] for r in load_chunks(generation / "chunks.jsonl")]


def assert_lock_free(index_dir: Path) -> None:
    with open(index_dir / ".build.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if a dead build held it
        fcntl.flock(handle, fcntl.LOCK_UN)


# ---- refused files leave the index as it was ---------------------------------------------------

@pytest.fixture(scope="module")
def refusing_index(built_index, tmp_path_factory):
    index_dir = copy_index(built_index, tmp_path_factory.mktemp("refusing") / "index")
    return index_dir, file_hashes(index_dir), snapshot(index_dir)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_cli_build_refuses_bad_file_with_its_message_and_leaves_index_unchanged(name, refusing_index):
    index_dir, hashes, seen = refusing_index
    error, words = BAD_FILES[name]
    run = cli("build", "--source", str(BAD_DIR / name), "--index-dir", str(index_dir), "--quiet",
              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = run.communicate(timeout=LIMIT)
    assert run.returncode != 0
    assert error.user_message in err and words in err, err
    others = {cls.user_message for cls, _ in BAD_FILES.values()} - {error.user_message}
    assert not [m for m in others if m in err], f"{name} refused with another file's message: {err}"
    assert file_hashes(index_dir) == hashes
    assert snapshot(index_dir) == seen


# ---- a build killed mid-write ------------------------------------------------------------------

def test_killed_build_leaves_previous_index_serving_and_next_build_recovers(built_index, tmp_path, parsed_text):
    from index.build import build_index
    from retrieval.search import open_searcher
    from tools import Catalog, MeasureQuery, MeasureResult, lookup_measure

    index_dir = copy_index(built_index, tmp_path / "index")
    before = snapshot(index_dir)
    old = set(before["generations"])

    build = cli("build", "--source", str(PDF_DIR / f"{APPROVAL}.pdf"), "--index-dir", str(index_dir), "--quiet",
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + LIMIT
    dead = None
    while dead is None:
        fresh = [p for p in (index_dir / "generations").iterdir() if p.name not in old]
        # kill once it is writing the vectors: facts and chunks of the new generation exist
        if fresh and (fresh[0] / "chroma").exists():
            dead = fresh[0]
        elif build.poll() is not None:
            pytest.fail(f"the build ended (rc {build.returncode}) before it could be killed: {build.stderr.read()}")
        elif time.monotonic() > deadline:
            os.killpg(build.pid, signal.SIGKILL)
            pytest.fail("the build never started writing a generation")
        else:
            time.sleep(0.01)
    os.killpg(build.pid, signal.SIGKILL)  # the CLI and its parse server
    build.wait(timeout=30)
    build.stderr.close()

    assert dead.is_dir() and (dead / "facts.sqlite").exists(), "the kill hit a build mid-write"
    after = snapshot(index_dir)
    assert after["generations"] == sorted(old | {dead.name})
    assert {k: v for k, v in after.items() if k != "generations"} == \
        {k: v for k, v in before.items() if k != "generations"}

    catalog = Catalog.open(index_dir)
    assert sorted(catalog.by_id) == DOC_IDS
    assert catalog.by_id[APPROVAL] == parsed_text[APPROVAL]
    income = lookup_measure(catalog, MeasureQuery(unit=parsed_text[APPROVAL].unit, year=2026, measure="收入总计"))
    assert isinstance(income, MeasureResult) and str(income.figure.value) == "389.23"
    hits = open_searcher(index_dir).search("三公经费", k=5)
    assert hits and {h.metadata["doc_id"] for h in hits} <= set(DOC_IDS)
    assert_lock_free(index_dir)

    report = build_index([TEXT_DIR / f"{APPROVAL}.md"], index_dir, progress=False)
    assert not dead.exists(), "the dead build's folder is pruned by the next build"
    assert current_generation(index_dir) == report.generation
    assert report.replaced == [APPROVAL] and sorted(report.kept) == sorted(set(DOC_IDS) - {APPROVAL})
    assert sorted(Catalog.open(index_dir).by_id) == DOC_IDS
    assert_lock_free(index_dir)


# ---- readers during a build see the old or the new index -------------------------------------

READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path

    index_dir, stop, role = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    seen = []
    for _ in range(2000):
        last = stop.exists()
        if role == "catalog":
            from tools import Catalog, MeasureQuery, MeasureResult, lookup_measure

            catalog = Catalog.open(index_dir)
            for d in catalog.disclosures:
                r = lookup_measure(catalog, MeasureQuery(unit=d.unit, year=d.year, measure="收入总计"))
                assert isinstance(r, MeasureResult) and r.figure.value is not None, (d.doc_id, r)
            seen.append(sorted(catalog.by_id))
        else:
            from retrieval.search import open_searcher

            searcher = open_searcher(index_dir)
            held = sorted(d["doc_id"] for d in searcher.manifest["documents"])
            latest = max(d["year"] for d in searcher.manifest["documents"])
            # ready at once; the embedding model loads while the build runs
            mode = "hybrid" if seen else "bm25"
            hits = searcher.search("三公经费预算", year=latest, k=3, mode=mode)
            assert hits and all(h.metadata["doc_id"] in held for h in hits), (latest, hits)
            seen.append(held)
        if len(seen) == 1:
            print("ready", flush=True)
        if last:
            break
        time.sleep(0.3)  # leave the writer most of the CPU
    print(json.dumps(seen), flush=True)
""")


def test_readers_see_old_or_new_index_while_a_build_adds_a_document(built_index, tmp_path):
    index_dir = copy_index(built_index, tmp_path / "index")
    # a new document, so old and new index differ: the following year's overview and tables
    # (the narrative is left out only to keep the embedding work small)
    text = (TEXT_DIR / f"{APPROVAL}.md").read_text(encoding="utf-8").replace("2026", "2027")
    new_doc = tmp_path / "jincheng-etdz-approval-bureau-2027.md"
    new_doc.write_text(text.split("第三部分 2027年度部门预算情况说明\n")[0], encoding="utf-8")
    old_ids, new_ids = DOC_IDS, sorted(DOC_IDS + [new_doc.stem])
    stop = tmp_path / "stop"
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    readers = [subprocess.Popen([sys.executable, str(script), str(index_dir), str(stop), role], cwd=ROOT, env=env,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for role in ("catalog", "search")]
    try:
        for reader in readers:
            assert reader.stdout.readline().strip() == "ready", reader.stderr.read()
        build = cli("build", "--source", str(new_doc), "--index-dir", str(index_dir), "--quiet",
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, build_err = build.communicate(timeout=LIMIT)
        assert build.returncode == 0, build_err
        stop.touch()
        for reader in readers:
            out, err = reader.communicate(timeout=LIMIT)
            assert reader.returncode == 0, err
            seen = json.loads(out.strip().splitlines()[-1])
            assert all(ids in (old_ids, new_ids) for ids in seen), seen
            assert seen[0] == old_ids and seen[-1] == new_ids
            # once a reader has seen the new index it never goes back
            assert seen == sorted(seen, key=lambda ids: ids == new_ids)
    finally:
        for reader in readers:
            if reader.poll() is None:
                reader.kill()
                reader.communicate()


# ---- pruning spares generations that readers hold -----------------------------------------------

def publish_copy(index_dir: Path, source: Path) -> Path:
    """A new generation with the same content (a build without the parsing and embedding)."""
    generation = new_generation(index_dir)
    shutil.copytree(source, generation, dirs_exist_ok=True, ignore=shutil.ignore_patterns(READERS))
    publish(index_dir, generation)
    return generation


PINNING_READER = textwrap.dedent("""
    import sys
    from retrieval.search import open_searcher
    from retrieval.vectors import VectorStore

    searcher = open_searcher(sys.argv[1])
    print(searcher.generation.name, flush=True)
    sys.stdin.readline()  # the test prunes meanwhile; the vector store opens only now
    vectors = VectorStore(searcher.generation)
    assert vectors.count() == len(searcher.chunk_ids), "vectors lost"
    assert searcher.search("三公经费", k=3, mode="bm25"), "no hits"
    print("ok", flush=True)
""")


def test_prune_spares_a_generation_a_reader_holds_open(built_index, tmp_path):
    index_dir = copy_index(built_index, tmp_path / "index")
    first = current_generation(index_dir)
    script = tmp_path / "pinning_reader.py"
    script.write_text(PINNING_READER, encoding="utf-8")
    reader = subprocess.Popen([sys.executable, str(script), str(index_dir)], cwd=ROOT, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reader.stdout.readline().strip() == first.name, reader.stderr.read()
        second = publish_copy(index_dir, first)
        third = publish_copy(index_dir, first)
        dead = new_generation(index_dir)  # a build that died before publishing
        with build_lock(index_dir):
            removed = prune(index_dir, keep=1)
        assert sorted(removed) == sorted([second, dead])
        assert first.is_dir() and current_generation(index_dir) == third
        out, err = reader.communicate("go\n", timeout=LIMIT)
        assert reader.returncode == 0 and out.split()[-1] == "ok", err
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.communicate()
    with build_lock(index_dir):  # the reader is gone and its pin with it
        assert prune(index_dir, keep=1) == [first]
    assert sorted(p.name for p in (index_dir / "generations").iterdir()) == [third.name]


def test_catalog_pin_lasts_while_it_loads_and_a_pruned_generation_cannot_be_pinned(built_index, tmp_path):
    from tools import Catalog

    index_dir = copy_index(built_index, tmp_path / "index")
    first = current_generation(index_dir)
    with reading(index_dir) as generation:  # what Catalog.open holds while it loads
        assert generation == first
        second = publish_copy(index_dir, first)
        with build_lock(index_dir):
            assert prune(index_dir, keep=1) == []
    with build_lock(index_dir):
        assert prune(index_dir, keep=1) == [first]
    with pytest.raises(GenerationGone):
        pin_generation(first)
    assert not first.exists(), "a failed pin does not recreate the folder"
    assert sorted(Catalog.open(index_dir).by_id) == DOC_IDS
    assert current_generation(index_dir) == second


# ---- the same document twice is held once -------------------------------------------------------

def test_same_document_added_twice_is_replaced_not_doubled(built_index, tmp_path):
    """An upload of a document already held (any file name: the app names it after the
    upload) and a rebuild from the same file both replace it."""
    from index.build import add_disclosures, build_index
    from parsing.parse import parse_file
    from retrieval.vectors import VectorStore
    from tools import Catalog

    index_dir = copy_index(built_index, tmp_path / "index")
    original = current_generation(index_dir)
    counts = {doc_id: chunk_doc_ids(original).count(doc_id) for doc_id in DOC_IDS}
    vectors = VectorStore(original)
    total_vectors = vectors.count()
    vectors.close()

    upload = tmp_path / "审批局-2026.md"
    shutil.copyfile(TEXT_DIR / f"{APPROVAL}.md", upload)
    report = add_disclosures([parse_file(upload)], index_dir)
    assert report.replaced == [APPROVAL]
    catalog = Catalog.open(index_dir)
    assert sorted(catalog.by_id) == sorted(set(DOC_IDS) - {APPROVAL} | {"审批局-2026"})
    assert len(catalog.disclosures) == len(DOC_IDS) and len(catalog.units()) == len(DOC_IDS)

    report = build_index([TEXT_DIR / f"{APPROVAL}.md"], index_dir, progress=False)
    assert report.replaced == ["审批局-2026"]
    generation = current_generation(index_dir)
    catalog = Catalog.open(index_dir)
    assert sorted(catalog.by_id) == DOC_IDS
    assert {doc_id: chunk_doc_ids(generation).count(doc_id) for doc_id in DOC_IDS} == counts
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(d["doc_id"] for d in manifest["documents"]) == DOC_IDS
    vectors = VectorStore(generation)
    assert vectors.count() == total_vectors
    vectors.close()
