"""Projects: their rows in the 项目支出预算表 (a project listed several times shows every row and
their sum, 推算), the carry-over list, and indicators of their 绩效目标表."""
from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher

from assistant.compose import fmt, money
from assistant.ctx import Ctx, path_label
from assistant.lexicon import load_lexicon, norm
from assistant.names import budget_word, name_core
from assistant.reply_changes import say_change
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure, Source
from parsing.tables import PER_WANYUAN, to_wanyuan
from tools.changes import stated_change
from tools.projects import find_project, project_note, project_target
from tools.rank import rank_items
from tools.types import (
    Ambiguous,
    ChangeQuery,
    NoData,
    ProjectQuery,
    RankQuery,
    TargetQuery,
    TargetResult,
    TargetTable,
)

_YEARS = re.compile(r"20\d{2}")


def project_query(u: Understanding) -> str:
    if len(u.projects) == 1:
        return u.projects[0]
    return u.project_words or u.projects[0]


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
    by_indicator = project_indicators(ctx, u, t)
    asks_amount = load_lexicon().pattern("project_amount").search(u.text) is not None
    if by_indicator and not asks_amount:
        if u.has("purpose"):
            _say_overview(ctx, reply, t, by_indicator[0], u)
        say_indicators(reply, *by_indicator)
        return reply.build("ok", ctx.context(u, "performance", [t]))
    result = say_amount(ctx, reply, t, u)
    if isinstance(result, (NoData, Ambiguous)):
        described = answer_note(ctx, u, t)
        if described is not None:
            return described
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "project", [t]))
    # a later year's plan ("明年还要多少") is stated, if anywhere, in the project's 项目概况
    if (u.has("purpose") or u.has("reason") or u.has("next_year") or asks_content(u)
            or _asked_details(ctx, u, t, result.names[0])) and result.has_target:
        _say_overview(ctx, reply, t, result.names[0], u)
    if load_lexicon().pattern("asks_who").search(u.text) and result.has_target:
        _say_implementer(ctx, reply, t, result.names[0])
    if by_indicator:  # "…预算多少？每吨处理费按多少钱算？": the amount, then the standard
        say_indicators(reply, *by_indicator)
    if u.has("change") or u.has("reason"):
        _say_item_change(ctx, reply, t, u, result.names[0])
    return reply.build("ok", ctx.context(u, "project", [t]))


def _say_implementer(ctx: Ctx, reply, t: Target, project: str) -> None:
    """"哪个单位在做": the 实施单位 its 绩效目标表 names."""
    target = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project))
    if not isinstance(target, (NoData, Ambiguous)) and target.implementer:
        reply.say("implementer", project=target.project, implementer=target.implementer)
        reply.cite(target.source, quote=target.implementer)


def _say_item_change(ctx: Ctx, reply, t: Target, u: Understanding, project: str) -> None:
    """"乡村教师生活补助25年涨了多少": a project has no stated change of its own, but the 功能科目
    item the narrative says is 主要用于 it does (“…其他普通教育支出（项）237.60万元，主要用于乡村教师
    生活补助。比上年增加21.60万元…”)."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    name = norm(name_core(project))
    for stated in doc.stated:
        if stated.used_for and name in norm(stated.used_for) and stated.change is not None:
            change = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=stated.subject))
            if not isinstance(change, (NoData, Ambiguous)):
                reply.say("used_for", label=path_label(stated.subject), used_for=stated.used_for.rstrip("。"))
                say_change(ctx, reply, t, path_label(stated.subject), change, u)
            return


def answer_funds_total(ctx: Ctx, u: Understanding, t: Target, reply) -> Answer | None:
    """"今年安排多少？总共要花多少？是干啥的": this year's amount when a sub-question asks it,
    the 实施期 total, then what the project is for. None when no 实施期 total is printed."""
    lex = load_lexicon()
    parts = sub_questions(u)
    if len(parts) > 1 and any(_asks_amount_only(p) and not lex.cue("funds_total", p) for p in parts):
        say_amount(ctx, reply, t, u)
    if not say_funds_total(ctx, reply, t, project_query(u)):
        return None
    if u.has("purpose") or asks_content(u):
        _say_overview(ctx, reply, t, project_query(u), u)
    return reply.build("ok", ctx.context(u, "performance", [t]))


def sub_questions(u: Understanding) -> list[str]:
    return load_lexicon().split("sub_question", u.text)


def asks_content(u: Understanding) -> bool:
    """A clause, not asking the amount, that asks what or which ("主要监测啥", "亮的是哪几条街"):
    the project's 项目概况 answers it (an indicator gives a count at most)."""
    return any(not _asks_amount_only(c) for c in load_lexicon().asks_what(u.text))


