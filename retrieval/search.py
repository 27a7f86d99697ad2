"""Hybrid passage search over the current index generation.

    searcher = open_searcher(index_dir)
    for hit in searcher.search("三公经费为什么减少", unit="…", year=2026, k=5):
        print(hit.score, hit.citation(), hit.text)

BM25 over jieba tokens and e5 embeddings in Chroma each rank the chunks that pass the
unit/year/kind filter; reciprocal rank fusion merges the two rankings.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.answer import Citation
from core.generations import GenerationGone, current_generation, pin_generation
from core.text import fold, location_label
from retrieval.bm25 import BM25Index
from retrieval.chunks import KINDS, load_chunks
from retrieval.embeddings import get_embedder
from retrieval.fusion import FusionParams, reciprocal_rank_fusion
from retrieval.tokenize import fingerprint, tokenize
from retrieval.vectors import VectorStore, where_filter

CANDIDATES = 50  # per leg, before fusion
DEFAULT_FUSION = FusionParams()


class IndexNotBuilt(RuntimeError):
    def __init__(self, index_dir: Path):
        super().__init__(f"索引尚未建立：{index_dir}。请先运行 python cli.py build --source …")


@dataclass
class Hit:
    chunk_id: str
    text: str
    score: float
    metadata: dict
    ranks: dict[str, int] = field(default_factory=dict)  # leg -> 1-based rank, for inspection

    @property
    def kind(self) -> str:
        return self.metadata.get("kind", "")

    def location_label(self) -> str:
        return location_label(self.metadata.get("page"), self.metadata.get("line"))

    def citation(self) -> str:
        """"晋城市城市管理局 2025年 · 情况说明 七、“三公”经费增减变动原因说明 · 第493行"."""
        meta = self.metadata
        where = meta.get("title", "")
        if meta.get("kind") == "section" and meta.get("part"):
            where = f"{meta['part']} {where}"
        elif meta.get("kind") == "glossary":
            where = f"名词解释 {where}"
        elif meta.get("kind") == "project":
            where = f"项目支出绩效目标表 {where}"
        parts = [f"{meta.get('unit', '')} {meta.get('year', '')}年", where, self.location_label()]
        return " · ".join(p for p in parts if p.strip())

    def to_citation(self, quote_chars: int = 120):
        """The assistant's Citation for this passage."""
        meta = self.metadata
        body = self.text.split("\n", 1)[-1].strip()  # without the unit/year header line
        return Citation(
            document=meta["doc_id"],
            unit=meta.get("unit"),
            table=meta.get("table") and meta.get("title"),
            section=None if meta.get("kind") == "table" else meta.get("title"),
            page=meta.get("page"),
            line=meta.get("line"),
            quote=body[:quote_chars] or None,
        )


