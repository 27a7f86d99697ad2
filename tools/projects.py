"""Projects (项目支出预算表, 本年 and 上年结转) and their 绩效目标表."""
from __future__ import annotations

import re
from decimal import Decimal

from rapidfuzz import fuzz

from core.model import YEAR_FUNDS, BudgetTable, Disclosure, PerformanceTarget, Section, TableKind, TableRow
from core.text import fold
from tools.catalog import Catalog
from tools.lookup import cell_figure, doc_source, key, sum_figures
from tools.trace import traced
from tools.types import (
    Ambiguous,
    Figure,
    IndicatorHit,
    NoData,
    NotePart,
    NoteResult,
    ProjectQuery,
    ProjectResult,
    ProjectRow,
    Source,
    TargetQuery,
    TargetResult,
    TargetTable,
)

PROJECT_TABLES = {TableKind.projects_current: "本年", TableKind.projects_carryover: "上年结转"}
TARGET_TABLE = "项目支出绩效目标表"
CARRYOVER_COLUMN = "上年结转"
FUNDING_NOTE = "来源"  # a text column naming where a project's money comes from (资金来源)
_ORG = re.compile(r"(?:局|委员会|管委会|中心|办公室|所|站|队|院|校|处|室|部|馆|社|会|本级|机关)$")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")  # "晋城市城市管理局（本级）" -> "…局本级"
_PROJECT_WORDS = re.compile(r"经费|费|资金|项目|工程|补助|补贴|工资|奖|款")


def project_items(doc: Disclosure, table: BudgetTable) -> list[TableRow]:
    """The project rows of a 项目支出预算表: without totals and unit subtotal rows."""
    rows = [r for r in table.rows if not r.is_total and key(r.name) not in ("合计", "总计")]
    first = lambda r: next(iter(r.values.values()), None)  # noqa: E731  (合计 column)
    items = []
    for i, row in enumerate(rows):
        if not key(row.name) or _is_subtotal(doc, rows, i, first):
            continue  # (a unit's subtotal may print its name in the 单位名称 column only)
        items.append(row)
    return items


def carryover_items(doc: Disclosure) -> tuple[BudgetTable, list[TableRow], str] | None:
    """Last year's carry-over projects of a document that prints them in its one project table:
    (table, the rows with an amount in its 上年结转 column, that column); None when a table of
    carry-over projects is printed, or none is marked."""
    table = doc.table(TableKind.projects_current)
    if doc.table(TableKind.projects_carryover) is not None or table is None or table.empty:
        return None
    column = next((c for c in table.columns if c.split("/")[-1].startswith(CARRYOVER_COLUMN)), None)
    rows = [r for r in project_items(doc, table) if column and r.values.get(column)]
    return (table, rows, column) if column and rows else None


def _org_like(name: str) -> bool:
    name = _TRAILING_NOTE.sub(lambda m: m.group()[1:-1], key(name))
    return bool(_ORG.search(name)) and not _PROJECT_WORDS.search(name)


def _is_subtotal(doc: Disclosure, rows: list[TableRow], i: int, first) -> bool:
    row = rows[i]
    if key(row.name) in {key(name) for name in (doc.unit, *doc.member_units)}:
        return True  # a unit's subtotal (部门 documents list each unit's projects under its name)
    if not _org_like(row.name):
        return False
    # an organisation-like name is a subtotal when it equals the sum of the rows after it,
    # up to the next organisation-like row
    value = first(row)
    if value is None:
        return True
    total = Decimal(0)
    for other in rows[i + 1:]:
        if _org_like(other.name):
            break
        total += first(other) or 0
    return total == value


def project_rows(doc: Disclosure, name: str, kinds=tuple(PROJECT_TABLES)) -> list[ProjectRow]:
    """Every row whose project name matches `name` best (duplicates kept), in table order."""
    candidates: list[tuple[BudgetTable, TableRow]] = []
    for kind in kinds:
        table = doc.table(kind)
        if table is not None and not table.empty:
            candidates += [(table, r) for r in project_items(doc, table)]
    matched = match_names(name, [r.name for _, r in candidates])
    out = []
    for table, row in candidates:
        if row.name in matched:
            figure = cell_figure(doc, table, row, None, row.name)
            if not isinstance(figure, Figure):
                continue
            funding = [f for col in list(row.values)[1:]
                       if isinstance(f := cell_figure(doc, table, row, col, f"{row.name}（{col.split('/')[-1]}）"),
                                     Figure)]
            note = next((text for column, text in row.texts.items() if FUNDING_NOTE in column and text), None)
            out.append(ProjectRow(name=row.name, table=PROJECT_TABLES[table.kind], figure=figure, funding=funding,
                                  funding_note=note))
    return out


