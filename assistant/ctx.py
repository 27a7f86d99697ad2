"""What understanding a question and every answer builder need from the index: the catalog
(units, resolver; the tools read it), held names, the lexicon, and passage search."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from assistant.compose import Reply
from assistant.lexicon import Lexicon
from assistant.names import NameIndex
from core.model import Disclosure
from retrieval.search import Searcher
from tools.catalog import Catalog
from tools.types import Ambiguous, NoData

if TYPE_CHECKING:  # annotations only: assistant/understand.py and targets.py build on Ctx
    from assistant.targets import Target
    from assistant.understand import Understanding


@dataclass
class Ctx:
    catalog: Catalog
    names: NameIndex
    lex: Lexicon
    open_searcher: Callable[[], Searcher | None] = field(default=lambda: None)  # retrieval, opened on first use

    def reply(self) -> Reply:
        return Reply(self.lex, printed_unit_of=self.printed_unit_of)

    def printed_unit_of(self, doc_id: str | None) -> str:
        """The money unit a held document prints (万元 when unknown)."""
        doc = self.catalog.by_id.get(doc_id or "")
        return doc.printed_money_unit if doc is not None else "万元"

    def tool_name(self, key: str) -> str:
        """What the tools call a measure key (or a held row name, "row:住房公积金")."""
        if key.startswith("row:"):
            return key[4:]
        m = self.lex.measures.get(key)
        return (m.tool or m.label) if m else key

    def label(self, key: str) -> str:
        if key.startswith("row:"):
            return path_label(key[4:])
        return self.lex.label(key)

    def parent(self, key: str) -> str | None:
        m = self.lex.measures.get(key)
        return m.parent if m else None

    def document(self, t: Target) -> Disclosure | NoData | Ambiguous:
        return self.catalog.document(t.unit, t.year)

    @staticmethod
    def subject(t: Target) -> str:
        return f"{t.unit}{t.year}年"

    @staticmethod
    def context(u: Understanding, intent: str, targets: list[Target] | None = None) -> dict:
        return {"intent": intent, "units": [t.unit for t in targets or []] or u.units,
                "years": [t.year for t in targets or []] or u.years, "measures": u.measures,
                "rows": u.rows, "projects": u.projects, "code": u.code, "terms": u.terms}


CODE_LEVELS = ("（类）", "（款）", "（项）")


def path_label(name: str) -> str:
    """A 功能科目 path as the documents print it: "一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）"."""
    parts = name.split("/")
    if len(parts) == 1 or len(parts) > len(CODE_LEVELS):
        return name
    return "".join(p + level for p, level in zip(parts, CODE_LEVELS))
