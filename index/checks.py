"""Consistency checks over one parsed disclosure. Never raises: every problem is a Finding.

    findings = run_checks(disclosure)

Checks (the `check` field of a Finding):
    parent_sum          类 = Σ款, 款 = Σ项, 合计行 = Σ类, in every table keyed by 科目编码
    row_sum             合计/小计 column = Σ its sibling columns (合计 = 基本支出 + 项目支出 …)
    total_rows          合计/总计 rows of the uncoded tables (收支总表 sides, 经济科目, 项目, 机关运行)
    three_public_sum    “三公”: 购置 + 运行维护 = 公务用车购置及运行费; items = 合计
    cross_table         the same total printed in two tables
    narrative_vs_table  a figure stated in 情况说明 against the table it comes from
    share_percent       a stated share against value / whole
    change_percent      "增加X万元，增长Y%" against X / (value − X)
    procurement_sum     政府采购 goods + works + services = total
    performance_sum     绩效管理 project count/amount against the 项目支出预算表
    narrative_inconsistent  one section stating two amounts for the same thing (绩效管理: the same
                        category with the same project count, given twice with different amounts)

A difference of at most 0.03 (万元) is printed rounding (the documents say 尾差): severity
"rounding"; anything larger is "error". "warning" marks relations that usually hold.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.measures import Measure, registry
from core.model import BudgetTable, Disclosure, Finding, Location, StatedFigure, TableKind, TableRow
from core.text import fold
from parsing.tables import column_value, find_row, has_column, strip_ordinal, total_row

log = logging.getLogger(__name__)

from core.numbers import TOLERANCE  # noqa: E402  (one home for the 尾差 tolerance)

PERCENT_OK = Decimal("0.006")  # a percentage printed with two decimals
PERCENT_ROUNDING = Decimal("0.1")
ZERO = Decimal(0)
TOTAL_COLUMNS = ("合计", "小计")

K = TableKind


def run_checks(disclosure: Disclosure) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings += [f for f in check(disclosure) if f is not None]
        except Exception:  # a check must never stop the others or the caller
            log.exception("check %s failed on %s", check.__name__, disclosure.doc_id)
    return findings


# --- comparing -----------------------------------------------------------------------------


def compare(check: str, what: str, expected: Decimal | None, actual: Decimal | None,
            locations: Iterable[Location | None], expected_label: str, actual_label: str,
            severity: str | None = None, unit: str = "万元") -> Finding | None:
    """A Finding when `expected` and `actual` differ; blank counts as 0 against a number."""
    if expected is None and actual is None:
        return None
    diff = abs((expected or ZERO) - (actual or ZERO))
    if diff == 0:
        return None
    level = "rounding" if diff <= TOLERANCE else (severity or "error")
    note = "（尾差）" if level == "rounding" else ""
    message = (f"{what}：{expected_label}{_fmt(expected, unit)}，{actual_label}{_fmt(actual, unit)}，"
               f"相差{_fmt(diff, unit)}{note}")
    return Finding(check=check, severity=level, message=message, expected=expected, actual=actual,
                   locations=[loc for loc in locations if loc is not None])


def compare_percent(check: str, what: str, expected: Decimal, stated: Decimal,
                    locations: Iterable[Location | None]) -> Finding | None:
    diff = abs(expected - stated)
    if diff < PERCENT_OK:
        return None
    level = "rounding" if diff <= PERCENT_ROUNDING else "error"
    message = f"{what}：按金额计算为{expected.quantize(Decimal('0.01'))}%，文中为{stated}%"
    return Finding(check=check, severity=level, message=message, expected=expected.quantize(Decimal("0.01")),
                   actual=stated, locations=[loc for loc in locations if loc is not None])


def _fmt(value: Decimal | None, unit: str = "") -> str:
    return "空白" if value is None else f"{value:,.2f}{unit}"


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _name(table: BudgetTable) -> str:
    return f"{table.label}{table.kind.value}" if table.label else table.kind.value


def _row_label(row: TableRow) -> str:
    side = f"{row.side}方" if row.side else ""
    if row.code:
        return f"{side}科目{row.code}（{row.name}）"
    return f"{side}“{row.name}”行"


def _value_columns(table: BudgetTable, side: str | None) -> list[str]:
    names: list[str] = []
    for row in table.rows:
        if row.side == side:
            names += [c for c in row.values if c not in names]
    return names


# --- within one table ----------------------------------------------------------------------


def check_parent_sum(d: Disclosure) -> list[Finding | None]:
    out: list[Finding | None] = []
    for table in d.tables:
        for side in _sides(table):
            rows = [r for r in table.rows if r.side == side]
            coded = {}
            for r in rows:
                if r.code and r.code not in coded:
                    coded[r.code] = r
            if not coded:
                continue
            columns = _value_columns(table, side)
            for code, parent in coded.items():
                children = [r for c, r in coded.items() if len(c) == len(code) + 2 and c.startswith(code)]
                if children:
                    out += _sum_findings("parent_sum", table, parent, children, columns, "下级科目之和")
            top = [r for c, r in coded.items() if len(c) == 3]
            grand = next((r for r in rows if r.is_total and not r.code), None)
            if grand is not None and top:
                out += _sum_findings("parent_sum", table, grand, top, columns, "各类科目之和")
    return out


def _sum_findings(check: str, table: BudgetTable, parent: TableRow, children: list[TableRow],
                  columns: list[str], label: str) -> list[Finding | None]:
    out = []
    for column in columns:
        expected = _sum(c.values.get(column) for c in children)
        actual = parent.values.get(column)
        if expected is None and actual is None:
            continue
        out.append(compare(
            check, f"{_name(table)} {_row_label(parent)}“{column}”列", expected, actual,
            [parent.location] + [c.location for c in children[:1]], label, "本行为", unit=table.unit,
        ))
    return out


def check_row_sum(d: Disclosure) -> list[Finding | None]:
    out: list[Finding | None] = []
    for table in d.tables:
        for side in _sides(table):
            columns = _value_columns(table, side)
            rules = _row_sum_rules(columns)
            for row in (r for r in table.rows if r.side == side):
                for total, parts in rules:
                    actual = row.values.get(total)
                    expected = _sum(row.values.get(p) for p in parts)
                    if actual is None and expected is None:
                        continue
                    out.append(compare(
                        "row_sum", f"{_name(table)} {_row_label(row)}", expected, actual, [row.location],
                        "、".join(p.split("/")[-1] for p in parts) + "之和为", f"“{total}”列为", unit=table.unit,
                    ))
    return out


def _row_sum_rules(columns: list[str]) -> list[tuple[str, list[str]]]:
    """(total column, its parts): "本年收入/合计" <- "本年收入/*"; a bare "合计" <- the rest,
    where a group with its own 合计 counts through that 合计."""
    rules = []
    totals = [c for c in columns if c.split("/")[-1] in TOTAL_COLUMNS]
    for total in totals:
        prefix = total.rsplit("/", 1)[0] + "/" if "/" in total else ""
        if prefix:
            parts = [c for c in columns if c.startswith(prefix) and c != total]
        else:
            grouped = {c.rsplit("/", 1)[0] for c in totals if "/" in c}
            parts = [c for c in columns if c not in totals and not (("/" in c) and c.rsplit("/", 1)[0] in grouped)]
            parts += [c for c in totals if "/" in c]
        if parts:
            rules.append((total, parts))
    return rules


def check_total_rows(d: Disclosure) -> list[Finding | None]:
    out: list[Finding | None] = []
    for table in d.tables:
        if table.kind in (K.income_expenditure_summary, K.fiscal_summary):
            for side in ("收入", "支出"):
                out += _summary_side(table, side)
        elif table.kind == K.basic_expenditure_economic and not any(r.code for r in table.rows):
            out += _economic_groups(table)
        elif table.kind in (K.projects_current, K.projects_carryover) and not table.listed:
            out += _project_groups(table)
        elif table.kind == K.operating_costs:
            grand = total_row(table)
            items = [r for r in table.rows if not r.is_total]
            if grand is not None and items:
                out += _sum_findings("total_rows", table, grand, items, _value_columns(table, None), "各单位之和")
    return out


def _summary_side(table: BudgetTable, side: str) -> list[Finding | None]:
    """收支总表/财政拨款收支总表, one side: items -> 本年X合计; 合计 + 结转 -> 总计;
    the items under a 结转 row add up to it."""
    out: list[Finding | None] = []
    rows = [r for r in table.rows if r.side == side]
    columns = _value_columns(table, side)
    items: list[TableRow] = []
    year_total: TableRow | None = None
    carry: list[TableRow] = []
    carry_items: dict[int, list[TableRow]] = {}
    for row in rows:
        key = fold(row.name)
        if row.is_total and "总计" not in key:
            year_total = row
            if items:
                out += _sum_findings("total_rows", table, row, items, columns, "各项之和")
        elif row.is_total:
            if year_total is not None:
                out += _sum_findings("total_rows", table, row, [year_total] + carry, columns, "本年合计与结转之和")
        elif year_total is None:
            items.append(row)
        elif "结转" in key or "结余" in key:
            carry.append(row)
            carry_items[len(carry) - 1] = []
        elif carry and row.name:
            carry_items[len(carry) - 1].append(row)
    for i, children in carry_items.items():
        if children and any(v is not None for c in children for v in c.values.values()):
            out += _sum_findings("total_rows", table, carry[i], children, columns, "其中各项之和")
    return out


def _economic_groups(table: BudgetTable) -> list[Finding | None]:
    """经济科目表 without codes: a row without the 政府预算经济科目 text heads a group."""
    out: list[Finding | None] = []
    columns = _value_columns(table, None)
    with_texts = any(r.texts for r in table.rows)
    if not with_texts:
        return out
    grand = total_row(table)
    groups: list[tuple[TableRow, list[TableRow]]] = []
    for row in table.rows:
        if row.is_total:
            continue
        if not row.texts:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
    for head, items in groups:
        if items:
            out += _sum_findings("total_rows", table, head, items, columns, "所列明细之和")
    if grand is not None and groups:
        out += _sum_findings("total_rows", table, grand, [h for h, _ in groups], columns, "各类之和")
    return out


def _project_groups(table: BudgetTable) -> list[Finding | None]:
    """The first subtotal row = all projects; each unit row = the projects listed under it."""
    out: list[Finding | None] = []
    columns = _value_columns(table, None)
    rows = table.rows
    leaves = [r for r in rows if not r.is_total]
    if rows and rows[0].is_total and leaves:
        out += _sum_findings("total_rows", table, rows[0], leaves, columns, "全部项目之和")
    for i, row in enumerate(rows):
        if not row.is_total:
            continue
        following: list[TableRow] = []
        for nxt in rows[i + 1:]:
            if nxt.is_total:
                break
            following.append(nxt)
        if following and not (i == 0 and len(following) == len(leaves)):
            out += _sum_findings("total_rows", table, row, following, columns, "所属项目之和")
    return out


def check_three_public(d: Disclosure) -> list[Finding | None]:
    table = d.table(K.three_public)
    if table is None:
        return []
    out: list[Finding | None] = []
    columns = _value_columns(table, None)
    abroad = _row_containing(table, "出国")
    reception = _row_containing(table, "接待")
    cars = _row_containing(table, "购置", "运行")
    purchase = _row_containing(table, "购置", exclude="运行")
    running = _row_containing(table, "运行", exclude="购置")
    grand = total_row(table)
    if cars is not None and (purchase is not None or running is not None):
        parts = [r for r in (purchase, running) if r is not None]
        out += _sum_findings("three_public_sum", table, cars, parts, columns, "购置费与运行维护费之和")
    items = [r for r in (abroad, reception, cars) if r is not None]
    if grand is not None and items:
        out += _sum_findings("three_public_sum", table, grand, items, columns, "三项之和")
    return out


def _row_containing(table: BudgetTable, *words: str, exclude: str | None = None) -> TableRow | None:
    for row in table.rows:
        key = fold(row.name)
        if row.is_total or not all(w in key for w in words) or (exclude and exclude in key):
            continue
        return row
    return None


def check_code_names(d: Disclosure) -> list[Finding | None]:
    """One 科目编码 should carry one name in every table."""
    first: dict[str, tuple[BudgetTable, TableRow]] = {}
    out: list[Finding | None] = []
    reported: set[tuple[str, str]] = set()
    for table in d.tables:
        for row in table.rows:
            if not row.code or not row.name:
                continue
            if row.code not in first:
                first[row.code] = (table, row)
                continue
            other_table, other = first[row.code]
            key = (row.code, fold(row.name))
            if fold(other.name) == fold(row.name) or key in reported:
                continue
            reported.add(key)
            out.append(Finding(
                check="code_name", severity="warning",
                message=(f"科目{row.code}在{_name(other_table)}中名为“{other.name}”，"
                         f"在{_name(table)}中名为“{row.name}”"),
                locations=[other.location, row.location],
            ))
    return out


def _sides(table: BudgetTable) -> list[str | None]:
    return sorted({r.side for r in table.rows}, key=lambda s: s or "")


# --- across tables -------------------------------------------------------------------------


class CheckedAmount:
    """One table cell picked for a comparison."""

    def __init__(self, table: BudgetTable, row: TableRow, column: str):
        self.table, self.row, self.column = table, row, column
        self.value = column_value(row, column)

    @property
    def label(self) -> str:
        return f"{_name(self.table)}{_row_label(self.row)}“{self.column}”"


def cell(d: Disclosure, kind: TableKind, column: str, *, side: str | None = None,
         name: str | None = None, code: str | None = None, total: str | None = None) -> CheckedAmount | None:
    """A cell: in the total row (total="" for the first 合计, or a word like "总计"), or in
    the row with this 科目编码 / name."""
    table = d.table(kind)
    if table is None:
        return None
    if total is not None:
        row = total_row(table, side=side, contains=fold(total) if total else None)
    else:
        row = find_row(table, code=code, name=name, side=side)
    if row is None or not has_column(row, column):
        return None
    return CheckedAmount(table, row, column)


def compare_figures(check: str, what: str, a: CheckedAmount | None, b: CheckedAmount | None,
                    extra: CheckedAmount | None = None, severity: str | None = None) -> Finding | None:
    """a == b (+ extra). Skipped when a side is missing or both tables are marked empty."""
    if a is None or b is None:
        return None
    if a.table.empty and b.table.empty:
        return None
    actual = b.value if extra is None else _sum([b.value, extra.value])
    b_label = b.label + ("加" + extra.label if extra is not None else "")
    locations = [a.row.location, b.row.location] + ([extra.row.location] if extra else [])
    return compare(check, what, a.value, actual, locations, a.label + "为", b_label + "为", severity=severity,
                   unit=a.table.unit)


FUNDS = (
    ("一般公共预算", "一般公共预算"),
    ("政府性基金预算", "政府性基金"),
    ("国有资本经营预算", "国有资本经营预算"),
    ("财政专户管理资金", "财政专户管理资金"),
    ("单位资金", "单位资金"),
)


def check_cross_tables(d: Disclosure) -> list[Finding | None]:
    out: list[Finding | None] = []
    S, INC, E, F = K.income_expenditure_summary, K.income, K.expenditure, K.fiscal_summary
    G = K.general_budget_expenditure

    def summary_income(name: str) -> CheckedAmount | None:
        return cell(d, S, "金额", side="收入", name=name)

    income_total = cell(d, INC, "本年收入/合计", total="")
    out.append(compare_figures("cross_table", "收入总计与支出总计",
                               cell(d, S, "金额", side="收入", total="总计"),
                               cell(d, S, "合计", side="支出", total="总计")))
    out.append(compare_figures("cross_table", "本年收入合计", cell(d, S, "金额", side="收入", total="本年"),
                               income_total))
    out.append(compare_figures("cross_table", "上年结转", summary_income("上年结转"),
                               cell(d, INC, "上年结转", total="")))
    for summary_name, column in FUNDS:
        out.append(compare_figures("cross_table", f"{summary_name}收入", summary_income(summary_name),
                                   cell(d, INC, f"本年收入/{column}", total="")))
    out.append(compare_figures("cross_table", "本年支出合计",
                               cell(d, S, "合计", side="支出", total="本年"), cell(d, E, "合计", total="")))
    out += _per_code_expenditure(d)
    # 一般公共预算: 收支总表 = 收入总表 = 一般公共预算支出表 = 财政拨款收支总表
    general = cell(d, G, "合计", total="")
    out.append(compare_figures("cross_table", "一般公共预算本年支出", general,
                               cell(d, INC, "本年收入/一般公共预算", total="")))
    out.append(compare_figures("cross_table", "一般公共预算收入", summary_income("一般公共预算"),
                               cell(d, F, "金额", side="收入", name="一般公共预算")))
    for fund in ("政府性基金预算", "国有资本经营预算"):
        out.append(compare_figures("cross_table", f"{fund}收入", summary_income(fund),
                                   cell(d, F, "金额", side="收入", name=fund)))
    out += _per_code_general(d)
    out += _fiscal_against_summary(d)
    # 基本支出: 一般公共预算支出表 = 经济科目表 (人员经费 + 公用经费 is the row_sum check)
    out.append(compare_figures("cross_table", "一般公共预算基本支出", cell(d, G, "基本支出", total=""),
                               cell(d, K.basic_expenditure_economic, "合计", total="")))
    # 政府性基金 and 国有资本经营
    out.append(compare_figures("cross_table", "政府性基金收入", summary_income("政府性基金预算"),
                               cell(d, K.fund_income, _first_column(d, K.fund_income), total="")))
    out.append(compare_figures("cross_table", "政府性基金收支",
                               cell(d, K.fund_income, _first_column(d, K.fund_income), total=""),
                               cell(d, K.fund_expenditure, "合计", total="")))
    out.append(compare_figures("cross_table", "国有资本经营预算收入", summary_income("国有资本经营预算"),
                               cell(d, K.state_capital, _first_column(d, K.state_capital, "收入"),
                                    side="收入", total="")))
    out.append(compare_figures("cross_table", "国有资本经营预算收支",
                               cell(d, K.state_capital, _first_column(d, K.state_capital, "收入"),
                                    side="收入", total=""),
                               cell(d, K.state_capital, "合计", side="支出", total="")))
    # 项目支出: 支出总表 = 本年项目表 + 上年结转项目表; 一般公共预算支出表 = 本年项目表的一般公共预算
    current = _project_total(d, K.projects_current, "合计")
    carryover = _project_total(d, K.projects_carryover, "合计")
    out.append(compare_figures("cross_table", "项目支出", cell(d, E, "项目支出", total=""), current, carryover))
    out.append(compare_figures("cross_table", "一般公共预算项目支出", cell(d, G, "项目支出", total=""),
                               _project_total(d, K.projects_current, "一般公共预算")))
    # 机关运行经费 is the 公用经费 of 行政单位: usually, not always
    operating = cell(d, K.operating_costs, "合计", total="")
    if operating is not None and operating.value is not None:
        out.append(compare_figures("cross_table", "机关运行经费与公用经费", operating,
                                   cell(d, K.basic_expenditure_economic, "公用经费", total=""), severity="warning"))
    return out


def _fiscal_against_summary(d: Disclosure) -> list[Finding | None]:
    """财政拨款收支总表 against 收支总表 (when the latter has no 财政专户/单位资金) and against
    一般公共预算支出表: its 一般公共预算 spending = this year's + last year's carry-over."""
    S, F, G = K.income_expenditure_summary, K.fiscal_summary, K.general_budget_expenditure
    out: list[Finding | None] = []
    summary, fiscal = d.table(S), d.table(F)
    if summary is None or fiscal is None:
        return out
    other_funds = [cell(d, S, "金额", side="收入", name=n) for n, _ in FUNDS[3:]]
    if all(f is None or not f.value for f in other_funds):
        out.append(compare_figures("cross_table", "财政拨款收入总计", cell(d, S, "金额", side="收入", total="总计"),
                                   cell(d, F, "金额", side="收入", total="总计")))
        for row in summary.rows:
            if row.side != "支出" or row.is_total or "结转" in row.name:
                continue
            other = find_row(fiscal, name=row.name, side="支出")
            if other is not None and has_column(other, "小计"):
                out.append(compare_figures("cross_table", f"{strip_ordinal(row.name)}（财政拨款）",
                                           CheckedAmount(summary, row, "合计"), CheckedAmount(fiscal, other, "小计")))
    carry = _carry_item(fiscal, "一般公共预算")
    out.append(compare_figures("cross_table", "一般公共预算支出（含上年结转）",
                               cell(d, F, "一般公共预算", side="支出", total="本年"), cell(d, G, "合计", total=""),
                               carry))
    return out


def _carry_item(table: BudgetTable, fund: str) -> CheckedAmount | None:
    """The 收入 row of `fund` listed under 上年财政拨款结转 (the second row with that name)."""
    after_carry = False
    for row in table.rows:
        if row.side != "收入":
            continue
        if "结转" in row.name:
            after_carry = True
        elif after_carry and fold(strip_ordinal(row.name)) == fold(fund) and has_column(row, "金额"):
            return CheckedAmount(table, row, "金额")
    return None


def _first_column(d: Disclosure, kind: TableKind, side: str | None = None) -> str:
    table = d.table(kind)
    if table is None:
        return ""
    return next(iter(_value_columns(table, side)), "")


def _project_total(d: Disclosure, kind: TableKind, column: str) -> CheckedAmount | None:
    table = d.table(kind)
    if table is None or table.listed:  # a list read from the prose is not a printed table to check
        return None
    row = next((r for r in table.rows if r.is_total), None)
    if row is None:
        leaves = [r for r in table.rows if not r.is_total]
        if not leaves and table.empty:
            return None
        row = TableRow(name="全部项目", values={column: _sum(column_value(r, column) for r in leaves)},
                       location=table.location)
    if not has_column(row, column):
        return None
    return CheckedAmount(table, row, column)


def _per_code_expenditure(d: Disclosure) -> list[Finding | None]:
    """支出总表 per 科目: 合计 = 收入总表 本年收入合计 + 上年结转."""
    return _per_code(d, K.expenditure, "支出与收入", ("本年收入/合计", "上年结转"))


def _per_code_general(d: Disclosure) -> list[Finding | None]:
    """一般公共预算支出表 per 科目 = 收入总表 本年收入/一般公共预算."""
    return _per_code(d, K.general_budget_expenditure, "一般公共预算", ("本年收入/一般公共预算",))


def _per_code(d: Disclosure, kind: TableKind, what: str, income_columns: tuple[str, ...]) -> list[Finding | None]:
    """Each coded row's 合计 in table `kind` against the same 科目 in 收入总表 (sum of `income_columns`)."""
    table, income = d.table(kind), d.table(K.income)
    if table is None or income is None:
        return []
    income_columns = tuple(c for c in income_columns if c in income.columns)
    if not income_columns:  # this layout's 收入总表 does not split the income that way
        return []
    out: list[Finding | None] = []
    for row in table.rows:
        if not row.code:
            continue
        other = find_row(income, code=row.code)
        if other is None:
            out.append(_missing_code(table, income, row))
            continue
        parts = [CheckedAmount(income, other, column) for column in income_columns]  # one or two columns
        extra = parts[1] if len(parts) > 1 else None
        out.append(compare_figures("cross_table", f"科目{row.code}（{row.name}）{what}",
                                   CheckedAmount(table, row, "合计"), parts[0], extra))
    return out


