"""Shares (stated by the document, else computed and labelled 推算), comparisons across units
and rankings within one document."""
from __future__ import annotations

from core.answer import Answer, Figure
from assistant.compose import Reply, as_stated, fmt, money, percent_change
from assistant.ctx import Ctx
from assistant.targets import Target
from assistant.understand import Understanding
from tools.types import Ambiguous, NoData

SHARE_SUFFIX = "占比"


def _whole_and_candidates(u: Understanding) -> tuple[str | None, list[str]]:
    whole_key = u.share_whole if u.share_whole != "@parent" else None
    if whole_key is None and u.within and u.within not in (u.share_whole,):
        whole_key = u.within
    return whole_key, [k for k in u.measures if k != whole_key and k != u.within]


def share_parts(ctx: Ctx, u: Understanding) -> tuple[str | None, str | None]:
    """(part, whole) as the tools name them. The whole: 占X的…, A中B…, or the part's parent."""
    whole_key, candidates = _whole_and_candidates(u)
    part_key = None
    if u.projects:
        part = u.projects[0] if len(u.projects) == 1 else u.project_words
    elif candidates:
        part_key = candidates[0]
        part = ctx.tool_name(part_key)
    elif u.rows:
        part = u.rows[0]
    else:
        return None, None
    if u.share_whole == "@parent" and part_key:
        whole_key = ctx.parent(part_key)
    if whole_key is None and u.projects:
        whole_key = "current_projects"
    return part, ctx.tool_name(whole_key) if whole_key else None


def answer_share(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    from tools.shares import compute_share
    from tools.types import ShareQuery

    reply = ctx.reply()
    whole_key, candidates = _whole_and_candidates(u)
    if len(candidates) >= 2 and not u.projects:
        # "基本支出和项目支出各占多少": without a whole named, each part's usual whole, when they share it
        answer = answer_shares_of_parts(ctx, u, t, whole_key, candidates)
        if answer is not None:
            return answer
    part, whole = share_parts(ctx, u)
    if part is None:
        reply.say("not_understood")
        return reply.build("no_data", ctx.context(u, "share", [t]), sources=False)
    result = compute_share(ctx.catalog, ShareQuery(unit=t.unit, year=t.year, part=part, whole=whole))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "share", [t]))
    p, w = result.part, result.whole
    if result.stated is not None:
        reply.say("share_stated", subject=ctx.subject(t), part_label=p.label, part=fmt(p.value), vunit=p.unit,
                  whole_label=w.label, whole=fmt(w.value), percent=fmt(result.stated.value))
        reply.use(p, w, result.stated)
        if result.agrees is False:
            reply.disagree(reply.t("share_disagree", computed=fmt(result.computed.value),
                                   stated=fmt(result.stated.value)))
            reply.use(result.computed)
    else:
        reply.say("share_computed", subject=ctx.subject(t), part_label=p.label, part=fmt(p.value), vunit=p.unit,
                  whole_label=w.label, whole=fmt(w.value), percent=fmt(result.computed.value))
        reply.use(p, w, result.computed)
    if result.stated_sentence:
        reply.cite(result.stated.source, quote=result.stated_sentence)
    return reply.build("ok", ctx.context(u, "share", [t]))


def answer_shares_of_parts(ctx: Ctx, u: Understanding, t: Target, whole_key: str | None,
                           part_keys: list[str]) -> Answer | None:
    """"政府采购预算有多少？货物、工程、服务各占多少？": the whole, then each part with its share.
    Without a whole named, the tools' usual whole of each part; None when the parts' wholes differ."""
    from tools.shares import compute_share
    from tools.types import ShareQuery

    reply = ctx.reply()
    whole = ctx.tool_name(whole_key) if whole_key else None
    results, misses = [], []
    for key in part_keys:
        result = compute_share(ctx.catalog, ShareQuery(unit=t.unit, year=t.year, part=ctx.tool_name(key), whole=whole))
        (misses if isinstance(result, (NoData, Ambiguous)) else results).append(result)
    if whole is None and (misses or len({(r.whole.label, r.whole.value) for r in results}) != 1):
        return None
    if not results:
        for miss in misses:
            reply.add_text(miss.message_zh)
        return reply.build("no_data", ctx.context(u, "share", [t]))
    w = results[0].whole
    lines = []
    for r in results:
        p = r.part
        if r.stated is not None:
            lines.append(reply.t("share_part_stated", part_label=p.label, part=fmt(p.value), vunit=p.unit,
                                 percent=fmt(r.stated.value)))
            reply.use(p, r.stated)
            if r.stated_sentence:
                reply.cite(r.stated.source, quote=r.stated_sentence)
        else:
            lines.append(reply.t("share_part_computed", part_label=p.label, part=fmt(p.value), vunit=p.unit,
                                 percent=fmt(r.computed.value)))
            reply.use(p, r.computed)
    reply.use(w)
    reply.say("share_parts", subject=ctx.subject(t), whole_label=w.label, whole=fmt(w.value), vunit=w.unit,
              parts="；".join(lines))
    if any(r.stated is None for r in results):
        reply.say("share_parts_note", whole_label=w.label)
    for miss in misses:
        reply.add_text(miss.message_zh)
    return reply.build("ok", ctx.context(u, "share", [t]))


