"""The rule files of prompts/ other than the measure registry, each read through a pydantic model
that rejects unknown keys: a misspelt key raises RuleFileError (naming the file and the key) when
the file is loaded, instead of being ignored.

    intents().cues["change"]        # cue patterns of assistant/understand.py
    unit_aliases().abbreviations    # unit-name rules of tools/catalog.py
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from core.measures import RuleFileError, Strict, load_model
from core.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"


class Intents(Strict):
    about: str = Field("", alias="_about")
    cues: dict[str, list[str]]
    ordinal_words: dict[str, int]
    rank_targets: dict[str, list[str]]
    qualifiers: list[str] = []
    glossary_after_term: str
    passage_titles: dict[str, list[str]] = {}
    note_parts: dict[str, list[str]] = {}
    overview_focus: dict[str, str] = {}
    light_cues: list[str] = []
    generic_name_words: list[str] = []
    purchase_suffixes: list[str] = []
    own_level_words: list[str] = []
    name_abbreviations: dict[str, list[str]] = {}
    row_affixes: dict[str, list[str]] = {}  # {"prefixes": [...], "suffixes": [...]}
    said_units: dict[str, str] = {}  # a unit as people say it -> as 绩效目标表 print it (平米 -> 平方米)
    patterns: dict[str, str] = {}


class Topic(Strict):
    pattern: str
    topic: str
    unless_stated_base: str | None = None


class Scope(Strict):
    about: str = Field("", alias="_about")
    topics: list[Topic]
    unit_pattern: str
    not_units: list[str]
    place_pattern: str | None = None
    government_suffixes: list[str] = []


class Templates(Strict):
    about: str = Field("", alias="_about")
    templates: dict[str, str]


class UnitAliases(Strict):
    about: str = Field("", alias="_comment")
    abbreviations: dict[str, list[str]] = {}
    aliases: dict[str, str] = {}
    not_places: list[str] = []
    zones: list[str] = []
    sub_places: list[str] = []
    sub_place_words_dropped: list[str] = []
    bodies_dropped_after_place: list[str] = []
    government: list[str] = []
    head_bodies: dict[str, list[str]] = {}
    level_forms: dict[str, list[str]] = {}
    self_name: str = ""
    not_place_words: list[str] = []
    needs_place: list[str] = []


class FunctionClass(Strict):
    code: str
    name: str
    aliases: list[str] = []


class FunctionClasses(Strict):
    about: str = Field("", alias="_about")
    classes: list[FunctionClass]


class UiExamples(Strict):
    about: str = Field("", alias="_about")
    examples: list[str]


def load_rules(model: type[Strict], name: str, prompts_dir: Path = PROMPTS_DIR):
    """prompts/<name> read through `model` (RuleFileError on an unknown, missing or mistyped key)."""
    return load_model(model, Path(prompts_dir) / name)


@lru_cache(maxsize=1)
def intents() -> Intents:
    return load_rules(Intents, "intents.json")


@lru_cache(maxsize=1)
def scope() -> Scope:
    return load_rules(Scope, "scope.json")


@lru_cache(maxsize=1)
def templates() -> Templates:
    return load_rules(Templates, "templates.json")


@lru_cache(maxsize=1)
def function_classes() -> FunctionClasses:
    return load_rules(FunctionClasses, "function_classes.json")


@lru_cache(maxsize=1)
def unit_aliases() -> UnitAliases:
    """Empty rules when the file is absent (a deployment without unit-name rules)."""
    path = PROMPTS_DIR / "unit_aliases.json"
    return load_rules(UnitAliases, path.name) if path.exists() else UnitAliases()


@lru_cache(maxsize=1)
def ui_examples() -> UiExamples:
    path = PROMPTS_DIR / "ui_examples.json"
    return load_rules(UiExamples, path.name) if path.exists() else UiExamples(examples=[])


RULE_FILES: dict[str, type[Strict]] = {
    "intents.json": Intents, "scope.json": Scope, "templates.json": Templates,
    "unit_aliases.json": UnitAliases, "function_classes.json": FunctionClasses, "ui_examples.json": UiExamples,
}

__all__ = ["RuleFileError", "RULE_FILES", "Intents", "Scope", "Templates", "UnitAliases", "FunctionClasses",
           "UiExamples", "load_rules", "intents", "scope", "templates", "function_classes", "unit_aliases",
           "ui_examples"]
