"""Comparisons across units: one measure in several units' documents, or their stated changes."""
from __future__ import annotations

from assistant.compose import Reply, as_stated, fmt, percent_change
from assistant.ctx import Ctx
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure, Status
from tools.changes import stated_change
from tools.compare import compare_units
from tools.types import ChangeQuery, ChangeResult, CompareQuery, UnitRef

SHARE_SUFFIX = "占比"  # "基本支出占比": the compare tool's name for a measure's share


def compare_measure(ctx: Ctx, u: Understanding) -> str | None:
    keys = [k for k in u.measures if k != u.share_whole] + [f"row:{r}" for r in u.rows]
    if not keys:
        return None
    name = ctx.tool_name(keys[0])
    if u.has("share") and not keys[0].startswith(("assets.", "overview.", "performance.")):
        return name + SHARE_SUFFIX
    return name


def answer_compare(ctx: Ctx, u: Understanding, targets: list[Target]) -> Answer:
    if u.has("change") and not u.has("share") and u.measures:
        return compare_changes(ctx, u, targets)
    reply = ctx.reply()
    measure = compare_measure(ctx, u)
    if measure is None:
        reply.say("not_understood")
        return reply.build("no_data", ctx.context(u, "compare", targets), sources=False)
    result = compare_units(ctx.catalog, CompareQuery(units=[UnitRef(unit=t.unit, year=t.year) for t in targets],
                                                     measure=measure))
    ranked = [(r, r.figure) for r in result.rows if r.figure is not None]
    years = sorted({r.year for r in result.rows if r.year})
    mixed = reply.t("mixed_years") if result.mixed_years else reply.t("same_year", year=years[0] if years else "")
    label = ranked[0][1].label if ranked and measure.endswith(SHARE_SUFFIX) else result.measure
    reply.say("compare_intro", label=label, mixed=mixed)
    lines = [reply.t("compare_row", rank=r.rank, unit=r.unit, year=r.year, value=fmt(f.value),
                     vunit=f.unit) for r, f in ranked]
    lines += [reply.t("compare_missing", unit=r.unit, year=r.year, message=_bare(r.missing.message_zh, r.unit, r.year))
              for r in result.rows if r.figure is None and r.missing is not None]
    reply.add_text("；".join(lines) + "。")
    for _, f in ranked:
        reply.use(f)
    if ranked:
        top, top_figure = ranked[0] if not u.has("ascending") else ranked[-1]
        reply.say("compare_top" if not u.has("ascending") else "compare_top_low", unit=top.unit,
                  value=fmt(top_figure.value), vunit=top_figure.unit)
    if u.has("difference") and len(ranked) == 2 and result.difference is not None:
        _difference(reply, ranked[0][1], ranked[1][1], result.difference)
    reply.table = result.table_rows()
    status: Status = "ok" if ranked else "no_data"
    return reply.build(status, ctx.context(u, "compare", targets))


def compare_changes(ctx: Ctx, u: Understanding, targets: list[Target]) -> Answer:
    """"两个单位一般公共预算当年支出增幅谁更大": each unit's stated change, ordered."""
    reply = ctx.reply()
    key = u.measures[0]
    by_percent = bool(ctx.lex.pattern("percent_words").search(u.text))
    rows: list[tuple[Target, ChangeResult, Figure]] = []
    missing: list[tuple[Target, str]] = []
    for t in targets:
        c = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=ctx.tool_name(key)))
        fig = (c.change_percent if by_percent else c.change) if isinstance(c, ChangeResult) else None
        if fig is None or not isinstance(c, ChangeResult):
            missing.append((t, getattr(c, "message_zh", "说明中没有写明与上年的比较")))
            continue
        rows.append((t, c, fig))
    rows.sort(key=lambda r: r[2].value, reverse=True)
    years = sorted({t.year for t in targets})
    mixed = reply.t("mixed_years") if len(years) > 1 else reply.t("same_year", year=years[0])
    reply.say("compare_change_intro", label=ctx.label(key), what="增减幅度" if by_percent else "增减额", mixed=mixed)
    lines = [reply.t("compare_change_row", rank=i, unit=t.unit, year=t.year,
                     change=percent_change(reply, c.change, c.change_percent, c.direction,
                                           c.change.unit if c.change else "万元"))
             for i, (t, c, _) in enumerate(rows, 1)]
    lines += [reply.t("compare_missing", unit=t.unit, year=t.year, message=_bare(m, t.unit, t.year))
              for t, m in missing]
    reply.add_text("；".join(lines) + "。")
    for _, c, fig in rows:
        reply.use(as_stated(c.change, ctx.label(key), c.direction),
                  as_stated(c.change_percent, ctx.label(key), c.direction))
        # fig is the change, or the percent when there is no change: the change's source first
        reply.cite((c.change or fig).source, quote=c.sentence)
    reply.table = [{"排名": i, "单位": t.unit, "年度": t.year, "增减额": str(c.change.value) if c.change else None,
                    "增减幅度（%）": str(c.change_percent.value) if c.change_percent else None}
                   for i, (t, c, _) in enumerate(rows, 1)]
    return reply.build("ok" if rows else "no_data", ctx.context(u, "compare", targets))


def _bare(message: str, unit: str, year: int | None) -> str:
    """A tool's message without the unit and year the row already names, without the full stop."""
    for prefix in (f"{unit}{year}年", unit):
        if message.startswith(prefix):
            message = message[len(prefix):]
    return message.strip().rstrip("。")


def _difference(reply: Reply, a: Figure, b: Figure, diff: Figure) -> None:
    reply.say("compare_diff", diff=fmt(diff.value), vunit=diff.unit, a=fmt(a.value), b=fmt(b.value))
    reply.use(diff)
