"""The common intermediate form of both readers: a flat list of blocks in reading order.

The PDF reader and the text reader must produce the same blocks for the same document
(same table cells, same paragraph text); everything after this point is shared.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Block:
    kind: Literal["heading", "paragraph", "table"]
    text: str = ""  # heading/paragraph text; for tables "" (see rows)
    rows: list[list[str]] = field(default_factory=list)  # table cells, "" = blank cell
    page: int | None = None  # PDF page (1-based) of the first line
    line: int | None = None  # text-export line (1-based) of the first line
    row_pages: list[int | None] = field(default_factory=list)  # per table row: page
    row_lines: list[int | None] = field(default_factory=list)  # per table row: line
    ocr: bool = False  # read with OCR from a page without a text layer (parsing/ocr.py)
