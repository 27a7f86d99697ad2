"""Names held in the index that a question may use: projects, glossary terms, table rows,
performance indicators. Built once from the catalog's disclosures; used to recognise
entities in questions (the figures themselves always come from the tools).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.lexicon import load_lexicon, norm
from core.model import Disclosure, Section, TableKind
from core.text import chars_in_order, without_trailing_note
from retrieval.tokenize import words as words_of
from tools.catalog import place_prefixes, unit_aliases
from tools.members import is_own_level
from tools.projects import project_items

_PAREN = re.compile(r"\([^()]*\)")
_YEAR_PREFIX = re.compile(r"^(20\d{2}年度?|往年)")
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{4})")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_ROW_TABLES = (TableKind.income, TableKind.expenditure, TableKind.general_budget_expenditure,
               TableKind.basic_expenditure_economic, TableKind.fund_income, TableKind.fund_expenditure,
               TableKind.state_capital)


def name_core(name: str) -> str:
    """What people call a project: no parenthesised suffix, no leading year or place."""
    core = _PAREN.sub("", norm(name))
    core = _PLACE_PREFIX.sub("", _YEAR_PREFIX.sub("", core))
    return core or norm(name)


@dataclass(frozen=True)
class NameHit:
    name: str  # as held
    text: str  # the words of the question that matched
    start: int
    end: int
    score: float  # share of the name's core found in the question
    piece: str = ""  # the longest piece of the name found whole in the question
    blocks: tuple[tuple[int, int], ...] = ()  # the question's spans that matched (without the gaps)

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        pieces = tuple(b for b in self.blocks if b[1] - b[0] >= 3)  # not a stray 项目 / 经费
        return pieces or ((self.start, self.end),)

    def specific_spans(self, generic_words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
        """The spans, and the two-character pieces that are no generic word of names (大队, 车库;
        not 项目, 经费): a loose name is often said in short words."""
        short = tuple((a, b) for a, b in self.blocks
                      if b - a == 2 and _specific(self.text[a - self.start:b - self.start], generic_words))
        return self.spans + short


@dataclass
class DocNames:
    unit: str
    year: int
    projects: list[str] = field(default_factory=list)  # table rows and 绩效目标表 titles
    carryover_projects: list[str] = field(default_factory=list)
    rows: dict[str, str | None] = field(default_factory=dict)  # row name -> code
    terms: list[str] = field(default_factory=list)
    subterms: dict[str, str] = field(default_factory=dict)  # item defined inside a term's definition -> that term
    indicators: dict[str, list[str]] = field(default_factory=dict)  # project -> 三级指标
    headings: dict[str, Heading] = field(default_factory=dict)  # （一）… inside a 情况说明 section
    uses: dict[str, str] = field(default_factory=dict)  # "主要用于…" of a 功能科目 item -> its row name
    members: dict[str, str] = field(default_factory=dict)  # how a 部门's member unit is said -> its name
    member_units: list[str] = field(default_factory=list)  # as the document lists them (本级 too)
    abbreviations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # its glossary's 简称


@dataclass
class Heading:
    """A numbered heading inside a narrative section ("（一）政府购买服务指导性目录") and its text."""

    title: str
    text: str
    section: Section


class NameIndex:
    def __init__(self, disclosures: list[Disclosure], generic_words: tuple[str, ...] | None = None):
        if generic_words is None:
            generic_words = load_lexicon().generic_name_words
        self.generic_words = generic_words
        self.abbreviations = load_lexicon().name_abbreviations
        self.docs: dict[tuple[str, int], DocNames] = {}
        for d in disclosures:
            self.docs[(d.unit, d.year)] = _doc_names(d)

    def for_units(self, units: list[str] | None) -> list[DocNames]:
        if not units:
            return list(self.docs.values())
        return [n for (u, _), n in self.docs.items() if u in units]

    def members_of(self, unit: str) -> list[str]:
        return [m for n in self.for_units([unit]) for m in n.member_units]

    def all_terms(self) -> set[str]:
        return {t for n in self.docs.values() for t in (*n.terms, *n.subterms)}

    def parent_term(self, term: str) -> str | None:
        """The glossary term whose definition defines `term` ("公务用车购置费" -> "“三公”经费")."""
        return next((n.subterms[term] for n in self.docs.values() if term in n.subterms), None)

    # ---- matching -------------------------------------------------------------------------

    def find_members(self, text: str, units: list[str] | None = None) -> list[tuple[str, str, int, int]]:
        """Member units of held 部门 documents named in the question, in text order, longest
        names first where they overlap: (部门, member, start, end)."""
        found = sorted(((len(form), n.unit, member, start) for n in self.for_units(units)
                        for form, member in n.members.items() if (start := text.find(form)) >= 0), reverse=True)
        hits: list[tuple[str, str, int, int]] = []
        for size, department, member, start in found:
            if all(member != m and not _overlaps(start, start + size, [(a, b)]) for _, m, a, b in hits):
                hits.append((department, member, start, start + size))
        for word in _MEMBER_WORD.finditer(text):  # "射阳农技中心", "经管站": an abbreviation
            hits += [hit for hit in self._abbreviated_member(word.group(), word.start(), units)
                     if not any(_overlaps(hit[2], hit[3], [(a, b)]) for *_, a, b in hits)]
        return sorted(hits, key=lambda hit: hit[2])

    def _abbreviated_member(self, word: str, at: int, units: list[str] | None) -> list[tuple[str, str, int, int]]:
        """The one member whose short form holds the end of the word's characters in order (射阳农技中心:
        农技中心 ~ 农业技术推广中心), three characters or more, ending as the form does."""
        widest: dict[str, tuple[str, str, int, int]] = {}
        for n in self.for_units(units):
            for form, member in n.members.items():
                for cut in range(len(word) - 2):
                    rest = word[cut:]  # after a place or other words ("射阳", "其中", "本级和")
                    if rest[-1] == form[-1] and rest != form and chars_in_order(rest, form):
                        if member not in widest or at + cut < widest[member][2]:
                            widest[member] = (n.unit, member, at + cut, at + len(word))
                        break
        return list(widest.values()) if len(widest) == 1 else []

    def heading_titles(self, units: list[str] | None = None) -> set[str]:
        return {h for n in self.for_units(units) for h in n.headings if len(h) >= HEADING_MIN}

    def heading(self, unit: str, year: int, title: str) -> Heading | None:
        names = self.docs.get((unit, year))
        return names.headings.get(title) if names else None

    def project_owners(self, names: list[str]) -> list[str]:
        """The units whose documents hold a project of one of these names."""
        wanted = {norm(name) for name in names}
        return list(dict.fromkeys(n.unit for n in self.docs.values()
                                  if any(norm(p) in wanted for p in (*n.projects, *n.carryover_projects))))

    def project_names(self, units: list[str] | None = None) -> set[str]:
        return {p for n in self.for_units(units) for p in (*n.projects, *n.carryover_projects)}

    def _shortened(self, names: set[str], units: list[str] | None = None) -> dict[str, str]:
        """How people shorten project names (城市低保区级配套资金 for 城市最低生活保障区级配套资金):
        short form -> name, for the long words of prompts/intents.json `name_abbreviations` and
        the 简称 a document's glossary gives (衔接推进乡村振兴补助资金：简称“衔接资金”)."""
        out: dict[str, str] = {}
        stated = [pair for n in self.for_units(units) for pair in n.abbreviations]
        for name in names:
            forms = {norm(name)}
            for long, shorts in (*self.abbreviations, *stated):  # each long word, and several together
                forms |= {form.replace(long, short) for form in forms if long in form for short in shorts}
            out.update((form, name) for form in forms if form != norm(name))
        return {short: name for short, name in out.items() if short not in names}

    def _as_held(self, hits: list[NameHit], shortened: dict[str, str]) -> list[NameHit]:
        """Hits on a short form named as the project is held, each project once."""
        held: list[NameHit] = []
        for hit in hits:
            hit = replace(hit, name=shortened.get(hit.name, hit.name))
            if all(h.name != hit.name for h in held):
                held.append(hit)
        return held

    def find_exact_projects(self, text: str, units: list[str] | None = None) -> list[NameHit]:
        """Projects whose whole name (or its core: no year, no (第一批)) is in the question."""
        names = self.project_names(units)
        shortened = self._shortened(names, units)
        return self._as_held(self._exact(text, names | set(shortened)), shortened)

    def _exact(self, text: str, names: set[str]) -> list[NameHit]:
        candidates: list[NameHit] = []
        for name in names:
            for key in dict.fromkeys((norm(name), name_core(name))):
                start = text.find(key)
                if len(key) >= 4 and start >= 0:
                    candidates.append(NameHit(name, key, start, start + len(key), 1.0))
                    break
        # Longest matches first (ties by position and name, so the result never depends on set
        # order); a match inside a longer one names a different project and is dropped.
        hits: list[NameHit] = []
        for hit in sorted(candidates, key=lambda h: (-(h.end - h.start), h.start, h.name)):
            if not any(_overlaps(hit.start, hit.end, [(h.start, h.end)]) and (h.end - h.start) > (hit.end - hit.start)
                       for h in hits):
                hits.append(hit)
        return _noted(hits, text)

    def find_projects(self, text: str, units: list[str] | None = None,
                      taken: list[tuple[int, int]] | None = None, several: bool = False) -> list[NameHit]:
        """Projects named in the (normed) question: the best-covered names, by the longest
        piece of each name's core found in the question (or of its short form: 城市低保…)."""
        names = self.project_names(units)
        shortened = self._shortened(names, units)
        return self._as_held(self._named(text, names | set(shortened), taken, several, shortened), shortened)

    def _named(self, text: str, names: set[str], taken: list[tuple[int, int]] | None,
               several: bool, shortened: dict[str, str] | None = None) -> list[NameHit]:
        hits: list[NameHit] = []
        for name in names:
            hit = best_cover(name, text, taken)
            if hit:
                hits.append(hit)
        hits += _words_reordered(text, names, self.generic_words)  # weighed against the pieces found
        if not hits:
            hits = _distinctive(text, names, self.generic_words)
        if not hits:
            hits = _specific_and_generic(text, names, self.generic_words)
        if not hits and several:
            hits = _shared_fragment(text, names, self.generic_words)
        if not hits:
            hits = _abbreviation(text, names)
        if not hits:
            hits = _adjacent_pieces(text, names, self.generic_words, taken or [])
        if not hits:
            hits = _most_words(text, names, self.generic_words)
        if not hits:  # (a project's short forms carry its note too: the note names the project once)
            hits = _by_note(text, {(shortened or {}).get(n, n) for n in names})
        if not hits:
            return []
        top = max(_weight(h) for h in hits)
        best = [h for h in hits if _weight(h) >= top - 1e-9]
        shared = best[0].piece or best[0].text
        if several and len(_specific(shared, self.generic_words)) >= 3:
            # "兰花路派出所的几个项目": every project whose name has the words the question used
            start = text.find(shared)
            best += [NameHit(n, shared, start, start + len(shared), len(shared) / len(name_core(n)), shared)
                     for n in names if shared in name_core(n) and all(n != h.name for h in best)]
        else:
            best = _noted(best, text)
        return sorted(best, key=lambda h: h.name)

    def find_indicators(self, text: str, projects: list[str], units: list[str] | None = None) -> list[NameHit]:
        """三级指标 of the named projects' 绩效目标表 that the question names (whole, or most of it)."""
        wanted = {norm(p) for p in projects}
        names = {i for n in self.for_units(units) for p, inds in n.indicators.items() if norm(p) in wanted
                 for i in inds}
        hits: list[NameHit] = []
        ordered = [n for n in sorted(names, key=len, reverse=True) if len(norm(n)) >= 3 and norm(n) not in wanted]
        for name in ordered:  # whole names first, then the closest partial one
            start = text.find(norm(name))
            if start >= 0 and not any(_overlaps(start, start + len(norm(name)), [(h.start, h.end)]) for h in hits):
                hits.append(NameHit(name, norm(name), start, start + len(norm(name)), 1.0))
        if hits:
            return hits
        partial = [h for h in (best_cover(n, text, min_len=3, min_cover=0.7) for n in ordered) if h]
        return [max(partial, key=lambda h: (h.score * (h.end - h.start), -len(h.name)))] if partial else []

    def find_rows(self, text: str, units: list[str] | None = None,
                  taken: list[tuple[int, int]] | None = None, min_len: int = 3) -> list[NameHit]:
        """Table row names (科目名称) found verbatim in the question, longest first."""
        rows = {r for n in self.for_units(units) for r in n.rows}
        found = sorted((-len(key), start, row, key) for row in rows for key in self._row_keys(row)
                       if len(key) >= min_len and (start := text.find(key)) >= 0)
        hits: list[NameHit] = []
        spans = list(taken or [])
        for _, start, row, key in found:  # of two overlapping names of one length, the first said ("小学教育支出")
            if not _overlaps(start, start + len(key), spans):
                spans.append((start, start + len(key)))
                hits.append(NameHit(row, key, start, start + len(key), 1.0))
        return hits

    def find_rows_by_core(self, text: str, units: list[str] | None = None,
                          taken: list[tuple[int, int]] | None = None) -> list[NameHit]:
        """Rows named by their name less a generic head or tail ("初中和高中" for 初中教育 and
        高中教育, "校舍建设" for 城市中小学校舍建设), each core two characters or more and left by
        one row only."""
        prefixes, suffixes = load_lexicon().row_affixes
        owners: dict[str, set[str]] = {}
        for row in {r for n in self.for_units(units) for r in n.rows}:
            name = norm(row)
            head = next((p for p in prefixes if name.startswith(p) and len(name) - len(p) >= 2), "")
            tail = next((s for s in suffixes if name.endswith(s) and len(name) - len(s) - len(head) >= 2), "")
            if head or tail:
                owners.setdefault(name[len(head):len(name) - len(tail)], set()).add(row)
        hits: list[NameHit] = []
        spans = list(taken or [])
        generic = set(self.generic_words)  # 建设 of 城市建设支出 names nothing
        for core in sorted((c for c, rows in owners.items() if len(rows) == 1 and c not in generic),
                           key=len, reverse=True):
            start = text.find(core)
            if start >= 0 and not _overlaps(start, start + len(core), spans):
                spans.append((start, start + len(core)))
                hits.append(NameHit(next(iter(owners[core])), core, start, start + len(core), 1.0))
        return sorted(hits, key=lambda h: h.start)

    def _row_keys(self, row: str) -> set[str]:
        """A row's name as said, and with its long words shortened ("土地出让收入" for
        国有土地使用权出让收入: prompts/intents.json name_abbreviations)."""
        keys = _row_keys(row)
        return keys | {key.replace(norm(long), norm(short)) for key in keys for long, shorts in
                       self.abbreviations for short in shorts if norm(long) in key}

    def find_row_by_piece(self, text: str, units: list[str] | None = None, min_len: int = 6) -> NameHit | None:
        """A row named by a long piece of its name ("支持中小企业发展的钱" -> 支持中小企业发展和管理支出),
        else by a piece of what the narrative says the row is used for ("标准化菜场" -> the row whose
        主要用于 names it): the shortest row holding the longest such piece."""
        docs = self.for_units(units)
        for candidates, least in (({r: r for n in docs for r in n.rows}, min_len),
                                  ({use: row for n in docs for use, row in n.uses.items()}, 4)):
            best: tuple[int, str, int] | None = None  # (size, row, start)
            for holder, row in candidates.items():
                m = SequenceMatcher(None, text, norm(holder), autojunk=False).find_longest_match(
                    0, len(text), 0, len(norm(holder)))
                piece = text[m.a:m.a + m.size]
                if m.size < least or not _CJK_ONLY.match(piece) or len(_specific(piece, self.generic_words)) < least:
                    continue
                if best is None or (m.size, -len(row)) > (best[0], -len(best[1])):
                    best = (m.size, row, m.a)
            if best is not None:
                size, row, start = best
                return NameHit(row, text[start:start + size], start, start + size, size / len(norm(row)))
        return None

    def find_project_by_indicator(self, text: str, units: list[str] | None = None,
                                  taken: list[tuple[int, int]] | None = None, min_len: int = 3) -> list[NameHit]:
        """"给企业免费刻章，一套多少钱": no project named, but a piece of one project's 三级指标
        (免费刻公章费用标准) that no other project's indicators have, outside the measure names."""
        held = [(p, inds) for n in self.for_units(units) for p, inds in n.indicators.items()]
        unit_names = "|".join(norm(n.unit) for n in self.docs.values())  # a place is no indicator's word
        best: tuple[int, str, int] | None = None  # (size, project, start)
        for project, indicators in held:
            for indicator in indicators:
                key = norm(indicator)
                m = SequenceMatcher(None, text, key, autojunk=False).find_longest_match(0, len(text), 0, len(key))
                piece = text[m.a:m.a + m.size]
                if (m.size < min_len or not _CJK_ONLY.match(piece) or _overlaps(m.a, m.a + m.size, taken or [])
                        or len(_specific(piece, self.generic_words)) < min_len or piece in unit_names):
                    continue
                if best is None or m.size > best[0]:
                    best = (m.size, project, m.a)
        if best is None:
            return []
        size, project, start = best
        piece = text[start:start + size]
        holders = {p for p, inds in held if any(piece in norm(i) for i in inds)}
        if len(holders) != 1:
            # "保洁每平方米多少钱": of the indicators holding the piece, the one sharing most other words
            shared = _most_shared(text, [(p, i) for p, inds in held if p in holders for i in inds
                                         if piece in norm(i)], taken or [])
            if shared is None:
                return []  # 满意度, 完成率: every project has them, and nothing else tells them apart
            project = shared
        return [NameHit(project, piece, start, start + size, size / max(len(name_core(project)), 1), piece)]

    def find_terms(self, text: str, units: list[str] | None = None) -> list[NameHit]:
        terms = {t for n in self.for_units(units) for t in (*n.terms, *n.subterms)} or self.all_terms()
        hits: list[NameHit] = []
        for term in sorted(terms, key=len, reverse=True):
            key = norm(term)
            start = text.find(key)
            if key and start >= 0 and not any(_overlaps(start, start + len(key), [(h.start, h.end)]) for h in hits):
                hits.append(NameHit(term, key, start, start + len(key), 1.0))
        return hits


