"""`cli.py explain`: how a question was understood, for whoever tunes the rules — run through
cli.main on the index of the bundled documents."""
from __future__ import annotations

import json

import cli

QUESTION = "晋城市城市管理局2025年公务接待费比上年减少了多少？"


def test_explain_lists_the_understanding_the_tools_called_and_the_figures(built_index, capsys):
    assert cli.main(["explain", "--index-dir", str(built_index), QUESTION]) == 0
    report = json.loads(capsys.readouterr().out)
    understood = report["understood"]
    assert understood["units"] == ["晋城市城市管理局"] and understood["years"] == [2025]
    assert understood["measures"] == ["three_public.reception"] and "change" in understood["cues"]
    assert report["intent"] == "change" and report["targets"] == ["晋城市城市管理局 2025"]
    calls = report["tools"]
    assert calls and calls[0]["tool"] == "three_public"
    assert calls[0]["query"] == {"unit": "晋城市城市管理局", "year": 2025}
    assert report["figures"] and all("<- jincheng-urban-management-bureau-2025" in f for f in report["figures"])


def test_explain_as_lines_names_each_part(built_index, capsys):
    assert cli.main(["explain", "--index-dir", str(built_index), "--text", QUESTION]) == 0
    out = capsys.readouterr().out
    for line in ("单位: 晋城市城市管理局", "年度: 2025", "指标: three_public.reception", "意图: change",
                 "提示词(cues): change", "目标文件: 晋城市城市管理局 2025"):
        assert line in out.splitlines(), line
    assert '1. three_public({"unit": "晋城市城市管理局", "year": 2025}) -> ThreePublicResult' in out
    assert "公务接待费 = 1.00万元 <- jincheng-urban-management-bureau-2025 三公经费支出预算表" in out


def test_explain_follows_the_conversation(built_index, capsys):
    assert cli.main(["explain", "--index-dir", str(built_index), "--history",
                     "晋城市城市管理局2025年“三公”经费是多少？", "--", "其中公务接待费呢？"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["understood"]["units"] == ["晋城市城市管理局"] and report["tools"]
