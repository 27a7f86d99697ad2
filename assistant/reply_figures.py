"""Answers that state figures: a measure (with its parts when they add up), a table row, the
rows a measure is made of, a unit overview. Narrative facts (三公, 政府采购, counts) are said by
assistant/reply_facts.py."""
from __future__ import annotations

import re

from assistant.compose import Reply, fmt, money, say_difference, say_ratio, say_sum
from assistant.ctx import Ctx, path_label
from assistant.lexicon import load_lexicon
from assistant.reply_facts import (
    money_label,
    note_verification,
    state_count,
    state_procurement,
    state_project_list,
    state_three_public,
)
from assistant.sections import quote_section
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure, Source, Status
from core.measures import registry
from core.model import StatedFigure, StatedShare, TableKind, TableRow
from tools.figures import lookup_cell, lookup_measure
from tools.lookup import cell_figure, column_key
from tools.projects import FUNDING_NOTE, project_items
from tools.rank import rank_items
from tools.types import TOLERANCE, Ambiguous, CellQuery, MeasureQuery, NoData, RankQuery, VerifyQuery, VerifyResult
from tools.verify import verify_figure

COUNT_PREFIXES = ("assets.", "overview.", "performance.")


def figure_keys(u: Understanding) -> list[str]:
    return list(u.measures) + [f"row:{r}" for r in u.rows]


def answer_figures(ctx: Ctx, u: Understanding, t: Target, intent: str = "figure") -> Answer:
    if u.unknown_units and len(u.units) == 1 and not u.member and not u.has("compare"):
        # "城管委下属的环卫中心预算多少": an organisation this budget does not cover
        return _no_data(ctx, u, t, ctx.lex.template("no_such_recipient", subject=ctx.subject(t),
                                                     name="、".join(u.unknown_units)))
    reply = ctx.reply()
    keys = figure_keys(u) or ["income_total"]
    covered: set[str] = set()
    misses: list[NoData | Ambiguous] = []
    stated: list[tuple[str, Figure]] = []  # each measure's own figure, the first it states
    for key in keys:
        if ctx.label(key) in covered or ctx.tool_name(key) in covered:
            continue
        before = len(reply.figures)
        result = state_measure(ctx, reply, u, t, key)
        if isinstance(result, (NoData, Ambiguous)):
            misses.append(result)
        else:
            covered.update(result)
            if len(reply.figures) > before:
                stated.append((ctx.label(key), reply.figures[before]))
    if (u.has("difference") or u.has("compare")) and len(stated) == 2:  # "基本支出和项目支出哪个多，差多少"
        say_difference(reply, *stated)
    if len(stated) >= 2 and ctx.lex.pattern("projects_total").search(u.text):  # "两块各多少？加起来多少"
        say_sum(reply, stated)
    if u.has("ratio") and len(stated) == 2:  # "人员经费是公用经费的几倍"
        say_ratio(reply, *stated)
    if u.has("purpose") and reply.has_figures:
        for key in keys:
            say_stated_clause(ctx, reply, t, key)
    status: Status = "ok" if reply.has_figures else "no_data"
    if misses and not reply.has_figures:
        for miss in misses:
            say_missing(ctx, reply, t, miss)
        if any(isinstance(m, NoData) and m.reason == "empty_table" for m in misses):
            for key in keys:  # "有机关运行经费吗": the table is empty; its section says why
                quote_section(ctx, reply, t, key)
    elif misses:
        for miss in misses:
            reply.add_text(miss.message_zh)
    return reply.build(status, ctx.context(u, intent, [t]))


CLASS_COLUMNS = ("basic", "project")  # measures that are columns of the 支出总表's class rows