LONG_NAME_WORDS = 8  # characters of a long name found in the question …
LONG_NAME_COVER = 0.45  # … covering at least this share of it


def _most_shared(text: str, candidates: list[tuple[str, str]], taken: list[tuple[int, int]]) -> str | None:
    """The project whose indicator holds the most of the question's two-character words (outside
    `taken`), when one project alone has the most."""
    said = {text[i:i + 2] for i in range(len(text) - 1)
            if _CJK_ONLY.match(text[i:i + 2]) and not _overlaps(i, i + 2, taken)}
    scored = [(len({norm(indicator)[i:i + 2] for i in range(len(norm(indicator)) - 1)} & said), project)
              for project, indicator in candidates]
    top = max(score for score, _ in scored)
    winners = {project for score, project in scored if score == top}
    return winners.pop() if len(winners) == 1 else None


def best_cover(name: str, text: str, taken: list[tuple[int, int]] | None = None,
               min_len: int = 4, min_cover: float = 0.6) -> NameHit | None:
    """How much of a project's core the question names: the matching pieces of two or more
    characters ("清源水务…运营费" names "晋城市清源水务有限公司运营费"), at least one of
    `min_len` characters, together `min_cover` of the core."""
    core = name_core(name)
    if len(core) < 3:
        return None
    matcher = SequenceMatcher(None, text, core, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2]
    if not blocks or max(b.size for b in blocks) < min(min_len, len(core)):
        return None
    matched = sum(b.size for b in blocks)
    cover = matched / len(core)
    # a long official name is often said in a few of its words ("鸿才苑小区消防改造" for
    # "鸿才苑小区消防系统智慧改造提升工程"): enough words of it in the question also count
    if cover < min_cover and not (matched >= LONG_NAME_WORDS and cover >= LONG_NAME_COVER):
        return None
    start, end = min(b.a for b in blocks), max(b.a + b.size for b in blocks)
    if end - start > 2 * len(core) or (taken and _overlaps(start, end, taken)):
        return None
    longest = max(blocks, key=lambda b: b.size)
    return NameHit(name, text[start:end], start, end, cover, text[longest.a:longest.a + longest.size],
                   tuple((b.a, b.a + b.size) for b in blocks))


