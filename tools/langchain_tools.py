"""The tools as LangChain StructuredTools (args = the pydantic query; result = JSON-ready dict,
Decimals as exact strings)."""
from __future__ import annotations

from typing import Callable

from langchain_core.tools import StructuredTool
from pydantic import BaseModel

from tools.catalog import Catalog
from tools.changes import stated_change
from tools.codes import explain_code
from tools.compare import compare_units
from tools.facts import performance_summary, procurement, state_assets
from tools.figures import lookup_cell, lookup_measure
from tools.projects import find_project, project_target
from tools.rank import rank_items
from tools.shares import compute_share
from tools.terms import define_term
from tools.three_public import three_public
from tools.types import (
    AssetsQuery,
    CellQuery,
    ChangeQuery,
    CodeQuery,
    CompareQuery,
    DocQuery,
    MeasureQuery,
    ProjectQuery,
    RankQuery,
    ShareQuery,
    TargetQuery,
    TermQuery,
    ThreePublicQuery,
    UnitQuery,
    VerifyQuery,
)
from tools.units import list_units, resolve_unit
from tools.verify import verify_figure


class NoArgs(BaseModel):
    pass


# (name, description, query type, function(catalog, query))
SPECS: list[tuple[str, str, type[BaseModel], Callable]] = [
    ("list_units", "列出已收录的单位及其预算年度。", NoArgs, lambda c, q: list_units(c)),
    ("resolve_unit", "把单位全称、简称或俗称（如“城管局”“开发区管委会”）解析为收录的单位全称。",
     UnitQuery, resolve_unit),
    ("lookup_measure", "查询某单位某年度的指标金额，如收入总计、基本支出、项目支出、人员经费、公用经费、"
                       "一般公共预算、政府性基金、三公经费、机关运行经费、政府采购、功能分类科目（如公共安全支出）。",
     MeasureQuery, lookup_measure),
    ("lookup_cell", "按表、行（科目编码或名称）、列读取预算报表中的任一单元格。", CellQuery, lookup_cell),
    ("stated_change", "查询情况说明中某项目比上年的增减额、增减幅度、原因，并推算上年数。", ChangeQuery, stated_change),
    ("compute_share", "计算占比（部分÷整体，四舍五入保留两位小数），并给出原文所写占比。", ShareQuery, compute_share),
    ("three_public", "“三公”经费：合计及各分项、比上年增减、推算上年数和原因；无三公经费时说明。",
     ThreePublicQuery, three_public),
    ("compare_units", "在多个单位之间比较同一指标（可不同年度），并排序。", CompareQuery, compare_units),
    ("rank_items", "单位内排序：金额最大的项目、支出功能分类“类”、基本支出经济科目。", RankQuery, rank_items),
    ("find_project", "查询项目支出预算（模糊匹配项目名称；同名多行全部列出并合计）。", ProjectQuery, find_project),
    ("project_target", "查询项目支出绩效目标表：项目概况和绩效指标（可模糊匹配指标名称）。",
     TargetQuery, project_target),
    ("state_assets", "国有资产占有使用情况：公务用车编制和实有数、车型、办公用房面积、大型设备。",
     AssetsQuery, state_assets),
    ("procurement", "政府采购预算总额及货物、工程、服务构成。", DocQuery, procurement),
    ("performance_summary", "绩效管理情况：纳入绩效目标管理的项目个数和金额（按类别）。",
     DocQuery, performance_summary),
    ("explain_code", "解释政府收支分类科目编码（类/款/项）及其金额，或按科目名称查编码。", CodeQuery, explain_code),
    ("define_term", "名词解释：某名词在各单位预算公开中的定义及差异。", TermQuery, define_term),
    ("verify_figure", "核对某指标在情况说明与报表中是否一致（允许0.03的四舍五入尾差）。", VerifyQuery, verify_figure),
]


def as_langchain_tools(catalog: Catalog) -> list[StructuredTool]:
    tools = []
    for name, description, query_type, function in SPECS:
        tools.append(StructuredTool.from_function(
            func=_bind(catalog, query_type, function), name=name, description=description,
            args_schema=query_type))
    return tools


def _bind(catalog: Catalog, query_type: type[BaseModel], function: Callable) -> Callable[..., dict]:
    def run(**kwargs) -> dict:
        return function(catalog, query_type(**kwargs)).model_dump(mode="json", exclude_none=True)

    return run
