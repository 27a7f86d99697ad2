"""Changes against last year and why: the narrative's stated change and reason (quoted), the
amounts from the tools, last year's value derived (推算) and labelled so."""
from __future__ import annotations

from assistant.compose import BUDGET_BASES, Reply, as_stated, differs, fmt, money, percent_change
from assistant.ctx import Ctx
from assistant.reply_facts import item_value, three_public_none, three_public_result
from assistant.reply_figures import state_measure
from assistant.sections import quote_section
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Figure, Source, Status
from tools.changes import stated_change
from tools.types import Ambiguous, ChangeQuery, ChangeResult, NoData

DEFAULT_SUBJECT = "income_total"


def change_keys(u: Understanding) -> list[str]:
    keys = [k for k in u.measures if not k.startswith(("assets.", "overview.")) and k != u.within]
    keys += [f"row:{r}" for r in u.rows]
    return keys[:4] or [DEFAULT_SUBJECT]


def _joined_paths(ctx: Ctx, t: Target, keys: list[str]) -> list[str]:
    """Several rows named together ("宣传事务的一般行政管理事务") mean the one 功能科目 item whose
    stated path has them all, when the narrative states such an item."""
    rows = [k.removeprefix("row:") for k in keys if k.startswith("row:")]
    doc = ctx.catalog.document(t.unit, t.year)
    if len(rows) < 2 or isinstance(doc, (NoData, Ambiguous)):
        return keys
    paths = [s.subject for s in doc.stated if all(r in s.subject.split("/") for r in rows)]
    if len(set(paths)) != 1:
        return keys
    return [k for k in keys if not k.startswith("row:")] + [f"row:{paths[0]}"]


def answer_change(ctx: Ctx, u: Understanding, t: Target, intent: str = "change") -> Answer:
    reply = ctx.reply()
    if u.has("asks_wording"):  # "“三公”经费增减变动原因说明是怎么写的": the section, as printed
        keys = change_keys(u)
        if keys and all(quote_section(ctx, reply, t, key) for key in keys):
            return reply.build("ok", ctx.context(u, intent, [t]))
        reply = ctx.reply()
    misses: list[str] = []
    stated_any = False
    for key in _joined_paths(ctx, t, change_keys(u)):
        if key == "three_public" or key.startswith("three_public."):
            found = _three_public_change(ctx, reply, u, t, key, intent)
        else:
            found = _stated_change(ctx, reply, u, t, key)
        if isinstance(found, str):
            misses.append(found)
        else:
            stated_any = stated_any or found
    for message in misses:
        reply.add_text(message)
    # the amount alone does not answer "比上年增加还是减少": without a stated change it is no_data
    status: Status = "ok" if reply.has_figures and (stated_any or intent != "change") else "no_data"
    return reply.build(status, ctx.context(u, intent, [t]))


def _stated_change(ctx: Ctx, reply: Reply, u: Understanding, t: Target, key: str) -> bool | str:
    result = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=ctx.tool_name(key)))
    if isinstance(result, (NoData, Ambiguous)):
        shown = state_measure(ctx, reply, u, t, key)
        message = ctx.lex.template("no_change_stated", subject=ctx.subject(t), label=ctx.label(key))
        if isinstance(shown, (NoData, Ambiguous)):
            return shown.message_zh
        reply.add_text(message)
        return False
    say_change(ctx, reply, t, ctx.label(key), result, u)
    return True


