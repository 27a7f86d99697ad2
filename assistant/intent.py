"""The primary intent of an understood question (after the dialogue filled it in).

The order of the rules matters and is the policy: a glossary term with a definition cue is a
glossary question even when it also names a measure; two units make a comparison; a project
with an indicator cue is a performance question; and so on down to a plain figure.
"""
from __future__ import annotations

from assistant.lexicon import load_lexicon
from assistant.understand import Understanding

COUNT_GROUPS = ("assets.", "overview.", "performance.")
TOTALS = ("expenditure_total", "income_total")  # a share of these is what a ranking states
RANKABLE = {"project", "current_projects", "carryover_projects", "expenditure_total", "basic", "general_budget_basic",
            "personnel", "public_use"}

PROJECT_TOTALS = ("project", "current_projects")
INTENTS = ("out_of_scope", "ask_unit", "passage", "heading", "glossary", "code", "compare", "performance", "share",
           "rank", "project", "narrative", "change", "count", "figure", "overview")


def decide_intent(u: Understanding) -> str:
    if u.topic:
        return "out_of_scope"
    if u.unknown_units and not u.units:
        return "out_of_scope"
    if u.ambiguous and not u.units:
        return "ask_unit"
    if u.has("passage") and not u.projects and all(m.startswith(("overview.", "performance.")) for m in u.measures):
        return "passage"
    if u.heading and not u.code and not (u.terms and u.has("glossary")):
        return "heading"
    if _asks_definition(u) and not u.code and not _asks_amount(u):
        return "glossary"
    if u.code or (u.has("code") and u.rows):
        return "code"
    if len(u.units) >= 2:
        return "compare"
    if u.projects and u.has("code") and not u.indicators:
        return "project"  # "居民医保补助走的是哪个科目编码": the 科目 its rows are printed under
    if u.projects and (u.has("performance") or u.indicators) and not _project_share(u) \
            and not (_fund_column_asked(u) and not u.indicators):
        return "performance"
    if u.projects and u.has("composition") and not u.measures:
        return "project"  # "老城管委会经费拨了多少？钱花在哪": what that project's money is for
    if u.has("rank_change_up") or u.has("rank_change_down"):
        return "rank"  # "比去年增加最多的是哪个科目": ranked by the change
    if u.has("share") and u.has("rank") and u.rank_what and u.share_whole in (None, *TOTALS):
        return "rank"  # "钱主要花在哪一类上？占(总支出)多少？": the ranking states each share of the total
    if u.has("share"):
        return "share"
    if u.has("rank") and (u.rank_what or not u.measures or all(_rankable(m) for m in u.measures)):
        return "rank"
    if _ranks_funded_projects(u):
        return "rank"
    if u.projects or (u.unknown_project and not u.measures and not u.rows):
        return "project"
    if "carryover_projects" in u.measures and (u.has("list") or u.has("breakdown") or load_lexicon().asks_what(u.text)):
        return "project"
    if u.has("list") and "项目" in u.text and not u.measures:
        return "project"  # "有哪些项目？": the project table
    if u.has("count") and "项目" in u.text and u.measures and all(m in PROJECT_TOTALS for m in u.measures):
        return "project"  # "一共安排了几个专项业务经费项目": the project table, counted
    if u.has("reason") or (u.has("asks_wording") and u.measures):
        return "narrative"  # "机关运行经费表是空的，情况说明里是怎么写的": the section, quoted
    if u.has("change") or u.has("prior") or u.relative_year == "last":
        return "change"
    if u.measures and all(m.startswith(COUNT_GROUPS) for m in u.measures):
        return "count"
    if u.measures or u.rows:
        return "figure"
    if u.units:
        return "overview"
    return "out_of_scope"


def _fund_column_asked(u: Understanding) -> bool:
    """"X经费里有多少是去年结转的": a project's money from one source (a column of the project
    table), not an indicator of it."""
    measures = load_lexicon().measures
    return any(m in measures and ((measures[m].detail or {}).get("column") or (measures[m].detail or {}).get(
        "projects_column")) for m in u.measures)


def _ranks_funded_projects(u: Understanding) -> bool:
    """"两个政府性基金项目哪个钱多": the projects a fund pays for, ranked by that fund's column."""
    return (not u.projects and "项目" in u.text and (u.has("rank") or u.has("compare"))
            and load_lexicon().projects_column(u.measures) is not None)


def _rankable(measure: str) -> bool:
    """A measure whose items can be ranked: projects, expenditure, a 功能分类 class ("城乡社区支出下面
    哪一款最多")."""
    return measure in RANKABLE or measure.startswith("function:")


def _asks_definition(u: Understanding) -> bool:
    """A held glossary term with a glossary cue, or a quoted name asked what it means ("“机关运行经费”
    是什么意思"), even when the name is also a measure."""
    if u.terms and (u.has("glossary") or "名词解释" in u.text):
        return True
    return bool(u.quoted) and u.has("definition") and not u.projects


def _asks_amount(u: Understanding) -> bool:
    return "多少" in u.text and not u.has("glossary")


def _project_share(u: Understanding) -> bool:
    """"项目支出里X项目占几成": a project's share of a whole named (or of a measure said with it)."""
    return u.has("share") and (u.share_whole is not None or bool(u.measures))