def _missing_code(table: BudgetTable, other: BudgetTable, row: TableRow) -> Finding:
    return Finding(check="cross_table", severity="error",
                   message=f"{_name(table)}列有科目{row.code}（{row.name}），{_name(other)}中没有该科目",
                   locations=[row.location])


# --- narrative against tables --------------------------------------------------------------

# a share's whole (parsing/narrative.py SHARE_WHOLES) -> the measure (registry key) whose table
# figure it is a share of
SHARE_WHOLES_IN_TABLES: dict[str, str] = {
    "预算收入": "income_total",
    "支出预算": "expenditure_total",
    "一般公共预算当年支出": "general_budget_expenditure",
    "财政拨款收支总预算": "fiscal_total",
    "基本支出": "basic",
    "项目支出": "project",
    "“三公”经费": "three_public",
}


def stated_in_table(d: Disclosure, measure: Measure) -> CheckedAmount | None:
    """The table figure a narrative statement of `measure` is checked against (registry `stated_in`)."""
    spec = measure.stated_in
    if spec is None:
        return None
    kind = TableKind(spec.table)
    if spec.row_with is not None:
        table = d.table(kind)
        if table is None:
            return None
        row = _row_containing(table, *spec.row_with, exclude=spec.row_without)
        return CheckedAmount(table, row, spec.column) if row is not None and has_column(row, spec.column) else None
    return cell(d, kind, spec.column, side=spec.side, total=spec.total)


