"""Projects: their rows in the 项目支出预算表 (a project listed several times shows every row and
their sum, 推算), the carry-over list, and indicators of their 绩效目标表."""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.compose import fmt, in_wanyuan, money, say_difference, say_sum
from assistant.ctx import Ctx, path_label
from assistant.indicators import MONEY_VALUE, asks_amount_only, bigrams, chosen_indicators, sub_questions
from assistant.lexicon import load_lexicon, norm
from assistant.names import name_core
from assistant.project_funding import say_funding_origin
from assistant.project_text import details_in, say_described_use, say_implementer, say_overview, target_of
from assistant.reply_changes import say_change
from assistant.reply_notes import answer_note
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure, Source
from core.model import TableKind
from tools.changes import stated_change, table_change
from tools.codes import code_name
from tools.figures import lookup_measure
from tools.lookup import cell_figure, cell_source, derived_source
from tools.projects import find_project, project_target
from tools.rank import rank_items
from tools.types import (
    Ambiguous,
    ChangeQuery,
    MeasureQuery,
    NoData,
    ProjectQuery,
    RankQuery,
    TargetQuery,
    TargetResult,
    TargetTable,
)


def answer_project(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    if not u.projects and u.unknown_project:
        reply = ctx.reply()
        reply.say("no_project", subject=ctx.subject(t), name=u.unknown_project)
        return reply.build("no_data", ctx.context(u, "project", [t]), sources=False)
    if not u.projects:
        return answer_project_list(ctx, u, t)
    reply = ctx.reply()
    if u.has("funds_total"):
        answer = answer_funds_total(ctx, u, t, reply)
        if answer is not None:
            return answer
    if asks_projects_total(u):
        return answer_projects_total(ctx, u, t)
    if asks_projects_compare(u) and (compared := answer_projects_compare(ctx, u, t)) is not None:
        return compared
    if u.rows and len(u.projects) == 1 and (u.has("difference") or u.has("compare")):
        if (compared := answer_row_against_project(ctx, u, t)) is not None:
            return compared
    by_indicator = project_indicators(ctx, u, t)
    asks_amount = load_lexicon().pattern("project_amount").search(u.text) is not None
    if by_indicator and not asks_amount:
        if (u.has("purpose") or u.has("reason")) and (target := target_of(ctx, t, by_indicator[0])):
            say_overview(reply, target, u)
        say_indicators(reply, by_indicator[0], by_indicator[1], text=u.text)
        return reply.build("ok", ctx.context(u, "performance", [t]))
    result = say_amount(ctx, reply, t, u)
    if isinstance(result, (NoData, Ambiguous)):
        described = answer_note(ctx, u, t)
        if described is not None:
            return described
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "project", [t]))
    target = target_of(ctx, t, result.names[0]) if result.has_target else None
    if target is None and u.projects and u.projects[0] != result.names[0]:
        target = target_of(ctx, t, u.projects[0])  # the 绩效目标表 may print the name otherwise (守护 / 守押)
    # what the money is for: the 情况说明's own sentence first, then the 项目概况
    purpose = u.has("purpose") or u.has("composition")
    if purpose or asks_content(u) or (target is None and len(sub_questions(u)) > 1):
        say_described_use(ctx, reply, t, result.names[0])
    # a later year's plan ("明年还要多少") is stated, if anywhere, in the project's 项目概况
    if target and (purpose or u.has("reason") or u.has("next_year") or asks_content(u)
                   or details_in(u, target.overview or "")):
        say_overview(reply, target, u)
    if load_lexicon().pattern("asks_who").search(u.text):
        if target and target.implementer:
            say_implementer(reply, target)
        else:
            _say_row_unit(ctx, reply, t, result.names[0])
    if target and target.funds_sources and load_lexicon().pattern("funding_levels").search(u.residue):
        # "省里给多少、区里出多少": the year's sources of the 绩效目标表's 项目资金 block
        reply.say("funds_sources", sources="、".join(f"{f.label.removeprefix(target.project)}{money(f)}"
                                                     for f in target.funds_sources))
        reply.use(*target.funds_sources)
    if by_indicator:  # "…预算多少？每吨处理费按多少钱算？": the amount, then the standard
        say_indicators(reply, by_indicator[0], by_indicator[1], text=u.text)
    elif target is not None and (part := _part_cost(u, result.names[0], target)):
        say_indicators(reply, target.project, part, text=u.text)
    if u.has("change") or u.has("reason"):
        _say_item_change(ctx, reply, t, u, result)
    if u.has("code"):
        _say_codes(ctx, reply, t, result)
    elif u.rank_what == "income_sources":
        say_funding_origin(ctx, reply, t, result, row_codes(result))
    return reply.build("ok", ctx.context(u, "project", [t]))


