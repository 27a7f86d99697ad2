"""The assistant's vocabulary, read once from prompts/ (data, not code).

    lex = load_lexicon()
    lex.find_measures("基本支出和项目支出分别是多少")  # [MeasureHit("basic", 0, 4), MeasureHit("project", 5, 9)]
    lex.cue("change", "比上年增加了多少")             # True
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core import rules
from core.measures import Registry, registry

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

_QUOTES = "\"'“”‘’「」『』"
_QUOTE_TABLE = str.maketrans("", "", _QUOTES)


def norm(text: str) -> str:
    """The matching form of a question or a name: NFKC (full-width -> half-width), no quotes,
    no whitespace. Every pattern in prompts/ is written against this form."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTE_TABLE)
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    aliases: tuple[str, ...]
    patterns: tuple[re.Pattern, ...] = ()
    parent: str | None = None
    changeable: bool = False
    tool: str | None = None  # the measure's name in the tools (registry `tool`)
    detail: dict | None = None  # {"table", "column"?}: the rows that make it up
    cell: dict | None = None  # {"table", "side"?, "row", "column"}: one table cell, read by the figure tool
    code: str | None = None  # 功能分类 类 code for function-class measures
    verified: bool = False  # an answer stating it reports whether the narrative agrees with the table
    parts: tuple[str, ...] = ()  # its breakdown (keys): 一般公共预算基本支出 -> 人员经费, 公用经费

    @property
    def is_function_class(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class MeasureHit:
    key: str
    start: int
    end: int
    text: str


@dataclass
class Lexicon:
    measures: dict[str, Measure]
    cues: dict[str, list[re.Pattern]]
    ordinals: dict[str, int]
    rank_targets: dict[str, list[str]]
    topics: list[tuple[re.Pattern, str]]
    unit_pattern: re.Pattern
    not_units: list[str]
    government_suffixes: tuple[str, ...]  # an organisation name ending so is a budget unit, not a company
    templates: dict[str, str]
    qualifiers: list[re.Pattern] = field(default_factory=list)
    glossary_after_term: re.Pattern = re.compile("^是什么")
    bare_words: dict[str, str] = field(default_factory=dict)
    light_cues: tuple[str, ...] = ()
    passage_titles: dict[str, list[str]] = field(default_factory=dict)
    note_parts: dict[str, list[str]] = field(default_factory=dict)  # heading word -> what asks for it
    overview_focus: dict[str, str] = field(default_factory=dict)  # what a clause asks -> words answering it
    generic_name_words: tuple[str, ...] = ()
    name_abbreviations: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 最低生活保障 -> 低保, in project names
    purchase_suffixes: tuple[str, ...] = ()  # 办公设备 + 购置: the row of a thing bought ("买办公设备")
    own_level_words: tuple[str, ...] = ()  # 机关 / 本级 after a 部门's name: its 本级 member unit
    row_affixes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # generic heads and tails of 科目 names
    said_units: dict[str, str] = field(default_factory=dict)  # 平米 -> 平方米
    # topic -> a comparison base: the topic is in scope for a unit whose document states changes
    # against that base (Shanghai's 编制说明 compares with 上年预算执行数)
    topic_exceptions: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, re.Pattern] = field(default_factory=dict)
    _alias_order: list[tuple[str, str]] = field(default_factory=list)  # (alias, key), longest first

    def __post_init__(self):
        pairs = [(norm(a), m.key) for m in self.measures.values() for a in (m.label, *m.aliases)]
        self._alias_order = sorted(set(p for p in pairs if p[0]), key=lambda p: (-len(p[0]), p[1]))

    # ---- cues ---------------------------------------------------------------------------

    def cue(self, name: str, text: str) -> bool:
        return any(p.search(text) for p in self.cues.get(name, ()))

    def pattern(self, name: str) -> re.Pattern:
        return self.patterns[name]

    def projects_column(self, keys: list[str]) -> str | None:
        """The project table's column of the first fund named (政府性基金预算 for 政府性基金): registry
        `detail.projects_column`."""
        return next((column for key in keys if key in self.measures
                     and (column := (self.measures[key].detail or {}).get("projects_column"))), None)

    def split(self, name: str, text: str) -> list[str]:
        """`text` cut by the pattern `name` (sub_question: "？"…; clause: "，"…), blanks left out."""
        return [part for part in self.patterns[name].split(text) if part.strip()]

    def asks_what(self, text: str) -> list[str]:
        """The clauses that ask what, which, who ("主要监测啥", "都有哪些", "奖给了谁")."""
        return [c for c in self.split("clause", text) if self.patterns["content_ask"].search(c)]

    def cue_match(self, name: str, text: str) -> re.Match | None:
        for p in self.cues.get(name, ()):
            m = p.search(text)
            if m:
                return m
        return None

    # ---- measures -----------------------------------------------------------------------

    def find_measures(self, text: str, taken: list[tuple[int, int]] | None = None) -> list[MeasureHit]:
        """Measures named in `text` (already normed), longest alias first, not overlapping
        each other nor the `taken` spans; in text order."""
        spans = list(taken or [])
        for q in self.qualifiers:
            spans.extend(m.span() for m in q.finditer(text) if m.end() > m.start())
        hits: list[MeasureHit] = []

        def free(s: int, e: int) -> bool:
            return not any(s < te and ts < e for ts, te in spans)

        for measure in self.measures.values():  # patterns first: they name a measure by its context
            for pattern in measure.patterns:
                for m in pattern.finditer(text):
                    if free(m.start(), m.end()):
                        spans.append((m.start(), m.end()))
                        hits.append(MeasureHit(measure.key, m.start(), m.end(), m.group()))
        for alias, key in self._alias_order:
            start = text.find(alias)
            while start >= 0:
                end = start + len(alias)
                if free(start, end):
                    spans.append((start, end))
                    hits.append(MeasureHit(key, start, end, alias))
                start = text.find(alias, end)
        return sorted(hits, key=lambda h: h.start)

    def is_part_of(self, key: str, whole: str) -> bool:
        """Whether `key` is under `whole`: by its parents, or listed among the whole's parts."""
        return whole in self.parent_chain(key) or (whole in self.measures and key in self.measures[whole].parts)

    def parent_chain(self, key: str) -> list[str]:
        out, seen = [], set()
        while key in self.measures and (parent := self.measures[key].parent) and key not in seen:
            seen.add(key)
            key = parent
            out.append(key)
        return out

    def label(self, key: str) -> str:
        m = self.measures.get(key)
        return m.label if m else key

    def template(self, template: str, /, **values) -> str:
        return self.templates[template].format(**values)


