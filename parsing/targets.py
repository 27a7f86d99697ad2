"""项目支出绩效目标表: one form per project -> PerformanceTarget (amounts in 元).

The forms are spreadsheets printed to PDF, and their merged cells drift: a row's cells can
sit one or two columns left of their header, level-1/level-2 cells are blank when carried
down from the row above, a page break can split a row, and the 实施期 and 年度 halves of a
row do not always line up. So every row is read as a sequence of non-blank tokens in
reading order, each classified by meaning (a form label, a level-1 or level-2 indicator
name, or other text), never by its column alone.

    targets = parse_targets(blocks, doc_id)

The vocabulary (titles, row labels, indicator levels, fund sources) is data, in
parsing/lexicon/performance_targets.json.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from core.model import Indicator, Location, PerformanceTarget
from core.text import clean_cell, fold, parse_amount, strip_html_tags
from parsing.blocks import Block

LEXICON = Path(__file__).resolve().parent / "lexicon" / "performance_targets.json"

PERIODS_DUAL = ("实施期", "年度")
PERIODS_YEAR = ("年度",)
# head fields of a form; "code" (科目编码 | 2080208 beside the name) is read only to keep it out of the name
HEAD_FIELDS = ("project", "department", "implementer", "attribute", "duration", "code")
TEXT_FIELDS = ("overview", "basis", "necessity", "measures", "plan")

# Exported HTML cell fragments ("修缮完成时间 <td>2025年9月</td>") are two cells run together.
_TD = re.compile(r"</?t[dh][^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Terms:
    title: re.Pattern
    title_exclude: tuple[str, ...]
    title_max: int
    breaks: tuple[re.Pattern, ...]
    labels: tuple[tuple[str, str], ...]  # (folded label prefix, field), longest first
    exact_labels: dict[str, str]  # labels that are also prefixes of other words (实施期)
    label_max: int
    totals: dict[str, str]
    sources: tuple[tuple[str, str], ...]
    funds_label_max: int
    header_words: frozenset[str]
    fragments_of: tuple[str, ...]  # vertical labels a page break may cut ("绩效指" … "标")
    level1: frozenset[str]
    ambiguous: dict[str, frozenset[str]]  # level-1 when followed by one of its level-2 names
    level2: frozenset[str]
    level2_patterns: tuple[re.Pattern, ...]
    level2_parent: tuple[tuple[str, str], ...]  # (level-2 name prefix, level-1 name)


@lru_cache(maxsize=1)
def terms() -> Terms:
    raw = json.loads(LEXICON.read_text(encoding="utf-8"))
    labels = [
        (fold(label), name)
        for name, values in raw["fields"].items()
        if not name.startswith("_")
        for label in values
    ]
    labels.sort(key=lambda pair: -len(pair[0]))
    return Terms(
        title=re.compile(raw["title"]["pattern"]),
        title_exclude=tuple(raw["title"]["exclude"]),
        title_max=raw["title"]["max_length"],
        breaks=tuple(re.compile(p) for p in raw["section_break"]["patterns"]),
        labels=tuple(labels),
        exact_labels={fold(k): v for k, v in raw["exact_fields"].items() if not k.startswith("_")},
        label_max=raw["label_max_length"],
        totals={fold(k): v for k, v in raw["funds"]["totals"].items()},
        sources=tuple((fold(k), v) for k, v in raw["funds"]["sources"]),
        funds_label_max=raw["funds"]["label_max_length"],
        header_words=frozenset(fold(w) for w in raw["grid_header_words"]),
        fragments_of=tuple(fold(w) for w in raw["label_fragments_of"]),
        level1=frozenset(fold(w) for w in raw["level1"]),
        ambiguous={
            fold(k): frozenset(fold(c) for c in v) for k, v in raw["level1_or_level2"].items() if not k.startswith("_")
        },
        level2=frozenset(fold(w) for w in raw["level2"]),
        level2_patterns=tuple(re.compile(p) for p in raw["level2_patterns"]),
        level2_parent=tuple(
            (fold(prefix), parent)
            for parent, prefixes in raw["level2_parent"].items()
            if not parent.startswith("_")
            for prefix in prefixes
        ),
    )


# ---------------------------------------------------------------------------- tokens


@dataclass
class Token:
    text: str
    col: int
    page: int | None
    line: int | None

    @property
    def key(self) -> str:
        return fold(self.text)


@dataclass
class Row:
    cells: list[str]
    page: int | None
    line: int | None

    @property
    def tokens(self) -> list[Token]:
        return row_tokens(self.cells, self.page, self.line)


def row_tokens(cells: list[str], page: int | None, line: int | None) -> list[Token]:
    tokens = []
    for col, cell in enumerate(cells):
        for piece in _TD.split(cell or ""):
            text = clean_cell(strip_html_tags(piece))
            if text:
                tokens.append(Token(text, col, page, line))
    return tokens


def mend_page_break(previous: Row, row: Row) -> bool:
    """Join the cells a page break cut in two back onto the row above; True when the whole
    row was such a remainder ("2022年污" … "泥、粪便处理量", "效益指" … "标").

    A remainder cell sits under a non-blank cell of the same column. The whole row is a
    remainder when it names no indicator level, no form label and is not just amounts,
    cannot be read as name/value pairs, and sits under neither a label nor an amount (those
    take their value from the next row); a single cell is one when the two halves make an
    indicator-level name."""
    if len(previous.cells) != len(row.cells):
        return False
    filled = [c for c, cell in enumerate(row.cells) if clean_cell(cell)]
    under = [c for c in filled if clean_cell(previous.cells[c])]
    if not filled:
        return False
    tokens = row.tokens
    # a row naming a form or funds label ("其他资金 | | 其他资金") is a row of its own, and so
    # is a row of amounts under their labels ("770,000 | | 770,000")
    remainder = (
        all(kind_of(t.text) == "other" and not _names_label(t.text) for t in tokens)
        and not all(parse_amount(t.text) is not None for t in tokens)
        and (len(filled) % 2 == 1 or len({t.key for t in tokens}) == 1)  # cells, not <td> pieces, pair up
    )
    # text under a label or an amount is that label's value, never the rest of a cut cell
    complete = any(parse_amount(previous.cells[c]) is not None or _names_label(previous.cells[c]) for c in filled)
    if remainder and under == filled and not complete:
        for c in filled:
            previous.cells[c] = clean_cell(previous.cells[c]) + clean_cell(row.cells[c])
        return True
    for c in under:
        head, tail = clean_cell(previous.cells[c]), clean_cell(row.cells[c])
        if kind_of(head) == "other" and kind_of(head + tail) != "other":
            previous.cells[c], row.cells[c] = head + tail, ""
    return False


def _names_label(text: str) -> bool:
    return label_of(text) is not None or funds_label(text) is not None


def label_of(text: str) -> str | None:
    """The form field a label cell names ("项目资金(元)" -> "funds"), or None."""
    key = fold(text).rstrip(":：")
    t = terms()
    if len(key) > t.label_max:  # text that merely starts like a label
        return None
    if key in t.exact_labels:
        return t.exact_labels[key]
    for prefix, name in t.labels:
        if key.startswith(prefix):
            return name
    return None


def funds_label(text: str) -> tuple[str, str] | None:
    """("total", period) | ("source", canonical name) | None."""
    key = re.sub(r"[、，,:：]", "", fold(text))  # "市、县(区)财政资金", "其中:中央财政资金"
    t = terms()
    if len(key) > t.funds_label_max:  # a sentence that mentions 市县, not a label
        return None
    for label, period in t.totals.items():
        if label in key:
            return "total", period
    for needle, name in t.sources:
        if needle in key:
            return "source", name
    return None


def kind_of(text: str) -> str:
    """"header" | "l1" | "l1|l2" | "l2" | "other" for a grid token."""
    key = fold(text)
    t = terms()
    if key in t.header_words or any(key in label for label in t.fragments_of):
        return "header"
    if key in t.ambiguous:
        return "l1|l2"
    if key in t.level1:
        return "l1"
    if key in t.level2 or any(p.match(key) for p in t.level2_patterns):
        return "l2"
    return "other"


def is_level1(tokens: list[Token]) -> bool:
    """Does the row open with a level-1 name? 成本指标 is one only when one of its own
    level-2 names follows; otherwise it is the level-2 成本指标 of older forms."""
    kind = kind_of(tokens[0].text)
    if kind == "l1":
        return True
    if kind == "l1|l2" and len(tokens) > 1:
        return tokens[1].key in terms().ambiguous[tokens[0].key]
    return False


def parent_of(level2: str | None) -> str | None:
    """The template's level-1 name for a level-2 name, for grids that print none."""
    if level2 is None:
        return None
    key = fold(level2)
    return next((parent for prefix, parent in terms().level2_parent if key.startswith(prefix)), None)


