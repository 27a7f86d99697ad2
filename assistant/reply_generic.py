"""A row of a table of no standard kind (其他报表), named in quotes: its amounts as printed,
each cited to its cell. Tried before a passage or overview answer when nothing else names it."""
from __future__ import annotations

from assistant.compose import fmt, in_wanyuan
from assistant.ctx import Ctx
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer
from tools.generic import generic_rows
from tools.types import GenericQuery, GenericRowsResult

MAX_ROWS = 5


def answer_generic(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    for name in u.quoted:
        result = generic_rows(ctx.catalog, GenericQuery(unit=t.unit, year=t.year, name=name))
        if isinstance(result, GenericRowsResult):
            return _say(ctx, u, t, result)
    return None


def _say(ctx: Ctx, u: Understanding, t: Target, result: GenericRowsResult) -> Answer:
    reply = ctx.reply()
    for row in result.rows[:MAX_ROWS]:
        values = "、".join(f"{f.source.column}{fmt(f.value)}{f.unit}{in_wanyuan(reply, f)}" for f in row.figures)
        texts = "；".join(f"{k}：{v}" for k, v in row.texts.items())
        reply.say("generic_row", subject=ctx.subject(t), table=row.table, row=row.row,
                  values=values or "（无金额）", texts=f"（{texts}）" if texts else "")
        reply.use(*row.figures)
    return reply.build("ok" if reply.has_figures else "no_data", ctx.context(u, "generic", [t]))
