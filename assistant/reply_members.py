"""Questions about one unit a 部门 document covers ("实验幼儿园今年事业收入多少"): its row of the
table that lists the units, the column the measure names (合计 for the budget as a whole), and its
share of the 部门 when asked."""
from __future__ import annotations

from assistant.compose import fmt, say_difference
from assistant.ctx import Ctx
from assistant.reply_facts import state_project_list
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure
from tools.members import member_budget
from tools.types import Ambiguous, MemberQuery, NoData

WHOLE_MEASURES = {"income_total", "expenditure_total", "income_current"}  # the unit's 合计


def answer_member(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    if not u.measures and (u.has("performance") or u.has("count")):
        # "妇幼保健院门诊量目标是多少人次": something asked that no table or text gives for the unit
        reply = ctx.reply()
        reply.say("member_nothing", member=u.member or "", department=t.unit, year=t.year,
                  words=u.residue.strip("？?。的是多少") or u.text)
        return reply.build("no_data", ctx.context(u, "member", [t]), sources=False)
    # "收入一共多少？其中事业收入多少": the unit's 合计, then each column asked
    whole: list[str | None] = [None] if any(m in WHOLE_MEASURES for m in u.measures) else []
    columns = whole + [ctx.label(m) for m in u.measures if m not in WHOLE_MEASURES] or [None]
    reply = ctx.reply()
    misses = []
    asked = [(member, column) for member in [u.member or "", *u.other_members] for column in columns]
    stated: list[tuple[str, Figure]] = []
    for member, column in asked:  # "基本支出和项目支出各多少": each from the table listing that column
        result = member_budget(ctx.catalog, MemberQuery(unit=t.unit, year=t.year, member=member, column=column))
        if isinstance(result, (NoData, Ambiguous)):
            misses.append(result.message_zh)
            continue
        fig = result.figure
        stated.append((result.member, fig))
        reply.say("member_figure", member=result.member, department=t.unit, year=t.year,
                  label=column or "预算合计", value=fmt(fig.value), vunit=fig.unit)
        reply.use(fig)
        if u.has("share") and result.whole is not None and result.share_of_whole is not None:
            reply.say("member_share", member=result.member, department=t.unit, whole=fmt(result.whole.value),
                      vunit=result.whole.unit, percent=fmt(result.share_of_whole.value))
            reply.use(result.whole, result.share_of_whole)
    if (u.has("difference") or u.has("compare")) and len(stated) == 2:  # "福利院和救助站各多少？差多少"
        say_difference(reply, *stated)
    for key in u.measures:  # "疾控中心有上年结转的钱吗": the unit's projects that money pays for
        projects = (ctx.lex.measures[key].detail or {}).get("projects") if key in ctx.lex.measures else None
        if projects and reply.has_figures and u.member:
            state_project_list(ctx, reply, t, projects, member=u.member)
    for message in misses:
        reply.add_text(message)
    return reply.build("ok" if reply.has_figures else "no_data", ctx.context(u, "member", [t]))