# ---- compare ---------------------------------------------------------------------------------

def compare_measure(ctx: Ctx, u: Understanding) -> str | None:
    keys = [k for k in u.measures if k != u.share_whole] + [f"row:{r}" for r in u.rows]
    if not keys:
        return None
    name = ctx.tool_name(keys[0])
    if u.has("share") and not keys[0].startswith(("assets.", "overview.", "performance.")):
        return name + SHARE_SUFFIX
    return name


def answer_compare(ctx: Ctx, u: Understanding, targets: list[Target]) -> Answer:
    from tools.compare import compare_units
    from tools.types import CompareQuery, UnitRef

    if u.has("change") and not u.has("share") and u.measures:
        return compare_changes(ctx, u, targets)
    reply = ctx.reply()
    measure = compare_measure(ctx, u)
    if measure is None:
        reply.say("not_understood")
        return reply.build("no_data", ctx.context(u, "compare", targets), sources=False)
    result = compare_units(ctx.catalog, CompareQuery(units=[UnitRef(unit=t.unit, year=t.year) for t in targets],
                                                     measure=measure))
    ranked = [r for r in result.rows if r.figure is not None]
    years = sorted({r.year for r in result.rows if r.year})
    mixed = reply.t("mixed_years") if result.mixed_years else reply.t("same_year", year=years[0] if years else "")
    label = ranked[0].figure.label if ranked and measure.endswith(SHARE_SUFFIX) else result.measure
    reply.say("compare_intro", label=label, mixed=mixed)
    lines = [reply.t("compare_row", rank=r.rank, unit=r.unit, year=r.year, value=fmt(r.figure.value),
                     vunit=r.figure.unit) for r in ranked]
    lines += [reply.t("compare_missing", unit=r.unit, year=r.year, message=_bare(r.missing.message_zh, r.unit, r.year))
              for r in result.rows if r.figure is None and r.missing is not None]
    reply.add_text("；".join(lines) + "。")
    for r in ranked:
        reply.use(r.figure)
    if ranked:
        top = ranked[0] if not u.has("ascending") else ranked[-1]
        reply.say("compare_top" if not u.has("ascending") else "compare_top_low", unit=top.unit,
                  value=fmt(top.figure.value), vunit=top.figure.unit)
    if u.has("difference") and len(ranked) == 2 and result.difference is not None:
        _difference(reply, ranked[0].figure, ranked[1].figure, result.difference)
    reply.table = result.table_rows()
    status = "ok" if ranked else "no_data"
    return reply.build(status, ctx.context(u, "compare", targets))


