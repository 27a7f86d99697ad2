"""The assistant over a built index: opened once, answers in the batch format of the eval."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_open_assistant_loads_once_and_answers(built_index):
    from assistant.service import open_assistant

    assistant = open_assistant(built_index)
    assert open_assistant(built_index) is assistant
    a = assistant.ask("城管局2025年三公经费是多少？")
    assert a.status == "ok" and "1.00万元" in a.answer
    follow = assistant.ask("其中公务接待费呢？", history=["城管局2025年三公经费是多少？"])
    assert follow.status == "ok" and follow.figures[0].label == "公务接待费"


def test_cli_batch_writes_the_eval_format(built_index, tmp_path):
    questions = tmp_path / "in.jsonl"
    answers = tmp_path / "out.jsonl"
    rows = [{"id": "a", "question": "工信局2025年机关运行经费是多少？"},
            {"id": "b", "question": "比上年增加了多少？", "history": ["工信局2025年机关运行经费是多少？"]},
            {"id": "c", "question": "2025年晋城市的GDP是多少？"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    subprocess.run([sys.executable, "cli.py", "batch", "--index-dir", str(built_index), str(questions), str(answers)],
                   cwd=ROOT, check=True, timeout=300)
    out = [json.loads(line) for line in answers.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["status"] for o in out] == ["ok", "ok", "out_of_scope"]
    for o in out:
        assert set(o) == {"id", "status", "answer", "figures", "citations"}
        for f in o["figures"]:
            assert set(f) == {"label", "value", "unit", "source"} and isinstance(f["value"], float)
    assert any(abs(f["value"] - 2.03) < 1e-9 for f in out[1]["figures"])
    assert out[0]["citations"][0]["document"] == "jincheng-chengqu-industry-it-bureau-2025"


def test_narrative_questions_quote_the_document(built_index):
    """Questions no figure tool answers (职责, 机构设置, 整体绩效目标) quote the section verbatim."""
    from assistant.service import open_assistant

    assistant = open_assistant(built_index)
    a = assistant.ask("审批局主要负责什么？")
    assert a.status == "ok" and "集中行使行政许可权" in a.answer and a.citations[0].quote
    b = assistant.ask("城管局是什么时候挂牌成立的？")
    assert b.status == "ok" and "2019年1月29日" in b.answer
    c = assistant.ask("城管局2025年有没有编报单位整体绩效目标？")
    assert "未编报" in c.answer


def test_explain_shows_how_a_question_was_understood(built_index):
    run = subprocess.run([sys.executable, "cli.py", "explain", "--index-dir", str(built_index),
                          "城管局2025年三公经费比上年减少了多少？"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["understood"]["units"] == ["晋城市城市管理局"]
    assert report["understood"]["measures"] == ["three_public"] and "change" in report["understood"]["cues"]
    assert report["intent"] == "change" and report["targets"] == ["晋城市城市管理局 2025"]
    figures = report["figures"]
    assert figures and all("<- jincheng-urban-management-bureau-2025" in f for f in figures)
    assert all("第" in f or "（推算）" in f for f in figures)  # a place in the document, or derived
