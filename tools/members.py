"""The units a 部门 document covers (本级 and its 下属单位): their rows in the 收入总表 / 支出总表,
which the national template lists by 单位名称 with each unit's 合计 and funding columns.

    r = member_budget(catalog, MemberQuery(unit="青岚县教育局", year=2025, member="青岚县实验幼儿园",
                                           column="事业收入"))
    r.figure.value == Decimal("186.00"); r.share_of_whole  # the unit's share of the 部门 total
    members = member_totals(doc)                            # [(member, Figure of its 合计), …]
"""
from __future__ import annotations

import re

from core.model import UNIT_COLUMN, BudgetTable, Disclosure, StatedFigure, TableKind, TableRow
from core.text import parse_amount, without_trailing_note
from parsing.tables import PER_WANYUAN, strip_ordinal, to_wanyuan
from tools.catalog import Catalog
from tools.changes import stated_figure
from tools.lookup import cell_figure, column_key, find_rows, key, sum_figures
from tools.measures import canonical_measure, derived_percent_figure, measures, read_measure
from tools.trace import traced
from tools.types import Ambiguous, Figure, MemberQuery, MemberResult, NoData

MEMBER_TABLES = (TableKind.income, TableKind.expenditure)


_OWN_NOTE = re.compile(r"[（(](本级|本部|机关)[)）]$")


def member_key(name: str) -> str:
    """A member unit's name as tables and lists print it alike: "X局（本级）", "X局本级（局机关）"
    and "X局本级" are one unit."""
    return key(without_trailing_note(_OWN_NOTE.sub(r"\1", name)))


def is_own_level(member: str, department: str) -> bool:
    """The 部门's own 本级 (机关) among its member units, not a subordinate unit."""
    bare = member_key(member)
    return OWN_LEVEL_WORD in member or bare == member_key(department) or \
        any(bare == member_key(department) + word for word in OWN_LEVEL_ENDINGS)


# an other table of one fund only (单位资金收支表, 政府性基金…) gives no unit's whole figure
PART_FUND_WORDS = ("资金", "基金", "拨款", "一般公共预算", "国有资本", "专户")
OWN_LEVEL_WORD = "本级"
OWN_LEVEL_ENDINGS = ("机关", "本部")


def member_tables(doc: Disclosure) -> list[tuple[BudgetTable, list[TableRow]]]:
    """The tables listing the document's member units by name, each with those rows: the standard
    ones first, then any other table of one row per unit (基本支出总表: 单位名称 | 人员经费 | 公用经费)."""
    members = {member_key(m) for m in doc.member_units}
    tables = [doc.table(kind) for kind in MEMBER_TABLES] + [
        t for t in doc.tables if t.kind == TableKind.other and not any(w in t.title for w in PART_FUND_WORDS)]
    found = []
    for table in tables:
        rows = ([r for r in table.rows if member_key(r.name) in members]
                if table is not None and not table.empty else [])
        if table is not None and rows:
            found.append((table, rows))
    return found


def member_rows(doc: Disclosure) -> tuple[BudgetTable, list[TableRow]] | None:
    """The first table listing the document's member units by name, with their rows."""
    tables = member_tables(doc)
    return tables[0] if tables else None


def member_totals(doc: Disclosure) -> list[tuple[str, Figure]]:
    """Each listed member unit with its 合计, in table order."""
    found = member_rows(doc)
    if found is None:
        return []
    table, rows = found
    return [(r.name, f) for r in rows if isinstance(f := cell_figure(doc, table, r, None, r.name), Figure)]


@traced
def member_budget(catalog: Catalog, query: MemberQuery) -> MemberResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    listed = _listed(doc, query.member, query.column)
    if listed is None:  # not in a table listing the units: a table of the units' columns, or the text
        figure = member_figure(doc, query.member, query.column)
        if not isinstance(figure, Figure):
            return figure
        return _with_share(doc, query, figure)
    table, row = listed
    column = column_key(row, query.column, table) if query.column else None
    label = f"{row.name}{(column or '合计').split('/')[-1]}"
    figure = cell_figure(doc, table, row, column, label)
    if not isinstance(figure, Figure):
        return figure
    whole: Figure | NoData | None
    if query.within_unit and column:  # "其中事业收入有多少？占几成": of the unit's own 合计
        whole = cell_figure(doc, table, row, None, f"{row.name}合计")
        share_label = f"{label}占{row.name}合计的比例"
    else:
        whole = next((cell_figure(doc, table, r, column, f"{doc.unit}{(column or '合计').split('/')[-1]}")
                      for r in table.rows if r.is_total or key(r.name) == key(doc.unit)), None)
        share_label = f"{row.name}占部门{(column or '合计').split('/')[-1]}的比例"
    share = (derived_percent_figure(doc, figure, whole, share_label)
             if isinstance(whole, Figure) and whole.value else None)
    return MemberResult(member=row.name, figure=figure, whole=whole if isinstance(whole, Figure) else None,
                        share_of_whole=share)


