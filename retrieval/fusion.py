"""Reciprocal rank fusion: score(d) = sum over legs of weight / (k + rank of d in that leg).

Ranks, not raw scores, are fused: BM25 scores are unbounded and cosine similarities of e5
sit in a narrow band, so their values are not comparable, their orders are.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionParams:
    k: float = 60.0
    bm25_weight: float = 1.0
    vector_weight: float = 1.0


def reciprocal_rank_fusion(rankings: list[tuple[list[str], float]], k: float) -> list[tuple[str, float]]:
    """`rankings`: (ids best first, weight) per leg. Returns (id, fused score), best first;
    ties keep the order of the first leg that ranked the id."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])
