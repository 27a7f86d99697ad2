"""Putting an answer together: sentences from prompts/templates.json, the figures they state,
the citations behind them and any narrative-vs-table disagreement.

    reply = Reply(lexicon)
    reply.say("figure", subject=…, label=…, value=fmt(f.value), vunit=f.unit)
    reply.use(f)                       # the figure and its citation
    answer = reply.build("ok", context)
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from assistant.lexicon import Lexicon
from core.answer import Answer, Citation, Figure, Source, Status
from parsing.tables import PER_WANYUAN, to_wanyuan


def fmt(value: Decimal | int | None) -> str:
    """A Decimal as the documents print it: no exponent, trailing zeros kept (1.00). Amounts
    converted from 元 carry more places (37151.4655万元): shown to 2 places, as the narrative
    prints them; the exact printed amount goes into the answer's note (Reply.source_notes)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent  # 'n', 'N' or 'F' for NaN / infinity: nothing to round
        if isinstance(exponent, int) and exponent < -2:
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format(value, "f")
    return str(value)


def differs(stated: Decimal, table: Decimal) -> bool:
    """Whether a narrative figure and a table figure differ beyond the narrative's rounding
    (a table converted from 元 holds 37151.4655 where the text prints 37151.47)."""
    places = stated.as_tuple().exponent
    table_places = table.as_tuple().exponent
    if not isinstance(places, int) or not isinstance(table_places, int) or table_places >= places:
        return stated != table
    return table.quantize(Decimal(1).scaleb(places), rounding=ROUND_HALF_UP) != stated


def money(fig: Figure) -> str:
    return f"{fmt(fig.value)}{fig.unit}"


def in_wanyuan(reply: Reply, fig: Figure) -> str:
    """"（合3988.00万元）" beside an amount printed in 元: exact, so not 推算."""
    if fig.unit != "元":
        return ""
    return reply.t("in_wanyuan", value=fmt(to_wanyuan(fig.value, PER_WANYUAN["元"])))


def source_places(citations: list[Citation], limit: int = 6) -> list[str]:
    """Where the cited figures are, grouped by table or section: '收支总表第109、111行'."""
    groups: dict[str, tuple[str, list[int]]] = {}
    for c in citations:
        what = c.table or c.section or ""
        kind, number = ("页", c.page) if c.page else ("行", c.line)
        entry = groups.setdefault(f"{c.document}|{what}|{kind}", (what, []))
        if number is not None and number not in entry[1]:
            entry[1].append(number)
    places = []
    for key, (what, numbers) in list(groups.items())[:limit]:
        kind = key.rsplit("|", 1)[1]
        where = f"第{'、'.join(str(n) for n in sorted(numbers))}{kind}" if numbers else ""
        places.append(f"{what}{where}")
    return places


# "286.00万元" in an answer whose figures come from a document printed in 元: the amount as that
# document would print it follows ("286.00万元（合2,860,000.00元）"). Not after "合" (already a conversion).
_WANYUAN_AMOUNT = re.compile(r"(?<![\d.,合])(\d[\d,]*(?:\.\d+)?)万元(?!（合)")


def in_printed_unit(text: str, unit: str, figures: list[Figure]) -> str:
    """Every 万元 amount of `text` that shows one of `figures` followed by that figure's exact value
    in `unit`. An amount shown rounded (2674.66 of 2674.657620) is converted from the figure it
    shows, never from its rounding; one no figure accounts for is left as it is."""
    per = PER_WANYUAN[unit]
    exact: dict[str, set[Decimal]] = {}
    for fig in figures:
        if fig.unit == "万元":
            for value in (fig.value, abs(fig.value)):
                exact.setdefault(fmt(value), set()).add(value)

    def converted(m: re.Match) -> str:
        values = {v * per for v in exact.get(m.group(1).replace(",", ""), set())}
        if len(values) != 1:
            return m.group(0)
        value = next(iter(values)).quantize(Decimal("0.01"))
        return f"{m.group(0)}（合{format(value, ',f')}{unit}）"
    return _WANYUAN_AMOUNT.sub(converted, text)