def state_measure(ctx: Ctx, reply: Reply, u: Understanding, t: Target, key: str) -> set[str] | NoData | Ambiguous:
    """Say one measure into `reply`; returns the labels it covered (itself and its parts)."""
    if key.startswith(COUNT_PREFIXES):
        covered = state_count(ctx, reply, t, key)
        if key == "overview.departments" and isinstance(covered, set) and asks_names(u):
            quote_organisation(ctx, reply, t)  # "内设几个科室？都有哪些": their names, as printed
        return covered
    if key == "three_public" or key.startswith("three_public."):
        return state_three_public(ctx, reply, t, key)
    if key == "procurement" or key.startswith("procurement."):
        covered = state_procurement(ctx, reply, t, key)
        if key in PROCUREMENT_CATEGORIES and (u.has("purpose") or asks_names(u)):
            say_procurement_items(ctx, reply, t, PROCUREMENT_CATEGORIES[key])
        return covered
    scoped = scoped_function_cell(ctx, u, t, key) or class_column_cell(ctx, u, t, key) or measure_cell(ctx, t, key)
    if isinstance(scoped, (NoData, Ambiguous)):
        return scoped
    if scoped is not None:
        in_class = key in CLASS_COLUMNS and (u.within or "").startswith("function:")
        covered = scoped_function_say(ctx, reply, t, key, scoped,
                                      f"{ctx.label(u.within or '')}中的{ctx.label(key)}" if in_class else None)
        if key.startswith(USE_KEYS) and u.has("purpose"):
            say_uses(ctx, reply, t, ctx.tool_name(key))
        return covered
    result = lookup_measure(ctx.catalog, MeasureQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(key)))
    measure = ctx.lex.measures.get(key)
    if isinstance(result, (NoData, Ambiguous)) and measure is not None and measure.code:
        by_code = lookup_measure(ctx.catalog, MeasureQuery(unit=t.unit, year=t.year, measure=measure.code))
        result = result if isinstance(by_code, (NoData, Ambiguous)) else by_code
    if isinstance(result, (NoData, Ambiguous)):
        return result
    fig = result.figure
    reply.say("figure", subject=ctx.subject(t), label=_label(ctx, key, fig), value=fmt(fig.value), vunit=fig.unit)
    reply.use(fig)
    covered = {ctx.label(key), ctx.tool_name(key), result.measure}
    if result.parts and not parts_add_up(fig, result.parts):
        result.parts = []  # parts read from another table's scope (see the report); never show them as a breakdown
    if result.parts:
        reply.lines[-1] = reply.lines[-1].rstrip("。") + "，"
        reply.say("parts", parts="、".join(money_label(p) for p in result.parts))
        reply.use(*result.parts)
        covered.update(p.label for p in result.parts)
        covered.update(k for k in _part_keys(ctx, key) if any(k in p.label or p.label in k for p in result.parts))
    if u.has("composition") and not (measure and measure.detail):
        quote_stated_sentence(ctx, reply, t, key)
    if (u.has("purpose") or u.has("composition") or u.has("projects_asked")) and measure is not None \
            and measure.detail and measure.detail.get("projects_column"):
        say_funded_projects(ctx, reply, t, measure.detail["projects_column"])
    if u.has("breakdown") and u.rank_what == "income_sources":
        said = len(reply.lines)
        if measure is not None and measure.detail and measure.detail.get("projects_column") \
                and "收入" in measure.detail.get("table", ""):
            state_detail(ctx, reply, t, key)  # "政府性基金收入钱从哪来": the funds its income table lists
        if len(reply.lines) == said and not quote_funding_source(ctx, reply, t, key):
            state_income_sources(ctx, reply, t)
    elif u.has("breakdown") or u.has("projects_asked") or _asks_its_projects(ctx, u, key, measure):
        if u.has("breakdown"):
            state_detail(ctx, reply, t, key)
        if measure is not None and measure.detail and measure.detail.get("projects") and "项目" in u.text:
            state_project_list(ctx, reply, t, measure.detail["projects"])
    elif u.has("purpose") and measure is not None and measure.detail and measure.detail.get("projects"):
        state_project_list(ctx, reply, t, measure.detail["projects"])  # "上年结转的钱用在哪了": its projects
    if measure is not None and measure.verified:  # registry `verified`: say whether the narrative agrees
        note_verification(ctx, reply, t, key)
    if key.startswith(USE_KEYS) and u.has("purpose"):
        say_uses(ctx, reply, t, ctx.tool_name(key))
    return covered


# 政府采购 by category (registry key -> the word the 政府采购预算表's 采购类别 column prints)
PROCUREMENT_CATEGORIES = {"procurement.goods": "货物", "procurement.works": "工程", "procurement.services": "服务"}
PROCUREMENT_TABLE_WORD = "采购"