def _weight(hit: NameHit) -> float:
    """How well a name accounts for the question: the characters of the question it explains,
    then the share of the name they are (the name with the user's distinctive words wins)."""
    matched = sum(b - a for a, b in hit.blocks) if hit.blocks else hit.end - hit.start
    return matched + hit.score


def _specific(piece: str, generic_words: tuple[str, ...]) -> str:
    """The piece without the generic words of project names (项目, 经费, 建设 …)."""
    for word in generic_words:
        piece = piece.replace(word, "")
    return piece


def _distinctive(text: str, names: set[str], generic_words: tuple[str, ...] = (), min_len: int = 3) -> list[NameHit]:
    """A piece of a project name that no other project has ("粤港澳…", "餐厨垃圾…处置费"),
    when the question names no project well enough for best_cover."""
    cores = {name: name_core(name) for name in names}
    hits = []
    for name, core in cores.items():
        m = SequenceMatcher(None, text, core, autojunk=False).find_longest_match(0, len(text), 0, len(core))
        piece = text[m.a:m.a + m.size]
        distinctive = m.size >= min_len + 1 or (m.size >= min_len and m.b == 0)  # 4 chars, or the name's start
        specific = len(_specific(piece, generic_words)) >= min_len
        if distinctive and specific and _CJK_ONLY.match(piece) and sum(piece in c for c in cores.values()) == 1:
            hits.append(NameHit(name, piece, m.a, m.a + m.size, m.size / len(core)))
    return hits if len({h.name for h in hits}) == 1 else []


