"""Text and number normalisation shared by every parser. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、，。：；（）《》【】"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$")
_MARKUP = re.compile(r"</?b>|\*\*|^#+\s*")


def strip_markup(text: str) -> str:
    """Drop the text export's heading marks (#, **, <b>) without touching content."""
    return _MARKUP.sub("", text.strip()).strip()


def clean_cell(text: str | None) -> str:
    """Cell text as the document means it: markup gone, line breaks and spaces inside
    Chinese text removed ("污 泥处置费" -> "污泥处置费"), other runs of space collapsed."""
    if not text:
        return ""
    text = strip_markup(text.replace("\u00a0", " "))
    text = _SPACE_IN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_amount(text: str | None) -> Decimal | None:
    """'2,392.23' -> Decimal('2392.23'); '' -> None (blank is not zero); non-numbers -> None."""
    if text is None:
        return None
    raw = unicodedata.normalize("NFKC", text).replace(" ", "").replace("−", "-")
    if not raw or not _AMOUNT.match(raw):
        return None
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


# A money unit printed after an amount in prose: 万元, or 元 where a document prints 元 throughout
# ("26,746,576.20元"); not a rate (元/人). parse_money reads an amount so matched as 万元.
PROSE_MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}


def money_unit(name: str = "amount") -> str:
    """The pattern of the unit after the amount group `name`, captured as `{name}_unit`."""
    return rf"\s*(?P<{name}_unit>万?元)(?![/每])"


def parse_money(match, name: str = "amount") -> Decimal | None:
    """The amount group `name` of a match made with money_unit(name), in 万元."""
    if match is None:
        return None
    groups = match.groupdict()
    value = parse_amount(groups.get(name))
    unit = groups.get(f"{name}_unit") or "万元"
    return value * PROSE_MONEY_UNITS[unit] if value is not None and unit != "万元" else value


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def fold(text: str) -> str:
    """A comparison key: NFKC (full-width -> half-width), quotes unified, no whitespace."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return re.sub(r"\s+", "", text)


_QUOTES_AND_BRACKETS = re.compile(r"[\"'“”‘’《》〈〉【】\[\]「」『』]")


def fold_key(text: str) -> str:
    """fold() without quotes or book-title marks: "“三公”经费" and "三公经费" share a key."""
    return _QUOTES_AND_BRACKETS.sub("", fold(text))


_HTML_TAG = re.compile(r"</?(?:p|br|sup|sub|span|div|font|b|i|u|em|strong)\b[^>]*>", re.IGNORECASE)


_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def without_trailing_note(name: str) -> str:
    """"青岚县教育局（本级）" -> "青岚县教育局": a unit's name without the note printed after it."""
    return _TRAILING_NOTE.sub("", name)


def strip_html_tags(text: str) -> str:
    """Drop inline HTML the text export leaves in cells ("<p>…", "m<sup>2</sup>" -> "m2");
    cell-boundary tags (<td>) are not touched: they separate cells."""
    return _HTML_TAG.sub("", text or "")


def location_label(page: int | None, line: int | None) -> str:
    """Where a figure or passage was printed: "第12页" (PDF page), else "第493行" (text-export
    line), else ""."""
    if page:
        return f"第{page}页"
    if line:
        return f"第{line}行"
    return ""


def chars_in_order(piece: str, text: str) -> bool:
    """Every character of `piece` appears in `text`, in order (工信局 in 工业和信息化局)."""
    at = 0
    for ch in piece:
        at = text.find(ch, at) + 1
        if at == 0:
            return False
    return True
