"""Understanding one question: which unit(s), year, measure(s), project, code or term it names,
and what it asks (cues). Pure: the same question and index give the same Understanding.

    u = understand("城管局2025年公务接待费比上年减少多少？", ctx)
    u.units == ["晋城市城市管理局"]; u.years == [2025]; u.measures == ["three_public.reception"]
    "change" in u.cues

The primary intent is chosen later (assistant/intent.py), after the dialogue has filled in
what a follow-up leaves out.
"""
from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.ctx import Ctx
from assistant.lexicon import Lexicon, MeasureHit, norm
from assistant.names import NameHit
from tools.catalog import unit_aliases
from tools.types import Ambiguous, UnitMatch

# a budget year, not a date ("截至2023年8月31日" dates the assets of the 2024 document)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年度?|年)(?!\d{1,2}月)")
_CODE = re.compile(r"(?<![\d.])(\d{7}|\d{5})(?![\d.])")
_SHORT_CODE = re.compile(r"(?:科目|编码|代码)(?:编码|代码)?为?(\d{3})(?!\d)")
_QUOTED = re.compile(r"[\"“「『]([^\"”」』]{2,60})[\"”」』]")


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
    project_pieces: list[str] = Field(default_factory=list)  # the question's words that named them
    unknown_project: str | None = None  # "智慧停车场建设项目": a project-like name not held
    indicators: list[str] = Field(default_factory=list)  # 三级指标 of those projects named in the question
    code: str | None = None
    terms: list[str] = Field(default_factory=list)  # glossary terms held
    quoted: list[str] = Field(default_factory=list)
    heading: str | None = None  # a （一） heading inside the 情况说明 ("政府购买服务指导性目录")
    member: str | None = None  # a unit a held 部门 document covers ("实验幼儿园" of 青岚县教育局)
    other_members: list[str] = Field(default_factory=list)  # more members named ("本级和登记中心")
    cues: list[str] = Field(default_factory=list)
    share_whole: str | None = None  # measure key, "row:<name>" or None (= the part's parent)
    within: str | None = None  # "A中B…": the measure key A the question narrows
    rank_what: str | None = None
    rank_n: int = 1
    topic: str | None = None  # out-of-scope topic
    residue: str = ""  # the question without the entities found (for indicator matching)
    elliptical: bool = False  # a fragment that leans on the conversation ("那去年呢？")
    unit_by_place: bool = False  # the unit named only by its place ("城关区动物防疫…")
    bare_word: str | None = None  # the measure was named only by a bare word (预算, 支出)
    inherited: list[str] = Field(default_factory=list)  # what the dialogue filled in

    def has(self, cue: str) -> bool:
        return cue in self.cues

    @property
    def project_query(self) -> str:
        """The name a project is looked up by: the one held name, else the words the question used."""
        if len(self.projects) == 1:
            return self.projects[0]
        return self.project_words or (self.projects[0] if self.projects else "")

    @property
    def names_something(self) -> bool:
        return bool(self.measures or self.rows or self.projects or self.code or self.terms)


class Scan:
    """The normed question and the spans found so far, by kind; masked() blanks them out so a
    later step does not read the same words again."""

    def __init__(self, text: str):
        self.text = text
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def add(self, kind: str, *spans: tuple[int, int]) -> None:
        self.spans.setdefault(kind, []).extend(spans)

    def get(self, *kinds: str) -> list[tuple[int, int]]:
        return [span for kind in kinds for span in self.spans.get(kind, [])]

    def masked(self, *kinds: str) -> str:
        return _mask(self.text, self.get(*(kinds or tuple(self.spans))))


_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
COUNTED_FACTS = ("assets.", "overview.")  # measures that count things (车辆, 内设机构 …)
NAMED = ("project", "unit", "member", "foreign", "indicator", "year", "code")  # blanked before measures are read


def understand(question: str, ctx: Ctx) -> Understanding:
    scan = Scan(norm(question))
    u = Understanding(question=question, text=scan.text)
    u.quoted = [norm(q) for q in _QUOTED.findall(question)]
    _projects_and_units(u, scan, ctx)
    _indicators(u, scan, ctx)
    _topic(u, scan, ctx)
    _years(u, scan, ctx)
    _projects_of_the_year(u, ctx)
    _code(u, scan, ctx)
    hits = _measures_and_rows(u, scan, ctx)
    hits = _siblings(u, scan, hits, ctx.lex)
    _heading(u, scan, ctx, hits)
    _unknown_units(u, scan, ctx)
    _cues(u, scan, ctx)
    _fund_projects_counted(u, ctx.lex)
    _measure_by_member(u)
    masked = scan.masked(*NAMED, "excluded")
    _share_whole(u, masked, hits, ctx.lex)
    _within(u, masked, hits, ctx.lex)
    _rank(u, masked, ctx.lex)
    u.residue = scan.masked().replace("\x00", "")
    u.elliptical = _is_elliptical(u, ctx.lex)
    if u.unit_by_place and not (u.projects or u.measures or u.rows or u.terms or u.code or u.indicators):
        u.units, u.unit_words = [], []  # "青岚县明天会不会下雨": a question about the place, not its unit
    return u


