"""Named measures (收入总计, 基本支出, 三公经费, 政府采购 …) read as the measure registry
(prompts/measures.json, core/measures.py) describes them,
and a general amount resolver for anything else a user may name (功能分类 类/款/项, a 科目编码,
a project, an 经济科目 item)."""
from __future__ import annotations

import re

from core.measures import Registry, registry
from core.model import Disclosure, TableKind
from tools.lookup import (
    cell_figure,
    derived_source,
    doc_source,
    find_rows,
    find_table,
    first_row_figure,
    key,
    percent,
    section_title,
    sum_figures,
    usable_table,
)
from tools.projects import project_rows
from tools.stated_facts import asset_figure, overview_figure, performance_figure
from tools.types import Figure, NoData

PROCUREMENT_FIELDS = {"total": "总额", "goods": "货物", "works": "工程", "services": "服务",
                      "sme_reserved": "面向中小企业预留", "small_micro_reserved": "预留给小型和微型企业"}
PROCUREMENT_SECTION = "九、政府采购情况"


def measure_table() -> dict:
    """The tools' view of the registry: {"measures": {tool name: spec}, "share_measures": {...},
    "function_class_share_of": tool name}; specs are plain dicts (lookups as {table, row, …})
    and name other measures by their tool names."""
    return registry().derived("tools.measure_table", _tool_view)


def _tool_view(reg: Registry) -> dict:
    def tool(k: str | None) -> str | None:
        return reg.measure(k).tool if k else None

    out: dict[str, dict] = {}
    for m in reg.measures:
        if not m.tool:
            continue
        names = [m.label, *([m.figure_label] if m.figure_label else []), *m.aliases, *m.names]
        spec: dict = {"label": m.figure_label or m.label, "unit": m.unit or "万元",
                      "aliases": list(dict.fromkeys(names)),
                      "lookups": [lk.model_dump(exclude_none=True) for lk in m.lookups]}
        if m.parts:
            spec["parts"] = [tool(p) for p in m.parts]
        if m.share_of:
            spec["share_of"] = tool(m.share_of)
        if m.spent_as:
            spec["spent_as"] = tool(m.spent_as)
        if m.subjects:
            spec["subjects"] = list(m.subjects)
        if m.breakdown is not None:
            spec["breakdown"] = m.breakdown.model_dump(exclude_none=True)
        if m.part_columns is not None:
            spec["part_columns"] = list(m.part_columns)
        if m.by_unit:
            spec["by_unit"] = list(m.by_unit)
        out[m.tool] = spec
    return {"measures": out,
            "share_measures": {n: {"part": tool(s.part), "whole": tool(s.whole), "aliases": list(s.aliases)}
                               for n, s in reg.shares.items()},
            "function_class_share_of": tool(reg.function_class_share_of)}


def measures() -> dict[str, dict]:
    return measure_table()["measures"]


def share_measures() -> dict[str, dict]:
    return measure_table()["share_measures"]


def _alias_index() -> list[tuple[str, str]]:
    return registry().derived("tools.alias_index", lambda reg: _build_alias_index())


def _build_alias_index() -> list[tuple[str, str]]:
    """(folded alias, measure name), longest alias first."""
    pairs = {(key(name), name) for name in measures()}
    for name, spec in measures().items():
        pairs.update((key(a), name) for a in spec.get("aliases", []))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[1]))


def canonical_measure(text: str, contained: bool = False) -> str | None:
    """The measure a text names: an exact alias, or (contained=True) the longest alias inside it."""
    q = key(text)
    for wording, same in registry().same_wordings.items():
        q = q.replace(wording, same)
    for alias, name in _alias_index():
        if alias == q:
            return name
    if contained:
        for alias, name in _alias_index():
            if len(alias) >= 4 and alias in q:
                return name
    return None


def canonical_share(text: str) -> dict | None:
    q = key(text)
    for name, spec in share_measures().items():
        if q in {key(a) for a in [name, *spec.get("aliases", [])]}:
            return {"name": name, **spec}
    return None