@dataclass(frozen=True)
class NarrativeAgreement:
    """A narrative statement of a measure against its table figure. `status`: 一致, 尾差 (within
    TOLERANCE), 不一致, 仅说明 (no table figure), 仅表格 (no statement with an amount), 无 (neither)."""
    measure: Measure
    stated: StatedFigure | None
    table: CheckedAmount | None
    difference: Decimal | None  # stated − table
    status: str


def narrative_vs_table(d: Disclosure, measure: Measure | str, stated: StatedFigure | None = None) -> NarrativeAgreement:
    """The one narrative-vs-table comparison (build-time checks and tools/verify.py): `stated`
    (default: the first statement of the measure's narrative subject with an amount) against the
    table figure the registry's `stated_in` names. Blank cells count as 0."""
    if isinstance(measure, str):
        measure = registry().measure(measure)
    table = stated_in_table(d, measure)
    if stated is None:
        stated = _statement_of(d, measure.subject, table.value if table is not None else None)
    value = stated.value if stated is not None else None
    if table is None or value is None:
        status = "仅说明" if value is not None else "仅表格" if table is not None else "无"
        return NarrativeAgreement(measure, stated, table, None, status)
    difference = value - (table.value or ZERO)
    return NarrativeAgreement(measure, stated, table, difference, agreement_status(difference))