def _specific_and_generic(text: str, names: set[str], generic_words: tuple[str, ...] = ()) -> list[NameHit]:
    """"辅警经费" for 公安分局辅警人员经费: a short specific word (two characters or more) right
    before a generic one, both in exactly one project's name, the specific word in no other."""
    cores = {name: name_core(name) for name in names}
    for word in sorted(generic_words, key=len, reverse=True):
        for m in re.finditer(re.escape(word), text):
            for size in (4, 3, 2):
                start = m.start() - size
                specific = text[max(start, 0):m.start()]
                if start < 0 or not _CJK_ONLY.match(specific) or _specific(specific, generic_words) != specific:
                    continue
                if budget_word(specific, BUDGET_WORD_MEASURES):
                    continue  # "预算资金都用在哪": 预算 is the budget's own word, not a project's
                having = [n for n, core in cores.items() if specific in core]
                if len(having) == 1 and (word in cores[having[0]] or word == ANY_PROJECT_WORD):
                    return [NameHit(having[0], specific + word, start, m.end(),
                                    len(specific + word) / len(cores[having[0]]))]
    return []


ANY_PROJECT_WORD = "项目"  # said after any project's words ("禁毒项目" for 禁毒专项工作经费)


def budget_word(word: str, least: int = 1) -> bool:
    """A word that is part of at least `least` measures' names (预算, 支出, 收入 …)."""
    return _measure_words().count(word) >= least


