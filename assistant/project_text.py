"""What a project's 绩效目标表 says in words: its 项目概况 quoted by the sentences a question asks
(用于…, 中标…, a recipient's name), and its 实施单位."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from assistant.ctx import Ctx
from assistant.indicators import strip_project
from assistant.lexicon import load_lexicon
from assistant.names import budget_word
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Source
from tools.projects import described_use, project_target
from tools.types import Ambiguous, NoData, TargetQuery, TargetResult


def target_of(ctx: Ctx, t: Target, project: str) -> TargetResult | None:
    """The project's 绩效目标表, read once per answer; None when it has none."""
    target = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project))
    return None if isinstance(target, (NoData, Ambiguous)) else target


def say_implementer(reply, target: TargetResult) -> None:
    """"哪个单位在做": the 实施单位 its 绩效目标表 names."""
    if target.implementer:
        reply.say("implementer", project=target.project, implementer=target.implementer)
        reply.cite(target.source, quote=target.implementer)


def say_overview(reply, target: TargetResult, u: Understanding) -> None:
    """What the project is for, quoted from its 绩效目标表 (项目概况, else 年度目标)."""
    text = target.overview or target.goal_year
    if text:
        reply.say("project_overview", text=_excerpt(text, u, details_in(u, text)))
        reply.cite(target.source, quote=text)


def say_described_use(ctx: Ctx, reply, t: Target, project: str) -> bool:
    """What the 情况说明 says the project's money is for, quoted with its section."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return False
    found = described_use(doc, project)
    if found is None:
        return False
    text, section = found
    reply.say("project_use", title=section.title, text=text)
    reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=section.title,
                      page=section.location.page, line=section.location.line), quote=text)
    return True


OVERVIEW_HEAD = 150  # characters of a long 项目概况 always quoted from its start


def details_in(u: Understanding, overview: str) -> list[str]:
    """"尧都区汽车运输公司分到多少", "移动和联通各给了多少": the words of the question, besides the
    project's, the unit's and the asking words (prompts/intents.json detail_sep), that the 项目概况
    also has (its longest shared piece, 4 characters or the whole word); budget words do not count."""
    words = [w for w in load_lexicon().split("detail_sep", strip_project(u.text, u)) if len(w) >= 2]
    found = []
    for word in words:
        m = SequenceMatcher(None, word, overview, autojunk=False).find_longest_match(0, len(word), 0, len(overview))
        piece = word[m.a:m.a + m.size]
        if m.size >= min(len(word), 4) and not budget_word(piece):
            found.append(piece)
    return found


def _excerpt(text: str, u: Understanding, details: list[str] | None = None, limit: int = 300) -> str:
    """A long 项目概况 quoted by its start and the sentences that answer the question: those with
    the words a clause of it looks for (prompts/intents.json overview_focus: 干什么用的 -> 用于…,
    谁中的标 -> 中标…), in the document's order, gaps marked ……"""
    text = text.strip()
    if len(text) <= limit:
        return text
    focus = [re.compile(look) for asks, look in load_lexicon().overview_focus.items() if re.search(asks, u.text)]
    focus += [re.compile(re.escape(word)) for word in details or []]
    pieces = [p for p in re.split(r"(?<=[。；;,，])", text) if p]
    kept, size = [], 0
    for i, piece in enumerate(pieces):
        if size < OVERVIEW_HEAD or any(f.search(piece) for f in focus):
            kept.append(i)
            size += len(piece)
    if len(kept) == len(pieces):
        return clip(text, limit)
    out = ""
    for n, i in enumerate(kept):
        out += ("……" if n and kept[n - 1] != i - 1 else "") + pieces[i]
    return out.rstrip("，,；;、") + ("……" if kept[-1] != len(pieces) - 1 else "")


def clip(text: str, limit: int = 300) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip("，,；;、") + "……"