def say_procurement_items(ctx: Ctx, reply: Reply, t: Target, category: str) -> None:
    """"服务类的是买啥": the rows of the document's own 政府采购预算表 in that category, each item
    named as printed with its amount."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    for table in doc.tables:
        if table.kind != TableKind.other or PROCUREMENT_TABLE_WORD not in table.title:
            continue
        rows = [r for r in table.rows if not r.is_total and any(v.startswith(category) for v in r.texts.values())]
        items = []
        for row in rows[:MAX_USES]:
            name = next((v for word in ("品目", "名称") for c, v in row.texts.items() if word in c), row.name)
            figure = cell_figure(doc, table, row, None, name)
            if isinstance(figure, Figure):
                items.append(f"{name}{money(figure)}")
                reply.use(figure)
        if items:
            reply.say("procurement_items", table=table.title, category=category, items="；".join(items))
            return


def _asks_its_projects(ctx: Ctx, u: Understanding, key: str, measure) -> bool:
    """"有没有上年结转的项目": a measure made of projects, asked with the projects named."""
    return (measure is not None and measure.detail is not None and measure.detail.get("projects") == key
            and ctx.lex.cue("projects_asked", u.text))


def asks_names(u: Understanding) -> bool:
    """"都有哪些" / "是什么科室": the names, not only the count."""
    return u.has("list") or bool(load_lexicon().asks_what(u.text))


def quote_organisation(ctx: Ctx, reply: Reply, t: Target) -> None:
    """The 机构设置 paragraph of 概况, quoted (clipped) with its place."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)) or not doc.overview.organisation:
        return
    text = doc.overview.organisation.strip()
    text = text if len(text) <= 300 else text[:300] + "……"
    reply.say("organisation_quote", text=text)
    loc = doc.overview.location
    reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section="机构设置",
                      page=loc.page if loc else None, line=loc.line if loc else None), quote=text)


def state_income_sources(ctx: Ctx, reply: Reply, t: Target) -> None:
    """"钱从哪来": the 收支总表's income sources that have an amount, largest first, each with
    its share of 收入总计 (推算)."""
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what="income_sources", n=20))
    if isinstance(result, (NoData, Ambiguous)):
        return
    rows = [r for r in result.rows if r.figure.value]
    if not rows:
        return
    reply.say("income_sources", rows="；".join(
        r.name + money(r.figure) + (reply.t("source_share", percent=fmt(r.share_of_total.value))
                                 if r.share_of_total is not None else "") for r in rows))
    reply.use(*(r.figure for r in rows), *(r.share_of_total for r in rows), result.total)


def say_funded_projects(ctx: Ctx, reply: Reply, t: Target, fund: str) -> None:
    """"政府性基金…用在什么项目上": the projects of this year's 项目支出预算表 with an amount in the
    fund's column, each with that amount."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    table = doc.table(TableKind.projects_current)
    if table is None or table.empty:
        return
    funded: list[tuple[TableRow, str | None]] = [(row, col) for row in project_items(doc, table)
                                                  if (col := column_key(row, fund, table)) and row.values.get(col)]
    if not funded:  # a 资金来源 column printed as words ("政府性基金预算"): the rows naming the fund, whole
        funded = [(row, None) for row in project_items(doc, table)
                  if any(FUNDING_NOTE in c and fund in text for c, text in row.texts.items())]
    if not funded:
        return
    # every cell kept above has a column and a value: cell_figure gives a Figure for each
    figures = [f for row, col in funded[:MAX_USES]
               if isinstance(f := cell_figure(doc, table, row, col, row.name), Figure)]
    reply.say("funded_projects", fund=fund, count=len(funded),
              projects="；".join(f"{f.label}{money(f)}" for f in figures))
    reply.use(*figures)


def say_stated_clause(ctx: Ctx, reply: Reply, t: Target, key: str) -> None:
    """"其他收入一共多少，是啥钱": the narrative's own clause on the measure, quoted ("其他收入12.50万元，
    占0.48%，为…存款利息等收入"), when it says more than the amount."""
    doc = ctx.catalog.document(t.unit, t.year)
    measure = registry().get(key)
    if isinstance(doc, (NoData, Ambiguous)) or measure is None:
        return
    wordings = {s.subject: s.wordings for s in measure.narrative}
    statements: list[StatedShare | StatedFigure] = [*doc.shares, *doc.stated]
    for stated in statements:  # a share's sentence names what the amount is ("占0.48%，为…")
        for wording in sorted(wordings.get(stated.subject, []), key=len, reverse=True):
            start = stated.sentence.find(wording)
            if start < 0:
                continue
            clause = re.split(r"[；;。]", stated.sentence[start:], maxsplit=1)[0]
            if len(re.sub(r"[\d.,，、%万元占比上年增加减少长降]", "", clause)) > len(wording) + 4:
                reply.say("stated_clause", clause=clause)
                reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=stated.section,
                                  page=stated.location.page, line=stated.location.line), quote=stated.sentence)
                return
            break


def say_uses(ctx: Ctx, reply: Reply, t: Target, row: str) -> None:
    """What the 编制说明 says a 功能科目 is used for ("主要用于…"), item by item under that row."""
    doc = ctx.catalog.document(t.unit, t.year)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    items = [(s, s.used_for) for s in doc.stated if s.used_for and row in s.subject.split("/")]
    for s, used_for in items[:MAX_USES]:
        reply.say("used_for", label=path_label(s.subject), used_for=used_for.rstrip("。"))
        reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=s.section,
                          page=s.location.page, line=s.location.line), quote=s.sentence)