def is_title(text: str) -> bool:
    t = terms()
    key = fold(text)
    return (
        len(key) <= t.title_max
        and t.title.search(key) is not None
        and not any(word in key for word in t.title_exclude)
    )


def is_break(text: str) -> bool:
    key = fold(text)
    return any(p.search(key) for p in terms().breaks)


# ---------------------------------------------------------------------------- regions


@dataclass
class Region:
    title: Block | None
    rows: list[Row] = field(default_factory=list)
    has_project: bool = False
    closed: bool = False  # the footer (负责人/填报日期) has been read
    notes: list[str] = field(default_factory=list)  # lines printed between its grids (单位：万元, 当年绩效目标：…)

    def next_form(self, title: Block | None) -> Region:
        """The region of the next form of a run; the run's unit line, printed once above its
        first form, holds for every form."""
        return Region(title=title, notes=[n for n in self.notes if _UNIT.search(n)])


_PROJECT_LINE = re.compile(r"^项目名称\s*[:：]\s*(?P<name>\S.{1,60})$")


def find_regions(blocks: list[Block]) -> list[Region]:
    """Group table rows into one region per form: from a title line (or, inside a run of
    forms, a 项目名称 row) to the next title, section break or form footer."""
    regions: list[Region] = []
    current: Region | None = None
    for block in blocks:
        if block.kind != "table":
            text = clean_cell(block.text)
            named = _PROJECT_LINE.match(text)
            if is_title(text):
                current = Region(title=block)
                regions.append(current)
            elif is_break(text):
                current = None
            elif current is not None and named:  # "项目名称：X" printed above its form's grid
                current = current.next_form(block)
                current.rows.append(Row(["项目名称", named["name"]], block.page, block.line))
                current.has_project = True
                regions.append(current)
            elif current is not None:
                current.notes.append(text)
            continue
        for i, cells in enumerate(block.rows):
            page = block.row_pages[i] if i < len(block.row_pages) else block.page
            line = block.row_lines[i] if i < len(block.row_lines) else block.line
            row = Row(list(cells), page, line)
            if i == 0 and current is not None and current.rows and not current.closed:
                if mend_page_break(current.rows[-1], row):
                    continue
            tokens = row.tokens
            if not tokens:
                continue
            if len(tokens) == 1 and is_title(tokens[0].text):  # a title printed inside the grid
                current = Region(title=None)
                regions.append(current)
                continue
            label = label_of(tokens[0].text)
            if label == "project" and (
                (current is not None and current.has_project)
                or (current is None and opens_form(block.rows[i + 1 : i + 4]))
            ):
                # a form whose title line is missing
                current = current.next_form(None) if current is not None else Region(title=None)
                regions.append(current)
            if current is None or current.closed:
                continue
            if label == "project":
                current.has_project = True
            current.rows.append(row)
            if label == "footer":
                current.closed = True
    return regions