def match_names(query: str, names: list[str]) -> list[str]:
    """Names matching `query`: all exact matches; else every name containing the query (so
    化解期政策兑现资金 finds 第一批 and 第二批); else names inside the query; else the fuzzy best."""
    q = key(query)
    if not q:
        return []
    distinct = list(dict.fromkeys(names))
    for test in (lambda n: key(n) == q, lambda n: q in key(n), lambda n: len(key(n)) >= 4 and key(n) in q):
        hits = [n for n in distinct if test(n)]
        if hits:
            return hits
    scored = [(max(fuzz.ratio(q, key(n)), fuzz.partial_ratio(q, key(n)) - 5), n) for n in distinct]
    best = max((s for s, _ in scored), default=0)
    return [n for s, n in scored if s >= 75 and s >= best - 1]


@traced
def find_project(catalog: Catalog, query: ProjectQuery) -> ProjectResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    rows = project_rows(doc, query.name)
    if not rows:
        names = [r.name for kind in PROJECT_TABLES if (t := doc.table(kind)) and not t.empty
                 for r in project_items(doc, t)]
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年项目支出预算表中没有“{query.name}”。",
                      available=list(dict.fromkeys(names)))
    names = list(dict.fromkeys(r.name for r in rows))
    label = names[0] if len(names) == 1 else f"{query.name}（{len(names)}个项目合计）"
    total = sum_figures(doc, [r.figure for r in rows], label if len(rows) == 1 else f"{label}合计")
    targets = {key(t.project) for t in doc.targets}
    return ProjectResult(query=query.name, names=names, rows=rows, total=total,
                         has_target=any(key(n) in targets for n in names))


@traced
def project_note(catalog: Catalog, query: TargetQuery) -> NoteResult | NoData | Ambiguous:
    """A project the document describes in prose (“XX项目经费情况说明”), with each part cited."""
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    matched = match_names(query.project, [n.project for n in doc.project_notes])
    note = next((n for n in doc.project_notes if n.project in matched), None)
    if note is None:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开中没有“{query.project}”的项目说明。",
                      available=[n.project for n in doc.project_notes])
    loc = note.location
    parts = [NotePart(heading=heading, text=text,
                      source=doc_source(doc, table=note.title, row=note.project, column=heading,
                                        page=loc.page, line=loc.line))
             for heading, text in note.parts.items() if text]
    return NoteResult(project=note.project, title=note.title, parts=parts)


# ---- 绩效目标表 ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")


def described_use(doc: Disclosure, project: str) -> tuple[str, Section] | None:
    """The 情况说明's own sentence on what a project's money is for ("6.食品安全抽检监测经费268.80万元，
    用于委托第三方检验机构开展…"): the project's name, its amount, then 用于; else a 用于 sentence that
    names the project; with its section."""
    name = re.escape(project)
    patterns = (re.compile(name + r"[^。；;\n]{0,12}?\d[\d,.]*\s*万元[^。\n]{0,8}?(?:主要)?用于[^。\n]*"),
                # "…预算数为96.00万元。主要用于8个社区党组织服务群众经费，按每个社区12.00万元标准安排。"
                re.compile(r"(?:主要)?用于[^。；;\n]{0,30}?" + name + r"[^。\n]*"))
    for pattern in patterns:
        for section in doc.sections:
            found = pattern.search(section.text) if section.part == "情况说明" else None
            if found:
                return found.group(0), section
    return None


def target_source(doc: Disclosure, target: PerformanceTarget, column: str | None = None,
                  location=None) -> Source:
    loc = location or target.location
    return doc_source(doc, table=TARGET_TABLE, row=target.project, column=column, page=loc.page, line=loc.line)


def find_target(doc: Disclosure, project: str) -> PerformanceTarget | None:
    targets = find_targets(doc, project)
    return targets[0] if targets else None


def find_targets(doc: Disclosure, project: str) -> list[PerformanceTarget]:
    """Every 绩效目标表 printed under the best-matching project title, in document order."""
    names = match_names(project, [t.project for t in doc.targets])
    if not names:
        return []
    return [t for t in doc.targets if t.project == names[0]]


_BETWEEN_NUMBERS = re.compile(r"(?:至|到|~|～|－|—|-|、|，|,|；|且|或|和|及|[≥≤<>=＞＜≧≦\s])+$")
_COMPARISON = "≥≤<>=＞＜≧≦"


