"""Questions about one unit a 部门 document covers ("实验幼儿园今年事业收入多少"): its row of the
table that lists the units, the column the measure names (合计 for the budget as a whole), and its
share of the 部门 when asked."""
from __future__ import annotations

from assistant.compose import fmt, say_difference
from assistant.ctx import Ctx
from assistant.reply_facts import state_project_list
from assistant.reply_figures import asks_names
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure
from tools.members import member_budget
from tools.types import Ambiguous, MemberQuery, NoData

WHOLE_MEASURES = {"income_total", "expenditure_total", "income_current"}  # the unit's 合计


# measures made of this year's projects: asked with 什么/哪些, the member's projects are listed
NAMED_PROJECTS = {"project": "projects", "current_projects": "projects"}
PROJECTS_WORD = "项目"
OWN_PART = "其中"  # a member asked about with no measure but its projects


def answer_member(ctx: Ctx, u: Understanding, t: Target) -> Answer:
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
    for member, column in asked:  # "基本支出和项目支出各多少": each from the table listing that column
        own = bool(column) and OWN_PART in u.text  # "其中事业收入有多少？占几成": of the unit's own 合计
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
        if u.has("share") and result.whole is not None and result.share_of_whole is not None:
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
