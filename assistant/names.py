"""Names held in the index that a question may use: projects, glossary terms, table rows,
performance indicators. Built once from the catalog's disclosures; used to recognise
entities in questions (the figures themselves always come from the tools).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.lexicon import load_lexicon, norm
from core.model import Disclosure, TableKind

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


class NameIndex:
    def __init__(self, disclosures: list[Disclosure], generic_words: tuple[str, ...] | None = None):
        if generic_words is None:
            generic_words = load_lexicon().generic_name_words
        self.generic_words = generic_words
        self.docs: dict[tuple[str, int], DocNames] = {}
        for d in disclosures:
            self.docs[(d.unit, d.year)] = _doc_names(d)

    def for_units(self, units: list[str] | None) -> list[DocNames]:
        if not units:
            return list(self.docs.values())
        return [n for (u, _), n in self.docs.items() if u in units]

    def all_terms(self) -> set[str]:
        return {t for n in self.docs.values() for t in (*n.terms, *n.subterms)}

    def parent_term(self, term: str) -> str | None:
        """The glossary term whose definition defines `term` ("公务用车购置费" -> "“三公”经费")."""
        return next((n.subterms[term] for n in self.docs.values() if term in n.subterms), None)

    # ---- matching -------------------------------------------------------------------------

    def project_names(self, units: list[str] | None = None) -> set[str]:
        return {p for n in self.for_units(units) for p in (*n.projects, *n.carryover_projects)}

    def find_exact_projects(self, text: str, units: list[str] | None = None) -> list[NameHit]:
        """Projects whose whole name (or its core: no year, no (第一批)) is in the question."""
        candidates: list[NameHit] = []
        for name in self.project_names(units):
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
        return hits

    def find_projects(self, text: str, units: list[str] | None = None,
                      taken: list[tuple[int, int]] | None = None, several: bool = False) -> list[NameHit]:
        """Projects named in the (normed) question: the best-covered names, by the longest
        piece of each name's core found in the question."""
        hits: list[NameHit] = []
        names = self.project_names(units)
        for name in names:
            hit = best_cover(name, text, taken)
            if hit:
                hits.append(hit)
        if not hits:
            hits = _distinctive(text, names, self.generic_words)
        if not hits:
            hits = _specific_and_generic(text, names, self.generic_words)
        if not hits and several:
            hits = _shared_fragment(text, names, self.generic_words)
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
        hits: list[NameHit] = []
        spans = list(taken or [])
        for row in sorted(rows, key=len, reverse=True):
            key = norm(row)
            if len(key) < min_len:
                continue
            start = text.find(key)
            if start >= 0 and not _overlaps(start, start + len(key), spans):
                spans.append((start, start + len(key)))
                hits.append(NameHit(row, key, start, start + len(key), 1.0))
        return hits

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
                if _budget_word(specific):
                    continue  # "预算资金都用在哪": 预算 is the budget's own word, not a project's
                having = [n for n, core in cores.items() if specific in core]
                if len(having) == 1 and word in cores[having[0]]:
                    return [NameHit(having[0], specific + word, start, m.end(),
                                    len(specific + word) / len(cores[having[0]]))]
    return []


def _budget_word(word: str) -> bool:
    """A word that is part of some measure's name (预算, 支出, 收入 …)."""
    return word in _measure_words()


@lru_cache(maxsize=1)
def _measure_words() -> str:
    """Every measure's label and aliases, normed, in one string to search."""
    return "|".join(norm(n) for m in load_lexicon().measures.values() for n in (m.label, *m.aliases))


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
    unit_key = norm(d.unit)
    for kind, bucket in ((TableKind.projects_current, names.projects),
                         (TableKind.projects_carryover, names.carryover_projects)):
        table = d.table(kind)
        for row in (table.rows if table else []):
            if row.is_total or norm(row.name) == unit_key or not re.search(r"[\u4e00-\u9fff]", row.name):
                continue
            _add(bucket, row.name)
    for target in d.targets:
        if all(norm(target.project) != norm(n) for n in names.carryover_projects):
            _add(names.projects, target.project)
        names.indicators.setdefault(target.project, []).extend(i.level3 for i in target.indicators)
    for kind in _ROW_TABLES:
        table = d.table(kind)
        for row in (table.rows if table else []):
            if row.name and not row.is_total and re.search(r"[\u4e00-\u9fff]", row.name):
                names.rows.setdefault(row.name, row.code)
    names.terms = [g.term for g in d.glossary]
    for g in d.glossary:
        for item in _SUBTERM.findall(g.definition):
            if item not in names.terms:
                names.subterms.setdefault(item, g.term)
    return names


# "其中：因公出国（境）费用反映……；公务用车购置费反映……": items a definition defines in turn
_SUBTERM = re.compile(r"(?:其中[：:]|[；;])\s*([^；;。：:，,、\s]{2,20}?)(?:反映|是指)")
