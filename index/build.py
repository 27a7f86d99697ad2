"""Build (or add to) an index: parse, check, store facts, chunk, embed, publish.

    report = build_index([Path("data/text")], Path("var/index"))

Sources are files or folders (folders: *.md, *.txt, *.pdf, recursively). A document is
known by its doc_id (the file stem); when both X.md and X.pdf are given, the text export
is indexed. The build starts from a copy of the current generation, replaces the documents
it parses (same doc_id, or same unit + year + kind), keeps every other document's vectors
as they are, and publishes the new generation atomically. A file that cannot be parsed is
logged and skipped; the build then raises BuildFailed after publishing the others, so the
command exits non-zero while the index holds everything that could be read.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from core.errors import DisclosureError
from core.generations import FACTS_FILE, build_lock, current_generation, discard, new_generation, prune, publish
from core.model import Disclosure, Finding
from core.settings import settings
from index.audit import audit
from index.store import FactStore
from parsing.sandbox import parse_file_sandboxed
from retrieval.chunks import chunk_disclosure, load_chunks, save_chunks
from retrieval.embeddings import get_embedder
from retrieval.tokenize import fingerprint, tokenize
from retrieval.vectors import VectorStore

log = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".md", ".txt", ".markdown", ".pdf")
# When one doc_id comes in several formats, the first of these wins (text exports are exact).
FORMAT_PREFERENCE = (".md", ".markdown", ".txt", ".pdf")
EMBED_BATCH = 32


class BuildFailed(DisclosureError):
    """Some sources could not be indexed; the others were. `report` says which."""

    user_message = "部分文件未能加入索引"

    def __init__(self, report: "BuildReport"):
        self.report = report
        super().__init__("；".join(f"{Path(path).name}：{message}" for path, message in report.failed))


@dataclass
class BuildReport:
    generation: Path | None = None
    added: list[str] = field(default_factory=list)  # doc_ids parsed and indexed by this build
    replaced: list[str] = field(default_factory=list)  # doc_ids that were in the index before
    kept: list[str] = field(default_factory=list)  # doc_ids carried over untouched
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, Chinese message)
    chunks: int = 0  # chunks embedded by this build
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds

    @contextmanager
    def timed(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - started


@dataclass
class _Parsed:
    path: Path | None
    disclosure: Disclosure
    findings: list[Finding]
    sha256: str | None


def collect_sources(sources: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index, one per doc_id (text export preferred), and the sources not found."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for source in map(Path, sources):
        if source.is_dir():
            files += sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
        elif source.is_file():
            files.append(source)
        else:
            missing.append((str(source), "文件或文件夹不存在。"))
    by_doc: dict[str, Path] = {}
    for path in files:
        chosen = by_doc.get(path.stem)
        if chosen is None or _preference(path) < _preference(chosen):
            by_doc[path.stem] = path
    return [by_doc[doc_id] for doc_id in sorted(by_doc)], missing


def _preference(path: Path) -> int:
    suffix = path.suffix.lower()
    return FORMAT_PREFERENCE.index(suffix) if suffix in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)


def build_index(sources: list[Path], index_dir: Path, progress: bool = True) -> BuildReport:
    """Index `sources` into `index_dir` and publish a new generation. Raises BuildFailed
    (after publishing what could be read) when some sources failed."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    files, report_failed = collect_sources(list(sources))
    report = BuildReport(failed=list(report_failed))
    for path, message in report_failed:
        log.error("跳过 %s：%s", path, message)

    with build_lock(index_dir):
        with report.timed("parse"):
            parsed = _parse_all(files, report, progress)
        if parsed:
            _publish(index_dir, parsed, report, progress)
    report.seconds = time.perf_counter() - started
    if report.failed:
        raise BuildFailed(report)
    return report


