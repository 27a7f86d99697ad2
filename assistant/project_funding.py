"""Where a project's money comes from ("检验检测业务运行经费钱从哪来"): the document's own sentence
naming its source when there is one; otherwise its funding columns traced to their origin — a
政府性基金 part to the fund 科目 it is printed under (2296002 用于社会福利的彩票公益金支出), a part
outside 财政拨款 (单位资金, 其他资金) to the unit's income other than 财政拨款 (事业收入)."""
from __future__ import annotations

import re

from assistant.compose import money
from assistant.ctx import Ctx
from assistant.lexicon import norm
from assistant.targets import Target
from core.answer import Source
from core.model import Disclosure
from tools.codes import code_name
from tools.rank import rank_items
from tools.types import Ambiguous, NoData, ProjectResult, RankQuery


def say_funding_origin(ctx: Ctx, reply, t: Target, result: ProjectResult, codes: list[str]) -> None:
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return
    if _quote_source_sentence(ctx, reply, doc, result.names[0]) or _quote_source_column(reply, result):
        return
    labels = [(f.source.column or f.label).split("/")[-1] for r in result.rows for f in r.funding if f.value]
    fund = ctx.lex.pattern("fund_funding")
    if codes and any(fund.search(label) for label in labels):
        reply.say("project_fund_codes", codes="、".join(
            f"{c}（{code_name([doc], c) or '名称未列示'}）" for c in codes))
    fiscal = ctx.lex.pattern("fiscal_funding")
    if any(not fiscal.search(label) for label in labels):
        _say_other_income(ctx, reply, t, fiscal)


def _quote_source_sentence(ctx: Ctx, reply, doc: Disclosure, project: str) -> bool:
    """A sentence of the 情况说明 that names the project and says 资金来源为…, verbatim."""
    name = norm(project)
    source = ctx.lex.pattern("funding_source")
    for section in doc.sections:
        for sentence in re.split(r"(?<=[。；;\n])", section.text):
            if name in norm(sentence) and source.search(sentence):
                quote = sentence.strip().rstrip("。；;") + "。"
                reply.say("stated_sentence", sentence=quote)
                reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=section.title,
                                  page=section.location.page, line=section.location.line), quote=quote)
                return True
    return False


def _quote_source_column(reply, result: ProjectResult) -> bool:
    """The project table's own 资金来源 column, as printed."""
    noted = [r for r in result.rows if r.funding_note]
    for row in noted:
        reply.say("project_funding_note", name=row.name, note=row.funding_note)
        reply.cite(row.figure.source, quote=row.funding_note)
    return bool(noted)


def _say_other_income(ctx: Ctx, reply, t: Target, fiscal: re.Pattern) -> None:
    """The unit's income sources outside 财政拨款 with an amount (收支总表), its subtotals left out."""
    result = rank_items(ctx.catalog, RankQuery(unit=t.unit, year=t.year, what="income_sources", n=20))
    if isinstance(result, (NoData, Ambiguous)):
        return
    subtotal = ctx.lex.pattern("income_subtotal")
    rows = [r for r in result.rows if r.figure.value and not fiscal.search(r.name) and not subtotal.search(r.name)]
    if rows:
        reply.say("project_other_income", rows="、".join(r.name + money(r.figure) for r in rows))
        reply.use(*(r.figure for r in rows))