MAX_USES = 5  # a 类 with many 项 would otherwise list the whole 编制说明
USE_KEYS = ("row:", "function:")  # 科目 named by a held row or a function class

SCOPE_TABLES = {"general_budget_expenditure": "一般公共预算支出表", "gov_fund_expenditure": "政府性基金支出表"}


def scoped_function_cell(ctx: Ctx, u: Understanding, t: Target, key: str):
    """A 功能分类 class asked within 一般公共预算 (or 政府性基金) spending is read from that
    table, not from the all-funds 支出总表: "一般公共预算支出…其中城乡社区支出多少"."""
    measure = ctx.lex.measures.get(key)
    scope = next((SCOPE_TABLES[k] for k in (u.within, *u.measures) if k in SCOPE_TABLES), None)
    if measure is None or not measure.code or scope is None:
        return None
    cell = lookup_cell(ctx.catalog, CellQuery(unit=t.unit, year=t.year, table=scope, row=measure.code))
    return None if isinstance(cell, (NoData, Ambiguous)) else cell


def class_column_cell(ctx: Ctx, u: Understanding, t: Target, key: str):
    """基本支出 / 项目支出 of one 功能分类 class ("卫生健康支出…其中基本支出"): that column of the
    class's 支出总表 row."""
    within = u.within or ""
    if key not in CLASS_COLUMNS or not within.startswith("function:"):
        return None
    code = within.split(":", 1)[1]
    cell = lookup_cell(ctx.catalog, CellQuery(unit=t.unit, year=t.year, table=TableKind.expenditure.value,
                                              row=code, column=ctx.tool_name(key)))
    return None if isinstance(cell, (NoData, Ambiguous)) else cell


def measure_cell(ctx: Ctx, t: Target, key: str):
    """A measure defined as one table cell in prompts/measures.json (`cell`)."""
    measure = ctx.lex.measures.get(key)
    if measure is None or not measure.cell:
        return None
    return lookup_cell(ctx.catalog, CellQuery(unit=t.unit, year=t.year, **measure.cell))


def scoped_function_say(ctx: Ctx, reply: Reply, t: Target, key: str, cell, label: str | None = None) -> set[str]:
    fig = cell.figure
    label = label or (ctx.label(key) if ctx.lex.measures[key].cell else f"{fig.source.table}中{ctx.label(key)}")
    reply.say("figure", subject=ctx.subject(t), label=label,
              value=fmt(fig.value), vunit=fig.unit)
    reply.use(fig)
    return {ctx.label(key)}


def quote_stated_sentence(ctx: Ctx, reply: Reply, t: Target, key: str) -> None:
    """"公用经费主要包括哪些？": the narrative's own sentence about the measure, verbatim."""
    result = verify_figure(ctx.catalog, VerifyQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(key)))
    if not isinstance(result, VerifyResult):
        return
    sentence = result.sentence
    if sentence:
        clauses = [c for c in re.split(r"(?<=[;；])", sentence) if ctx.label(key) in c]
        quote = ("".join(clauses) or sentence).strip().rstrip(";；。") + "。"
        reply.say("stated_sentence", sentence=quote)
        if result.stated is not None:
            reply.cite(result.stated.source, quote=sentence)


def quote_funding_source(ctx: Ctx, reply: Reply, t: Target, key: str) -> bool:
    """"政府性基金预算支出…钱从哪来": the sentence of the measure's own section that names where its
    money comes from ("资金来源为国有土地使用权出让收入"), verbatim; False when there is none."""
    result = verify_figure(ctx.catalog, VerifyQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(key)))
    doc = ctx.document(t)
    if not isinstance(result, VerifyResult) or result.stated is None or isinstance(doc, (NoData, Ambiguous)):
        return False
    named = result.stated.source.section or ""
    section = next((s for s in doc.sections if s.title and named.endswith(s.title)), None)
    found = ctx.lex.pattern("funding_source").search(section.text) if section else None
    if section is None or found is None:
        return False
    start = max(section.text.rfind(c, 0, found.start()) for c in "。；;\n") + 1
    end = min((i for c in "。；;\n" if (i := section.text.find(c, found.end())) >= 0), default=len(section.text))
    sentence = section.text[start:end].strip() + "。"
    reply.say("stated_sentence", sentence=sentence)
    reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=section.title,
                      page=section.location.page, line=section.location.line), quote=sentence)
    return True