# ---- steps ---------------------------------------------------------------------------------


def _measure_by_member(u: Understanding) -> None:
    """"事业收入有多少？哪几个单位的？": the 部门's units ranked by that measure, not their count."""
    others = [m for m in u.measures if m != SUBUNITS and not m.startswith("overview.")]
    if SUBUNITS in u.measures and others and _WHICH_UNITS.search(u.text):
        u.measures = others
        u.cues += ["rank", "rank_all"]
        u.rank_what = "members"


def _fund_projects_counted(u: Understanding, lex: Lexicon) -> None:
    """"用政府性基金安排了几个项目": the projects that fund pays for, counted, not the 绩效 projects."""
    if (PROJECT_COUNT in u.measures and "绩效" not in u.text
            and lex.projects_column([m for m in u.measures if m != PROJECT_COUNT]) is not None):
        u.measures = [m for m in u.measures if m != PROJECT_COUNT]
        u.cues.append("projects_asked")

def _projects_and_units(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """Whole project names first (they contain unit-like words: 老城管委会经费, 公安分局…), then
    units, then a project named loosely unless a measure or row name explains the words."""
    names, catalog, lex = ctx.names, ctx.catalog, ctx.lex
    _member(u, scan, ctx)
    # a member unit's name starts the names of its projects ("实验幼儿园保教活动…"): it names one
    # only when the question speaks of projects
    member = () if "项目" in scan.text else ("member",)
    exact = names.find_exact_projects(scan.masked(*member))
    scan.add("project", *((h.start, h.end) for h in exact))
    for unit, words, start, end in catalog.find_unit_mentions(scan.masked("project", "member")):
        foreign = _foreign_place(scan.text[:start], unit, words, catalog, lex)
        if foreign:
            u.unknown_units.append(foreign)
            scan.add("foreign", (start - len(foreign) + len(words), end))
            continue
        if unit not in u.units:
            u.units.append(unit)
        u.unit_words.append(words)
        scan.add("unit", (start, end))
        _own_level(u, scan, ctx, unit, end)
    if not u.units and not u.unknown_units:
        _unit_by_place(u, scan, ctx)
    if exact and not u.units:
        _units_inside_project_names(u, scan, ctx, [h.name for h in exact])
    hits = exact
    if exact and u.units:
        held = names.project_names(u.units)
        hits = [h for h in exact if h.name in held]
        scan.spans["project"] = [(h.start, h.end) for h in hits]
    if exact and len({h.name for h in hits}) < 2:  # "扫地保洁垃圾清运服务费和城市管理综合整治经费哪个多"
        masked = scan.masked("unit", "foreign", *member)
        if lex.pattern("several_projects").search(masked) or lex.cue("compare", masked):
            listed = _enumerated_projects(masked, names, u.units or None, known=hits)
            if listed:
                hits = listed
                scan.spans["project"] = [span for h in hits for span in h.spans]
    if not exact:
        # a member unit's words name a project only when a project's name holds them ("实验幼儿园保教活动…"),
        # not "动物疫控中心的项目" (动物疫病强制免疫… shares 动物疫 by chance)
        said = [scan.text[a:b] for a, b in scan.spans.get("member", [])]
        named_by_member = any(w in norm(p) for w in said for p in names.project_names(u.units or None))
        masked = scan.masked("unit", "foreign", *(member if named_by_member else ("member",)))
        measures = [(h.start, h.end) for h in lex.find_measures(masked)]
        rows = [(r.start, r.end) for r in names.find_rows(masked, u.units or None)]
        known = measures + rows
        several = bool(lex.pattern("several_projects").search(masked))
        counted = {m.start for m in lex.find_measures(masked) if m.key.startswith(COUNTED_FACTS)}
        found = names.find_projects(masked, u.units or None, several=several)

        def explained_by(spans) -> list:
            return [h for h in found if h.end not in counted  # "执法执勤用车几辆": a thing counted, not a project
                    and sum(_outside(a, b, spans) for a, b in h.specific_spans(names.generic_words)) >= 2]
        hits = explained_by(known)
        if not hits and rows and lex.cue("performance", masked):
            hits = explained_by(measures)  # "农村危房改造每户补多少": a 科目 row has no 绩效指标, its project does
        scan.add("project", *(span for h in hits for span in h.spans))
        if (several or lex.cue("compare", masked)) and len({h.name for h in hits}) < 2:
            hits = _enumerated_projects(masked, names, u.units or None, known=hits or found) or hits
            scan.add("project", *(span for h in hits for span in h.spans))
        # not when another project is named, nor when the words name a thing counted ("执法执勤用车几辆")
        if not hits and not lex.pattern("project_like").search(masked) and not counted:
            organisations = [m.span() for m in lex.unit_pattern.finditer(masked) if len(m.group()) >= 3]
            hits = names.find_project_by_indicator(masked, u.units or None, known + organisations)
            listed = _enumerated_projects(masked, names, u.units or None, known=hits) \
                if hits and (several or lex.cue("compare", masked)) else []
            if listed:  # "12315热线和明厨亮灶平台哪个多": one piece named by an indicator's words
                hits = listed
            else:
                u.cues += ["performance"] if hits else []  # named by its indicator: the 绩效目标表 answers
    if hits and not u.units:
        _units_inside_project_names(u, scan, ctx, [h.name for h in hits])
    if hits:
        u.project_pieces = _dedupe(scan.text[a:b] for h in hits for a, b in h.spans)
        u.projects = _dedupe(h.name for h in hits)
        u.project_words = max(hits, key=lambda h: len(h.piece or h.text)).piece or hits[0].text


_ENUMERATION = re.compile(r"[和与跟、]|(?<=[\u4e00-\u9fff])加(?![起上在到总一])")  # "A加B一共多少" (not 加起来)


def _enumerated_projects(masked: str, names, units: list[str] | None, known: list | None = None) -> list:
    """"教育信息化和中考组织经费这两个项目加起来多少": one project per enumerated piece, when every
    piece names exactly one (及 is left alone: project names hold it)."""
    pieces = [p for p in _ENUMERATION.split(masked) if len(p.strip("\x00")) >= 2]
    if len(pieces) < 2:
        return []
    hits, offset = [], 0
    for piece in pieces:
        start = masked.index(piece, offset)
        offset = start + len(piece)
        found = names.find_projects(piece, units) or _named_by_stem(piece, names, units)
        inside = [h for h in known or [] if start <= h.start and h.end <= offset]
        if not found and len({h.name for h in inside}) == 1:  # found in the whole question, within this piece
            hits.append(inside[0])
            continue
        if len({h.name for h in found}) != 1:
            return []
        h = found[0]
        hits.append(NameHit(h.name, h.text, h.start + start, h.end + start, h.score, h.piece,
                            tuple((a + start, b + start) for a, b in h.blocks)))
    return hits if len({h.name for h in hits}) >= 2 else []


def _unit_by_place(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """"城关区动物防疫要免疫多少头": the place alone names the one held unit of that place, unless
    an organisation's name follows it ("城关区教育局": a unit not held)."""
    found = ctx.catalog.unit_at_place(scan.masked("project", "member"))
    if found is None:
        return
    unit, words, start, end = found
    if ctx.lex.unit_pattern.match(scan.text[start:]):
        return
    u.units.append(unit)
    u.unit_words.append(words)
    u.unit_by_place = True
    scan.add("unit", (start, end))


def _named_by_stem(piece: str, names, units: list[str] | None) -> list:
    """"防汛项目和河道巡查保洁项目哪个多", "12315热线和…": a piece that is a short stem and a generic
    word, or a number and words, names the one project whose name holds them in that order (too
    little to name a project outside an enumeration)."""
    said = piece.strip("\x00")
    generic = next((w for w in names.generic_words if said.endswith(w)), None)
    stem = (said[: -len(generic)] if generic else said).lstrip("的")
    runs = re.findall(r"\d+|[\u4e00-\u9fff]+", stem)  # "12315热线": 12315 … 热线, in that order
    if len(stem) < 2 or "".join(runs) != stem or not (generic or len(runs) > 1):
        return []
    in_order = re.compile(".*".join(map(re.escape, runs)))
    holders = [n for n in names.project_names(units) if in_order.search(norm(n))]
    if len(holders) != 1:
        return []
    start = piece.index(stem)
    return [NameHit(holders[0], stem, start, start + len(stem), len(stem) / len(norm(holders[0])), stem,
                    ((start, start + len(stem)),))]


def _own_level(u: Understanding, scan: Scan, ctx: Ctx, unit: str, end: int) -> None:
    """"卫健局机关和卫健执法局…": the 部门's name with 机关/本级 after it names its 本级 member unit."""
    word = next((w for w in ctx.lex.own_level_words if scan.text.startswith(w, end)), None)
    if word and any(h.start == 0 for h in ctx.lex.find_measures(scan.text[end:])):
        return  # "卫健局机关运行经费": 机关 starts a measure's name
    members = ctx.names.members_of(unit)
    own = next((m for m in members if any(w in m for w in ctx.lex.own_level_words)),
               unit if unit in members else None)  # a 部门 listing itself, not "X（本级）", among its units
    if word is None or own is None or own in (u.member, *u.other_members):
        return
    if u.member is None:
        u.member = own
    else:
        u.other_members.append(own)
    scan.add("member", (end, end + len(word)))


def _member(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """"实验幼儿园25年事业收入": a unit a held 部门 document covers; the 部门 is the document asked.
    "本级和不动产登记中心的基本支出": each member named."""
    for department, member, start, end in ctx.names.find_members(scan.text):
        if ctx.catalog.is_name_of(department, scan.text[start:end]):
            continue  # "远安卫健局" is the 部门, not its 卫健执法局 said short
        if u.member is None:
            u.member = member
        elif member != u.member and member not in u.other_members:
            u.other_members.append(member)
        if department not in u.units:
            u.units.append(department)
        u.unit_words.append(scan.text[start:end])
        scan.add("member", (start, end))
    if u.member is not None:
        _own_level_alone(u, scan, ctx)


_OWN_LEVEL_LEAD = re.compile(r"(?:^|[和与跟及同、,，])(?:[局委办]|中心)?$")


def _own_level_alone(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """"执法大队和局机关的三公经费": beside a member unit, 局机关 / 本级 said alone is the 部门's own."""
    text = scan.masked("member", "unit")
    for word in ctx.lex.own_level_words:
        at = text.find(word)
        before = _OWN_LEVEL_LEAD.search(text[:at]) if at >= 0 else None
        if before is None or any(h.start == 0 for h in ctx.lex.find_measures(text[at + len(word):])):
            continue
        lead = len(before.group().lstrip("和与跟及同、,，"))
        for department in u.units:
            own = next((m for m in ctx.names.members_of(department)
                        if any(w in m for w in ctx.lex.own_level_words)), None)
            if own is not None and own not in (u.member, *u.other_members):
                u.other_members.append(own)
                scan.add("member", (at - lead, at + len(word)))
        return


def _units_inside_project_names(u: Understanding, scan: Scan, ctx: Ctx, projects: list[str]) -> None:
    """"高平市城市生命线建设项目", "阳泉开发区互联网信息服务": the unit's place is said as part of
    the project's name; "城投那个应急周转金": no unit is said. The unit named there, if it holds the
    project; else the project's only holder."""
    owners = ctx.names.project_owners(projects)
    said = [unit for unit, *_ in ctx.catalog.find_unit_mentions(scan.text) if unit in owners]
    names_another = any(len(m.group()) >= 3 and m.group().endswith(ctx.lex.government_suffixes)
                        for m in ctx.lex.unit_pattern.finditer(scan.masked("project")))
    u.units = list(dict.fromkeys(said)) or (owners if len(owners) == 1 and not names_another else [])


def _indicators(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    if u.projects:
        text = scan.masked("project", "unit", "member", "foreign")
        hits = ctx.names.find_indicators(text, u.projects, u.units or None)
        u.indicators = [h.name for h in hits]
        scan.add("indicator", *((h.start, h.end) for h in hits))


def _topic(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    lex = ctx.lex
    outside_names = scan.masked("project", "indicator")  # not "执行率" inside an indicator's name
    # nor words inside a term or a row the documents print ("成品油价格改革对交通运输的补贴")
    held = [(h.start, h.end) for h in ctx.names.find_terms(outside_names, u.units or None)]
    held += [(h.start, h.end) for h in ctx.names.find_rows(outside_names, u.units or None)]
    outside_names = _mask(outside_names, held)
    u.topic = next((topic for pattern, topic in lex.topics if pattern.search(outside_names)
                    and not _states_base(u, ctx, lex.topic_exceptions.get(topic))), None)


def _states_base(u: Understanding, ctx: Ctx, base: str | None) -> bool:
    """Whether a unit of the question has a document whose narrative compares against `base`."""
    if not base or not u.units:
        return False
    docs = [d for d in ctx.catalog.disclosures if d.unit in u.units]
    return any(base in (s.change_base or "") for d in docs for s in d.stated)


def _years(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    lex = ctx.lex
    names = scan.get("project", "indicator")
    found = [(m.start(), int(m.group(1)), m.span()) for m in _YEAR.finditer(scan.text)]
    held = _held_years(ctx.catalog)
    for m in lex.pattern("short_year").finditer(scan.text) if held else ():
        year = 2000 + int(m.group(1))  # "24年": a two-digit year near a year the index holds
        if min(held) - 5 <= year <= max(held) + 5:
            found.append((m.start(), year, m.span()))
    for start, year, span in sorted(found):
        if any(s <= start < e for s, e in names):
            continue  # "2023年度审计费用", "往年两节亮化（2023年）" are names, not the year asked
        if year not in u.years:
            u.years.append(year)
        scan.add("year", span)
    for cue, relative in (("this_year", "this"), ("last_year", "last"), ("next_year", "next")):
        if lex.cue(cue, scan.text):
            if relative == "next" and u.relative_year == "this":
                continue  # "今年安排多少？明年还要多少": this year is answered, next year is said to be missing
            u.relative_year = relative


def _projects_of_the_year(u: Understanding, ctx: Ctx) -> None:
    """"今年两节亮化" of 2026年两节亮化 and 往年两节亮化（2024年）: the project named with the year
    asked (今年: the unit's latest document), when only some names carry it."""
    if len(u.projects) < 2 or not (u.years or u.relative_year == "this"):
        return
    held = [y for unit in u.units for y in ctx.catalog.years(unit)]
    year = u.years[0] if u.years else (max(held) if held else None)
    named = [p for p in u.projects if year and str(year) in p]
    if named and len(named) < len(u.projects):
        u.projects = named


def _held_years(catalog) -> list[int]:
    return sorted({d.year for d in getattr(catalog, "disclosures", [])})


def _code(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    masked = scan.masked()
    code = _CODE.search(masked) or _SHORT_CODE.search(masked)
    if code and any(code.group(1) in name for name in ctx.names.project_names(u.units or None)):
        return  # "12315热线": the number a project's name holds, not a 科目编码
    if code:
        u.code = code.group(1)
        scan.add("code", code.span(1))


def _measures_and_rows(u: Understanding, scan: Scan, ctx: Ctx) -> list:
    """Lexicon measures and held row names; where they overlap the longer name wins. Short row
    names (水费) and bare words (支出) count only when nothing else is named."""
    lex, names = ctx.lex, ctx.names
    masked = scan.masked(*NAMED)
    term_hits = names.find_terms(masked, u.units or None)
    if not term_hits and u.projects and lex.cue("glossary", scan.text):  # "一事一议财政奖补是啥意思": a
        term_hits = names.find_terms(scan.masked(*(n for n in NAMED if n != "project")), u.units or None)  # term
    u.terms = [t.name for t in term_hits]
    if any(lex.glossary_after_term.match(masked[t.end:].lstrip("\x00")) for t in term_hits):
        u.cues.append("glossary")
    hits = lex.find_measures(masked)
    excluded = [h for h in hits if lex.pattern("excluded_before").search(masked[:h.start])]
    hits = [h for h in hits if h not in excluded]  # "（不算上年结转）": a measure left out, not asked
    scan.add("excluded", *((h.start, h.end) for h in excluded))
    rows = names.find_rows(masked, u.units or None)
    rows = [r for r in rows if not any(_overlaps(r, h) and h.end - h.start >= r.end - r.start
                                       and not _row_then_generic(r, h, masked) for h in hits)]
    hits = [h for h in hits if not any(_overlaps(h, r) for r in rows)]
    if not hits and not rows and not u.projects:
        rows = names.find_rows(masked, u.units or None, min_len=2)
    elif rows:  # "取暖费和电费各多少": a short row name joined to a row already found
        named = [(x.start, x.end) for x in rows]
        rows += [r for r in names.find_rows(masked, u.units or None, min_len=2)
                 if not any(_overlaps(r, x) for x in rows + hits) and _joined(masked, (r.start, r.end), named)]
    if not rows and not u.projects:
        rows = _purchase_row(masked, names, u.units or None, ctx)
    if not rows and not u.projects:
        rows, hits = _row_named_loosely(u, masked, names, hits)
    if (not rows and not u.projects and not hits and "项目" not in masked
            and not lex.pattern("indicator_headcount").search(masked)):
        rows = names.find_rows_by_core(masked, u.units or None)  # "初中和高中哪个花得多": 初中教育, 高中教育
    if not hits and not rows and not u.projects:
        hits = _bare_words(masked, lex)
        u.bare_word = hits[0].text if hits else None
    u.measures = _dedupe(h.key for h in hits)
    u.rows = [r.name for r in rows if not _is_measure_word(r.name, lex)]
    if not hits and not rows and not u.projects:
        named_like = lex.pattern("project_like").search(masked)
        name = lex.pattern("leading_filler").sub("", named_like.group(1)) if named_like else ""
        # "今年项目一共多少钱" names no project: without 今年 no name is left before 项目
        u.unknown_project = name if lex.pattern("project_like").fullmatch(name) else None
    scan.add("measure", *((h.start, h.end) for h in hits))
    scan.add("row", *((r.start, r.end) for r in rows))
    return hits


CONJUNCTIONS = "和与及、跟"


def _joined(text: str, span: tuple[int, int], named: list[tuple[int, int]]) -> bool:
    """Whether a name at `span` is joined by 和/与/及/、 to one of the names at `named`."""
    start, end = span
    before = start >= 2 and text[start - 1] in CONJUNCTIONS and any(b == start - 1 for _, b in named)
    after = end < len(text) - 1 and text[end] in CONJUNCTIONS and any(a == end + 1 for a, _ in named)
    return before or after


GENERIC_TAILS = ("经费", "费用", "资金", "支出")


def _row_then_generic(row, hit, masked: str) -> bool:
    """"行政运行经费": the row 行政运行 with a generic tail, not the measure 运行经费 inside it."""
    return row.start < hit.start and masked[row.end:hit.end] in GENERIC_TAILS


def _cues(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """What the question asks. Most cues are read with every name blanked (本年收入和上年结转 is
    not a comparison); light cues only without project and unit names (绩效目标 is a cue too)."""
    lex = ctx.lex
    light = scan.masked("project", "unit", "member", "foreign")
    full = scan.masked("project", "unit", "member", "foreign", "measure", "row")
    found = [name for name in lex.cues if lex.cue(name, light if name in lex.light_cues else full)]
    u.cues = _dedupe(found + u.cues)
    if not u.units and not u.unknown_units and not u.ambiguous and u.has("all_units"):
        u.units = ctx.catalog.units()  # "哪个单位…最多" compares every held unit
    if u.relative_year == "last" and (u.has("change") or u.has("prior")):
        u.relative_year = None  # "比去年增加多少" / "去年是多少" compare with last year, they do not move to it


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


_WORDS_BEFORE = re.compile(r"[\u4e00-\u9fa5]*$")
_PLACE = re.compile(r"^[\u4e00-\u9fa5]{2,12}(?:省|市|县|区)$")


def _foreign_place(before: str, unit: str, words: str, catalog, lex: Lexicon) -> str | None:
    """"长治市城市管理局": a held unit's short name after another place's name is that place's
    unit, not ours. So is a zone's unit after another place's name ("平遥开发区审批局",
    "孝义开发区行政审批局" when only 晋城's is held). Returns the whole name when so."""
    words_before = _WORDS_BEFORE.search(before)
    assert words_before is not None  # the pattern matches the empty string: it always matches
    place = lex.pattern("not_place").split(words_before.group())[-1]  # the words right before
    cfg = unit_aliases()
    level_led = words[:1] in ("省", "市", "县", "区")  # "区府办" after "静安": 静安区's
    zone_led = level_led or any(words.startswith(norm(z)) for z in cfg["zones"])
    if zone_led:  # "请问平遥开发区…": fillers are no place; a zone's place is two to four characters
        place = lex.pattern("leading_filler").sub("", place)
        for word in sorted(cfg["not_place_words"], key=len, reverse=True):
            place = place.split(norm(word))[-1]
        place = place[-4:]
    if not place or place in norm(unit):
        return None
    if not (_PLACE.match(place) or (zone_led and len(place) >= 2)):
        return None
    if level_led and place + words[0] in norm(unit):
        return None
    name = place + words
    resolved = catalog.resolve_unit(name)
    if isinstance(resolved, UnitMatch) and resolved.unit == unit and resolved.how != "fuzzy":
        return None  # a fuzzy match across two place names is another city's unit
    return name


def _purchase_row(masked: str, names, units: list[str] | None, ctx: Ctx) -> list:
    """"买办公设备的钱": the row 办公设备购置 (the thing bought, then 购置)."""
    asked = ctx.lex.pattern("purchase_of").search(masked)
    if asked is None:
        return []
    for suffix in ctx.lex.purchase_suffixes:
        found = names.find_rows(asked["what"] + suffix, units)
        if found:
            return [NameHit(found[0].name, asked.group(0), asked.start(), asked.end(), 1.0)]
    return []


def _row_named_loosely(u: Understanding, masked: str, names, hits: list) -> tuple[list, list]:
    """A row named by a long piece of its name or of what it is used for, when that piece is
    longer than any measure name inside it ("支持中小企业发展的钱": not the 中小企业 measure)."""
    loose = names.find_row_by_piece(masked, u.units or None)
    if loose is None or any(h.end - h.start + 2 > loose.end - loose.start for h in hits if _overlaps(h, loose)):
        return [], hits
    if loose.text not in norm(loose.name):
        u.cues.append("purpose")  # named by what it is used for: the answer says so
    return [loose], [h for h in hits if not _overlaps(h, loose)]


def _heading(u: Understanding, scan: Scan, ctx: Ctx, hits: list) -> None:
    """A sub-heading of the unit's 情况说明 named whole, longer than any measure name inside it
    ("政府购买服务指导性目录", not "机关运行经费" which is the measure itself)."""
    if u.projects:
        return
    masked = scan.masked(*NAMED)
    for title in sorted(ctx.names.heading_titles(u.units or None), key=len, reverse=True):
        key = norm(title)
        start = masked.find(key)
        inside = [h for h in hits if start <= h.start and h.end <= start + len(key)]
        within_longer = any(h.start <= start and start + len(key) <= h.end and h.end - h.start > len(key) for h in hits)
        if start >= 0 and not within_longer and all(h.end - h.start + 2 < len(key) for h in inside):
            u.heading = title
            return


def _unknown_units(u: Understanding, scan: Scan, ctx: Ctx) -> None:
    """Organisation names in the question that are not held: another city's bureau, or a
    short form shared by several held units (开发区 -> ask back)."""
    lex, catalog = ctx.lex, ctx.catalog
    masked = scan.masked()
    for m in lex.unit_pattern.finditer(masked):
        words = lex.pattern("leading_filler").sub("", m.group())
        if len(words) < 3 or any(n in words for n in lex.not_units) or "\x00" in words:
            continue
        resolved = catalog.resolve_unit(words)
        if isinstance(resolved, UnitMatch):
            if resolved.unit not in u.units:
                u.units.append(resolved.unit)
                u.unit_words.append(words)
            scan.add("unit", m.span())
        elif isinstance(resolved, Ambiguous):
            u.ambiguous.append({"query": words, "candidates": resolved.candidates})
        else:
            u.unknown_units.append(words)
    if u.units or u.unknown_units:
        return
    shorts = {s for v in unit_aliases()["abbreviations"].values() for s in v} | set(unit_aliases()["aliases"])
    for word in sorted(shorts, key=len, reverse=True):
        if len(word) >= 2 and word in masked:
            resolved = catalog.resolve_unit(word)
            if isinstance(resolved, Ambiguous):
                u.ambiguous.append({"query": word, "candidates": resolved.candidates})
                return


_CLAUSE_END = "?？。!！;；,，"
_CJK_RUN = "[\u4e00-\u9fa5]{1,12}"


def _siblings(u: Understanding, scan: Scan, hits: list, lex: Lexicon) -> list:
    """"货物、工程、服务各占多少": the other words of an enumeration that holds a measure name
    the siblings of that measure (children of the same parent) whose names hold those words, when
    the words alone name no measure ("工程" is no alias: project names hold it too)."""
    sep = lex.pattern("enumeration_sep").pattern
    after = re.compile(f"(?:{sep})({_CJK_RUN})")
    before = re.compile(f"({_CJK_RUN})(?:{sep})$")
    found = []
    for h in list(hits):
        measure = lex.measures.get(h.key)
        if measure is None or not measure.parent:
            continue
        family = [m for m in lex.measures.values() if m.parent == measure.parent and m.key != h.key]
        text = scan.masked()
        clause_start = max(text.rfind(c, 0, h.start) for c in _CLAUSE_END) + 1
        pos = h.end
        while (m := after.match(text, pos)) and not any(c in m.group() for c in _CLAUSE_END):
            word = _sibling_word(m.group(1), family, prefix=True)
            if word is None:
                break
            key, length = word
            found.append((key, m.start(1), m.start(1) + length))
            pos = m.start(1) + length
        pos = h.start
        while pos > clause_start and (m := before.search(text, clause_start, pos)):
            word = _sibling_word(m.group(1), family, prefix=False)
            if word is None:
                break
            key, length = word
            found.append((key, m.end(1) - length, m.end(1)))
            pos = m.end(1) - length
    new = [MeasureHit(key, s, e, scan.text[s:e]) for key, s, e in found if key not in u.measures]
    if not new:
        return hits
    scan.add("measure", *((h.start, h.end) for h in new))
    hits = sorted(hits + new, key=lambda h: h.start)
    u.measures = _dedupe(h.key for h in hits)
    return hits


def _sibling_word(run: str, family: list, prefix: bool) -> tuple[str, int] | None:
    """The one sibling whose label or alias holds the longest start (end) of `run`, of at
    least two characters: (key, characters used)."""
    for n in range(len(run), 1, -1):
        word = run[:n] if prefix else run[-n:]
        keys = {m.key for m in family if any(word in norm(name) for name in (m.label, *m.aliases))}
        if len(keys) == 1:
            return keys.pop(), n
        if keys:
            return None
    return None


def _share_whole(u: Understanding, masked: str, hits, lex: Lexicon) -> None:
    """占X的比例 -> X: a measure named after 占, or a generic whole (总额) = the part's parent.
    Without 占X: a named measure whose children the question also names ("政府采购…货物、服务各占多少")."""
    m = lex.pattern("share_whole").search(masked)
    if not m:
        if u.has("share"):
            u.share_whole = _named_parent(u, lex)
        return
    inside = [h for h in hits if h.start >= m.start(1) and h.end <= m.end(1)]
    if inside:
        u.share_whole = inside[-1].key
    elif lex.pattern("generic_whole").match(m.group(1).strip("\x00")):
        u.share_whole = "@parent"
    elif "项目支出预算表" in m.group(1) or "本年预算" in m.group(1):
        u.share_whole = "current_projects"


def _named_parent(u: Understanding, lex: Lexicon) -> str | None:
    """The measure of the question that another measure of the question is part of."""
    return next((p for p in u.measures if any(p in lex.parent_chain(k) for k in u.measures if k != p)), None)


def _within(u: Understanding, masked: str, hits, lex: Lexicon) -> None:
    """"基本支出中人员经费占…" / "“三公”经费中公务用车…": the first measure, before 中, is the whole.
    When the measures after it are its parts, it is only their context: the question asks the
    part ("政府采购里给中小企业预留了多少" asks the reservation, not the procurement total); a row
    after it is such a part too ("公用经费里办公费占多少")."""
    if len(hits) < 2 and not (hits and u.rows):
        return
    first = hits[0]
    after = masked[first.end:first.end + 2].lstrip("的")
    if after[:1] in ("中", "里") or after in ("当中", "之中", "里面", "里头", "其中"):
        u.within = first.key
        rest = [k for k in u.measures if k != first.key]
        if rest and all(lex.is_part_of(k, first.key) for k in rest):
            u.measures = rest
        elif not rest and u.rows and not u.has("share"):  # "总支出里，A和B各多少": the rows are asked
            u.measures = []
    elif (len(hits) > 1 and first.key.startswith("function:")
          and masked[max(hits[1].start - 2, 0):hits[1].start] == "其中"):
        u.within = first.key  # "卫生健康支出多少？其中基本支出多少": that class's 基本支出 column


PROJECT_COUNT = "performance.projects"  # registry key of the 绩效 project count
SUBUNITS = "overview.subunits"  # registry key of the count of a 部门's units
_WHICH_UNITS = re.compile(r"哪(?:几|些)个?(?:家|个)?(?:预算)?单位|分(?:别)?(?:是)?哪些单位|各单位")
_LEVEL_IN_BRACKETS = re.compile(r"[（(]([类款项])[）)]")


def _rank(u: Understanding, masked: str, lex: Lexicon) -> None:
    sources = lex.rank_targets.get("income_sources", [])
    if any(w in masked for w in sources):
        u.rank_what = "income_sources"  # "钱从哪来": listed, or ranked with a rank cue
        if not u.measures:
            u.measures = ["income_total"]
    if not u.has("rank"):
        return
    m = re.search(r"第(\d+|[二三四五六七八九十])", masked)
    u.rank_n = (int(m.group(1)) if m.group(1).isdigit() else lex.ordinals.get(m.group(1), 1)) if m else 1
    # the longest word said decides, the first listed on a tie ("花在哪个项目上": 哪个项目, not 花在)
    # "所有支出（含上年结转）里哪一类": a scope, not what is ranked; "哪个科目（项）" names the level
    outside = _BRACKETED.sub("", _LEVEL_IN_BRACKETS.sub(r"\1级", masked))
    said = [(len(w), -order, what) for order, (what, words) in enumerate(lex.rank_targets.items())
            for w in words if w in outside]
    u.rank_what = max(said)[2] if said else u.rank_what


def _is_elliptical(u: Understanding, lex: Lexicon) -> bool:
    if lex.cue("ellipsis", u.text) or lex.cue("followup_part", u.text):
        return True
    return not u.units and not u.unknown_units