def _statement_of(d: Disclosure, subject: str | None, table_value: Decimal | None) -> StatedFigure | None:
    """The narrative's statement of a subject to check: one that agrees with the table when there
    is one (项目支出 is stated for the 部门, for 财政拨款 and for one unit, and only the 部门's is
    the table's), else the first; a member unit's figure is never the 部门's."""
    stated = [s for s in d.stated if s.subject == subject and s.value is not None and s.member is None]
    agreeing = [s for s in stated if s.value == table_value]
    if agreeing or table_value is None:
        return next(iter(agreeing or stated), None)
    share = next((x for x in d.shares if x.subject == subject and x.value == table_value), None)
    if share is not None:  # "项目支出2171.10万元，占72.90%" is read as a share
        return StatedFigure(subject=subject, value=share.value, sentence=share.sentence, section=share.section,
                            location=share.location)
    return stated[0] if stated else None


def agreement_status(difference: Decimal) -> str:
    """一致, 尾差 (printed rounding, at most TOLERANCE) or 不一致."""
    return "一致" if difference == 0 else "尾差" if abs(difference) <= TOLERANCE else "不一致"


def _share_part(d: Disclosure, subject: str, whole: str | None) -> CheckedAmount | None:
    """The table cell a share's subject names: a 收入 item, 基本/项目支出, or a 类 of spending."""
    key = fold(subject)
    if whole == "预算收入":
        if "结转" in key:
            return cell(d, K.income_expenditure_summary, "金额", side="收入", name="上年结转")
        for summary_name, _ in FUNDS:
            if fold(summary_name) in key or key in fold(summary_name):
                return cell(d, K.income_expenditure_summary, "金额", side="收入", name=summary_name)
        return None
    if (m := registry().by_subject(subject)) is not None and m.stated_in is not None and whole in ("支出预算", None):
        return cell(d, K.expenditure, subject, total="") if subject in ("基本支出", "项目支出") else None
    if whole == "一般公共预算当年支出":
        table = d.table(K.general_budget_expenditure)
        if table is None:
            return None
        row = next((r for r in table.rows if r.code and len(r.code) == 3 and fold(r.name) == key), None)
        return CheckedAmount(table, row, "合计") if row is not None else None
    return None


