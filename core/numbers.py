"""Number helpers shared by the parser, the checks and the tools. Pure functions."""
from __future__ import annotations

from decimal import Decimal

# rounding differences the documents themselves note (尾差): sums of figures printed to 0.01
TOLERANCE = Decimal("0.03")

CN_DIGITS = "一二三四五六七八九十"


def cn_number(text: str | None) -> int | None:
    """A small number as the documents number things: "12" -> 12, 一 -> 1, 十二 -> 12,
    二十 -> 20, 二十一 -> 21; anything else -> None."""
    if not text:
        return None
    if text.isdecimal():
        return int(text)
    if any(c not in CN_DIGITS for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)