def read_measure(doc: Disclosure, name: str) -> Figure | NoData:
    """A named measure, trying its lookups in order; the first figure wins. When every lookup
    fails the most telling NoData is returned (empty table > blank cell > missing)."""
    spec = measures()[name]
    label = spec.get("label", name)
    misses: list[NoData] = []
    for lookup in spec["lookups"]:
        result = read_lookup(doc, lookup, label)
        if isinstance(result, Figure):
            return result
        misses.append(result)
    order = {"empty_table": 0, "blank": 1, "not_stated": 2, "no_item": 3, "no_table": 4}
    best = min(misses, key=lambda nd: order.get(nd.reason, 9))
    if best.reason == "no_item":
        best = best.model_copy(update={"message_zh": f"{doc.unit}{doc.year}年预算公开中没有找到{label}。"})
    return best


def read_lookup(doc: Disclosure, lookup: dict, label: str) -> Figure | NoData:
    """One lookup of a measure (a table cell, the narrative, 政府采购, 国有资产, 绩效, 概况)."""
    if "procurement" in lookup:
        return procurement_figure(doc, lookup["procurement"], label)
    if "stated" in lookup:
        return stated_value(doc, lookup["stated"], label)
    if "assets" in lookup:
        return asset_figure(doc, lookup["assets"], label)
    if "overview" in lookup:
        return overview_figure(doc, lookup["overview"], label)
    if "performance" in lookup:
        return performance_figure(doc, lookup["performance"], label)
    table = usable_table(doc, find_table(doc, lookup["table"]), lookup["table"])
    if isinstance(table, NoData):
        return table
    for row_name in lookup["row"]:
        rows = find_rows(table, row_name, side=lookup.get("side"), unit=doc.unit)
        if rows:
            columns = lookup.get("column") or [None]  # never empty
            for column in columns:
                result = first_row_figure(doc, table, rows, column, label)  # a code printed twice: summed
                if isinstance(result, Figure) or result.reason == "blank":
                    break
            return result
    return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"{table.title}中没有“{lookup['row'][0]}”行。")


def no_procurement(doc: Disclosure) -> NoData:
    return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"{doc.unit}{doc.year}年预算说明中没有政府采购情况。")


def procurement_figure(doc: Disclosure, field: str, label: str) -> Figure | NoData:
    p = doc.procurement
    if p is None:
        return no_procurement(doc)
    value = getattr(p, field)
    if value is None:
        return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"政府采购情况中没有写明{PROCUREMENT_FIELDS[field]}金额。")
    return Figure(label=label, value=value, unit=p.unit,
                  source=doc_source(doc, section=section_title(doc, PROCUREMENT_SECTION, "政府采购"), row="政府采购",
                                    column=PROCUREMENT_FIELDS[field],
                                    page=p.location.page, line=p.location.line))


def stated_value(doc: Disclosure, subjects: list[str], label: str) -> Figure | NoData:
    wanted = {key(s) for s in subjects}
    for s in doc.stated:
        if key(s.subject) in wanted and s.value is not None and s.member is None:
            return Figure(label=label, value=s.value, unit=s.unit,
                          source=doc_source(doc, section=s.section, row=s.subject, column="金额",
                                            page=s.location.page, line=s.location.line))
    return NoData(reason="not_stated", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"预算说明中没有写明{label}。")


def read_parts(doc: Disclosure, name: str, figure: Figure) -> list[Figure]:
    """The parts of a measure, non-blank only. With "part_columns" they are the other columns of
    the row the figure was read from (same table, same scope); a figure read elsewhere (the
    narrative) gets none. Otherwise the unit-wide "parts" measures."""
    spec = measures()[name]
    columns = spec.get("part_columns")
    if columns is None:
        return [p for part in spec.get("parts", []) if isinstance(p := read_measure(doc, part), Figure)]
    lookup = next((lk for lk in spec["lookups"]
                   if lk.get("table") and (t := find_table(doc, lk["table"])) is not None
                   and t.kind.value == figure.source.table), None)
    if lookup is None:
        return []
    parts = [read_lookup(doc, {**lookup, "column": [col]}, col) for col in columns]
    return [p for p in parts if isinstance(p, Figure)]


def read_breakdown(doc: Disclosure, name: str) -> list[Figure]:
    """The coded rows that make a measure up (see "breakdown" in measures.json), non-blank only."""
    spec = measures()[name].get("breakdown")
    if not spec:
        return []
    table = find_table(doc, spec["table"])
    if table is None or table.empty:
        return []
    out = []
    for row in table.rows:
        if not row.code or len(row.code) != spec["level"]:
            continue
        if spec.get("side") and row.side not in (None, spec["side"]):
            continue
        f = cell_figure(doc, table, row, spec.get("column"), f"{row.code} {row.name}")
        if isinstance(f, Figure):
            out.append(f)
    return out