def opens_form(next_rows: list[list[str]]) -> bool:
    """A 项目名称 row opens a form (not a 项目支出预算表 header) when form labels follow."""
    for cells in next_rows:
        tokens = row_tokens(cells, None, None)
        if tokens and label_of(tokens[0].text) in ("department", "implementer", "attribute", "funds"):
            return True
    return False


# ---------------------------------------------------------------------------- funds


def parse_funds(rows: list[list[Token]], periods: tuple[str, ...]) -> dict[tuple[str, str], Decimal | None]:
    """Pair each fund label with its amount.

    An amount belongs to the nearest label before it on its row; a row of amounts only
    fills the labels the row above left without one, in order. Totals name their period.
    A source printed twice on a row is 实施期 then 年度; printed once, it is 年度 when it
    sits at or right of the 年度资金总额 label (cells drift left, never right), otherwise
    it takes the next period not yet seen. Amounts before the first label of a row whose
    label is 年度 are that source's 实施期 amount, its label cell left blank. A label
    without an amount is blank (None), not zero."""
    values: dict[tuple[str, str], Decimal | None] = {}
    seen: dict[str, int] = {}
    year_col: int | None = None
    waiting: list[tuple[str, str]] = []  # labels of the previous row still without an amount
    for tokens in rows:
        labelled = [(t, funds_label(t.text)) for t in _label_and_amount_split(tokens)]
        per_row: dict[str, int] = {}
        for token, label in labelled:
            if label == ("total", periods[-1]) and len(periods) > 1:
                year_col = token.col
            if label and label[0] == "source":
                per_row[label[1]] = per_row.get(label[1], 0) + 1
        row_labels: list[tuple[str, str]] = []
        open_label: tuple[str, str] | None = None
        orphans: list[Decimal] = []  # amounts before any label on this row
        ordinal: dict[str, int] = {}
        for token, label in labelled:
            if label is not None:
                kind, name = label
                if kind == "total":
                    key = (name, "total")
                else:
                    if per_row[name] > 1:
                        period = periods[min(ordinal.get(name, 0), len(periods) - 1)]
                    elif year_col is not None and token.col >= year_col:
                        period = periods[-1]
                    else:
                        period = periods[min(seen.get(name, 0), len(periods) - 1)]
                    ordinal[name] = ordinal.get(name, 0) + 1
                    seen[name] = seen.get(name, 0) + 1
                    key = (period, name)
                    if orphans and period == periods[-1] and len(periods) > 1:
                        values.setdefault((periods[0], name), orphans[-1])
                    orphans = []
                values.setdefault(key, None)
                row_labels.append(key)
                open_label = key
                continue
            amount = parse_amount(token.text)
            if amount is None:
                continue
            if open_label is not None:
                values[open_label] = amount
                row_labels.remove(open_label)
                open_label = None
            elif not any(label for _, label in labelled) and waiting:
                values[waiting.pop(0)] = amount
            elif not row_labels:
                orphans.append(amount)
        if row_labels:
            waiting = row_labels
    return values