class Searcher:
    """One generation, loaded once: chunks and BM25 in memory, vectors in Chroma."""

    def __init__(self, generation: Path, fusion: FusionParams = DEFAULT_FUSION):
        self.generation = Path(generation)
        self._pin = pin_generation(self.generation)  # prune() keeps the folder while we read it
        self.fusion = fusion
        self.manifest = json.loads((self.generation / "manifest.json").read_text(encoding="utf-8"))
        records = load_chunks(self.generation / "chunks.jsonl")
        if self.manifest.get("tokenizer") != fingerprint():
            for record in records:
                record["tokens"] = tokenize(record["text"])
        self.chunk_ids = [r["id"] for r in records]
        self.texts = {r["id"]: r["text"] for r in records}
        self.metadata = {r["id"]: r["metadata"] for r in records}
        self._units = np.array([r["metadata"].get("unit", "") for r in records], dtype=object)
        self._years = np.array([r["metadata"].get("year", 0) for r in records])
        self._kinds = np.array([r["metadata"].get("kind", "") for r in records], dtype=object)
        self.bm25 = BM25Index(self.chunk_ids, [r["tokens"] for r in records])
        self._vectors = None
        self._embedder = None
        self._lock = threading.Lock()

    # -- filters ------------------------------------------------------------------

    def units(self) -> list[str]:
        return sorted({doc["unit"] for doc in self.manifest.get("documents", [])})

    def resolve_units(self, unit: str | None) -> list[str] | None:
        """Index units meant by `unit`: the exact name, else names containing it or contained
        in it, else the unit of a doc_id. [] when nothing matches (the filter then excludes all)."""
        if not unit:
            return None
        known = self.units()
        if unit in known:
            return [unit]
        key = fold(unit)
        found = [u for u in known if key in fold(u) or fold(u) in key]
        if found:
            return found
        return [d["unit"] for d in self.manifest.get("documents", []) if d["doc_id"] == unit]

    def _mask(self, units: list[str] | None, year: int | None, kinds: list[str] | None) -> np.ndarray:
        mask = np.ones(len(self.chunk_ids), dtype=bool)
        if units is not None:
            mask &= np.isin(self._units, units)
        if year is not None:
            mask &= self._years == int(year)
        if kinds:
            mask &= np.isin(self._kinds, list(kinds))
        return mask

    # -- legs ---------------------------------------------------------------------

    def bm25_ranking(self, query: str, units=None, year=None, kinds=None, n: int = CANDIDATES):
        return self.bm25.search(tokenize(query), n, self._mask(units, year, kinds))

    def vector_ranking(self, query: str, units=None, year=None, kinds=None, n: int = CANDIDATES):
        if not self.manifest.get("embed_model"):
            return []
        vectors, embedder = self._vector_leg()
        return vectors.query(embedder.embed_query(query), n, where_filter(units, year, kinds))

    def _vector_leg(self):
        with self._lock:
            if self._vectors is None:
                # queries must be embedded by the model that embedded the passages: the one
                # the manifest names, or the configured one when the index was moved here
                built_with = self.manifest["embed_model"]
                embedder = get_embedder(built_with if Path(built_with).is_dir() else None)
                if embedder.dim != self.manifest.get("embed_dim", embedder.dim):
                    raise RuntimeError(f"嵌入模型维度不符：索引为{self.manifest['embed_dim']}维，"
                                       f"当前模型{embedder.model_path}为{embedder.dim}维，请重建索引。")
                self._embedder = embedder
                self._vectors = VectorStore(self.generation)
            return self._vectors, self._embedder

    # -- search -------------------------------------------------------------------

    def search(self, query: str, unit: str | None = None, year: int | None = None,
               kinds: list[str] | tuple[str, ...] | None = None, k: int = 5,
               mode: str = "hybrid") -> list[Hit]:
        """Best `k` passages for `query` among chunks of `unit`/`year`/`kinds`.
        `mode`: "hybrid" (default), "bm25" or "vector" (the single legs, for evaluation)."""
        if kinds:
            unknown = set(kinds) - set(KINDS)
            if unknown:
                raise ValueError(f"unknown chunk kinds: {sorted(unknown)}")
        units = self.resolve_units(unit)
        if units == []:
            return []
        legs = []
        if mode in ("hybrid", "bm25"):
            legs.append(("bm25", self.bm25_ranking(query, units, year, kinds), self.fusion.bm25_weight))
        if mode in ("hybrid", "vector"):
            legs.append(("vector", self.vector_ranking(query, units, year, kinds), self.fusion.vector_weight))
        if len(legs) == 1:
            ranked = legs[0][1]
        else:
            ranked = reciprocal_rank_fusion([([cid for cid, _ in hits], w) for _, hits, w in legs], self.fusion.k)
        ranks = {name: {cid: r for r, (cid, _) in enumerate(hits, 1)} for name, hits, _ in legs}
        return [
            Hit(chunk_id=cid, text=self.texts[cid], score=score, metadata=dict(self.metadata[cid]),
                ranks={name: leg[cid] for name, leg in ranks.items() if cid in leg})
            for cid, score in ranked[:k]
        ]

    def chunk(self, chunk_id: str) -> Hit:
        return Hit(chunk_id=chunk_id, text=self.texts[chunk_id], score=0.0, metadata=dict(self.metadata[chunk_id]))

    def warm_up(self) -> None:
        """Load jieba and the embedding model now, not on the first question."""
        self.bm25_ranking("预算")
        if self.manifest.get("embed_model"):
            self.vector_ranking("预算", n=1)


@lru_cache(maxsize=4)
def _searcher_for(generation: Path) -> Searcher:
    return Searcher(generation)


def open_searcher(index_dir: Path | str) -> Searcher:
    """The searcher of the index's current generation (cached per generation, so a new
    build is picked up by the next call while open searchers keep their snapshot)."""
    for _ in range(3):
        generation = current_generation(Path(index_dir))
        if generation is None:
            raise IndexNotBuilt(Path(index_dir))
        try:
            return _searcher_for(generation.resolve())
        except GenerationGone:  # pruned between reading CURRENT and pinning: CURRENT moved on
            continue
    raise GenerationGone(str(index_dir))