def indicator_numbers(value: str) -> list[tuple[Decimal, str]]:
    """Every number in an 指标值 with the unit printed after it: "2万元至40万元" ->
    [(2, "万元"), (40, "万元")], "3500元/人/月" -> [(3500, "元/人/月")]. A "-" between numbers
    is a range, not a sign."""
    # a number right after a Latin letter is part of a unit ("元/m 2 /月" is 元 per square metre)
    matches = [m for m in _NUMBER.finditer(value) if not re.search(r"[A-Za-z]\s*$", value[:m.start()])]
    out = []
    for i, m in enumerate(matches):
        text, start = m.group(), m.start()
        if text[0] in "+-" and start > 0 and value[start - 1] not in _COMPARISON and not value[start - 1].isspace():
            text = text[1:]
        end = matches[i + 1].start() if i + 1 < len(matches) else len(value)
        unit = _BETWEEN_NUMBERS.sub("", value[m.end():end]).strip()
        out.append((Decimal(text.replace(",", "")), unit))
    for i in range(len(out) - 2, -1, -1):  # "2-40万元": the range's unit is printed once, at its end
        if not out[i][1]:
            out[i] = (out[i][0], out[i + 1][1])
    return out


def indicator_number(value: str) -> tuple[Decimal, str] | None:
    """The first number in an 指标值 and the unit after it: "≥95%" -> (95, "%")."""
    numbers = indicator_numbers(value)
    return numbers[0] if numbers else None


@traced
def project_target(catalog: Catalog, query: TargetQuery) -> TargetResult | NoData | Ambiguous:
    doc = catalog.document(query.unit, query.year)
    if not isinstance(doc, Disclosure):
        return doc
    targets = find_targets(doc, query.project)
    if not targets:
        return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                      message_zh=f"{doc.unit}{doc.year}年预算公开中没有“{query.project}”的绩效目标表。",
                      available=[t.project for t in doc.targets])
    target = targets[0]
    indicators = [(i, ind) for i, t in enumerate(targets) for ind in t.indicators]
    if query.indicator:
        names = match_names(query.indicator, [ind.level3 for _, ind in indicators])
        by_level = [(i, ind) for i, ind in indicators
                    if fold(query.indicator) in (fold(ind.level2 or ""), fold(ind.level1 or ""))]
        indicators = [(i, ind) for i, ind in indicators if ind.level3 in names] or by_level
        if not indicators:
            return NoData(reason="no_item", unit=doc.unit, year=doc.year, document=doc.doc_id,
                          message_zh=f"“{target.project}”的绩效目标表中没有“{query.indicator}”指标。",
                          available=list(dict.fromkeys(ind.level3 for t in targets for ind in t.indicators)))
    hits = []
    seen = set()
    for i, ind in indicators:
        if (i, ind.level3, ind.value) in seen:
            continue  # the 年度 column usually repeats the 实施期 one
        seen.add((i, ind.level3, ind.value))
        source = target_source(doc, targets[i], f"{ind.period}/{ind.level3}", ind.location)
        numbers = [Figure(label=ind.level3, value=v, unit=u,
                          source=source if n == 1 else source.model_copy(update={"column": f"{source.column}[{n}]"}))
                   for n, (v, u) in enumerate(indicator_numbers(ind.value), 1)]
        hits.append(IndicatorHit(period=ind.period, level1=ind.level1, level2=ind.level2, level3=ind.level3,
                                 value=ind.value, number=numbers[0] if numbers else None, numbers=numbers,
                                 table=i, source=source))
    tables = [_target_table(doc, t) for t in targets]
    first = tables[0]
    return TargetResult(project=target.project, implementer=first.implementer, overview=first.overview,
                        goal_year=first.goal_year,
                        funds_total=first.funds_total, funds_year=first.funds_year,
                        funds_sources=first.funds_sources, indicators=hits, source=first.source, others=tables[1:])


def _target_table(doc: Disclosure, target: PerformanceTarget) -> TargetTable:
    def money(value: Decimal | None, column: str) -> Figure | None:
        if value is None:
            return None
        return Figure(label=f"{target.project}{column}", value=value, unit=target.unit,
                      source=target_source(doc, target, column))

    year_sources = [Figure(label=f"{target.project}{name.removeprefix(YEAR_FUNDS)}", value=v, unit=target.unit,
                           source=target_source(doc, target, name))  # cited as "年度/省级财政资金"
                    for name, v in target.funds_detail.items() if name.startswith(YEAR_FUNDS) and v]
    return TargetTable(project=target.project, implementer=target.implementer, overview=target.overview,
                       goal_year=target.goal_year, funds_total=money(target.funds_total, "实施期资金总额"),
                       funds_year=money(target.funds_year, "年度资金总额"),
                       funds_sources=year_sources, source=target_source(doc, target))