# before a generic word of projects, a word of this many measures' names is the budget's own
# (预算资金), one a few happen to hold is a project's too (交通 of 交通运输支出: 交通管理经费)
BUDGET_WORD_MEASURES = 3


@lru_cache(maxsize=1)
def _measure_words() -> str:
    """Every measure's label and aliases, normed, in one string to search."""
    return "|".join(norm(n) for m in load_lexicon().measures.values() for n in (m.label, *m.aliases))


_BEFORE_PROJECT = re.compile(r"([\u4e00-\u9fff]{4,12}?)(?:那个|这个|这一|的)?项目")


_POINTED = re.compile(r"(?:那笔|这笔)([\u4e00-\u9fff]{4,12}?)(?=走|的|是|用|花|有|多少|[?？，,]|$)")


def _noted(hits: list[NameHit], text: str) -> list[NameHit]:
    """"衔接资金产业发展项目": of names alike but for their notes (…资金（产业发展）, …资金（农村基础设施
    建设）), the ones whose note the question says."""
    kept = []
    for hit in hits:
        alike = [h for h in hits if (h.start, h.end) == (hit.start, hit.end)]
        noted = [h for h in alike if (m := _NOTE.search(norm(h.name))) and m.group(1) in text]
        if not noted or hit in noted:
            kept.append(hit)
    return kept