_JOINED = re.compile(r"及|和|与|、")


def _part_cost(u: Understanding, project: str, target) -> list:
    """"铁货文化节给了多少钱" of 群众文化活动及荫城铁货文化节经费: the question names one part of a
    joined name; the 成本指标 in money that names that part ("文化节经费 ≤78000元") is its cost."""
    sides = [side for side in _JOINED.split(name_core(project)) if side]
    said = norm(u.project_words or "")
    named = [side for side in sides if len(bigrams(said) & bigrams(side)) * 2 >= len(bigrams(side))]
    if len(sides) < 2 or not said or len(named) != 1:
        return []
    return [i for i in target.indicators if (i.level2 or "").startswith("成本") and MONEY_VALUE.search(i.value)
            and len(bigrams(said) & bigrams(i.level3)) >= 2]


def answer_row_against_project(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """"对城市公交的补贴比农村客运补贴多多少": a 科目 row and a project, each read from its own table,
    and their difference (推算)."""
    row = lookup_measure(ctx.catalog, MeasureQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(f"row:{u.rows[0]}")))
    if isinstance(row, (NoData, Ambiguous)):
        return None
    reply = ctx.reply()
    result = say_amount(ctx, reply, t, u)
    if isinstance(result, (NoData, Ambiguous)):
        return None
    fig = row.figure
    reply.say("figure", subject=ctx.subject(t), label=u.rows[0], value=fmt(fig.value), vunit=fig.unit)
    reply.use(fig)
    say_difference(reply, (u.rows[0], fig), (result.names[0], result.total))
    return reply.build("ok", ctx.context(u, "compare", [t]))


def _say_row_unit(ctx: Ctx, reply, t: Target, project: str) -> None:
    """"哪个单位干": the unit a 部门's project table prints beside the project (单位名称 column)."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)) or (table := doc.table(TableKind.projects_current)) is None:
        return
    row = next((r for r in table.rows if r.name == project), None)
    unit = next((text for column, text in row.texts.items() if "单位" in column and text), None) if row else None
    if row is not None and unit:
        reply.say("implementer", project=project, implementer=unit)
        reply.cite(cell_source(doc, table, row, None), quote=unit)


def row_codes(result) -> list[str]:
    """The 功能科目 codes the project's rows are printed under, each once, in order."""
    return list(dict.fromkeys(r.figure.source.row for r in result.rows if (r.figure.source.row or "").isdigit()))


def _say_codes(ctx: Ctx, reply, t: Target, result) -> None:
    """"走的哪个科目编码": the 功能科目 each row of the project is printed under, named from the tables."""
    doc = ctx.document(t)
    codes = row_codes(result)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    if codes:
        reply.say("project_codes", codes="、".join(f"{c}（{code_name([doc], c) or '名称未列示'}）" for c in codes))
        return
    if len(result.rows) == 1:
        _say_code_by_amount(reply, doc, result.rows[0].figure)