def load_lexicon() -> Lexicon:
    """The lexicon of the active measure registry (core/measures.py), built once per registry."""
    return registry().derived("assistant.lexicon", build_lexicon)


def build_lexicon(reg: Registry) -> Lexicon:
    measures: dict[str, Measure] = {}
    for m in reg.measures:
        if not m.in_questions:
            continue
        measures[m.key] = Measure(
            key=m.key, label=m.label, aliases=tuple(m.aliases),
            patterns=tuple(re.compile(p) for p in m.patterns),
            parent=m.parent, changeable=m.changeable, tool=m.tool,
            detail=m.detail.model_dump(exclude_none=True) if m.detail else None,
            cell=m.cell.model_dump(exclude_none=True) if m.cell else None, verified=m.verified,
            parts=tuple(m.parts))
    for c in rules.function_classes().classes:
        key = f"function:{c.code}"
        measures[key] = Measure(key=key, label=c.name, aliases=tuple(c.aliases),
                                parent="expenditure_total", code=c.code, tool=c.name)
    intents, scope = rules.intents(), rules.scope()
    return Lexicon(
        measures=measures,
        cues={k: [re.compile(p) for p in v] for k, v in intents.cues.items()},
        ordinals=dict(intents.ordinal_words),
        rank_targets=dict(intents.rank_targets),
        topics=[(re.compile(t.pattern, re.I), t.topic) for t in scope.topics],
        topic_exceptions={t.topic: t.unless_stated_base for t in scope.topics if t.unless_stated_base is not None},
        unit_pattern=re.compile(scope.unit_pattern),
        not_units=list(scope.not_units),
        government_suffixes=tuple(scope.government_suffixes),
        templates=dict(rules.templates().templates),
        qualifiers=[re.compile(p) for p in intents.qualifiers],
        glossary_after_term=re.compile(intents.glossary_after_term),
        bare_words=dict(reg.bare_words),
        light_cues=tuple(intents.light_cues),
        passage_titles={k: list(v) for k, v in intents.passage_titles.items()},
        note_parts={k: list(v) for k, v in intents.note_parts.items()},
        overview_focus=dict(intents.overview_focus),
        generic_name_words=tuple(intents.generic_name_words),
        name_abbreviations=tuple((norm(k), tuple(norm(x) for x in v)) for k, v in intents.name_abbreviations.items()),
        purchase_suffixes=tuple(intents.purchase_suffixes),
        own_level_words=tuple(intents.own_level_words),
        row_affixes=(tuple(intents.row_affixes.get("prefixes", [])), tuple(intents.row_affixes.get("suffixes", []))),
        said_units=dict(intents.said_units),
        patterns={k: re.compile(v) for k, v in intents.patterns.items()},
    )
