"""Counts the documents state in words ("下设…等8个市场监督管理所作为派出机构"), for questions
about things no table or measure counts ("下面有几个市场监管所"): the sentence that states the
number, quoted from the 概况, the 情况说明 or a project's 项目概况, with the number as printed."""
from __future__ import annotations

import re

from assistant.compose import Reply, joined
from assistant.ctx import Ctx
from assistant.reply_figures import answer_figures
from assistant.targets import Target
from assistant.understand import Understanding
from core.answer import Answer, Source
from core.model import Disclosure
from core.text import chars_in_order
from tools.types import Ambiguous, NoData

# "几个市场监管所", "多少家企业": the classifier and the noun counted; or the noun first: "在校生一共多少人"
COUNTED = re.compile(r"(?:几|多少)(?P<classifier>[个家所辆名人项处座台套条])(?P<noun>[\u4e00-\u9fff]{2,10})")
COUNTED_AFTER = re.compile(r"(?:^|[，,？?。；;])(?P<noun>[\u4e00-\u9fff]{2,8}?)(?:一共|总共|共计|合计|共)?(?:有)?"
                           r"(?:几|多少)(?P<classifier>[个家名人位])(?![\u4e00-\u9fff])")
QUESTION_TAIL = re.compile(r"(?:呢|啊|吗|呀|了|的|分别是|都是|是什么|是啥|有哪些)+$")
NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|[一二两三四五六七八九十百]+)"
CLAUSE_STOP = "，,。；;：:"


def answer_counted(ctx: Ctx, u: Understanding, t: Target) -> Answer | None:
    """The sentence stating how many of the counted noun there are; None when the question counts
    nothing this way, names a project it counts in (its 绩效目标表 answers), or no text says."""
    asked = COUNTED.search(u.text) or COUNTED_AFTER.search(_without_units(u))
    if asked is None:
        return None
    noun = QUESTION_TAIL.sub("", asked["noun"])
    if len(noun) < 2 or "项目" in noun or _names_project_elsewhere(u, asked.span("noun")):
        return None
    if ctx.lex.find_measures(noun):
        return None  # "几个科室", "几辆车": a measure counts them
    doc = ctx.document(t)
    if isinstance(doc, (NoData, Ambiguous)):
        return None
    if "单位" in noun and doc.member_units:
        return None  # "包括几个单位": the units the document lists, not a sentence counting some of them
    found = _stated_count(doc, asked["classifier"], noun)
    if found is None:
        return None
    sentence, title, location = found
    reply: Reply = ctx.reply()
    reply.say("counted", subject=ctx.subject(t), title=title, text=sentence)
    reply.cite(Source(document=doc.doc_id, unit=doc.unit, year=doc.year, section=title,
                      page=location.page, line=location.line), quote=sentence)
    if sentence.endswith(("：", ":")) and "单位" in noun and doc.member_units:  # "…具体如下：" and a table
        reply.add_text(reply.t("member_units", unit=doc.unit, year=doc.year, count=len(doc.member_units),
                               names="、".join(doc.member_units)) + "。")
    answer = reply.build("ok", ctx.context(u, "count", [t]))
    rest = [m for m in u.measures if noun not in ctx.label(m)]  # "有几个单位？在职多少人？"
    if rest:
        answer = joined(answer, answer_figures(ctx, u.model_copy(update={"measures": rest}), t))
    return answer


def _without_units(u: Understanding) -> str:
    text = u.text
    for words in sorted(u.unit_words, key=len, reverse=True):
        text = text.replace(words, "")
    return text


def _names_project_elsewhere(u: Understanding, noun_span: tuple[int, int]) -> bool:
    """Whether a project the question names was named outside the counted noun ("救助资金打算救
    几家企业" counts in the project's targets; "几个市场监管所" only looks like 智慧市场监管…)."""
    start, end = noun_span
    return any(piece not in u.text[start:end] for piece in u.project_pieces)


def _stated_count(doc: Disclosure, classifier: str, noun: str):
    """(sentence, section title, location) of the first clause "N<classifier>…noun…" in the 概况,
    else in the 情况说明."""
    patterns = (re.compile(rf"{NUMBER}\s*{classifier}(?P<what>[^{CLAUSE_STOP}]{{1,16}})"),  # 8个市场监管所
                re.compile(rf"(?P<what>[^{CLAUSE_STOP}\d]{{1,16}}?){NUMBER}\s*{classifier}(?![\u4e00-\u9fff]*[:：])"))
    texts = []
    if doc.overview.organisation and doc.overview.location:
        texts.append((doc.overview.organisation, "机构设置", doc.overview.location))
    if doc.overview.duties and doc.overview.location:  # "在校学生1,832人" in a school's 主要职能
        texts.append((doc.overview.duties, "主要职能", doc.overview.location))
    texts += [(s.text, s.title, s.location) for s in doc.sections if s.part in ("概况", "情况说明")]
    texts += [(t.overview, f"{t.project}绩效目标表 项目概况", t.location) for t in doc.targets if t.overview]
    for pattern in patterns:  # the noun after the number (8个所), else before it (在校学生1,832人)
        for text, title, location in texts:
            for m in pattern.finditer(text):
                if chars_in_order(noun, m["what"]):  # 市场监管所 ~ 市场监督管理所
                    return _sentence_at(text, m.start()), title, location
    return None


def _sentence_at(text: str, position: int) -> str:
    start = max(text.rfind(c, 0, position) for c in "。\n；;") + 1
    ends = [i for i in (text.find(c, position) for c in "。\n；;") if i >= 0]
    return text[start:min(ends) if ends else len(text)].strip()
