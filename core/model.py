"""The parsed disclosure: every figure a Decimal with its unit and where it came from.

This module is the contract between the readers (index/), the store, the tools and
retrieval. Field names are stable; add fields rather than rename them.
"""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field

from core.text import location_label


class Location(BaseModel):
    """Where an item came from: a PDF page (1-based) or a text-export line (1-based)."""

    document: str  # doc_id, e.g. "jincheng-etdz-approval-bureau-2026"
    page: int | None = None
    line: int | None = None

    def label(self) -> str:
        return location_label(self.page, self.line)


class TableKind(str, Enum):
    """The 13 standard tables, recognised by meaning (titles and numbering vary)."""

    income_expenditure_summary = "收支总表"
    income = "收入总表"
    expenditure = "支出总表"
    fiscal_summary = "财政拨款收支总表"
    general_budget_expenditure = "一般公共预算支出表"
    basic_expenditure_economic = "一般公共预算基本支出分经济科目表"
    fund_income = "政府性基金收入表"
    fund_expenditure = "政府性基金支出表"
    state_capital = "国有资本经营预算收支表"
    three_public = "三公经费支出预算表"
    operating_costs = "机关运行经费预算表"
    projects_current = "项目支出预算表（本年）"
    projects_carryover = "项目支出预算表（上年结转）"
    # Any other table of the document (政府采购预算表, 部门整体支出绩效目标表 …): kept as printed,
    # searchable and citable, but no tool reads a measure from it.
    other = "其他报表"


YEAR_FUNDS = "年度/"  # PerformanceTarget.funds_detail keys of the budget year ("年度/省级财政资金")
UNIT_COLUMN = "单位名称"  # the TableRow.texts column naming the unit a row belongs to (部门 documents)


class TableRow(BaseModel):
    """One logical row. Two-sided tables (收支总表, 财政拨款收支总表) yield one row per side,
    told apart by `side` ("收入" / "支出")."""

    side: str | None = None
    code: str | None = None  # 科目编码 (3/5/7 digits) where the table has one
    name: str  # 科目名称 / 项目名称 / 项目, whitespace inside CJK text removed
    values: dict[str, Decimal | None] = Field(default_factory=dict)  # column -> value; None = blank
    texts: dict[str, str] = Field(default_factory=dict)  # non-numeric extra columns
    is_total: bool = False  # 合计 / 总计 / 本年收入合计 … lines
    location: Location
    ocr_doubt: list[str] = Field(default_factory=list)  # columns read with OCR that no check confirms


class BudgetTable(BaseModel):
    kind: TableKind
    title: str  # as printed, e.g. "2026年预算收支总表"
    label: str | None = None  # "表一" / "预算公开表1" / "部门公开表9" when printed
    unit: str = "万元"
    columns: list[str] = Field(default_factory=list)  # flattened headers, "本年收入/一般公共预算"
    rows: list[TableRow] = Field(default_factory=list)
    empty: bool = False  # no amount in the table (注：本表无数据, or nothing filled in)
    location: Location
    # Amounts are held in `unit` (万元 for money tables, so that tables and narrative compare like
    # with like). A table printed in 元 is converted exactly (÷10000) and says so here; the printed
    # value is the held value × 10000.
    printed_unit: str | None = None
    empty_note: bool = False  # the document marks the table empty (注：本表无数据 / 故本表为空表)
    listed: bool = False  # not printed: rows the 情况说明 or the 绩效目标表 list (parsing/listed_projects.py)


class Section(BaseModel):
    """A narrative section of 情况说明 (一..十二) or of 概况."""

    part: str  # "概况" | "情况说明" | "名词解释" | "其他"
    number: str | None = None  # "一", "七", "（一）"
    title: str
    text: str
    location: Location
    parent: str | None = None  # the titled section it is numbered inside ("其他相关情况说明")


Direction = Literal["增加", "减少", "持平"]


class StatedFigure(BaseModel):
    """A figure the narrative states, with its change against last year when stated.

    `change` is signed (negative = 减少). The prior-year value is derived as
    value - change by the tools and labelled 推算; it is not stored here.
    """

    subject: str  # canonical subject, see SUBJECTS in parsing/narrative.py
    value: Decimal | None = None
    unit: str = "万元"
    change: Decimal | None = None
    change_percent: Decimal | None = None  # signed percent, e.g. -46.59
    direction: Direction | None = None
    reason: str | None = None
    sentence: str  # the sentence it was read from, verbatim
    section: str | None = None  # section number/title, e.g. "七、“三公”经费增减变动原因说明"
    location: Location
    change_base: str | None = None  # what the change is against: "上年预算" / "上年预算执行数" / "上年执行数"
    prior: Decimal | None = None  # last year's figure when the sentence states it ("2023年当年预算执行数为X万元")
    value_restated: Decimal | None = None  # the same figure stated again ("2024年预算安排X万元"), as printed
    used_for: str | None = None  # "主要用于…" of a 功能科目 item
    function_item: bool = False  # a 功能科目 item of the budget's 具体使用情况 ("防汛（项）186.00万元…")
    member: str | None = None  # the member unit a 部门's sentence is about ("X（本级）2321.51万元，…")


class StatedShare(BaseModel):
    """A share stated in the narrative: "基本支出2835.51万元，占33.24%"."""

    subject: str
    value: Decimal | None = None
    percent: Decimal
    whole: str | None = None  # what it is a share of, when the sentence/section says
    sentence: str
    section: str | None = None
    location: Location


class Procurement(BaseModel):
    total: Decimal | None = None
    goods: Decimal | None = None  # 货物
    works: Decimal | None = None  # 工程
    services: Decimal | None = None  # 服务
    unit: str = "万元"
    sentence: str
    location: Location
    sme_reserved: Decimal | None = None  # 面向中小企业预留
    small_micro_reserved: Decimal | None = None  # 其中预留给小型和微型企业


