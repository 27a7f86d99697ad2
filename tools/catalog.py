"""The loaded disclosures every tool reads, with the unit-name resolver.

    catalog = Catalog.open(index_dir)          # DIR/CURRENT -> DIR/generations/<name>/facts.sqlite
    catalog = Catalog(disclosures)             # direct, e.g. in tests
    doc = catalog.document("城管局", 2025)      # Disclosure | NoData | Ambiguous
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from core import rules
from core.generations import FACTS_FILE, facts_path, reading  # facts_path: callers import it from here too
from core.model import Disclosure
from core.settings import PROJECT_ROOT, settings
from core.text import chars_in_order, fold, without_trailing_note
from index.store import FactStore
from tools.types import Ambiguous, NoData, UnitMatch

ALIASES_FILE = PROJECT_ROOT / "prompts" / "unit_aliases.json"


@lru_cache(maxsize=1)
def unit_aliases() -> dict:
    """Generic unit-name rules (prompts/unit_aliases.json): {"abbreviations": {long: [short…]},
    "aliases": {colloquial: meaning}, "not_places": words that look like place names but are not
    (城市管理局 is not 城市+管理局), "zones": development-zone words, "sub_places": 街道/镇/乡 (and
    "sub_place_words_dropped": said without, 丰产路办事处),
    "government": 人民政府, "head_bodies": bodies a unit is called without (孝义开发区 = its
    管理委员会), "level_forms": short forms made of the place's level (区府办), "self_name": how a
    document names itself, "not_place_words": words before a unit name that are no place}."""
    return rules.unit_aliases().model_dump(exclude={"about"})  # read through core/rules.py's model


def _load_all(path_or_url) -> list[Disclosure]:
    store = FactStore(path_or_url)
    try:
        return store.load_all()
    finally:
        store.close()


class Catalog:
    def __init__(self, disclosures: list[Disclosure]):
        self.disclosures: list[Disclosure] = list(disclosures)
        self.by_id: dict[str, Disclosure] = {d.doc_id: d for d in self.disclosures}
        self.by_unit: dict[str, dict[int, Disclosure]] = {}
        for d in self.disclosures:
            self.by_unit.setdefault(d.unit, {})[d.year] = d
        self.stated_names = _stated_names(self.disclosures)  # unit -> names its documents use
        self.departments = _departments(self.disclosures)  # unit -> the 主管部门 its documents name
        self.members = {d.unit: [without_trailing_note(fold(m)) for m in getattr(d, "member_units", [])]
                        for d in self.disclosures if getattr(d, "member_units", None)}  # 部门 -> its units
        self._variants = _unit_variants(list(self.by_unit), self.stated_names)
        # short forms that name a unit only right after its place (榆次城管); alone, 城管 is
        # also a word of row names (城管执法)
        self._needs_place = {fold(w) for w in unit_aliases()["needs_place"]}
        self._stems = _place_stems(list(self.by_unit))
        self.place_units = _place_units(list(self.by_unit))  # the unit's own place, said alone -> units
        self._resolved: dict[str, UnitMatch | Ambiguous | NoData] = {}
        self.cache: dict = {}  # per-catalog memo for the tools (indexes built on first use)

    @classmethod
    def open(cls, index_dir: str | Path | None = None, facts_url: str | None = None) -> "Catalog":
        cfg = settings()
        url = facts_url or cfg.facts_url
        if url is None:
            root = Path(index_dir) if index_dir is not None else cfg.index_dir
            with reading(root) as generation:  # a concurrent build's prune() leaves it alone
                path = generation / FACTS_FILE if generation else facts_path(root)
                return cls(_load_all(path)) if path.exists() else cls([])
        return cls(_load_all(url))

    # ---- units ---------------------------------------------------------------------------

    def units(self) -> list[str]:
        return sorted(self.by_unit)

    def years(self, unit: str) -> list[int]:
        return sorted(self.by_unit.get(unit, {}))

    def is_name_of(self, unit: str, name: str) -> bool:
        """Whether `name` is the unit's own name or one of its derived short forms (not a member's)."""
        key = fold(name)
        return key == fold(unit) or any(v == key and u == unit for v, u in self._variants)

    def resolve_unit(self, name: str) -> UnitMatch | Ambiguous | NoData:
        key = fold(name)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, key)
        return self._resolved[key]

    def _resolve(self, name: str, key: str) -> UnitMatch | Ambiguous | NoData:
        def match(units: list[str], how: str):
            if len(units) == 1:
                return UnitMatch(query=name, unit=units[0], years=self.years(units[0]), how=how)
            return Ambiguous(query=name, candidates=sorted(units),
                             message_zh=f"“{name}”可能指：{'、'.join(sorted(units))}，请说明是哪个单位。")

        if not key:
            return NoData(reason="no_unit", message_zh="未指明单位。", available=self.units())
        exact = [u for u in self.by_unit if fold(u) == key]
        if exact:
            return match(exact, "exact")
        by_variant = sorted({u for v, u in self._variants if v == key})
        if by_variant:
            return match(by_variant, "alias")
        # a held name inside the query ("晋城市城市管理局机关") or the query inside a name
        inside = [u for u in self.by_unit if fold(u) in key]
        if inside:
            return match([max(inside, key=len)], "exact")
        expanded = _expand_aliases(key)
        contained = sorted({u for v, u in self._variants if any(e in v for e in expanded) and _same_level(key, u)})
        if contained:
            return match(contained, "alias")
        ordered = [u for u in self.by_unit
                   if any(_in_order(e, fold(u)) for e in expanded) and _same_level(key, u)]
        if ordered:
            return match(ordered, "abbreviation")
        fuzzy = [u for u in _fuzzy_units(key, self._variants, self._stems) if _same_level(key, u)]
        if fuzzy:
            return match(fuzzy, "fuzzy")
        # a department the documents name as their 主管部门, not itself a loaded unit; a unit a
        # loaded 部门 document lists as its member (its budget is in that document)
        belongs = sorted({u for u, dept in self.departments.items()
                          if dept not in self.by_unit and key in {v for v, _ in _unit_variants([dept])}})
        belongs = belongs or sorted({u for u, members in self.members.items() for m in members
                                     if m not in self.by_unit and key in _member_keys(m)})
        if belongs:
            return match(belongs, "alias")
        return NoData(reason="no_unit", message_zh=f"没有“{name}”的预算公开文件。", available=self.units())

    def unit_at_place(self, text: str, start_max: int = 6) -> tuple[str, str, int, int] | None:
        """"城关区动物防疫…": the one held unit of the place a question names near its start, with
        no unit named (unit, the words, start, end); None when no place or several units share it."""
        key = fold(text)
        found: list[tuple[int, int, str, str]] = []
        for place, units in self.place_units.items():
            i = key.find(place)
            if 0 <= i <= start_max and len(units) == 1:
                found.append((i, -len(place), place, next(iter(units))))
        if not found:
            return None
        i, size, place, unit = min(found)
        return unit, place, i, i - size

    def find_unit_mentions(self, text: str) -> list[tuple[str, str, int, int]]:
        """Units named in free text: (unit, matched words, start, end), longest names first,
        non-overlapping, in text order."""
        folded = fold(text)
        spans: list[tuple[int, int, str, str]] = []
        for variant, unit in sorted(self._variants, key=lambda vu: -len(vu[0])):
            if len(variant) < 2:
                continue
            start = folded.find(variant)
            while start >= 0:
                end = start + len(variant)
                if not any(s < end and start < e for s, e, _, _ in spans) and (
                        variant not in self._needs_place or _after_its_place(folded, start, unit)):
                    spans.append((start, end, unit, variant))
                start = folded.find(variant, end)
        # drop variants shared by several units (e.g. "开发区") unless nothing else names a unit
        counts: dict[str, set[str]] = {}
        for v, u in self._variants:
            counts.setdefault(v, set()).add(u)
        spans = [s for s in spans if len(counts[s[3]]) == 1]
        return [(u, v, s, e) for s, e, u, v in sorted(spans)]

    # ---- documents -----------------------------------------------------------------------

    def documents_for(self, unit: str | None, year: int | None = None) -> "list[Disclosure] | NoData | Ambiguous":
        """The documents a query covers: the unit's (one) when a unit is named, else every
        document of `year` (or all)."""
        if unit:
            doc = self.document(unit, year)
            return [doc] if isinstance(doc, Disclosure) else doc
        return [d for d in self.disclosures if year is None or d.year == year]

    def document(self, unit: str, year: int | None = None) -> Disclosure | NoData | Ambiguous:
        """The disclosure of a unit (any name form) and year; latest year when year is None."""
        resolved = self.resolve_unit(unit)
        if isinstance(resolved, Ambiguous) and year is not None:
            # "开发区" with a year only one of the candidates has is not ambiguous
            held = [u for u in resolved.candidates if year in self.by_unit[u]]
            if len(held) == 1:
                resolved = UnitMatch(query=unit, unit=held[0], years=self.years(held[0]), how="alias")
        if not isinstance(resolved, UnitMatch):
            if isinstance(resolved, NoData) and year is not None:
                resolved = resolved.model_copy(update={"year": year})
            return resolved
        docs = self.by_unit[resolved.unit]
        if year is None:
            return docs[max(docs)]
        if year not in docs:
            have = "、".join(f"{y}年" for y in sorted(docs))
            return NoData(reason="no_year", unit=resolved.unit, year=year,
                          message_zh=f"{resolved.unit}没有{year}年的预算公开文件（现有：{have}）。",
                          available=[str(y) for y in sorted(docs)])
        return docs[year]


def _same_level(query: str, unit: str) -> bool:
    """A query that names its place (晋城市工信局) does not mean a unit of a place below it
    (晋城市城区工业和信息化局): the unit's full place must then appear in the query."""
    query_places = place_prefixes(query)
    if not query_places:
        return True
    unit_places = place_prefixes(fold(unit))
    if not unit_places or unit_places[-1] in query or unit_places[-1] in query_places[-1]:
        return True
    # 秀洲市监局 of 嘉兴市秀洲区…: the 市 of 市监局 read as a level, after the 区's own stem;
    # 乳源县 for 乳源瑶族自治县
    unit_place, query_place = _last_piece(unit_places), _last_piece(query_places)
    return (unit_place != query_place and len(_stem_of(unit_place)) >= 2
            and _stem_of(unit_place) == _stem_of(query_place))


