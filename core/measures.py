"""The measure registry: every measure once (prompts/measures.json), read through pydantic models
that reject unknown keys, so a misspelt field fails at load time naming the file and the key.

    reg = registry()                     # the project's registry, loaded once
    reg.measure("basic").stated_in       # StatedIn(table="一般公共预算支出表", column="基本支出", …)
    reg.by_tool("基本支出").key          # "basic"
    reg.by_subject("基本支出").key       # the measure a narrative subject belongs to

Every reader derives what it needs from the active registry (`reg.derived(name, build)` keeps
one derived value per registry), so a registry swapped in with `using_registry(load_registry(path))`
is seen by all of them: the assistant's lexicon, the tools, the narrative parser and the checks.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import ErrorDetails

from core.settings import PROJECT_ROOT

REGISTRY_FILE = PROJECT_ROOT / "prompts" / "measures.json"


class RuleFileError(ValueError):
    """A rule file in prompts/ that does not fit its model (unknown or missing key, wrong type)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fallback(Strict):
    table: str
    side: str | None = None
    column: str | None = None


class Detail(Strict):
    """The table whose rows make the measure up (来自哪个科目), with the column to read."""
    table: str
    side: str | None = None  # a two-sided table's side whose rows answer (支出 of a 收支表)
    column: str | None = None
    projects: str | None = None  # the measure key of the projects it funds
    projects_column: str | None = None
    fallback: Fallback | None = None


class Cell(Strict):
    """One table cell, read by the figure tool, for a measure the tools do not name."""
    table: str
    side: str | None = None
    row: str
    column: str


class Lookup(Strict):
    """Where a tool reads the measure: a table cell, or a narrative fact."""
    table: str | None = None
    side: str | None = None
    row: list[str] | None = None
    column: list[str] | None = None
    stated: list[str] | None = None
    procurement: str | None = None
    assets: str | None = None
    performance: str | None = None
    overview: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        sources = [s for s in ("table", "stated", "procurement", "assets", "performance", "overview")
                   if getattr(self, s) is not None]
        if len(sources) != 1:
            raise ValueError(f"a lookup reads exactly one source, not {sources or 'none'}")
        if self.table is not None and not self.row:
            raise ValueError("a table lookup names its row(s)")
        return self


class Breakdown(Strict):
    table: str
    level: Literal[3, 5, 7]
    column: str | None = None
    side: str | None = None


class NarrativeSubject(Strict):
    subject: str  # the canonical subject a statement gets (StatedFigure.subject)
    wordings: list[str]  # how the documents word it


class StatedIn(Strict):
    """The table figure a narrative statement of the measure is checked against."""
    table: str  # a TableKind value
    column: str
    side: str | None = None
    total: str | None = None  # "" = the first total row, or a word the total row contains (总计)
    row_with: list[str] | None = None  # else: the first non-total row whose name has all these
    row_without: str | None = None

    @model_validator(mode="after")
    def _one_row(self):
        if (self.total is None) == (self.row_with is None):
            raise ValueError("stated_in names its row by `total` or by `row_with`, not both")
        return self


class Measure(Strict):
    key: str
    label: str
    figure_label: str | None = None
    tool: str | None = None
    unit: str | None = None
    parent: str | None = None
    changeable: bool = False
    verified: bool = False
    in_questions: bool = True  # False: the lexicon leaves it out (questions naming it mean another measure)
    aliases: list[str] = []
    names: list[str] = []
    patterns: list[str] = []
    detail: Detail | None = None
    cell: Cell | None = None
    lookups: list[Lookup] = []
    parts: list[str] = []
    share_of: str | None = None
    spent_as: str | None = None
    part_columns: list[str] | None = None
    breakdown: Breakdown | None = None
    subjects: list[str] = []
    narrative: list[NarrativeSubject] = []
    stated_in: StatedIn | None = None
    by_unit: list[str] = []  # tables (kind or printed title) listing the measure per 单位名称

    @model_validator(mode="after")
    def _consistent(self):
        if self.lookups and not self.tool:
            raise ValueError("a measure with lookups has a `tool` name")
        if self.tool and not self.lookups:
            raise ValueError("a measure with a `tool` name has lookups")
        if self.stated_in is not None and not self.narrative:
            raise ValueError("`stated_in` checks a narrative subject: give `narrative`")
        return self

    @property
    def subject(self) -> str | None:
        """The canonical narrative subject checked against `stated_in`."""
        return self.narrative[0].subject if self.narrative else None

    def referenced_keys(self) -> list[str]:
        refs = [self.parent, self.share_of, self.spent_as, *self.parts,
                self.detail.projects if self.detail else None]
        return [r for r in refs if r]