def _with_share(doc: Disclosure, query: MemberQuery, figure: Figure) -> MemberResult:
    """A member's figure read outside the table listing the units, with its share: of the unit's
    own 合计 (within_unit), else of the 部门's figure of the same measure ("占全局三公经费的几成")."""
    base: Figure | NoData | None
    if query.within_unit and query.column:
        base, of = member_figure(doc, query.member, None), f"{query.member}合计"
    else:
        name = canonical_measure(query.column) if query.column else None
        base, of = (read_measure(doc, name) if name else None), f"部门{query.column or '合计'}"
    if not isinstance(base, Figure) or not base.value:
        return MemberResult(member=query.member, figure=figure)
    share = derived_percent_figure(doc, figure, base, f"{figure.label}占{of}的比例")
    return MemberResult(member=query.member, figure=figure, whole=base, share_of_whole=share)


def member_figure(doc: Disclosure, member: str, column: str | None) -> Figure | NoData:
    """One member unit's amount of a measure (合计 when None): from the table listing the units,
    a table with a column per unit (the “三公” table of a 部门), or the narrative's sentence."""
    label = f"{member}{column or '预算合计'}"
    listed = _listed(doc, member, column)
    if listed is not None:
        return cell_figure(doc, listed[0], listed[1], column, label)
    for table in doc.tables:
        unit_column = next((c for c in table.columns if member_key(c) == member_key(member)), None)
        if column and not table.empty and unit_column:
            row = _measure_row(table, column)
            if row is not None:
                return cell_figure(doc, table, row, unit_column, label)
    by_rows = _unit_rows_figure(doc, member, column, label)
    if by_rows is not None:
        return by_rows
    stated = stated_by_member(doc, member, column)
    if stated is not None and (figure := stated_figure(doc, stated, "value", label)) is not None:
        return figure  # "按单位划分：A支出预算X万元（基本支出Y万元…）；B…"
    return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=(f"{doc.unit}{doc.year}年预算公开的报表没有按单位列示“{column or member}”，"
                              f"说明中也没有写明{member}的这一数字。"),
                  available=list(doc.member_units))


def unit_rows(table: BudgetTable, member: str, department: str = "") -> list[TableRow]:
    """A member's rows of a table that names each row's unit (单位名称): its 小计 row when
    printed, else its item rows."""
    subtotal, items = unit_items(table, member, department)
    return [subtotal] if subtotal is not None else items


def unit_items(table: BudgetTable, member: str, department: str = "") -> tuple[TableRow | None, list[TableRow]]:
    """(the member's 小计 row, its item rows) in a table naming each row's unit: in the 单位名称
    column of every row, or of the 小计 row heading the unit's items. The 部门's 本级 may head its
    rows by the 部门's own name."""
    want = member_key(member)
    named = {member_key(r.texts.get(UNIT_COLUMN) or r.name) for r in table.rows}
    if want not in named and department and is_own_level(member, department):
        want = member_key(department)
    subtotal, items, current = None, [], None
    for row in table.rows:
        owner = row.texts.get(UNIT_COLUMN) or (row.name if member_key(row.name) == want else None)
        if row.is_total or not key(row.name):  # 小计, or the unit's row with no project name
            current = owner
            subtotal = row if owner and member_key(owner) == want and subtotal is None else subtotal
        elif (owner or current) and member_key(owner or current or "") == want and key(row.name) != key(UNIT_COLUMN):
            items.append(row)
    return subtotal, items


def _unit_rows_figure(doc: Disclosure, member: str, column: str | None, label: str) -> Figure | None:
    """A measure a table lists by unit (registry `by_unit`: the 项目支出 of a 项目支出预算表, the
    政府采购 of a 政府采购预算表): the member's 小计, or the sum of its rows, in 万元."""
    name = canonical_measure(column) if column else None
    for wanted in (measures()[name].get("by_unit", []) if name else []):
        table = next((t for t in doc.tables if not t.empty and (
            wanted in (t.kind.value, t.title) or (t.kind == TableKind.other and wanted in t.title))), None)
        if table is None:
            continue
        figures = [f for r in unit_rows(table, member, doc.unit)
                   if isinstance(f := cell_figure(doc, table, r, None, r.name), Figure)]
        if figures:
            total = sum_figures(doc, figures, label)
            per = PER_WANYUAN.get(total.unit)
            if per is None:
                return total
            return total.model_copy(update={"value": to_wanyuan(total.value, per), "unit": "万元", "source": (
                total.source.model_copy(update={"note": "；".join(filter(None, [
                    total.source.note, f"原表以{total.unit}列示：{total.value}{total.unit}"]))}))})
    return None


def _measure_row(table: BudgetTable, column: str) -> TableRow | None:
    """The row of a table holding the measure `column` names: by its name (公务接待费), or where the
    measure is read from that table (“三公”经费: the 三公 table's 合计 row)."""
    row = next((r for r in table.rows if key(strip_ordinal(r.name)) in _subjects(column)), None)
    name = canonical_measure(column)
    for lookup in (measures()[name].get("lookups", []) if name and row is None else []):
        if lookup.get("table") == table.kind.value:
            row = next((hit for query in lookup.get("row", []) for hit in find_rows(table, query)), None)
    return row


