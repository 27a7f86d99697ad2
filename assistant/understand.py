"""Understanding one question: which unit(s), year, measure(s), project, code or term it names,
and what it asks (cues). Pure: the same question and index give the same Understanding.

    u = understand("城管局2025年公务接待费比上年减少多少？", world)
    u.units == ["晋城市城市管理局"]; u.years == [2025]; u.measures == ["three_public.reception"]
    "change" in u.cues

The primary intent is chosen later (assistant/intent.py), after the dialogue has filled in
what a follow-up leaves out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.lexicon import Lexicon, norm
from assistant.names import NameIndex

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?:年度?|年)")
_CODE = re.compile(r"(?<![\d.])(\d{7}|\d{5})(?![\d.])")
_SHORT_CODE = re.compile(r"(?:科目|编码|代码)(?:编码|代码)?为?(\d{3})(?!\d)")
_QUOTED = re.compile(r"[\"“「『]([^\"”」』]{2,60})[\"”」』]")
_SHARE_WHOLE = re.compile(r"占(?:该局|该单位|本单位|其|全部|整个)?(.{1,40}?)(?:的)?(?:比例|比重|占比|份额|百分比|多少|多大|几成|百分之)")
_LEADING_FILLER = re.compile(r"^(?:[年度的中和与及、其谁是在对跟同比较]|其中|那么?|请问|这个|该)+")
_GENERIC_WHOLE = re.compile(r"^(?:总额|总计|合计|总数|全部|整体|总体|总量|总)$")


class Understanding(BaseModel):
    """What a question names and asks. Measures are keys of prompts/measures.json."""

    question: str
    text: str = ""  # the normed question
    units: list[str] = Field(default_factory=list)  # held units, in question order
    unit_words: list[str] = Field(default_factory=list)
    ambiguous: list[dict] = Field(default_factory=list)  # {"query", "candidates"}
    unknown_units: list[str] = Field(default_factory=list)  # unit-like names not held
    years: list[int] = Field(default_factory=list)  # explicit years, in question order
    relative_year: str | None = None  # "this" | "last" | "next"
    measures: list[str] = Field(default_factory=list)
    rows: list[str] = Field(default_factory=list)  # 科目名称 held in the unit's tables
    projects: list[str] = Field(default_factory=list)  # project names held
    project_words: str | None = None
    indicators: list[str] = Field(default_factory=list)  # 三级指标 of those projects named in the question
    code: str | None = None
    terms: list[str] = Field(default_factory=list)  # glossary terms held
    quoted: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    share_whole: str | None = None  # measure key, "row:<name>" or None (= the part's parent)
    within: str | None = None  # "A中B…": the measure key A the question narrows
    rank_what: str | None = None
    rank_n: int = 1
    topic: str | None = None  # out-of-scope topic
    residue: str = ""  # the question without the entities found (for indicator matching)
    elliptical: bool = False  # a fragment that leans on the conversation ("那去年呢？")
    inherited: list[str] = Field(default_factory=list)  # what the dialogue filled in

    def has(self, cue: str) -> bool:
        return cue in self.cues

    @property
    def names_something(self) -> bool:
        return bool(self.measures or self.rows or self.projects or self.code or self.terms)


@dataclass
class World:
    """What understanding needs from the index: the catalog (units, resolver) and held names."""

    catalog: object  # tools.catalog.Catalog
    names: NameIndex
    lexicon: Lexicon


def understand(question: str, world: World) -> Understanding:
    lex, catalog, names = world.lexicon, world.catalog, world.names
    text = norm(question)
    u = Understanding(question=question, text=text)
    taken: list[tuple[int, int]] = []

    u.quoted = [norm(q) for q in _QUOTED.findall(question.replace("\u201c", "“"))]

    # whole project names first: they contain unit-like words (老城管委会经费, 公安分局…)
    exact = names.find_exact_projects(text)
    project_hits = list(exact)
    taken.extend((p.start, p.end) for p in exact)
    unit_spans = []
    for unit, words, start, end in catalog.find_unit_mentions(_mask(text, taken)):
        foreign = _foreign_place(text[:start], unit, words, catalog)
        if foreign:
            u.unknown_units.append(foreign)
            taken.append((start - len(foreign) + len(words), end))
            continue
        if unit not in u.units:
            u.units.append(unit)
        u.unit_words.append(words)
        unit_spans.append((start, end))
    taken.extend(unit_spans)
    if not exact:
        # a project named loosely ("北石店污水处理厂运营费一共…"), unless a measure word explains it
        masked = _mask(text, taken)
        known = [(h.start, h.end) for h in lex.find_measures(masked)]
        known += [(r.start, r.end) for r in names.find_rows(masked, u.units or None)]
        project_hits = [h for h in names.find_projects(masked, u.units or None)
                        if _outside(h.start, h.end, known) >= 2]
        taken.extend((p.start, p.end) for p in project_hits)
    if exact and u.units:
        held = names.project_names(u.units)
        dropped = [(h.start, h.end) for h in project_hits if h.name not in held]
        project_hits = [h for h in project_hits if h.name in held]
        taken = [span for span in taken if span not in dropped]
    if project_hits:
        u.projects = _dedupe(h.name for h in project_hits)
        u.project_words = max(project_hits, key=lambda h: h.end - h.start).text
    project_spans = [(p.start, p.end) for p in project_hits]
    indicator_spans = []
    if u.projects:
        indicator_hits = names.find_indicators(_mask(text, taken), u.projects, u.units or None)
        u.indicators = [h.name for h in indicator_hits]
        indicator_spans = [(h.start, h.end) for h in indicator_hits]

    outside_names = _mask(text, project_spans + indicator_spans)
    for pattern, topic in lex.topics:
        if pattern.search(outside_names):  # not "执行率" inside an indicator's name
            u.topic = topic
            break

    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if any(s <= m.start() < e for s, e in indicator_spans + project_spans):
            continue  # "2023年度审计费用", "往年两节亮化（2023年）" are names, not the year asked
        if y not in u.years:
            u.years.append(y)
        taken.append(m.span())
    if lex.cue("this_year", text):
        u.relative_year = "this"
    if lex.cue("last_year", text):
        u.relative_year = "last"
    if lex.cue("next_year", text):
        u.relative_year = "next"

    code = _CODE.search(_mask(text, taken)) or _SHORT_CODE.search(_mask(text, taken))
    if code:
        u.code = code.group(1)
        taken.append(code.span(1))

    taken.extend(indicator_spans)
    masked = _mask(text, taken)
    term_hits = names.find_terms(masked, u.units or None)
    u.terms = [t.name for t in term_hits]
    if any(lex.glossary_after_term.match(masked[t.end:].lstrip("\x00")) for t in term_hits):
        u.cues.append("glossary")
    hits = lex.find_measures(masked)
    rows = names.find_rows(masked, u.units or None)
    rows = [r for r in rows if not any(_overlaps(r, h) and h.end - h.start >= r.end - r.start for h in hits)]
    hits = [h for h in hits if not any(_overlaps(h, r) for r in rows)]
    if not hits and not rows and not u.projects:
        rows = names.find_rows(masked, u.units or None, min_len=2)  # 水费, 奖金: short names, alone
    if not hits and not rows and not u.projects:
        hits = _bare_words(masked, lex)
    u.measures = _dedupe(h.key for h in hits)
    measure_spans = [(h.start, h.end) for h in hits]
    u.rows = [r.name for r in rows if not _is_measure_word(r.name, lex)]
    row_spans = [(r.start, r.end) for r in rows]
    named = taken + measure_spans + row_spans
    _unknown_units(u, text, named, world)

    light_text = _mask(text, project_spans + unit_spans)
    cue_text = _mask(text, project_spans + unit_spans + measure_spans + row_spans)
    u.cues = _dedupe([name for name in lex.cues
                      if lex.cue(name, light_text if name in lex.light_cues else cue_text)] + u.cues)
    if not u.units and not u.unknown_units and not u.ambiguous and u.has("all_units"):
        u.units = catalog.units()  # "哪个单位…最多" compares every held unit
    if u.relative_year == "last" and (u.has("change") or u.has("prior")):
        u.relative_year = None  # "比去年增加多少" / "去年是多少" compare with last year, they do not move to it
    _share_whole(u, masked, hits, lex)
    _within(u, masked, hits)
    _rank(u, masked, lex)
    u.residue = _mask(text, named).replace("\x00", "")
    u.elliptical = _is_elliptical(u, lex)
    return u


# ---- helpers -------------------------------------------------------------------------------

def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(s, 0), min(e, len(chars))):
            chars[i] = "\x00"
    return "".join(chars)


def _outside(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    """How many characters of [start, end) no span covers."""
    return sum(1 for i in range(start, end) if not any(s <= i < e for s, e in spans))


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def _bare_words(masked: str, lex: Lexicon):
    from assistant.lexicon import MeasureHit

    for word, key in lex.bare_words.items():
        start = masked.find(word)
        if start >= 0:
            return [MeasureHit(key, start, start + len(word), word)]
    return []


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))


def _is_measure_word(name: str, lex: Lexicon) -> bool:
    hits = lex.find_measures(norm(name))
    return bool(hits) and hits[0].end - hits[0].start == len(norm(name))


_PLACE_BEFORE = re.compile(r"([\u4e00-\u9fa5]{2,3}(?:省|市|县))$")


def _foreign_place(before: str, unit: str, words: str, catalog) -> str | None:
    """"长治市城市管理局": a held unit's short name after another place's name is that place's
    unit, not ours. Returns the whole name when so."""
    from tools.types import UnitMatch

    m = _PLACE_BEFORE.search(before.replace("\x00", ""))
    if not m or m.group(1) in norm(unit):
        return None
    name = m.group(1) + words
    resolved = catalog.resolve_unit(name)
    if isinstance(resolved, UnitMatch) and resolved.unit == unit and resolved.how != "fuzzy":
        return None  # a fuzzy match across two place names is another city's unit
    return name


def _unknown_units(u: Understanding, text: str, taken: list[tuple[int, int]], world: World) -> None:
    """Organisation names in the question that are not held: another city's bureau, or a
    short form shared by several held units (开发区 -> ask back)."""
    from tools.types import Ambiguous, UnitMatch

    lex, catalog = world.lexicon, world.catalog
    masked = _mask(text, taken)
    for m in lex.unit_pattern.finditer(masked):
        words = _LEADING_FILLER.sub("", m.group())
        if len(words) < 3 or any(n in words for n in lex.not_units) or "\x00" in words:
            continue
        resolved = catalog.resolve_unit(words)
        if isinstance(resolved, UnitMatch):
            if resolved.unit not in u.units:
                u.units.append(resolved.unit)
                u.unit_words.append(words)
            taken.append(m.span())
        elif isinstance(resolved, Ambiguous):
            u.ambiguous.append({"query": words, "candidates": resolved.candidates})
        else:
            u.unknown_units.append(words)
    if u.units or u.unknown_units:
        return
    from tools.catalog import unit_aliases

    shorts = {s for v in unit_aliases()["abbreviations"].values() for s in v} | set(unit_aliases()["aliases"])
    for word in sorted(shorts, key=len, reverse=True):
        if len(word) >= 2 and word in masked:
            resolved = catalog.resolve_unit(word)
            if isinstance(resolved, Ambiguous):
                u.ambiguous.append({"query": word, "candidates": resolved.candidates})
                return


def _share_whole(u: Understanding, masked: str, hits, lex: Lexicon) -> None:
    """占X的比例 -> X: a measure named after 占, or a generic whole (总额) = the part's parent."""
    m = _SHARE_WHOLE.search(masked)
    if not m:
        return
    inside = [h for h in hits if h.start >= m.start(1) and h.end <= m.end(1)]
    if inside:
        u.share_whole = inside[-1].key
    elif _GENERIC_WHOLE.match(m.group(1).strip("\x00")):
        u.share_whole = "@parent"
    elif "项目支出预算表" in m.group(1) or "本年预算" in m.group(1):
        u.share_whole = "current_projects"


def _within(u: Understanding, masked: str, hits) -> None:
    """"基本支出中人员经费占…" / "“三公”经费中公务用车…": the first measure, before 中, is the whole."""
    if len(hits) < 2:
        return
    first = hits[0]
    after = masked[first.end:first.end + 2]
    if after[:1] in ("中", "里") or after in ("当中", "之中", "里面", "里头"):
        u.within = first.key


def _rank(u: Understanding, masked: str, lex: Lexicon) -> None:
    if not u.has("rank"):
        return
    m = re.search(r"第([二三四五六七八九十2-9])", masked)
    u.rank_n = lex.ordinals.get(m.group(1), 1) if m else 1
    for what, words in lex.rank_targets.items():
        if any(w in masked for w in words):
            u.rank_what = what
            break
    if u.rank_what is None and any(k.startswith("function:") for k in u.measures):
        u.rank_what = None  # "公共安全支出最大吗" is not a ranking of classes


def _is_elliptical(u: Understanding, lex: Lexicon) -> bool:
    if lex.cue("ellipsis", u.text) or lex.cue("followup_part", u.text):
        return True
    return not u.units and not u.unknown_units
