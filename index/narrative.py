"""第三部分 情况说明: the numbered sections (一..十二) and the figures their sentences state.

    narrative = parse_narrative(blocks, doc_id)
    narrative.sections   # one Section per top-level heading, subsection headings kept in the text
    narrative.stated     # StatedFigure: "X万元，比上年减少Y万元，下降Z%，主要原因是…"
    narrative.shares     # StatedShare: "基本支出2835.51万元，占33.24%"
    narrative.procurement / performance / assets   # 九 / 十 / 十一

Both readers feed this module, and the PDF reader may cut a paragraph into several blocks
(even inside a number), so blocks are first turned into lines and the lines of one paragraph
are joined back before anything is matched. What the documents say is data (the tables below);
the functions only apply it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from index.blocks import Block
from index.model import (
    Assets,
    Location,
    PerformanceCategory,
    PerformanceSummary,
    Procurement,
    Section,
    StatedFigure,
    StatedShare,
)
from index.normalize import clean_cell, fold_key, parse_amount

# Canonical subject -> the wordings the documents use for it. Longest wordings win, and a
# label matches when it ends with a wording (labels carry the year and unit name in front).
SUBJECTS: dict[str, tuple[str, ...]] = {
    "预算收入总计": ("预算收入总计", "收入总计"),
    "预算支出总计": ("预算支出总计", "支出总计"),
    "财政拨款收支总预算": ("财政拨款收支总预算", "财政拨款收支预算总计"),
    "一般公共预算当年支出": ("一般公共预算当年支出", "一般公共预算当年拨款支出"),
    "“三公”经费": ("“三公”经费", "三公经费"),
    "因公出国（境）费": ("因公出国（境）费用", "因公出国（境）费", "因公出国费"),
    "公务接待费": ("公务接待费",),
    "公务用车购置及运行费": ("公务用车购置及运行维护费", "公务用车购置及运行费"),
    "公务用车购置费": ("公务用车购置费",),
    "公务用车运行维护费": ("公务用车运行维护费", "公务用车运行费"),
    "机关运行经费": ("机关运行经费",),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "人员经费": ("人员经费",),
    "公用经费": ("公用经费",),
}

# What a share is a share of: the head figure of the sentence ("预算收入X万元，主要包括…").
SHARE_WHOLES: dict[str, tuple[str, ...]] = {
    "预算收入": ("预算收入总计", "收入总计", "预算收入", "收入预算"),
    "支出预算": ("预算支出总计", "支出总计", "支出预算", "预算支出"),
    "一般公共预算当年支出": ("一般公共预算当年支出",),
    "财政拨款收支总预算": ("财政拨款收支总预算",),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "“三公”经费": ("“三公”经费", "三公经费"),
}

# Words standing between a subject and its amount ("“三公”经费预算32.60万元").
LABEL_FILLERS = ("财政拨款", "预算数", "预算", "拨款", "合计", "共计", "总额", "安排", "为", "是", "的")
# Words that open a list of items rather than name one ("其中：…", "主要包括…").
LABEL_OPENERS = ("主要用于以下方面", "主要包括", "主要用于", "包括", "其中", "分别为", "分别是")

INCREASE_WORDS = ("增加", "增长", "上升", "提高", "增幅", "增")
DECREASE_WORDS = ("减少", "下降", "降低", "降幅", "减")

# How the special sections are recognised by their titles.
PROCUREMENT_TITLE = "政府采购"
PERFORMANCE_TITLE = "绩效"
ASSETS_TITLE = "国有资产"
# A paragraph ending like this titles a table (绩效目标表 …): skip until the next section.
TABLE_TITLE_ENDINGS = ("绩效目标表", "绩效目标申报表", "申报表", "明细表")
CAPTION_ENDINGS = ("结构图", "分布图", "示意图", "情况图")
MAX_SECTION_STEP = 2  # a section may be missing; a bigger jump is a numbered line, not a heading
REASON_LEAD_MAX = 2  # characters allowed between a change and its 原因 ("其", "这")

CN_DIGITS = "一二三四五六七八九十"
AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT_WANYUAN = re.compile(rf"(?P<amount>{AMOUNT})\s*万元")
_PERCENT = rf"(?P<pct>{AMOUNT})\s*[%％]"
_UP = "|".join(sorted(INCREASE_WORDS + DECREASE_WORDS, key=len, reverse=True))
_PRIOR = r"(?:上年|上一年|上年度|去年|\d{4}\s*年度?)"
_CHANGE = re.compile(
    rf"(?:与|比|较|同)\s*{_PRIOR}(?:相比)?(?:的)?(?:预算数?|同期|预算数)?(?:相比)?[，,]?\s*"
    rf"(?P<dir>{_UP})了?\s*"
    rf"(?:(?P<chg>{AMOUNT})\s*万元)?"
    rf"(?:\s*[，,（(]?\s*(?:同比)?(?P<pdir>{_UP})?(?:幅度)?(?:为)?了?\s*{_PERCENT})?"
)
_SAME = re.compile(
    rf"(?:与|和|同)\s*{_PRIOR}(?:相比)?(?:的)?(?:预算数?)?(?:相同|持平|一致|不变)"
    rf"|(?:比|较)\s*{_PRIOR}(?:预算数?)?(?:持平|不变)"
)
_REASON_START = re.compile(r"(?:主要)?原因(?:主要)?(?:是|为|在于|有|：|:|一是)|主要是由于|主要是因为|这主要是")
_SHARE = re.compile(rf"(?P<amount>{AMOUNT})\s*万元\s*[，,]?\s*占(?:比)?[^0-9，,。；;]{{0,12}}?{_PERCENT}")
_DELIMITERS = "，,。；;：:、\n"

_TOP_HEADING = re.compile(rf"^(?P<num>[{CN_DIGITS}]{{1,3}})\s*[、.．]\s*(?P<title>\S.{{0,39}})$")
# Sections numbered 1、2、…: only where no section is numbered 一、二、… (there "1、" is a sub-heading)
_TOP_HEADING_ARABIC = re.compile(r"^(?P<num>\d{1,2})\s*(?:、|[.．](?!\d))\s*(?P<title>\S.{0,39})$")
_SUB_HEADING = re.compile(
    rf"^(?:[（(]\s*[{CN_DIGITS}]{{1,3}}\s*[）)]|\d{{1,2}}\s*(?:[、]|[.．](?!\d)))\s*\S.{{0,39}}$"
)
_HEADING_FORBIDDEN = re.compile(r"[。，,；;！？]")
_TOC_LEADERS = re.compile(r"\.{4,}|…{2,}|·{4,}")
_TOC_PAGE = re.compile(r"^(?P<entry>.*\S)\s+\d{1,4}$")
_TOC_HEADING = re.compile(rf"^(?:第[{CN_DIGITS}]+部分|[{CN_DIGITS}]+、|[（(][{CN_DIGITS}]+[）)]|\d+、|表)")
_PAGE_FOOTER = re.compile(r"^[—\-–]+\s*\d{1,4}\s*[—\-–]+$")
_BULLET = re.compile(r"^[-*•·]\s+")
_ATTACHMENT_HEADER = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}文件$")
_SENTENCE_END = "。！？!?"


@dataclass
class Narrative:
    sections: list[Section] = field(default_factory=list)
    stated: list[StatedFigure] = field(default_factory=list)
    shares: list[StatedShare] = field(default_factory=list)
    procurement: Procurement | None = None
    performance: PerformanceSummary | None = None
    assets: Assets | None = None


# ---------------------------------------------------------------- lines (shared with glossary.py)


@dataclass
class Line:
    """One printed line of a heading/paragraph block, cleaned; tables become a bare marker."""

    text: str
    location: Location
    is_table: bool = False
    is_toc: bool = False  # a table-of-contents entry ("九、政府采购情况.....24")


def block_lines(blocks: list[Block], doc_id: str) -> list[Line]:
    lines: list[Line] = []
    for block in blocks:
        if block.kind == "table":
            lines.append(Line("", Location(document=doc_id, page=block.page, line=block.line), True))
            continue
        for offset, raw in enumerate(block.text.split("\n")):
            text = clean_cell(_BULLET.sub("", raw.strip()))
            if not text or _PAGE_FOOTER.match(text):
                continue
            line_no = block.line + offset if block.line is not None else None
            location = Location(document=doc_id, page=block.page, line=line_no)
            lines.append(Line(text, location, is_toc=is_toc_line(raw.strip())))
    return lines


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry (raw text): dot leaders, or a heading followed by a page number."""
    if _TOC_LEADERS.search(text):
        return True
    match = _TOC_PAGE.match(text)
    return bool(match) and _TOC_HEADING.match(match["entry"]) is not None and not _HEADING_FORBIDDEN.search(match["entry"])


