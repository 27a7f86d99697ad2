"""A 部门's budget stated for each of its units with the change against last year:

    分单位看：局本级2562.46万元，比上年减少49.84万元，下降1.91%；市图书馆984.42万元，比上年增加…

Each clause becomes the member's stated total (subject 预算收入总计 or 预算支出总计, by the
section it is printed in), so "市博物馆今年预算比去年多了多少" is answered from the sentence."""
from __future__ import annotations

import re

from core.model import Location, Section, StatedFigure
from core.text import parse_amount
from parsing.blocks import Block
from parsing.narrative import section_label

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_MEMBER_CLAUSE = re.compile(
    rf"(?P<name>[^，,；;。：:（）()\d]{{2,30}}?(?:[（(]本级[)）])?)(?:\d{{4}}年度?)?(?:部门)?(?:收支|收入|支出)?"
    rf"(?:总?预算|预算总额|合计|总计)?(?:为|是)?(?P<amount>{_NUMBER})万元[，,]?"
    rf"(?:比上年|较上年|比\d{{4}}年|较\d{{4}}年|同比)(?:预算)?(?:数)?(?P<dir>增加|减少|增长|下降)(?P<chg>{_NUMBER})万元"
    rf"(?:[，,](?:增长|下降|增幅|降幅)?(?P<pct>{_NUMBER})%)?")
_LEAD = re.compile(r"^(?:分单位(?:看|情况|来看)?|按单位(?:划分|看)?|其中)[：:，,]?")
_DECREASE = ("减少", "下降")
INCOME_WHOLE, EXPENDITURE_WHOLE = "预算收入总计", "预算支出总计"


def member_changes(blocks: list[Block], sections: list[Section], members: list[str],
                   doc_id: str) -> list[StatedFigure]:
    if len(members) < 2:
        return []
    found = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        for clause in re.split(r"(?<=[；;。])", block.text):
            match = _MEMBER_CLAUSE.search(clause)
            member = _member_named(_LEAD.sub("", match["name"].strip()), members) if match else None
            if match is None or member is None:
                continue
            sign = -1 if match["dir"] in _DECREASE else 1
            change = parse_amount(match["chg"])
            percent = parse_amount(match["pct"]) if match["pct"] else None
            section = next((x for x in sections if block.text[:30] in x.text), None)
            found.append(StatedFigure(
                subject=_whole_subject(section), value=parse_amount(match["amount"]),
                section=section_label(section.number, section.title) if section else None,
                change=sign * change if change is not None else None,
                change_percent=sign * percent if percent is not None else None,
                direction="减少" if sign < 0 else "增加", sentence=clause.strip(),
                location=Location(document=doc_id, page=block.page, line=block.line), member=member))
    return found


def _member_named(name: str, members: list[str]) -> str | None:
    """The member a clause names: in full, by its name without the leading places (市图书馆 for
    衢州市图书馆), or its 本级 by 本级 (局本级)."""
    if not name:
        return None
    if "本级" in name:
        return next((m for m in members if "本级" in m), None)
    named = [m for m in members if m == name or (len(name) >= 3 and m.endswith(name))]
    return named[0] if len(named) == 1 else None


def _whole_subject(section: Section | None) -> str:
    """Stated under a 支出 heading, the member's figure is its 支出 total; else its 收入 total."""
    title = section.title if section is not None else ""
    return EXPENDITURE_WHOLE if "支出" in title and "收入" not in title else INCOME_WHOLE
