"""Example questions for the chat page, built from the units actually held (templates in
prompts/ui_examples.json: data, not code)."""
from __future__ import annotations

from functools import lru_cache

from core import rules
from core.settings import PROJECT_ROOT

EXAMPLES_FILE = PROJECT_ROOT / "prompts" / "ui_examples.json"


@lru_cache(maxsize=1)
def example_templates() -> tuple[str, ...]:
    return tuple(rules.ui_examples().examples)  # read through core/rules.py's model


def example_questions(docs) -> list[str]:
    """One question per template, the held documents (unit and year) taken in turn."""
    if not docs:
        return []
    return [t.format(unit=docs[i % len(docs)].unit, year=docs[i % len(docs)].year)
            for i, t in enumerate(example_templates())]
