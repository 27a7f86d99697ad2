"""Changes against last year, as the narrative states them, with the prior year derived (推算)."""
from __future__ import annotations

import re
from decimal import Decimal

from rapidfuzz import fuzz

from core.model import BudgetTable, Disclosure, StatedFigure
from tools.catalog import Catalog
from tools.lookup import (
    cell_figure,
    derived_source,
    doc_source,
    find_rows,
    key,
    percent,
)
from tools.measures import canonical_measure, measures, read_measure
from tools.trace import traced
from tools.types import Ambiguous, ChangeQuery, ChangeResult, Figure, NoData

STATED_FIELDS = {"value": "金额", "change": "增减额", "change_percent": "增减幅度", "prior": "上年数"}


def find_stated(doc: Disclosure, subject: str, with_change: bool = True, member: str | None = None
                ) -> StatedFigure | None:
    """The stated figure about `subject` (of one member unit of a 部门 when `member` is given):
    same subject, else the same measure, else a contained or fuzzy subject. With with_change,
    only figures that state a change (or 持平)."""
    pool = [s for s in doc.stated if (not with_change or s.change is not None or s.direction is not None)
            and s.member == member]  # a member unit's figures are not the 部门's
    # the same subject may be stated twice ("公务接待费3.20万元" in a list of 公用经费 items, then in
    # the “三公” section with its change): the statement with a change says more
    pool.sort(key=lambda s: s.change is None and s.direction is None)
    q = key(subject)
    hit = next((s for s in pool if key(s.subject) == q), None)
    if hit:
        return hit
    name = canonical_measure(subject)
    if name:
        wanted = {key(x) for x in [name, *measures()[name].get("subjects", []), *measures()[name].get("aliases", [])]}
        hit = next((s for s in pool if key(s.subject) in wanted or canonical_measure(s.subject) == name), None)
        if hit:
            return hit
    # a 功能科目 item is stated by its path ("城乡社区支出/城乡社区管理事务/行政运行"): its own name first
    hit = next((s for s in pool if "/" in s.subject and key(s.subject.rsplit("/", 1)[-1]) == q), None)
    if hit:
        return hit
    # a contained subject; a path is about its item, not its 类 ("教育支出" is not "教育支出/…/行政运行")
    hit = next((s for s in pool if q and (q in key(s.subject.rsplit("/", 1)[-1]) or key(s.subject) in q)), None)
    if hit:
        return hit
    sides = [w for w in ("收入", "支出") if w in q]  # a fuzzy match keeps to the same side
    scored = [(fuzz.ratio(q, key(s.subject)), s) for s in pool if all(w in key(s.subject) for w in sides)]
    best = max(scored, key=lambda x: x[0], default=(0, None))
    return best[1] if best[0] >= 80 else None


def stated_figure(doc: Disclosure, s: StatedFigure, field: str, label: str, unit: str | None = None) -> Figure | None:
    value = getattr(s, field)
    if value is None:
        return None
    return Figure(label=label, value=value, unit=unit or s.unit,
                  source=doc_source(doc, section=s.section, row=s.subject, column=STATED_FIELDS[field],
                                    page=s.location.page, line=s.location.line))


def change_result(doc: Disclosure, s: StatedFigure, fallback: Figure | None = None) -> ChangeResult:
    """The change a sentence states; this year's value is the stated one, else the table's
    (through the subject's measure, or `fallback`). A member unit's figure has no 部门 table value."""
    current = stated_figure(doc, s, "value", f"{s.member or ''}{s.subject}（{doc.year}年）")
    name = canonical_measure(s.subject)
    table_current = None
    if name and s.member is None and measures()[name]["lookups"][0].get("table"):
        figure = read_measure(doc, name)
        table_current = figure if isinstance(figure, Figure) else None
    table_current = table_current or fallback
    base = current or table_current
    change = stated_figure(doc, s, "change", f"{s.member or ''}{s.subject}比上年增减")
    change_pct = stated_figure(doc, s, "change_percent", f"{s.member or ''}{s.subject}比上年增减幅度", unit="%")
    direction = s.direction
    if direction is None and s.change is not None:
        direction = "增加" if s.change > 0 else "减少" if s.change < 0 else "持平"
    prior = None
    check = None
    if s.prior is not None:  # the text states last year's figure itself ("2023年当年预算执行数为X万元")
        base_word = (s.change_base or "上年").removeprefix("上年") or "预算"
        prior = stated_figure(doc, s, "prior", f"{s.member or ''}{s.subject}（{doc.year - 1}年{base_word}）")
    elif base is not None and (s.change is not None or direction == "持平"):
        delta = s.change if s.change is not None else Decimal(0)
        value = base.value - delta
        note = f"推算（非原文）：{doc.year}年 {base.value} − 增减额 {delta} = {value}"
        prior = Figure(label=f"{s.member or ''}{s.subject}（{doc.year - 1}年，推算）", value=value, unit=base.unit,
                       source=derived_source(doc, note, section=s.section, row=s.subject, column="上年数"))
        if s.change_percent is not None and value != 0:
            exponent = s.change_percent.as_tuple().exponent
            places = Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal("0.01")
            computed = percent(delta, value).quantize(places)
            if abs(abs(computed) - abs(s.change_percent)) > places:
                check = (f"按推算的上年数{value}计算，增减幅度应为{computed}%，"
                         f"与原文所写{s.change_percent}%不一致。")
    return ChangeResult(subject=s.subject, current=base, change=change, change_percent=change_pct,
                        direction=direction, prior=prior, reason=s.reason, sentence=s.sentence,
                        percent_check=check, table_current=table_current, base=s.change_base)