def _say_code_by_amount(reply, doc, amount) -> None:
    """A project table without 科目编码: the one 项 of the expenditure table with the project's amount."""
    for kind in (TableKind.expenditure, TableKind.general_budget_expenditure):
        table = doc.table(kind)
        if table is None or table.empty:
            continue
        rows = [r for r in table.rows if r.code and len(r.code) == 7 and not r.is_total]
        same = [(r, f) for r in rows if isinstance(f := cell_figure(doc, table, r, None, f"{r.code} {r.name}"), Figure)
                and f.value == amount.value]
        if len(same) == 1:
            row, figure = same[0]
            reply.say("project_codes_by_amount", table=table.kind.value, value=fmt(figure.value), vunit=figure.unit,
                      code=row.code, name=row.name)
            reply.use(figure)
            return


def _say_item_change(ctx: Ctx, reply, t: Target, u: Understanding, result) -> None:
    """"乡村教师生活补助25年涨了多少": a project has no stated change of its own, but the 功能科目
    item the narrative says is 主要用于 it does (“…其他普通教育支出（项）237.60万元，主要用于乡村教师
    生活补助。比上年增加21.60万元…”), or the item of the same amount the project's name holds
    (防汛抗旱工作经费 60.00万元: “…水利（款）防汛（项）：2025年预算数为60.00万元，比2024年…减少…”)."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    project, amount = result.names[0], result.total.value
    name = norm(name_core(project))
    tail = next((w for w in ctx.lex.generic_name_words if name.endswith(w) and len(name) - len(w) >= 4), "")
    name = name[:len(name) - len(tail)]  # "中小学校舍维修改造资金" is used for "中小学校舍维修改造"
    changed = [s for s in doc.stated if s.change is not None]
    used = [s for s in changed if s.used_for and name in norm(s.used_for)]
    codes = row_codes(result)
    row_items = {norm(n) for c in codes if (n := code_name([doc], c))}  # the 科目 its row is printed under
    same = [s for s in changed if "/" in s.subject and s.value == amount
            and len(item := norm(s.subject.rsplit("/", 1)[-1])) >= 2
            and (item in norm(project) or name in item or item in row_items)]
    printed = table_change(doc, codes[0]) if len(codes) == 1 else None
    if printed is not None and (printed.current is None or printed.current.value != amount):
        printed = None
    items = [s for s in used if "/" in s.subject] or same  # a 类 "主要用于" many things is the last resort
    if printed is not None and not items:
        # its 科目 row holds the project alone, the change printed beside it (2025年 | 2026年 | 增减额)
        say_change(ctx, reply, t, f"{printed.subject}（{codes[0]}）", printed, u)
        return
    for stated in (items or used)[:1]:
        change = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=stated.subject))
        if not isinstance(change, (NoData, Ambiguous)):
            if stated.used_for:
                reply.say("used_for", label=path_label(stated.subject), used_for=stated.used_for.rstrip("。"))
            say_change(ctx, reply, t, path_label(stated.subject), change, u)


def answer_funds_total(ctx: Ctx, u: Understanding, t: Target, reply) -> Answer | None:
    """"今年安排多少？总共要花多少？是干啥的": this year's amount when a sub-question asks it,
    the 实施期 total, then what the project is for. None when no 实施期 total is printed."""
    lex = load_lexicon()
    parts = sub_questions(u)
    if len(parts) > 1 and any(asks_amount_only(p) and not lex.cue("funds_total", p) for p in parts):
        say_amount(ctx, reply, t, u)
    if not say_funds_total(ctx, reply, t, u.project_query, rest=u.has("funds_rest")):
        return None
    if u.has("purpose") or asks_content(u):
        if target := target_of(ctx, t, u.project_query):
            say_overview(reply, target, u)
    return reply.build("ok", ctx.context(u, "performance", [t]))


def asks_content(u: Understanding) -> bool:
    """A clause, not asking the amount, that asks what or which ("主要监测啥", "亮的是哪几条街"):
    the project's 项目概况 answers it (an indicator gives a count at most)."""
    return any(not asks_amount_only(c) for c in load_lexicon().asks_what(u.text))