_NOTE = re.compile(r"[（(]([\u4e00-\u9fff]{4,12})[)）]$")  # words, not a year: （2023年） names no source


def _by_note(text: str, names: set[str]) -> list[NameHit]:
    """"用彩票公益金的是哪个项目" for 计划生育特殊家庭扶助关怀（彩票公益金）: the bracketed note of
    exactly one project's name, said in the question."""
    noted = [(name, note) for name in names if (m := _NOTE.search(norm(name))) and (note := m.group(1)) in text]
    if len({note for _, note in noted}) != 1 or len(noted) != 1:
        return []
    name, note = noted[0]
    start = text.find(note)
    return [NameHit(name, note, start, start + len(note), len(note) / len(norm(name)), note)]


def _abbreviation(text: str, names: set[str]) -> list[NameHit]:
    """"学前资助那个项目" for 学前教育保教费减免及幼儿资助: the words before 项目 are pieces of exactly
    one project's name, in its order, each two characters or more; "那笔体彩公益金" for 体育彩票
    公益金…: the characters after 那笔 are in exactly one project's name, in its order."""
    for m in _POINTED.finditer(text):
        pointed = [name for name in names if chars_in_order(m.group(1), name_core(name))]
        if len(pointed) == 1:
            return [NameHit(pointed[0], m.group(1), m.start(1), m.end(1),
                            len(m.group(1)) / len(name_core(pointed[0])), m.group(1))]
    for m in _BEFORE_PROJECT.finditer(text):
        piece = m.group(1)
        having = []
        for name in names:
            core = name_core(name)
            blocks = [b for b in SequenceMatcher(None, piece, core, autojunk=False).get_matching_blocks() if b.size]
            if sum(b.size for b in blocks) == len(piece) and all(b.size >= 2 for b in blocks):
                having.append((name, core))
        if len(having) == 1:
            name, core = having[0]
            return [NameHit(name, piece, m.start(1), m.end(1), len(piece) / len(core), piece)]
    return []


def _adjacent_pieces(text: str, names: set[str], generic_words: tuple[str, ...],
                     taken: list[tuple[int, int]]) -> list[NameHit]:
    """"机关物业费" for 机关办公区物业管理服务费: pieces of one project's name, two characters or more
    each and not generic words, said one right after another in the question and in the name's
    order, four characters or more in all; the longest such run, when one project has it."""
    found: list[tuple[int, str, list]] = []
    for name in names:
        core = name_core(name)
        blocks = [b for b in SequenceMatcher(None, text, core, autojunk=False).get_matching_blocks()
                  if b.size >= 2 and _CJK_ONLY.match(text[b.a:b.a + b.size])
                  and text[b.a:b.a + b.size] not in generic_words
                  and not _overlaps(b.a, b.a + b.size, taken)]
        run: list = []
        best: list = []
        for b in blocks:
            run = run + [b] if run and b.a == run[-1].a + run[-1].size else [b]
            if len(run) >= 2 and sum(x.size for x in run) > sum(x.size for x in best):
                best = list(run)
        size = sum(b.size for b in best)
        if size >= 4:
            found.append((size, name, best))
    if not found:
        return []
    top = max(size for size, _, _ in found)
    winners = [(name, run) for size, name, run in found if size == top]
    if len(winners) != 1:
        return []
    name, run = winners[0]
    start, end = run[0].a, run[-1].a + run[-1].size
    return [NameHit(name, text[start:end], start, end, (end - start) / len(name_core(name)), text[start:end])]


def _words_reordered(text: str, names: set[str], generic_words: tuple[str, ...] = ()) -> list[NameHit]:
    """"修缮办公用房" for 办公用房修缮: every word of exactly one project's name (besides its
    generic words: 项目, 经费 …) in the question, in any order, four characters or more."""
    having = []
    for name in names:
        words = [w for w in words_of(name_core(name)) if len(w) >= 2 and w not in generic_words]
        spans = [(text.find(w), text.find(w) + len(w)) for w in words]
        if words and all(a >= 0 for a, _ in spans) and sum(len(w) for w in words) >= 4:
            having.append((name, sorted(spans)))
    if len(having) != 1:
        return []
    name, spans = having[0]
    start, end = spans[0][0], spans[-1][1]
    return [NameHit(name, text[start:end], start, end, sum(b - a for a, b in spans) / len(name_core(name)),
                    blocks=tuple(spans))]


