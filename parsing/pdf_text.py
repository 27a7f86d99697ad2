"""Text lines of a PDF page and the rules that turn them back into paragraphs.

The PDF wraps a paragraph into lines; the text export has one paragraph per line. A line
continues the paragraph above when the line above ran to the right edge of the text column
(it was wrapped) and this one starts flush left (a new paragraph is indented or short).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

_BOLD = re.compile(r"bold|heavy|black|semibold|demi|黑体|hei", re.IGNORECASE)
_LEADER = re.compile(r"(?:\s*(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*)")
_CONTENTS_ENTRY = re.compile(r"\.{5}\s*\d+$")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Layout:
    """Document-wide text geometry, measured from the body lines."""

    body_size: float
    left: float  # left edge of the text column
    right: float  # right edge of the text column (where wrapped lines end)


def page_lines(page, text_settings: dict) -> list[Line]:
    return [_line(raw) for raw in page.extract_text_lines(**text_settings) if raw["text"].strip()]


def _line(raw: dict) -> Line:
    chars = [c for c in raw["chars"] if c["text"].strip()] or raw["chars"]
    size = statistics.median(c["size"] for c in chars)
    bold = sum(bool(_BOLD.search(c["fontname"])) for c in chars) > len(chars) / 2
    return Line(clean_line_text(raw["text"]), raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, bold)


def clean_line_text(text: str) -> str:
    """Collapse contents-page dot leaders ("一、本部门职责......1" -> "一、本部门职责.....1")."""
    return _LEADER.sub(".....", text).strip()


def measure_layout(lines: list[Line], page_width: float) -> Layout:
    if not lines:
        return Layout(12.0, 0.0, page_width)
    body_size = Counter(round(line.size, 1) for line in lines).most_common(1)[0][0]
    body = [line for line in lines if abs(line.size - body_size) < 0.5] or lines
    xs0 = sorted(line.x0 for line in body)
    left = xs0[len(xs0) // 20]  # 5th percentile: robust to a stray outdented line
    wide = [round(line.x1) for line in body if line.x1 - left > 0.6 * (page_width - 2 * left)]
    right = Counter(wide).most_common(1)[0][0] if wide else page_width - left
    return Layout(body_size, left, right)


def is_heading(line: Line, layout: Layout, size_ratio: float) -> bool:
    return line.bold or line.size >= layout.body_size * size_ratio


def continues(prev: Line, line: Line, layout: Layout, wrap_slack_em: float, indent_em: float) -> bool:
    """`line` carries on the paragraph (or heading) that `prev` ends: `prev` ran to the right
    edge, and `line` starts flush left in the same type style. A centred heading that fills
    the column carries on into the next centred line of its style."""
    if abs(prev.size - line.size) > 0.5 or prev.bold != line.bold:
        return False
    if _CONTENTS_ENTRY.search(prev.text):  # a contents entry ends with its page number
        return False
    slack = wrap_slack_em * prev.size
    if prev.x1 < layout.right - slack:
        return False
    if line.x0 < layout.left + indent_em * line.size:
        return True
    return prev.x0 < layout.left + slack and _centred(line, layout)


def _centred(line: Line, layout: Layout) -> bool:
    return abs((line.x0 - layout.left) - (layout.right - line.x1)) < line.size


def join_wrapped(head: str, tail: str) -> str:
    """Join a wrapped line to the text before it: Chinese text and numbers wrap anywhere
    ("11." / "87万元"), so no space; only two Latin words get one."""
    if head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha():
        return f"{head} {tail}"
    return head + tail


def join_lines(text: str) -> str:
    """A multi-line cell's text as one string."""
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        joined = join_wrapped(joined, part)
    return joined
