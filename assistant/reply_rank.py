"""Rankings within one document: projects, 功能科目 or 经济科目 items by amount."""
from __future__ import annotations

from assistant.compose import fmt, money, say_difference
from assistant.ctx import Ctx
from assistant.reply_members import WHOLE_MEASURES
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer
from core.model import TableKind
from tools.rank import economic_class_items, rank_items
from tools.rank_changes import rank_changes
from tools.types import Ambiguous, NoData, RankQuery

ECONOMIC_SCOPES = {"personnel": "人员经费", "public_use": "公用经费", "basic": None, "general_budget_basic": None}


def rank_what(u: Understanding, economic_class: bool = False) -> str:
    if u.rank_what:
        return u.rank_what
    if any(k in ECONOMIC_SCOPES for k in u.measures) or economic_class:
        return "economic"  # "商品和服务支出里排前三的": the items of that 经济分类 类
    if "carryover_projects" in u.measures:
        return "carryover_projects"
    if any(k.startswith("function:") for k in u.measures):
        return "functions"
    return "projects"


# rank targets of the 支出功能分类 -> (name, code length)
FUNCTION_LEVELS = {"functions": ("类", 3), "functions_kuan": ("款", 5), "functions_xiang": ("项", 7)}


def answer_rank(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    direction = "增加" if u.has("rank_change_up") else "减少" if u.has("rank_change_down") else None
    if direction:
        return _answer_rank_changes(ctx, u, t, direction)
    reply = ctx.reply()
    names = ctx.names.docs.get((t.unit, t.year))
    what = rank_what(u, bool(u.rows) and _is_economic_class(ctx, t, u.rows[0]))
    if what == "members" and not (names and names.members):  # "哪个单位…" of a 单位 document
        what = rank_what(u.model_copy(update={"rank_what": None}))
    both_ends = u.has("both_ends")  # "谁最多？谁最少？": the whole ranking, its first and its last
    n = 100 if u.has("rank_all") or both_ends else min(max(u.rank_n, 3), 100)  # "从大到小排一下": every item
    scope = (next((ECONOMIC_SCOPES[k] for k in u.measures if ECONOMIC_SCOPES.get(k)), None)
             if what == "economic" else None)
    within = u.rows[0] if what == "economic" and u.rows else None  # "商品和服务支出里哪一项最多"
    inside = next((k.split(":", 1)[1] for k in u.measures if k.startswith("function:")), None)
    if inside and what in FUNCTION_LEVELS:
        if FUNCTION_LEVELS[what][1] <= len(inside):  # "城乡社区支出里哪一类最多": the 款 under that 类
            what = next((w for w, (_, size) in FUNCTION_LEVELS.items() if size == len(inside) + 2), what)
        if FUNCTION_LEVELS[what][1] > len(inside):
            within = inside
    general = ctx.lex.pattern("general_budget_only").search(u.text) is not None
    # "三个单位里谁的三公经费最高": the members by that measure, not by their totals
    column = next((ctx.label(m) for m in u.measures if m not in WHOLE_MEASURES and not m.startswith("overview.")),
                  None) if what == "members" else None  # (下属单位 names the units ranked, not a measure)
    if what == "projects":  # "政府性基金项目哪个最多": by the fund's column of the project table
        column = ctx.lex.projects_column(u.measures)
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, n=100 if scope else n,
                                               ascending=u.has("ascending") and not both_ends, within=within,
                                               general_budget=general,
                                               column=column, member=u.member,
                                               subordinate_only=what == "members" and u.has("subordinate"),
                                               # an item printed once per unit type (行政/事业) is one item
                                               group_duplicates=what == "economic"))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    if scope:
        result = _within_column(ctx, t, result, scope, n)
    if len(result.rows) < u.rank_n:
        reply.say("rank_too_few", subject=ctx.subject(t), what=result.what, count=result.count)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    if both_ends:
        stated = [(result.rows[0], reply.t("rank_order_first")), (result.rows[-1], reply.t("rank_order_last"))]
    else:
        stated = [(result.rows[u.rank_n - 1], reply.t("rank_order_last") if u.has("ascending") else
                   reply.t("rank_order_first") if u.rank_n == 1 else reply.t("rank_order_nth", n=u.rank_n))]
    for row, order in stated:
        share = ""
        if row.share_of_total is not None and result.total is not None:
            share = reply.t("rank_share", total_label=result.total.label, total=fmt(result.total.value),
                            vunit=result.total.unit, percent=fmt(row.share_of_total.value))
        reply.say("rank_nth", subject=ctx.subject(t), what=result.what, order=order, name=row.name,
                  value=fmt(row.figure.value), vunit=row.figure.unit, share=share)
        reply.use(row.figure, result.total if share else None, row.share_of_total if share else None)
    row = stated[0][0]
    others = [f"{r.rank}. {r.name} {money(r.figure)}" for r in result.rows]
    reply.say("rank_list", n=len(result.rows), rows="；".join(others))
    reply.use(*(r.figure for r in result.rows))
    if u.has("difference") and len(result.rows) >= 2:  # "两个项目哪个钱多？差多少"
        say_difference(reply, *((f"“{r.name}”", r.figure) for r in result.rows[:2]))
    reply.table = [{"排名": r.rank, "名称": r.name, "科目编码": r.code, "金额": str(r.figure.value),
                    "单位": r.figure.unit} for r in result.rows]
    context = ctx.context(u, "rank", [t])
    if what in ("projects", "carryover_projects"):
        context["answer_projects"] = [row.name]
    return reply.build("ok", context)


def _is_economic_class(ctx: Ctx, t: Target, row: str) -> bool:
    """Whether `row` is a 类 of the 基本支出经济分类表 with items under it (商品和服务支出)."""
    doc = ctx.document(t)
    table = doc.table(TableKind.basic_expenditure_economic) if hasattr(doc, "table") else None
    found = economic_class_items(table, row) if table is not None else None
    return bool(found and found[1])


def _within_column(ctx: Ctx, t: Target, result, column: str, n: int):
    """Keep the 经济科目 items that have a value in `column` (公用经费 items, not 工资); the
    document's table tells which, the figures stay the tool's."""
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


def _answer_rank_changes(ctx: Ctx, u: Understanding, t: Target, direction: str) -> Answer:
    """"比去年增加最多的是哪个科目": the 功能科目 ranked by their change against last year."""
    reply = ctx.reply()
    what = rank_what(u)
    what = what if what in FUNCTION_LEVELS else "functions_xiang"  # a 科目 asked without its level: the 项
    result = rank_changes(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, by_change=direction,
                                                 n=min(max(u.rank_n, 3), 100)))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    if len(result.rows) < u.rank_n:
        reply.say("rank_too_few", subject=ctx.subject(t), what=result.what, count=result.count)
        return reply.build("no_data", ctx.context(u, "rank", [t]))
    row = result.rows[u.rank_n - 1]
    reply.say("rank_change_nth", subject=ctx.subject(t), what=result.what, word=direction, name=row.name,
              value=fmt(abs(row.figure.value)), vunit=row.figure.unit)
    reply.say("rank_change_list", word=direction, n=len(result.rows),
              rows="；".join(f"{r.rank}. {r.name} {direction}{fmt(abs(r.figure.value))}{r.figure.unit}"
                            for r in result.rows))
    reply.use(*(r.figure for r in result.rows))
    reply.table = [{"排名": r.rank, "名称": r.name, "比上年增减": str(r.figure.value), "单位": r.figure.unit}
                   for r in result.rows]
    return reply.build("ok", ctx.context(u, "rank", [t]))
