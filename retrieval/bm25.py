"""The lexical leg: Okapi BM25 (rank-bm25) over jieba tokens of every chunk."""
from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi


class BM25Index:
    def __init__(self, chunk_ids: list[str], tokens: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.chunk_ids = list(chunk_ids)
        # rank-bm25 divides by the corpus size and cannot take an empty document
        self._bm25 = BM25Okapi([t or ["\u0000"] for t in tokens], k1=k1, b=b) if tokens else None

    def search(self, query_tokens: list[str], n: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(chunk_id, score) of the best `n` chunks with a positive score; `allowed` is a
        boolean mask over the chunks (the unit/year/kind filter)."""
        if self._bm25 is None or not query_tokens:
            return []
        scores = self._bm25.get_scores(list(dict.fromkeys(query_tokens)))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:n]
        return [(self.chunk_ids[i], float(scores[i])) for i in order if scores[i] > 0]