def _most_words(text: str, names: set[str], generic_words: tuple[str, ...] = ()) -> list[NameHit]:
    """"崇安寺二期修缮" for 崇安寺保护修缮工程（二期）: most of one project's specific words (two
    characters or more, not generic), at least two of them and five characters in all, in any
    order and with gaps, when no other project has as many."""
    found: list[tuple[int, str, list[tuple[int, int]]]] = []
    for name in names:
        words = [w for w in words_of(norm(name)) if len(w) >= 2 and w not in generic_words and _CJK_ONLY.match(w)]
        spans = [(at, at + len(w)) for w in words if (at := text.find(w)) >= 0]
        size = sum(b - a for a, b in spans)
        if len(spans) >= 2 and size >= MOST_WORDS_MIN and size >= MOST_WORDS_SHARE * sum(len(w) for w in words):
            found.append((size, name, sorted(spans)))
    found.sort(reverse=True)
    if not found or (len(found) > 1 and found[1][0] == found[0][0]):
        return []
    _, name, spans = found[0]
    start, end = spans[0][0], spans[-1][1]
    return [NameHit(name, text[start:end], start, end, sum(b - a for a, b in spans) / len(name_core(name)),
                    blocks=tuple(spans))]


MOST_WORDS_MIN = 5  # characters of a project's words a question must say
MOST_WORDS_SHARE = 0.6  # of the characters of the name's specific words


def _shared_fragment(text: str, names: set[str], generic_words: tuple[str, ...] = (),
                     min_len: int = 3) -> list[NameHit]:
    """"鸿才苑小区两个项目": the longest piece of the question that two or more project names
    share, every one of those projects (a question about several projects names what they share)."""
    cores = {name: name_core(name) for name in names}
    best: str = ""
    for core in cores.values():
        m = SequenceMatcher(None, text, core, autojunk=False).find_longest_match(0, len(text), 0, len(core))
        piece = text[m.a:m.a + m.size]
        if (len(piece) > len(best) and _CJK_ONLY.match(piece) and len(_specific(piece, generic_words)) >= min_len
                and sum(piece in c for c in cores.values()) >= 2):
            best = piece
    if not best:
        return []
    start = text.find(best)
    return [NameHit(name, best, start, start + len(best), len(best) / len(core), best, ((start, start + len(best)),))
            for name, core in cores.items() if best in core]


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < te and ts < e for ts, te in spans)


def _add(bucket: list[str], name: str) -> None:
    """Keep one spelling per name (the tables print （第一批）, the 绩效目标表 (第一批))."""
    if all(norm(n) != norm(name) for n in bucket):
        bucket.append(name)


def _doc_names(d: Disclosure) -> DocNames:
    names = DocNames(unit=d.unit, year=d.year)
    member_keys = {norm(name) for name in (d.unit, *d.member_units)}
    for kind, bucket in ((TableKind.projects_current, names.projects),
                         (TableKind.projects_carryover, names.carryover_projects)):
        table = d.table(kind)
        for row in (project_items(d, table) if table else []):  # not the units' subtotal rows
            if norm(row.name) in member_keys or not re.search(r"[\u4e00-\u9fff]", row.name):
                continue
            _add(bucket, row.name)
    for target in d.targets:
        if all(norm(target.project) != norm(n) for n in names.carryover_projects):
            _add(names.projects, target.project)
        names.indicators.setdefault(target.project, []).extend(i.level3 for i in target.indicators)
    for note in d.project_notes:
        _add(names.projects, note.project)
    for kind in _ROW_TABLES:
        table = d.table(kind)
        for row in (table.rows if table else []):
            if row.name and not row.is_total and re.search(r"[\u4e00-\u9fff]", row.name):
                if names.rows.get(row.name) is None:  # a table printing the row's code wins
                    names.rows[row.name] = row.code
    units = {norm(without_trailing_note(m)) for m in (d.unit, *d.member_units)}
    held = [n for n in map(norm, (*names.rows, *names.projects)) if norm(without_trailing_note(n)) not in units]
    names.member_units = list(d.member_units)
    for member in d.member_units:
        for form in member_forms(member, d.unit):
            if len(form) < MEMBER_FORM_MIN and any(form in n for n in held):
                continue  # 妇幼 is a word of the row 妇幼保健机构 too: only the longer forms name the unit
            names.members.setdefault(form, member)
    own = [m for m in d.member_units if is_own_level(m, d.unit)]
    for form in (own_level_forms(d.unit) if len(own) == 1 else []):  # "局本级", "机关本级"
        names.members.setdefault(form, own[0])
    for form, member in level_initials(d.member_units, d.unit).items():
        if not any(form in n for n in held):
            names.members.setdefault(form, member)
    for stated in d.stated:
        if stated.used_for:
            names.uses.setdefault(stated.used_for, stated.subject.split("/")[-1])
    for section in d.sections:
        for heading in sub_headings(section):
            names.headings.setdefault(heading.title, heading)
    names.terms = [g.term for g in d.glossary]
    for g in d.glossary:
        for item in _SUBTERM.findall(g.definition):
            if item not in names.terms:
                names.subterms.setdefault(item, g.term)
        coded = _CODED_TERM.search(g.term)  # "公共安全支出（类）公安（款）执法办案（项）": asked as 执法办案（项）
        if coded and coded["name"] not in names.terms:
            names.subterms.setdefault(coded["name"] + coded["level"], g.term)
        shorts = tuple(norm(m) for m in _SHORT_NAME.findall(g.definition) if norm(m) not in norm(g.term))
        if shorts:
            names.abbreviations.append((norm(g.term), shorts))
            for short in shorts:
                names.subterms.setdefault(short, g.term)  # "衔接资金是什么意思": the term it is short for
    return names


