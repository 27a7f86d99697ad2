"""Disclosure templates of other layouts than the bundled Shanxi ones, each with a known truth.

Every template draws a small budget (amounts in 元, from a seeded random generator) that is
consistent by construction — a 类 is the sum of its 款, a 款 the sum of its 项, 收入 = 支出, the
same totals in every table, 三公 items add up to the 三公 total, the narrative states the tables'
figures — and renders it as a complete text export (the format parsing/read_text.py reads:
headings, paragraphs, tables as tab-separated rows or markdown pipe rows). What each template
prints is its truth:

    layout = LAYOUTS["mof8-county-education"]()        # a Layout
    layout.text                                         # the export
    layout.unit, layout.year, layout.kind, layout.members, layout.table_kinds
    layout.cells       # every printed amount: Cell(table kind, side, row code/name, column, value, unit)
    layout.figures     # narrative figures: Figure(subject, value in 万元, signed change or None)
    layout.procurement # 政府采购 total/goods/works/services in 万元

The layouts differ the way real documents do:

- ``mof8-county-education`` — the Ministry-of-Finance 8-table layout many provinces use
  (部门收支总表 … 政府性基金预算支出表, labelled 表1..表8 on their own line), 万元, no
  绩效目标表 and no 机关运行经费 table (机关运行经费 only in the narrative, under 九、其他重要事项),
  “三公” table printed vertically with 上年预算数/本年预算数 columns, totals spelt "收 入 总 计".
- ``dept-multi-unit-health`` — a 部门 document of a 市 卫生健康委员会 covering three units
  (listed 1. 2. 3. in 机构设置), a unit-by-unit 部门收入总表 (单位编码/单位名称 rows with 财政拨款,
  事业收入, 其他收入), 事业收入 non-zero, amounts in 元 with thousands separators in every table but
  万元 in the narrative, 附表N labels, bold headings, an empty 政府性基金 table, and a
  政府采购预算表 the parser has no kind for (must be kept as a generic table).
- ``shanghai-like-scitech`` — Shanghai's layout: cover "X2026年区级单位预算" + 预算单位：…,
  财务收支预算总表 … 9 tables, 类/款/项 codes in three columns, amounts in 元 with .00 except the
  combined “三公”经费和机关运行经费预算表 (one row of numbers, 万元), 编制说明 with
  比上年预算执行数 comparisons and 持平, 其他相关情况说明 instead of 第三部分.
- ``mof8-pipes-subdistrict`` — the 8-table layout again, but as markdown pipe tables, 附表1-8
  labels inline with the title, a 区 街道办事处 单位 document, and an extra
  部门整体支出绩效目标表 (a table of no standard kind).

Units, places and years are invented. The comparison helpers at the end (`table_cell_value`,
`recovered_cells`, `recovered_figures`) are shared by tests/test_layouts.py and
bench/bench_layouts.py.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
Q = D("0.01")
WAN = D(10000)

# table kinds by their TableKind value (core/model.py), so that this module needs no import
SUMMARY = "收支总表"
INCOME = "收入总表"
EXPENDITURE = "支出总表"
FISCAL = "财政拨款收支总表"
GENERAL = "一般公共预算支出表"
ECONOMIC = "一般公共预算基本支出分经济科目表"
FUND_EXP = "政府性基金支出表"
STATE_CAPITAL = "国有资本经营预算收支表"
THREE = "三公经费支出预算表"
OPERATING = "机关运行经费预算表"
OTHER = "其他报表"

# --- classification -----------------------------------------------------------------------

FUNCTION_NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务",
    "205": "教育支出", "20501": "教育管理事务", "2050101": "行政运行", "2050199": "其他教育管理事务支出",
    "20502": "普通教育", "2050202": "小学教育", "2050203": "初中教育",
    "206": "科学技术支出", "20601": "科学技术管理事务", "2060101": "行政运行", "2060102": "一般行政管理事务",
    "20604": "技术研究与开发", "2060404": "科技成果转化与扩散", "20607": "科学技术普及", "2060702": "科普活动",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080502": "事业单位离退休", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出", "21001": "卫生健康管理事务", "2100101": "行政运行", "2100199": "其他卫生健康管理事务支出",
    "21004": "公共卫生", "2100401": "疾病预防控制机构", "2100403": "妇幼保健机构", "2100409": "重大公共卫生服务",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "212": "城乡社区支出", "21201": "城乡社区管理事务", "2120101": "行政运行", "2120104": "城管执法",
    "2120199": "其他城乡社区管理事务支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金", "2210203": "购房补贴",
    "229": "其他支出", "22960": "彩票公益金安排的支出", "2296004": "用于教育事业的彩票公益金支出",
}
ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30113": "住房公积金",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30211": "差旅费",
    "30217": "公务接待费", "30228": "工会经费", "30231": "公务用车运行维护费", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30302": "退休费",
}
PERSONNEL = ("301", "303")
GENERAL_FUND, GOV_FUND, BUSINESS, OTHER_INCOME = "一般公共预算", "政府性基金", "事业收入", "其他收入"


# --- truth --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One printed amount. `row` is the 科目编码 when the row has one, else its name as printed
    (None: the table's only row, e.g. a “三公” table printed as one line of numbers). `column`
    is the header path as printed, parent/leaf ("基本支出/人员经费")."""

    table: str
    row: str | None
    column: str
    value: Decimal  # in `unit`, as printed
    unit: str
    side: str | None = None
    also_in: tuple[str, ...] = ()  # other kinds the parser may file this table under
    title: str | None = None  # for tables of no standard kind: their printed title

    def label(self) -> str:
        side = f"{self.side}/" if self.side else ""
        return f"{self.table}[{side}{self.row or '—'}][{self.column}]"


@dataclass(frozen=True)
class Figure:
    """A figure the narrative states (万元), with its signed change (0 for 持平) when stated.
    `subjects`: the canonical subject (parsing/narrative.py SUBJECTS) first, then other names
    a parser may reasonably file it under."""

    subjects: tuple[str, ...]
    value: Decimal
    change: Decimal | None = None
    sentence: str = ""

    @property
    def subject(self) -> str:
        return self.subjects[0]


@dataclass
class Layout:
    name: str
    unit: str
    year: int
    kind: str  # 单位 | 部门
    members: list[str]  # units a 部门 document covers, 本级 first; [] for one unit
    table_kinds: list[str]  # kinds present, in document order (OTHER for unknown tables)
    empty_tables: list[str]  # kinds printed with a 本表无数据/空表 note
    other_titles: list[str]  # titles of the tables of no standard kind
    cells: list[Cell]
    figures: list[Figure]
    procurement: dict[str, Decimal]  # total/goods/works/services, 万元
    text: str = ""


# --- amounts ------------------------------------------------------------------------------


def wan(yuan: Decimal) -> Decimal:
    return (yuan / WAN).quantize(Q, rounding=ROUND_HALF_UP)


def fmt_wan(yuan: Decimal | None, zero: str = "") -> str:
    if yuan is None:
        return ""
    if yuan == 0:
        return zero
    return f"{wan(yuan):.2f}"


def fmt_yuan(yuan: Decimal | None, zero: str = "", decimals: bool = False) -> str:
    if yuan is None:
        return ""
    if yuan == 0:
        return zero
    return f"{yuan:,.2f}" if decimals else f"{int(yuan):,}"


def narrative_wan(yuan: Decimal, separators: bool = False) -> str:
    v = wan(yuan)
    if v == 0:
        return "0"
    return f"{v:,.2f}" if separators else f"{v:.2f}"


def printed_value(text: str) -> Decimal:
    return D(text.replace(",", ""))


@dataclass
class Line:
    """One 项 of one unit: basic and project amounts (元) from one funding source."""

    unit: str
    code: str
    basic: Decimal = D(0)
    project: Decimal = D(0)
    source: str = GENERAL_FUND

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


def draw(rng: random.Random, lo: int, hi: int, grain: int) -> Decimal:
    return D(rng.randrange(lo // grain, hi // grain + 1) * grain)


def staff_costs(rng, unit: str, run_code: str, scale: int, grain: int, administrative: bool,
                vehicle_running: Decimal, reception: Decimal) -> tuple[list[Line], dict[str, Decimal]]:
    """Basic expenditure of one unit (一般公共预算): its economic leaves and the functional
    lines they land on (养老/年金/医疗/公积金/退休 on their own 项, the rest on `run_code`)."""
    e = {
        "30101": draw(rng, 30 * scale, 60 * scale, grain),
        "30102": draw(rng, 20 * scale, 50 * scale, grain),
        "30107": draw(rng, 25 * scale, 45 * scale, grain),
        "30108": draw(rng, 10 * scale, 16 * scale, grain),
        "30110": draw(rng, 6 * scale, 9 * scale, grain),
        "30113": draw(rng, 9 * scale, 13 * scale, grain),
        "30201": draw(rng, 2 * scale, 5 * scale, grain),
        "30206": draw(rng, 1 * scale, 2 * scale, grain),
        "30211": draw(rng, 1 * scale, 3 * scale, grain),
        "30217": reception,
        "30228": draw(rng, 1 * scale, 2 * scale, grain),
        "30231": vehicle_running,
        "30299": draw(rng, 1 * scale, 4 * scale, grain),
        "30302": draw(rng, 2 * scale, 6 * scale, grain),
    }
    e["30109"] = (e["30108"] / 2 / grain).quantize(D(1)) * grain
    e = {k: v for k, v in e.items() if v}
    admin = administrative
    own = {"30108": "2080505", "30109": "2080506", "30110": "2101101" if admin else "2101102",
           "30113": "2210201", "30302": "2080501" if admin else "2080502"}
    lines = [Line(unit, code, basic=e[k]) for k, code in own.items() if k in e]
    lines.insert(0, Line(unit, run_code, basic=sum(v for k, v in e.items() if k not in own)))
    return lines, e


def merge_lines(lines: list[Line]) -> list[Line]:
    """One line per (unit, code, source)."""
    out: dict[tuple[str, str, str], Line] = {}
    for ln in lines:
        key = (ln.unit, ln.code, ln.source)
        if key in out:
            out[key].basic += ln.basic
            out[key].project += ln.project
        else:
            out[key] = Line(ln.unit, ln.code, ln.basic, ln.project, ln.source)
    return list(out.values())


def functional_rows(
    lines: list[Line], values: Callable[[list[Line]], list[Decimal]]
) -> list[tuple[str, str, list[Decimal]]]:
    """类/款/项 rows (code, name, values) over `lines`, parents first, in code order."""
    codes = sorted({c for ln in lines for c in (ln.code[:3], ln.code[:5], ln.code)})
    rows = []
    for code in codes:
        members = [ln for ln in lines if ln.code.startswith(code)]
        rows.append((code, FUNCTION_NAMES[code], values(members)))
    return rows


def economic_rows(econ: dict[str, Decimal]) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    """(code, name, total, personnel, public) for 301/302/303 and their leaves."""
    rows = []
    for group in ("301", "302", "303"):
        leaves = sorted(k for k in econ if k.startswith(group))
        if not leaves:
            continue
        personnel = group in PERSONNEL
        total = sum(econ[k] for k in leaves)
        rows.append((group, ECONOMIC_NAMES[group], total, total if personnel else D(0), D(0) if personnel else total))
        for k in leaves:
            rows.append((k, ECONOMIC_NAMES[k], econ[k], econ[k] if personnel else D(0), D(0) if personnel else econ[k]))
    return rows


def sum_by(lines, source=None, part="total") -> Decimal:
    return sum((getattr(ln, part) for ln in lines if source is None or ln.source == source), D(0))


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100).quantize(Q, rounding=ROUND_HALF_UP):.2f}" if whole else "0"


