"""第四部分 名词解释: numbered terms ("一、基本支出：指…") and their definitions.

A definition may start on the line after its term ("六、财政专户管理资金：" then the text) and
the PDF wraps it over several lines; the glossary ends where the numbering stops continuing.
"""
from __future__ import annotations

import re

from core.model import GlossaryTerm
from core.text import fold_key
from parsing.blocks import Block
from parsing.narrative import CN_DIGITS, Line, block_lines, cn_number, ends_sentence, find_part

GLOSSARY_TITLE = "名词解释"
# Lines to look ahead for the next numbered term before deciding the glossary has ended.
LOOKAHEAD_LINES = 6

_ENTRY = re.compile(
    rf"^(?:[（(]\s*(?P<pnum>[{CN_DIGITS}]{{1,3}}|\d{{1,2}})\s*[）)]\s*[、.．]?|(?P<num>[{CN_DIGITS}]{{1,3}}|\d{{1,2}})\s*[、.．])"
    rf"\s*(?P<term>[^：:。，,；;]{{1,48}}?)\s*[：:]\s*(?P<definition>.*)$"
)
_NEXT_PART = re.compile(rf"^第[{CN_DIGITS}]+部分")
_TERM_EDGES = " 　\"'“”‘’《》"


def parse_glossary(blocks: list[Block], doc_id: str) -> list[GlossaryTerm]:
    lines = block_lines(blocks, doc_id)
    start = _glossary_start(lines)
    if start is None:
        return []
    terms: list[GlossaryTerm] = []
    last_number = 0
    for i in range(start + 1, len(lines)):
        line = lines[i]
        entry = _entry(line, last_number)
        if entry is not None:
            last_number = entry[0]
            terms.append(entry[1])
        elif not terms:
            continue  # a preface before the first term
        elif line.is_table or _NEXT_PART.match(line.text) or not _continues(terms[-1], lines, i, last_number):
            break
        else:
            terms[-1].definition += line.text
    return [t for t in terms if t.definition]


def find_term(glossary: list[GlossaryTerm], name: str) -> GlossaryTerm | None:
    """The term whose name matches `name` regardless of quotes and full-/half-width forms."""
    key = fold_key(name)
    return next((t for t in glossary if fold_key(t.term) == key), None)


def _glossary_start(lines: list[Line]) -> int | None:
    parts: list[int] = []
    start = find_part(lines, "四")
    while start is not None:
        parts += [start] if GLOSSARY_TITLE in lines[start].text else []
        start = find_part(lines, "四", start + 1)
    if parts:  # a contents list without page numbers prints the part's title too: the one a term follows
        return next((i for i in parts if _first_term_follows(lines, i)), parts[-1])
    titled = [i for i, line in enumerate(lines) if line.text.endswith(GLOSSARY_TITLE) and not line.is_toc]
    # a contents list without page numbers ("三、名词解释") also ends with the title: prefer the
    # title that a first numbered term follows
    return next((i for i in titled if _first_term_follows(lines, i)), titled[0] if titled else None)


def _first_term_follows(lines: list[Line], start: int) -> bool:
    return any(_entry(line, 0) is not None for line in lines[start + 1: start + 1 + LOOKAHEAD_LINES])


def _entry(line: Line, last_number: int) -> tuple[int, GlossaryTerm] | None:
    """A numbered term continuing the sequence: the next number, or one skipped or repeated
    (the documents have numbering typos); the first term is number 1."""
    match = None if line.is_table else _ENTRY.match(line.text)
    if not match:
        return None
    num = match["num"] or match["pnum"]
    number = int(num) if num.isdigit() else cn_number(num)
    allowed = {1} if last_number == 0 else {last_number, last_number + 1, last_number + 2}
    term = _normalise_term(match["term"])
    if number not in allowed or not term:
        return None
    return number, GlossaryTerm(term=term, definition=match["definition"].strip(), location=line.location)


def _normalise_term(term: str) -> str:
    """Straight quotes become the document's “ ” pairs; stray edge marks go."""
    term = re.sub(r"\"([^\"]*)\"", r"“\1”", term.strip())
    if term.count("“") == term.count("”") and term.startswith("“") and term.endswith("”"):
        term = term[1:-1]  # the whole term quoted: “基本支出” -> 基本支出
    if term.count("“") != term.count("”"):
        term = term.strip(_TERM_EDGES)
    return term


def _continues(current: GlossaryTerm, lines: list[Line], i: int, last_number: int) -> bool:
    """Whether lines[i] (not a numbered term) still belongs to the current definition: it does
    while the definition is unfinished, or when whole sentences lead straight to the next term."""
    if not current.definition or not ends_sentence(current.definition):
        return True
    between = ""
    for line in lines[i: i + LOOKAHEAD_LINES]:
        if line.is_table or _NEXT_PART.match(line.text):
            return False
        if _ENTRY.match(line.text):
            return _entry(line, last_number) is not None and ends_sentence(between)
        between += line.text
    return False