class Reply:
    def __init__(self, lexicon: Lexicon, printed_unit_of: Callable[[str | None], str] | None = None):
        self.lex = lexicon
        self.printed_unit_of = printed_unit_of
        self.lines: list[str] = []
        self.figures: list[Figure] = []
        self.citations: list[Citation] = []
        self.disagreements: list[str] = []
        self.table: list[dict] | None = None
        self._seen_figures: set[tuple] = set()
        self._seen_citations: set[tuple] = set()
        self.source_notes: list[str] = []  # "收入总计原表以元列示：371514655.00元，已换算为万元"

    def t(self, template: str, /, **values) -> str:
        return self.lex.template(template, **values)

    def say(self, template: str, /, **values) -> str:
        text = self.t(template, **values)
        self.lines.append(text)
        return text

    def add_text(self, text: str) -> None:
        if text:
            self.lines.append(text)

    def use(self, *figures: Figure | None) -> None:
        for fig in figures:
            if fig is None:
                continue
            k = (fig.label, fig.value, fig.source.document, fig.source.line, fig.source.page, fig.source.column)
            if k not in self._seen_figures:
                self._seen_figures.add(k)
                self.figures.append(fig)
            if not fig.source.derived:
                self.cite(fig.source)
                note = fig.source.note and f"{fig.label}{fig.source.note}"
                if note and note not in self.source_notes:
                    self.source_notes.append(note)
            elif fig.source.table and fig.source.line is not None and fig.source.row == fig.label:
                # rows of one table summed (a code printed once per 政府经济分类 code): cited, with the sum
                self.cite(fig.source)
                note = f"{fig.label}{fig.source.note}"
                if note not in self.source_notes:
                    self.source_notes.append(note)

    def cite(self, source: Source, quote: str | None = None) -> None:
        k = (source.document, source.table, source.section, source.page, source.line)
        if k in self._seen_citations:
            return
        self._seen_citations.add(k)
        self.citations.append(Citation(document=source.document, unit=source.unit, table=source.table,
                                       section=source.section, page=source.page, line=source.line,
                                       quote=quote[:200] if quote else None))

    def disagree(self, message: str) -> None:
        if message and message not in self.disagreements:
            self.disagreements.append(message)

    @property
    def has_figures(self) -> bool:
        return bool(self.figures)

    def printed_unit(self) -> str | None:
        """The money unit other than 万元 that every document behind the answer's 万元 figures prints in."""
        if self.printed_unit_of is None:
            return None
        units = {self.printed_unit_of(f.source.document) for f in self.figures if f.unit == "万元"}
        unit = units.pop() if len(units) == 1 else None
        return unit if unit in PER_WANYUAN else None

    def build(self, status: Status, context: dict | None = None, sources: bool = True) -> Answer:
        text = "".join(self.lines)
        printed = self.printed_unit()
        notes = self.source_notes
        if printed:  # each amount carries its printed form inline: the per-figure notes would repeat it
            text = in_printed_unit(text, printed, self.figures)
            notes = [n for n in notes if f"原表以{printed}列示" not in n]
        if notes:
            text += self.t("source_notes", notes="；".join(notes[:6]))
        for message in self.disagreements:
            shown = in_printed_unit(message, printed, self.figures) if printed else message
            text += self.t("disagreement", message=shown)
        if sources and self.citations:
            places = [p for p in source_places(self.citations) if p]
            if places:
                text += self.t("source_line", sources="；".join(places))
        return Answer(status=status, answer=text, figures=self.figures, citations=self.citations,
                      disagreements=self.disagreements, table=self.table, context=context or {})


def joined(first: Answer, then: Answer) -> Answer:
    """Two answers to two clauses of one question, in order, each with its figures and sources."""
    return first.model_copy(update={"answer": f"{first.answer}\n\n{then.answer}",
                                    "figures": first.figures + then.figures,
                                    "citations": first.citations + then.citations,
                                    "disagreements": first.disagreements + then.disagreements})


def without_disagreements(answer: Answer, lexicon: Lexicon) -> str:
    """The answer's text without the disagreement notes build() appends, for a page that shows
    them apart (Answer.disagreements)."""
    text = answer.answer
    for message in answer.disagreements:
        try:
            text = text.replace(lexicon.template("disagreement", message=message), "")
        except (KeyError, OSError):  # no such template in prompts/: the notes stay in the text
            break
    return text


