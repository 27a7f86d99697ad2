"""The embedding leg's storage: one Chroma collection per index generation.

Embedded (default): a persistent Chroma folder inside the generation folder.
Server (settings().chroma_host = "host[:port]"): a collection named after the generation.
Either way a generation's vectors are never written after it is published.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.settings import apply_offline_environment, settings

COLLECTION = "chunks"


def _client(folder: Path):
    apply_offline_environment()  # chroma telemetry off before chromadb is imported
    # lazy: chromadb takes ~3 s to import; only the vector leg and the build need it
    import chromadb

    # lazy: part of chromadb, imported with it above
    from chromadb.config import Settings

    chroma_settings = Settings(anonymized_telemetry=False)
    host = settings().chroma_host
    if host:
        name, _, port = host.partition(":")
        return chromadb.HttpClient(host=name, port=int(port or 8000), settings=chroma_settings)
    return chromadb.PersistentClient(path=str(folder / "chroma"), settings=chroma_settings)


def _collection_name(folder: Path) -> str:
    # a server holds every generation side by side; an embedded folder holds one
    return f"{COLLECTION}_{folder.name}" if settings().chroma_host else COLLECTION


def where_filter(units: list[str] | None = None, year: int | None = None,
                 kinds: list[str] | None = None) -> dict | None:
    clauses: list[dict[str, Any]] = []
    if units is not None:
        clauses.append({"unit": {"$in": list(units)}})
    if year is not None:
        clauses.append({"year": int(year)})
    if kinds:
        clauses.append({"kind": {"$in": list(kinds)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class VectorStore:
    """Chunk vectors of one generation folder."""

    def __init__(self, folder: Path, create: bool = False):
        self.folder = Path(folder)
        self._client = _client(self.folder)
        name = _collection_name(self.folder)
        if create:
            self._collection = self._client.get_or_create_collection(
                name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        else:
            self._collection = self._client.get_collection(name, embedding_function=None)

    def count(self) -> int:
        return self._collection.count()

    def add(self, ids: list[str], embeddings: list[list[float]], texts: list[str], metadatas: list[dict]) -> None:
        step = self._client.get_max_batch_size()
        for start in range(0, len(ids), step):
            end = start + step
            self._collection.upsert(ids=ids[start:end], embeddings=embeddings[start:end],
                                    documents=texts[start:end], metadatas=metadatas[start:end])

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        data = self._collection.get(ids=list(ids), include=["embeddings"])
        return {cid: list(vector) for cid, vector in zip(data["ids"], data["embeddings"])}

    def copy_from(self, other: "VectorStore", skip_doc_ids: set[str]) -> int:
        """Copy every vector of `other` except those of `skip_doc_ids` (no re-embedding)."""
        data = other._collection.get(include=["embeddings", "documents", "metadatas"])
        keep = [i for i, meta in enumerate(data["metadatas"]) if meta.get("doc_id") not in skip_doc_ids]
        if keep:
            self.add([data["ids"][i] for i in keep], [list(data["embeddings"][i]) for i in keep],
                     [data["documents"][i] for i in keep], [data["metadatas"][i] for i in keep])
        return len(keep)

    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(query_embeddings=[vector], n_results=min(n, total),
                                        where=where, include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def close(self) -> None:
        if hasattr(self._client, "close"):
            self._client.close()

    def drop(self) -> None:
        """Server mode: remove this generation's collection (embedded: the folder goes)."""
        if settings().chroma_host:
            self._client.delete_collection(_collection_name(self.folder))
