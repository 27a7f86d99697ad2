"""Projects a document names only in prose, for documents that print no 项目支出预算表.

Some layouts (Henan's 单位 documents) list their projects in the 情况说明 instead ("具体为：辖区道路
环卫保洁市场化运营服务项目1,380.00万元，社区工作者薪酬及社区运转经费1,286.40万元，…"; "上年结转的社区
党群服务中心提升改造项目48.60万元") and print a 绩效目标表 for some of them. Those rows become a
project table of their own, titled as what it is, so that every project tool reads them and every
figure cites the sentence it was read from.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.model import UNIT_COLUMN, YEAR_FUNDS, BudgetTable, Location, PerformanceTarget, TableKind, TableRow
from core.text import fold_key, money_unit, parse_money

AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
LIST_OPENERS = ("具体为", "具体是", "具体包括", "分别为", "分别是", "主要有", "包括")
PROJECT_ENDINGS = ("项目", "经费", "资金", "补贴", "补助", "工程", "费")
LISTED_TITLE = "情况说明所列项目"
TARGETS_TITLE = "项目支出绩效目标表所列项目"
LISTED_COLUMN = "合计"

_LIST = re.compile(rf"(?:{'|'.join(LIST_OPENERS)})[：:]\s*(?P<items>[^。]+)")
_NAMED_AMOUNT = rf"(?P<name>[^，,；;：:。、\s\d]{{4,40}}?)\s*(?P<amount>{AMOUNT}){money_unit()}"
_ITEM = re.compile(_NAMED_AMOUNT)
_CARRYOVER = re.compile(rf"上年结转(?:资金安排)?的{_NAMED_AMOUNT}")
_SEPARATORS = re.compile(r"[，；;、]|,(?!\d{3})")  # not the comma of 1,380.00


@dataclass
class ListedProject:
    name: str
    amount: Decimal
    carryover: bool
    location: Location


def listed_projects(text: str, location_at: Callable[[int], Location]) -> list[ListedProject]:
    """Projects listed with their amounts in one section's text: a list after 具体为/分别为… whose
    every item is a project-like name and an amount, and 上年结转的…项目 sentences."""
    found: list[ListedProject] = []
    for match in _LIST.finditer(text):
        items = [piece.strip() for piece in _SEPARATORS.split(match["items"]) if piece.strip()]
        parsed = [m for piece in items if (m := _ITEM.fullmatch(piece)) and _project_like(m["name"])]
        if len(parsed) >= 2 and len(parsed) == len(items):
            offset = match.start("items")
            found += [_listed(m, False, location_at(offset)) for m in parsed]
    for match in _CARRYOVER.finditer(text):
        if _project_like(match["name"]):
            found.append(_listed(match, True, location_at(match.start())))
    return found


def _project_like(name: str) -> bool:
    return name.endswith(PROJECT_ENDINGS) and not name.startswith(("资金", "经费", "项目"))


def _listed(match: re.Match, carryover: bool, location: Location) -> ListedProject:
    amount = parse_money(match)
    assert amount is not None  # the pattern only matches numbers
    return ListedProject(match["name"], amount, carryover, location)


def listed_project_tables(listed: list[ListedProject], targets: list[PerformanceTarget],
                          tables: list[BudgetTable]) -> list[BudgetTable]:
    """Project tables for a document that prints none: this year's projects from the prose list,
    else from the 绩效目标表 (年度资金总额); last year's carry-over projects from the prose."""
    if any(t.kind in (TableKind.projects_current, TableKind.projects_carryover) for t in tables):
        return []
    out = []
    current = [p for p in listed if not p.carryover]
    if current:
        out.append(_table(TableKind.projects_current, LISTED_TITLE, current))
    elif rows := [_target_row(t) for t in targets if t.funds_year is not None]:
        columns = list(dict.fromkeys(c for r in rows for c in r.values))
        out.append(_table(TableKind.projects_current, TARGETS_TITLE, [], rows, columns))
    carryover = [p for p in listed if p.carryover]
    if carryover:
        out.append(_table(TableKind.projects_carryover, f"{LISTED_TITLE}（上年结转）", carryover))
    return out


def _table(kind: TableKind, title: str, listed: list[ListedProject],
           rows: list[TableRow] | None = None, columns: list[str] | None = None) -> BudgetTable:
    if rows is None:
        firsts = {fold_key(p.name): p for p in reversed(listed)}  # a project named twice: its first mention
        rows = [TableRow(name=p.name, values={LISTED_COLUMN: p.amount}, location=p.location)
                for p in listed if firsts[fold_key(p.name)] is p]
    return BudgetTable(kind=kind, title=title, columns=columns or [LISTED_COLUMN], rows=rows,
                       location=rows[0].location, listed=True)


def _target_row(target: PerformanceTarget) -> TableRow:
    """The project's 年度资金总额 and each of the year's sources printed with an amount (其中：财政拨款
    | 其他资金 120.00), in 万元."""
    assert target.funds_year is not None
    scale = Decimal(1) if target.unit == "万元" else Decimal(10000)
    sources = {label.split("/", 1)[1]: v for label, v in target.funds_detail.items()
               if label.startswith(YEAR_FUNDS) and v}
    values = {LISTED_COLUMN: target.funds_year, **sources}
    owner = {UNIT_COLUMN: target.implementer} if target.implementer else {}  # a 部门's member unit
    return TableRow(name=target.project, values={c: v / scale for c, v in values.items()}, texts=owner,
                    location=target.location)
