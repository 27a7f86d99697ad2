"""Retrieval chunks that follow the document: one per narrative section, glossary term,
project (绩效目标表) and table. A fixed window would cut a reason away from the figure it
explains; the document's own structure does not.

Every chunk is a langchain `Document` whose metadata says where it came from:
doc_id, unit, year, kind (section | glossary | project | table), title, and the section,
term, project or table it renders, with the PDF page or text line of its start.
Only scalar, non-None metadata values are kept (Chroma stores nothing else).
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Iterable

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from core.model import BudgetTable, Disclosure, GlossaryTerm, Location, PerformanceTarget, Section, TableRow

KINDS = ("section", "glossary", "project", "table")

# Characters, not tokens: e5-small reads ~512 tokens, about 500-700 Chinese characters.
MAX_CHARS = 700
TABLE_ROWS_PER_CHUNK = 40

_splitter = RecursiveCharacterTextSplitter(
    chunk_size=MAX_CHARS,
    chunk_overlap=80,
    separators=["\n\n", "\n", "。", "；", "，", ""],
    keep_separator="end",
)


def chunk_disclosure(disclosure: Disclosure) -> list[Document]:
    """All chunks of one disclosure, in document order within each kind, with stable ids."""
    docs: list[Document] = []
    docs += _section_chunks(disclosure)
    docs += [_glossary_chunk(disclosure, term) for term in disclosure.glossary]
    docs += [_project_chunk(disclosure, target) for target in disclosure.targets]
    for table in disclosure.tables:
        docs += _table_chunks(disclosure, table)
    for n, doc in enumerate(docs):
        doc.id = f"{disclosure.doc_id}#{n:04d}"
        doc.metadata["chunk_id"] = doc.id
    return docs


def section_label(section: Section) -> str:
    """"七、“三公”经费增减变动原因说明" whether or not the parser kept the number in the title."""
    title = section.title.strip()
    number = (section.number or "").strip()
    if not number or title.startswith(number):
        return title
    if number.startswith(("（", "(")):
        return f"{number}{title}"
    return f"{number}、{title}"


def _header(disclosure: Disclosure, *parts: str) -> str:
    return " ".join([f"{disclosure.unit} {disclosure.year}年", *[p for p in parts if p]])


def _base(disclosure: Disclosure, kind: str, title: str, location: Location | None) -> dict:
    meta = {
        "doc_id": disclosure.doc_id,
        "unit": disclosure.unit,
        "year": disclosure.year,
        "doc_kind": disclosure.kind,
        "source_kind": disclosure.source_kind,
        "kind": kind,
        "title": title,
    }
    if location is not None:
        meta["page"] = location.page
        meta["line"] = location.line
    return meta


def _clean(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if v is not None and v != ""}


def _pieces(header: str, body: str, meta: dict) -> list[Document]:
    """One chunk, or several when the body is long; each piece repeats the header."""
    body = body.strip()
    parts = _splitter.split_text(body) if len(body) > MAX_CHARS else [body]
    out = []
    for i, part in enumerate(parts):
        piece_meta = dict(meta)
        if len(parts) > 1:
            piece_meta["piece"] = i + 1
        out.append(Document(page_content=f"{header}\n{part}".strip(), metadata=_clean(piece_meta)))
    return out


def _section_chunks(disclosure: Disclosure) -> list[Document]:
    docs = []
    for section in disclosure.sections:
        if not section.text.strip():
            continue
        label = section_label(section)
        meta = _base(disclosure, "section", label, section.location)
        meta.update(section=label, part=section.part)
        docs += _pieces(_header(disclosure, section.part, label), section.text, meta)
    if not any(s.part == "概况" for s in disclosure.sections):
        docs += _overview_chunks(disclosure)
    return docs


def _overview_chunks(disclosure: Disclosure) -> list[Document]:
    """概况 from the Overview model when the narrative parser has no 概况 sections."""
    overview = disclosure.overview
    docs = []
    for label, text in (("本单位职责", overview.duties), ("机构设置情况", overview.organisation)):
        if text and text.strip():
            meta = _base(disclosure, "section", label, overview.location)
            meta.update(section=label, part="概况")
            docs += _pieces(_header(disclosure, "概况", label), text, meta)
    return docs


def _glossary_chunk(disclosure: Disclosure, term: GlossaryTerm) -> Document:
    meta = _base(disclosure, "glossary", term.term, term.location)
    meta.update(term=term.term, part="名词解释")
    text = f"{_header(disclosure, '名词解释', term.term)}\n{term.term}：{term.definition.strip()}"
    return Document(page_content=text, metadata=_clean(meta))


def _money(value: Decimal | None, unit: str) -> str | None:
    return None if value is None else f"{value}{unit}"


def _project_chunk(disclosure: Disclosure, target: PerformanceTarget) -> Document:
    """The project's 项目概况 and its indicators: what a performance question asks about."""
    meta = _base(disclosure, "project", target.project, target.location)
    meta.update(project=target.project, part="绩效目标")
    lines = [f"{_header(disclosure, '项目支出绩效目标表')}", f"项目名称：{target.project}"]
    funds = [
        f"实施期资金总额{_money(target.funds_total, target.unit)}" if target.funds_total is not None else "",
        f"年度资金总额{_money(target.funds_year, target.unit)}" if target.funds_year is not None else "",
    ]
    if any(funds):
        lines.append("，".join(f for f in funds if f))
    for label, text in (("项目概况", target.overview), ("年度总体目标", target.goal_year)):
        if text and text.strip():
            lines.append(f"{label}：{text.strip()}")
    indicators = [
        f"{ind.level3}：{ind.value}" for ind in target.indicators if ind.level3 and ind.value
    ]
    if indicators:
        lines.append("绩效指标：" + "；".join(dict.fromkeys(indicators)))
    return Document(page_content="\n".join(lines), metadata=_clean(meta))


def _row_text(row: TableRow, unit: str) -> str:
    name = " ".join(p for p in (row.side, row.code, row.name) if p)
    # the first amount is the row's total in every standard table; the others add noise
    first = next((value for value in row.values.values() if value is not None), None)
    return name if first is None else f"{name} {first}{unit}"


def _table_chunks(disclosure: Disclosure, table: BudgetTable) -> list[Document]:
    title = " ".join(p for p in (table.label, table.title) if p)
    header = f"{_header(disclosure, title)}（单位：{table.unit}）"
    meta = _base(disclosure, "table", title, table.location)
    meta.update(table=table.kind.value, part="预算报表")
    if table.empty or not table.rows:
        return [Document(page_content=f"{header}\n注：本表无数据", metadata=_clean(meta))]
    # rows without any amount (the 收支总表 lists every function class) are left out: short
    # renderings are for finding the table, the figures themselves come from the fact store
    rows = [row for row in table.rows if any(v is not None for v in row.values.values())] or table.rows
    groups = list(_batched(rows, TABLE_ROWS_PER_CHUNK))
    docs = []
    for i, group in enumerate(groups):
        piece_meta = dict(meta)
        if len(groups) > 1:
            piece_meta.update(piece=i + 1, page=group[0].location.page, line=group[0].location.line)
        body = "\n".join(_row_text(row, table.unit) for row in group)
        docs.append(Document(page_content=f"{header}\n{body}", metadata=_clean(piece_meta)))
    return docs


def _batched(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def save_chunks(path, records: list[dict]) -> None:
    """chunks.jsonl: one {"id", "text", "metadata", "tokens"} object per line."""
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def load_chunks(path) -> list[dict]:
    with open(path, encoding="utf-8") as src:
        return [json.loads(line) for line in src if line.strip()]
