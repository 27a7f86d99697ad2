"""Read a disclosure file (PDF or text export) into a Disclosure.

    blocks = read_blocks(path)            # parsing/read_pdf.py or parsing/read_text.py
    disclosure = parse_blocks(blocks, …)  # parsing/tables.py, narrative.py, targets.py, glossary.py
"""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import NotADisclosureError
from core.model import Disclosure, Section, StatedFigure
from parsing.blocks import Block
from parsing.glossary import parse_glossary
from parsing.listed_projects import listed_project_tables
from parsing.member_changes import member_changes
from parsing.narrative import parse_narrative
from parsing.overview import parse_identity, parse_member_units, parse_overview
from parsing.project_notes import parse_project_notes
from parsing.read_pdf import read_pdf_blocks
from parsing.read_text import read_text_blocks
from parsing.tables import parse_tables
from parsing.targets import parse_targets

TEXT_SUFFIXES = {".md", ".txt", ".markdown"}


def read_blocks(path: Path) -> tuple[list[Block], str, int | None]:
    """Return (blocks, source_kind, pages). Raises DisclosureError subclasses."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_text_blocks(path), "text", None
    blocks, pages = read_pdf_blocks(path)
    return blocks, "pdf", pages


def parse_file(path: str | Path, doc_id: str | None = None) -> Disclosure:
    path = Path(path)
    blocks, source_kind, pages = read_blocks(path)
    return parse_blocks(blocks, doc_id or path.stem, source_kind, pages)


def parse_blocks(blocks: list[Block], doc_id: str, source_kind: str, pages: int | None = None) -> Disclosure:
    identity = parse_identity(blocks)
    tables = parse_tables(blocks, doc_id)
    if identity is None or not tables:
        raise NotADisclosureError("未找到单位名称、年度或标准预算报表")
    unit, year, kind = identity
    narrative = parse_narrative(blocks, doc_id)
    overview = parse_overview(blocks, doc_id)
    targets = parse_targets(blocks, doc_id)
    tables += listed_project_tables(narrative.projects, targets, tables)
    member_units = parse_member_units(blocks, overview) if kind == "部门" else []
    mark_member_statements(narrative.stated, narrative.sections, unit, member_units)
    narrative.stated += member_changes(blocks, narrative.sections, member_units, doc_id)
    return Disclosure(
        doc_id=doc_id,
        source_kind=source_kind,
        unit=unit,
        year=year,
        kind=kind,
        pages=pages,
        overview=overview,
        member_units=member_units,
        ocr_pages=sorted({p for b in blocks if b.ocr for p in [b.page, *b.row_pages] if p is not None}),
        tables=tables,
        sections=narrative.sections,
        stated=narrative.stated,
        shares=narrative.shares,
        procurement=narrative.procurement,
        performance=narrative.performance,
        assets=narrative.assets,
        targets=targets,
        project_notes=parse_project_notes(narrative.sections),
        glossary=parse_glossary(blocks, doc_id),
    )


def mark_member_statements(stated: list[StatedFigure], sections: list[Section], unit: str,
                           members: list[str]) -> None:
    """A 部门's paragraph that opens with one of its member units states that unit's figures, not
    the 部门's ("吉州区民政局（本级）2321.51万元，…；基本支出408.41万元，项目支出1913.10万元")."""
    if not members:
        return
    paragraphs = [line.strip() for section in sections for line in section.text.split("\n")]
    for figure in stated:
        paragraph = next((p for p in paragraphs if figure.sentence.strip() in p), figure.sentence.strip())
        opening = re.split(r"\d", paragraph, maxsplit=1)[0].split("：")[-1].strip()  # after "分单位情况："
        figure.member = next((m for m in members if m != unit and opening.startswith(m)), None)