def compare_changes(ctx: Ctx, u: Understanding, targets: list[Target]) -> Answer:
    """"两个单位一般公共预算当年支出增幅谁更大": each unit's stated change, ordered."""
    from tools.changes import stated_change
    from tools.types import ChangeQuery, ChangeResult

    reply = ctx.reply()
    key = u.measures[0]
    by_percent = bool(ctx.lex.pattern("percent_words").search(u.text))
    rows, missing = [], []
    for t in targets:
        c = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=ctx.tool_name(key)))
        fig = (c.change_percent if by_percent else c.change) if isinstance(c, ChangeResult) else None
        if fig is None:
            missing.append((t, getattr(c, "message_zh", "说明中没有写明与上年的比较")))
            continue
        rows.append((t, c, fig))
    rows.sort(key=lambda r: r[2].value, reverse=True)
    years = sorted({t.year for t in targets})
    mixed = reply.t("mixed_years") if len(years) > 1 else reply.t("same_year", year=years[0])
    reply.say("compare_change_intro", label=ctx.label(key), what="增减幅度" if by_percent else "增减额", mixed=mixed)
    lines = [reply.t("compare_change_row", rank=i, unit=t.unit, year=t.year,
                     change=percent_change(reply, c.change, c.change_percent, c.direction, c.change.unit if c.change else "万元"))
             for i, (t, c, _) in enumerate(rows, 1)]
    lines += [reply.t("compare_missing", unit=t.unit, year=t.year, message=_bare(m, t.unit, t.year)) for t, m in missing]
    reply.add_text("；".join(lines) + "。")
    for t, c, _ in rows:
        reply.use(as_stated(c.change, ctx.label(key), c.direction), as_stated(c.change_percent, ctx.label(key), c.direction))
        reply.cite(c.change.source if c.change else c.change_percent.source, quote=c.sentence)
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


# ---- rank ------------------------------------------------------------------------------------

ECONOMIC_SCOPES = {"personnel": "人员经费", "public_use": "公用经费", "basic": None}


def rank_what(u: Understanding) -> str:
    if u.rank_what:
        return u.rank_what
    if any(k in ECONOMIC_SCOPES for k in u.measures):
        return "economic"
    if "carryover_projects" in u.measures:
        return "carryover_projects"
    if any(k.startswith("function:") for k in u.measures):
        return "functions"
    return "projects"


def answer_rank(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    from tools.rank import rank_items
    from tools.types import RankQuery

    reply = ctx.reply()
    what = rank_what(u)
    n = min(max(u.rank_n, 3), 100)
    scope = next((ECONOMIC_SCOPES[k] for k in u.measures if ECONOMIC_SCOPES.get(k)), None) if what == "economic" else None
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, n=100 if scope else n,
                                               ascending=u.has("ascending")))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    if scope:
        result = _within_column(ctx, t, result, scope, n)
    if len(result.rows) < u.rank_n:
        reply.say("rank_too_few", subject=ctx.subject(t), what=result.what, count=result.count)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    row = result.rows[u.rank_n - 1]
    order = (reply.t("rank_order_last") if u.has("ascending") else
             reply.t("rank_order_first") if u.rank_n == 1 else reply.t("rank_order_nth", n=u.rank_n))
    share = ""
    if row.share_of_total is not None and result.total is not None:
        share = reply.t("rank_share", total_label=result.total.label, total=fmt(result.total.value),
                        vunit=result.total.unit, percent=fmt(row.share_of_total.value))
    reply.say("rank_nth", subject=ctx.subject(t), what=result.what, order=order, name=row.name,
              value=fmt(row.figure.value), vunit=row.figure.unit, share=share)
    reply.use(row.figure, result.total if share else None, row.share_of_total if share else None)
    others = [f"{r.rank}. {r.name} {money(r.figure)}" for r in result.rows]
    reply.say("rank_list", n=len(result.rows), rows="；".join(others))
    reply.use(*(r.figure for r in result.rows))
    reply.table = [{"排名": r.rank, "名称": r.name, "科目编码": r.code, "金额": str(r.figure.value),
                    "单位": r.figure.unit} for r in result.rows]
    context = ctx.context(u, "rank", [t])
    if what in ("projects", "carryover_projects"):
        context["answer_projects"] = [row.name]
    return reply.build("ok", context)


def _within_column(ctx: Ctx, t: Target, result, column: str, n: int):
    """Keep the 经济科目 items that have a value in `column` (公用经费 items, not 工资); the
    document's table tells which, the figures stay the tool's."""
    from core.model import TableKind

    doc = ctx.document(t)
    table = doc.table(TableKind.basic_expenditure_economic) if hasattr(doc, "table") else None
    if table is None:
        return result
    names = {r.name for r in table.rows if r.values.get(column) is not None}
    rows = [r for r in result.rows if r.name in names]
    for i, r in enumerate(rows, 1):
        r.rank = i
    return result.model_copy(update={"rows": rows[:n], "count": len(rows), "what": f"{column}经济科目",
                                     "total": None})