class Share(Strict):
    part: str
    whole: str
    aliases: list[str] = []


class Registry(Strict):
    about: str = Field("", alias="_about")
    bare_words: dict[str, str] = {}
    same_wordings: dict[str, str] = {}
    function_class_share_of: str | None = None
    shares: dict[str, Share] = {}
    measures: list[Measure]
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Registry:
        keys = [m.key for m in self.measures]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"measure keys given twice: {dupes}")
        known = set(keys)
        missing = [(m.key, r) for m in self.measures for r in m.referenced_keys() if r not in known]
        missing += [("bare_words", k) for k in self.bare_words.values() if k not in known]
        missing += [(f"shares.{n}", k) for n, s in self.shares.items() for k in (s.part, s.whole) if k not in known]
        if self.function_class_share_of and self.function_class_share_of not in known:
            missing.append(("function_class_share_of", self.function_class_share_of))
        if missing:
            raise ValueError(f"unknown measure keys referenced: {missing}")
        for field, values in (("tool", [m.tool for m in self.measures if m.tool]),
                              ("narrative subject", [s.subject for m in self.measures for s in m.narrative])):
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"{field} given to two measures: {twice}")
        owners: dict[str, str] = {}
        for m in self.measures:
            for alias in {_fold(a) for a in (*m.aliases, *m.names)}:
                if owners.setdefault(alias, m.key) != m.key:
                    raise ValueError(f"alias {alias!r} names two measures: {owners[alias]}, {m.key}")
        return self

    # ---- lookups ------------------------------------------------------------------------

    def measure(self, key: str) -> Measure:
        return self._index("key", lambda m: m.key)[key]

    def get(self, key: str) -> Measure | None:
        return self._index("key", lambda m: m.key).get(key)

    def by_tool(self, name: str) -> Measure | None:
        return self._index("tool", lambda m: m.tool).get(name)

    def by_subject(self, subject: str) -> Measure | None:
        """The measure whose (first) narrative subject this is."""
        return self._index("subject", lambda m: m.subject).get(subject)

    def derived(self, name: str, build: Callable[[Registry], Any]) -> Any:
        """A value computed from this registry once (an index, a lexicon, a lookup table)."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def _index(self, name: str, key: Callable[[Measure], str | None]) -> dict[str, Measure]:
        return self.derived(f"core.index.{name}", lambda reg: {k: m for m in reg.measures if (k := key(m))})


def _fold(text: str) -> str:
    """The matching form both the lexicon and the tools use: NFKC, no quotes, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and c not in "\"'“”‘’「」『』")


# ---- loading ----------------------------------------------------------------------------------


def load_model(model: type[BaseModel], path: Path) -> Any:
    """A rule file read through its model; any unknown, missing or mistyped key raises
    RuleFileError naming the file and the key."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RuleFileError(f"{path}: not JSON: {e}") from e
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise RuleFileError(f"{path}: " + "; ".join(_describe(err, data) for err in e.errors())) from None


def _describe(err: ErrorDetails, data: Any) -> str:
    """'measures[basic].aliasez: Extra inputs are not permitted' (a list index by its key)."""
    parts: list[str] = []
    node = data
    for loc in err["loc"]:
        if isinstance(loc, int) and isinstance(node, list) and loc < len(node):
            node = node[loc]
            name = node.get("key") if isinstance(node, dict) else None
            parts.append(f"[{name or loc}]")
            continue
        node = node.get(loc) if isinstance(node, dict) else None
        parts.append(f".{loc}" if parts else str(loc))
    where = "".join(parts) or "(top)"
    return f"{where}: {err['msg']}"


def load_registry(path: Path | str = REGISTRY_FILE) -> Registry:
    return load_model(Registry, Path(path))


_default: Registry | None = None
_active: list[Registry] = []


def registry() -> Registry:
    """The active registry: one swapped in by using_registry, else prompts/measures.json (read once)."""
    global _default
    if _active:
        return _active[-1]
    if _default is None:
        _default = load_registry()
    return _default


@contextmanager
def using_registry(reg: Registry) -> Iterator[Registry]:
    """Make `reg` the registry every reader sees inside the block (a registry under test)."""
    _active.append(reg)
    try:
        yield reg
    finally:
        _active.pop()


__all__ = ["REGISTRY_FILE", "RuleFileError", "Strict", "Measure", "Lookup", "StatedIn", "NarrativeSubject",
           "Registry", "Share", "load_model", "load_registry", "registry", "using_registry"]
