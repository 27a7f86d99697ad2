"""Top-N within one disclosure: projects, 功能分类 类, 经济科目 items, income sources."""
from __future__ import annotations

from decimal import Decimal

from core.model import BudgetTable, Disclosure, TableKind, TableRow
from parsing.tables import strip_ordinal
from tools.catalog import Catalog
from tools.lookup import cell_figure, key, sum_figures, total_row, usable_table
from tools.measures import canonical_measure, derived_percent_figure, read_measure
from tools.members import is_own_level, member_figure, member_key, unit_items
from tools.projects import carryover_items, project_items
from tools.trace import traced
from tools.types import Ambiguous, Figure, NoData, RankQuery, RankResult, RankRow

WHAT = {
    "projects": (TableKind.projects_current, "项目（本年预算）"),
    "carryover_projects": (TableKind.projects_carryover, "上年结转项目"),
    "functions": (TableKind.expenditure, "支出功能分类（类）"),
    "functions_kuan": (TableKind.expenditure, "支出功能分类（款）"),
    "functions_xiang": (TableKind.expenditure, "支出功能分类（项）"),
    "economic": (TableKind.basic_expenditure_economic, "基本支出经济科目"),
    "income_sources": (TableKind.income_expenditure_summary, "收入来源"),
    "members": (TableKind.income, "部门所属单位"),
}


def economic_class_items(table: BudgetTable, within: str) -> tuple[TableRow, list[TableRow]] | None:
    """The 类 row named `within` (商品和服务支出) and the items printed under it (办公费, 印刷费 …)
    up to the next 类 row; None when no 类 row has that name."""
    item_ids = {id(r) for r in economic_items(table)}
    rows = [r for r in table.rows if not r.is_total and key(r.name) not in ("合计", "总计")]
    start = next((i for i, r in enumerate(rows) if id(r) not in item_ids and key(r.name) == key(within)), None)
    if start is None:
        return None
    under = []
    for row in rows[start + 1:]:
        if id(row) not in item_ids:
            break
        under.append(row)
    return rows[start], under


def economic_items(table: BudgetTable) -> list[TableRow]:
    """表六 item rows: without the total and the 类 rows (工资福利支出 …) that sum the items.
    Item rows carry the 政府预算支出经济科目名称 as text; without that, a row equal to the sum of
    the rows after it is a 类 row."""
    rows = [r for r in table.rows if not r.is_total and key(r.name) not in ("合计", "总计")]
    if any(r.texts for r in rows):
        return [r for r in rows if any(v for v in r.texts.values())]
    first = lambda r: next(iter(r.values.values()), None) or Decimal(0)  # noqa: E731
    items = []
    for i, row in enumerate(rows):
        total, header = Decimal(0), False
        for other in rows[i + 1:]:
            total += first(other)
            if total == first(row):
                header = True
                break
            if total > first(row):
                break
        if not header:
            items.append(row)
    return items


# 功能分类 levels by code length: 类 3 digits, 款 5, 项 7
CODE_LENGTH = {"functions": 3, "functions_kuan": 5, "functions_xiang": 7}


def candidate_rows(doc: Disclosure, what: str, table: BudgetTable) -> list[TableRow]:
    if what in ("projects", "carryover_projects"):
        return project_items(doc, table)
    if what in CODE_LENGTH:
        return [r for r in table.rows if r.code and len(r.code) == CODE_LENGTH[what]]
    if what == "income_sources":
        return [r for r in _income_side(table) if not r.is_total and key(r.name) not in ("合计", "总计")]
    if what == "members":
        members = {member_key(m) for m in doc.member_units}
        return [r for r in table.rows if member_key(r.name) in members]
    return economic_items(table)


def _income_side(table: BudgetTable) -> list[TableRow]:
    return [r for r in table.rows if r.side == "收入"]


def _total(table: BudgetTable, what: str, unit: str) -> TableRow | None:
    """The whole the items are shares of: for income sources the income side's last total
    (收入总计, which includes 上年结转), else the table's total."""
    if what == "income_sources":
        totals = [r for r in _income_side(table) if r.is_total]
        return totals[-1] if totals else None
    return total_row(table, unit)


def _function_table(doc: Disclosure, what: str, table: BudgetTable | None,
                    general_budget: bool = False) -> BudgetTable | None:
    """The 支出总表, or the 一般公共预算支出表 when asked for (财政拨款里…) or when the former lacks
    rows of the level asked."""
    if what not in CODE_LENGTH or (table is not None and candidate_rows(doc, what, table) and not general_budget):
        return table
    other = doc.table(TableKind.general_budget_expenditure)
    return other if other is not None and candidate_rows(doc, what, other) else table


