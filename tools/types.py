"""Inputs and outputs of every tool (pydantic). The assistant codes against these.

Conventions
- Every number is a `Figure` (core.answer.Figure): Decimal value, its unit (万元 / 元 / % /
  个 / 辆 / 平方米 / 台（套）) and a `Source`. Never a float, never a number from retrieved text.
- A table cell's Source: table = TableKind value ("收支总表"), row = 科目编码 or row name,
  column = the column key as parsed ("本年收入/一般公共预算"), page/line of the row.
- A narrative figure's Source: table = None, section = the section title, row = the stated
  subject (or "政府采购" / "绩效管理" / "国有资产" / "概况"), column = the field read (金额,
  增减额, 增减幅度, 占比, 总额/货物/工程/服务, 实有车辆, 类别/其他运转类/金额 …; see
  tools/provenance.py), page/line of the sentence.
- A 绩效目标表 figure's Source: table = "项目支出绩效目标表", row = the project, column =
  "实施期资金总额" / "年度资金总额" / "<期间>/<三级指标>".
- A derived figure (推算: prior year, computed shares, sums of rows) has derived=True and a
  Chinese `note` naming its inputs; its inputs are figures of the same result.
- Missing data is a `NoData` result with a reason, an ambiguous name an `Ambiguous` result.
  Tools never raise for missing data and never return 0 for it.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.answer import Figure, Source
from core.numbers import TOLERANCE

__all__ = [
    "Figure", "Source", "NoData", "Ambiguous", "DocQuery",
    "UnitInfo", "UnitList", "UnitQuery", "UnitMatch", "UnitMention", "UnitMentions",
    "CellQuery", "CellResult", "MeasureQuery", "MeasureResult", "MeasureInfo", "MeasureList",
    "ChangeQuery", "ChangeResult", "ShareQuery", "ShareResult",
    "ThreePublicQuery", "ThreePublicItem", "ThreePublicResult",
    "CompareQuery", "UnitRef", "CompareRow", "CompareResult",
    "RankQuery", "RankRow", "RankResult",
    "ProjectQuery", "ProjectRow", "ProjectResult",
    "TargetQuery", "IndicatorHit", "TargetResult", "TargetTable",
    "AssetsQuery", "AssetsResult", "ProcurementResult", "PerformanceResult",
    "CodeQuery", "CodeLevel", "CodeResult",
    "TermQuery", "TermDefinition", "TermResult",
    "VerifyQuery", "VerifyResult", "TOLERANCE",
]

NoDataReason = Literal[
    "no_unit",  # no document of that unit in the catalog
    "no_year",  # the unit is held, but not for that year
    "no_table",  # the document has no such table
    "empty_table",  # the table is printed and marked 本表无数据
    "no_item",  # no such row/measure/project/term/indicator in the document
    "blank",  # the row is there but the cell is blank (not 0)
    "not_stated",  # the narrative states nothing about it (e.g. no change stated)
]


class NoData(BaseModel):
    """A typed 'not there', with what is available instead (units, years, names)."""

    kind: Literal["no_data"] = "no_data"
    reason: NoDataReason
    message_zh: str
    available: list[str] = Field(default_factory=list)
    unit: str | None = None
    year: int | None = None
    document: str | None = None
    source: Source | None = None  # where the absence was seen (the empty table, the blank cell)


class Ambiguous(BaseModel):
    kind: Literal["ambiguous"] = "ambiguous"
    query: str
    candidates: list[str]
    message_zh: str


class DocQuery(BaseModel):
    """One disclosure: a unit name in any form (full, short, colloquial) and optionally a year.
    Without a year the latest year held for the unit is used."""

    unit: str = Field(description="单位名称（全称、简称或俗称均可），如“城管局”")
    year: int | None = Field(default=None, description="预算年度，如2025；省略则取最新年度")


# ---- units ---------------------------------------------------------------------------------

class UnitInfo(BaseModel):
    unit: str
    years: list[int]
    documents: list[str]  # doc_ids, same order as years
    kind: str | None = None  # 单位 / 部门 (of the latest year)


class UnitList(BaseModel):
    kind: Literal["units"] = "units"
    units: list[UnitInfo]


class UnitQuery(BaseModel):
    name: str = Field(description="单位名称或简称，如“开发区管委会”“工信局”")


class UnitMatch(BaseModel):
    kind: Literal["unit"] = "unit"
    query: str
    unit: str  # the full name as held
    years: list[int]
    how: Literal["exact", "alias", "abbreviation", "fuzzy"]


class UnitMention(BaseModel):
    unit: str
    text: str  # the words in the question that named it
    start: int
    end: int


class UnitMentions(BaseModel):
    kind: Literal["unit_mentions"] = "unit_mentions"
    mentions: list[UnitMention]


# ---- figures -------------------------------------------------------------------------------

class CellQuery(DocQuery):
    table: str = Field(description="表名或表类型，如“支出总表”“三公经费支出预算表”“表六”")
    row: str = Field(description="科目编码或行名称（可模糊），如“2080505”“住房公积金”“合计”")
    column: str | None = Field(default=None, description="列名（可模糊），如“基本支出”；省略则取第一列（合计）")
    side: Literal["收入", "支出"] | None = Field(default=None, description="收支总表的收入方/支出方")


class CellResult(BaseModel):
    kind: Literal["cell"] = "cell"
    figure: Figure
    table_title: str
    row_name: str
    code: str | None = None
    columns: list[str] = Field(default_factory=list)  # the row's columns, for follow-ups
    others: list[Figure] = Field(default_factory=list)  # the row's other non-blank cells


class MeasureQuery(DocQuery):
    measure: str = Field(description="指标名称，如“收入总计”“基本支出”“三公经费”“公共安全支出”“政府采购”")


class MemberQuery(DocQuery):
    member: str = Field(description="部门所属单位名称，如“青岚县实验幼儿园”")
    column: str | None = Field(default=None, description="列名，如“事业收入”；空为合计")
    within_unit: bool = Field(default=False, description="占比以该单位自身合计为整体（而非部门同列合计）")


class MemberResult(BaseModel):
    """One unit of a 部门 document, read from the table listing the units."""

    kind: Literal["member"] = "member"
    member: str
    figure: Figure
    whole: Figure | None = None  # the 部门's total of the same column
    share_of_whole: Figure | None = None  # derived percent


class MeasureResult(BaseModel):
    kind: Literal["measure"] = "measure"
    measure: str  # canonical measure name
    figure: Figure
    parts: list[Figure] = Field(default_factory=list)  # named parts (收入总计 -> 本年收入合计, 上年结转)
    breakdown: list[Figure] = Field(default_factory=list)  # 科目 rows that make it up (基金 -> 1030148 …)
    note: str | None = None  # e.g. which fallback was used


class MeasureInfo(BaseModel):
    name: str
    label: str
    aliases: list[str]
    unit: str


class MeasureList(BaseModel):
    kind: Literal["measures"] = "measures"
    measures: list[MeasureInfo]


# ---- change, share ---------------------------------------------------------------------------

class ChangeQuery(DocQuery):
    subject: str = Field(description="增减变化的对象，如“收入总计”“一般公共预算当年支出”“公务接待费”“机关运行经费”")
    member: str | None = Field(default=None, description="部门所属单位名称：该单位的增减变化（空为部门）")


class ChangeResult(BaseModel):
    kind: Literal["change"] = "change"
    subject: str  # as stated in the narrative
    current: Figure | None = None  # this year's value (stated, or from the table)
    change: Figure | None = None  # signed; negative = 减少
    change_percent: Figure | None = None  # signed percent
    direction: Literal["增加", "减少", "持平"] | None = None
    prior: Figure | None = None  # derived: current − change (推算)
    reason: str | None = None
    sentence: str
    percent_check: str | None = None  # Chinese note when change/prior disagrees with the stated percent
    table_current: Figure | None = None  # the same subject read from the tables, when it maps to one
    base: str | None = None  # what the change is against when the text says ("上年预算执行数"); None = 上年
    via: str | None = None  # the text states this change for another figure of the same amount
    reason_source: Source | None = None  # where the reason is printed, when not in the change's sentence


class ShareQuery(DocQuery):
    part: str = Field(description="部分：指标、功能分类科目、项目名称等，如“基本支出”“城乡社区支出”“城投应急周转金”")
    whole: str | None = Field(default=None, description="整体，如“支出总计”“基本支出”；省略则按指标默认口径")


class ShareResult(BaseModel):
    kind: Literal["share"] = "share"
    part: Figure
    whole: Figure
    computed: Figure  # derived percent, ROUND_HALF_UP to 2 decimals
    stated: Figure | None = None  # the narrative's stated share, when there is one
    stated_sentence: str | None = None
    agrees: bool | None = None  # computed vs stated within 0.01 percentage point


# ---- 三公 ------------------------------------------------------------------------------------

class ThreePublicQuery(DocQuery):
    pass


class ThreePublicItem(BaseModel):
    item: str  # canonical: 因公出国（境）费 / 公务接待费 / 公务用车购置及运行费 / 公务用车购置费 / 公务用车运行维护费
    current: Figure | None = None  # from the table; None = blank cell (stated 0 shown in `stated`)
    stated: Figure | None = None  # the narrative's value for the item
    change: Figure | None = None
    change_percent: Figure | None = None
    direction: Literal["增加", "减少", "持平"] | None = None
    prior: Figure | None = None  # derived
    reason: str | None = None
    children: list[str] = Field(default_factory=list)  # 公务用车购置及运行费 -> its two parts


class ThreePublicResult(BaseModel):
    kind: Literal["three_public"] = "three_public"
    unit: str
    year: int
    has_three_public: bool  # False: the table is empty / the narrative says 无
    total: Figure | None = None
    total_change: ChangeResult | None = None
    items: list[ThreePublicItem] = Field(default_factory=list)
    none_sentence: str | None = None  # "本部门无“三公”经费预算。"
    source: Source  # the table (or the section) this answer rests on


# ---- compare, rank ---------------------------------------------------------------------------

class UnitRef(BaseModel):
    unit: str
    year: int | None = None


class CompareQuery(BaseModel):
    units: list[UnitRef] = Field(description="要比较的单位（可带年度）；为空则比较全部单位")
    measure: str = Field(description="指标，如“三公经费”“机关运行经费”“基本支出占比”“政府采购”")


class CompareRow(BaseModel):
    rank: int | None = None  # 1 = largest; None for units without the figure
    unit: str
    year: int | None = None
    figure: Figure | None = None
    missing: NoData | None = None


class CompareResult(BaseModel):
    kind: Literal["compare"] = "compare"
    measure: str
    unit_of_value: str  # 万元 / %
    rows: list[CompareRow]  # ranked, missing ones last
    mixed_years: bool
    problems: list[Ambiguous | NoData] = Field(default_factory=list)  # units that did not resolve
    difference: Figure | None = None  # rank 1 − rank 2 (derived) when at least two share a unit of value

    def table_rows(self) -> list[dict]:
        """Rows ready for a table, a chart or CSV (values as strings: exact)."""
        return [
            {"排名": r.rank, "单位": r.unit, "年度": r.year,
             self.measure: (str(r.figure.value) if r.figure else None),
             "单位（计量）": self.unit_of_value,
             "说明": (r.missing.message_zh if r.missing else None)}
            for r in self.rows
        ]


class RankQuery(DocQuery):
    what: Literal["projects", "functions", "functions_kuan", "functions_xiang", "economic", "carryover_projects",
                  "income_sources", "members"] = Field(
        default="projects",
        description="projects=项目支出（本年）; carryover_projects=上年结转项目; "
                    "functions=支出功能分类“类”（3位编码）; "
                    "functions_kuan=“款”（5位）; functions_xiang=“项”（7位）; economic=基本支出经济科目; "
                    "income_sources=收支总表的收入来源（一般公共预算、政府性基金、上年结转…）; "
                    "members=部门预算所属各单位（收入总表按单位列示的合计）")
    general_budget: bool = Field(default=False, description="功能分类只排一般公共预算（财政拨款）支出")
    n: int = Field(default=5, ge=1, le=100)
    ascending: bool = False
    by_change: Literal["增加", "减少"] | None = Field(
        default=None, description="按比上年的增减额排序：增加=增加最多在前；减少=减少最多在前（只排功能科目）")
    group_duplicates: bool = Field(default=False, description="同名项目合并后排序（默认按单行）")
    column: str | None = Field(default=None,
                               description="members：按哪一项排（事业收入、基本支出、“三公”经费…；默认合计）；"
                                           "projects：只排该资金列有金额的项目并按该列排（政府性基金预算、一般公共预算）")
    member: str | None = Field(default=None, description="projects：只排该所属单位（单位名称列）的项目")
    subordinate_only: bool = Field(default=False, description="members：只排下属单位，不含部门本级（机关）")
    within: str | None = Field(
        default=None,
        description="economic: 只排该经济分类“类”（如商品和服务支出）下的款；"
                    "functions_kuan/functions_xiang: 只排该功能科目编码（如212）之下的")


class RankRow(BaseModel):
    rank: int
    name: str
    code: str | None = None
    figure: Figure  # derived (a sum) when group_duplicates merged several rows
    rows: int = 1  # table rows behind the figure
    share_of_total: Figure | None = None  # derived percent of `total`


class RankResult(BaseModel):
    kind: Literal["rank"] = "rank"
    what: str
    rows: list[RankRow]
    total: Figure | None = None  # the table's total the rows are part of
    count: int  # how many items were ranked


# ---- projects, targets -----------------------------------------------------------------------

class ProjectQuery(DocQuery):
    name: str = Field(description="项目名称（可模糊），如“北石店污水处理厂运营费”")


class ProjectRow(BaseModel):
    name: str
    table: Literal["本年", "上年结转"]
    figure: Figure  # 合计 column
    funding: list[Figure] = Field(default_factory=list)  # non-blank 资金来源 columns
    funding_note: str | None = None  # a 资金来源 column printed as words ("一般公共预算42.80万元、事业收入25.60万元")


class ProjectResult(BaseModel):
    kind: Literal["project"] = "project"
    query: str
    names: list[str]  # distinct matched names (more than one: similar projects, e.g. 第一批/第二批)
    rows: list[ProjectRow]  # every matching row, duplicates kept
    total: Figure  # sum of rows (derived when more than one row)
    has_target: bool  # a 绩效目标表 exists for it


class TargetQuery(DocQuery):
    project: str = Field(description="项目名称（可模糊）")
    indicator: str | None = Field(default=None, description="指标名称（可模糊），如“满意度”“成本”；省略则列出全部")


class IndicatorHit(BaseModel):
    period: str
    level1: str | None = None
    level2: str | None = None
    level3: str
    value: str  # as printed: "≥95%"
    number: Figure | None = None  # the first number in value when there is one, unit as printed
    numbers: list[Figure] = Field(default_factory=list)  # every number in value ("2万元至40万元" -> 2, 40)
    table: int = 0  # which 绩效目标表 of the result: 0 = the result itself, i = others[i - 1]
    source: Source


class TargetResult(BaseModel):
    kind: Literal["target"] = "target"
    project: str
    implementer: str | None = None  # 实施单位 / 预算单位
    overview: str | None = None
    goal_year: str | None = None
    funds_total: Figure | None = None  # 元
    funds_year: Figure | None = None  # 元
    funds_sources: list[Figure] = Field(default_factory=list)  # the year's 资金来源 with an amount (省级财政资金 …)
    indicators: list[IndicatorHit]  # from every 绩效目标表 with this title (see `others`), each with its source
    source: Source
    others: list["TargetTable"] = Field(default_factory=list)  # further 绩效目标表 sharing the title


class NotePart(BaseModel):
    heading: str  # as printed ("立项依据")
    text: str
    source: Source


class NoteResult(BaseModel):
    """A project described in prose (“XX项目经费情况说明”), its numbered parts in order."""

    kind: Literal["note"] = "note"
    project: str
    title: str
    parts: list[NotePart]


class TargetTable(BaseModel):
    """Another 绩效目标表 printed under the same project title (e.g. one per funding source)."""

    project: str
    implementer: str | None = None
    overview: str | None = None
    goal_year: str | None = None
    funds_total: Figure | None = None  # 元
    funds_year: Figure | None = None  # 元
    funds_sources: list[Figure] = Field(default_factory=list)
    source: Source


# ---- assets, procurement, performance --------------------------------------------------------

class AssetsQuery(DocQuery):
    pass


class AssetsResult(BaseModel):
    kind: Literal["assets"] = "assets"
    as_of: str | None = None
    vehicles_actual: Figure | None = None
    vehicles_quota: Figure | None = None
    vehicles_by_type: list[Figure] = Field(default_factory=list)  # only the non-zero types first
    planned_vehicles: Figure | None = None  # 预算安排购置车辆 (this year's budget)
    office_area: Figure | None = None
    equipment: list[Figure] = Field(default_factory=list)
    sentences: list[str] = Field(default_factory=list)
    source: Source


class ProcurementResult(BaseModel):
    kind: Literal["procurement"] = "procurement"
    total: Figure | None = None
    goods: Figure | None = None
    works: Figure | None = None
    services: Figure | None = None
    sme_reserved: Figure | None = None  # 面向中小企业预留
    small_micro_reserved: Figure | None = None  # of which 预留给小型和微型企业
    parts_sum: Figure | None = None  # derived goods+works+services
    agrees: bool | None = None  # parts_sum vs total within 0.03
    sentence: str
    source: Source


class PerformanceResult(BaseModel):
    kind: Literal["performance"] = "performance"
    project_count: Figure | None = None
    amount: Figure | None = None
    categories: list[dict] = Field(default_factory=list)  # {"category", "count": Figure|None, "amount": Figure|None}
    published_count: Figure | None = None
    published_amount: Figure | None = None
    target_tables: int  # 绩效目标表 parsed from the document
    sentence: str
    source: Source


# ---- codes, glossary, verification -----------------------------------------------------------

class CodeQuery(BaseModel):
    code_or_name: str = Field(description="科目编码（3/5/7位）或科目名称，如“2080505”“事业运行”")
    unit: str | None = Field(default=None, description="限定单位（可选）")
    year: int | None = None


class CodeLevel(BaseModel):
    level: Literal["类", "款", "项"]
    code: str
    name: str | None = None


class CodeResult(BaseModel):
    kind: Literal["code"] = "code"
    code: str
    name: str
    path: list[CodeLevel]  # 类 -> 款 -> 项
    amounts: list[Figure] = Field(default_factory=list)  # 支出总表/收入总表/基金表 cells, per document
    documents: list[str] = Field(default_factory=list)
    other_codes: list[CodeLevel] = Field(default_factory=list)  # other codes whose name matched
    children: list[CodeLevel] = Field(default_factory=list)  # the 款 of a 类, the 项 of a 款, as printed


class TermQuery(BaseModel):
    term: str = Field(description="名词，如“机关运行经费”“上年结转”")
    unit: str | None = Field(default=None, description="限定单位（可选）；省略则列出各单位的定义")
    year: int | None = None


class TermDefinition(BaseModel):
    unit: str
    year: int
    term: str  # as printed
    definition: str
    source: Source


class TermResult(BaseModel):
    kind: Literal["term"] = "term"
    query: str
    definitions: list[TermDefinition]
    differs: bool  # the units' definitions are not all the same (folded text)
    variants: int  # number of distinct definitions


class VerifyQuery(DocQuery):
    measure: str = Field(description="要核对的指标，如“基本支出”“三公经费”“机关运行经费”")


class VerifyResult(BaseModel):
    kind: Literal["verify"] = "verify"
    measure: str
    table: Figure | None = None
    stated: Figure | None = None
    difference: Figure | None = None  # stated − table, derived
    status: Literal["一致", "尾差", "不一致", "仅表格", "仅说明"]
    message_zh: str
    sentence: str | None = None


class GenericQuery(DocQuery):
    name: str = Field(description="其他报表（如政府采购预算表、整体支出绩效目标表）中某一行的名称，如“社区治理”")


class GenericRow(BaseModel):
    table: str  # the table's title as printed
    row: str
    figures: list[Figure] = Field(default_factory=list)  # the row's amounts, each with its cell
    texts: dict[str, str] = Field(default_factory=dict)  # its text columns (指标, 说明 …)


class GenericRowsResult(BaseModel):
    kind: Literal["generic_rows"] = "generic_rows"
    unit: str
    year: int
    rows: list[GenericRow] = Field(default_factory=list)
