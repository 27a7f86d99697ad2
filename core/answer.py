"""What the assistant returns: the contract of `cli.py batch`, the app and the tests."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["ok", "no_data", "out_of_scope"]


class Source(BaseModel):
    """Where a figure is in the document. `derived` figures (推算) name the inputs in `note`."""

    document: str  # doc_id
    unit: str | None = None
    year: int | None = None
    table: str | None = None  # table kind/title, or None for narrative
    section: str | None = None  # narrative section, e.g. "七、“三公”经费增减变动原因说明"
    row: str | None = None  # 科目编码 or row name
    column: str | None = None
    page: int | None = None
    line: int | None = None
    derived: bool = False
    note: str | None = None


class Figure(BaseModel):
    label: str  # Chinese label shown to users
    value: Decimal
    unit: str  # 万元 / 元 / % / 个 / 辆 / 平方米
    source: Source


class Citation(BaseModel):
    document: str
    unit: str | None = None
    table: str | None = None
    section: str | None = None
    page: int | None = None
    line: int | None = None
    quote: str | None = None  # short verbatim passage, shown as plain text


class Answer(BaseModel):
    status: Status
    answer: str  # Chinese, plain text (the UI must not render it as HTML)
    figures: list[Figure] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    disagreements: list[str] = Field(default_factory=list)  # narrative vs table notes
    table: list[dict] | None = None  # rows for compare/rank answers (table/chart/CSV)
    context: dict = Field(default_factory=dict)  # dialogue state for follow-ups (unit, year, measure…)

    def to_batch(self, qid: str) -> dict:
        return {
            "id": qid,
            "status": self.status,
            "answer": self.answer,
            "figures": [
                {"label": f.label, "value": float(f.value), "unit": f.unit,
                 "source": f.source.model_dump(exclude_none=True)}
                for f in self.figures
            ],
            "citations": [c.model_dump(exclude_none=True) for c in self.citations],
        }
