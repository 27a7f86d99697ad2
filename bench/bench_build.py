"""Index build time (four text exports, parse + facts + chunks + embeddings) and warm query
latency (hybrid search, p50/p95) on this machine.

    python bench/bench_build.py [--sources DIR_OR_FILES...] [--queries N]

Targets: build < 60 s on 2 cores; warm query p95 < 100 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import

TEXT_DIR = ROOT.parent / "shared" / "corpus" / "text"
LABELS = ROOT / "bench" / "retrieval_labels.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", nargs="+", default=[str(TEXT_DIR)])
    parser.add_argument("--queries", type=int, default=200, help="timed queries (cycling the labelled questions)")
    args = parser.parse_args()

    from index.build import build_index
    from retrieval.search import open_searcher

    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        index_dir = Path(tmp)
        started = time.perf_counter()
        report = build_index([Path(s) for s in args.sources], index_dir, progress=False)
        build_seconds = time.perf_counter() - started
        print(f"build: {len(report.added)} documents, {report.chunks} chunks embedded, {build_seconds:.1f} s "
              f"(includes loading the embedding model)")
        print("  phases: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.timings.items()))

        started = time.perf_counter()
        searcher = open_searcher(index_dir)
        searcher.warm_up()
        print(f"open + warm-up: {time.perf_counter() - started:.2f} s")

        items = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
        for item in items[:10]:  # warm caches
            searcher.search(item["question"], unit=item["unit"], year=item["year"])
        timings = []
        for n in range(args.queries):
            item = items[n % len(items)]
            started = time.perf_counter()
            searcher.search(item["question"], unit=item["unit"], year=item["year"], k=5)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"warm hybrid query ({len(timings)} queries, unit/year filter, k=5): "
              f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
              f"max {max(timings):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