def say_amount(ctx: Ctx, reply, t: Target, u: Understanding):
    """The project's amount (each row when several), with its funding; the tool's result."""
    result = find_project(ctx.catalog, ProjectQuery(unit=t.unit, year=t.year, name=project_query(u)))
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


def answer_projects_total(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """"两个项目加起来一共多少": each project's amount, and their sum (推算, naming its inputs)."""
    reply = ctx.reply()
    found: list[tuple[str, Figure]] = []
    for name in u.projects:
        result = find_project(ctx.catalog, ProjectQuery(unit=t.unit, year=t.year, name=name))
        if not isinstance(result, (NoData, Ambiguous)) and all(result.total != f for _, f in found):
            found.append((name, result.total))
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


def say_funds_total(ctx: Ctx, reply, t: Target, project: str) -> bool:
    """实施期 / 总投资: the 绩效目标表's 实施期资金总额 (and its 年度资金总额), for every table
    printed under the project's title. False when the project has no such figure."""
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
                  wanyuan=_in_wanyuan(reply, table.funds_total))
        reply.use(table.funds_total, table.funds_year)
    if len(tables) > 1:
        reply.say("funds_tables", project=target.project, count=len(tables))
    return True


def _say_overview(ctx: Ctx, reply, t: Target, project: str, u: Understanding) -> None:
    """What the project is for, quoted from its 绩效目标表 (项目概况, else 年度目标)."""
    target = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project))
    if isinstance(target, (NoData, Ambiguous)):
        return
    text = target.overview or target.goal_year
    if text:
        reply.say("project_overview", text=_excerpt(text, u, _details_in(u, text)))
        reply.cite(target.source, quote=text)


OVERVIEW_HEAD = 150  # characters of a long 项目概况 always quoted from its start


def _asked_details(ctx: Ctx, u: Understanding, t: Target, project: str) -> list[str]:
    """The words of the question its project's 项目概况 holds, besides the project's own."""
    target = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project))
    if isinstance(target, (NoData, Ambiguous)) or not target.overview:
        return []
    return _details_in(u, target.overview)


def _details_in(u: Understanding, overview: str) -> list[str]:
    """"尧都区汽车运输公司分到多少", "移动和联通各给了多少": the words of the question, besides the
    project's, the unit's and the asking words (prompts/intents.json detail_sep), that the 项目概况
    also has (its longest shared piece, 4 characters or the whole word); budget words do not count."""
    words = [w for w in load_lexicon().split("detail_sep", _strip_project(u.text, u)) if len(w) >= 2]
    found = []
    for word in words:
        m = SequenceMatcher(None, word, overview, autojunk=False).find_longest_match(0, len(word), 0, len(overview))
        piece = word[m.a:m.a + m.size]
        if m.size >= min(len(word), 4) and not budget_word(piece):
            found.append(piece)
    return found