def say_amount(ctx: Ctx, reply, t: Target, u: Understanding):
    """The project's amount (each row when several), with its funding; the tool's result."""
    result = find_project(ctx.catalog, ProjectQuery(unit=t.unit, year=t.year, name=u.project_query))
    if isinstance(result, (NoData, Ambiguous)):
        return result
    name = result.names[0] if len(result.names) == 1 else "、".join(result.names)
    if len(result.rows) == 1:
        row = result.rows[0]
        reply.say("project_one", subject=ctx.subject(t), name=name, value=fmt(row.figure.value), vunit=row.figure.unit)
        funding = [f for f in row.funding if f.value]
        if funding:
            reply.lines[-1] = reply.lines[-1].rstrip("。") + "（" + "、".join(
                f"{_funding_label(f)}{money(f)}" for f in funding) + "）。"
        reply.use(row.figure, *funding)
    else:
        rows = "；".join(reply.t("project_row", amount=fmt(r.figure.value), vunit=r.figure.unit,
                                 funding=_row_note(r)) for r in result.rows)
        reply.say("project_rows", subject=ctx.subject(t), name=name, count=len(result.rows), rows=rows,
                  total=fmt(result.total.value), vunit=result.total.unit)
        reply.use(*(r.figure for r in result.rows), result.total)
    return result


def asks_projects_total(u: Understanding) -> bool:
    """A total of several projects: 加起来/一共… with 两个/这些…, or with projects that only a
    shared fragment of their names found (no one of them named whole)."""
    lex = load_lexicon()
    if len(u.projects) < 2 or not lex.pattern("projects_total").search(u.text):
        return False
    named_whole = any(norm(p) in u.text or name_core(p) in u.text for p in u.projects)
    return bool(lex.pattern("projects_plural").search(u.text)) or not named_whole


def _project_totals(ctx: Ctx, u: Understanding, t: Target) -> list[tuple[str, Figure]]:
    """Each named project with its amount (the sum of its rows)."""
    found: list[tuple[str, Figure]] = []
    for name in u.projects:
        result = find_project(ctx.catalog, ProjectQuery(unit=t.unit, year=t.year, name=name))
        if not isinstance(result, (NoData, Ambiguous)) and all(result.total != f for _, f in found):
            found.append((name, result.total))
    return found


def asks_projects_compare(u: Understanding) -> bool:
    """"疫情防控物资储备和困难企业救助资金哪个钱多？差多少": two projects weighed against each other."""
    return len(u.projects) == 2 and (u.has("compare") or u.has("difference"))


