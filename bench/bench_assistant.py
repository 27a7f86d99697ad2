"""Accuracy and warm latency of the assistant, next to a naive RAG baseline on the same index.

    python bench/bench_assistant.py --index-dir var/index [--questions A.jsonl B.jsonl] [--json]

Baseline: the top-3 retrieved chunks (hybrid search, the question as query, no filters, no
tools) pasted as the answer. It is scored twice:
  lenient  every expected number anywhere in the pasted text (the eval's judge on the paste);
  strict   only the answer's own figures: the numbers of the one pasted line that best matches
           the question (what an extractive reader would return).
The assistant is scored by the eval's judge on its answer (lenient) and on its figures alone,
its text stripped of digits (strict). Latency is per question, after one warm-up pass.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import

SHARED = ROOT.parent / "shared"
DEFAULT_QUESTIONS = [SHARED / "eval" / "visible.jsonl", ROOT / "tests" / "rephrasings.jsonl"]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def load_judge():
    spec = importlib.util.spec_from_file_location("eval_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        out += [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def best_line(question: str, text: str) -> str:
    grams = bigrams(question)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return max(lines, key=lambda ln: len(grams & bigrams(ln)), default="")


def strict_ok(judge, q: dict, batch: dict, own_numbers: list[float]) -> bool:
    """The judge, with the expected numbers looked for only among `own_numbers` (the text's
    numbers do not count); phrases and status are judged on the answer as given."""
    numbers_only = {**batch, "answer": NUMBER.sub("", batch["answer"]), "figures": [{"value": n} for n in own_numbers]}
    return (judge({**q, "expect_text": []}, numbers_only)[0]
            and judge({**q, "expect_numbers": []}, batch)[0])


def run(index_dir: Path, paths: list[Path]) -> dict:
    from assistant.service import open_assistant
    from retrieval.search import open_searcher

    score = load_judge()
    questions = load(paths)

    t0 = time.perf_counter()
    assistant = open_assistant(index_dir)
    load_seconds = time.perf_counter() - t0
    for q in questions:  # warm-up pass
        assistant.ask(q["question"], history=q.get("history") or [])
    ours = {"lenient": 0, "strict": 0, "latency": [], "failures": []}
    for q in questions:
        t = time.perf_counter()
        a = assistant.ask(q["question"], history=q.get("history") or [])
        ours["latency"].append((time.perf_counter() - t) * 1000)
        batch = a.to_batch(q["id"])
        ok, why = score.judge(q, batch)
        ours["lenient"] += ok
        if not ok:
            ours["failures"].append((q["id"], why))
        ours["strict"] += strict_ok(score.judge, q, batch, [f["value"] for f in batch["figures"]])

    searcher = open_searcher(index_dir)
    searcher.warm_up()
    base = {"lenient": 0, "strict": 0, "latency": []}
    for q in questions:
        t = time.perf_counter()
        hits = searcher.search(q["question"], k=3)
        base["latency"].append((time.perf_counter() - t) * 1000)
        pasted = "\n".join(h.text for h in hits)
        base["lenient"] += score.judge(q, {"status": "ok", "answer": pasted, "figures": []})[0]
        line = best_line(q["question"], pasted)
        own = [float(n.replace(",", "")) for n in NUMBER.findall(line)]
        base["strict"] += strict_ok(score.judge, q, {"status": "ok", "answer": line, "figures": []}, own)

    n = len(questions)

    def summary(r):
        return {"accuracy_lenient": round(r["lenient"] / n, 4), "accuracy_strict": round(r["strict"] / n, 4),
                "errors_lenient": n - r["lenient"], "errors_strict": n - r["strict"],
                "p50_ms": round(statistics.median(r["latency"]), 2), "p95_ms": round(percentile(r["latency"], 95), 2)}

    result = {"questions": n, "assistant": summary(ours), "baseline": summary(base),
              "assistant_load_seconds": round(load_seconds, 2), "assistant_failures": ours["failures"]}
    for mode in ("lenient", "strict"):
        base_errors = result["baseline"][f"errors_{mode}"]
        result[f"error_ratio_{mode}"] = (
            round(result["assistant"][f"errors_{mode}"] / base_errors, 4) if base_errors else 0.0
        )
    return result


def main(argv: list[str] | None = None) -> int:
    from core.settings import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", default=str(settings().index_dir))
    parser.add_argument("--questions", nargs="+", default=[str(p) for p in DEFAULT_QUESTIONS])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(Path(args.index_dir), [Path(p) for p in args.questions])
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    a, b = result["assistant"], result["baseline"]
    print(f"{result['questions']} questions ({', '.join(Path(p).name for p in args.questions)})")
    print(f"{'':24s}{'assistant':>12s}{'naive RAG':>12s}")
    for label, key in (("accuracy (lenient)", "accuracy_lenient"), ("accuracy (strict)", "accuracy_strict"),
                       ("errors (lenient)", "errors_lenient"), ("errors (strict)", "errors_strict"),
                       ("latency p50 ms (warm)", "p50_ms"), ("latency p95 ms (warm)", "p95_ms")):
        print(f"{label:24s}{a[key]:>12}{b[key]:>12}")
    print(f"assistant load: {result['assistant_load_seconds']} s")
    print(f"error ratio assistant/baseline: lenient {result['error_ratio_lenient']},"
          f" strict {result['error_ratio_strict']} (target <= 0.1); p95 target < 150 ms")
    for qid, why in result["assistant_failures"]:
        print(f"  FAIL {qid}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