def _excerpt(text: str, u: Understanding, details: list[str] | None = None, limit: int = 300) -> str:
    """A long 项目概况 quoted by its start and the sentences that answer the question: those with
    the words a clause of it looks for (prompts/intents.json overview_focus: 干什么用的 -> 用于…,
    谁中的标 -> 中标…), in the document's order, gaps marked ……"""
    text = text.strip()
    if len(text) <= limit:
        return text
    focus = [re.compile(look) for asks, look in load_lexicon().overview_focus.items() if re.search(asks, u.text)]
    focus += [re.compile(re.escape(word)) for word in details or []]
    pieces = [p for p in re.split(r"(?<=[。；;,，])", text) if p]
    kept, size = [], 0
    for i, piece in enumerate(pieces):
        if size < OVERVIEW_HEAD or any(f.search(piece) for f in focus):
            kept.append(i)
            size += len(piece)
    if len(kept) == len(pieces):
        return _clip(text, limit)
    out = ""
    for n, i in enumerate(kept):
        out += ("……" if n and kept[n - 1] != i - 1 else "") + pieces[i]
    return out.rstrip("，,；;、") + ("……" if kept[-1] != len(pieces) - 1 else "")


def _in_wanyuan(reply, fig) -> str:
    """"（合3988.00万元）" beside an amount the 绩效目标表 prints in 元: exact, so not 推算."""
    if fig.unit != "元":
        return ""
    return reply.t("in_wanyuan", value=fmt(to_wanyuan(fig.value, PER_WANYUAN["元"])))


def _clip(text: str, limit: int = 300) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip("，,；;、") + "……"


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
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, n=100))
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
    result = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project_query(u)))
    funds_said = False
    if u.has("funds_total"):  # "绩效目标表里实施期资金总额和年度资金总额各是多少"
        indicators = [] if isinstance(result, (NoData, Ambiguous)) else result.indicators
        if not chosen_indicators(u, indicators, skip_funds_asks=True):
            answer = answer_funds_total(ctx, u, t, reply)
            if answer is not None:
                return answer
        else:  # "补助标准是多少？年度资金总额多少元？": the totals, then the standard
            funds_said = say_funds_total(ctx, reply, t, project_query(u))
    if isinstance(result, (NoData, Ambiguous)):
        described = answer_note(ctx, u, t)
        if described is not None:
            return described
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
    if not chosen and any(_asks_amount_only(p) for p in sub_questions(u)):
        return answer_project(ctx, u, t)  # "今年预算多少？主要管哪几块": the amount and 项目概况 answer it
    if not chosen:
        names = "、".join(dict.fromkeys(i.level3 for i in result.indicators))
        words = "、".join(u.indicators) or u.residue.strip("的是多少?？") or u.text
        reply.say("target_none", project=result.project, words=words, indicators=names)
        reply.cite(result.source)
        return reply.build("no_data", ctx.context(u, "performance", [t]))
    parts = sub_questions(u)
    if len(parts) > 1 and any(_asks_amount_only(p) for p in parts):
        say_amount(ctx, reply, t, u)  # "…安排了多少？储备了多少种物资？": the amount first
    if u.has("purpose") or asks_content(u):
        _say_overview(ctx, reply, t, result.project, u)
    say_indicators(reply, result.project, chosen)
    return reply.build("ok", ctx.context(u, "performance", [t]))


def answer_note(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """A project the document describes in prose (项目经费情况说明): the parts asked, quoted.
    None when the document has no such description."""
    note = project_note(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project_query(u)))
    if isinstance(note, (NoData, Ambiguous)) or not note.parts:
        return None
    reply = ctx.reply()
    parts = _note_parts_asked(u, note)
    for part in parts:
        reply.say("note_part", project=note.project, heading=part.heading, title=note.title,
                  text=_clip(part.text, 500))
        reply.cite(part.source, quote=part.text)
    if u.has("amount") and not any(_MONEY.search(p.text) for p in parts):
        # "安排了多少钱": the description states no amount, and no table prints one
        reply.say("note_no_amount", project=note.project)
        return reply.build("no_data", ctx.context(u, "project", [t]))
    return reply.build("ok", ctx.context(u, "project", [t]))