def find_part(lines: list[Line], ordinal: str, start: int = 0) -> int | None:
    """Index of the 第{ordinal}部分 heading (not its table-of-contents entry)."""
    pattern = re.compile(rf"^第{ordinal}部分")
    for i in range(start, len(lines)):
        if pattern.match(lines[i].text) and not lines[i].is_toc:
            return i
    return None


def cn_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十一 -> 21."""
    if not text or any(c not in CN_DIGITS for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (CN_DIGITS.index(tens) + 1 if tens else 1) * 10
    return value + (CN_DIGITS.index(ones) + 1 if ones else 0)


def is_heading_text(text: str, pattern: re.Pattern) -> re.Match | None:
    match = pattern.match(text)
    if not match or _HEADING_FORBIDDEN.search(text.rstrip("：:")):
        return None
    return match


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in _SENTENCE_END


# ---------------------------------------------------------------- sections


@dataclass
class _Text:
    """A section body with a map from character offset to the location it was printed at."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)

    def add(self, piece: str, location: Location, new_paragraph: bool) -> None:
        if new_paragraph and self.text:
            self.text += "\n"
        self.starts.append(len(self.text))
        self.locations.append(location)
        self.text += piece

    def location_at(self, offset: int) -> Location:
        return self.locations[max(bisect_right(self.starts, offset) - 1, 0)]