def add_disclosures(disclosures: list[Disclosure], index_dir: Path, progress: bool = False) -> BuildReport:
    """Index already-parsed disclosures (checks run here), e.g. after an upload preview."""
    started = time.perf_counter()
    report = BuildReport()
    parsed = [_Parsed(None, d, audit(d), None) for d in disclosures]
    with build_lock(Path(index_dir)):
        _publish(Path(index_dir), parsed, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _one_per_disclosure(parsed: list["_Parsed"]) -> list["_Parsed"]:
    """One document per unit + year + kind: a second file of the same budget (another name,
    another copy) would double every figure. The first one (by doc_id) is kept."""
    kept: dict[tuple, _Parsed] = {}
    for item in parsed:
        d = item.disclosure
        first = kept.setdefault((d.unit, d.year, d.kind), item)
        if first is not item:
            log.warning("%s 与 %s 是同一单位同一年度的预算（%s %d年），只索引 %s",
                        d.doc_id, first.disclosure.doc_id, d.unit, d.year, first.disclosure.doc_id)
    return list(kept.values())


def _publish(index_dir: Path, parsed: list["_Parsed"], report: BuildReport, progress: bool) -> None:
    """Write a new generation from the current one plus `parsed`, then make it current."""
    parsed = _one_per_disclosure(parsed)
    previous = current_generation(index_dir)
    generation = new_generation(index_dir)
    try:
        _write_generation(previous, generation, parsed, report, progress)
        with report.timed("publish"):
            publish(index_dir, generation)
    except BaseException:
        discard(generation)
        _drop_server_vectors(generation)
        raise
    report.generation = generation
    for folder in prune(index_dir):
        _drop_server_vectors(folder)


def _drop_server_vectors(generation: Path) -> None:
    """A Chroma server keeps one collection per generation: it goes with the folder."""
    if not settings().chroma_host:
        return
    try:
        VectorStore(generation).drop()
    except Exception as err:  # never there (build died before embedding) or server away
        log.warning("未能删除向量集合 %s：%s", generation.name, err)


def _parse_all(files: list[Path], report: BuildReport, progress: bool) -> list[_Parsed]:
    parsed = []
    for path in tqdm(files, desc="解析文件", unit="个", disable=not progress):
        try:
            disclosure = parse_file_sandboxed(path)
            findings = audit(disclosure)
        except DisclosureError as err:
            report.failed.append((str(path), str(err)))
            log.error("跳过 %s：%s", path, err)
            continue
        except Exception as err:  # a checker bug on odd input: refuse this file, keep the batch
            message = f"解析时出现内部错误（{type(err).__name__}: {err}）"
            report.failed.append((str(path), message))
            log.exception("跳过 %s：%s", path, message)
            continue
        parsed.append(_Parsed(path, disclosure, findings, _sha256(path)))
    return parsed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_generation(previous: Path | None, generation: Path, parsed: list[_Parsed],
                      report: BuildReport, progress: bool) -> None:
    with report.timed("load model"):
        embedder = get_embedder()  # fails early, before any work, when the model is missing
    old_manifest = _read_manifest(previous)
    old_docs = {doc["doc_id"]: doc for doc in old_manifest.get("documents", [])}
    new_keys = {(p.disclosure.unit, p.disclosure.year, p.disclosure.kind) for p in parsed}
    new_ids = {p.disclosure.doc_id for p in parsed}
    replaced = {doc_id for doc_id, doc in old_docs.items()
                if doc_id in new_ids or (doc["unit"], doc["year"], doc["kind"]) in new_keys}
    report.replaced = sorted(replaced)
    report.kept = sorted(set(old_docs) - replaced)
    report.added = sorted(new_ids)

    with report.timed("facts"):
        _write_facts(previous, generation, parsed, replaced)

    # chunks: carried-over ones keep their tokens (re-tokenised only if the lexicon changed)
    same_lexicon = old_manifest.get("tokenizer") == fingerprint()
    records = []
    if previous is not None and (previous / "chunks.jsonl").exists():
        for record in load_chunks(previous / "chunks.jsonl"):
            if record["metadata"]["doc_id"] in replaced:
                continue
            if not same_lexicon:
                record["tokens"] = tokenize(record["text"])
            records.append(record)
    new_records: list[dict[str, Any]] = []
    with report.timed("chunks"):
        for item in parsed:
            for doc in chunk_disclosure(item.disclosure):
                new_records.append({"id": doc.id, "text": doc.page_content, "metadata": doc.metadata,
                                    "tokens": tokenize(doc.page_content)})
        save_chunks(generation / "chunks.jsonl", records + new_records)

    # vectors: copy the kept documents' embeddings; embed only the new chunks
    store = VectorStore(generation, create=True)
    try:
        to_embed = new_records
        if previous is not None and old_manifest.get("embed_model") == embedder.model_path:
            old_store = VectorStore(previous)
            try:
                store.copy_from(old_store, skip_doc_ids=replaced)
            finally:
                old_store.close()
        else:  # first build, or the model changed: every chunk gets a vector of the new model
            to_embed = records + new_records
        with report.timed("embed"):
            _embed(store, embedder, to_embed, progress)
        report.chunks = len(to_embed)
    finally:
        store.close()

    documents = [doc for doc_id, doc in old_docs.items() if doc_id not in replaced]
    for item in parsed:
        d = item.disclosure
        documents.append({
            "doc_id": d.doc_id, "unit": d.unit, "year": d.year, "kind": d.kind,
            "source_kind": d.source_kind, "source": str(item.path.resolve()) if item.path else None,
            "sha256": item.sha256,
            "pages": d.pages, "chunks": sum(1 for r in new_records if r["metadata"]["doc_id"] == d.doc_id),
            "findings": len(item.findings),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        })
    manifest = {
        "generation": generation.name,
        "previous": previous.name if previous else None,
        "embed_model": embedder.model_path,
        "embed_dim": embedder.dim,
        "tokenizer": fingerprint(),
        "documents": sorted(documents, key=lambda doc: (doc["unit"], doc["year"], doc["doc_id"])),
    }
    (generation / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _read_manifest(generation: Path | None) -> dict:
    if generation is None or not (generation / "manifest.json").exists():
        return {}
    return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))


def _write_facts(previous: Path | None, generation: Path, parsed: list[_Parsed], replaced: set[str]) -> None:
    target = generation / FACTS_FILE
    url = settings().facts_url
    if url is None and previous is not None and (previous / FACTS_FILE).exists():
        # the backup API copies a consistent snapshot whatever journal mode the store uses
        source = sqlite3.connect(f"file:{previous / FACTS_FILE}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
    store = FactStore(url or target)
    try:
        for doc_id in sorted(replaced):
            store.remove(doc_id)
        for item in parsed:
            store.save(item.disclosure, item.findings)
    finally:
        store.close()


def _embed(store, embedder, records: list[dict], progress: bool) -> None:
    records = sorted(records, key=lambda r: len(r["text"]))  # similar lengths batch with little padding
    with tqdm(total=len(records), desc="生成向量", unit="段", disable=not progress) as bar:
        for start in range(0, len(records), EMBED_BATCH):
            batch = records[start:start + EMBED_BATCH]
            vectors = embedder.embed_passages([r["text"] for r in batch])
            store.add([r["id"] for r in batch], vectors, [r["text"] for r in batch],
                      [r["metadata"] for r in batch])
            bar.update(len(batch))