@traced
def rank_items(catalog: Catalog, query: RankQuery) -> RankResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    kind, what_zh = WHAT[query.what]
    if query.what == "members" and query.column:
        return _members_by(doc, query)
    inline = carryover_items(doc) if query.what == "carryover_projects" else None
    column = inline[2] if inline else None  # carry-over rows of the one project table: their 上年结转
    table = inline[0] if inline else usable_table(
        doc, _function_table(doc, query.what, doc.table(kind), query.general_budget), kind.value)
    if isinstance(table, NoData):
        return table
    figures: list[tuple[Figure, TableRow, int]] = []
    rows = inline[1] if inline else candidate_rows(doc, query.what, table)
    if query.what == "members" and query.subordinate_only:
        rows = [r for r in rows if not is_own_level(r.name, doc.unit)]
    if query.what == "projects" and query.column:  # the projects one fund pays for, by its column
        column = next((c for c in table.columns if query.column in c.split("/")[-1]), None)
        rows = [r for r in rows if column and r.values.get(column)]
        what_zh = f"{query.column}安排的{what_zh}"
    class_row = None
    if query.what in CODE_LENGTH and query.within and query.within.isdigit():
        rows = [r for r in rows if r.code and r.code.startswith(query.within)]
        class_row = next((r for r in table.rows if r.code == query.within), None)
        what_zh = f"{class_row.name if class_row else query.within}下的{what_zh}"
    if query.member and query.what in ("projects", "carryover_projects"):
        # "农技中心的项目里…": that unit's rows and its 小计
        class_row, owned = unit_items(table, query.member, doc.unit)
        rows = [r for r in rows if r in owned]
        what_zh = f"{query.member}的{what_zh}"
    found = economic_class_items(table, query.within) if query.what == "economic" and query.within else None
    if found and found[1]:
        class_row, rows = found
        what_zh = f"{query.within}经济科目"
    for row in rows:
        f = cell_figure(doc, table, row, column, row.name)
        if isinstance(f, Figure):
            figures.append((f, row, 1))
    if query.group_duplicates:
        figures = _grouped(doc, figures)
    if not figures:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{table.title}中没有可排序的{what_zh}。")
    figures.sort(key=lambda x: x[0].value, reverse=not query.ascending)
    total_r = class_row or _total(table, query.what, doc.unit)
    total_label = total_r.name if (class_row or query.what == "income_sources") and total_r else f"{table.title}合计"
    if query.member and class_row is not None:
        total_label = f"{query.member}项目合计"
    total = cell_figure(doc, table, total_r, column, total_label) if total_r else None
    total = total if isinstance(total, Figure) and total.value else None
    member_rows = query.member and class_row is None and query.what in ("projects", "carryover_projects")
    if member_rows or (total is None and table.listed and query.what in ("projects", "carryover_projects")):
        # a unit named on each of its rows (no 小计), or projects read from prose or from 绩效目标表
        # (no printed 合计): their sum, 推算 — never the whole table's 合计
        total = sum_figures(doc, [f for f, _, _ in figures], f"{what_zh}合计")
    ranked: list[RankRow] = []
    for i, (f, row, n) in enumerate(figures[:query.n], 1):
        share = derived_percent_figure(doc, f, total, f"{row.name}占合计比例") if total else None
        name = strip_ordinal(row.name) if query.what == "income_sources" else row.name
        ranked.append(RankRow(rank=i, name=name, code=row.code, figure=f, rows=n, share_of_total=share))
    return RankResult(what=what_zh, rows=ranked, total=total, count=len(figures))


def _members_by(doc: Disclosure, query: RankQuery) -> RankResult | NoData:
    """Member units ranked by one measure, from the table listing them or the narrative."""
    found = [(member, f) for member in doc.member_units
             if isinstance(f := member_figure(doc, member, query.column), Figure)
             and not (query.subordinate_only and is_own_level(member, doc.unit))]
    if not found:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开没有按单位列示“{query.column}”。")
    found.sort(key=lambda mf: mf[1].value, reverse=not query.ascending)
    name = canonical_measure(query.column or "")
    whole = read_measure(doc, name) if name else None  # the 部门's own figure: what the units' add up to
    total = whole if isinstance(whole, Figure) and whole.value else None
    rows = [RankRow(rank=i, name=member, figure=f,
                    share_of_total=derived_percent_figure(doc, f, total, f"{member}占比") if total else None)
            for i, (member, f) in enumerate(found[:query.n], 1)]
    return RankResult(what=f"部门所属单位（{query.column}）", rows=rows, total=total, count=len(found))


def _grouped(doc: Disclosure, figures):
    groups: dict[str, list] = {}
    for f, row, _ in figures:
        groups.setdefault(key(row.name), []).append((f, row))
    out = []
    for members in groups.values():
        fs = [f for f, _ in members]
        out.append((sum_figures(doc, fs, members[0][1].name + ("（合计）" if len(fs) > 1 else "")),
                    members[0][1], len(fs)))
    return out