@dataclass
class _RawSection:
    number: str
    title: str
    location: Location
    body: _Text = field(default_factory=_Text)
    open_paragraph: bool = False  # the last line did not end its sentence

    @property
    def label(self) -> str:
        return f"{self.number}、{self.title}"

    def add_heading(self, line: Line) -> None:
        self.body.add(line.text, line.location, new_paragraph=True)
        self.open_paragraph = False

    def add_line(self, line: Line) -> None:
        self.body.add(line.text, line.location, new_paragraph=not self.open_paragraph)
        self.open_paragraph = not ends_sentence(line.text)


def _narrative_range(lines: list[Line]) -> tuple[int, int] | None:
    start = find_part(lines, "三")
    if start is None:
        start = next(
            (i - 1 for i, line in enumerate(lines)
             if (m := is_heading_text(line.text, _TOP_HEADING)) and m["num"] == "一"
             and "收支" in m["title"] and not line.is_toc),
            None,
        )
        if start is None:
            return None
    end = find_part(lines, "四", start + 1)
    return start + 1, end if end is not None else len(lines)


def _split_sections(lines: list[Line]) -> list[_RawSection]:
    bounds = _narrative_range(lines)
    if bounds is None:
        return []
    sections: list[_RawSection] = []
    current: _RawSection | None = None
    last_number = 0
    body = [line for line in lines[bounds[0]:bounds[1]] if not line.is_table and not line.is_toc]
    chinese = any(is_heading_text(line.text, _TOP_HEADING) for line in body)
    top_heading = _TOP_HEADING if chinese else _TOP_HEADING_ARABIC
    skipping = False  # inside tables (and their titles) that follow a section's text
    for line in lines[bounds[0]:bounds[1]]:
        if line.is_table:
            skipping = current is not None
            continue
        if line.is_toc:
            continue
        text = line.text
        if _ATTACHMENT_HEADER.match(text) and not skipping:
            break  # documents attached after 十二 (红头文件) are not part of the narrative
        top = is_heading_text(text, top_heading)
        number = (int(top["num"]) if top["num"].isdigit() else cn_number(top["num"])) if top else None
        if number is not None and (last_number == 0 or last_number < number <= last_number + MAX_SECTION_STEP):
            current = _RawSection(top["num"], top["title"].rstrip("：:"), line.location)
            sections.append(current)
            last_number, skipping = number, False
            continue
        if current is None or skipping:
            continue
        if len(text) <= 30 and text.endswith(CAPTION_ENDINGS):
            continue
        if len(text) <= 60 and text.endswith(TABLE_TITLE_ENDINGS) and not _HEADING_FORBIDDEN.search(text):
            skipping = True
            continue
        if is_heading_text(text, _SUB_HEADING):
            current.add_heading(line)
        else:
            current.add_line(line)
    return sections


# ---------------------------------------------------------------- labels and subjects