def answer_projects_compare(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """Both amounts, the larger named, and their difference (推算). None unless both are found
    in one unit of value."""
    found = _project_totals(ctx, u, t)
    if len(found) != 2 or found[0][1].unit != found[1][1].unit:
        return None
    reply = ctx.reply()
    (a, fa), (b, fb) = sorted(found, key=lambda nf: nf[1].value, reverse=True)
    value = fa.value - fb.value
    diff = Figure(label=f"“{a}”与“{b}”之差", value=value, unit=fa.unit,
                  source=Source(document=fa.source.document, unit=t.unit, year=t.year, table=fa.source.table,
                                derived=True, note=f"推算：{fmt(fa.value)} − {fmt(fb.value)} = {fmt(value)}"))
    reply.say("projects_compare" if value else "projects_equal", subject=ctx.subject(t), a=a, a_value=fmt(fa.value),
              b=b, b_value=fmt(fb.value), vunit=fa.unit, diff=fmt(value))
    reply.use(fa, fb, diff)
    reply.table = [{"项目": n, "金额": str(f.value), "单位": f.unit} for n, f in found]
    return reply.build("ok", ctx.context(u, "project", [t]))


def answer_projects_total(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """"两个项目加起来一共多少": each project's amount, and their sum (推算, naming its inputs)."""
    reply = ctx.reply()
    found = _project_totals(ctx, u, t)
    units = {f.unit for _, f in found}
    if len(found) < 2 or len(units) != 1:
        reply.add_text("；".join(f"“{n}”{money(f)}" for n, f in found) or "")
        if not found:
            reply.say("no_project", subject=ctx.subject(t), name=u.project_words or u.projects[0])
            return reply.build("no_data", ctx.context(u, "project", [t]), sources=False)
        return reply.build("ok", ctx.context(u, "project", [t]))
    total_value = sum((f.value for _, f in found), Decimal(0))
    inputs = " + ".join(fmt(f.value) for _, f in found)
    vunit = found[0][1].unit
    label = "、".join(n for n, _ in found) + "合计"
    total = Figure(label=label, value=total_value, unit=vunit,
                   source=Source(document=found[0][1].source.document, unit=t.unit, year=t.year,
                                 table=found[0][1].source.table, row=label, derived=True,
                                 note=f"推算：{inputs} = {fmt(total_value)}"))
    rows = "；".join(f"“{n}”{money(f)}" for n, f in found)
    reply.say("projects_total", subject=ctx.subject(t), count=len(found), rows=rows, inputs=inputs,
              total=fmt(total_value), vunit=vunit)
    reply.use(*(f for _, f in found), total)
    reply.table = [{"项目": n, "金额": str(f.value), "单位": f.unit} for n, f in found]
    return reply.build("ok", ctx.context(u, "project", [t]))


def say_funds_total(ctx: Ctx, reply, t: Target, project: str, rest: bool = False) -> bool:
    """实施期 / 总投资: the 绩效目标表's 实施期资金总额 (and its 年度资金总额), for every table
    printed under the project's title; with `rest` ("明年还需要多少"), the total less this year's,
    derived. False when the project has no such figure."""
    target = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project))
    if isinstance(target, (NoData, Ambiguous)):
        return False
    tables: list[TargetResult | TargetTable] = [target, *target.others]
    if all(table.funds_total is None for table in tables):
        return False
    for n, table in enumerate(tables):
        if table.funds_total is None:
            continue
        year = reply.t("funds_year", value=fmt(table.funds_year.value), vunit=table.funds_year.unit) \
            if table.funds_year is not None else ""
        reply.say("funds_total", project=table.project, which=f"（第{n + 1}张）" if len(tables) > 1 else "",
                  value=fmt(table.funds_total.value), vunit=table.funds_total.unit, year=year,
                  wanyuan=in_wanyuan(reply, table.funds_total))
        reply.use(table.funds_total, table.funds_year)
        if rest and table.funds_year is not None and table.funds_year.unit == table.funds_total.unit:
            _say_funds_rest(reply, ctx.document(t), table.funds_total, table.funds_year)
    if len(tables) > 1:
        reply.say("funds_tables", project=target.project, count=len(tables))
    return True


def _say_funds_rest(reply, doc, total: Figure, year: Figure) -> None:
    value = total.value - year.value
    note = f"推算：实施期资金总额 {total.value} − 年度资金总额 {year.value} = {value}"
    rest = Figure(label="实施期资金总额中本年度以外的部分", value=value, unit=total.unit,
                  source=derived_source(doc, note, row=total.source.row, column="实施期资金总额−年度资金总额"))
    reply.say("funds_rest", value=fmt(value), vunit=total.unit, wanyuan=in_wanyuan(reply, rest),
              total=fmt(total.value), year=fmt(year.value))
    reply.use(rest)


def _funding_label(fig) -> str:
    column = fig.source.column or fig.label
    return column.split("/")[-1]


def _row_note(row) -> str:
    names = [_funding_label(f) for f in row.funding if f.value]
    where = "上年结转" if row.table == "上年结转" else "本年预算"
    return "，".join([where] + names) if names else where