_LABEL_AMOUNT = re.compile(r"^(?P<label>\D+?)[:：\s]*(?P<amount>\d[\d,]*(?:\.\d+)?)$")


def _label_and_amount_split(tokens: list[Token]) -> list[Token]:
    """"年度资金总额:2,640,000", "其中:中央财政资金 0": a label and its amount printed in one cell."""
    out = []
    for token in tokens:
        m = _LABEL_AMOUNT.match(token.text)
        if m and funds_label(m["label"]) is not None:
            out += [Token(m["label"], token.col, token.page, token.line),
                    Token(m["amount"], token.col, token.page, token.line)]
        else:
            out.append(token)
    return out


# ---------------------------------------------------------------------------- indicators


@dataclass
class Half:
    level2: Token | None
    others: list[Token]
    repeated: bool = False  # the row printed the same cells twice (both periods alike)


class Grid:
    """Reads indicator rows, carrying level-1 and per-period level-2 down the grid."""

    def __init__(self, periods: tuple[str, ...], doc_id: str):
        self.periods = periods
        self.doc_id = doc_id
        self.level1: str | None = None
        self.carry: dict[str, str | None] = {p: None for p in periods}
        self.year_cols: dict[str, int] = {}  # "l2"/"l3" -> column of the 年度 二级/三级指标 header
        self.indicators: list[Indicator] = []

    def header(self, tokens: list[Token]) -> None:
        for key, word in (("l2", "二级指标"), ("l3", "三级指标")):
            cols = [t.col for t in tokens if t.key == word]
            if len(cols) >= 2:
                self.year_cols[key] = cols[1]

    def row(self, tokens: list[Token]) -> None:
        self.header(tokens)
        tokens = [t for t in tokens if kind_of(t.text) != "header"]
        if not tokens:
            return
        if is_level1(tokens):
            self.level1 = tokens[0].text
            self.carry = {p: None for p in self.periods}
            tokens = tokens[1:]
        halves = self.split(self.segments(tokens))
        pairs = {p: self.pair(self.as_level3(p, h)) for p, h in halves.items()}
        self.mirror(pairs)
        for period, (level2, pair) in pairs.items():
            if level2 is not None:
                self.carry[period] = level2
            if pair is not None:
                level3, value = pair
                level2 = self.carry[period]
                self.indicators.append(
                    Indicator(
                        period=period,
                        level1=self.level1 or parent_of(level2),
                        level2=level2,
                        level3=level3.text,
                        value=value.text,
                        location=Location(document=self.doc_id, page=level3.page, line=level3.line),
                    )
                )

    def finish(self) -> list[Indicator]:
        """Rows above the first printed level names take them: a merged label cell prints
        its text in the middle of the rows it spans, not on the first."""
        for period in self.periods:
            unnamed: list[Indicator] = []
            for item in (i for i in self.indicators if i.period == period):
                if item.level1 is None and item.level2 is None:
                    unnamed.append(item)
                    continue
                for earlier in unnamed:
                    earlier.level1, earlier.level2 = item.level1, item.level2
                break
        return self.indicators

    @staticmethod
    def segments(tokens: list[Token]) -> list[Half]:
        """Split at level-2 names: [l2? other*] [l2 other*] …, repeated text collapsed."""
        segments: list[Half] = []
        for token in tokens:
            kind = kind_of(token.text)
            if kind in ("l2", "l1|l2"):
                segments.append(Half(token, []))
            elif kind == "l1":
                continue  # a level-1 name out of place carries no indicator
            else:
                if not segments:
                    segments.append(Half(None, []))
                others = segments[-1].others
                if not others or others[-1].key != token.key:
                    others.append(token)
        for segment in segments:  # the same cells exported twice: a b a b -> a b
            others, half = segment.others, len(segment.others) // 2
            if half and len(others) % 2 == 0 and [t.key for t in others[:half]] == [t.key for t in others[half:]]:
                segment.others = others[:half]
                segment.repeated = True
        return segments

    def split(self, segments: list[Half]) -> dict[str, Half]:
        """Assign segments to periods: one half per period, the rest is overflow."""
        if len(segments) > len(self.periods):
            # drifted labels with nothing beside them, then lone stray cells, go first
            kept = [s for s in segments if s.others] or segments
            if len(kept) > len(self.periods):
                kept = [s for s in kept if s.level2 is not None or len(s.others) >= 2] or kept
            segments = kept
        if not segments:
            return {}
        if len(self.periods) == 1:
            return {self.periods[0]: segments[0]}
        first, second = self.periods
        if len(segments) >= 2:
            return {first: segments[0], second: segments[1]}
        only = segments[0]
        if only.repeated and only.level2 is None:
            return {first: only, second: Half(None, only.others)}
        n = len(only.others)
        if n >= 4:
            cut = n // 2 if n % 2 == 0 else 2
            return {first: Half(only.level2, only.others[:cut]), second: Half(None, only.others[cut:])}
        lead = only.level2 or (only.others[0] if only.others else None)
        start = self.year_cols.get("l2" if only.level2 else "l3")
        if lead is not None and start is not None and lead.col >= start:
            return {second: only}  # cells drift left, never right: this is the 年度 half
        return {first: only}

    def as_level3(self, period: str, half: Half) -> Half:
        """A level-2 name repeated under its own group with one cell after it is an
        indicator named like its group (服务对象满意度 | >95%), not a new group."""
        if half.level2 is not None and len(half.others) == 1 and half.level2.key == fold(self.carry[period] or ""):
            return Half(None, [half.level2, *half.others])
        return half

    @staticmethod
    def pair(half: Half) -> tuple[str | None, tuple[Token, Token] | None]:
        level2 = half.level2.text if half.level2 is not None else None
        others = half.others
        if len(others) == 3:
            if level2 is None:  # a level-2 name outside the vocabulary, in its own column
                level2, others = others[0].text, others[1:]
            else:  # text run over from the row above
                others = others[1:]
        if len(others) >= 2:
            return level2, (others[-2], others[-1])  # any earlier text ran over from above
        return level2, None

    @staticmethod
    def mirror(pairs: dict[str, tuple[str | None, tuple[Token, Token] | None]]) -> None:
        """The same indicator in both periods has one level-2: where one half printed it and
        the other did not (its cell drifted), use the printed one for both."""
        if len(pairs) != 2:
            return
        (p1, (l2a, a)), (p2, (l2b, b)) = pairs.items()
        if a is None or b is None or a[0].key != b[0].key:
            return
        if l2a is None and l2b is not None:
            pairs[p1] = (l2b, a)
        elif l2b is None and l2a is not None:
            pairs[p2] = (l2a, b)


