"""Held-out evaluation: our own gold questions (tests/heldout.jsonl, and tests/heldout2.jsonl and
tests/heldout3.jsonl written later, unseen by the assistant's tuning), written from the four
documents independently of the visible set, answered through the public service API on the
built index and scored with the eval's own judge (../shared/eval/score.py).

The bar is the product bar: overall accuracy >= 0.90 and no kind below 0.80. A failure prints
the failing ids with the judge's reason, so the message is the to-do list.
"""
from __future__ import annotations

import importlib.util
import json
from collections import defaultdict

import pytest

from tests.conftest import ROOT, SHARED

GOLD_SETS = {"heldout": (ROOT / "tests" / "heldout.jsonl", 90), "heldout2": (ROOT / "tests" / "heldout2.jsonl", 70),
             "heldout3": (ROOT / "tests" / "heldout3.jsonl", 50)}
KINDS = ("figure", "change", "share", "compare", "rank", "glossary", "project", "performance",
         "code", "narrative", "count", "followup", "nodata", "outofscope")
MIN_OVERALL = 0.90
MIN_PER_KIND = 0.80


def _judge():
    spec = importlib.util.spec_from_file_location("eval_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.judge


def _gold(name: str) -> list[dict]:
    with open(GOLD_SETS[name][0], encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module", params=sorted(GOLD_SETS))
def gold_name(request):
    return request.param


@pytest.fixture(scope="module")
def verdicts(built_index, gold_name):
    """Every held-out question answered once: [(question, passed, reason, answer text)]."""
    from assistant.service import open_assistant

    judge = _judge()
    assistant = open_assistant(built_index)
    out = []
    for q in _gold(gold_name):
        answer = assistant.ask(q["question"], history=q.get("history") or []).to_batch(q["id"])
        ok, why = judge(q, answer)
        out.append((q, ok, why, answer["answer"]))
    return out


def _report(rows) -> str:
    return "\n".join(f"{q['id']} [{q['kind']}] {q['question']} -> {why} | {text[:120]!r}"
                     for q, ok, why, text in rows if not ok)


@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_gold_file_is_well_formed(name):
    items = _gold(name)
    assert len(items) >= GOLD_SETS[name][1]
    assert len({q["id"] for q in items}) == len(items)
    assert {q["kind"] for q in items} == set(KINDS)
    for q in items:
        assert q["question"].strip() and q["source"].strip(), q["id"]
        assert all(isinstance(n, (int, float)) for n in q["expect_numbers"]), q["id"]
        assert isinstance(q["expect_text"], list) and isinstance(q["expect_none"], bool), q["id"]
        if q["kind"] == "followup":
            assert q.get("history"), q["id"]
        if q["kind"] in ("nodata", "outofscope"):
            assert q["expect_none"], q["id"]


def test_heldout_overall_accuracy(verdicts):
    passed = sum(ok for _, ok, _, _ in verdicts)
    accuracy = passed / len(verdicts)
    assert accuracy >= MIN_OVERALL, (
        f"held-out accuracy {accuracy:.2%} ({passed}/{len(verdicts)}) < {MIN_OVERALL:.0%}\n" + _report(verdicts))


def test_heldout_no_kind_below_bar(verdicts):
    per_kind = defaultdict(list)
    for row in verdicts:
        per_kind[row[0]["kind"]].append(row)
    weak = {kind: sum(r[1] for r in rows) / len(rows) for kind, rows in per_kind.items()
            if sum(r[1] for r in rows) / len(rows) < MIN_PER_KIND}
    assert not weak, (
        "kinds below {:.0%}: {}\n".format(MIN_PER_KIND, {k: f"{v:.0%}" for k, v in sorted(weak.items())})
        + _report([r for k in weak for r in per_kind[k]]))
