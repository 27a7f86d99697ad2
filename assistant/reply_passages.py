"""Narrative questions no tool answers (职责, 机构设置 …): the best passage of the unit's
document, quoted verbatim with its place. Retrieval finds it; nothing is computed."""
from __future__ import annotations

from assistant.ctx import Ctx
from assistant.reply_figures import answer_figures
from assistant.reply_scope import answer_not_understood
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Source

QUOTE_CHARS = 600  # a 职责 list is the answer; quoted whole up to this


def answer_passage(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    searcher = ctx.open_searcher()
    if searcher is None:
        if u.measures:  # "内设哪些科室" without an index to quote from: the count at least
            return answer_figures(ctx, u, t, intent="count")
        return answer_not_understood(ctx, u)
    hits = searcher.search(u.question, unit=t.unit, year=t.year, kinds=["section"], k=5)
    if not hits:
        return answer_not_understood(ctx, u)
    hit = _first_of_section(searcher, _preferred(ctx, u, hits, searcher))
    body = hit.text.split("\n", 1)[-1].strip()
    quote = body if len(body) <= QUOTE_CHARS else body[:QUOTE_CHARS] + "……"
    reply = ctx.reply()
    reply.say("passage", unit=t.unit, year=t.year, title=hit.metadata.get("title", ""), quote=quote)
    reply.citations.append(hit.to_citation(quote_chars=QUOTE_CHARS))
    return reply.build("ok", ctx.context(u, "passage", [t]))


def _preferred(ctx: Ctx, u: Understanding, hits: list, searcher):
    """The first hit whose section title is what the question's words ask for (职责 / 机构设置);
    failing the hits, that section of the same document wherever retrieval ranked it
    ("主要是干啥的" shares no word with "本单位职责")."""
    asked = [title_word for title_word, words in ctx.lex.passage_titles.items() if any(w in u.text for w in words)]
    for title_word in asked:
        fitting = [h for h in hits if title_word in h.metadata.get("title", "")]
        if fitting:  # the section's first passage: a list is quoted from its start
            return min(fitting, key=lambda h: (h.metadata.get("page") or 0, h.metadata.get("line") or 0))
    doc_id = hits[0].metadata.get("doc_id")
    for title_word in asked:
        titled = [(m.get("line") or 0, cid) for cid, m in searcher.metadata.items()
                  if m.get("doc_id") == doc_id and m.get("kind") == "section" and title_word in m.get("title", "")]
        if titled:
            return searcher.chunk(min(titled)[1])
    return hits[0]


def _first_of_section(searcher, hit):
    """A section cut into several passages is quoted from its first one."""
    meta = hit.metadata
    siblings = [(m.get("line") or 0, m.get("page") or 0, cid) for cid, m in searcher.metadata.items()
                if m.get("doc_id") == meta.get("doc_id") and m.get("title") == meta.get("title")
                and m.get("kind") == meta.get("kind")]
    if not siblings:
        return hit
    first = min(siblings)[2]
    return hit if first == hit.chunk_id else searcher.chunk(first)


def answer_heading(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """"政府购买服务指导性目录里列了什么": the text under that heading of the 情况说明, verbatim."""
    heading = ctx.names.heading(t.unit, t.year, u.heading or "")
    if heading is None:
        return answer_passage(ctx, u, t)
    body = heading.text if len(heading.text) <= QUOTE_CHARS else heading.text[:QUOTE_CHARS] + "……"
    section = heading.section
    reply = ctx.reply()
    reply.say("passage", unit=t.unit, year=t.year, title=heading.title, quote=body)
    reply.cite(Source(document=section.location.document, unit=t.unit, year=t.year, section=section.title,
                      page=section.location.page, line=section.location.line), quote=heading.text)
    return reply.build("ok", ctx.context(u, "passage", [t]))