# ---------------------------------------------------------------------------- forms


def parse_form(region: Region, doc_id: str) -> PerformanceTarget | None:
    head: dict[str, list[str]] = {}
    pending: list[str] = []  # head fields whose label was read but whose value was not yet
    texts: dict[str, list[str]] = {}
    goals: list[Token] = []
    year_goal_col: int | None = None
    funds_rows: list[list[Token]] = []
    grid_rows: list[list[Token]] = []
    dual = False
    state = "head"
    first = 1 if region.has_project else 0  # "项目名称：X" printed above the grid is the form's first row
    printed = region.rows[:first] + _note_rows(region) + region.rows[first:]
    rows, named_indicators = named_indicator_grid(interleave_column_heads(printed), doc_id)
    goals += [Token(rest, 0, None, None) for note in region.notes
              for head_text, sep, rest in [note.partition("：")] if sep and rest and label_of(head_text) == "goal"]

    for row in rows:
        tokens = row.tokens
        label = label_of(tokens[0].text)
        first_kind = kind_of(tokens[0].text)
        if state == "grid" and label not in ("project", "footer"):
            label = None
        if label is None and state != "grid" and (
            first_kind == "header" or (state.startswith("goal") and first_kind != "other")
        ):
            label = "grid"  # the grid's header row, or its first row when the header is missing
        if label == "footer":
            break
        if label is None and state != "grid" and funds_label(tokens[0].text) is not None:
            state = "funds"
        if label in HEAD_FIELDS:
            state = "head"
            field_name = None
            pending = []  # a label left blank on an earlier row stays blank
            for token in tokens:
                name = label_of(token.text)
                if name in HEAD_FIELDS:
                    field_name = name
                    head.setdefault(name, [])
                    pending.append(name)
                elif field_name is not None:
                    head[field_name].append(token.text)
                    if field_name in pending:
                        pending.remove(field_name)
        elif label == "funds":
            state = "funds"
            funds_rows.append(tokens[1:])
        elif label in TEXT_FIELDS:
            state = label
            # a funds label drifted into this row belongs to the funds block, not the text
            texts.setdefault(label, []).extend(t.text for t in tokens[1:] if funds_label(t.text) is None)
        elif label == "goal_header":
            dual = dual or any(t.key.startswith("实施期") for t in tokens)
            year_goal_col = next((t.col for t in tokens if t.key.startswith("年度")), None)
            state = "goal_header"
        elif label == "goal":
            state = "goal"
            goals.extend(tokens[1:])
        elif label == "grid":
            state = "grid"
            grid_rows.append(tokens)
        elif state == "head" and pending:
            for token in tokens:
                if pending:
                    head[pending.pop(0)].append(token.text)
        elif state == "funds":
            funds_rows.append(tokens)
        elif state in TEXT_FIELDS:
            texts[state].extend(t.text for t in tokens)
        elif state == "goal":
            goals.extend(tokens)
        elif state == "grid":
            grid_rows.append(tokens)

    project = "".join(head.get("project", []))
    if not project:
        return None
    dual = dual or any(funds_label(t.text) == ("total", "实施期") for r in funds_rows for t in r) or any(
        sum(t.key == "三级指标" for t in r) >= 2 for r in grid_rows
    )
    periods = PERIODS_DUAL if dual else PERIODS_YEAR
    funds = parse_funds(funds_rows, periods)
    grid = Grid(periods, doc_id)
    for tokens in grid_rows:
        grid.row(tokens)

    goal_total, goal_year = split_goals(goals, dual, year_goal_col)

    anchor = region.title or region.rows[0]
    location = Location(document=doc_id, page=anchor.page, line=anchor.line)
    return PerformanceTarget(
        project=project,
        department=_joined(head.get("department")),
        implementer=_joined(head.get("implementer")),
        attribute=_joined(head.get("attribute")),
        duration=_joined(head.get("duration")),
        funds_total=funds.get(("实施期", "total")),
        funds_year=funds.get(("年度", "total")),
        funds_detail={f"{period}/{name}": v for (period, name), v in funds.items() if name != "total"},
        overview=_joined(texts.get("overview")),
        basis=_joined(texts.get("basis")),
        necessity=_joined(texts.get("necessity")),
        measures=_joined(texts.get("measures")),
        plan=_joined(texts.get("plan")),
        goal_total=goal_total,
        goal_year=goal_year,
        indicators=grid.finish() + named_indicators,
        location=location,
        unit=_printed_unit(region),
    )