_CODED_TERM = re.compile(r"[)）](?P<name>[^（）()]{2,20})(?P<level>[（(][款项][)）])$")
_PLACE_END = re.compile(r"[省市县区旗州盟镇乡]")
MEMBER_FORM_MIN = 4  # characters of a short form a member unit is recognised by


def _row_keys(row: str) -> set[str]:
    """A row's name as said: as printed, and without 安排 ("车辆通行费的支出" for 车辆通行费安排的支出)."""
    key = norm(row)
    return {key, key.replace("安排的", "的")}


def member_forms(member: str, department: str) -> list[str]:
    """How a 部门 document's member unit is said: its name, without a trailing （本级）, without the
    place it shares with the 部门 ("青岚县实验幼儿园" -> "实验幼儿园"); not the 部门's own name."""
    bare = without_trailing_note(member)
    if norm(bare) == norm(department):
        return []  # the 部门's own 本级/本部: asked by the 部门's name
    shared = os.path.commonprefix([bare, department])
    ends = [m.end() for m in _PLACE_END.finditer(shared)]
    cut = max(ends, default=0)
    short = norm(bare[cut:])
    forms = {norm(member), norm(bare), short}
    abbreviated: set[str] = set()
    for long, shorts in unit_aliases()["abbreviations"].items():  # 疾病预防控制中心 -> 疾控中心
        if norm(long) in short:
            abbreviated |= {short.replace(norm(long), norm(s)) for s in shorts}
    place = norm(shared[ends[-2] if len(ends) >= 2 else 0:cut])  # 陵城区 of 德州市陵城区
    places = {place, place[:-1]} if len(place) >= 3 else {place}
    forms |= abbreviated | {p + f for p in places for f in {short, *abbreviated} if p}  # 陵城一中, 陵城职专
    if place and place[-1] in "省市县区":  # 县妇幼, 县疾控中心: the place said by its level only
        abbreviated |= {place[-1] + f for f in abbreviated}
        forms |= abbreviated | {place[-1] + short}
    return sorted((f for f in forms if (len(f) >= MEMBER_FORM_MIN or f in abbreviated) and f not in norm(department)),
                  key=len, reverse=True)


def own_level_forms(department: str) -> list[str]:
    """How a 部门's own 本级 is said without the 部门's name: 局本级, 机关本级, 本级 (局机关 may start
    机关运行经费: understand._own_level_alone reads it)."""
    head = department[-1:]
    return [norm(f) for f in (f"{head}本级", "机关本级", "本级")]


def level_initials(members: list[str], department: str) -> dict[str, str]:
    """"省图", "省博" for 山东省图书馆 and 山东博物馆 of 山东省文化和旅游厅: the 部门's level (省/市/县/区)
    and the first character of a member named by a three-character 馆 (图书馆, 博物馆, 美术馆),
    when no other member shares them and the 部门's own name does not hold them."""
    places = place_prefixes(department)
    level = places[-1][-1] if places and places[-1][-1] in "省市县区" else ""
    if not level:
        return {}
    stem = places[-1][:-1]
    owners: dict[str, set[str]] = {}
    for member in members:
        bare = without_trailing_note(member)
        core = bare.removeprefix(places[-1]).removeprefix(stem)
        if core == bare or len(core) != 3 or not core.endswith(INITIALLED_ENDING):
            continue
        owners.setdefault(norm(level + core[0]), set()).add(member)
    return {form: next(iter(held)) for form, held in owners.items() if len(held) == 1 and form not in norm(department)}


INITIALLED_ENDING = "馆"  # 图书馆, 博物馆, 美术馆, 科技馆: said 省图, 市博, 省美


# an organisation-like word of a question: what a member unit's abbreviation ends with
_MEMBER_WORD = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:中心|站|所|队|馆|院|局|委员会|办公室|学校|幼儿园)")
_SUB_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*([^，,。：:；;\d]{1,24})$")
HEADING_MIN = 4  # characters of a heading a question can name (not "（二）其他")


def sub_headings(section: Section) -> list[Heading]:
    """The （一）/（二） headings on lines of their own inside a section, each with the lines under it."""
    found: list[tuple[str, list[str]]] = []
    for line in filter(None, (line.strip() for line in section.text.splitlines())):
        m = _SUB_HEADING.match(line)
        if m:
            found.append((m.group(1).strip(), []))
        elif found:
            found[-1][1].append(line)
    return [Heading(title, "\n".join(lines), section) for title, lines in found if lines]


# "其中：因公出国（境）费用反映……；公务用车购置费反映……": items a definition defines in turn
_SHORT_NAME = re.compile(r"(?:以下)?简称[为作]?[“\"「]([^”\"」，,。；;]{2,12})[”\"」]")
_SUBTERM = re.compile(r"(?:其中[：:]|[；;])\s*([^；;。：:，,、\s]{2,20}?)(?:反映|是指)")