def _same_amount_change(doc: Disclosure, subject: str) -> StatedFigure | None:
    """"收入预算15621.11万元，其中：财政拨款收入15621.11万元，比2023年预算减少876.75万元": when
    the text states no change for `subject` but does for a figure of the same amount in the same
    sentence or paragraph, that change is the subject's (the answer names whose change it is)."""
    plain = find_stated(doc, subject, with_change=False)
    if plain is None or plain.value is None:
        return None
    return next((s for s in doc.stated if _same_place(s, plain) and s.value == plain.value
                 and s is not plain and (s.change is not None or s.direction == "持平")), None)


def _same_place(a: StatedFigure, b: StatedFigure) -> bool:
    """One sentence, or one printed paragraph ("收入预算X万元，…。支出预算X万元，比2025年预算减少…")."""
    same_line = a.location.line is not None and a.location.line == b.location.line
    return a.sentence == b.sentence or (a.section == b.section and same_line)


@traced
def stated_change(catalog: Catalog, query: ChangeQuery) -> ChangeResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    if query.member:  # a member unit's change is only ever read from its own sentence
        s = find_stated(doc, query.subject, member=query.member)
        if s is None:
            return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                          message_zh=f"{doc.unit}{doc.year}年预算说明中没有写明{query.member}“{query.subject}”比上年的变化。")
        return change_result(doc, s)
    s = find_stated(doc, query.subject)
    via = None
    if s is None and (s := _same_amount_change(doc, query.subject)) is not None:
        via = s.subject
    if s is None and (printed := table_change(doc, query.subject)) is not None:
        return printed
    if s is None:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算说明中没有写明“{query.subject}”比上年的变化。",
                      available=list(dict.fromkeys(x.subject for x in doc.stated
                                                   if x.change is not None or x.direction is not None)))
    result = change_result(doc, s)
    if result.reason is None and (twin := _twin_with_reason(doc, s)) is not None:
        result = result.model_copy(update={"reason": twin.reason, "reason_source": doc_source(
            doc, section=twin.section, row=twin.subject, page=twin.location.page, line=twin.location.line)})
    return result.model_copy(update={"via": via}) if via else result


def _twin_with_reason(doc: Disclosure, s: StatedFigure) -> StatedFigure | None:
    """The same amount and the same change stated again elsewhere with its reason (a fund's 收入
    in the 收入 section, its 支出 with the reason in the fund's own section)."""
    if s.value is None or s.change is None:
        return None
    return next((x for x in doc.stated if x is not s and x.reason and x.value == s.value
                 and x.change == s.change), None)


def change_column(table: BudgetTable) -> str | None:
    """The column of each row's change in amount (增减额), not its rate (增减率（%）)."""
    return next((c for c in table.columns if "增减" in c and not c.endswith(RATE_ENDINGS)), None)


RATE_ENDINGS = ("率", "%", "%）", "%)")


def table_change(doc: Disclosure, subject: str) -> ChangeResult | None:
    """A change the narrative does not state but a table prints: the row of `subject` (a 科目 name
    or path) in a table with last year's column and an 增减 column (“2025年预算数 | 2026年… | 增减额 |
    增减率”), each figure read from its cell."""
    name = subject.rsplit("/", 1)[-1]
    for table in doc.tables:
        columns = [c for c in table.columns if "增减" in c]
        amount = change_column(table)
        if amount is None or table.empty:
            continue
        rows = find_rows(table, name)
        if not rows:
            continue
        row = rows[0]
        name = row.name  # the row's own name, when asked by its 科目编码
        current = cell_figure(doc, table, row, None, f"{name}（{doc.year}年）")
        change = cell_figure(doc, table, row, amount, f"{name}比上年增减")
        if not isinstance(current, Figure) or not isinstance(change, Figure):
            continue
        rate = next((c for c in columns if c != amount), None)
        percent_figure = cell_figure(doc, table, row, rate, f"{name}比上年增减幅度") if rate else None
        prior_column = next((c for c in table.columns if re.match(rf"{doc.year - 1}年", c)), None)
        prior = cell_figure(doc, table, row, prior_column, f"{name}（{doc.year - 1}年）") if prior_column else None
        direction = "增加" if change.value > 0 else "减少" if change.value < 0 else "持平"
        return ChangeResult(subject=name, current=current, change=change, direction=direction,
                            change_percent=percent_figure.model_copy(update={"unit": "%"})
                            if isinstance(percent_figure, Figure) else None,
                            prior=prior if isinstance(prior, Figure) else None, sentence="")
    return None