_UNIT = re.compile(r"单位[:：]\s*(万元|元)|[（(](万元|元)[）)]")


def _printed_unit(region: Region) -> str:
    """The form's money unit as printed ("单位：万元" above the form, "项目资金（万元）"); the national
    form's 元 when it prints none."""
    texts = [region.title.text] if region.title is not None else []
    texts += [t.text for row in region.rows for t in row.tokens if label_of(t.text) in (None, "funds")][:40]
    texts += region.notes
    for text in texts:
        m = _UNIT.search(text)
        if m:
            return m.group(1) or m.group(2)
    return "元"


@lru_cache(maxsize=1)
def _note_field() -> re.Pattern:
    """"主管部门：X实施单位：Y": a form label, its value up to the next form label (spaces may be lost)."""
    labels = "|".join(sorted((re.escape(label) for label, _ in terms().labels), key=len, reverse=True))
    return re.compile(rf"(?P<label>{labels})[：:]\s*(?P<value>[^：:]+?)\s*(?=(?:{labels})[：:]|$)")


def _note_rows(region: Region) -> list[Row]:
    """A form's head printed as lines above its grid ("主管部门：X        实施单位：Y") read as the row a
    form table would have (its 年度绩效目标 line is read as the goal)."""
    rows: list[Row] = []
    line = region.title.line if region.title is not None else None
    for note in region.notes:
        fields = [(m["label"], m["value"].strip()) for m in _note_field().finditer(note)]
        if fields and all(label_of(label) in HEAD_FIELDS for label, _ in fields):
            rows.append(Row([x for pair in fields for x in pair], None, line))
    return rows