# --- rendering ------------------------------------------------------------------------------


class Doc:
    """Collects the export's lines and the truth of every amount it prints."""

    def __init__(self, pipes: bool = False):
        self.out: list[str] = []
        self.cells: list[Cell] = []
        self.kinds: list[str] = []
        self.empty: list[str] = []
        self.other_titles: list[str] = []
        self.pipes = pipes

    def para(self, *texts: str) -> None:
        for t in texts:
            self.out += [t, ""]

    def row(self, cells: list[str]) -> None:
        if self.pipes:
            self.out.append("| " + " | ".join(c if c else " " for c in cells) + " |")
        else:
            self.out.append("\t".join(cells))

    def table(self, kind: str, head: list[str], header: list[list[str]], unit: str,
              title: str | None = None, empty_note: str | None = None) -> "TableWriter":
        self.kinds.append(kind)
        if kind == OTHER and title:
            self.other_titles.append(title)
        if self.out and self.out[-1] != "":
            self.out.append("")
        for line in head:
            self.out += [line, ""]
        writer = TableWriter(self, kind, unit, title if kind == OTHER else None)
        for i, h in enumerate(header):
            self.row(h)
            if self.pipes and i == 0:
                self.out.append("|" + "|".join(" --- " for _ in h) + "|")
        if empty_note:
            self.empty.append(kind)
            writer.note = empty_note
        return writer

    def text(self) -> str:
        return "\n".join(self.out).rstrip() + "\n"


@dataclass
class TableWriter:
    doc: Doc
    kind: str
    unit: str
    title: str | None
    note: str | None = None
    also_in: tuple[str, ...] = ()

    def cells(
        self, printed: list[str], columns: list[str | None], row: str | None, side: str | None = None
    ) -> list[str]:
        """Register the amounts of `printed` under `columns` (None: not an amount column)."""
        for text, column in zip(printed, columns):
            if column is not None and text.strip():
                self.doc.cells.append(Cell(self.kind, row, column, printed_value(text), self.unit, side,
                                           self.also_in, self.title))
        return printed

    def row(self, cells: list[str]) -> None:
        self.doc.row(cells)

    def end(self) -> None:
        self.doc.out.append("")
        if self.note:
            self.doc.out += [self.note, ""]


def pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


# --- the budgets --------------------------------------------------------------------------


@dataclass
class Budget:
    units: list[str]
    lines: list[Line]
    econ: dict[str, Decimal]  # 一般公共预算 basic, all units
    econ_by_unit: dict[str, dict[str, Decimal]]
    three: dict[str, dict[str, Decimal]]  # unit -> outbound/reception/purchase/running (元)
    three_prior: dict[str, Decimal]  # all units, last year's budget (元)
    operating: Decimal  # 机关运行经费 (元): public funds of the administrative units
    procurement: list[tuple[str, str, str, Decimal]]  # (unit, project, category, 元)
    run_codes: dict[str, str] = field(default_factory=dict)  # unit -> the 项 its running costs land on

    def three_total(self, unit: str | None = None) -> dict[str, Decimal]:
        keys = ("outbound", "reception", "purchase", "running")
        units = [unit] if unit else list(self.three)
        t = {k: sum((self.three[u][k] for u in units), D(0)) for k in keys}
        t["vehicles"] = t["purchase"] + t["running"]
        t["total"] = t["outbound"] + t["reception"] + t["vehicles"]
        return t


def make_budget(seed: int, units: list[tuple[str, str, bool, int]], projects: list[tuple[str, str, str, int]],
                grain: int, three_spec: dict[str, tuple[int, int, int, int]],
                prior_three: tuple[int, int, int, int], procurement: list[tuple[str, str, str, int]],
                business: list[tuple[str, str, int, int]] = ()) -> Budget:
    """units: (name, 行政运行 code, administrative?, scale); projects: (unit, code, source, 元);
    three_spec: unit -> (outbound, reception, purchase, running) in 元 (multiples of 100);
    business: (unit, code, basic, project) funded by 事业收入."""
    rng = random.Random(seed)
    lines: list[Line] = []
    econ: dict[str, Decimal] = {}
    econ_by_unit = {}
    operating = D(0)
    three = {}
    for name, run_code, admin, scale in units:
        out_, rec, buy, run = three_spec.get(name, (0, 0, 0, 0))
        three[name] = {"outbound": D(out_), "reception": D(rec), "purchase": D(buy), "running": D(run)}
        unit_lines, e = staff_costs(rng, name, run_code, scale, grain, admin, D(run), D(rec))
        lines += unit_lines
        econ_by_unit[name] = e
        for k, v in e.items():
            econ[k] = econ.get(k, D(0)) + v
        if admin:
            operating += sum(v for k, v in e.items() if k.startswith("302"))
    for unit, code, source, amount in projects:
        lines.append(Line(unit, code, project=D(amount), source=source))
    for unit, code, basic, project in business:
        lines.append(Line(unit, code, basic=D(basic), project=D(project), source=BUSINESS))
    # vehicle purchases are project spending of the unit buying
    for name, spec in three.items():
        if spec["purchase"] or spec["outbound"]:
            lines.append(Line(name, next(u[1] for u in units if u[0] == name),
                              project=spec["purchase"] + spec["outbound"]))
    prior = dict(zip(("outbound", "reception", "purchase", "running"), map(D, prior_three)))
    return Budget([u[0] for u in units], merge_lines(lines), econ, econ_by_unit, three, prior, operating,
                  [(u, p, c, D(a)) for u, p, c, a in procurement], {u[0]: u[1] for u in units})


def procurement_totals(b: Budget) -> dict[str, Decimal]:
    cats = {"goods": "货物", "works": "工程", "services": "服务"}
    out = {k: sum((a for *_, c, a in b.procurement if c == v), D(0)) for k, v in cats.items()}
    out["total"] = sum(out.values())
    return out


# --- layout (a): the Ministry-of-Finance 8-table layout ------------------------------------