def answer_project_list(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """有哪些上年结转项目？各多少？ — every row of the table, with its total."""
    reply = ctx.reply()
    what = "carryover_projects" if "carryover_projects" in u.measures or "carryover" in u.measures else "projects"
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, n=100, member=u.member))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "project", [t]))
    threshold = amount_threshold(ctx, u.text or u.question)
    if threshold:
        return _filtered_project_list(ctx, u, t, result, *threshold)
    rows = "；".join(f"{r.name} {money(r.figure)}" for r in result.rows)
    total = result.total
    reply.say("project_list", subject=ctx.subject(t), title=result.what, count=result.count, rows=rows,
              total=fmt(total.value) if total else "—", vunit=total.unit if total else "")
    reply.use(*(r.figure for r in result.rows), total)
    reply.table = [{"项目": r.name, "金额": str(r.figure.value), "单位": r.figure.unit} for r in result.rows]
    return reply.build("ok", ctx.context(u, "project", [t]))


_TO_WAN = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}


def amount_threshold(ctx: Ctx, text: str):
    """超过500万 / 1000万元以上 / 低于10万 -> (words, limit in 万元, keep(value) predicate), or None."""
    lex = ctx.lex
    for name, above in (("amount_at_least", True), ("amount_at_most", False)):
        m = lex.pattern(name).search(text)
        if not m:
            continue
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        limit = Decimal(number) * _TO_WAN[unit or "万元"]
        strict = bool(lex.pattern("amount_strict").search(m.group()))
        if above:
            return m.group(), limit, (lambda v, lim=limit: v > lim) if strict else (lambda v, lim=limit: v >= lim)
        return m.group(), limit, (lambda v, lim=limit: v < lim) if strict else (lambda v, lim=limit: v <= lim)
    return None


def _filtered_project_list(ctx: Ctx, u: Understanding, t: Target, result, words: str, limit, keep) -> Answer:
    reply = ctx.reply()
    chosen = [r for r in result.rows if r.figure.unit == "万元" and keep(r.figure.value)]
    if chosen:
        rows = "；".join(f"{r.name} {money(r.figure)}" for r in chosen)
        reply.say("project_list_filtered", subject=ctx.subject(t), title=result.what, all=result.count,
                  condition=words, count=len(chosen), rows=rows)
        reply.use(*(r.figure for r in chosen))
    else:
        top = result.rows[0]
        reply.say("project_list_filtered_none", subject=ctx.subject(t), title=result.what, all=result.count,
                  condition=words, top=top.name, top_value=money(top.figure))
        reply.use(top.figure)
    reply.table = [{"项目": r.name, "金额": str(r.figure.value), "单位": r.figure.unit} for r in chosen]
    return reply.build("ok", ctx.context(u, "project", [t]))


# ---- 绩效目标表 -------------------------------------------------------------------------------

def answer_performance(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    reply = ctx.reply()
    result = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=u.project_query))
    funds_said = False
    if u.has("funds_total"):  # "绩效目标表里实施期资金总额和年度资金总额各是多少"
        indicators = [] if isinstance(result, (NoData, Ambiguous)) else result.indicators
        if not chosen_indicators(u, indicators, skip_funds_asks=True):
            answer = answer_funds_total(ctx, u, t, reply)
            if answer is not None:
                return answer
        else:  # "补助标准是多少？年度资金总额多少元？": the totals, then the standard
            funds_said = say_funds_total(ctx, reply, t, u.project_query)
    if isinstance(result, (NoData, Ambiguous)):
        described = answer_note(ctx, u, t)
        if described is not None:
            return described
        # no 绩效目标表: the amount and what the 情况说明 says the money is for, when it says
        if (u.projects and not isinstance(say_amount(ctx, reply, t, u), (NoData, Ambiguous))
                and say_described_use(ctx, reply, t, u.projects[0])):
            reply.add_text(result.message_zh)
            return reply.build("ok", ctx.context(u, "project", [t]))
        reply = ctx.reply()
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "performance", [t]))
    chosen = chosen_indicators(u, result.indicators, skip_funds_asks=funds_said)
    if not chosen and u.has("target_overview"):
        reply.say("target_goal", goal=result.goal_year or result.overview or "")
        reply.cite(result.source, quote=result.goal_year)
        names = "；".join(f"{i.level3}{i.value}" for i in result.indicators[:12])
        reply.say("target_list", project=result.project, indicators=names)
        reply.use(*(i.number for i in result.indicators[:12]))
        return reply.build("ok", ctx.context(u, "performance", [t]))
    if not chosen and any(asks_amount_only(p) for p in sub_questions(u)):
        return answer_project(ctx, u, t)  # "今年预算多少？主要管哪几块": the amount and 项目概况 answer it
    if not chosen:
        names = "、".join(dict.fromkeys(i.level3 for i in result.indicators))
        words = "、".join(u.indicators) or u.residue.strip("的是多少?？") or u.text
        reply.say("target_none", project=result.project, words=words, indicators=names)
        reply.cite(result.source)
        return reply.build("no_data", ctx.context(u, "performance", [t]))
    parts = sub_questions(u)
    if len(parts) > 1 and any(asks_amount_only(p) for p in parts):
        say_amount(ctx, reply, t, u)  # "…安排了多少？储备了多少种物资？": the amount first
    if u.has("purpose") or asks_content(u):
        say_overview(reply, result, u)
    say_indicators(reply, result.project, chosen, text=u.text)
    return reply.build("ok", ctx.context(u, "performance", [t]))


