"""Figures the narrative states (三公 items with the table, 政府采购, 国有资产, 绩效管理, 概况
facts) and the project list of a table, said into a Reply; the figures come from the tools."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from assistant.compose import Reply, fmt, money
from assistant.ctx import Ctx
from assistant.targets import Target
from core.answer import Figure
from core.model import TableKind
from parsing.tables import strip_ordinal
from tools.facts import performance_summary, procurement
from tools.facts import state_assets as assets_tool
from tools.figures import lookup_measure
from tools.lookup import derived_source, doc_source
from tools.members import is_own_level
from tools.projects import project_items
from tools.rank import rank_items
from tools.three_public import three_public
from tools.types import Ambiguous, AssetsQuery, DocQuery, MeasureQuery, NoData, RankQuery, ThreePublicQuery, VerifyQuery
from tools.verify import verify_figure


def state_project_list(ctx: Ctx, reply: Reply, t: Target, what: str, limit: int = 10,
                       member: str | None = None) -> None:
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what=what, n=limit, member=member))
    if isinstance(result, (NoData, Ambiguous)):
        return
    more = f"等{result.count}个" if result.count > limit else ""
    reply.say("table_rows", title=result.what,
              rows="；".join(f"{r.name} {money(r.figure)}" for r in result.rows) + more)
    reply.use(*(r.figure for r in result.rows))


def money_label(fig: Figure) -> str:
    return f"{fig.label}{money(fig)}"


def note_verification(ctx: Ctx, reply: Reply, t: Target, key: str) -> None:
    result = verify_figure(ctx.catalog, VerifyQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(key)))
    if getattr(result, "status", None) == "不一致":
        reply.disagree(result.message_zh)


# ---- 三公, 政府采购 ---------------------------------------------------------------------------


def three_public_result(ctx: Ctx, t: Target):
    return three_public(ctx.catalog, ThreePublicQuery(unit=t.unit, year=t.year))


def item_value(item) -> Figure | None:
    """An item's amount: the table cell, else the narrative's (a blank cell the text calls 0)."""
    return item.current or item.stated


def state_three_public(ctx: Ctx, reply: Reply, t: Target, key: str) -> set[str] | NoData | Ambiguous:
    result = three_public_result(ctx, t)
    if isinstance(result, (NoData, Ambiguous)):
        return result
    if not result.has_three_public:
        return three_public_none(ctx, t, result)
    if key == "three_public":
        total = result.total
        reply.say("figure", subject=ctx.subject(t), label="“三公”经费预算", value=fmt(total.value), vunit=total.unit)
        reply.use(total)
        top_names = {ctx.tool_name(k) for k, m in ctx.lex.measures.items() if m.parent == "three_public"}
        top = [i for i in result.items if i.item in top_names]
        valued = [(i, v) for i in top if (v := item_value(i)) is not None and v.value != 0]
        with_value = [i for i, _ in valued]
        empty = [i.item for i in top if i not in with_value]
        if with_value:
            reply.lines[-1] = reply.lines[-1].rstrip("。") + "，"
            reply.say("parts", parts="、".join(f"{i.item}{money(v)}" + _children(result, i)
                                               for i, v in valued))
            reply.use(*(v for _, v in valued))
        if empty:
            reply.say("blank_parts", labels="、".join(empty))
        note_verification(ctx, reply, t, "three_public")
        return {"“三公”经费", "三公经费", *(i.item for i in result.items)}
    name = ctx.tool_name(key)
    item = next((i for i in result.items if i.item == name), None)
    value = item_value(item) if item else None
    if item is None or value is None:
        return NoData(reason="blank", unit=t.unit, year=t.year,
                      message_zh=ctx.lex.template("blank", subject=ctx.subject(t), label=name))
    reply.say("figure", subject=ctx.subject(t), label=name, value=fmt(value.value), vunit=value.unit)
    reply.use(value)
    children = [(i, v) for i in result.items if i.item in item.children and (v := item_value(i)) is not None]
    if children:
        reply.lines[-1] = reply.lines[-1].rstrip("。") + "，"
        reply.say("parts", parts="、".join(f"{c.item}{money(v)}" for c, v in children))
        reply.use(*(v for _, v in children))
    return {name, *(c.item for c, _ in children)}


def _children(result, item) -> str:
    kids = [(i, v) for i in result.items if i.item in item.children and (v := item_value(i)) is not None]
    if not kids:
        return ""
    return "（" + "、".join(f"{k.item}{money(v)}" for k, v in kids) + "）"


def three_public_none(ctx: Ctx, t: Target, result) -> NoData:
    text = ""
    if result.total is None:
        text = ctx.lex.template("empty_table", subject=ctx.subject(t), title="“三公”经费支出预算表",
                                label="“三公”经费预算")
    if result.none_sentence:
        text += ctx.lex.template("none_sentence", sentence=result.none_sentence)
    return NoData(reason="empty_table", unit=t.unit, year=t.year, message_zh=text or "没有“三公”经费预算。",
                  source=result.source)


PROCUREMENT_FIELDS = {"procurement": "total", "procurement.goods": "goods", "procurement.works": "works",
                      "procurement.services": "services", "procurement.sme": "sme_reserved",
                      "procurement.small_micro": "small_micro_reserved"}


def procurement_result(ctx: Ctx, t: Target):
    return procurement(ctx.catalog, DocQuery(unit=t.unit, year=t.year))


def state_procurement(ctx: Ctx, reply: Reply, t: Target, key: str) -> set[str] | NoData | Ambiguous:
    result = procurement_result(ctx, t)
    if isinstance(result, (NoData, Ambiguous)):
        return result
    fig = getattr(result, PROCUREMENT_FIELDS[key])
    if fig is None:
        return NoData(reason="not_stated", unit=t.unit, year=t.year,
                      message_zh=ctx.lex.template("not_stated", subject=ctx.subject(t), what=ctx.label(key)))
    reply.say("figure", subject=ctx.subject(t), label=fig.label, value=fmt(fig.value), vunit=fig.unit)
    reply.use(fig)
    reply.cite(result.source, quote=result.sentence)
    if key == "procurement":
        parts = [p for p in (result.goods, result.works, result.services) if p is not None]
        if parts:
            reply.lines[-1] = reply.lines[-1].rstrip("。") + "，"
            reply.say("parts", parts="、".join(money_label(p) for p in parts))
            reply.use(*parts)
        if result.agrees is False and result.parts_sum is not None:
            reply.disagree(reply.t("parts_sum_disagree", parts="、".join(p.label for p in parts),
                                   sum=money(result.parts_sum), total=money(fig)))
        return {"政府采购", *(p.label for p in parts)}
    return {fig.label}


# ---- counts: 国有资产, 绩效管理, 概况 -------------------------------------------------------------


def state_count(ctx: Ctx, reply: Reply, t: Target, key: str) -> set[str] | NoData | Ambiguous:
    if key.startswith("performance."):
        return state_performance(ctx, reply, t, key)
    if key.startswith("assets."):
        return state_assets(ctx, reply, t, key)
    return state_overview_fact(ctx, reply, t, key)


def state_performance(ctx: Ctx, reply: Reply, t: Target, key: str):
    result = performance_summary(ctx.catalog, DocQuery(unit=t.unit, year=t.year))
    if isinstance(result, (NoData, Ambiguous)):
        # "一共几个项目？其中特定目标类的有几个": no 绩效 section says; the project table counts them
        return _counted_projects(ctx, reply, t) or result
    if result.project_count is not None or result.amount is not None:
        reply.say("performance", subject=ctx.subject(t),
                  count=fmt(result.project_count.value) if result.project_count else "若干",
                  amount=fmt(result.amount.value) if result.amount else "",
                  vunit=result.amount.unit if result.amount else "")
        reply.use(result.project_count, result.amount)
    if result.published_count is not None:  # "重点公开了几个"
        reply.say("performance_published", count=fmt(result.published_count.value),
                  amount=f"，涉及{money(result.published_amount)}" if result.published_amount else "")
        reply.use(result.published_count, result.published_amount)
    parts = []
    for c in result.categories:
        count, amount = c.get("count"), c.get("amount")
        parts.append(ctx.lex.template("performance_category", category=c["category"],
                                      count=fmt(count.value) if count else "—",
                                      amount=fmt(amount.value) if amount else "—",
                                      vunit=amount.unit if amount else ""))
        reply.use(count, amount)
    if parts:
        reply.say("parts", parts="；".join(parts))
    reply.cite(result.source, quote=result.sentence)
    if not reply.has_figures:
        return NoData(reason="not_stated", unit=t.unit, year=t.year,
                      message_zh=ctx.lex.template("not_stated", subject=ctx.subject(t), what="绩效管理项目数"))
    return ({k for k in ctx.lex.measures if k.startswith("performance.")}
            | {ctx.label(k) for k in ctx.lex.measures if k.startswith("performance.")})


def _counted_projects(ctx: Ctx, reply: Reply, t: Target) -> set[str] | None:
    """This year's projects of the project table, counted, with their total and the count of each
    项目类型 the table prints (其他运转类 / 特定目标类)."""
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)) or (table := doc.table(TableKind.projects_current)) is None:
        return None
    rows = project_items(doc, table)
    ranked = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what="projects", n=1))
    if not rows or isinstance(ranked, (NoData, Ambiguous)):
        return None
    title = strip_ordinal(table.title)
    kinds = Counter(text for r in rows for text in r.texts.values() if PROJECT_KIND.fullmatch(text))
    count = Figure(label=f"{title}所列项目个数", value=Decimal(len(rows)), unit="个",
                   source=derived_source(doc, f"推算：{title}所列项目逐个计数", table=table.kind.value))
    reply.say("projects_counted", subject=ctx.subject(t), title=title, count=len(rows),
              total=f"，合计{money(ranked.total)}" if ranked.total else "",
              kinds="，其中" + "、".join(f"{k}{n}个" for k, n in kinds.items()) if kinds else "")
    reply.use(count, ranked.total)
    keys = {k for k in ctx.lex.measures if k.startswith("performance.")}
    return keys | {ctx.label(k) for k in keys}


NO_PURCHASE = re.compile(r"(?:未|不|没有)安排(?:购置|购买|新增)(?:公务用?)?车")
PROJECT_KIND = re.compile(r"[\u4e00-\u9fff]{2,6}类")  # a 项目类型 cell: 其他运转类, 特定目标类


def state_assets(ctx: Ctx, reply: Reply, t: Target, key: str):
    result = assets_tool(ctx.catalog, AssetsQuery(unit=t.unit, year=t.year))
    if isinstance(result, (NoData, Ambiguous)):
        return result
    as_of = result.as_of or ctx.lex.template("as_of_unknown")
    if key == "assets.vehicles":
        if result.vehicles_quota is not None:
            actual = fmt(result.vehicles_actual.value) if result.vehicles_actual else "（未写明）"
            text = ctx.lex.template("vehicles", as_of=as_of, unit=t.unit, quota=fmt(result.vehicles_quota.value),
                                    actual=actual)
        elif result.vehicles_actual is not None:  # many layouts state only the vehicles held
            text = ctx.lex.template("vehicles_actual_only", as_of=as_of, unit=t.unit,
                                    actual=fmt(result.vehicles_actual.value))
        else:
            return NoData(reason="not_stated", unit=t.unit, year=t.year,
                          message_zh=ctx.lex.template("not_stated", subject=ctx.subject(t), what="公务用车数量"))
        types = [f for f in result.vehicles_by_type if f.value != 0]
        if types:
            text += ctx.lex.template("vehicles_types",
                                     types="、".join(f"{f.label}{fmt(f.value)}{f.unit}" for f in types))
        if result.planned_vehicles is not None:
            text += "；" + ctx.lex.template("vehicles_planned", year=t.year, count=fmt(result.planned_vehicles.value))
        elif (none := next((c for s in result.sentences for c in re.split(r"[，,；;。]", s)
                            if NO_PURCHASE.search(c)), None)):
            text += f"；原文：{none}"  # "2026年部门预算未安排购置车辆"
        reply.add_text(text + "。")
        reply.use(result.vehicles_quota, result.vehicles_actual, *types, result.planned_vehicles)
    elif key == "assets.office_area":
        if result.office_area is None:
            return NoData(reason="not_stated", unit=t.unit, year=t.year,
                          message_zh=ctx.lex.template("not_stated", subject=ctx.subject(t), what="办公用房面积"))
        reply.say("office_area", as_of=as_of, unit=t.unit, area=fmt(result.office_area.value))
        reply.use(result.office_area)
    else:
        if not result.equipment:
            return NoData(reason="not_stated", unit=t.unit, year=t.year,
                          message_zh=ctx.lex.template("not_stated", subject=ctx.subject(t), what="大额设备情况"))
        reply.say("equipment", as_of=as_of, unit=t.unit,
                  items="、".join(f"{f.label}{fmt(f.value)}{f.unit}" for f in result.equipment))
        reply.use(*result.equipment)
    reply.cite(result.source, quote="".join(result.sentences)[:200] or None)
    return {key}


def state_overview_fact(ctx: Ctx, reply: Reply, t: Target, key: str):
    result = lookup_measure(ctx.catalog, MeasureQuery(unit=t.unit, year=t.year, measure=ctx.tool_name(key)))
    listed = _member_units(ctx, reply, t) if key == "overview.subunits" else False
    if isinstance(result, (NoData, Ambiguous)):
        return {key} if listed else result
    fig = result.figure
    template = "overview_none" if fig.value == 0 else "overview_fact"
    reply.add_text(ctx.lex.template(template, unit=t.unit, label=ctx.label(key), value=fmt(fig.value),
                                    vunit=fig.unit) + "。")
    reply.use(fig)
    return {key}


def _member_units(ctx: Ctx, reply: Reply, t: Target) -> bool:
    """A 部门 document's list of its units (机构设置), said with its place."""
    doc = ctx.catalog.document(t.unit, t.year)
    if isinstance(doc, (NoData, Ambiguous)) or not doc.member_units:
        return False
    reply.add_text(ctx.lex.template("member_units", unit=doc.unit, year=doc.year, count=len(doc.member_units),
                                    names="、".join(doc.member_units)) + "。")
    loc = doc.overview.location
    where = dict(section="机构设置", row="部门预算单位构成", page=loc.page if loc else None,
                 line=loc.line if loc else None)
    count = Figure(label="部门预算列示的预算单位数", value=Decimal(len(doc.member_units)), unit="个",
                   source=derived_source(doc, "推算：机构设置中列示的单位名称个数", **where))
    reply.use(count)
    own = [m for m in doc.member_units if is_own_level(m, doc.unit)]
    if len(own) == 1 and len(doc.member_units) > 1:  # "下属事业单位几个": the units besides the 本级
        reply.add_text(ctx.lex.template("member_units_own", own=own[0], count=len(doc.member_units) - 1) + "。")
        reply.use(Figure(label="部门所属下属单位数", value=Decimal(len(doc.member_units) - 1), unit="个",
                         source=derived_source(doc, "推算：列示的单位个数减部门本级1个", **where)))
    reply.cite(doc_source(doc, **where))
    return True