_MONEY = re.compile(r"\d[\d,.]*\s*(?:万元|元)")


def _note_parts_asked(u: Understanding, note) -> list:
    """The parts whose heading the question asks for (prompts/intents.json note_parts); else the
    first part (概况), and the 预算安排 part when an amount is asked."""
    lex = load_lexicon()
    asked_words = [word for word, asks in lex.note_parts.items() if any(re.search(a, u.text) for a in asks)]
    asked = [p for p in note.parts if any(w in p.heading for w in asked_words)]
    if asked:
        return asked
    budget = [p for p in note.parts if any(w in p.heading for w in lex.note_parts.get("预算安排", []))]
    return note.parts[:1] + (budget if u.has("amount") else [])


def say_indicators(reply, project: str, chosen: list) -> None:
    for hit in chosen:
        reply.say("target_hit", project=project, level=hit.level2 or "", indicator=hit.level3, value=hit.value)
        reply.use(hit.number)
        reply.cite(hit.source, quote=f"{hit.level3}：{hit.value}")


def chosen_indicators(u: Understanding, indicators: list, skip_amount_asks: bool = False,
                      skip_funds_asks: bool = False) -> list:
    """The indicators the question names (whole), else the best match of each sub-question
    (leaving out, when asked to, the sub-questions that ask the project's amount or its 资金总额)."""
    lex = load_lexicon()
    parts = [c for p in lex.split("sub_question", u.text) for c in _asking_clauses(p)]
    if skip_amount_asks:
        parts = [p for p in parts if not _asks_amount_only(p)]
    if skip_funds_asks:
        parts = [p for p in parts if not lex.cue("funds_total", p)]
    asks = [(a, p) for p in parts if (a := _strip_project(p, u))]
    named = {norm(i) for i in u.indicators}
    chosen: list = []

    def add(hit) -> None:
        if all((hit.level3, hit.value) != (c.level3, c.value) for c in chosen):
            chosen.append(hit)

    for hit in indicators:
        if norm(hit.level3) in named:
            add(hit)
    for ask, whole in [a for a in asks or [(u.residue, u.text)] if not any(n in a[0] for n in named)]:
        listing = u.has("list") or load_lexicon().pattern("indicator_listing").search(ask) is not None
        for hit in best_indicators(ask, indicators, listing=listing, context=whole):
            add(hit)
    return chosen


def _asking_clauses(part: str) -> list[str]:
    """"评估面积多大，报告啥时候编完": a sub-question whose clauses each ask something is that
    many asks (the first clause keeps the words before it); otherwise the sub-question itself."""
    lex = load_lexicon()
    clauses = lex.split("clause", part)
    asking = [c for c in clauses if lex.pattern("question_marker").search(c)]
    if len(asking) < 2 or len(asking) != len(clauses) - (0 if asking[0] == clauses[0] else 1):
        return [part]
    if asking[0] != clauses[0]:
        asking[0] = clauses[0] + "，" + asking[0]
    return asking


def project_indicators(ctx: Ctx, u: Understanding, t: Target):
    """(project, indicators) when a project question asks something its 绩效目标表 answers
    better than an amount ("遗属补助每月发多少？"); None otherwise."""
    parts = sub_questions(u)
    if all(_asks_amount_only(p) for p in parts):
        return None
    result = project_target(ctx.catalog, TargetQuery(unit=t.unit, year=t.year, project=project_query(u)))
    if isinstance(result, (NoData, Ambiguous)):
        return None
    chosen = chosen_indicators(u, result.indicators, skip_amount_asks=True)
    return (result.project, chosen) if chosen else None


def _asks_amount_only(part: str) -> bool:
    """A sub-question asking the project's amount and no per-item standard ("安排了多少")."""
    lex = load_lexicon()
    return bool(lex.pattern("project_amount").search(part)) and not lex.pattern("indicator_per").search(part)