PER_MONTH = re.compile(r"^(?P<sign>[≤≥<>＜＞约]?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[万]?元)/(?P<who>[^·/]*)[·/]?月$")


def say_per_year(reply, chosen: list) -> None:
    """"每人每月劳务报酬标准多少？一年下来人均多少": a monthly standard times 12 (推算)."""
    for hit in chosen:
        m = PER_MONTH.match(hit.value.replace(" ", ""))
        if m is None or hit.number is None:
            continue
        value = Decimal(m["n"]) * 12
        per = f"{m['unit']}/{m['who']}·年" if m["who"] else f"{m['unit']}/年"
        yearly = Figure(label=f"{hit.level3}（按12个月推算）", value=value, unit=m["unit"],
                        source=hit.source.model_copy(update={"derived": True,
                                                             "note": f"推算：{m['n']} × 12 = {fmt(value)}"}))
        reply.say("per_year", indicator=hit.level3, month=m["n"], value=fmt(value), per=per, sign=m["sign"])
        reply.use(yearly)


def say_indicators(reply, project: str, chosen: list, text: str = "") -> None:
    """Each indicator as printed; a monthly standard per year when asked ("一年下来"), and the sum
    of the counts when asked for all together ("一共多少个")."""
    for hit in chosen:
        reply.say("target_hit", project=project, level=hit.level2 or "", indicator=hit.level3, value=hit.value)
        reply.use(hit.number)
        reply.cite(hit.source, quote=f"{hit.level3}：{hit.value}")
    lex = load_lexicon()
    if lex.pattern("per_year").search(text):
        say_per_year(reply, chosen)
    if lex.pattern("projects_total").search(text):
        _say_count_total(reply, chosen)


def _say_count_total(reply, chosen: list) -> None:
    """"服务站一共多少个": 乡镇服务站数量 14个 and 村服务站数量 264个 added (推算)."""
    counts = [h for h in chosen if (h.level2 or "").startswith("数量") and h.number is not None
              and COUNT_VALUE.match(h.value.replace(",", ""))]
    if len(counts) >= 2:
        say_sum(reply, [(h.level3, h.number) for h in counts])


COUNT_VALUE = re.compile(r"^\d+(?:\.\d+)?\s*[\u4e00-\u9fff]{1,2}$")  # "14个", "264个" (no ≥, no rate)


def project_indicators(ctx: Ctx, u: Understanding, t: Target):
    """(project, indicators) when a project question asks something its 绩效目标表 answers
    better than an amount ("遗属补助每月发多少？"); None otherwise."""
    parts = sub_questions(u)
    if all(asks_amount_only(p) for p in parts):
        return None
    result = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=u.project_query))
    if isinstance(result, (NoData, Ambiguous)):
        return None
    chosen = chosen_indicators(u, result.indicators, skip_amount_asks=True)
    return (result.project, chosen) if chosen else None

