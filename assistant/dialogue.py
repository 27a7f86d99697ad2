"""Follow-ups: fill what a question leaves out from the conversation so far.

    state = follow(history_questions, question, ctx)   # re-understands the history in order

"其中公务接待费呢？" keeps the unit and year; "那去年呢？" keeps unit and measure and moves the
year back; "和城管局比呢？" adds a unit to the previous one; "这个项目的绩效目标是什么？" keeps
the project; "比上年增加了多少？为什么？" keeps everything and asks for the change.
"""
from __future__ import annotations

import re

from assistant.ctx import Ctx
from assistant.lexicon import load_lexicon
from assistant.understand import Understanding, understand

_OWN_CUES = {"ellipsis", "followup_part", "this_year", "last_year", "next_year", "all_units"}  # not carried over
_ASKING = {"change", "reason", "prior", "share", "compare", "rank", "breakdown", "glossary", "code", "performance",
           "count", "list", "purpose", "passage", "difference"}


def _asks_the_same_of(u: Understanding) -> bool:
    return u.text.rstrip("?？。").endswith("呢") and not (set(u.cues) & _ASKING)


def ancestors(key: str) -> list[str]:
    return load_lexicon().parent_chain(key)


def refers_to_project(text: str) -> bool:
    return load_lexicon().pattern("this_project").search(text) is not None


def _dedupe_list(items: list) -> list:
    return list(dict.fromkeys(items))


def history_questions(history: list | None) -> list[str]:
    """Earlier user questions, from strings or {"role","content"} dicts (assistant turns dropped)."""
    out = []
    for turn in history or []:
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, dict) and turn.get("role", "user") == "user" and turn.get("content"):
            out.append(str(turn["content"]))
    return out


def follow(history: list | None, question: str, ctx: Ctx, answer_context=None) -> Understanding:
    """The question as understood in its conversation. `answer_context(state)` gives the
    entities the previous answer named (the project a ranking found) for "它的…" follow-ups."""
    state: Understanding | None = None
    for earlier in history_questions(history):
        state = merge(understand(earlier, ctx), state)
    current = understand(question, ctx)
    if state is not None and answer_context is not None and refers_to_answer(current, state):
        named = answer_context(state)
        if named.get("answer_projects"):
            state = state.model_copy(update={"projects": named["answer_projects"],
                                             "project_words": named["answer_projects"][0], "measures": []})
    return merge(current, state)


def refers_to_answer(cur: Understanding, prev: Understanding) -> bool:
    """"它的绩效指标有哪些？" after "金额最大的是哪个项目？": the project is in the answer, not the question."""
    return (not cur.projects and not prev.projects and prev.has("rank")
            and (refers_to_project(cur.text) or re.search(r"[它其](?!中|他|余)", cur.text) is not None))


SAME_MEASURE_WORD = "预算"  # said alone in a follow-up, the budget of what was asked before
PROJECT_TARGETS = "performance.projects"  # 绩效目标 said in a follow-up about one project: its own


def merge(cur: Understanding, prev: Understanding | None) -> Understanding:
    if prev is None or cur.topic:
        return cur
    if cur.unknown_units and not cur.units:
        return cur
    if prev.topic or (prev.unknown_units and not prev.units):
        return cur
    u = cur.model_copy(deep=True)
    comparing = cur.has("compare") or cur.text.endswith("比呢") or "比呢" in cur.text

    if not u.units and not u.ambiguous:
        u.units = list(prev.units)
        u.member = u.member or prev.member
        u.inherited.append("units")
    elif comparing and prev.units and not cur.names_something:
        u.units = list(dict.fromkeys(prev.units + cur.units))
        u.inherited.append("units")

    if not u.years and u.relative_year is None and prev.years and set(u.units) <= set(prev.units):
        u.years = list(prev.years)
        u.inherited.append("year")
    elif u.relative_year == "last" and not u.years and prev.years:
        u.years = [prev.years[0] - 1]
        u.inherited.append("year")
        u.relative_year = "last"

    if _asks_the_same_of(cur):
        # "那支出呢？" / "公务用车运行维护费呢？": the previous question, about something else
        u.cues = _dedupe_list(u.cues + [c for c in prev.cues if c not in _OWN_CUES])
        if not u.share_whole and prev.share_whole and prev.share_whole not in cur.measures:
            u.share_whole = prev.share_whole

    if cur.bare_word == SAME_MEASURE_WORD and prev.measures and not cur.projects and not prev.projects:
        # "三公经费多少？" then "那去年预算是多少？": 预算 is that measure's budget, not the 收入总计
        u.measures = list(prev.measures)
        u.inherited.append("measures")
    refers_project = refers_to_project(cur.text)
    if prev.projects and not cur.projects and not cur.units and cur.measures == [PROJECT_TARGETS]:
        # "按绩效目标每个学生多少钱" after a project: that project's 绩效目标, not the count of them
        u.measures = []
        u.projects, u.project_words = list(prev.projects), prev.project_words
        u.inherited.append("projects")
    elif not cur.names_something:
        if prev.projects and (refers_project or not prev.measures or cur.has("performance")):
            u.projects, u.project_words = list(prev.projects), prev.project_words
            u.indicators = list(cur.indicators)
            u.inherited.append("projects")
        if not u.projects or prev.measures:
            u.measures = list(prev.measures)
            u.rows = list(prev.rows)
            u.code = prev.code
            u.inherited.append("measures")
        if not u.share_whole and prev.share_whole and u.has("share"):
            u.share_whole = prev.share_whole
    elif (refers_project or cur.text.startswith(("其中", "那其中"))) and prev.projects and not cur.projects:
        u.projects, u.project_words = list(prev.projects), prev.project_words  # "其中上年结转的有多少"
        u.inherited.append("projects")

    if u.has("share") and u.share_whole and set(cur.measures) <= {u.share_whole} and not cur.projects:
        # "占三公经费的比例是多少？": the part is what the conversation was about
        if prev.projects:
            u.projects, u.project_words = list(prev.projects), prev.project_words
            u.inherited.append("projects")
        elif prev.measures and prev.measures[0] != u.share_whole:
            u.measures = [prev.measures[0]] + [m for m in cur.measures if m != prev.measures[0]]
            u.inherited.append("measures")
    if cur.measures and prev.measures and u.has("share") and not u.share_whole:
        # "其中X呢？占多少？": the whole is what the conversation was about, when X is part of it
        whole = prev.measures[0]
        if whole not in cur.measures and (cur.text.startswith(("其中", "那其中"))
                                          or whole in ancestors(cur.measures[0])):
            u.share_whole = whole
    if cur.measures and prev.measures and cur.text.startswith(("其中", "那其中")) and not u.within:
        u.within = prev.measures[0]
    return u
