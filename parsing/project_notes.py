"""Projects described in prose: a narrative section whose numbered parts are a project's
概况, 立项依据, 实施主体 … (上海's “XX项目经费情况说明”), read into ProjectNote objects.

    notes = parse_project_notes(disclosure.sections)
    notes[0].project == "区政府督查及建议提案工作业务经费项目"
    notes[0].parts["立项依据"] == "《区委、区政府2024年重点工作任务书》和…"

The vocabulary is data: parsing/lexicon/project_notes.json.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from core.model import ProjectNote, Section

LEXICON = Path(__file__).resolve().parent / "lexicon" / "project_notes.json"
_HEADING = re.compile(r"^[一二三四五六七八九十]+、\s*(\S.{0,14})$")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return json.loads(LEXICON.read_text(encoding="utf-8"))


def parse_project_notes(sections: list[Section]) -> list[ProjectNote]:
    notes = []
    for section in sections:
        for parts in _projects_in(section.text):
            name = _name_from_title(section.title) or _name_from_text(next(iter(parts.values()), ""))
            if name:
                notes.append(ProjectNote(project=name, title=section.title, parts=parts, location=section.location))
    return notes


def _projects_in(text: str) -> list[dict[str, str]]:
    """The section's numbered parts, one dict per project (a heading seen again starts the next)."""
    words = _lexicon()["heading_words"]
    projects: list[dict[str, str]] = []
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = _HEADING.match(line.strip())
        if heading and any(w in heading.group(1) for w in words):
            current = heading.group(1).strip()
            if current in parts:
                projects.append(_joined(parts))
                parts = {}
            parts[current] = []
        elif current is not None:
            parts[current].append(line.strip())
    projects.append(_joined(parts))
    return [p for p in projects if len(p) >= _lexicon()["min_parts"]]


def _joined(parts: dict[str, list[str]]) -> dict[str, str]:
    return {heading: "".join(lines) for heading, lines in parts.items()}


def _name_from_title(title: str) -> str | None:
    """"区政府督查及建议提案工作业务经费项目经费情况说明" -> "区政府督查及建议提案工作业务经费项目"."""
    for suffix in _lexicon()["title_suffixes"]:
        if title.endswith(suffix):
            name = title[: -len(suffix)]
            return name if len(name) >= 4 else None  # "项目经费情况说明" names no project
    return None


def _name_from_text(text: str) -> str | None:
    """"由…建设的万里街道社区公共服务中心新建工程，位于…" -> the name the first clause ends with."""
    clause = re.split(r"[，,。；;]", text, maxsplit=1)[0]
    name = clause.rsplit("的", 1)[-1]
    ends = tuple(_lexicon()["name_ends"])
    return name if 4 <= len(name) <= 40 and name.endswith(ends) else None