def _last_piece(places: list[str]) -> str:
    """The last place of a chain of place prefixes: ["嘉兴市", "嘉兴市秀洲区"] -> 秀洲区."""
    return places[-1][len(places[-2]):] if len(places) > 1 else places[-1]


def _in_order(short: str, full: str) -> bool:
    """Every character of `short` appears in `full` in order (工信局 ⊂ 工业和信息化局)."""
    return len(short) >= 2 and chars_in_order(short, full)


def _expand_aliases(key: str) -> list[str]:
    """The query with colloquial words replaced by what they stand for (经开区 -> 经济技术开发区)."""
    out = [key]
    for colloquial, meaning in unit_aliases()["aliases"].items():
        c = fold(colloquial)
        for current in list(out):
            if c and c in current:
                for m in ([meaning] if isinstance(meaning, str) else meaning):
                    out.append(current.replace(c, fold(m)))
    return list(dict.fromkeys(out))


def _unit_variants(units: list[str], stated: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """(variant, unit) pairs: every name a unit goes by, derived from its full name (and the
    names its documents use for it, `stated`) by the generic rules of prompts/unit_aliases.json:
    the name without leading places, the places' stems (晋城 of 晋城市, 孝义 of 孝义经济技术开发区),
    the abbreviations (管理委员会 -> 管委会), the name of the zone or 街道 alone for the body that
    heads it (孝义开发区, 万里街道), the level forms (区府办), in every combination."""
    rules = [(fold(long), [fold(s) for s in shorts]) for long, shorts in unit_aliases()["abbreviations"].items()]
    stems, city_stems = _place_stems(units), _city_stems(units)
    pairs: set[tuple[str, str]] = set()
    for unit in units:
        forms: set[str] = set()
        for name in [unit, *(stated or {}).get(unit, [])]:
            forms |= _rule_forms(fold(name), rules, stems, city_stems)
            forms |= _structural_forms(fold(name), rules, city_stems)
        pairs.update((f, unit) for f in forms if len(f) >= 2 and not _only_place(f) and not _headless(f))
    return sorted(pairs)


def _headless(form: str) -> bool:
    """人民政府万里街道办: the government word without the place it belongs to."""
    words = [fold(g) for g in unit_aliases()["government"]]
    words += [fold(s) for g in words for s in unit_aliases()["abbreviations"].get(g, [])]
    return any(form.startswith(w) and _sub_place(form[len(w):], body=0) for w in words)


def _rule_forms(name: str, rules, stems: set[str], city_stems: set[str]) -> set[str]:
    """The name, without its leading places or place stems, and abbreviated."""
    forms = {name}
    for prefix in place_prefixes(name) + _stem_prefixes(name, stems):
        forms.add(name[len(prefix):])
    _abbreviate(forms, rules + _joined_name_rules(name))
    for form in list(forms):
        for prefix in place_prefixes(form) + _stem_prefixes(form, stems):
            if len(form) - len(prefix) >= 2:
                forms.add(form[len(prefix):])
        for stem in _stem_prefixes(form, stems):  # 晋城开发区… is also said 晋城市开发区…
            if stem in city_stems:
                forms.add(f"{stem}市{form[len(stem):]}")
    return forms


# "A和B局" said by the first character of each part (农业农村和水务局 -> 农水局, 人社局), or of B's
# last word (住房和城乡建设局 -> 住建局); a 委员会 becomes 委.
_JOINED_NAME = re.compile(r"^(?P<a>[\u4e00-\u9fa5]{2,4})和(?P<b>[\u4e00-\u9fa5]{2,4})(?P<body>局|委员会|委|厅)$")
_JOINED_BODY_SHORT = {"委员会": "委"}
_PAIRED_WORDS = re.compile(r"^(?P<a>[\u4e00-\u9fa5]{2})(?P<b>[\u4e00-\u9fa5]{2})(?P<body>局)$")


def _joined_name_rules(name: str) -> list[tuple[str, list[str]]]:
    """The abbreviation rule of a name's "A和B局" part, after its places; of a body of two
    two-character words, their first characters (自然资源局 -> 自资局, 交通运输局 -> 交运局)."""
    places = place_prefixes(name)
    rest = name[len(places[-1]):] if places else name
    paired = _PAIRED_WORDS.match(rest)
    if paired:
        return [(rest, [paired["a"][0] + paired["b"][0] + paired["body"]])]
    m = _JOINED_NAME.match(rest)
    if m is None:
        return []
    body = _JOINED_BODY_SHORT.get(m["body"], m["body"])
    initials = {m["a"][0] + m["b"][0]} | ({m["a"][0] + m["b"][2]} if len(m["b"]) == 4 else set())
    return [(rest, sorted(i + body for i in initials))]


def _abbreviate(forms: set[str], rules) -> None:
    for long, shorts in rules:
        for form in list(forms):
            if long in form:
                for short in shorts:
                    forms.add(form.replace(long, short))


def _structural_forms(name: str, rules, city_stems: set[str]) -> set[str]:
    """Forms built from the name's parts: [places][人民政府][zone | 街道/镇][body]. The body may go
    when it heads the zone or 街道 (孝义开发区, 万里街道); 人民政府 may go before a 街道 (普陀区万里
    街道办事处); the place's level makes 区府办 of 普陀区人民政府办公室."""
    cfg = unit_aliases()
    places = place_prefixes(name)
    rest = name[len(places[-1]):] if places else name
    singles = [places[0]] + [places[i][len(places[i - 1]):] for i in range(1, len(places))] if places else []
    gov = next((g for g in cfg["government"] if rest.startswith(g) and _sub_place(rest[len(g):])), "")
    rest = rest[len(gov):]
    zone_stem, zone, rest = _zone(rest)
    sub = _sub_place(rest)
    rest = rest[len(sub):]
    body = rest
    if not (zone or sub or body):
        return set()
    heads = [b for b, over in cfg["head_bodies"].items()
             if fold(b) == body and (("zone" in over and zone) or ("sub_place" in over and sub))]
    place_opts = {""} | {"".join(singles[i:]) for i in range(len(singles))}
    if singles and zone_stem == "":
        place_opts |= {_stem_of(singles[0]) + "".join(singles[1:])} - {"".join(singles[1:])}
    if singles and (plain := _plain_level(singles[-1])):
        place_opts |= {plain, _stem_of(singles[-1])}
    if singles and len(_stem_of(singles[-1])) >= 2 and singles[-1][-1:] in "县区":
        place_opts.add(_stem_of(singles[-1]))  # 吉州民政局 of 吉州区民政局
    gov_opts = {""} | ({gov} if gov else set())
    zone_opts = {""}
    if zone:
        zone_opts = {""} | {zone_stem + z for z in _zone_forms(zone)}  # "" : 管委会, 审批局 alone
        if zone_stem in city_stems:  # 晋城开发区 is also said 晋城市开发区
            zone_opts |= {zone_stem + "市" + z for z in _zone_forms(zone)}
    body_opts = {body} | ({""} if heads else set())
    sub_opts = {sub} | {sub[:-len(w)] for w in map(fold, cfg["sub_place_words_dropped"])
                        if body and sub.endswith(w) and len(sub) - len(w) >= 2}
    forms: set[str] = set()
    for p, g, z, s, b in itertools.product(place_opts, gov_opts, zone_opts, sub_opts, body_opts):
        if s != sub and not b:
            continue  # 丰产路办事处, never 丰产路 alone
        form = p + g + z + s + b
        if (z or s or b) and (b or zone_stem or s) and (p or not g):
            forms.add(form)
    for long, shorts in cfg["level_forms"].items():
        if singles and (gov + body) == fold(long) and singles[-1][-1:] in "省市县区":
            forms |= {singles[-1][-1] + fold(s) for s in shorts}
    _abbreviate(forms, rules + _joined_name_rules(name))
    for form in list(forms):  # 吉州民政 for 吉州区民政局: the last word left out after the place
        for word in map(fold, cfg["bodies_dropped_after_place"]):
            if form.endswith(word) and any(p and form.startswith(p) and len(form) - len(p) - len(word) >= 2
                                           for p in place_opts):
                forms.add(form[:-len(word)])
    return forms


def _zone_words() -> list[str]:
    return sorted((fold(z) for z in unit_aliases()["zones"]), key=len, reverse=True)


def _zone_forms(zone: str) -> list[str]:
    """A zone word and its short forms (经济技术开发区 -> 开发区, 经开区 …)."""
    return [zone] + [fold(s) for s in unit_aliases()["abbreviations"].get(zone, [])]


def _zone(rest: str) -> tuple[str, str, str]:
    """(stem, zone word, the rest) of "孝义经济技术开发区管理委员会"; ("", "", rest) without a zone."""
    for z in _zone_words():
        i = rest.find(z)
        if 0 <= i <= 6 and re.fullmatch(r"[\u4e00-\u9fa5]*", rest[:i]):
            return rest[:i], z, rest[i + len(z):]
    return "", "", rest


_SUB_PLACE_MAX = 6


def _sub_place(rest: str, body: int = 2) -> str:
    """The 街道 / 镇 / 乡 a unit belongs to, at the start of `rest` ("万里街道办事处" -> "万里街道"),
    followed by a body of at least `body` characters."""
    for word in sorted((fold(w) for w in unit_aliases()["sub_places"]), key=len, reverse=True):
        m = re.match(rf"^([\u4e00-\u9fa5]{{1,{_SUB_PLACE_MAX}}}?{re.escape(word)})(?=[\u4e00-\u9fa5]{{{body},}})", rest)
        if m and not any(z in m.group(1) for z in _zone_words()):
            return m.group(1)
    return ""


def _after_its_place(text: str, start: int, unit: str) -> bool:
    """Whether `text` names one of the unit's places (or their stems) right before `start`."""
    places = {p for prefix in place_prefixes(fold(unit)) for p in (prefix, _stem_of(prefix))}
    singles = {p[len(q):] for p in places for q in places if p.startswith(q) and p != q}
    places |= singles | {_stem_of(p) for p in singles}
    return any(len(p) >= 2 and text[:start].endswith(p) for p in places)


def _stem_of(place: str) -> str:
    """晋城市 -> 晋城, 乳源瑶族自治县 -> 乳源 (a stem of two or more characters), else the place itself."""
    if autonomous := _AUTONOMOUS_PLACE.match(place):
        return autonomous["stem"]
    return place[:-1] if len(place) >= 3 and place[-1] in "省市县区" else place


def _plain_level(place: str) -> str | None:
    """乳源瑶族自治县 is also said 乳源县."""
    autonomous = _AUTONOMOUS_PLACE.match(place)
    return autonomous["stem"] + autonomous["level"] if autonomous else None


def _only_place(form: str) -> bool:
    """A bare place name (上海市普陀区, 普陀) names no unit."""
    places = place_prefixes(form + "XX")
    return bool(places) and places[-1] == form


def _city_stems(units: list[str]) -> set[str]:
    """Cities without 市: 晋城 of 晋城市…"""
    return {m.group(1) for u in units if (m := re.match(r"^(.{2,3})市", fold(u)))}


def _place_units(units: list[str]) -> dict[str, set[str]]:
    """The last place of each unit's name (城关区 of 拉萨市城关区农业农村局) and its stem (城关),
    each with the units named after it."""
    found: dict[str, set[str]] = {}
    for unit in units:
        places = place_prefixes(fold(unit))
        if not places:
            continue
        last = places[-1][len(places[-2]):] if len(places) >= 2 else places[-1]
        # a county or district said alone is its unit's; a city said alone is the city's own business
        forms = {last, _stem_of(last)} if last[-1:] in COUNTY_LEVEL else set()
        rest = fold(unit)[len(places[-1]):]
        gov = next((fold(g) for g in unit_aliases()["government"] if rest.startswith(fold(g))), "")
        sub = _sub_place(rest[len(gov):], body=1)  # 桂城街道 of …南海区桂城街道办事处, said 桂城
        forms |= {sub} | {sub[:-len(w)] for w in map(fold, unit_aliases()["sub_place_words_dropped"])
                          if sub.endswith(w) and len(sub) - len(w) >= 2}
        for form in forms:
            if len(form) >= 2 and form not in GENERIC_PLACE_WORDS:
                found.setdefault(form, set()).add(unit)
    return found


GENERIC_PLACE_WORDS = ("城区", "市区", "县城", "乡镇")  # places that are also everyday words
COUNTY_LEVEL = "区县旗"


def _place_stems(units: list[str]) -> set[str]:
    """Place names as people shorten them: cities without 市 (晋城 of 晋城市…) and the places
    development zones are named after (孝义 of 孝义经济技术开发区…)."""
    stems = _city_stems(units)
    for u in units:
        name = fold(u)
        places = place_prefixes(name)
        stem, zone, _ = _zone(name[len(places[-1]):] if places else name)
        if zone and len(stem) >= 2:
            stems.add(stem)
    return stems


def _stem_prefixes(name: str, stems: set[str]) -> list[str]:
    return [s for s in stems if name.startswith(s) and name[len(s):len(s) + 1] not in ("市", "区", "县", "")]


# an autonomous place: 乳源瑶族自治县, 恩施土家族苗族自治州, 新疆维吾尔自治区, 内蒙古自治区
_AUTONOMOUS = r"(?P<stem>[^省市县区]{2,3}?)(?:[^省市县区]{1,4}?族)*(?:维吾尔)?自治(?P<level>县|州|区|旗)"
_PLACE = re.compile(rf"^({_AUTONOMOUS}|.{{1,4}}?(?:省|市|县|区))")
_AUTONOMOUS_PLACE = re.compile(rf"^{_AUTONOMOUS}$")


def place_prefixes(name: str) -> list[str]:
    """Leading place names: 晋城市城区工业… -> ["晋城市", "晋城市城区"]. A development zone
    (孝义经开区) is not a place prefix: it is part of the unit's name."""
    out = []
    rest, consumed = name, ""
    for _ in range(3):
        m = _PLACE.match(rest)
        if (not m or len(rest) - len(m.group(1)) < 2 or m.group(1) in unit_aliases()["not_places"]
                or any(m.group(1).endswith(z) for z in _zone_words())):
            break
        consumed += m.group(1)
        out.append(consumed)
        rest = rest[len(m.group(1)):]
    return out


def _fuzzy_units(key: str, variants: list[tuple[str, str]], stems: set[str]) -> list[str]:
    """Typos only (晋城市城市管里局): a held name or short form of the same length, one character
    off (two from ten characters). A name of another length is another unit (…城区城市管理局)."""
    if len(key) < 4:
        return []
    allowed = 1 if len(key) < 10 else 2
    hits = {unit for variant, unit in variants
            if len(variant) == len(key) and Levenshtein.distance(key, variant) <= allowed
            and _keeps_place(key, variant, stems)}
    return sorted(hits)


def _keeps_place(query: str, variant: str, stems: set[str]) -> bool:
    """A typo is never in the place name: 晋中…开发区 is another place's unit, not 晋城…开发区."""
    places = place_prefixes(variant) + _stem_prefixes(variant, stems)
    return all(query.startswith(p) for p in places)


# ---- names the documents give -----------------------------------------------------------------


def _stated_names(disclosures: list[Disclosure]) -> dict[str, list[str]]:
    """Short names a document uses for its own unit in the 概况 ("城区工信局是政府组成部门",
    "市城市管理局因机构改革…"): a name at the start of a clause, ending like the unit's name,
    whose characters all appear in the full name in order."""
    pattern = unit_aliases()["self_name"]
    if not pattern:
        return {}
    found: dict[str, list[str]] = {}
    for d in disclosures:
        full = fold(d.unit)
        text = fold(" ".join(t for t in (d.overview.duties, d.overview.organisation) if t))
        for m in re.finditer(pattern, text):
            name = m.group("name")
            if name[0] in "省市县区":
                continue  # "市城市管理局": the level word of its own place, inside any other city's name too
            if (3 <= len(name) < len(full) and name[-1] == full[-1] and _in_order(name, full)
                    and not _only_place(name) and name not in found.get(d.unit, [])):
                found.setdefault(d.unit, []).append(name)
    return found


def _member_keys(member: str) -> set[str]:
    """The names a 部门 document's member unit is asked by: its full name and the short forms
    that keep its own words (at least six characters: not a bare 服务中心)."""
    return {v for v, _ in _unit_variants([member]) if len(v) >= 6}


def _departments(disclosures: list[Disclosure]) -> dict[str, str]:
    """The 主管部门 a unit's 绩效目标表 name most often ("601-晋城经济技术开发区管理委员会"), when it
    is not the unit itself."""
    out: dict[str, str] = {}
    for d in disclosures:
        names = [re.sub(r"^[\dA-Za-z]+[-－—]", "", fold(t.department)) for t in d.targets if t.department]
        if names:
            top = max(set(names), key=names.count)
            if top and top != fold(d.unit) and re.search(r"[\u4e00-\u9fa5]{4,}", top):
                out[d.unit] = top
    return out