# ---- anything else a user may name ------------------------------------------------------------

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODED_TABLES = (TableKind.expenditure, TableKind.income, TableKind.general_budget_expenditure,
                TableKind.fund_expenditure, TableKind.fund_income, TableKind.state_capital)


def resolve_amount(doc: Disclosure, text: str, prefer: TableKind | None = None) -> Figure | NoData:
    """The amount a user names: a measure, a row of `prefer` (the whole's table in a share), a
    科目编码 or 功能分类 name, a project (its rows summed), an 经济科目 item."""
    name = canonical_measure(text)
    if name:
        return read_measure(doc, name)
    q = key(text)
    if prefer is not None:
        table = doc.table(prefer)
        if table is not None and not table.empty:
            rows = find_rows(table, text, unit=doc.unit)
            exact = [r for r in rows if r.code == q or key(r.name) == q]
            if exact or (rows and prefer in (TableKind.projects_current, TableKind.projects_carryover)):
                chosen = exact or rows
                if prefer in (TableKind.projects_current, TableKind.projects_carryover):
                    figures = [f for r in chosen if isinstance(f := cell_figure(doc, table, r, None), Figure)]
                    if figures:
                        return sum_figures(doc, figures, chosen[0].name)
                return first_row_figure(doc, table, chosen, None, chosen[0].name)
    if _CODE.match(q):
        for kind in CODED_TABLES:
            table = doc.table(kind)
            if table is not None:
                rows = [r for r in table.rows if r.code == q]
                if rows:
                    return cell_figure(doc, table, rows[0], None, f"{q} {rows[0].name}")
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算报表中没有科目编码{q}。")
    for kind in (TableKind.expenditure, TableKind.general_budget_expenditure, TableKind.income,
                 TableKind.fund_income, TableKind.fund_expenditure, TableKind.state_capital):
        table = doc.table(kind)
        if table is None or table.empty:
            continue
        rows = [r for r in table.rows if r.code and key(r.name) == q]
        if rows:
            return cell_figure(doc, table, min(rows, key=lambda r: len(r.code or "")), None, rows[0].name)
    summary = doc.table(TableKind.income_expenditure_summary)
    if summary is not None:
        rows = [r for r in summary.rows if r.side == "支出" and key(r.name) == q]
        if rows:
            return cell_figure(doc, summary, rows[0], "合计", rows[0].name)
    economic = doc.table(TableKind.basic_expenditure_economic)
    if economic is not None and not economic.empty:
        rows = [r for r in economic.rows if key(r.name) == q]
        if rows:
            return first_row_figure(doc, economic, rows, None, rows[0].name)
    projects = project_rows(doc, text)
    if projects:
        return sum_figures(doc, [p.figure for p in projects], projects[0].name)
    name = canonical_measure(text, contained=True)
    if name:
        return read_measure(doc, name)
    return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                  message_zh=f"{doc.unit}{doc.year}年预算公开中没有找到“{text}”。")


def function_class_rows(doc: Disclosure):
    """(table, rows) of the 支出功能分类 类 (3-digit codes) from 支出总表."""
    table = doc.table(TableKind.expenditure)
    if table is None or table.empty:
        return table, []
    return table, [r for r in table.rows if r.code and len(r.code) == 3]


def is_function_class(doc: Disclosure, text: str) -> bool:
    q = key(text)
    _, rows = function_class_rows(doc)
    return any(key(r.name) == q or r.code == q for r in rows)


def derived_percent_figure(doc: Disclosure, part: Figure, whole: Figure, label: str) -> Figure:
    value = percent(part.value, whole.value)
    note = f"推算：{part.label} {part.value} ÷ {whole.label} {whole.value} × 100 = {value}%（四舍五入保留两位小数）"
    return Figure(label=label, value=value, unit="%", source=derived_source(doc, note, row=label))


__all__ = ["measure_table", "measures", "share_measures", "canonical_measure", "canonical_share",
           "read_measure", "read_lookup", "read_parts", "read_breakdown", "resolve_amount", "procurement_figure",
           "no_procurement", "stated_value", "function_class_rows",
           "is_function_class", "derived_percent_figure"]
