"""Shares: stated by the document, else computed and labelled 推算.
(Comparisons across units: assistant/reply_compare.py; rankings: assistant/reply_rank.py.)"""
from __future__ import annotations

from assistant.compose import Reply, fmt
from assistant.ctx import Ctx
from assistant.lexicon import load_lexicon
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer
from tools.shares import compute_share
from tools.types import Ambiguous, Figure, NoData, ShareQuery, ShareResult


def _whole_and_candidates(u: Understanding) -> tuple[str | None, list[str]]:
    whole_key = u.share_whole if u.share_whole != "@parent" else None
    if whole_key is None and u.within and u.within not in (u.share_whole,):
        whole_key = u.within
    if whole_key is None and u.share_whole is None:
        whole_key = _named_parent(u.measures)  # "政府采购预算多少？服务类占了多少": of 政府采购
    return whole_key, [k for k in u.measures if k != whole_key and k != u.within]


def _named_parent(keys: list[str]) -> str | None:
    """A measure named together with one of its parts: the whole the part is a share of."""
    lex = load_lexicon()
    return next((k for k in keys if any(k != o and k in lex.parent_chain(o) for o in keys)), None)


def share_parts(ctx: Ctx, u: Understanding) -> tuple[str | None, str | None]:
    """(part, whole) as the tools name them. The whole: 占X的…, A中B…, or the part's parent."""
    whole_key, candidates = _whole_and_candidates(u)
    part_key = None
    if u.projects:
        part = u.projects[0] if len(u.projects) == 1 else u.project_words
    elif candidates:
        part_key = candidates[0]
        part = ctx.tool_name(part_key)
    elif u.rows:
        part = u.rows[0]
    else:
        return None, None
    if u.share_whole == "@parent" and part_key:
        whole_key = ctx.parent(part_key)
    if whole_key is None and u.projects:
        whole_key = "current_projects"
    return part, ctx.tool_name(whole_key) if whole_key else None


def answer_share(ctx: Ctx, u: Understanding, t: Target) -> Answer:
    reply = ctx.reply()
    whole_key, candidates = _whole_and_candidates(u)
    if len(candidates) >= 2 and not u.projects:
        # "基本支出和项目支出各占多少": without a whole named, each part's usual whole, when they share it
        answer = answer_shares_of_parts(ctx, u, t, whole_key, candidates)
        if answer is not None:
            return answer
    part, whole = share_parts(ctx, u)
    if part is None:
        reply.say("not_understood")
        return reply.build("no_data", ctx.context(u, "share", [t]), sources=False)
    result = compute_share(ctx.catalog, ShareQuery(unit=t.unit, year=t.year, part=part, whole=whole))
    if isinstance(result, (NoData, Ambiguous)):
        reply.add_text(result.message_zh)
        return reply.build("no_data", ctx.context(u, "share", [t]))
    p, w = result.part, result.whole
    if result.stated is not None:
        reply.say("share_stated", subject=ctx.subject(t), part_label=p.label, part=fmt(p.value), vunit=p.unit,
                  whole_label=w.label, whole=fmt(w.value), percent=fmt(result.stated.value))
        reply.use(p, w, result.stated)
        if result.agrees is False:
            reply.disagree(reply.t("share_disagree", computed=fmt(result.computed.value),
                                   stated=fmt(result.stated.value)))
            reply.use(result.computed)
    else:
        reply.say("share_computed", subject=ctx.subject(t), part_label=p.label, part=fmt(p.value), vunit=p.unit,
                  whole_label=w.label, whole=fmt(w.value), percent=fmt(result.computed.value))
        reply.use(p, w, result.computed)
        _stated_of_default_whole(ctx, reply, t, part, w)
    if result.stated is not None and result.stated_sentence:  # a sentence comes with its stated share
        reply.cite(result.stated.source, quote=result.stated_sentence)
    return reply.build("ok", ctx.context(u, "share", [t]))


def _stated_of_default_whole(ctx: Ctx, reply: Reply, t: Target, part: str, asked_whole: Figure) -> None:
    """"今年收入里X占多大比重": computed against the whole asked, and the share the document states
    of its own whole (收入预算) beside it, since a reader may mean either."""
    usual = compute_share(ctx.catalog, ShareQuery(unit=t.unit, year=t.year, part=part, whole=None))
    if not isinstance(usual, ShareResult) or usual.stated is None or usual.whole.value == asked_whole.value:
        return
    w = usual.whole
    reply.say("share_stated_other_whole", part_label=usual.part.label, whole_label=w.label, whole=fmt(w.value),
              vunit=w.unit, percent=fmt(usual.stated.value))
    reply.use(usual.part, w, usual.stated)
    if usual.stated_sentence:
        reply.cite(usual.stated.source, quote=usual.stated_sentence)


def answer_shares_of_parts(ctx: Ctx, u: Understanding, t: Target, whole_key: str | None,
                           part_keys: list[str]) -> Answer | None:
    """"政府采购预算有多少？货物、工程、服务各占多少？": the whole, then each part with its share.
    Without a whole named, the tools' usual whole of each part; None when the parts' wholes differ."""
    reply = ctx.reply()
    whole = ctx.tool_name(whole_key) if whole_key else None
    results: list[ShareResult] = []
    misses: list[NoData | Ambiguous] = []
    for key in part_keys:
        result = compute_share(ctx.catalog, ShareQuery(unit=t.unit, year=t.year, part=ctx.tool_name(key), whole=whole))
        if isinstance(result, (NoData, Ambiguous)):
            misses.append(result)
        else:
            results.append(result)
    if whole is None and (misses or len({(r.whole.label, r.whole.value) for r in results}) != 1):
        return None
    if not results:
        for miss in misses:
            reply.add_text(miss.message_zh)
        return reply.build("no_data", ctx.context(u, "share", [t]))
    w = results[0].whole
    lines = []
    for r in results:
        p = r.part
        if r.stated is not None:
            lines.append(reply.t("share_part_stated", part_label=p.label, part=fmt(p.value), vunit=p.unit,
                                 percent=fmt(r.stated.value)))
            reply.use(p, r.stated)
            if r.stated_sentence:
                reply.cite(r.stated.source, quote=r.stated_sentence)
        else:
            lines.append(reply.t("share_part_computed", part_label=p.label, part=fmt(p.value), vunit=p.unit,
                                 percent=fmt(r.computed.value)))
            reply.use(p, r.computed)
    reply.use(w)
    reply.say("share_parts", subject=ctx.subject(t), whole_label=w.label, whole=fmt(w.value), vunit=w.unit,
              parts="；".join(lines))
    if any(r.stated is None for r in results):
        reply.say("share_parts_note", whole_label=w.label)
    for miss in misses:
        reply.add_text(miss.message_zh)
    return reply.build("ok", ctx.context(u, "share", [t]))