class PerformanceCategory(BaseModel):
    category: str  # "其他运转类" / "特定目标类"
    count: int | None = None
    amount: Decimal | None = None


class PerformanceSummary(BaseModel):
    """十、绩效管理情况: 纳入绩效目标管理的二级项目N个，共计金额X万元 …"""

    project_count: int | None = None
    amount: Decimal | None = None
    categories: list[PerformanceCategory] = Field(default_factory=list)
    published_count: int | None = None
    published_amount: Decimal | None = None
    unit: str = "万元"
    sentence: str
    location: Location
    unit_count: int | None = None  # "本部门2个预算单位开展了…绩效目标编报"


class Indicator(BaseModel):
    period: Literal["实施期", "年度"]
    level1: str | None = None  # 一级指标: 产出指标 / 效益指标 / 满意度指标 / 成本指标
    level2: str | None = None  # 二级指标: 数量指标 …
    level3: str  # 三级指标
    value: str  # 指标值 as printed ("≥95%", "3500元/月")
    location: Location


class PerformanceTarget(BaseModel):
    """One 项目支出绩效目标表 (amounts in 元)."""

    project: str
    department: str | None = None  # 主管部门及代码
    implementer: str | None = None  # 实施单位
    attribute: str | None = None  # 项目属性
    duration: str | None = None  # 项目期
    unit: str = "元"
    funds_total: Decimal | None = None  # 实施期资金总额
    funds_year: Decimal | None = None  # 年度资金总额
    funds_detail: dict[str, Decimal | None] = Field(default_factory=dict)  # "年度/市县(区)财政资金" -> v
    overview: str | None = None  # 项目概况
    basis: str | None = None  # 立项依据
    necessity: str | None = None  # 项目设立必要性
    measures: str | None = None  # 保证项目实施的制度、措施
    plan: str | None = None  # 项目实施计划
    goal_total: str | None = None  # 实施期总体目标
    goal_year: str | None = None  # 年度总体目标
    indicators: list[Indicator] = Field(default_factory=list)
    location: Location


class ProjectNote(BaseModel):
    """A project described in prose (“XX项目经费情况说明”): its numbered parts as printed."""

    project: str
    title: str  # the section's title
    parts: dict[str, str] = Field(default_factory=dict)  # heading ("立项依据") -> text
    location: Location


class Assets(BaseModel):
    """十一、国有资产占有使用情况."""

    as_of: str | None = None  # "2025年12月31日"
    vehicles_quota: int | None = None  # 编制
    vehicles_actual: int | None = None  # 实有
    vehicles_by_type: dict[str, int] = Field(default_factory=dict)  # 领导用车 -> 0 …
    office_area: Decimal | None = None  # 平方米
    equipment: dict[str, int] = Field(default_factory=dict)  # "50万元以上通用设备" -> n
    sentences: list[str] = Field(default_factory=list)
    location: Location
    planned_vehicles: int | None = None  # 预算安排购置车辆
    planned_vehicles_by_type: dict[str, int] = Field(default_factory=dict)
    planned_equipment: dict[str, int] = Field(default_factory=dict)  # 预算安排购置的设备 -> n


class GlossaryTerm(BaseModel):
    term: str
    definition: str
    location: Location


class Overview(BaseModel):
    duties: str | None = None  # 本单位/部门职责
    organisation: str | None = None  # 机构设置情况
    facts: dict[str, int] = Field(default_factory=dict)  # "在职人员"/"内设科室"/"核定编制" -> n
    location: Location | None = None
    # facts read from elsewhere than 概况 (the 整体支出绩效目标申报表): where each was printed
    fact_locations: dict[str, Location] = Field(default_factory=dict)


class Disclosure(BaseModel):
    doc_id: str  # file stem
    source_kind: Literal["pdf", "text"]
    unit: str  # 晋城经济技术开发区行政审批局
    year: int
    kind: Literal["单位", "部门"]
    pages: int | None = None  # PDF pages, or None for text
    overview: Overview = Field(default_factory=Overview)
    tables: list[BudgetTable] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    stated: list[StatedFigure] = Field(default_factory=list)
    shares: list[StatedShare] = Field(default_factory=list)
    procurement: Procurement | None = None
    performance: PerformanceSummary | None = None
    targets: list[PerformanceTarget] = Field(default_factory=list)
    project_notes: list[ProjectNote] = Field(default_factory=list)
    assets: Assets | None = None
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    # A 部门 document covering several units: the units it lists (本级 first), as printed.
    member_units: list[str] = Field(default_factory=list)
    # PDF pages read with OCR (no text layer): their figures are machine-read, see index/ocr_verify.py
    ocr_pages: list[int] = Field(default_factory=list)

    def table(self, kind: TableKind) -> BudgetTable | None:
        return next((t for t in self.tables if t.kind == kind), None)

    @property
    def printed_money_unit(self) -> str:
        """The unit most of its budget tables print money in (万元, or 元 …); held in 万元 either way."""
        units = [t.printed_unit or t.unit for t in self.tables
                 if t.kind != TableKind.other and not t.empty and not t.listed]
        return max(set(units), key=units.count) if units else "万元"


class Finding(BaseModel):
    """A consistency finding from index/checks.py. Never raised, always reported."""

    check: str  # "parent_sum" | "cross_table" | "narrative_vs_table" | "three_public_sum" | …
    severity: Literal["error", "warning", "rounding"]
    message: str  # Chinese, for users
    expected: Decimal | None = None
    actual: Decimal | None = None
    locations: list[Location] = Field(default_factory=list)