def check_narrative(d: Disclosure) -> list[Finding | None]:
    out: list[Finding | None] = []
    for stated in d.stated:
        measure = registry().by_subject(stated.subject) if stated.member is None else None
        figure = narrative_vs_table(d, measure, stated).table if measure is not None else None
        if figure is not None and stated.value is not None and not (figure.table.empty and stated.value == 0):
            out.append(compare("narrative_vs_table", f"情况说明所述{stated.subject}", figure.value, stated.value,
                               [figure.row.location, stated.location], figure.label + "为", "文中为"))
        if stated.change is not None and stated.change_percent is not None and stated.value is not None:
            base = stated.value - stated.change
            if base != 0:
                expected = stated.change / base * 100
                out.append(compare_percent("change_percent", f"情况说明所述{stated.subject}增减幅度",
                                           expected, stated.change_percent, [stated.location]))
    for share in d.shares:
        part = _share_part(d, share.subject, share.whole)
        if part is None and share.value:
            out.append(_misnamed_share(d, share))
        if part is not None and share.value is not None:
            out.append(compare("narrative_vs_table", f"情况说明所述{share.subject}", part.value, share.value,
                               [part.row.location, share.location], part.label + "为", "文中为"))
        whole_key = SHARE_WHOLES_IN_TABLES.get(share.whole or "")
        whole = stated_in_table(d, registry().measure(whole_key)) if whole_key else None
        if whole is not None and whole.value and share.value is not None:
            expected = share.value / whole.value * 100
            out.append(compare_percent("share_percent", f"情况说明所述{share.subject}占{share.whole}的比重",
                                       expected, share.percent, [share.location]))
    return out


