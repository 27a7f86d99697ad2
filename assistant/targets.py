"""Which document(s) a question is about: (unit, year) pairs, or why there is none.

A year the unit is held for is used as asked; no year means the latest year held; the year
before a held one ("去年", "2024年" for a 2025 document) is answered from that document's
stated changes (推算) where possible; any other year is not held.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.understand import Understanding


@dataclass(frozen=True)
class Target:
    unit: str
    year: int
    prior_only: bool = False  # the question is about year − 1 (answered by 推算 from this document)


@dataclass(frozen=True)
class NoTarget:
    reason: str  # "need_unit" | "ambiguous" | "no_year" | "future_year"
    unit: str | None = None
    year: int | None = None
    held: tuple[int, ...] = ()


def resolve_targets(u: Understanding, catalog, comparing: bool = False) -> list[Target] | NoTarget:
    units = list(u.units)
    if not units:
        if u.ambiguous:
            return NoTarget("ambiguous")
        held = catalog.units()
        if len(held) != 1:
            return NoTarget("need_unit")
        units = held
    targets = []
    for unit in units:
        held = catalog.years(unit)
        if not held:
            continue
        latest = held[-1]
        if comparing:
            year = next((y for y in u.years if y in held), latest)
            targets.append(Target(unit, year))
            continue
        asked = [y for y in u.years if y in held]
        if asked:
            targets.append(Target(unit, asked[0]))
        elif u.years:
            year = u.years[0]
            if year + 1 in held and (u.has("change") or u.has("reason")):
                targets.append(Target(unit, year + 1))  # "与2025年相比": the 2026 document states the change
            elif year + 1 in held:
                targets.append(Target(unit, year + 1, prior_only=True))
            else:
                return NoTarget("future_year" if year > latest else "no_year", unit, year, tuple(held))
        elif u.relative_year == "last":
            targets.append(Target(unit, latest, prior_only=True))
        elif u.relative_year == "next":
            return NoTarget("future_year", unit, latest + 1, tuple(held))
        else:
            targets.append(Target(unit, latest))
    return targets or NoTarget("need_unit")