def _mof8(name: str, unit: str, year: int, kind: str, budget: Budget, members: list[str], *, pipes: bool,
          label: Callable[[int], str], inline_label: bool, duties: str, extra_table: bool,
          income_changes: tuple[int, int, int]) -> Layout:
    b = budget
    doc = Doc(pipes=pipes)
    k = kind  # 部门 / 单位
    lines = b.lines
    total = sum_by(lines)
    gen, fund, other = sum_by(lines, GENERAL_FUND), sum_by(lines, GOV_FUND), sum_by(lines, OTHER_INCOME)
    assert sum_by(lines, BUSINESS) == 0
    basic, project = sum_by(lines, part="basic"), sum_by(lines, part="project")
    gen_lines = [ln for ln in lines if ln.source == GENERAL_FUND]
    fund_lines = [ln for ln in lines if ln.source == GOV_FUND]
    heading = "## " if not pipes else "### "

    doc.para(unit, f"{year}年{k}预算公开")
    doc.para(f"{heading}第一部分 {k}概况")
    doc.para(f"{heading}一、主要职能", duties)
    if members:
        listing = "、".join(members)
        doc.para(f"{heading}二、{k}预算单位构成",
                 f"从预算单位构成看，纳入本{k}{year}年{k}预算编制范围的单位共{len(members)}个，包括：{listing}。")
    else:
        doc.para(f"{heading}二、机构设置情况", f"本{k}为一级预算单位，无下属预算单位，内设5个科室。")
    doc.para(f"{heading}第二部分 {year}年{k}预算表")

    def title(n: int, text: str) -> list[str]:
        t = f"{year}年{k}{text}" if not text.startswith("一般") else f"{year}年{text}"
        return [f"{label(n)}{t}"] if inline_label else [label(n), t]

    def wn(v):
        return fmt_wan(v)

    # 表1 收支总表
    kinds_present = [(c, FUNCTION_NAMES[c]) for c in sorted({ln.code[:3] for ln in lines})]
    t = doc.table(SUMMARY, title(1, "收支总表") + ["单位：万元"],
                  [["收入", "", "支出", ""], ["项目", "本年预算", "项目", "本年预算"]], "万元")
    left = [("一、一般公共预算拨款收入", gen), ("二、政府性基金预算拨款收入", fund),
            ("三、国有资本经营预算拨款收入", None), ("四、财政专户管理资金收入", None),
            ("五、事业收入", None), ("六、事业单位经营收入", None), ("七、其他收入", other)]
    cn = "一二三四五六七八九十"
    right = [(f"{cn[i]}、{n}", sum_by([ln for ln in lines if ln.code.startswith(c)]))
             for i, (c, n) in enumerate(kinds_present)]
    for i in range(max(len(left), len(right))):
        ln_ = left[i] if i < len(left) else ("", None)
        rn = right[i] if i < len(right) else ("", None)
        cells = t.cells([ln_[0], wn(ln_[1])], [None, "本年预算"], ln_[0], "收入")
        cells += t.cells([rn[0], wn(rn[1])], [None, "本年预算"], rn[0], "支出")
        t.row(cells)
    t.row(t.cells(["本年收入合计", wn(total)], [None, "本年预算"], "本年收入合计", "收入")
          + t.cells(["本年支出合计", wn(total)], [None, "本年预算"], "本年支出合计", "支出"))
    t.row(["上年结转结余", "", "年终结转结余", ""])
    t.row(t.cells(["收 入 总 计", wn(total)], [None, "本年预算"], "收入总计", "收入")
          + t.cells(["支 出 总 计", wn(total)], [None, "本年预算"], "支出总计", "支出"))
    t.end()

    # 表2 收入总表 (by function)
    cols = ["合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "其他收入"]
    t = doc.table(INCOME, title(2, "收入总表") + ["单位：万元"], [["科目编码", "科目名称"] + cols], "万元")
    vals = lambda ls: [sum_by(ls), sum_by(ls, GENERAL_FUND), sum_by(ls, GOV_FUND), sum_by(ls, OTHER_INCOME)]  # noqa: E731
    t.row(t.cells(["合计", ""] + [wn(v) for v in vals(lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(lines, vals):
        t.row(t.cells([code, nm] + [wn(x) for x in v], [None, None] + cols, code))
    t.end()

    # 表3 支出总表
    cols = ["合计", "基本支出", "项目支出"]
    t = doc.table(EXPENDITURE, title(3, "支出总表") + ["单位：万元"], [["科目编码", "科目名称"] + cols], "万元")
    vals = lambda ls: [sum_by(ls), sum_by(ls, part="basic"), sum_by(ls, part="project")]  # noqa: E731
    t.row(t.cells(["合计", ""] + [wn(v) for v in vals(lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(lines, vals):
        t.row(t.cells([code, nm] + [wn(x) for x in v], [None, None] + cols, code))
    t.end()

    # 表4 财政拨款收支总表
    t = doc.table(FISCAL, title(4, "财政拨款收支总表") + ["单位：万元"],
                  [["收入", "", "支出", "", "", ""],
                   ["项目", "本年预算", "项目", "合计", "一般公共预算", "政府性基金预算"]], "万元")
    fin = [ln for ln in lines if ln.source in (GENERAL_FUND, GOV_FUND)]
    fin_total = sum_by(fin)
    left = [("一、一般公共预算拨款收入", gen), ("二、政府性基金预算拨款收入", fund),
            ("三、国有资本经营预算拨款收入", None)]
    right = []
    for i, (c, n) in enumerate(kinds_present):
        ls = [ln for ln in fin if ln.code.startswith(c)]
        right.append((f"{cn[i]}、{n}", [sum_by(ls), sum_by(ls, GENERAL_FUND), sum_by(ls, GOV_FUND)]))
    rcols = ["合计", "一般公共预算", "政府性基金预算"]
    for i in range(max(len(left), len(right))):
        ln_ = left[i] if i < len(left) else ("", None)
        rn = right[i] if i < len(right) else ("", [None] * 3)
        t.row(t.cells([ln_[0], wn(ln_[1])], [None, "本年预算"], ln_[0], "收入")
              + t.cells([rn[0]] + [wn(x) for x in rn[1]], [None] + rcols, rn[0], "支出"))
    t.row(t.cells(["收 入 总 计", wn(fin_total)], [None, "本年预算"], "收入总计", "收入")
          + t.cells(["支 出 总 计", wn(fin_total), wn(gen), wn(fund)], [None] + rcols, "支出总计", "支出"))
    t.end()

    # 表5 一般公共预算支出表: 基本支出 split into 人员经费/公用经费 under a spanning header
    cols = ["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"]
    t = doc.table(GENERAL, title(5, "一般公共预算支出表") + ["单位：万元"],
                  [["科目编码", "科目名称", "合计", "基本支出", "", "", "项目支出"],
                   ["", "", "", "小计", "人员经费", "公用经费", ""]], "万元")
    public_share = {u: sum(v for kk, v in e.items() if kk.startswith("302")) for u, e in b.econ_by_unit.items()}

    def gen_vals(ls):  # 公用经费 sits on each unit's 行政运行/事业运行 line
        bas = sum_by(ls, part="basic")
        pub = sum((public_share[ln.unit] for ln in ls if ln.code == b.run_codes[ln.unit]), D(0))
        return [sum_by(ls), bas, bas - pub, pub, sum_by(ls, part="project")]

    t.row(t.cells(["合计", ""] + [wn(v) for v in gen_vals(gen_lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(gen_lines, gen_vals):
        t.row(t.cells([code, nm] + [wn(x) for x in v], [None, None] + cols, code))
    t.end()

    # 表6 一般公共预算基本支出表 (economic)
    cols = ["合计", "人员经费", "公用经费"]
    t = doc.table(ECONOMIC, title(6, "一般公共预算基本支出表") + ["单位：万元"],
                  [["科目编码", "科目名称"] + cols], "万元")
    erows = economic_rows(b.econ)
    et = sum(r[2] for r in erows if len(r[0]) == 3)
    ep = sum(r[3] for r in erows if len(r[0]) == 3)
    t.row(t.cells(["合计", "", wn(et), wn(ep), wn(et - ep)], [None, None] + cols, "合计"))
    for code, nm, a, p_, q in erows:
        t.row(t.cells([code, nm, wn(a), wn(p_), wn(q)], [None, None] + cols, code))
    t.end()

    # 表7 “三公” vertical, with last year's budget
    th = b.three_total()
    pr = dict(b.three_prior)
    pr["vehicles"] = pr["purchase"] + pr["running"]
    pr["total"] = pr["outbound"] + pr["reception"] + pr["vehicles"]
    t = doc.table(THREE, title(7, "一般公共预算“三公”经费支出表") + ["单位：万元"],
                  [["项目", "上年预算数", "本年预算数"]], "万元")
    items = [("合计", "total"), ("1.因公出国（境）费", "outbound"), ("2.公务接待费", "reception"),
             ("3.公务用车购置及运行费", "vehicles"), ("（1）公务用车购置费", "purchase"),
             ("（2）公务用车运行费", "running")]
    for nm, key in items:
        t.row(t.cells([nm, fmt_wan(pr[key], "0.00"), fmt_wan(th[key], "0.00")], [None, "上年预算数", "本年预算数"], nm))
    t.end()

    # 表8 政府性基金预算支出表
    cols = ["合计", "基本支出", "项目支出"]
    note = None if fund_lines else f"注：本{k}{year}年无政府性基金预算拨款安排的支出，本表无数据。"
    t = doc.table(FUND_EXP, title(8, "政府性基金预算支出表") + ["单位：万元"], [["科目编码", "科目名称"] + cols],
                  "万元", empty_note=note)
    vals = lambda ls: [sum_by(ls), sum_by(ls, part="basic"), sum_by(ls, part="project")]  # noqa: E731
    t.row(t.cells(["合计", ""] + [wn(v) for v in vals(fund_lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(fund_lines, vals):
        t.row(t.cells([code, nm] + [wn(x) for x in v], [None, None] + cols, code))
    t.end()

    if extra_table:  # a table of no standard kind: 部门整体支出绩效目标表
        ttl = f"{year}年{k}整体支出绩效目标表"
        t = doc.table(OTHER, [f"{label(9)}{ttl}" if inline_label else ttl, "单位：万元"],
                      [["年度主要任务", "任务名称", "主要内容", "预算金额"]], "万元", title=ttl)
        tasks = [("任务1", "社区治理", "网格化管理与居民自治", project * D("0.4")),
                 ("任务2", "城市管理", "市容环境与城管执法", project * D("0.35"))]
        tasks.append(("任务3", "基本运转", "保障机关正常运转", total - sum(x[3] for x in tasks)))
        for a, b_, c, v in tasks:
            v = (v / 100).quantize(D(1)) * 100
            t.row(t.cells([a, b_, c, wn(v)], [None, None, None, "预算金额"], b_))
        t.end()

    # narrative
    prev_total = total - D(income_changes[0])
    fin_prev = fin_total - D(income_changes[1])
    gen_prev = gen - D(income_changes[2])
    ch = lambda v: narrative_wan(abs(v))  # noqa: E731
    updown = lambda v: ("增加", "增长") if v > 0 else ("减少", "下降")  # noqa: E731
    figs: list[Figure] = []
    doc.para(f"{heading}第三部分 {year}年{k}预算情况说明")
    d1 = total - prev_total
    s = (f"{unit}{year}年收入、支出预算总计{narrative_wan(total)}万元，与上年相比收、支总计各{updown(d1)[0]}"
         f"{ch(d1)}万元，{updown(d1)[1]}{pct(abs(d1), prev_total)}%。主要原因是中小学校舍维修项目增加。")
    doc.para(f"{heading}一、收支预算总体情况说明", s)
    figs += [Figure(("预算收入总计",), wan(total), wan(d1), s), Figure(("预算支出总计",), wan(total), wan(d1), s)]
    s = (f"{unit}本年收入合计{narrative_wan(total)}万元，其中：一般公共预算拨款收入{narrative_wan(gen)}万元，"
         f"占{pct(gen, total)}%；政府性基金预算拨款收入{narrative_wan(fund)}万元，占{pct(fund, total)}%；"
         f"其他收入{narrative_wan(other)}万元，占{pct(other, total)}%。")
    doc.para(f"{heading}二、收入预算情况说明", s)
    s = (f"{unit}本年支出合计{narrative_wan(total)}万元，其中：基本支出{narrative_wan(basic)}万元，"
         f"占{pct(basic, total)}%；项目支出{narrative_wan(project)}万元，占{pct(project, total)}%。")
    doc.para(f"{heading}三、支出预算情况说明", s)
    figs += [Figure(("基本支出",), wan(basic), None, s), Figure(("项目支出",), wan(project), None, s)]
    d2 = fin_total - fin_prev
    s = (f"{unit}{year}年财政拨款收支总预算{narrative_wan(fin_total)}万元。与上年相比，财政拨款收、支总计各"
         f"{updown(d2)[0]}{ch(d2)}万元，{updown(d2)[1]}{pct(abs(d2), fin_prev)}%。主要原因是人员经费标准调整。")
    doc.para(f"{heading}四、财政拨款收支预算总体情况说明", s)
    figs.append(Figure(("财政拨款收支总预算",), wan(fin_total), None, s))
    d3 = gen - gen_prev
    s = (f"{unit}{year}年一般公共预算当年拨款{narrative_wan(gen)}万元，比上年执行数{updown(d3)[0]}{ch(d3)}万元，"
         f"{updown(d3)[1]}{pct(abs(d3), gen_prev)}%。主要原因是义务教育阶段公用经费补助标准提高。")
    doc.para(f"{heading}五、一般公共预算当年拨款情况说明", "（一）一般公共预算当年拨款规模变化情况", s)
    figs.append(Figure(("一般公共预算当年支出", "一般公共预算当年拨款"), wan(gen), wan(d3), s))
    pers = sum(v for kk, v in b.econ.items() if kk.startswith(PERSONNEL))
    pub = sum(v for kk, v in b.econ.items() if kk.startswith("302"))
    s1 = (f"{unit}{year}年一般公共预算基本支出{narrative_wan(pers + pub)}万元，"
          f"其中：人员经费{narrative_wan(pers)}万元，"
          f"主要包括：基本工资、津贴补贴、绩效工资、机关事业单位基本养老保险缴费、住房公积金、退休费等；")
    s2 = (f"公用经费{narrative_wan(pub)}万元，"
          "主要包括：办公费、电费、差旅费、公务接待费、工会经费、公务用车运行维护费等。")
    doc.para(f"{heading}六、一般公共预算基本支出情况说明", s1, s2)
    figs += [Figure(("人员经费",), wan(pers), None, s1), Figure(("公用经费",), wan(pub), None, s2)]
    dt = th["total"] - pr["total"]
    parts = []
    for key, word in (
        ("outbound", "因公出国（境）费"), ("vehicles", "公务用车购置及运行费"), ("reception", "公务接待费")
    ):
        dv = th[key] - pr[key]
        tail = "，与上年持平" if dv == 0 else f"，比上年{updown(dv)[0]}{ch(dv)}万元"
        if key == "vehicles":
            word += (f"{narrative_wan(th[key])}万元（其中，公务用车购置费{narrative_wan(th['purchase'])}万元，"
                     f"公务用车运行费{narrative_wan(th['running'])}万元）")
            parts.append(word + tail)
        else:
            parts.append(f"{word}{narrative_wan(th[key])}万元{tail}")
    s = (f"{unit}{year}年一般公共预算“三公”经费预算数为{narrative_wan(th['total'])}万元，比上年预算"
         f"{updown(dt)[0]}{ch(dt)}万元。其中：" + "；".join(parts) + "。主要原因是严格落实过紧日子要求。")
    doc.para(f"{heading}七、一般公共预算“三公”经费支出情况说明", s)
    figs.append(Figure(("“三公”经费",), wan(th["total"]), wan(dt), s))
    for key, subj in (
        ("outbound", "因公出国（境）费"), ("vehicles", "公务用车购置及运行费"), ("reception", "公务接待费")
    ):
        figs.append(Figure((subj,), wan(th[key]), wan(th[key] - pr[key]), s))
    figs += [Figure(("公务用车购置费",), wan(th["purchase"]), None, s),
             Figure(("公务用车运行维护费",), wan(th["running"]), None, s)]
    s = (f"{unit}{year}年政府性基金预算拨款支出{narrative_wan(fund)}万元，主要用于用于教育事业的彩票公益金支出。"
         if fund else f"{unit}{year}年没有使用政府性基金预算拨款安排的支出。")
    doc.para(f"{heading}八、政府性基金预算支出情况说明", s)
    op_prev = b.operating - D(31500)
    dop = b.operating - op_prev
    s_op = (f"{year}年，{unit}机关运行经费财政拨款预算{narrative_wan(b.operating)}万元，比上年预算"
            f"{updown(dop)[0]}{ch(dop)}万元，{updown(dop)[1]}{pct(abs(dop), op_prev)}%。主要原因是新增办公场所物业费。")
    figs.append(Figure(("机关运行经费",), wan(b.operating), wan(dop), s_op))
    pt = procurement_totals(b)
    s_pr = (f"{year}年，{unit}政府采购预算总额{narrative_wan(pt['total'])}万元，其中：政府采购货物预算"
            f"{narrative_wan(pt['goods'])}万元、政府采购工程预算{narrative_wan(pt['works'])}万元、"
            f"政府采购服务预算{narrative_wan(pt['services'])}万元。")
    doc.para(f"{heading}九、其他重要事项的情况说明", "（一）机关运行经费", s_op, "（二）政府采购情况", s_pr,
             "（三）国有资产占有使用情况",
             f"截至{year - 1}年12月31日，{unit}共有车辆3辆，其中：一般公务用车1辆、执法执勤用车0辆、"
             f"特种专业技术用车2辆；单位价值50万元以上通用设备0台（套）。")
    doc.para(f"{heading}第四部分 名词解释",
             "一、财政拨款收入：指本级财政当年拨付的资金。",
             "二、机关运行经费：指为保障行政单位（包括参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。")
    return Layout(name, unit, year, kind, members, doc.kinds, doc.empty, doc.other_titles, doc.cells, figs,
                  {k_: wan(v) for k_, v in pt.items()}, doc.text())



def mof8_county_education() -> Layout:
    unit = "青岚县教育局"
    members = ["青岚县教育局本级", "青岚县第一中学", "青岚县城关小学"]
    b = make_budget(
        seed=2024,
        units=[(members[0], "2050101", True, 10000), (members[1], "2050203", False, 30000),
               (members[2], "2050202", False, 25000)],
        projects=[(members[0], "2050199", GENERAL_FUND, 1_260_000), (members[1], "2050203", GENERAL_FUND, 2_185_500),
                  (members[2], "2050202", GENERAL_FUND, 1_432_800), (members[0], "2296004", GOV_FUND, 850_000),
                  (members[1], "2050203", OTHER_INCOME, 126_300)],
        grain=100,
        three_spec={members[0]: (0, 30_000, 0, 64_000), members[1]: (0, 8_000, 0, 0)},
        prior_three=(0, 45_000, 0, 70_000),
        procurement=[(members[0], "办公设备购置", "货物", 186_000), (members[1], "校舍维修", "工程", 942_000),
                     (members[2], "物业管理服务", "服务", 324_000)],
    )
    duties = ("贯彻执行国家教育工作方针政策和法律法规，拟订全县教育事业发展规划并组织实施；统筹管理全县基础教育，"
              "指导学校教育教学改革和质量监测；负责教育经费的统筹管理和教师队伍建设。")
    return _mof8("mof8-county-education", unit, 2024, "部门", b, members, pipes=False, label=lambda n: f"表{n}",
                 inline_label=False, duties=duties, extra_table=False, income_changes=(1_235_400, 984_600, 731_200))


def mof8_pipes_subdistrict() -> Layout:
    unit = "临川市河西区白沙街道办事处"
    b = make_budget(
        seed=2026,
        units=[(unit, "2120101", True, 20000)],
        projects=[(unit, "2120104", GENERAL_FUND, 3_420_000), (unit, "2120199", GENERAL_FUND, 5_688_900)],
        grain=100,
        three_spec={unit: (0, 12_000, 0, 38_000)},
        prior_three=(0, 12_000, 250_000, 41_000),
        procurement=[(unit, "环卫作业服务", "服务", 2_350_000), (unit, "执法记录仪", "货物", 96_000)],
    )
    duties = "贯彻执行党和国家的路线方针政策，统筹辖区社区建设、城市管理、公共服务和平安建设。"
    return _mof8("mof8-pipes-subdistrict", unit, 2026, "单位", b, [], pipes=True, label=lambda n: f"附表{n}",
                 inline_label=True, duties=duties, extra_table=True, income_changes=(-806_300, -806_300, -806_300))


# --- layout (b): a 部门 document of three units, 元 with separators ---------------------------


def dept_multi_unit_health() -> Layout:
    dept = "云州市卫生健康委员会"
    members = ["云州市卫生健康委员会本级", "云州市疾病预防控制中心", "云州市妇幼保健院"]
    year = 2025
    codes = {members[0]: "401001", members[1]: "401002", members[2]: "401003"}
    b = make_budget(
        seed=2025,
        units=[(members[0], "2100101", True, 12000), (members[1], "2100401", False, 23000),
               (members[2], "2100403", False, 9000)],
        projects=[(members[0], "2100199", GENERAL_FUND, 2_318_457), (members[1], "2100409", GENERAL_FUND, 4_107_263),
                  (members[1], "2100401", OTHER_INCOME, 183_512)],
        business=[(members[1], "2100401", 0, 612_348), (members[2], "2100403", 21_845_219, 3_362_770)],
        grain=1,
        three_spec={members[0]: (0, 15_000, 0, 52_000), members[1]: (0, 6_000, 280_000, 41_000)},
        prior_three=(40_000, 25_000, 0, 97_000),
        procurement=[(members[0], "信息系统运维服务", "服务", 468_000), (members[1], "冷链设备", "货物", 1_274_500),
                     (members[2], "门诊楼改造", "工程", 2_860_000), (members[2], "医用耗材", "货物", 391_200)],
    )
    lines = b.lines
    doc = Doc()
    total = sum_by(lines)
    gen, business, other = sum_by(lines, GENERAL_FUND), sum_by(lines, BUSINESS), sum_by(lines, OTHER_INCOME)
    basic, project = sum_by(lines, part="basic"), sum_by(lines, part="project")
    y = lambda v: fmt_yuan(v)  # noqa: E731
    y0 = lambda v: fmt_yuan(v, "0")  # noqa: E731

    doc.para(f"**{dept}**", f"**{year}年部门预算**")
    doc.para("**第一部分 部门概况**", "**一、部门职责**",
             "负责拟订全市卫生健康事业发展规划，统筹规划卫生健康资源配置；组织实施疾病预防控制和妇幼健康服务；"
             "负责医疗机构、医疗服务行业管理和卫生健康监督执法。")
    doc.para("**二、机构设置**", "本部门预算包括：")
    for i, m in enumerate(members, 1):
        doc.para(f"{i}. {m}")
    doc.para("其中行政单位1个，事业单位2个。本级内设8个科室。")
    doc.para(f"**第二部分 {year}年部门预算表**")

    def head(n: int, text: str) -> list[str]:
        return [f"附表{n}", f"{dept}{year}年{text}", f"编制单位：{dept}    单位：元"]

    # 附表1 部门收支总表
    t = doc.table(SUMMARY, head(1, "部门收支总表"),
                  [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]], "元")
    left = [("一、一般公共预算拨款收入", gen), ("二、政府性基金预算拨款收入", None),
            ("三、国有资本经营预算拨款收入", None), ("四、事业收入", business),
            ("五、事业单位经营收入", None), ("六、其他收入", other)]
    cn = "一二三四五六七八九十"
    classes = sorted({ln.code[:3] for ln in lines})
    right = [(f"{cn[i]}、{FUNCTION_NAMES[c]}", sum_by([ln for ln in lines if ln.code.startswith(c)]))
             for i, c in enumerate(classes)]
    for i in range(max(len(left), len(right))):
        ln_ = left[i] if i < len(left) else ("", None)
        rn = right[i] if i < len(right) else ("", None)
        t.row(t.cells([ln_[0], y(ln_[1])], [None, "预算数"], ln_[0], "收入")
              + t.cells([rn[0], y(rn[1])], [None, "预算数"], rn[0], "支出"))
    t.row(t.cells(["本年收入合计", y(total)], [None, "预算数"], "本年收入合计", "收入")
          + t.cells(["本年支出合计", y(total)], [None, "预算数"], "本年支出合计", "支出"))
    t.row(t.cells(["收入总计", y(total)], [None, "预算数"], "收入总计", "收入")
          + t.cells(["支出总计", y(total)], [None, "预算数"], "支出总计", "支出"))
    t.end()

    # 附表2 部门收入总表, unit by unit
    cols = ["合计", "财政拨款", "事业收入", "其他收入"]
    t = doc.table(INCOME, head(2, "部门收入总表"), [["单位编码", "单位名称"] + cols], "元")
    per = lambda ls: [sum_by(ls), sum_by(ls, GENERAL_FUND), sum_by(ls, BUSINESS), sum_by(ls, OTHER_INCOME)]  # noqa: E731
    t.row(t.cells(["", "合计"] + [y0(v) for v in per(lines)], [None, None] + cols, "合计"))
    for m in members:
        t.row(t.cells([codes[m], m] + [y0(v) for v in per([ln for ln in lines if ln.unit == m])],
                      [None, None] + cols, m))
    t.end()

    # 附表3 部门支出总表 (function)
    cols = ["合计", "基本支出", "项目支出"]
    vals = lambda ls: [sum_by(ls), sum_by(ls, part="basic"), sum_by(ls, part="project")]  # noqa: E731
    t = doc.table(EXPENDITURE, head(3, "部门支出总表"), [["科目编码", "科目名称"] + cols], "元")
    t.row(t.cells(["", "合计"] + [y(v) for v in vals(lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(lines, vals):
        t.row(t.cells([code, nm] + [y(x) for x in v], [None, None] + cols, code))
    t.end()

    # 附表4 财政拨款收支总表
    t = doc.table(FISCAL, head(4, "财政拨款收支总表"),
                  [["收入", "", "支出", "", "", ""],
                   ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"]], "元")
    gen_lines = [ln for ln in lines if ln.source == GENERAL_FUND]
    left = [("一、一般公共预算拨款", gen), ("二、政府性基金预算拨款", None)]
    gclasses = sorted({ln.code[:3] for ln in gen_lines})
    right = [(f"{cn[i]}、{FUNCTION_NAMES[c]}", sum_by([ln for ln in gen_lines if ln.code.startswith(c)]))
             for i, c in enumerate(gclasses)]
    rcols = ["合计", "一般公共预算", "政府性基金预算"]
    for i in range(max(len(left), len(right))):
        ln_ = left[i] if i < len(left) else ("", None)
        rn = right[i] if i < len(right) else ("", None)
        t.row(t.cells([ln_[0], y(ln_[1])], [None, "预算数"], ln_[0], "收入")
              + t.cells([rn[0], y(rn[1]), y(rn[1]), ""], [None] + rcols, rn[0], "支出"))
    t.row(t.cells(["收入总计", y(gen)], [None, "预算数"], "收入总计", "收入")
          + t.cells(["支出总计", y(gen), y(gen), ""], [None] + rcols, "支出总计", "支出"))
    t.end()

    # 附表5 一般公共预算支出表
    t = doc.table(GENERAL, head(5, "一般公共预算支出表"), [["科目编码", "科目名称"] + cols], "元")
    t.row(t.cells(["", "合计"] + [y(v) for v in vals(gen_lines)], [None, None] + cols, "合计"))
    for code, nm, v in functional_rows(gen_lines, vals):
        t.row(t.cells([code, nm] + [y(x) for x in v], [None, None] + cols, code))
    t.end()

    # 附表6 一般公共预算基本支出表
    ecols = ["合计", "人员经费", "公用经费"]
    t = doc.table(ECONOMIC, head(6, "一般公共预算基本支出表"), [["经济科目编码", "经济科目名称"] + ecols], "元")
    erows = economic_rows(b.econ)
    et = sum(r[2] for r in erows if len(r[0]) == 3)
    ep = sum(r[3] for r in erows if len(r[0]) == 3)
    t.row(t.cells(["", "合计", y(et), y(ep), y(et - ep)], [None, None] + ecols, "合计"))
    for code, nm, a, p_, q in erows:
        t.row(t.cells([code, nm, y(a), y(p_), y(q)], [None, None] + ecols, code))
    t.end()

    # 附表7 “三公”经费支出表, one row per unit
    tcols = ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费/小计",
             "公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费"]
    t = doc.table(THREE, head(7, "一般公共预算“三公”经费支出表"),
                  [["单位名称", "合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "", ""],
                   ["", "", "", "", "小计", "公务用车购置费", "公务用车运行费"]], "元")

    def three_cells(tt):
        return [y0(tt["total"]), y0(tt["outbound"]), y0(tt["reception"]), y0(tt["vehicles"]), y0(tt["purchase"]),
                y0(tt["running"])]

    t.row(t.cells(["合计"] + three_cells(b.three_total()), [None] + tcols, "合计"))
    for m in members:
        t.row(t.cells([m] + three_cells(b.three_total(m)), [None] + tcols, m))
    t.end()

    # 附表8 政府性基金预算支出表: empty
    t = doc.table(FUND_EXP, head(8, "政府性基金预算支出表"), [["科目编码", "科目名称"] + cols], "元",
                  empty_note=f"注：本部门{year}年无政府性基金预算拨款安排的支出，本表无数据。")
    t.row(["", "合计", "", "", ""])
    t.end()

    # 附表9 政府采购预算表: no standard kind
    ttl = f"{dept}{year}年政府采购预算表"
    t = doc.table(OTHER, ["附表9", ttl, f"编制单位：{dept}    单位：元"],
                  [["单位名称", "采购项目", "采购品目", "预算金额"]], "元", title=ttl)
    pt = procurement_totals(b)
    t.row(t.cells(["合计", "", "", y(pt["total"])], [None, None, None, "预算金额"], "合计"))
    for u, p_, c, a in b.procurement:
        t.row(t.cells([u, p_, c, y(a)], [None, None, None, "预算金额"], p_))
    t.end()

    # narrative, in 万元
    figs: list[Figure] = []
    nw = narrative_wan
    prev = total - D(5_318_246)
    d = total - prev
    doc.para(f"**第三部分 {year}年部门预算情况说明**")
    s1 = (f"{year}年度{dept}部门预算收入总计{nw(total)}万元，比上年增加{nw(d)}万元，增长{pct(d, prev)}%，"
          f"主要原因是妇幼保健院业务量增加。")
    s2 = (f"其中：财政拨款收入{nw(gen)}万元，占{pct(gen, total)}%；"
          f"事业收入{nw(business)}万元，占{pct(business, total)}%；"
          f"其他收入{nw(other)}万元，占{pct(other, total)}%。")
    s3 = f"{year}年度{dept}部门预算支出总计{nw(total)}万元，比上年增加{nw(d)}万元，增长{pct(d, prev)}%。"
    doc.para("**一、部门预算收支情况**", s1 + s2, s3)
    figs += [Figure(("预算收入总计",), wan(total), wan(d), s1), Figure(("预算支出总计",), wan(total), wan(d), s3)]
    s = (f"{year}年度{dept}支出预算{nw(total)}万元，其中：基本支出{nw(basic)}万元，占{pct(basic, total)}%；"
         f"项目支出{nw(project)}万元，占{pct(project, total)}%。")
    doc.para("**二、支出预算情况说明**", s)
    figs += [Figure(("基本支出",), wan(basic), None, s), Figure(("项目支出",), wan(project), None, s)]
    gprev = gen + D(1_164_930)
    s = (f"{year}年度{dept}财政拨款收支总预算{nw(gen)}万元，比上年减少{nw(gprev - gen)}万元，"
         f"下降{pct(gprev - gen, gprev)}%，主要原因是重大公共卫生服务项目资金调整。")
    doc.para("**三、财政拨款收支预算总体情况说明**", s)
    figs.append(Figure(("财政拨款收支总预算",), wan(gen), wan(gen - gprev), s))
    s = (f"{year}年度{dept}一般公共预算当年支出{nw(gen)}万元，"
         f"比上年减少{nw(gprev - gen)}万元，下降{pct(gprev - gen, gprev)}%。")
    doc.para("**四、一般公共预算当年支出情况说明**", s)
    figs.append(Figure(("一般公共预算当年支出",), wan(gen), wan(gen - gprev), s))
    th = b.three_total()
    pr = dict(b.three_prior)
    pr["vehicles"] = pr["purchase"] + pr["running"]
    pr["total"] = pr["outbound"] + pr["reception"] + pr["vehicles"]

    def change(key):
        dv = th[key] - pr[key]
        if dv == 0:
            return "与上年持平"
        return f"比上年{'增加' if dv > 0 else '减少'}{nw(abs(dv))}万元"

    s = (f"{year}年度{dept}“三公”经费预算{nw(th['total'])}万元，{change('total')}。其中：因公出国（境）费"
         f"{nw(th['outbound'])}万元，{change('outbound')}，主要原因是本年度无出国（境）计划；公务接待费{nw(th['reception'])}万元，"
         f"{change('reception')}；公务用车购置及运行费{nw(th['vehicles'])}万元，{change('vehicles')}，"
         f"主要原因是疾控中心更新应急采样车1辆。")
    doc.para("**五、“三公”经费预算情况说明**", s)
    figs.append(Figure(("“三公”经费",), wan(th["total"]), wan(th["total"] - pr["total"]), s))
    for key, subj in (
        ("outbound", "因公出国（境）费"), ("reception", "公务接待费"), ("vehicles", "公务用车购置及运行费")
    ):
        figs.append(Figure((subj,), wan(th[key]), wan(th[key] - pr[key]), s))
    op_prev = b.operating + D(42_316)
    s = (f"{year}年度{dept}本级机关运行经费预算{nw(b.operating)}万元，比上年减少{nw(op_prev - b.operating)}万元，"
         f"下降{pct(op_prev - b.operating, op_prev)}%，主要原因是压减一般性支出。")
    doc.para("**六、机关运行经费情况说明**", s)
    figs.append(Figure(("机关运行经费",), wan(b.operating), wan(b.operating - op_prev), s))
    s = (f"{year}年度{dept}政府采购预算总额{nw(pt['total'])}万元，其中：政府采购货物预算{nw(pt['goods'])}万元、"
         f"政府采购工程预算{nw(pt['works'])}万元、政府采购服务预算{nw(pt['services'])}万元。")
    doc.para("**七、政府采购情况**", s)
    doc.para("**八、国有资产占有使用情况**",
             f"截至{year - 1}年12月31日，本部门共有车辆6辆，其中：一般公务用车1辆、特种专业技术用车5辆；"
             f"单位价值50万元以上通用设备4台（套），单位价值100万元以上专用设备2台（套）。")
    doc.para("**第四部分 名词解释**", "一、事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。")
    return Layout("dept-multi-unit-health", dept, year, "部门", members, doc.kinds, doc.empty, doc.other_titles,
                  doc.cells, figs, {k: wan(v) for k, v in pt.items()}, doc.text())


# --- layout (c): Shanghai-like ------------------------------------------------------------


def shanghai_like_scitech() -> Layout:
    unit = "滨江市东湖区科学技术委员会"
    year = 2026
    b = make_budget(
        seed=2026_3,
        units=[(unit, "2060101", True, 15000)],
        projects=[(unit, "2060102", GENERAL_FUND, 1_836_000), (unit, "2060404", GENERAL_FUND, 12_400_000),
                  (unit, "2060702", GENERAL_FUND, 650_000)],
        grain=1,
        three_spec={unit: (0, 10_000, 0, 8_000)},
        prior_three=(0, 10_000, 0, 10_000),
        procurement=[(unit, "科技项目评审服务", "服务", 304_000), (unit, "办公设备", "货物", 78_000)],
    )
    lines = b.lines
    doc = Doc()
    total = sum_by(lines)
    project = sum_by(lines, part="project")
    yd = lambda v: fmt_yuan(v, "", decimals=True)  # noqa: E731
    yz = lambda v: fmt_yuan(v, "0.00", decimals=True)  # noqa: E731
    nw = lambda v: narrative_wan(v, separators=True)  # noqa: E731
    figs: list[Figure] = []
    prior_year = year - 1

    doc.para("滨江市东湖区2026年区级单位预算", f"预算单位：{unit}")
    doc.para("目 录", "一、单位主要职能", "二、单位机构设置", "三、名词解释", "四、单位预算编制说明", "五、单位预算表",
             "六、其他相关情况说明")
    doc.para(f"{unit}主要职能", f"{unit}是主管全区科技创新工作的区政府工作部门。主要职能包括：",
             "1、贯彻执行国家和本市科技发展的方针、政策，拟订本区科技发展规划并组织实施。",
             "2、负责本区科技计划项目管理和科技成果转化工作。", "3、完成区委、区政府交办的其他任务。")
    doc.para(f"{unit}机构设置",
             f"{unit}机关设5个内设机构，包括：办公室、综合规划科、创新服务科、成果转化科、科普工作科。")
    doc.para("名词解释", "（一）财政拨款收入：是区级预算单位本年度从本级财政部门取得的财政拨款。",
             "（二）机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。")

    # 编制说明
    fin_prev = total - D(2_345_600)
    dfin = total - fin_prev
    s_in = (f"{year}年，{unit}收入预算{nw(total)}万元，"
            f"其中：财政拨款收入{nw(total)}万元，比{prior_year}年预算执行数增加"
            f"{nw(dfin)}万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
    s_out = (f"支出预算{nw(total)}万元，其中：财政拨款支出预算{nw(total)}万元，比{prior_year}年预算增加{nw(dfin)}万元。"
             f"财政拨款支出预算中，一般公共预算拨款支出预算{nw(total)}万元，比{prior_year}年预算增加{nw(dfin)}万元；"
             f"政府性基金拨款支出预算0万元，比{prior_year}年预算执行数持平；国有资本经营预算拨款支出预算0万元，"
             f"比{prior_year}年预算执行数持平。")
    items = []
    item_rows = [r for r in functional_rows(lines, lambda ls: [sum_by(ls)]) if len(r[0]) == 7]
    for i, (code, nm, v) in enumerate(item_rows, 1):
        cls, kuan = FUNCTION_NAMES[code[:3]], FUNCTION_NAMES[code[:5]]
        prev_exec = v[0] if i % 3 == 0 else (v[0] * D("0.9")).quantize(D(1))
        if prev_exec == v[0]:
            cmp_ = f"比{prior_year}年预算执行数持平"
        else:
            cmp_ = f"比{prior_year}年预算执行数增加{pct(v[0] - prev_exec, prev_exec)}%"
        items.append(f"{i}. “{cls}（类）{kuan}（款）{nm}（项）”{nw(v[0])}万元，主要用于{nm}。"
                     f"{prior_year}年当年预算执行数为"
                     f"{nw(prev_exec)}万元，{year}年预算安排{nw(v[0])}万元，{cmp_}。主要原因是：{nm}经费调整。")
    doc.para(f"{year}年单位预算编制说明", s_in, s_out, "财政拨款收入支出增加的主要原因是科技成果转化项目增加。",
             "财政拨款支出主要内容如下：", *items)
    figs += [Figure(("预算收入总计", "收入预算"), wan(total), None, s_in),
             Figure(("财政拨款收入", "财政拨款收支总预算"), wan(total), wan(dfin), s_in),
             Figure(("预算支出总计", "支出预算"), wan(total), None, s_out),
             Figure(("一般公共预算当年支出", "一般公共预算拨款支出"), wan(total), wan(dfin), s_out)]

    def head(n: int, text: str, money: str = "元") -> list[str]:
        return [f"{year}年预算单位{text}" if n < 9 else f"{year}年单位{text}", f"编制单位：{unit} 单位：{money}"]

    code_head = [["项目", "", "", "", None], ["功能分类科目编码", "", "", "功能分类科目名称", None],
                 ["类", "款", "项", "", None]]

    def code_header(top: str, cols: list[str]) -> list[list[str]]:
        rows = []
        for i, r in enumerate(code_head):
            r = r[:4]
            if i == 0:
                rows.append(r + [top] + [""] * (len(cols) - 1))
            elif i == 1:
                rows.append(r + cols)
            else:
                rows.append(r + [""] * len(cols))
        return rows

    def code_cells(code: str) -> list[str]:
        return [code[:3], code[3:5] if len(code) > 3 else "", code[5:7] if len(code) > 5 else ""]

    # 1 财务收支预算总表 — 支出 side with 基本支出 split
    t = doc.table(SUMMARY, head(1, "财务收支预算总表"),
                  [["本年收入", "", "本年支出", "", "", "", ""],
                   ["项目", "预算数", "项目", "预算数", "", "", ""],
                   ["", "", "", "合计", "基本支出", "", "项目支出"],
                   ["", "", "", "", "人员经费", "公用经费", ""]], "元")
    pub = sum(v for kk, v in b.econ.items() if kk.startswith("302"))
    pers = sum(v for kk, v in b.econ.items() if kk.startswith(PERSONNEL))
    left = [("一、财政拨款收入", total), ("1、一般公共预算资金", total), ("2、政府性基金", None),
            ("3、国有资本经营预算", None), ("二、事业收入", None), ("三、事业单位经营收入", None),
            ("四、其他收入", None)]
    cn = "一二三四五六七八九十"
    classes = sorted({ln.code[:3] for ln in lines})
    rcols = ["合计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"]
    right = []
    for i, c in enumerate(classes):
        ls = [ln for ln in lines if ln.code.startswith(c)]
        cls_pub = sum((pub for ln in ls if ln.code == b.run_codes[unit]), D(0))
        cls_basic = sum_by(ls, part="basic")
        right.append((f"{cn[i]}、{FUNCTION_NAMES[c]}",
                      [sum_by(ls), cls_basic - cls_pub, cls_pub, sum_by(ls, part="project")]))
    for i in range(max(len(left), len(right))):
        ln_ = left[i] if i < len(left) else ("", None)
        rn = right[i] if i < len(right) else ("", [None] * 4)
        t.row(t.cells([ln_[0], yd(ln_[1])], [None, "预算数"], ln_[0], "收入")
              + t.cells([rn[0]] + [yd(x) for x in rn[1]], [None] + rcols, rn[0], "支出"))
    t.row(t.cells(["收入总计", yd(total)], [None, "预算数"], "收入总计", "收入")
          + t.cells(["支出总计", yd(total), yd(pers), yd(pub), yd(project)], [None] + rcols, "支出总计", "支出"))
    t.end()

    # 2 收入预算总表
    cols = ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    t = doc.table(INCOME, head(2, "收入预算总表"), code_header("收入预算", cols), "元")
    for code, nm, v in functional_rows(lines, lambda ls: [sum_by(ls)]):
        t.row(t.cells(code_cells(code) + [nm, yd(v[0]), yd(v[0]), "0.00", "0.00", "0.00"], [None] * 4 + cols, code))
    t.row(t.cells(["合计", "", "", "", yd(total), yd(total), "0.00", "0.00", "0.00"], [None] * 4 + cols, "合计"))
    t.end()

    # 3 支出预算总表, 5 一般公共预算支出功能分类预算表
    cols = ["合计", "基本支出", "项目支出"]
    vals = lambda ls: [sum_by(ls), sum_by(ls, part="basic"), sum_by(ls, part="project")]  # noqa: E731
    for kind, n, text, top in ((EXPENDITURE, 3, "支出预算总表", "支出预算"),
                                (None, 4, None, None),
                                (GENERAL, 5, "一般公共预算支出功能分类预算表", "一般公共预算支出")):
        if kind is None:  # 4 财政拨款收支预算总表
            t = doc.table(FISCAL, head(4, "财政拨款收支预算总表"),
                          [["财政拨款收入", "", "财政拨款支出", "", "", "", ""],
                           ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算",
                            "国有资本经营预算"]], "元")
            fl = [("一、一般公共预算资金", total), ("二、政府性基金", None), ("三、国有资本经营预算", None)]
            fr = [(f"{cn[i]}、{FUNCTION_NAMES[c]}", sum_by([ln for ln in lines if ln.code.startswith(c)]))
                  for i, c in enumerate(classes)]
            fcols = ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
            for i in range(max(len(fl), len(fr))):
                ln_ = fl[i] if i < len(fl) else ("", None)
                rn = fr[i] if i < len(fr) else ("", None)
                t.row(t.cells([ln_[0], yd(ln_[1])], [None, "预算数"], ln_[0], "收入")
                      + t.cells([rn[0], yd(rn[1]), yd(rn[1]), "", ""], [None] + fcols, rn[0], "支出"))
            t.row(t.cells(["收入总计", yd(total)], [None, "预算数"], "收入总计", "收入")
                  + t.cells(["支出总计", yd(total), yd(total), "", ""], [None] + fcols, "支出总计", "支出"))
            t.end()
            continue
        t = doc.table(kind, head(n, text), code_header(top, cols), "元")
        for code, nm, v in functional_rows(lines, vals):
            t.row(t.cells(code_cells(code) + [nm] + [yz(x) for x in v], [None] * 4 + cols, code))
        t.row(t.cells(["合计", "", "", ""] + [yz(x) for x in vals(lines)], [None] * 4 + cols, "合计"))
        t.end()

    # 6, 7 empty function tables
    for kind, n, text, top, what in (
        (FUND_EXP, 6, "政府性基金预算支出功能分类预算表", "政府性基金预算支出", "政府性基金预算"),
        (STATE_CAPITAL, 7, "国有资本经营预算支出功能分类预算表", "国有资本经营预算支出", "国有资本经营预算"),
    ):
        t = doc.table(kind, head(n, text), code_header(top, cols), "元",
                      empty_note=f"注:本单位{year}年无{what}财政拨款安排的预算，故本表为空表。")
        t.row(["合计", "", "", "", "", "", ""])
        t.end()

    # 8 经济分类 with 类/款 code columns
    ecols = ["合计", "人员经费", "公用经费"]
    t = doc.table(ECONOMIC, head(8, "一般公共预算基本支出部门预算经济分类预算表"),
                  [["项目", "", "", "一般公共预算基本支出", "", ""],
                   ["部门预算经济分类科目编码", "", "经济分类科目名称", "合计", "人员经费", "公用经费"],
                   ["类", "款", "", "", "", ""]], "元")
    erows = economic_rows(b.econ)
    for code, nm, a, p_, q in erows:
        t.row(t.cells([code[:3], code[3:5], nm, yz(a), yz(p_), yz(q)], [None] * 3 + ecols, code))
    et = sum(r[2] for r in erows if len(r[0]) == 3)
    ep = sum(r[3] for r in erows if len(r[0]) == 3)
    t.row(t.cells(["合计", "", "", yz(et), yz(ep), yz(et - ep)], [None] * 3 + ecols, "合计"))
    t.end()

    # 9 “三公”经费和机关运行经费预算表 (万元, one row of numbers)
    th = b.three_total()
    t = doc.table(THREE, head(9, "“三公”经费和机关运行经费预算表", "万元"),
                  [["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
                   ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
                   ["", "", "", "小计", "购置费", "运行费", ""]], "万元")
    t.also_in = (OPERATING,)
    tcols = ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费/小计", "公务用车购置及运行费/购置费",
             "公务用车购置及运行费/运行费"]
    printed = [fmt_wan(th[k], "0.00") for k in ("total", "outbound", "reception", "vehicles", "purchase", "running")]
    cells = t.cells(printed, tcols, None)
    t.also_in = (THREE,)
    t.kind = OPERATING
    cells += t.cells([fmt_wan(b.operating, "0.00")], ["机关运行经费预算数"], None)
    t.kind = THREE
    t.row(cells)
    t.end()

    # 其他相关情况说明
    pr = dict(b.three_prior)
    pr["vehicles"] = pr["purchase"] + pr["running"]
    pr["total"] = pr["outbound"] + pr["reception"] + pr["vehicles"]

    def cmp_(key):
        dv = th[key] - pr[key]
        if dv == 0:
            return f"与{prior_year}年预算持平"
        return f"比{prior_year}年预算{'增加' if dv > 0 else '减少'}{nw(abs(dv))}万元"

    s_total = f"{year}年“三公”经费预算数为{nw(th['total'])}万元，{cmp_('total')}。其中："
    s_out = (f"（一）因公出国（境）费{nw(th['outbound'])}万元，{cmp_('outbound')}，"
             "主要原因是此部分预算由区外办统一安排。")
    s_veh = (f"（二）公务用车购置及运行费{nw(th['vehicles'])}万元，{cmp_('vehicles')}，主要原因是车辆老化程度降低。"
             f"其中：公务用车购置费{nw(th['purchase'])}万元，{cmp_('purchase')}，主要原因是无车辆更新计划；"
             f"公务用车运行费{nw(th['running'])}万元，{cmp_('running')}，主要原因是车辆运行成本下降。")
    s_rec = (f"（三）公务接待费{nw(th['reception'])}万元。{cmp_('reception')}，"
             "主要原因是根据本单位实际业务需求开展公务接待。")
    s_op = f"{year}年{unit}财政拨款的机关运行经费预算为{nw(b.operating)}万元。"
    pt = procurement_totals(b)
    s_pr = (f"{year}年度本单位政府采购预算{nw(pt['total'])}万元，其中：政府采购货物预算{nw(pt['goods'])}万元、"
            f"政府采购工程预算{nw(pt['works'])}万元、政府采购服务预算{nw(pt['services'])}万元。")
    doc.para("其他相关情况说明", f"一、{year}年“三公”经费预算情况说明", s_total, s_out, s_veh, s_rec,
             "二、机关运行经费预算", s_op, "三、政府采购预算情况", s_pr, "四、绩效目标设置情况",
             f"{year}年度，本单位编报绩效目标的项目共6个，涉及项目预算资金{nw(project)}万元。",
             "五、国有资产占有使用情况",
             f"截至{prior_year}年8月31日，{unit}共有车辆1辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、"
             f"其他用车1辆；单价100万元（含）以上设备（不含车辆）0台（套）。")
    dv = lambda k: wan(th[k] - pr[k])  # noqa: E731
    figs += [Figure(("“三公”经费",), wan(th["total"]), dv("total"), s_total),
             Figure(("因公出国（境）费",), wan(th["outbound"]), dv("outbound"), s_out),
             Figure(("公务用车购置及运行费",), wan(th["vehicles"]), dv("vehicles"), s_veh),
             Figure(("公务用车购置费",), wan(th["purchase"]), dv("purchase"), s_veh),
             Figure(("公务用车运行维护费",), wan(th["running"]), dv("running"), s_veh),
             Figure(("公务接待费",), wan(th["reception"]), dv("reception"), s_rec),
             Figure(("机关运行经费",), wan(b.operating), None, s_op)]
    return Layout("shanghai-like-scitech", unit, year, "单位", [], doc.kinds, doc.empty, doc.other_titles, doc.cells,
                  figs, {k: wan(v) for k, v in pt.items()}, doc.text())


LAYOUTS: dict[str, Callable[[], Layout]] = {
    "mof8-county-education": mof8_county_education,
    "dept-multi-unit-health": dept_multi_unit_health,
    "shanghai-like-scitech": shanghai_like_scitech,
    "mof8-pipes-subdistrict": mof8_pipes_subdistrict,
}


# --- comparing a parsed Disclosure with a truth ----------------------------------------------

TO_YUAN = {"元": D(1), "千元": D(1000), "万元": WAN, "亿元": D(100_000_000)}
_ORDINAL = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|\d{1,2}(?:[、.．]|(?=[^\d.．,]))"
    r"|[（(][一二三四五六七八九十\d]+[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*"
)


def norm(text: str | None) -> str:
    """A name as a comparison key: NFKC, no whitespace, quotes and brackets unified, leading
    numbering ("一、", "1.", "（1）", "其中：") dropped."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t).replace("“", '"').replace("”", '"')
    prev = None
    while prev != t:
        prev, t = t, _ORDINAL.sub("", t)
    return t


def printed_unit(table) -> str | None:
    """The unit a parsed table says it was printed in (a field a parser may add), else None."""
    for attr in ("printed_unit", "source_unit"):
        value = getattr(table, attr, None)
        if value:
            return value
    return None


def in_yuan(value: Decimal, unit: str) -> Decimal:
    return value * TO_YUAN[unit]


def candidate_tables(disclosure, cell: Cell) -> list:
    kinds = (cell.table, *cell.also_in)
    out = []
    for kind in kinds:
        for table in disclosure.tables:
            kv = getattr(table.kind, "value", table.kind)
            if kv != kind:
                continue
            if (kind == OTHER and cell.title and norm(cell.title) not in norm(table.title)
                    and norm(table.title) not in norm(cell.title)):
                continue
            out.append(table)
    if cell.table == OTHER and not out:  # a parser without an "other" kind may still keep it under its title
        out = [t for t in disclosure.tables if cell.title and norm(t.title) and norm(t.title) in norm(cell.title)]
    return out


# headers that only say "the amount" (a parser may print any of them for a lone amount column)
GENERIC_AMOUNT = {"预算数", "本年预算", "本年预算数", "金额", "预算金额", "预算"}
TOTAL_ROWS = {"合计", "总计", "部门合计", "单位合计"}


def _item_key(text: str) -> str:
    """A “三公” item or column name as a key: 运行维护费 = 运行费, no 预算数 tail."""
    t = norm(text).replace("运行维护费", "运行费")
    return re.sub(r"(?:预算数|预算)$", "", t)


def _column_matches(name: str, column: str, lone: bool = False) -> bool:
    """A parsed column name against a printed header path: equal, or ending with the path or
    with its leaf (parsers drop generic parents like 预算数/项目). A lone amount column of a
    side matches whatever generic amount header it was printed under."""
    n, path = norm(name), [norm(p) for p in column.split("/")]
    for k in range(len(path)):
        tail = "/".join(path[k:])
        if n == tail or n.endswith("/" + tail):
            return True
    if n == "合计" and path[-1] in THIS_YEARS_AMOUNT:
        return True  # a one-sided table's amount of this year is held as its 合计 (beside 上年预算数)
    return lone and path[-1] in GENERIC_AMOUNT and n.split("/")[-1] in GENERIC_AMOUNT


THIS_YEARS_AMOUNT = {"本年预算数", "本年预算", "本年数"}


def _row_matches(row, cell: Cell) -> bool:
    if cell.side and row.side and row.side != cell.side:
        return False
    if cell.row is None:
        return True
    if re.fullmatch(r"\d{3}(?:\d{2}){0,2}", cell.row):
        return row.code == cell.row
    key = norm(cell.row)
    return norm(row.name) == key or any(norm(t) == key for t in getattr(row, "texts", {}).values())


def _first_value(row) -> Decimal | None:
    for name, value in row.values.items():
        if value is not None and norm(name).split("/")[-1] in TOTAL_ROWS | GENERIC_AMOUNT:
            return value
    return next((v for v in row.values.values() if v is not None), None)


def table_cell_value(table, cell: Cell) -> list[Decimal]:
    """Values (in 元) the parsed `table` holds for `cell` (normally one)."""
    factor = TO_YUAN.get(table.unit, WAN)
    found = []
    for row in table.rows:
        if not _row_matches(row, cell):
            continue
        lone = len([n for n in row.values]) == 1
        for name, value in row.values.items():
            if value is not None and _column_matches(name, cell.column, lone):
                found.append(value * factor)
    if not found and cell.row is not None and norm(cell.row) not in TOTAL_ROWS:
        found = _unit_column_value(table, cell, factor)
    if found or not (cell.row is None or norm(cell.row) in TOTAL_ROWS):
        return found
    # a table printed as one line of items ("合计 因公出国(境)费 公务接待费 …") that the parser
    # turned into one row per item: the row named like the column (or its parent, for 小计)
    path = [p for p in cell.column.split("/") if norm(p) not in TOTAL_ROWS | {"小计"}]
    for part in reversed(path):
        key = _item_key(part)
        for row in table.rows:
            name = _item_key(row.name)
            if name == key or (len(key) >= 3 and (name.endswith(key) or key.endswith(name) and len(name) >= 4)):
                value = _first_value(row)
                if value is not None:
                    return [value * factor]
    if norm(cell.column.split("/")[-1]) in TOTAL_ROWS:
        for row in table.rows:
            if norm(row.name) in TOTAL_ROWS and (value := _first_value(row)) is not None:
                return [value * factor]
    rows = [r for r in table.rows if any(v is not None for v in r.values.values())]
    if cell.row is None and len(rows) == 1:  # a one-figure table (机关运行经费) held as its 合计 row
        value = _first_value(rows[0])
        return [value * factor] if value is not None else []
    return []


def _unit_column_value(table, cell: Cell, factor: Decimal) -> list[Decimal]:
    """A 部门 table with one row per unit and items as columns, turned by the parser into one row
    per item with a column per unit: the item's row, the unit's column."""
    path = [p for p in cell.column.split("/") if norm(p) not in {"小计"}]
    for part in reversed(path):
        key = _item_key(part)
        for row in table.rows:
            name = _item_key(row.name)
            if name == key or (len(key) >= 3 and (name.endswith(key) or key.endswith(name) and len(name) >= 4)):
                value = row.values.get(cell.row)
                if value is not None:
                    return [value * factor]
    return []


@dataclass
class CellResult:
    cell: Cell
    ok: bool
    found: list[Decimal] = field(default_factory=list)  # in 元
    reason: str = ""


def check_cell(disclosure, cell: Cell) -> CellResult:
    tables = candidate_tables(disclosure, cell)
    if not tables:
        return CellResult(cell, False, reason="table missing")
    want = in_yuan(cell.value, cell.unit)
    found: list[Decimal] = []
    for table in tables:
        found += table_cell_value(table, cell)
    if want in found:
        return CellResult(cell, True, found)
    if not found:
        rows = [r for t in tables for r in t.rows if _row_matches(r, cell)]
        parsed_columns = sorted({n for r in rows for n in r.values})
        reason = "row missing" if not rows else f"column missing (parsed columns {parsed_columns})"
        return CellResult(cell, False, found, reason)
    return CellResult(cell, False, found, "value differs")


def recovered_cells(disclosure, layout: Layout) -> list[CellResult]:
    return [check_cell(disclosure, cell) for cell in layout.cells]


def _stated_in_wan(figure) -> tuple[Decimal | None, Decimal | None]:
    factor = TO_YUAN.get(getattr(figure, "unit", "万元"), WAN) / WAN
    value = figure.value * factor if figure.value is not None else None
    change = figure.change * factor if figure.change is not None else None
    return value, change


@dataclass
class FigureResult:
    figure: Figure
    ok: bool
    value_ok: bool
    parsed: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)  # subject, value, change


def check_figure(disclosure, figure: Figure) -> FigureResult:
    parsed = []
    value_ok = change_ok = False
    for stated in disclosure.stated:
        if stated.subject not in figure.subjects:
            continue
        value, change = _stated_in_wan(stated)
        parsed.append((stated.subject, value, change))
        if value == figure.value:
            value_ok = True
            if figure.change is None or change == figure.change:
                change_ok = True
    if figure.change is None:  # "基本支出X万元，占Y%" is read as a share
        for share in disclosure.shares:
            if share.subject in figure.subjects:
                parsed.append((f"share:{share.subject}", share.value, None))
                if share.value == figure.value:
                    value_ok = change_ok = True
    return FigureResult(figure, value_ok and change_ok, value_ok, parsed)


def recovered_figures(disclosure, layout: Layout) -> list[FigureResult]:
    return [check_figure(disclosure, f) for f in layout.figures]


def procurement_results(disclosure, layout: Layout) -> dict[str, tuple[Decimal, Decimal | None]]:
    """field -> (truth, parsed) in 万元."""
    p = disclosure.procurement
    out = {}
    for key, truth in layout.procurement.items():
        value = getattr(p, key, None) if p is not None else None
        if value is not None:
            value = value * TO_YUAN.get(p.unit, WAN) / WAN
        out[key] = (truth, value)
    return out
