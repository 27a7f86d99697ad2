"""The assistant: question (+ earlier questions) in, Answer out. Rule-based, no LLM.

    assistant = open_assistant("var/index")      # loads the index once
    answer = assistant.ask("城管局2025年三公经费是多少？")
    answer = assistant.ask("其中公务接待费呢？", history=["城管局2025年三公经费是多少？"])
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from assistant.compose import joined
from assistant.ctx import Ctx
from assistant.dialogue import follow
from assistant.intent import decide_intent
from assistant.lexicon import load_lexicon, norm
from assistant.names import NameIndex
from assistant.reply_changes import answer_change, answer_prior_year
from assistant.reply_compare import answer_compare
from assistant.reply_counts import answer_counted
from assistant.reply_figures import answer_figures, answer_overview
from assistant.reply_generic import answer_generic
from assistant.reply_members import answer_member, answer_member_change
from assistant.reply_passages import answer_heading, answer_passage
from assistant.reply_projects import answer_performance, answer_project
from assistant.reply_rank import answer_rank
from assistant.reply_reference import answer_code, answer_glossary
from assistant.reply_scope import answer_no_target, answer_not_understood, answer_out_of_scope
from assistant.reply_shares import answer_share
from assistant.targets import NoTarget, Target, resolve_targets
from assistant.understand import Understanding
from core.answer import Answer
from core.generations import current_generation
from core.settings import settings
from core.text import location_label
from retrieval.search import IndexNotBuilt, open_searcher
from tools.catalog import Catalog
from tools.trace import recording

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[Ctx, Understanding, Target], Answer]] = {
    "figure": answer_figures,
    "count": answer_figures,
    "change": answer_change,
    "narrative": lambda ctx, u, t: answer_change(ctx, u, t, intent="narrative"),
    "share": answer_share,
    "rank": answer_rank,
    "project": answer_project,
    "performance": answer_performance,
    "overview": answer_overview,
    "passage": answer_passage,
    "heading": answer_heading,
}


# intents whose answer is a passage or a guess: a quoted name found in a generic table beats them
GENERIC_FIRST = ("passage", "overview", "project", "performance")
MEMBER_INTENTS = ("figure", "overview", "share")  # what a 部门's member unit is asked by its row
PROJECT_COUNT = "performance.projects"  # "厅本级有几个项目": a member's projects, counted


# the Understanding fields `explain` shows (the rest is working state)
EXPLAINED_FIELDS = {"units", "ambiguous", "unknown_units", "years", "relative_year", "measures", "rows", "projects",
                    "heading", "unknown_project", "indicators", "code", "terms", "quoted", "cues", "share_whole",
                    "within", "rank_what", "topic", "inherited"}
ALWAYS_EXPLAINED = {"units", "years", "measures", "cues"}  # shown even when nothing was found


def _where(source) -> str:
    place = source.table or source.section or ""
    cell = "/".join(str(x) for x in (source.row, source.column) if x)
    at = location_label(source.page, source.line)
    derived = "（推算）" if source.derived else ""
    return f"{source.document} {place} {cell} {at}{derived}".strip()


class Assistant:
    def __init__(self, catalog, index_dir: str | Path | None = None):
        self.catalog = catalog
        self.index_dir = index_dir
        self.names = NameIndex(catalog.disclosures)
        self.lexicon = load_lexicon()
        self.ctx = Ctx(catalog, self.names, self.lexicon, open_searcher=self.searcher)
        self._searcher = None

    def searcher(self):
        """The passage searcher of the same index, opened on first use (None without an index)."""
        if self._searcher is None and self.index_dir is not None:
            try:
                self._searcher = open_searcher(Path(self.index_dir))
            except IndexNotBuilt:
                return None
        return self._searcher

    def understand(self, question: str, history: list | None = None) -> Understanding:
        return follow(history, question, self.ctx, answer_context=lambda state: self.respond(state).context)

    def ask(self, question: str, history: list | None = None) -> Answer:
        try:
            return self.respond(self.understand(question, history))
        except Exception:  # one bad question must not end a batch or a chat session
            log.exception("failed to answer %r", question)
            return Answer(status="no_data", answer=self.lexicon.template("internal_error"),
                          context={"intent": "error"})

    def explain(self, question: str, history: list | None = None) -> dict:
        """How a question is understood and answered, for whoever tunes the rules in prompts/:
        what was recognised, the intent, the documents chosen, and where each figure came from."""
        u = self.understand(question, history)
        intent = decide_intent(u)
        targets = resolve_targets(u, self.catalog, comparing=intent == "compare") if intent != "out_of_scope" else None
        with recording() as calls:  # the tools answering it, in order, with the query each got
            answer = self.ask(question, history)
        recognised = (u.model_dump(include=ALWAYS_EXPLAINED)
                      | u.model_dump(include=EXPLAINED_FIELDS, exclude_defaults=True))
        return {
            "understood": recognised,
            "intent": intent,
            "targets": ([f"{t.unit} {t.year}" for t in targets] if isinstance(targets, list)
                        else getattr(targets, "reason", None)),
            "tools": [call.model_dump(exclude_defaults=True) for call in calls],
            "status": answer.status,
            "figures": [f"{f.label} = {f.value}{f.unit} <- {_where(f.source)}" for f in answer.figures],
        }

    def respond(self, u: Understanding) -> Answer:
        intent = decide_intent(u)
        if intent == "out_of_scope":
            return answer_out_of_scope(self.ctx, u)
        targets = resolve_targets(u, self.catalog, comparing=intent == "compare")
        if intent in ("glossary", "code"):
            target = targets[0] if isinstance(targets, list) else None
            if isinstance(targets, NoTarget) and targets.reason in ("no_year", "future_year"):
                target = None
            if intent == "code":
                return answer_code(self.ctx, u, target)
            return self.with_term_amount(u, target, answer_glossary(self.ctx, u, target))
        if isinstance(targets, NoTarget):
            return answer_no_target(self.ctx, u, targets)
        if intent == "compare":
            return answer_compare(self.ctx, u, targets)
        target = targets[0]
        if u.member and intent == "change" and (answer := answer_member_change(self.ctx, u, target)) is not None:
            return answer
        if u.member and (intent in MEMBER_INTENTS or (intent == "count" and PROJECT_COUNT in u.measures)):
            return answer_member(self.ctx, u, target)
        if target.prior_only:
            return answer_prior_year(self.ctx, u, target)
        if intent in GENERIC_FIRST and u.quoted:  # a quoted row of a table no tool reads
            answer = answer_generic(self.ctx, u, target)
            if answer is not None:
                return answer
        if u.has("count"):  # "下面有几个市场监管所": a count the text states, of no measure
            answer = answer_counted(self.ctx, u, target)
            if answer is not None:
                return answer
        answer_intent = HANDLERS.get(intent)
        if answer_intent is None:
            return answer_not_understood(self.ctx, u)
        return self.with_next_year_missing(u, target, answer_intent(self.ctx, u, target))

    def with_term_amount(self, u: Understanding, target: Target | None, answer: Answer) -> Answer:
        """"政府性基金预算是啥？这部分钱有多少": the definition, then the unit's amount of the
        measure the term names."""
        asks = self.lexicon.pattern("asks_amount").search(u.text)
        if target is None or answer.status != "ok" or not u.terms or not asks:
            return answer
        hits = self.lexicon.find_measures(norm(u.terms[0]))
        if not hits:
            return answer
        measure = max(hits, key=lambda h: h.end - h.start).key
        asked = u.model_copy(update={"measures": [measure], "cues": [c for c in u.cues if c != "glossary"]})
        return joined(answer, answer_figures(self.ctx, asked, target))  # or why there is none (本表无数据)

    def with_next_year_missing(self, u: Understanding, target: Target, answer: Answer) -> Answer:
        """"今年安排多少？明年还要多少": the year after the latest document is not published yet."""
        held = self.catalog.years(target.unit)
        if not (u.relative_year == "this" and u.has("next_year") and held and target.year == held[-1]):
            return answer
        missing = self.lexicon.template("future_year", unit=target.unit, year=target.year + 1,
                                        held="、".join(f"{y}年" for y in held))
        return answer.model_copy(update={"answer": f"{answer.answer}\n\n{missing}"})


_OPEN: dict[str, Assistant] = {}
_LOCK = threading.Lock()


def open_assistant(index_dir: str | Path | None = None) -> Assistant:
    """The assistant over an index directory (default: settings().index_dir), loaded once per
    directory and generation: a new build (DIR/CURRENT moved on) is picked up by the next call,
    answers in between come from one consistent generation."""
    directory = Path(index_dir) if index_dir is not None else settings().index_dir
    generation = current_generation(directory)
    key = f"{directory.resolve()}|{generation}"
    with _LOCK:
        if key not in _OPEN:
            for old in [k for k in _OPEN if k.startswith(f"{directory.resolve()}|")]:
                del _OPEN[old]
            _OPEN[key] = Assistant(Catalog.open(directory), index_dir=directory)
        return _OPEN[key]