def parts_add_up(total: Figure, parts: list[Figure]) -> bool:
    """A breakdown is shown only when its parts make up the total (to the documents' 尾差)."""
    missing_part = len(parts) < 2
    return missing_part or abs(sum(p.value for p in parts) - total.value) <= TOLERANCE


def _label(ctx: Ctx, key: str, fig: Figure) -> str:
    return ctx.label(key) if not key.startswith("row:") else fig.label


def _part_keys(ctx: Ctx, key: str) -> set[str]:
    return {ctx.label(k) for k, m in ctx.lex.measures.items() if m.parent == key}


def state_detail(ctx: Ctx, reply: Reply, t: Target, key: str) -> None:
    """The rows a measure is made of (来自哪个科目 / 列在哪个科目): names from the document,
    every amount from the figure tool. A spec's `fallback` table is read when the first
    gives nothing (a PDF whose cell slipped a column)."""
    measure = ctx.lex.measures.get(key)
    doc = ctx.document(t)
    if measure is None or isinstance(doc, (NoData, Ambiguous)):
        return
    spec: dict | None = {"table": "支出总表", "prefix": measure.code} if measure.code else measure.detail
    while spec:
        figures, title = _detail_rows(ctx, t, doc, spec)
        if figures:
            rows = "；".join(f"{code} {name} {money(f)}".strip() for code, name, f in figures[:12])
            template = "carryover_rows" if "上年结转" in (spec.get("column") or "") else "table_rows"
            reply.say(template, title=title, rows=rows)
            reply.use(*(f for _, _, f in figures[:12]))
            return
        spec = spec.get("fallback")


def _detail_rows(ctx: Ctx, t: Target, doc, spec: dict) -> tuple[list, str]:
    table = next((tb for tb in doc.tables if tb.kind.value == spec.get("table")), None)
    if table is None or table.empty:
        return [], ""
    prefix = spec.get("prefix")
    rows = [r for r in table.rows if not r.is_total and (r.side or spec.get("side")) == spec.get("side")
            and (not prefix or (r.code and r.code.startswith(prefix) and r.code != prefix))]
    leaves = [r for r in rows if r.code and len(r.code) == 7]
    figures, seen = [], set()
    for row in leaves or rows:
        ref = row.code or row.name
        if ref in seen:
            continue  # two-sided tables list a code on each side
        seen.add(ref)
        cell = lookup_cell(ctx.catalog, CellQuery(unit=t.unit, year=t.year, table=table.kind.value, row=ref,
                                                  column=spec.get("column"), side=spec.get("side")))
        if not isinstance(cell, (NoData, Ambiguous)) and cell.figure.value != 0:
            figures.append((row.code or "", row.name, cell.figure))
    return figures, table.title


def answer_overview(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    if u.unknown_units:  # "给镇中心学校安排了多少": an organisation the document does not budget for
        return _no_data(ctx, u, t, ctx.lex.template("no_such_recipient", subject=ctx.subject(t),
                                                     name="、".join(u.unknown_units)))
    reply = ctx.reply()
    figs = {}
    for name in ("收入总计", "基本支出", "项目支出"):
        r = lookup_measure(ctx.catalog, MeasureQuery(unit=t.unit, year=t.year, measure=name))
        if not isinstance(r, (NoData, Ambiguous)):
            figs[name] = r.figure
    if "收入总计" not in figs:
        return _no_data(ctx, u, t, ctx.lex.template("no_total", subject=ctx.subject(t)))
    total = figs["收入总计"]
    reply.say("overview", subject=ctx.subject(t), total=fmt(total.value), vunit=total.unit,
              basic=fmt(figs["基本支出"].value) if "基本支出" in figs else "—",
              project=fmt(figs["项目支出"].value) if "项目支出" in figs else "—")
    reply.use(*figs.values())
    return reply.build("ok", ctx.context(u, "overview", [t]))


def _no_data(ctx: Ctx, u: Understanding, t: Target, message: str) -> Answer:
    reply = ctx.reply()
    reply.add_text(message)
    return reply.build("no_data", ctx.context(u, "no_data", [t]))


def say_missing(ctx: Ctx, reply: Reply, t: Target, miss: NoData | Ambiguous) -> None:
    """A typed absence in words: 本表无数据 / blank cell / not stated, with what is there."""
    if isinstance(miss, Ambiguous):
        reply.add_text(miss.message_zh)
        return
    text = miss.message_zh
    if miss.reason == "empty_table" and "本表无数据" not in text:
        text = text.rstrip("。") + "（该表注明“本表无数据”）。"
    reply.add_text(text)
    if miss.source is not None:
        reply.cite(miss.source)
