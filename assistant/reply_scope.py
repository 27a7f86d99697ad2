"""Honest refusals: a topic outside budget disclosures, a unit or year not held, a unit name
that fits several units. None of these states a money amount."""
from __future__ import annotations

from assistant.ctx import Ctx
from assistant.targets import NoTarget
from assistant.understand import Understanding
from core.answer import Answer


def _held(ctx: Ctx) -> str:
    out = []
    for unit in ctx.catalog.units():
        years = "、".join(f"{y}年" for y in ctx.catalog.years(unit))
        out.append(f"{unit}（{years}）")
    return "；".join(out) or "（索引为空）"


def answer_out_of_scope(ctx: Ctx, u: Understanding) -> Answer:
    reply = ctx.reply()
    if u.topic:
        reply.say("out_of_scope", topic=u.topic)
    elif u.unknown_units:
        reply.say("no_unit", words=u.unknown_units[0], available=_held(ctx))
    else:
        reply.say("not_budget", available=_held(ctx))
    return reply.build("out_of_scope", ctx.context(u, "out_of_scope"), sources=False)


def answer_no_target(ctx: Ctx, u: Understanding, missing: NoTarget) -> Answer:
    reply = ctx.reply()
    if missing.reason == "ambiguous":
        a = u.ambiguous[0]
        reply.say("ask_unit", words=a["query"], candidates="、".join(a["candidates"]))
        return reply.build("no_data", ctx.context(u, "ask_unit"), sources=False)
    if missing.reason == "need_unit":
        reply.say("need_unit", available=_held(ctx))
        return reply.build("no_data", ctx.context(u, "ask_unit"), sources=False)
    held = "、".join(f"{y}年" for y in missing.held)
    template = "future_year" if missing.reason == "future_year" else "no_year"
    reply.say(template, unit=missing.unit, held=held, year=missing.year)
    return reply.build("out_of_scope", ctx.context(u, "out_of_scope"), sources=False)


def answer_not_understood(ctx: Ctx, u: Understanding) -> Answer:
    reply = ctx.reply()
    reply.say("not_understood")
    return reply.build("no_data", ctx.context(u, "not_understood"), sources=False)
