"""Retrieval quality: recall@1, recall@5 and MRR@10 of BM25 alone, embeddings alone and
the fusion, on bench/retrieval_labels.jsonl (question -> the chunk that answers it).

    python bench/bench_retrieval.py                    # builds a temporary index of the text exports
    python bench/bench_retrieval.py --index-dir var/index [--no-filter] [--misses] [--sweep]

A label names a chunk by identity, not by id: doc_id + kind + key (a part of its section
title, glossary term, project name or table kind) + optionally a text the chunk must contain
(which piece of a long table). A question is answered at rank r when the r-th hit matches
any of its labels. Questions are asked with the unit/year filter the assistant would apply.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import
from core.text import fold  # noqa: E402

LABELS = ROOT / "bench" / "retrieval_labels.jsonl"
TEXT_DIR = ROOT.parent / "shared" / "corpus" / "text"
FIELD = {"section": "section", "glossary": "term", "project": "project", "table": "table"}
MODES = ("bm25", "vector", "hybrid")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def matches(label: dict, metadata: dict, text: str) -> bool:
    if metadata.get("doc_id") != label["doc_id"] or metadata.get("kind") != label["kind"]:
        return False
    if _key(label["key"]) not in _key(str(metadata.get(FIELD[label["kind"]], ""))):
        return False
    return "contains" not in label or _key(label["contains"]) in _key(text)


def first_relevant_rank(hits, labels: list[dict]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if any(matches(label, hit.metadata, hit.text) for label in labels):
            return rank
    return None


def evaluate(searcher, items: list[dict], mode: str, use_filter: bool = True, depth: int = 10) -> dict:
    ranks = {}
    for item in items:
        unit, year = (item.get("unit"), item.get("year")) if use_filter else (None, None)
        hits = searcher.search(item["question"], unit=unit, year=year, k=depth, mode=mode)
        ranks[item["id"]] = first_relevant_rank(hits, item["relevant"])
    n = len(items)
    return {
        "recall@1": sum(1 for r in ranks.values() if r == 1) / n,
        "recall@5": sum(1 for r in ranks.values() if r and r <= 5) / n,
        "mrr@10": sum(1 / r for r in ranks.values() if r) / n,
        "ranks": ranks,
    }


def load_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", help="an existing index (default: build one from the text exports)")
    parser.add_argument("--no-filter", action="store_true", help="also report without the unit/year filter")
    parser.add_argument("--misses", action="store_true", help="list questions not answered in the top 5")
    parser.add_argument("--sweep", action="store_true", help="try RRF k and leg weights")
    args = parser.parse_args()

    from retrieval.search import Searcher, open_searcher

    if args.index_dir:
        searcher = open_searcher(Path(args.index_dir))
    else:
        from index.build import build_index

        tmp = Path(tempfile.mkdtemp(prefix="bench-index-"))
        build_index(sorted(TEXT_DIR.glob("*.md")), tmp, progress=True)
        searcher = open_searcher(tmp)
    items = load_labels()
    kinds = sorted({item["kind"] for item in items})
    print(f"{len(items)} labelled questions ({', '.join(kinds)}); "
          f"{sum(1 for i in items if i['source'] == 'visible.jsonl')} from visible.jsonl")

    settings = [("unit/year filter", True)] + ([("no filter", False)] if args.no_filter else [])
    results = {}
    for title, use_filter in settings:
        print(f"\n{title}:")
        print(f"  {'leg':8} {'recall@1':>9} {'recall@5':>9} {'MRR@10':>8}")
        for mode in MODES:
            result = evaluate(searcher, items, mode, use_filter)
            results[(title, mode)] = result
            print(f"  {mode:8} {result['recall@1']:9.3f} {result['recall@5']:9.3f} {result['mrr@10']:8.3f}")

    hybrid = results[("unit/year filter", "hybrid")]["ranks"]
    print("\nhybrid recall@5 by question kind (unit/year filter):")
    for kind in kinds:
        ids = [item["id"] for item in items if item["kind"] == kind]
        found = sum(1 for i in ids if hybrid[i] and hybrid[i] <= 5)
        print(f"  {kind:12} {found}/{len(ids)}")

    if args.misses:
        ranks = {mode: results[("unit/year filter", mode)]["ranks"] for mode in MODES}
        print("\nnot in the hybrid top 5 (rank per leg):")
        for item in items:
            if not ranks["hybrid"][item["id"]] or ranks["hybrid"][item["id"]] > 5:
                legs = " ".join(f"{m}={ranks[m][item['id']]}" for m in MODES)
                print(f"  {item['id']} {item['question']}  [{legs}]")

    if args.sweep:
        from retrieval.fusion import FusionParams

        print("\nfusion sweep (unit/year filter): k, bm25 weight, vector weight -> r@1 r@5 MRR")
        for k in (5, 10, 20, 60):
            for wb, wv in ((1, 1), (1.5, 1), (2, 1), (1, 0.5)):
                tuned = Searcher(searcher.generation, FusionParams(k=k, bm25_weight=wb, vector_weight=wv))
                r = evaluate(tuned, items, "hybrid")
                print(f"  k={k:<3} {wb:<4} {wv:<4} -> {r['recall@1']:.3f} {r['recall@5']:.3f} {r['mrr@10']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
