"""科目编码 and 名词解释: what a code or a term means, with its amount or its definition."""
from __future__ import annotations

import re

from assistant.compose import fmt
from assistant.ctx import Ctx
from assistant.lexicon import load_lexicon, norm
from assistant.reply_changes import say_change
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer
from core.model import TableKind
from tools.changes import stated_change
from tools.codes import explain_code
from tools.terms import define_term
from tools.types import Ambiguous, ChangeQuery, CodeQuery, NoData, TermQuery

MAX_CHILDREN_SAID = 6  # a 类 of many 款 is not listed whole


def answer_code(ctx: Ctx, u: Understanding, t: Target | None) -> Answer:
    reply = ctx.reply()
    query = u.code or (u.rows[0] if u.rows else (u.quoted[0] if u.quoted else ""))
    result = explain_code(ctx.catalog, CodeQuery(code_or_name=query, unit=t.unit if t else None,
                                                 year=t.year if t else None))
    targets = [t] if t else []
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "code", targets))
    path = " > ".join(f"{lv.level}{lv.code} {lv.name or ''}".strip() for lv in result.path)
    amount = _asked_amount(u, result.amounts)
    subject = f"{amount.source.unit}{amount.source.year}年" if amount else ""
    if amount is None:
        reply.say("code_no_amount", code=result.code, name=result.name, path=path)
    elif u.code:
        reply.say("code_hit", code=result.code, name=result.name, path=path, subject=subject,
                  value=fmt(amount.value), vunit=amount.unit)
    else:
        reply.say("code_by_name", code=result.code, name=result.name, path=path, subject=subject,
                  value=fmt(amount.value), vunit=amount.unit)
    reply.use(*([amount] if amount is not None else []), *result.amounts[:3])
    others = list({a.source.document: a for a in reversed(result.amounts)
                   if amount and a.source.document != amount.source.document}.values())[::-1] if not t else []
    if others:
        reply.add_text("其他单位：" + "；".join(f"{a.source.unit}{a.source.year}年{fmt(a.value)}{a.unit}"
                                              for a in others) + "。")
        reply.use(*others)
    if result.children and not u.code and len(result.children) <= MAX_CHILDREN_SAID:
        reply.say("code_children", level=result.children[0].level,
                  codes="、".join(f"{c.code} {c.name}" for c in result.children))
    if result.other_codes:
        reply.add_text("其他名称相近的科目：" + "、".join(f"{c.code} {c.name}" for c in result.other_codes[:5]) + "。")
    if t and result.name and (u.has("change") or u.has("reason")):
        _say_code_change(ctx, reply, u, t, result.name)
    return reply.build("ok", ctx.context(u, "code", targets))


def _asked_amount(u: Understanding, amounts: list):
    """The first amount, or — when the question narrows to 财政拨款 / 一般公共预算 — the first from
    the 一般公共预算支出表 (the 支出总表 also counts 事业收入)."""
    if load_lexicon().pattern("general_budget_only").search(u.text):
        general = [a for a in amounts if a.source.table == TableKind.general_budget_expenditure.value]
        if general:
            return general[0]
    return amounts[0] if amounts else None


def _say_code_change(ctx: Ctx, reply, u: Understanding, t: Target, name: str) -> None:
    """"…2060404…和去年比有变化吗": the 编制说明's change for that 科目, when it states one."""
    change = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=name))
    if isinstance(change, (NoData, Ambiguous)):
        reply.add_text(ctx.lex.template("no_change_stated", subject=ctx.subject(t), label=name))
        return
    say_change(ctx, reply, t, name, change, u)


def answer_glossary(ctx: Ctx, u: Understanding, t: Target | None) -> Answer:
    reply = ctx.reply()
    term = next((q for q in u.quoted if q in {n.replace('"', "") for n in map(norm, u.terms)}), None) \
        or (u.terms[0] if u.terms else (u.quoted[0] if u.quoted else ctx.label(u.measures[0]) if u.measures else ""))
    parent = ctx.names.parent_term(term) if term else None
    result = define_term(ctx.catalog, TermQuery(term=parent or term, unit=t.unit if t else None,
                                                year=t.year if t else None))
    targets = [t] if t else []
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        if isinstance(result, NoData) and result.available:
            reply.add_text("名词解释收录的词条有：" + "、".join(result.available) + "。")
        return reply.build("no_data", ctx.context(u, "glossary", targets))
    d = result.definitions[0]
    if not u.terms and not _same_name(term, d.term):
        # a name the glossaries do not hold ("政府采购"): no near term stands in for it
        reply.say("term_not_held", term=term)
        available = sorted({g.term for doc in _documents(ctx, t) for g in doc.glossary})
        if available:
            reply.say("terms_available", terms="、".join(available))
        return reply.build("no_data", ctx.context(u, "glossary", targets))
    clause = _clause(d.definition, term) if parent else None
    if clause:
        reply.say("subterm", unit=d.unit, year=d.year, term=term, parent=d.term.strip("：:"), definition=clause)
        reply.cite(d.source, quote=clause)
        return reply.build("ok", ctx.context(u, "glossary", targets))
    reply.say("term", unit=d.unit, year=d.year, term=d.term.strip("：:"), definition=d.definition)
    reply.cite(d.source, quote=d.definition)
    if result.differs and not t:
        reply.say("term_differs")
    return reply.build("ok", ctx.context(u, "glossary", targets))


def _clause(definition: str, term: str) -> str | None:
    """The clause of a definition that defines `term` ("公务用车购置费反映……支出")."""
    return next((c.strip() for c in re.split(r"[；;。]|其中[：:]", definition) if c.strip().startswith(term)), None)


def _same_name(asked: str, held: str) -> bool:
    a, h = norm(asked), norm(held).rstrip("：:")
    return bool(a) and (a in h or h in a)


def _documents(ctx: Ctx, t: Target | None) -> list:
    docs = ctx.catalog.documents_for(t.unit if t else None, t.year if t else None)
    return docs if isinstance(docs, list) else []