def _listed(doc: Disclosure, member: str, column: str | None) -> tuple[BudgetTable, TableRow] | None:
    """The member's row of the first table listing the units that has the column asked
    (收入总表: 事业收入; 支出总表: 基本支出)."""
    return next(((table, row) for table, rows in member_tables(doc) for row in rows
                 if member_key(row.name) == member_key(member) and (column is None or column_key(row, column, table))),
                None)


def stated_by_member(doc: Disclosure, member: str, column: str | None) -> StatedFigure | None:
    """The figure the narrative states for one member unit ("按单位划分：区疾病预防控制中心支出预算
    636.55万元（基本支出497.55万元…）"): a stated amount of the measure asked whose nearest member
    name before it, in the same sentence, is this member's."""
    wanted = _subjects(column)
    forms = _unique_forms({m: _mention_forms(m) for m in {*doc.member_units, member}})
    for s in doc.stated:
        if s.value is None or key(s.subject) not in wanted:
            continue
        for amount in _AMOUNT.finditer(s.sentence):
            if parse_amount(amount["amount"]) == s.value and _owner(s.sentence, amount.start(), forms) == member:
                return s
        # "…预算308.53万元，其中局本级172.75万元，…" or "…95.88万元，…。其中局机关本级64.68万元，…。"
        parts = _parts_clause(s.sentence) or _parts_sentence(doc, s)
        for amount in _AMOUNT.finditer(parts):
            if _owner(parts, amount.start(), forms) == member:
                return s.model_copy(update={"value": parse_amount(amount["amount"]), "sentence": parts,
                                            "change": None, "direction": None, "reason": None})
    return None


def _parts_clause(sentence: str) -> str:
    """The 其中… clause of a stated figure's own sentence, to the clause's end (。 or ；)."""
    at = sentence.find("其中")
    return re.split("(?<=[。；;])", sentence[at:], maxsplit=1)[0] if at >= 0 else ""


def _parts_sentence(doc: Disclosure, stated: StatedFigure) -> str:
    """A later sentence of a stated figure's paragraph that lists the figure's parts (其中…)."""
    section = next((x for x in doc.sections if stated.section and stated.section.endswith(x.title)
                    and stated.sentence[:20] in x.text), None)
    if section is None:
        return ""
    paragraph = section.text[section.text.find(stated.sentence[:20]):].split("\n", 1)[0]
    following = [x.strip() for x in re.split("(?<=。)", paragraph)[1:]]
    return next((x for x in following if x.startswith("其中")), "")


_AMOUNT = re.compile(r"(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元")
_PLACE_END = re.compile(r"(?:省|市|县|区|旗)")  # every place ends before a shorter form (资江区…, 疾病…)
WHOLE_SUBJECTS = ("预算支出总计", "预算收入总计")


def _subjects(column: str | None) -> set[str]:
    """The stated subjects that give a column: its measure's subjects, or the unit's totals."""
    if column is None:
        return {key(s) for s in WHOLE_SUBJECTS}
    name = canonical_measure(column)
    return {key(column)} | ({key(x) for x in [name, *measures()[name].get("subjects", [])]} if name else set())


def _mention_forms(member: str) -> list[str]:
    """How the narrative names a member: in full, or without its places (区疾病预防控制中心); a
    本级 by its name with 本级 (区卫生健康局（本级）) or 本级 alone."""
    is_own = "本级" in member or "本部" in member  # the 部门's own name is not its 本级's
    own = member if is_own else without_trailing_note(member)
    forms = {member, own} | {own[m.end():] for m in _PLACE_END.finditer(own)}
    if is_own:
        forms.add("本级")  # (not 本部: 本部门 is the 部门)
    return sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)


def _unique_forms(forms: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each member's forms, with the tails of its name a narrative may use alone (综合执法支队 for
    三明市生态环境保护综合执法支队), four characters or more and in no other member's name."""
    out = {}
    for member, names in forms.items():
        others = [n for m, ns in forms.items() if m != member for n in ns]
        longest = names[0] if names else member
        tails = {longest[i:] for i in range(1, len(longest) - 3)}
        out[member] = sorted({*names, *(t for t in tails if not any(t in o for o in others))}, key=len, reverse=True)
    return out


def _owner(sentence: str, position: int, forms: dict[str, list[str]]) -> str | None:
    """The member named last before `position` in the sentence, outside brackets ("…局机关（含…
    县卫生健康综合监督执法局）机关运行经费95.88万元" is the whole's, not the bracketed unit's)."""
    bracketed = [m.span() for m in _BRACKETED.finditer(sentence)]
    best: tuple[int, str] | None = None
    for member, names in forms.items():
        for name in names:
            at = sentence.rfind(name, 0, position)
            while at >= 0 and any(a <= at < b for a, b in bracketed):
                at = sentence.rfind(name, 0, at)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, member)
    return best[1] if best else None


_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


__all__ = ["is_own_level",
           "member_key", "member_tables", "member_rows", "member_totals", "member_budget", "member_figure",
           "stated_by_member", "unit_items", "unit_rows"]
