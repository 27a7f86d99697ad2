"""Questions about one unit a 部门 document covers ("实验幼儿园今年事业收入多少"): its row of the
table that lists the units, the column the measure names (合计 for the budget as a whole), and its
share of the 部门 when asked."""
from __future__ import annotations

from assistant.compose import fmt, money, say_difference
from assistant.ctx import Ctx
from assistant.reply_changes import say_change
from assistant.reply_facts import state_project_list
from assistant.reply_figures import asks_names
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure
from tools.changes import stated_change
from tools.members import member_budget
from tools.rank import rank_items
from tools.types import Ambiguous, ChangeQuery, ChangeResult, MemberQuery, MemberResult, NoData, RankQuery

WHOLE_MEASURES = {"income_total", "expenditure_total", "income_current"}  # the unit's 合计
WHOLE_SUBJECTS = ("预算收入总计", "预算支出总计")  # a member's stated 合计 (parsing/member_changes)


# measures made of this year's projects: asked with 什么/哪些, the member's projects are listed
NAMED_PROJECTS = {"project": "projects", "current_projects": "projects"}
PROJECTS_WORD = "项目"
PROJECT_COUNT = "performance.projects"  # "几个项目" (registry key)


def answer_member(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    if PROJECT_COUNT in u.measures:  # "厅本级今年安排了几个项目？加起来一共多少"
        return _member_projects(ctx, u, t)
    if not u.measures and (u.has("performance") or u.has("count")):
        # "妇幼保健院门诊量目标是多少人次": something asked that no table or text gives for the unit
        reply = ctx.reply()
        reply.say("member_nothing", member=u.member or "", department=t.unit, year=t.year,
                  words=u.residue.strip("？?。的是多少") or u.text)
        return reply.build("no_data", ctx.context(u, "member", [t]), sources=False)
    # "收入一共多少？其中事业收入多少": the unit's 合计, then each column asked
    measures = u.measures or (["project"] if PROJECTS_WORD in u.residue else [])  # "中心的项目一共多少钱"
    whole: list[str | None] = [None] if any(m in WHOLE_MEASURES for m in measures) else []
    columns = whole + [ctx.label(m) for m in measures if m not in WHOLE_MEASURES] or [None]
    reply = ctx.reply()
    misses = []
    asked = [(member, column) for member in [u.member or "", *u.other_members] for column in columns]
    stated: list[tuple[str, Figure]] = []
    of_own_whole = ctx.lex.cue("own_whole", u.text)
    for member, column in asked:  # "基本支出和项目支出各多少": each from the table listing that column
        # "其中事业收入有多少？占几成" / "事业收入占它自己预算的比例": of the unit's own 合计
        own = bool(column) and of_own_whole
        result = member_budget(ctx.catalog, MemberQuery(unit=t.unit, year=t.year, member=member, column=column,
                                                        within_unit=own))
        if isinstance(result, (NoData, Ambiguous)):
            misses.append(result.message_zh)
            continue
        fig = result.figure
        stated.append((result.member, fig))
        reply.say("member_figure", member=result.member, department=t.unit, year=t.year,
                  label=column or "预算合计", value=fmt(fig.value), vunit=fig.unit)
        reply.use(fig)
        whole_as_base = column is None and of_own_whole and len(columns) > 1  # the base of the share asked
        if u.has("share") and not whole_as_base and result.whole is not None and result.share_of_whole is not None:
            reply.say("member_share_own" if own else "member_share", member=result.member, department=t.unit,
                      whole=fmt(result.whole.value), vunit=result.whole.unit,
                      percent=fmt(result.share_of_whole.value))
            reply.use(result.whole, result.share_of_whole)
    if (u.has("difference") or u.has("compare")) and len(stated) == 2:  # "福利院和救助站各多少？差多少"
        say_difference(reply, *stated)
    for key in measures:  # "疾控中心有上年结转的钱吗": the unit's projects that money pays for
        projects = (ctx.lex.measures[key].detail or {}).get("projects") if key in ctx.lex.measures else None
        if projects is None and asks_names(u):  # "项目支出呢？是什么项目": the unit's projects by name
            projects = NAMED_PROJECTS.get(key)
        if projects and reply.has_figures and u.member:
            state_project_list(ctx, reply, t, projects, member=u.member)
    for message in misses:
        reply.add_text(message)
    return reply.build("ok" if reply.has_figures else "no_data", ctx.context(u, "member", [t]))


def answer_member_change(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """"市博物馆今年预算比去年多了多少": the member's change, as its own sentence states it; None
    when the text states no change for any member asked (the 部门's statement answers then: a
    本级's 机关运行经费 is stated as the 部门's)."""
    measures = u.measures or []
    columns = ([None] if any(m in WHOLE_MEASURES for m in measures) or not measures else []) + \
        [ctx.label(m) for m in measures if m not in WHOLE_MEASURES]
    found = [(member, column, _member_change(ctx, t, member, column))
             for member in [u.member or "", *u.other_members] for column in columns]
    if not any(isinstance(result, ChangeResult) for _, _, result in found):
        return None
    reply = ctx.reply()
    misses = []
    for member, column, result in found:
        if isinstance(result, ChangeResult):
            say_change(ctx, reply, t, column or "预算合计", result, u, subject=f"{member}{t.year}年")
            continue
        misses.append(result.message_zh)
        figure = member_budget(ctx.catalog, MemberQuery(unit=t.unit, year=t.year, member=member, column=column))
        if isinstance(figure, MemberResult):  # the amount, at least, with the change not stated
            reply.say("member_figure", member=figure.member, department=t.unit, year=t.year,
                      label=column or "预算合计", value=fmt(figure.figure.value), vunit=figure.figure.unit)
            reply.use(figure.figure)
    for message in misses:
        reply.add_text(message)
    return reply.build("ok" if reply.has_figures and not misses else "no_data", ctx.context(u, "member", [t]))


def _member_change(ctx: Ctx, t: Target, member: str, column: str | None) -> ChangeResult | NoData | Ambiguous:
    """A member's stated change of a column, or of its 合计 (stated as its 收入 or its 支出 total)."""
    results = [stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=subject, member=member))
               for subject in ([column] if column else WHOLE_SUBJECTS)]
    return next((r for r in results if isinstance(r, ChangeResult)), results[0])


def _member_projects(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """How many projects one member unit has, their total and each project, from the project table."""
    reply = ctx.reply()
    member = u.member or ""
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what="projects", n=100, member=member))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "member", [t]))
    total = result.total
    reply.add_text(reply.t("member_projects", member=member, year=t.year, count=result.count,
                           total=fmt(total.value) if total else "—", vunit=total.unit if total else "",
                           rows="；".join(f"{r.name} {money(r.figure)}" for r in result.rows)))
    reply.use(total, *(r.figure for r in result.rows))
    return reply.build("ok", ctx.context(u, "member", [t]))