_SUBJECT_KEYS = sorted(
    ((fold_key(alias), subject) for subject, aliases in SUBJECTS.items() for alias in aliases),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_WHOLE_KEYS = sorted(
    ((fold_key(alias), whole) for whole, aliases in SHARE_WHOLES.items() for alias in aliases),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


def _label_before(text: str, end: int, floor: int = 0) -> tuple[str, int]:
    """The words naming the amount that starts at `end`: back to the last delimiter."""
    start = end
    while start > floor and text[start - 1] not in _DELIMITERS:
        start -= 1
    label = text[start:end].strip()
    for opener in LABEL_OPENERS:
        if label.startswith(opener):
            return label[len(opener):].strip(), start + len(opener)
    return label, start


def _label_variants(label: str) -> list[str]:
    """The label, then the label with filler words peeled off its end one at a time."""
    variants = [label]
    changed = True
    while changed:
        changed = False
        for filler in LABEL_FILLERS:
            if label.endswith(filler) and len(label) > len(filler):
                label = label[: -len(filler)].strip()
                variants.append(label)
                changed = True
                break
    return variants


def _resolve(label: str, keys: list[tuple[str, str]], exact: bool = False) -> str | None:
    for variant in _label_variants(label):
        key = fold_key(variant)
        for alias, subject in keys:
            if key == alias or (not exact and key.endswith(alias)):
                return subject
    return None


def subject_of(label: str) -> str | None:
    """Canonical subject for the wording in front of an amount, or None."""
    return _resolve(label, _SUBJECT_KEYS)


def _direction(word: str | None) -> str | None:
    if word is None:
        return None
    return "增加" if word in INCREASE_WORDS else "减少"


def _signed(value: Decimal | None, direction: str | None) -> Decimal | None:
    if value is None:
        return None
    return -value if direction == "减少" else value


# ---------------------------------------------------------------- sentences


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence; a sentence ends at 。！？ or at a paragraph end."""
    return [(m.start(), m.group()) for m in re.finditer(rf"[^{_SENTENCE_END}\n]+[{_SENTENCE_END}]?", text)]


@dataclass
class _Amount:
    start: int
    end: int
    value: Decimal
    label: str
    label_start: int
    subject: str | None


def _amounts(sentence: str) -> list[_Amount]:
    found = []
    for m in _AMOUNT_WANYUAN.finditer(sentence):
        label, label_start = _label_before(sentence, m.start())
        found.append(_Amount(m.start(), m.end(), parse_amount(m["amount"]), label, label_start, subject_of(label)))
    return found


def _changes(sentence: str) -> list[re.Match]:
    matches = [m for m in _CHANGE.finditer(sentence) if m["chg"] or m["pct"]]
    matches += list(_SAME.finditer(sentence))
    return sorted(matches, key=lambda m: m.start())


def _subject_without_amount(segment: str) -> str | None:
    """"一般公共预算当年支出比上年增加…": the subject right before the comparison."""
    label, _ = _label_before(segment, len(segment))
    return subject_of(label) if label else None


def _stated_in_sentence(sentence: str, offset: int, body: _Text, section: str) -> list[StatedFigure]:
    amounts = _amounts(sentence)
    changes = _changes(sentence)
    items: list[tuple[re.Match, _Amount | None, str]] = []
    floor = 0
    for change in changes:
        candidates = [a for a in amounts if floor <= a.label_start and a.end <= change.start() and a.subject]
        if candidates:
            items.append((change, candidates[0], candidates[0].subject))
        elif subject := _subject_without_amount(sentence[floor:change.start()]):
            items.append((change, None, subject))
        floor = change.end()

    figures = []
    for i, (change, amount, subject) in enumerate(items):
        if change.re is _SAME:
            direction, delta, percent = "持平", Decimal(0), None
        else:
            direction = _direction(change["dir"])
            delta = _signed(parse_amount(change["chg"]), direction)
            percent = _signed(parse_amount(change["pct"]), _direction(change["pdir"]) or direction)
        next_start = len(sentence)
        if i + 1 < len(items):
            following = items[i + 1]
            next_start = following[1].label_start if following[1] else following[0].start()
        figures.append(
            StatedFigure(
                subject=subject,
                value=amount.value if amount else None,
                change=delta,
                change_percent=percent,
                direction=direction,
                reason=_reason(sentence, change.end(), next_start),
                sentence=sentence,
                section=section,
                location=body.location_at(offset + (amount.start if amount else change.start())),
            )
        )
    return figures


def _reason(sentence: str, start: int, end: int) -> str | None:
    match = _REASON_START.search(sentence, start, max(start, end))
    if not match or len(sentence[start:match.start()].strip(" ，,；;")) > REASON_LEAD_MAX:
        return None  # the reason must follow its figure ("…，其主要原因是" allows "其")
    reason = sentence[match.start():end].rstrip(" ，,；;、。")
    return reason or None


def _reason_sentence(text: str, following: tuple[int, str]) -> str | None:
    """"…下降20%。主要原因是…。": the reason given as the next sentence of the same paragraph."""
    offset, sentence = following
    if text[offset - 1:offset] == "\n" or not _REASON_START.match(sentence.strip()):
        return None
    return sentence.strip().rstrip(" ，,；;、。") or None


def _plain_figures(sentence: str, offset: int, body: _Text, section: str, taken: set[int]) -> list[StatedFigure]:
    """Subjects stated with an amount but no comparison ("人员经费2,392.23万元")."""
    figures = []
    for amount in _amounts(sentence):
        if amount.subject and amount.start not in taken:
            figures.append(
                StatedFigure(
                    subject=amount.subject,
                    value=amount.value,
                    sentence=sentence,
                    section=section,
                    location=body.location_at(offset + amount.start),
                )
            )
    return figures


def _shares_in_sentence(sentence: str, offset: int, body: _Text, section: str) -> list[StatedShare]:
    shares = []
    share_matches = list(_SHARE.finditer(sentence))
    if not share_matches:
        return shares
    head = None
    for amount in _amounts(sentence):
        if amount.start >= share_matches[0].start():
            break
        head = head or _resolve(amount.label, _WHOLE_KEYS)
    for m in share_matches:
        label, _ = _label_before(sentence, m.start())
        shares.append(
            StatedShare(
                subject=_resolve(label, _SUBJECT_KEYS, exact=True) or label,
                value=parse_amount(m["amount"]),
                percent=parse_amount(m["pct"]),
                whole=head,
                sentence=sentence,
                section=section,
                location=body.location_at(offset + m.start()),
            )
        )
    return shares


# ---------------------------------------------------------------- 九 / 十 / 十一


def _amount_of(match: re.Match | None) -> Decimal | None:
    return parse_amount(match["amount"]) if match else None


def _span_sentence(text: str, start: int, end: int) -> str:
    """The whole sentences covering text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END + "\n") + 1
    right = min((i for i in (text.find(c, end) for c in _SENTENCE_END + "\n") if i != -1), default=len(text))
    return text[left:right + 1].strip()


def _amount_after(words: str, text: str) -> re.Match | None:
    return re.search(rf"{words}(?:采购)?(?:预算)?(?:总额|总计|合计)?(?:为|是)?\s*(?P<amount>{AMOUNT})\s*万元", text)


def _procurement(section: _RawSection) -> Procurement | None:
    text = section.body.text
    total = re.search(
        rf"政府采购(?:预算)?(?:总额|总计|合计)(?:为|是)?\s*(?P<amount>{AMOUNT})\s*万元", text
    ) or re.search(rf"政府采购预算(?:为|是)?\s*(?P<amount>{AMOUNT})\s*万元", text)
    parts = {key: _amount_after(words, text) for key, words in
             (("goods", "货物(?:类)?"), ("works", "工程(?:类)?"), ("services", "服务(?:类)?"))}
    found = [m for m in (total, *parts.values()) if m]
    if not found:
        return None
    start, end = min(m.start() for m in found), max(m.end() for m in found)
    return Procurement(
        total=_amount_of(total),
        goods=_amount_of(parts["goods"]),
        works=_amount_of(parts["works"]),
        services=_amount_of(parts["services"]),
        sentence=_span_sentence(text, start, end),
        location=section.body.location_at(start),
    )


_PERFORMANCE_CATEGORY = re.compile(
    rf"(?:其中[：:，,]?)?(?P<name>[\u4e00-\u9fff]{{2,8}}类)项目\s*(?P<n>\d+)\s*个[，,]?\s*"
    rf"涉及(?:项目)?(?:金额|资金)\s*(?P<amount>{AMOUNT})\s*万元"
)


def _performance(section: _RawSection) -> PerformanceSummary | None:
    text = section.body.text
    projects = re.search(rf"二级项目\s*(?P<n>\d+)\s*个[，,]?\s*(?:共计|合计|涉及)?(?:金额|资金)?\s*(?P<amount>{AMOUNT})\s*万元", text)
    published = re.search(
        rf"公开(?:项目)?绩效目标\s*(?P<n>\d+)\s*个[，,]?\s*涉及(?:项目)?(?:金额|资金)\s*(?P<amount>{AMOUNT})\s*万元", text
    )
    if not projects and not published:
        return None
    scope_end = published.start() if published else len(text)
    scope_start = projects.end() if projects else 0
    category_matches = list(_PERFORMANCE_CATEGORY.finditer(text, scope_start, scope_end))
    categories = [
        PerformanceCategory(category=m["name"], count=int(m["n"]), amount=parse_amount(m["amount"]))
        for m in category_matches
    ]
    first = projects or published
    last = published or (category_matches[-1] if category_matches else projects)
    return PerformanceSummary(
        project_count=int(projects["n"]) if projects else None,
        amount=_amount_of(projects),
        categories=categories,
        published_count=int(published["n"]) if published else None,
        published_amount=_amount_of(published),
        sentence=_span_sentence(text, first.start(), last.end()),
        location=section.body.location_at(first.start()),
    )


def _assets(section: _RawSection) -> Assets | None:
    text = section.body.text
    as_of = re.search(r"截至\s*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)", text)
    quota = re.search(r"编制\s*(?P<n>\d+)\s*辆", text)
    actual = re.search(r"实有\s*(?P<n>\d+)\s*辆", text)
    area = re.search(rf"办公用房[^0-9。；;]{{0,12}}?面积\s*(?:为)?\s*(?P<amount>{AMOUNT})\s*平方米", text)
    by_type = {}
    if actual:
        sentence_end = min((i for i in (text.find(c, actual.end()) for c in "。\n") if i != -1), default=len(text))
        for m in re.finditer(r"(?P<name>[^，,：:；;。、\d\s]{2,12}?用车)\s*(?P<n>\d+)\s*辆", text[actual.end():sentence_end]):
            by_type[m["name"]] = int(m["n"])
    equipment = {
        f"{m['limit']}万元以上{m['name']}": int(m["n"])
        for m in re.finditer(
            r"(?P<limit>\d+)\s*万元\s*(?:[（(]原值[）)])?\s*以上的?\s*(?P<name>[^0-9，,。；;（(]{0,8}?设备)\s*(?P<n>\d+)\s*台",
            text,
        )
    }
    if not any((quota, actual, area, equipment)):
        return None
    sentences = [s.strip() for _, s in _sentences(text) if re.search(r"\d", s) and not is_heading_text(s, _SUB_HEADING)]
    first = as_of or quota or actual or area
    return Assets(
        as_of=as_of["date"] if as_of else None,
        vehicles_quota=int(quota["n"]) if quota else None,
        vehicles_actual=int(actual["n"]) if actual else None,
        vehicles_by_type=by_type,
        office_area=_amount_of(area),
        equipment=equipment,
        sentences=sentences,
        location=section.body.location_at(first.start() if first else 0),
    )


# ---------------------------------------------------------------- entry point


def parse_narrative(blocks: list[Block], doc_id: str) -> Narrative:
    narrative = Narrative()
    for raw in _split_sections(block_lines(blocks, doc_id)):
        narrative.sections.append(
            Section(part="情况说明", number=raw.number, title=raw.title, text=raw.body.text, location=raw.location)
        )
        if PROCUREMENT_TITLE in raw.title:
            narrative.procurement = narrative.procurement or _procurement(raw)
            continue
        if ASSETS_TITLE in raw.title:
            narrative.assets = narrative.assets or _assets(raw)
            continue
        if PERFORMANCE_TITLE in raw.title:
            narrative.performance = narrative.performance or _performance(raw)
            continue
        _read_figures(raw, narrative)
    return narrative


def _read_figures(raw: _RawSection, narrative: Narrative) -> None:
    seen = {(f.subject, f.value) for f in narrative.stated}
    sentences = _sentences(raw.body.text)
    for k, (offset, sentence) in enumerate(sentences):
        changed = _stated_in_sentence(sentence, offset, raw.body, raw.label)
        if changed and changed[-1].reason is None and k + 1 < len(sentences):
            changed[-1].reason = _reason_sentence(raw.body.text, sentences[k + 1])
        shares = _shares_in_sentence(sentence, offset, raw.body, raw.label)
        taken = {m.start() for m in _SHARE.finditer(sentence)}
        taken |= {a.start for a in _amounts(sentence) for f in changed if f.value == a.value and f.subject == a.subject}
        plain = [f for f in _plain_figures(sentence, offset, raw.body, raw.label, taken)
                 if (f.subject, f.value) not in seen]
        for figure in changed + plain:
            seen.add((figure.subject, figure.value))
        narrative.stated.extend(changed + plain)
        narrative.shares.extend(shares)
