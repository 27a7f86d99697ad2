"""The 情况说明 section titled after a measure ("七、“三公”经费增减变动原因说明"), quoted as printed:
for "…是怎么写的" and for a measure whose table is marked empty."""
from __future__ import annotations

from assistant.compose import Reply
from assistant.ctx import Ctx
from assistant.targets import Target
from core.answer import Source
from core.text import fold_key
from tools.types import Ambiguous, NoData

SECTION_CHARS = 400


def quote_section(ctx: Ctx, reply: Reply, t: Target, key: str) -> bool:
    """The 情况说明 section titled after the measure (七、“三公”经费增减变动原因说明), quoted;
    False when no section title names it."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return False
    names = [fold_key(n) for n in (ctx.label(key), ctx.tool_name(key), *ctx.lex.measures[key].aliases)
             if len(fold_key(n)) >= 3] if key in ctx.lex.measures else []
    section = next((s for s in doc.sections if s.part == "情况说明" and s.text.strip()
                    and any(n in fold_key(s.title) for n in names)), None)
    if section is None:
        return False
    text = section.text.strip()
    text = text if len(text) <= SECTION_CHARS else text[:SECTION_CHARS] + "……"
    reply.say("section_quote", title=section.title, text=text)
    reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=section.title,
                      page=section.location.page, line=section.location.line), quote=text)
    return True
