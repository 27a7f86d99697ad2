"""Projects a document describes in prose (项目经费情况说明): the parts a question asks, quoted;
no amount is made up when the description states none."""
from __future__ import annotations

import re

from assistant.ctx import Ctx
from assistant.lexicon import load_lexicon
from assistant.project_text import clip
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer
from tools.projects import project_note
from tools.types import Ambiguous, NoData, TargetQuery


def answer_note(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """A project the document describes in prose (项目经费情况说明): the parts asked, quoted.
    None when the document has no such description."""
    note = project_note(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=u.project_query))
    if isinstance(note, (NoData, Ambiguous)) or not note.parts:
        return None
    reply = ctx.reply()
    parts = _note_parts_asked(u, note)
    for part in parts:
        reply.say("note_part", project=note.project, heading=part.heading, title=note.title,
                  text=clip(part.text, 500))
        reply.cite(part.source, quote=part.text)
    if u.has("amount") and not any(_MONEY.search(p.text) for p in parts):
        # "安排了多少钱": the description states no amount, and no table prints one
        reply.say("note_no_amount", project=note.project)
        return reply.build("no_data", ctx.context(u, "project", [t]))
    return reply.build("ok", ctx.context(u, "project", [t]))


_MONEY = re.compile(r"\d[\d,.]*\s*(?:万元|元)")


def _note_parts_asked(u: Understanding, note) -> list:
    """The parts whose heading the question asks for (prompts/intents.json note_parts); else the
    first part (概况), and the 预算安排 part when an amount is asked."""
    lex = load_lexicon()
    asked_words = [word for word, asks in lex.note_parts.items() if any(re.search(a, u.text) for a in asks)]
    asked = [p for p in note.parts if any(w in p.heading for w in asked_words)]
    if asked:
        return asked
    budget = [p for p in note.parts if any(w in p.heading for w in lex.note_parts.get("预算安排", []))]
    return note.parts[:1] + (budget if u.has("amount") else [])

