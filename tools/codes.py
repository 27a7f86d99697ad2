"""政府收支分类科目: code <-> name with its 类/款/项 path, read from the documents themselves."""
from __future__ import annotations

import re

from core.model import Disclosure, TableKind
from tools.catalog import Catalog
from tools.lookup import cell_figure, is_this_years_amount, key
from tools.trace import traced
from tools.types import Ambiguous, CodeLevel, CodeQuery, CodeResult, Figure, NoData

LEVELS = ((3, "类"), (5, "款"), (7, "项"))
PROJECT_KINDS = (TableKind.projects_current, TableKind.projects_carryover)
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# the 一般公共预算支出表 last: its amounts are what a question narrowed to 财政拨款 asks
# (经济分类 codes, 30239 其他交通费用, are in the 基本支出 table only)
AMOUNT_TABLES = (TableKind.basic_expenditure_economic, TableKind.expenditure, TableKind.income,
                 TableKind.fund_income, TableKind.fund_expenditure, TableKind.state_capital,
                 TableKind.general_budget_expenditure)


def _coded_rows(docs: list[Disclosure]):
    for doc in docs:
        for table in doc.tables:
            for row in table.rows:
                if row.code:
                    yield doc, table, row


def code_name(docs: list[Disclosure], code: str) -> str | None:
    """The 科目 name a code is printed with; a project table's row under the code names the project."""
    named = [(table.kind in PROJECT_KINDS, row.name) for _, table, row in _coded_rows(docs) if row.code == code]
    return min(named, key=lambda pair: pair[0])[1] if named else None


@traced
def explain_code(catalog: Catalog, query: CodeQuery) -> CodeResult | NoData | Ambiguous:
    docs = catalog.documents_for(query.unit, query.year)
    if not isinstance(docs, list):
        return docs
    q = key(query.code_or_name)
    other: list[CodeLevel] = []
    if _CODE.match(q):
        code = q
    else:
        named: dict[str, str] = {}
        for _, _, row in _coded_rows(docs):
            named.setdefault(row.code, row.name)
        exact = [c for c, n in named.items() if key(n) == q]
        contained = [c for c, n in named.items() if q and q in key(n)]
        hits = exact or contained
        if not hits:
            return NoData(reason="no_item", unit=docs[0].unit if query.unit else None,
                          message_zh=f"预算报表中没有名称为“{query.code_or_name}”的科目。")
        hits.sort(key=lambda c: (len(c), c))
        code = hits[0] if exact else max(hits, key=len) if len(hits) == 1 else hits[0]
        other = [CodeLevel(level=_level(c), code=c, name=named[c]) for c in hits if c != code]
    name = code_name(docs, code) or code_name(catalog.disclosures, code)
    if name is None:
        return NoData(reason="no_item", unit=docs[0].unit if query.unit else None,
                      message_zh=f"预算报表中没有科目编码{code}。")
    path = []
    for length, level in LEVELS:
        if len(code) >= length:
            prefix = code[:length]
            path.append(CodeLevel(level=level, code=prefix,
                                  name=code_name(docs, prefix) or code_name(catalog.disclosures, prefix)))
    amounts: list[Figure] = []
    documents: list[str] = []
    for doc in docs:
        found = False
        for kind in AMOUNT_TABLES:
            table = doc.table(kind)
            if table is None or table.empty:
                continue
            if kind == TableKind.income and found:
                continue  # 收入总表 repeats the 支出总表 amounts of the same code
            for row in table.rows:
                if row.code != code:
                    continue
                for column, value in row.values.items():
                    if value is None or not is_this_years_amount(column):
                        continue  # last year's column or the change printed beside this year's
                    f = cell_figure(doc, table, row, column, f"{code} {row.name}（{table.kind.value}/{column}）")
                    if isinstance(f, Figure):
                        amounts.append(f)
                        found = True
                break
        if found:
            documents.append(doc.doc_id)
    return CodeResult(code=code, name=name, path=path, amounts=amounts, documents=documents, other_codes=other,
                      children=_children(docs, code))


def _children(docs: list[Disclosure], code: str) -> list[CodeLevel]:
    """The codes one level below `code` that the documents print (2146099 under 21460)."""
    below = {3: 5, 5: 7}.get(len(code))
    named: dict[str, str] = {}
    for _, _, row in _coded_rows(docs):
        if below and row.code and len(row.code) == below and row.code.startswith(code):
            named.setdefault(row.code, code_name(docs, row.code) or row.name)
    return [CodeLevel(level=_level(c), code=c, name=n) for c, n in sorted(named.items())]


def _level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}.get(len(code), "项")