def _strip_project(text: str, u: Understanding) -> str:
    """A sub-question without the project's and unit's words (what is left asks the indicator)."""
    words = [*u.project_pieces, u.project_words, *(norm(p) for p in u.projects), *u.unit_words]
    for word in sorted(filter(None, words), key=len, reverse=True):
        text = text.replace(word, "")
    return text.strip()


TIME_WORDS = ("时间", "时限", "日期", "期限")
COUNT_ASK = re.compile("多少|几")
MONEY_VALUE = re.compile(r"\d\s*万?元$")


def best_indicators(ask: str, indicators: list, listing: bool = False, context: str = "") -> list:
    """The indicators a sub-question asks about: most shared characters pairs with the 三级指标
    (and the 二级指标); a bonus when the asked classifier (几家 / 多少户) or rate (每月, 单价)
    is the value's unit. `listing` (哪两家…各多少) keeps every indicator that shares a pair."""
    if not ask:
        return []
    lex = load_lexicon()
    classifier = lex.pattern("indicator_classifier").search(ask)
    per = lex.pattern("indicator_per").search(ask)
    headcount = lex.pattern("indicator_headcount").search(ask)
    scored = []
    for ind in indicators:
        score = _overlap(ask, ind.level3) * 2 + _overlap(ask, ind.level2 or "") * 0.5
        # words the question shared with the project's name count a little ("垃圾处理费单价")
        score += min(len((_grams(context) - _grams(ask)) & _grams(ind.level3)) * 0.5, 2)
        years = _YEARS.findall(ask)
        if years and any(y in ind.level3 for y in years):
            score += 1
        if classifier and re.search(rf"\d\s*{classifier.group(1)}", ind.value):
            score += 3  # "几家" is answered by "3家", not by "每个工作日"
        elif classifier and (ind.level2 or "").startswith("数量"):
            score += 1  # "坐席员几个" is answered in 名: a count, not the 时效 of the same words
        if headcount and re.search(r"\d\s*人$", ind.value.strip()):
            score += 3  # "几名/几位" counts people: the value is in 人
        elif COUNT_ASK.search(ask) and ind.level3.endswith("人数") and _overlap(ask, ind.level3):
            score += 2  # "养多少个辅警": 保障辅警人数
        if per and f"/{per.group(1)}" in ind.value:
            score += 3
        if lex.pattern("indicator_price").search(ask) and "元/" in ind.value:
            score += 2
        timely = any(w in ind.level3 for w in TIME_WORDS) or (ind.level2 or "").startswith("时效")
        if timely and lex.pattern("indicator_time").search(ask):
            score += 3  # "报告啥时候编完": the 时效 indicator
        head = norm(ind.level3)[-2:]
        if len(head) == 2 and head in norm(ask):
            score += 1  # the indicator's head noun (面积, 人数, 标准) is asked
        if "满意" in ask and "满意" in ind.level3:
            score += 1
        if ("标准" in ask or "成本" in ask) and (ind.level2 or "").startswith("成本"):
            score += 1
        if score > 0:
            scored.append((score, ind))
    if listing and lex.pattern("each_amount").search(ask) and (not scored or max(s for s, _ in scored) < 2):
        # "奖给了谁，各多少": the amounts the 成本指标 give, each named by its indicator
        return [ind for ind in indicators
                if (ind.level2 or "").startswith("成本") and MONEY_VALUE.search(ind.value)][:8]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    if top < (2 if listing else 3):
        return []
    if listing:
        return [ind for s, ind in scored if s >= 2][:8]
    return [ind for s, ind in scored if s >= top][:2]


def _grams(text: str) -> set[str]:
    text = norm(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _overlap(a: str, b: str) -> int:
    """Shared character bigrams (a cheap, order-aware similarity for short Chinese phrases)."""
    return len(_grams(a) & _grams(b))