def _misnamed_share(d: Disclosure, share) -> Finding | None:
    """A 类 share whose name matches no 类 of the table, but whose amount matches exactly one."""
    if share.whole != "一般公共预算当年支出":
        return None
    table = d.table(K.general_budget_expenditure)
    if table is None:
        return None
    matches = [r for r in table.rows if r.code and len(r.code) == 3 and column_value(r, "合计") == share.value]
    if len(matches) != 1:
        return None
    row = matches[0]
    return Finding(
        check="narrative_vs_table", severity="warning",
        message=(f"情况说明所述“{share.subject}”{_fmt(share.value, '万元')}与{_name(table)}科目"
                 f"{row.code}（{row.name}）金额相同，名称不一致，疑为笔误"),
        expected=row.values.get("合计"), actual=share.value, locations=[row.location, share.location],
    )


def check_procurement(d: Disclosure) -> list[Finding | None]:
    p = d.procurement
    if p is None or p.total is None:
        return []
    parts = [p.goods, p.works, p.services]
    if all(v is None for v in parts):
        return []
    return [compare("procurement_sum", "政府采购预算", _sum(parts), p.total, [p.location],
                    "货物、工程、服务之和为", "总额为", unit=p.unit)]


def check_performance(d: Disclosure) -> list[Finding | None]:
    perf = d.performance
    if perf is None:
        return []
    out: list[Finding | None] = []
    if perf.categories:
        if perf.amount is not None and any(c.amount is not None for c in perf.categories):
            out.append(compare("performance_sum", "纳入绩效目标管理的项目金额", _sum(c.amount for c in perf.categories),
                               perf.amount, [perf.location], "各类项目金额之和为", "总额为", unit=perf.unit))
        counts = [c.count for c in perf.categories if c.count is not None]
        if perf.project_count is not None and counts and sum(counts) != perf.project_count:
            out.append(Finding(check="performance_sum", severity="error",
                               message=f"纳入绩效目标管理的项目个数：各类之和为{sum(counts)}个，总数为{perf.project_count}个",
                               expected=Decimal(sum(counts)), actual=Decimal(perf.project_count),
                               locations=[perf.location]))
    projects = d.table(K.projects_current)
    if projects is not None and not projects.empty and not projects.listed and perf.amount is not None:
        grand = _project_total(d, K.projects_current, "合计")
        out.append(compare("performance_sum", "纳入绩效目标管理的项目金额与本年项目支出预算表",
                           grand.value if grand else None, perf.amount,
                           [grand.row.location if grand else None, perf.location],
                           "项目支出预算表合计为", "绩效管理情况所述为", unit=perf.unit))
        leaves = [r for r in projects.rows if not r.is_total]
        if perf.project_count is not None and leaves and len(leaves) != perf.project_count:
            out.append(Finding(check="performance_sum", severity="warning",
                               message=f"绩效管理情况所述二级项目{perf.project_count}个，本年项目支出预算表列有{len(leaves)}行项目",
                               expected=Decimal(len(leaves)), actual=Decimal(perf.project_count),
                               locations=[projects.location, perf.location]))
    return out