def say_change(ctx: Ctx, reply: Reply, t: Target, label: str, c: ChangeResult, u: Understanding,
               subject: str | None = None) -> None:
    """The change, this year's and last year's figure, the reason; `subject` names whose they are
    when not the target unit's (a member unit of a 部门)."""
    current = c.current or c.table_current
    vunit = current.unit if current else (c.change.unit if c.change else "万元")
    change_text = percent_change(reply, c.change, c.change_percent, c.direction, vunit, c.base)
    subject = subject or ctx.subject(t)
    if current is not None:
        reply.say("change_line", subject=subject, label=label, value=fmt(current.value), vunit=vunit,
                  change=change_text)
    else:
        reply.say("change_only", subject=subject, label=label, change=change_text)
    reply.use(current, as_stated(c.change, label, c.direction), as_stated(c.change_percent, label, c.direction))
    prior_label = c.via or label  # last year's figure is of what the text states the change for
    if c.prior is not None and not c.prior.source.derived:
        reply.say("prior_stated", prior_year=t.year - 1, label=prior_label,
                  base_word=(c.base or "上年").removeprefix("上年") or "预算", prior=fmt(c.prior.value),
                  vunit=c.prior.unit)
        reply.use(c.prior)
    elif c.prior is not None:
        if c.base in BUDGET_BASES:
            reply.say("prior", prior_year=t.year - 1, label=prior_label, prior=fmt(c.prior.value), vunit=c.prior.unit,
                      formula=_formula(current, c))
        else:  # "比2024年预算执行数增加…": what is derived is that base, not last year's budget
            reply.say("prior_base", prior_year=t.year - 1, label=prior_label, base_word=c.base.removeprefix("上年"),
                      prior=fmt(c.prior.value), vunit=c.prior.unit, formula=_formula(current, c))
        reply.use(c.prior)
        if c.change_percent is None and c.change is not None and c.change.value and c.prior.value:
            rate = abs(c.change.value) / abs(c.prior.value) * 100
            reply.say("prior_percent", direction="增幅" if c.change.value > 0 else "降幅",
                      percent=fmt(round(rate, 2)), change=fmt(abs(c.change.value)), prior=fmt(c.prior.value))
    if c.via:
        reply.say("change_via", subject=c.via, label=label)
    if c.reason:
        reply.say("reason", reason=_sentence_end(c.reason))
        if c.reason_source is not None:
            reply.cite(c.reason_source, quote=c.reason)
    elif u.has("reason"):
        _items_with_reasons(ctx, reply, t, c)
    reply.cite(_source_of(c), quote=c.sentence)
    if c.percent_check:
        reply.disagree(c.percent_check)
    if c.table_current is not None and c.current is not None and differs(c.current.value, c.table_current.value):
        reply.disagree(reply.t("table_vs_text", label=label, stated=money(c.current), table=money(c.table_current)))


ITEM_LINES = 12  # how far below a total its 其中 items may be printed


def _items_with_reasons(ctx: Ctx, reply: Reply, t: Target, c: ChangeResult) -> None:
    """"政府性基金为啥增加了": a total stated without a reason of its own, and the 功能科目 items
    under it (其中：A…增加原因是…；B…) with theirs."""
    doc = ctx.document(t)
    stated = getattr(doc, "stated", [])
    whole = next((s for s in stated if s.sentence == c.sentence), None)
    if whole is None:
        return
    lines = []
    for item in stated:
        if (item is whole or item.section != whole.section or not item.reason or "/" not in item.subject
                or not whole.location.line <= item.location.line <= whole.location.line + ITEM_LINES):
            continue
        r = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=item.subject))
        value = r.current or r.table_current if isinstance(r, ChangeResult) else None
        if value is None or not isinstance(r, ChangeResult):
            continue
        label = item.subject.split("/")[-1]
        change = percent_change(reply, r.change, r.change_percent, r.direction, value.unit)
        lines.append(reply.t("item_change", label=label, value=fmt(value.value), vunit=value.unit, change=change,
                             reason=reply.t("item_reason", reason=_strip_reason_lead(item.reason))))
        reply.use(value, as_stated(r.change, label, r.direction))
    if lines:
        reply.say("parts", parts="；".join(lines))


def _formula(current: Figure | None, c: ChangeResult) -> str:
    if current is None or c.change is None or c.change.value == 0:
        return f"与上年相同，即{fmt(c.prior.value if c.prior is not None else None)}"
    sign = "−" if c.change.value >= 0 else "+"
    return f"{fmt(current.value)}{sign}{fmt(abs(c.change.value))}"


def _strip_reason_lead(text: str) -> str:
    text = text.strip().rstrip("。；;，,")
    for lead in ("主要原因是", "原因是", "主要原因：", "原因："):
        if text.startswith(lead):
            return text[len(lead):]
    return text


def _sentence_end(text: str) -> str:
    text = text.strip().rstrip("；;，,")
    return text if text.endswith("。") else text + "。"


