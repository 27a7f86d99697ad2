"""The loaded disclosures every tool reads, with the unit-name resolver.

    catalog = Catalog.open(index_dir)          # DIR/CURRENT -> DIR/generations/<name>/facts.sqlite
    catalog = Catalog(disclosures)             # direct, e.g. in tests
    doc = catalog.document("城管局", 2025)      # Disclosure | NoData | Ambiguous
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from index.model import Disclosure
from index.normalize import fold
from index.settings import PROJECT_ROOT
from tools.types import Ambiguous, NoData, UnitMatch

ALIASES_FILE = PROJECT_ROOT / "prompts" / "unit_aliases.json"


@lru_cache(maxsize=1)
def unit_aliases() -> dict:
    """Colloquial forms: {"abbreviations": {long: [short…]}, "aliases": {colloquial: meaning},
    "not_places": words that look like place names but are not (城市管理局 is not 城市+管理局)}."""
    if not ALIASES_FILE.exists():
        return {"abbreviations": {}, "aliases": {}, "not_places": []}
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    return {"abbreviations": data.get("abbreviations", {}), "aliases": data.get("aliases", {}),
            "not_places": data.get("not_places", [])}


def facts_path(index_dir: Path) -> Path:
    """The facts store of the active generation (DIR/CURRENT names it); an index dir without
    CURRENT may hold facts.sqlite directly."""
    index_dir = Path(index_dir)
    current = index_dir / "CURRENT"
    if current.exists():
        name = current.read_text(encoding="utf-8").strip()
        return index_dir / "generations" / name / "facts.sqlite"
    return index_dir / "facts.sqlite"


def _load_all(path_or_url) -> list[Disclosure]:
    from index.store import FactStore

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
        self._variants = _unit_variants(list(self.by_unit))
        self._resolved: dict[str, UnitMatch | Ambiguous | NoData] = {}
        self.cache: dict = {}  # per-catalog memo for the tools (indexes built on first use)

    @classmethod
    def open(cls, index_dir: str | Path | None = None, facts_url: str | None = None) -> "Catalog":
        from index.settings import settings

        cfg = settings()
        url = facts_url or cfg.facts_url
        if url is None:
            from index.generations import reading

            root = Path(index_dir) if index_dir is not None else cfg.index_dir
            with reading(root) as generation:  # a concurrent build's prune() leaves it alone
                path = generation / "facts.sqlite" if generation else facts_path(root)
                return cls(_load_all(path)) if path.exists() else cls([])
        return cls(_load_all(url))

    # ---- units ---------------------------------------------------------------------------

    def units(self) -> list[str]:
        return sorted(self.by_unit)

    def years(self, unit: str) -> list[int]:
        return sorted(self.by_unit.get(unit, {}))

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
        fuzzy = [u for u in _fuzzy_units(key, list(self.by_unit)) if _same_level(key, u)]
        if fuzzy:
            return match(fuzzy, "fuzzy")
        return NoData(reason="no_unit", message_zh=f"没有“{name}”的预算公开文件。", available=self.units())

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
                if not any(s < end and start < e for s, e, _, _ in spans):
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
            held = "、".join(f"{y}年" for y in sorted(docs))
            return NoData(reason="no_year", unit=resolved.unit, year=year,
                          message_zh=f"{resolved.unit}没有{year}年的预算公开文件（现有：{held}）。",
                          available=[str(y) for y in sorted(docs)])
        return docs[year]


def _same_level(query: str, unit: str) -> bool:
    """A query that names its place (晋城市工信局) does not mean a unit of a place below it
    (晋城市城区工业和信息化局): the unit's full place must then appear in the query."""
    query_places = _place_prefixes(query)
    if not query_places:
        return True
    unit_places = _place_prefixes(fold(unit))
    return not unit_places or unit_places[-1] in query or unit_places[-1] in query_places[-1]


def _in_order(short: str, full: str) -> bool:
    """Every character of `short` appears in `full` in order (工信局 ⊂ 工业和信息化局)."""
    if len(short) < 2:
        return False
    pos = 0
    for ch in short:
        pos = full.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


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


def _unit_variants(units: list[str]) -> list[tuple[str, str]]:
    """(variant, unit) pairs: the full name, the name without a leading place name, and the
    short forms made by the abbreviation rules (管理委员会 -> 管委会), in every combination."""
    rules = [(fold(long), [fold(s) for s in shorts]) for long, shorts in unit_aliases()["abbreviations"].items()]
    # city names without 市 ("晋城" of 晋城市) also lead names: 晋城经济技术开发区…
    stems = {m.group(1) for u in units if (m := re.match(r"^(.{2,3})市", fold(u)))}
    pairs: set[tuple[str, str]] = set()
    for unit in units:
        forms = {fold(unit)}
        for prefix in _place_prefixes(fold(unit)) + _stem_prefixes(fold(unit), stems):
            forms.add(fold(unit)[len(prefix):])
        for long, shorts in rules:
            for form in list(forms):
                if long in form:
                    for short in shorts:
                        forms.add(form.replace(long, short))
        for form in list(forms):
            for prefix in _place_prefixes(form) + _stem_prefixes(form, stems):
                if len(form) - len(prefix) >= 2:
                    forms.add(form[len(prefix):])
            for stem in _stem_prefixes(form, stems):  # 晋城开发区… is also said 晋城市开发区…
                forms.add(f"{stem}市{form[len(stem):]}")
        pairs.update((f, unit) for f in forms if len(f) >= 2)
    return sorted(pairs)


def _stem_prefixes(name: str, stems: set[str]) -> list[str]:
    return [s for s in stems if name.startswith(s) and name[len(s):len(s) + 1] not in ("市", "区", "县", "")]


_PLACE = re.compile(r"^(.{1,4}?(?:省|市|县|区))")


def _place_prefixes(name: str) -> list[str]:
    """Leading place names: 晋城市城区工业… -> ["晋城市", "晋城市城区"]."""
    out = []
    rest, consumed = name, ""
    for _ in range(3):
        m = _PLACE.match(rest)
        if not m or len(rest) - len(m.group(1)) < 2 or m.group(1) in unit_aliases()["not_places"]:
            break
        consumed += m.group(1)
        out.append(consumed)
        rest = rest[len(m.group(1)):]
    return out


def _fuzzy_units(key: str, units: list[str]) -> list[str]:
    """Typos only (晋城市城市管里局): a held name or short form of the same length, one character
    off (two from ten characters). A name of another length is another unit (…城区城市管理局)."""
    from rapidfuzz.distance import Levenshtein

    if len(key) < 4:
        return []
    allowed = 1 if len(key) < 10 else 2
    stems = {m.group(1) for u in units if (m := re.match(r"^(.{2,3})市", fold(u)))}
    hits = {unit for variant, unit in _unit_variants(units)
            if len(variant) == len(key) and Levenshtein.distance(key, variant) <= allowed
            and _keeps_place(key, variant, stems)}
    return sorted(hits)


def _keeps_place(query: str, variant: str, stems: set[str]) -> bool:
    """A typo is never in the place name: 晋中…开发区 is another place's unit, not 晋城…开发区."""
    places = _place_prefixes(variant) + _stem_prefixes(variant, stems)
    return all(query.startswith(p) for p in places)