_CATEGORY_AMOUNT = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,8}类)项目\s*(?P<n>\d+)\s*个[，,]?\s*涉及(?:项目)?(?:金额|资金)\s*"
    r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元")


def check_narrative_consistency(d: Disclosure) -> list[Finding | None]:
    """The 绩效管理 section names each category twice (纳入绩效目标管理 and 公开): the same category
    with the same project count must carry the same amount. The narrative parser keeps the first
    mention only, so the section text is read again here."""
    perf = d.performance
    if perf is None:
        return []
    head = perf.sentence[:20]
    section = next((s for s in d.sections if head and head in s.text), None)
    text = section.text if section else perf.sentence
    seen: dict[tuple[str, int], Decimal] = {}
    out: list[Finding | None] = []
    for m in _CATEGORY_AMOUNT.finditer(text):
        name, count = m["name"], int(m["n"])
        amount = Decimal(m["amount"].replace(",", ""))
        first = seen.setdefault((name, count), amount)
        if first != amount:
            out.append(compare("narrative_inconsistent", f"绩效管理情况中{name}项目{count}个的金额前后不一致",
                               first, amount, [perf.location, section.location if section else None],
                               "前文为", "后文为", unit=perf.unit))
    if (perf.published_count is not None and perf.published_count == perf.project_count
            and perf.amount is not None and perf.published_amount is not None):
        out.append(compare("narrative_inconsistent", f"绩效管理情况中全部{perf.project_count}个项目的金额前后不一致",
                           perf.amount, perf.published_amount, [perf.location],
                           "纳入绩效目标管理的金额为", "公开绩效目标的金额为", unit=perf.unit))
    return out


def check_coverage(d: Disclosure) -> list[Finding | None]:
    """Say which standard tables the document does not have (the checks on them could not run),
    and which tables are marked empty yet print amounts."""
    out: list[Finding | None] = []
    held = {t.kind for t in d.tables}
    absent = [k.value for k in TableKind if k != K.other and k not in held]
    if absent:
        out.append(Finding(check="not_run", severity="warning",
                           message=f"文件中没有{'、'.join(absent)}，涉及这些表的核对未能进行"))
    for table in d.tables:
        if table.empty_note and not table.empty:
            out.append(Finding(check="empty_note", severity="warning",
                               message=f"{_name(table)}注明为空表，但表中列有金额",
                               locations=[table.location]))
    return out


CHECKS: list[Callable[[Disclosure], list[Finding | None]]] = [
    check_coverage,
    check_parent_sum,
    check_row_sum,
    check_total_rows,
    check_three_public,
    check_code_names,
    check_cross_tables,
    check_narrative,
    check_procurement,
    check_performance,
    check_narrative_consistency,
]