def as_stated(change: Figure | None, label: str, direction: str | None) -> Figure | None:
    """A signed change figure as the text states it: "比上年减少 7442.70" (same value, same source)."""
    if change is None:
        return None
    if direction is None:
        direction = "增加" if change.value > 0 else "减少" if change.value < 0 else "持平"
    word = {"增加": "增加", "减少": "减少", "持平": "增减"}[direction]
    if change.unit == "%":
        word = {"增加": "增长", "减少": "下降", "持平": "增减"}[direction]
    return change.model_copy(update={"value": abs(change.value), "label": f"{label}比上年{word}"})


# Comparison bases that mean the prior year's budget: said as "上年", the documents' usual wording.
BUDGET_BASES = (None, "上年", "上年预算", "上年预算数")


def percent_change(lex_reply: Reply, change: Figure | None, percent: Figure | None, direction: str | None,
                   vunit: str, base: str | None = None) -> str:
    """'比上年减少7442.70万元，下降46.59%' / '与上年预算数相同'; against another base as the text
    states it ('比上年预算执行数增加…')."""
    if direction == "持平" or (change is not None and change.value == 0):
        return lex_reply.t("change_same") if base in BUDGET_BASES else lex_reply.t("change_same_base", base=base)
    said = "上年" if base in BUDGET_BASES else base
    if change is None and percent is not None:
        up = percent.value > 0 if direction is None else direction == "增加"
        word = "增长" if up else "下降"
        return f"比{said}{word}{fmt(abs(percent.value))}%"
    if change is None:
        return ""
    amount = fmt(abs(change.value))
    up = change.value > 0 if direction is None else direction == "增加"
    if percent is not None:
        return lex_reply.t("change_up" if up else "change_down", change=amount, vunit=vunit,
                           percent=fmt(abs(percent.value)), base=said)
    return lex_reply.t("change_up_nopct" if up else "change_down_nopct", change=amount, vunit=vunit, base=said)


def say_ratio(reply: Reply, first: tuple[str, Figure], second: tuple[str, Figure]) -> None:
    """"人员经费是公用经费的几倍": the first over the second, to two places (推算, naming its inputs)."""
    (a_label, a), (b_label, b) = first, second
    if a.unit != b.unit or not b.value:
        return
    value = (a.value / b.value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    ratio = Figure(label=f"{a_label}为{b_label}的倍数", value=value, unit="倍",
                   source=Source(document=a.source.document, unit=a.source.unit, year=a.source.year,
                                 table=a.source.table, derived=True,
                                 note=f"推算：{fmt(a.value)} ÷ {fmt(b.value)} ≈ {value}"))
    reply.say("times_of", a=a_label, b=b_label, ratio=value, a_value=fmt(a.value), b_value=fmt(b.value))
    reply.use(ratio)


def say_sum(reply: Reply, stated: list[tuple[str, Figure]]) -> None:
    """"两块各多少？加起来多少": the figures' sum (推算, naming its inputs), when they share a unit."""
    if len({f.unit for _, f in stated}) != 1:
        return
    value = sum((f.value for _, f in stated), Decimal(0))
    formula = " + ".join(fmt(f.value) for _, f in stated)
    first = stated[0][1]
    total = Figure(label="、".join(label for label, _ in stated) + "合计", value=value, unit=first.unit,
                   source=Source(document=first.source.document, unit=first.source.unit, year=first.source.year,
                                 table=first.source.table, derived=True, note=f"推算：{formula} = {fmt(value)}"))
    reply.say("figures_total", labels="、".join(label for label, _ in stated), total=fmt(value), vunit=first.unit,
              formula=formula)
    reply.use(total)


def say_difference(reply: Reply, first: tuple[str, Figure], second: tuple[str, Figure]) -> None:
    """"A和B哪个多，差多少": the larger named first, and the difference (推算, naming its inputs)."""
    (a_label, a), (b_label, b) = sorted([first, second], key=lambda pair: pair[1].value, reverse=True)
    if a.unit != b.unit:
        return
    value = a.value - b.value
    diff = Figure(label=f"{a_label}与{b_label}之差", value=value, unit=a.unit,
                  source=Source(document=a.source.document, unit=a.source.unit, year=a.source.year,
                                table=a.source.table, derived=True,
                                note=f"推算：{fmt(a.value)} − {fmt(b.value)} = {fmt(value)}"))
    reply.say("more_than", a=a_label, b=b_label, diff=fmt(value), vunit=a.unit, a_value=fmt(a.value),
              b_value=fmt(b.value))
    reply.use(diff)