def interleave_column_heads(rows: list[Row]) -> list[Row]:
    """A head printed as a header row of labels over a row of values (项目名称 | 主管部门 |
    年度资金总额 over 社区运转经费 | 某街道 | 986.40) -> one row of label, value pairs."""
    out: list[Row] = []
    skip = False
    for i, row in enumerate(rows):
        if skip:
            skip = False
            continue
        tokens = row.tokens
        below = rows[i + 1].tokens if i + 1 < len(rows) else []
        labels_only = all(label_of(t.text) is not None or funds_label(t.text) is not None for t in tokens)
        if (len(tokens) >= 2 and label_of(tokens[0].text) in HEAD_FIELDS and below and labels_only
                and not any(_names_label(t.text) for t in below)):  # not "项目名称 | X" over the grid
            values = {t.col: t.text for t in below}
            head = [x for t in tokens if label_of(t.text) in HEAD_FIELDS for x in (t.text, values.get(t.col, ""))]
            funds = [x for t in tokens if label_of(t.text) not in HEAD_FIELDS
                     for x in (t.text, values.get(t.col, ""))]
            out.append(Row(head, row.page, row.line))
            if funds:
                out.append(Row(["项目资金", *funds], row.page, row.line))
            skip = True
        else:
            out.append(row)
    return out


COMPARISON_SIGNS = ("≥", "≤", ">", "<", "＞", "＜", ">=", "<=", "≧", "≦")
NAMED_GRID = {"name": ("指标名称", "三级指标"), "value": ("指标值",), "unit": ("计量单位", "度量单位"),
              "sign": ("指标性质",), "level1": ("一级指标",), "level2": ("二级指标",)}


def named_indicator_grid(rows: list[Row], doc_id: str) -> tuple[list[Row], list[Indicator]]:
    """An indicator table headed 指标名称 | … | 计量单位 | 指标性质 | 指标值, or 一级 | 二级 | 三级指标 |
    指标性质 | 指标值 | 度量单位 (the value's sign and unit in columns of their own): its rows read by
    column, the other rows returned."""
    at = next((i for i, row in enumerate(rows) if _named_grid_header({t.key for t in row.tokens})), None)
    if at is None:
        return rows, []
    columns = {name: t.col for t in rows[at].tokens for name, words in NAMED_GRID.items() if t.key in words}
    indicators = []
    for row in rows[at + 1:]:
        by_column = {t.col: t.text for t in row.tokens}
        name, value = by_column.get(columns["name"]), by_column.get(columns["value"])
        if not name or not value:
            continue
        shown = shown_value(by_column.get(columns.get("sign", -1)), value, by_column.get(columns.get("unit", -1)))
        indicators.append(Indicator(period="年度", level1=by_column.get(columns.get("level1", -1)),
                                    level2=by_column.get(columns.get("level2", -1)), level3=name, value=shown,
                                    location=Location(document=doc_id, page=row.page, line=row.line)))
    return rows[:at], indicators


def shown_value(sign: str | None, value: str, unit: str | None) -> str:
    """"≥ | 95 | %" printed in columns of their own -> "≥95%"; "=" and 定性/定量 add nothing."""
    return (sign if sign in COMPARISON_SIGNS else "") + value + (unit or "")