def _source_of(c: ChangeResult) -> Source:
    for fig in (c.change, c.current, c.change_percent):
        if fig is not None and not fig.source.derived:
            return fig.source
    derived = c.current or c.change
    if derived is None:  # only a derived percent: nothing to cite (ask() answers internal_error)
        raise ValueError(f"stated change of {c.subject} has no amount to cite")
    return derived.source


def _three_public_change(ctx: Ctx, reply: Reply, u: Understanding, t: Target, key: str, intent: str) -> bool | str:
    result = three_public_result(ctx, t)
    if isinstance(result, (NoData, Ambiguous)):
        return result.message_zh
    if not result.has_three_public:
        return three_public_none(ctx, t, result).message_zh
    if key == "three_public":
        if result.total_change is not None:
            say_change(ctx, reply, t, "“三公”经费预算", result.total_change, u)
        else:
            reply.say("figure", subject=ctx.subject(t), label="“三公”经费预算", value=fmt(result.total.value),
                      vunit=result.total.unit)
            reply.use(result.total)
        if intent == "narrative" or u.has("breakdown"):
            lines = [_item_line(ctx, reply, i) for i in result.items]
            reply.say("parts", parts="；".join(x for x in lines if x))
        return True
    item = next((i for i in result.items if i.item == ctx.tool_name(key)), None)
    if item is None or (item.change is None and item.direction is None):
        shown = state_measure(ctx, reply, u, t, key)
        if isinstance(shown, (NoData, Ambiguous)):
            return shown.message_zh
        reply.add_text(ctx.lex.template("no_change_stated", subject=ctx.subject(t), label=ctx.tool_name(key)))
        return False
    c = ChangeResult(subject=item.item, current=item_value(item), change=item.change,
                     change_percent=item.change_percent, direction=item.direction, prior=item.prior,
                     reason=item.reason, sentence=item.reason or "")
    say_change(ctx, reply, t, item.item, c, u)
    return True


def _item_line(ctx: Ctx, reply: Reply, item) -> str:
    value = item_value(item)
    if value is None:
        return ""
    change = percent_change(reply, item.change, item.change_percent, item.direction, value.unit)
    reason = ctx.lex.template("item_reason", reason=_strip_reason_lead(item.reason)) if item.reason else ""
    reply.use(value, as_stated(item.change, item.item, item.direction), item.prior)
    return ctx.lex.template("item_change", label=item.item, value=fmt(value.value), vunit=value.unit,
                            change=change, reason=reason)


def answer_prior_year(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    """A question about the year before a held document: only what its stated changes imply."""
    reply = ctx.reply()
    prior_year = t.year - 1
    for key in _joined_paths(ctx, t, change_keys(u)):
        if key == "three_public" or key.startswith("three_public."):
            result = three_public_result(ctx, t)
            c = None
            if not isinstance(result, (NoData, Ambiguous)) and result.has_three_public:
                if key == "three_public":
                    c = result.total_change
                else:
                    item = next((i for i in result.items if i.item == ctx.tool_name(key)), None)
                    if item is not None and item.prior is not None:
                        c = ChangeResult(subject=item.item, current=item_value(item), change=item.change,
                                         change_percent=item.change_percent, direction=item.direction,
                                         prior=item.prior, reason=item.reason, sentence=item.reason or "")
        else:
            c = stated_change(ctx.catalog, ChangeQuery(unit=t.unit, year=t.year, subject=ctx.tool_name(key)))
        if not isinstance(c, ChangeResult) or c.prior is None:
            continue
        current = c.current or c.table_current
        reply.say("prior_only", unit=t.unit, prior_year=prior_year, year=t.year, label=ctx.label(key),
                  prior=fmt(c.prior.value), vunit=c.prior.unit, formula=_formula(current, c))
        reply.use(c.prior, current, as_stated(c.change, ctx.label(key), c.direction))
        reply.cite(_source_of(c), quote=c.sentence)
    if reply.has_figures:
        return reply.build("ok", ctx.context(u, "change", [t]))
    held = "、".join(f"{y}年" for y in ctx.catalog.years(t.unit))
    reply.say("no_year", unit=t.unit, held=held, year=prior_year)
    return reply.build("out_of_scope", ctx.context(u, "out_of_scope", [t]), sources=False)


__all__ = ["answer_change", "answer_prior_year", "say_change"]