def _named_grid_header(keys: set[str]) -> bool:
    """指标名称 with 指标值; 三级指标 with 指标值 only beside a sign or unit column of its own."""
    if "指标值" not in keys:
        return False
    return "指标名称" in keys or ("三级指标" in keys and bool(keys & {*NAMED_GRID["sign"], *NAMED_GRID["unit"]}))


def split_goals(goals: list[Token], dual: bool, year_col: int | None) -> tuple[str | None, str | None]:
    """(实施期总体目标, 年度总体目标). A lone goal in a two-period form is the 年度 one
    only when it sits at or right of the 年度目标 header."""
    texts = [t.text for t in goals]
    if not dual:
        return None, "".join(texts) or None
    if len(goals) >= 2:
        return texts[0], texts[1]
    if goals and year_col is not None and goals[0].col >= year_col:
        return None, texts[0]
    return (texts[0] if goals else None), None


def _joined(parts: list[str] | None) -> str | None:
    text = "".join(parts or [])
    return text or None


def parse_targets(blocks: list[Block], doc_id: str) -> list[PerformanceTarget]:
    targets = []
    for region in find_regions(blocks):
        if _wide_header(region) is not None:
            targets += parse_grid_forms(region, doc_id)
            continue
        target = parse_form(region, doc_id)
        if target is not None:
            targets.append(target)
        else:
            targets += parse_grid_forms(region, doc_id)
    return targets


# The wide layout some provinces print instead of one form per project: one table, a row per
# project (名称 | 项目资金 | 年度绩效目标) followed by its indicator rows (一级 | 二级 | 三级 | 指标值).
# read in this order: the name first ("单位名称（项目名称）" is the name column, not the unit's)
GRID_COLUMNS = {"name": ("项目名称", "名称"), "implementer": ("单位名称", "实施单位", "预算单位"),
                "funds": ("项目资金", "资金", "金额"), "goal": ("目标",),
                "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标",), "value": ("指标值",),
                "sign": ("指标性质",), "measure_unit": ("度量单位", "计量单位")}


def _wide_header(region: Region) -> Row | None:
    """The header of the wide layout when the project's name is one of its columns (项目名称 | 预算金额 |
    年度绩效目标 | 一级指标 | … | 指标值), not a label of a form."""
    header = next((row for row in region.rows[:6] if {"三级指标", "指标值"} <= {t.key for t in row.tokens}), None)
    if header is not None and any(t.key in GRID_COLUMNS["name"] for t in header.tokens):
        return header
    return None


def parse_grid_forms(region: Region, doc_id: str) -> list[PerformanceTarget]:
    header = next((row for row in region.rows[:6] if {"三级指标", "指标值"} <= {t.key for t in row.tokens}), None)
    if header is None:
        return []
    columns: dict[str, int] = {}
    for field_name, words in GRID_COLUMNS.items():  # the first header cell holding its first word, else the next
        col = next((t.col for w in words for t in header.tokens if w in t.key and t.col not in columns.values()),
                   None)
        if col is not None:
            columns[field_name] = col
    if not {"name", "level3", "value"} <= set(columns):
        return []
    unit = _printed_unit(region)
    targets: list[PerformanceTarget] = []
    header_keys = [t.key for t in header.tokens]
    for row in region.rows[region.rows.index(header) + 1:]:
        if [t.key for t in row.tokens] == header_keys:
            continue  # the header printed again over the table's continuation
        by_column = {t.col: t.text for t in row.tokens}

        def cell(name: str, by_column=by_column) -> str | None:
            return by_column.get(columns.get(name, -1))
        location = Location(document=doc_id, page=row.page, line=row.line)
        if cell("name") and (cell("goal") or cell("level3")):  # an organisation's subtotal row has neither
            targets.append(PerformanceTarget(project=cell("name") or "", unit=unit, location=location,
                                             funds_year=parse_amount(cell("funds") or ""), goal_year=cell("goal"),
                                             implementer=cell("implementer")))
        if targets and cell("level3") and cell("value"):
            shown = shown_value(cell("sign"), cell("value") or "", cell("measure_unit"))
            targets[-1].indicators.append(Indicator(period="年度", level1=cell("level1"), level2=cell("level2"),
                                                    level3=cell("level3") or "", value=shown, location=location))
    return targets
