"""第三部分 情况说明: the numbered sections (一..十二) and the figures their sentences state.

    narrative = parse_narrative(blocks, doc_id)
    narrative.sections   # one Section per top-level heading, subsection headings kept in the text
    narrative.stated     # StatedFigure: "X万元，比上年减少Y万元，下降Z%，主要原因是…"
    narrative.shares     # StatedShare: "基本支出2835.51万元，占33.24%"
    narrative.procurement / performance / assets   # 九 / 十 / 十一

Sections come numbered 一..十二 under 第三部分 (Shanxi), or titled (Shanghai: 2025年单位预算编制说明,
其他相关情况说明 with 一、二、… inside, …项目经费情况说明); see TITLED_SECTIONS. A 编制说明 lists
the budget per 功能科目 ("1.“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于…");
each item is a StatedFigure whose subject is the 类/款/项 path joined by "/"
("一般公共服务支出/商贸事务/行政运行", see FUNCTION_PATH_SEPARATOR).

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
from functools import lru_cache

from core.measures import registry
from core.model import (
    Assets,
    Direction,
    Location,
    PerformanceCategory,
    PerformanceSummary,
    Procurement,
    Section,
    StatedFigure,
    StatedShare,
)
from core.numbers import CN_DIGITS, cn_number
from core.rules import function_classes
from core.text import clean_cell, fold_key, money_unit, parse_amount, parse_money
from parsing.blocks import Block
from parsing.listed_projects import ListedProject, listed_projects


# Canonical subject -> the wordings the documents use for it: the registry's `narrative` field
# (prompts/measures.json). Longest wordings win, and a label matches when it ends with a wording
# (labels carry the year and unit name in front). `SUBJECTS` reads the active registry.
def narrative_subjects() -> dict[str, tuple[str, ...]]:
    return registry().derived("parsing.subjects", lambda reg: {
        s.subject: tuple(s.wordings) for m in reg.measures for s in m.narrative})


def __getattr__(name: str):
    if name == "SUBJECTS":
        return narrative_subjects()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# One wording naming two subjects ("财政拨款收入支出增加的主要原因是…"): suffix -> the two endings.
COMPOUND_SUBJECTS: dict[str, tuple[str, ...]] = {"收入支出": ("收入", "支出"), "收支": ("收入", "支出")}
# One amount stated for two subjects ("收入、支出预算总计1789.92万元"): the pair -> its two words.
COMPOUND_LABELS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"收入[、和及与]支出", ("收入", "支出")),
    (r"收[、和及与]支", ("收入", "支出")),
    (r"(?<!拨款)收支(?=总?预算|总数|总额)", ("收入", "支出")),  # "收支总预算2625.91万元" (not 财政拨款收支总预算)
)

# What a change is compared against, as worded after the year ("比2024年预算执行数增加…").
CHANGE_BASES: dict[str, str] = {
    "预算执行数": "上年预算执行数",
    "预算执行": "上年预算执行数",
    "执行数": "上年执行数",
    "决算数": "上年决算",
    "决算": "上年决算",
    "预算数": "上年预算",
    "预算": "上年预算",
}

# What a share is a share of: the head figure of the sentence ("预算收入X万元，主要包括…").
SHARE_WHOLES: dict[str, tuple[str, ...]] = {
    "预算收入": ("预算收入总计", "收入总计", "预算收入", "收入预算"),
    "支出预算": ("预算支出总计", "支出总计", "支出预算", "预算支出"),
    "一般公共预算当年支出": ("一般公共预算当年支出",),
    "本年收入": ("本年收入",),
    "财政拨款收支总预算": ("财政拨款收支总预算",),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "“三公”经费": ("“三公”经费", "三公经费"),
}

# Words standing between a subject and its amount ("“三公”经费预算32.60万元").
LABEL_FILLERS = ("财政拨款", "预算支出", "预算数", "预算", "年初", "拨款", "合计", "共计", "总额", "总数", "安排",
                 "为", "是", "的")
# Words that open a list of items rather than name one ("其中：…", "主要包括…").
LABEL_OPENERS = ("主要用于以下方面", "主要包括", "主要用于", "包括", "其中", "分别为", "分别是")

# A bare word opening a sentence with its change, naming the total stated before it ("…年初预算数
# 4198.44万元，其中：…。收入较去年减少189.46万元").
BARE_TOTAL_WORDS = ("收入", "支出")

INCREASE_WORDS = ("增加", "增长", "上升", "提高", "增幅", "增")
DECREASE_WORDS = ("减少", "下降", "降低", "降幅", "减")

# How the special sections are recognised by their titles.
PROCUREMENT_TITLE = "政府采购"
PERFORMANCE_TITLE = "绩效"
ASSETS_TITLE = "国有资产"
# A paragraph ending like this titles a table (绩效目标表 …): skip until the next section.
TABLE_TITLE_ENDINGS = ("绩效目标表", "绩效目标申报表", "申报表", "明细表", "预算表", "总表")
CAPTION_ENDINGS = ("结构图", "分布图", "示意图", "情况图")
MAX_SECTION_STEP = 2  # a section may be missing; a bigger jump is a numbered line, not a heading
REASON_LEAD_MAX = 2  # characters allowed between a change and its 原因 ("其", "这")

# Sections titled rather than numbered, by how the title ends. split: the 一、二、… inside are
# sections of their own (Section.parent = the title); otherwise they stay sub-headings.
TITLED_SECTIONS: tuple[tuple[str, bool], ...] = (
    ("预算编制说明", True),
    ("其他相关情况说明", True),
    ("项目经费情况说明", False),
)
# Headings that end a titled section: the parts of the document that are not narrative.
END_TITLES = ("名词解释",)
TITLED_TITLE_MAX = 50

# 功能科目 items of a 编制说明: the 类/款/项 markers, or the separators of a quoted path.
FUNCTION_LEVEL_MARKERS = ("类", "款", "项")
FUNCTION_PATH_DASHES = "-－—/"
FUNCTION_PATH_SEPARATOR = "/"
PATH_TAIL_WORDS = ("支出", "预算", "预算数", "预算支出", "支出预算")

# 国有资产: vehicles held now, and the purchases the budget plans.
VEHICLES_ACTUAL = (r"实有(?:车辆)?\s*(?P<n>\d+)\s*辆", r"共有(?:公务)?(?:用)?车(?:辆)?\s*(?P<n>\d+)\s*辆")
VEHICLES_PLANNED = (
    r"安排购置(?:公务)?(?:用)?车辆?\s*(?P<n>\d+)\s*辆",
    r"(?:拟|计划)购置(?:公务)?(?:用)?车辆?\s*(?P<n>\d+)\s*辆",
)
PLANNED_WORDS = ("安排购置", "拟购置", "计划购置")

AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# an amount and its unit, 万元 or (a narrative printed in 元) 元: read with parse_money
_AMOUNT_MONEY = rf"(?P<amount>{AMOUNT}){money_unit('amount')}"
_AMOUNT_WANYUAN = re.compile(_AMOUNT_MONEY)
_PERCENT = rf"(?P<pct>{AMOUNT})\s*[%％]"
_UP = "|".join(sorted(INCREASE_WORDS + DECREASE_WORDS, key=len, reverse=True))
_PRIOR = r"(?:上年|上一年|上年度|去年|\d{4}\s*年度?)"


def _base(group: str) -> str:
    return f"(?P<{group}>" + "|".join(sorted(CHANGE_BASES, key=len, reverse=True)) + ")"


_BASE = _base("base")
_CHANGE = re.compile(
    rf"(?:与|比|较|同)\s*{_PRIOR}(?:相比)?(?:的)?(?:当年)?(?:{_BASE}|同期)?"
    # "比2025年预算数2,698.20万元增加…", "比2025年收支总预算2647.93万元增加…" name last year's figure
    rf"(?:(?:(?!{_UP}|持平)[^\d，,。；;]){{0,12}}?为?\s*(?P<prior>{AMOUNT}){money_unit('prior')})?"
    rf"(?:相比)?[，,]?\s*"
    # "与上年相比，财政拨款收、支总计各增加…", "收支总预算均增加"; "与上年相比，部门财务总收入增加…" names
    # what changed after the comparison
    rf"(?:(?P<each>[^，,。；;\d]{{0,12}}?)[各均]\s*|(?P<named>[^，,。；;\d]{{2,16}}?))?"
    rf"(?P<dir>{_UP})了?\s*"
    rf"(?:(?P<chg>{AMOUNT}){money_unit('chg')})?"
    rf"(?:\s*[，,（(]?\s*(?:同比)?(?P<pdir>{_UP})?(?:幅度)?(?:为)?了?\s*{_PERCENT})?"
)
_LISTED_CHANGE = re.compile(
    rf"(?<=[\u4e00-\u9fff）)])(?P<dir>{_UP})了?\s*(?P<chg>{AMOUNT}){money_unit('chg')}"
    rf"(?:\s*[，,（(]?\s*(?:同比)?(?P<pdir>{_UP})?(?:幅度)?(?:为)?了?\s*{_PERCENT})?"
)
_SAME = re.compile(
    rf"(?:与|和|同)\s*{_PRIOR}(?:相比)?(?:的)?(?:当年)?{_BASE}?(?:相同|持平|一致|不变)"
    rf"|(?:比|较)\s*{_PRIOR}(?:当年)?{_base('base2')}?(?:持平|不变)"
)
# "公务用车购置费18.00万元，上年无此项预算": new this year, so the change is the whole amount
_NEW_ITEM = re.compile(r"(?:上年度?|上一年|去年)(?:无此项|未安排此项|未安排|没有安排)(?:预算|支出)?")
_REASON_START = re.compile(r"(?:主要)?原因(?:主要)?(?:是|为|在于|有|：|:|一是)|主要是由于|主要是因为|这主要是"
                           r"|主要是(?!用于|指|包括)")
_REASON_LEAD_SKIPPED = re.compile(r"(?:主要|全部|均)?用于[^，,；;。]*|(?:全部|均)(?:为|是)[^，,；;。\d]*"
                                  r"|(?:增加|减少|增长|下降|变动|变化)(?=的?(?:主要)?原因)")
_WHOLE_OPENER = re.compile(r"^(?P<whole>[^，,。；;\d]{2,20}?)中[，,：:]")
_SHARE = re.compile(rf"{_AMOUNT_MONEY}\s*[，,]?\s*占(?:比)?[^0-9，,。；;]{{0,12}}?{_PERCENT}")
_DELIMITERS = "，,。；;：:、\n"

_TOP_HEADING = re.compile(rf"^(?P<num>[{CN_DIGITS}]{{1,3}})\s*[、.．]\s*(?P<title>\S.{{0,39}})$")
# Sections numbered （一）（二）…: only where no section is numbered 一、二、…
_TOP_HEADING_BRACKET = re.compile(rf"^[（(]\s*(?P<num>[{CN_DIGITS}]{{1,3}})\s*[）)]\s*(?P<title>\S.{{0,39}})$")
# Sections numbered 1、2、…: only where no section is numbered 一、二、… (there "1、" is a sub-heading)
_TOP_HEADING_ARABIC = re.compile(r"^(?P<num>\d{1,2})\s*(?:、|[.．](?!\d))\s*(?P<title>\S.{0,39})$")
_SUB_HEADING = re.compile(
    rf"^(?:[（(]\s*[{CN_DIGITS}]{{1,3}}\s*[）)]|\d{{1,2}}\s*(?:[、]|[.．](?!\d)))\s*\S.{{0,39}}$"
)
_HEADING_FORBIDDEN = re.compile(r"[。，,；;！？]")
_TOC_LEADERS = re.compile(r"\.{4,}|…{2,}|·{4,}")
_TOC_PAGE = re.compile(r"^(?P<entry>.*?[^\s…·.])(?:\s+|\s*[…·.]+\s*)\d{1,4}$")  # "…总体说明 16", "…总体说明…16"
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
    projects: list[ListedProject] = field(default_factory=list)  # projects the prose lists with amounts


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
    return (match is not None and _TOC_HEADING.match(match["entry"]) is not None
            and not _HEADING_FORBIDDEN.search(match["entry"]))


def find_part(lines: list[Line], ordinal: str, start: int = 0) -> int | None:
    """Index of the 第{ordinal}部分 heading (not its table-of-contents entry)."""
    pattern = re.compile(rf"^第{ordinal}部分")
    for i in range(start, len(lines)):
        if pattern.match(lines[i].text) and not lines[i].is_toc:
            return i
    return None


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


def section_label(number: str | None, title: str) -> str:
    """A section as printed: "七、“三公”经费…", "（二）…", or its title alone when unnumbered."""
    if not number:
        return title
    return f"{number}{'' if number.startswith('（') else '、'}{title}"


@dataclass
class _RawSection:
    number: str
    title: str
    location: Location
    body: _Text = field(default_factory=_Text)
    open_paragraph: bool = False  # the last line did not end its sentence
    parent: str | None = None

    @property
    def label(self) -> str:
        return section_label(self.number, self.title)


    def add_heading(self, line: Line) -> None:
        self.body.add(line.text, line.location, new_paragraph=True)
        self.open_paragraph = False

    def add_line(self, line: Line) -> None:
        self.body.add(line.text, line.location, new_paragraph=not self.open_paragraph)
        self.open_paragraph = not ends_sentence(line.text)


_PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")
_NOT_NARRATIVE_PARTS = ("名词", "报表", "公开表", "附表", "附件")


def _narrative_part(lines: list[Line]) -> tuple[int, int | None] | None:
    """The 第X部分 whose title says it is the 说明 ("第一部分 2026年部门预算说明", "第三部分 …情况说明"),
    wherever the document puts it, and where the next part starts."""
    parts = _parts(lines)
    found = [k for k, (_, title) in enumerate(parts)
             if "说明" in title and not any(w in title for w in _NOT_NARRATIVE_PARTS)]
    if not found:
        return None
    # a 目录 without page numbers prints the same title first: the part is its last printing
    k = max(j for j in found if _title_key(parts[j][1]) == _title_key(parts[found[0]][1]))
    return parts[k][0], parts[k + 1][0] if k + 1 < len(parts) else None


def _parts(lines: list[Line]) -> list[tuple[int, str]]:
    """The 第X部分 headings with their titles; a heading printed alone ("第三部分") has its title
    on the next printed line."""
    parts = []
    for i, line in enumerate(lines):
        m = _PART.match(line.text)
        if line.is_toc or m is None:
            continue
        title = m.group(2).strip()
        following = next((x for x in lines[i + 1:] if x.text.strip()), None)
        if not title and following is not None and not following.is_table and not _PART.match(following.text) \
                and not _TOP_HEADING.match(following.text):
            title = following.text.strip()
        parts.append((i, title))
    return parts


# Parts beside the 说明 that narrate the budget too ("第二部分 2026年收入支出预算总体情况", "第三部分
# 2026年财政拨款收支情况" before "第四部分 其他重要事项的情况说明"): any part but these.
_OTHER_PARTS = (*_NOT_NARRATIVE_PARTS, "概况", "表", "目录")


def _neighbour_parts(lines: list[Line]) -> list[tuple[int, int]]:
    """The ranges of the parts next to the 说明 part (before and after it, while each narrates)."""
    parts = _parts(lines)
    main = _narrative_part(lines)
    if main is None:
        return []
    k = next(j for j, (i, _) in enumerate(parts) if i == main[0])
    ranges = []
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(parts) and not any(w in parts[j][1] for w in _OTHER_PARTS) \
                and _title_key(parts[j][1]) != _title_key(parts[k][1]):
            end = parts[j + 1][0] if j + 1 < len(parts) else len(lines)
            ranges.append((parts[j][0] + 1, end))
            j += step
    return ranges


def _narrative_range(lines: list[Line]) -> tuple[int, int] | None:
    part = _narrative_part(lines)
    if part is not None:
        return part[0] + 1, part[1] if part[1] is not None else len(lines)
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


def _explained_range(lines: list[Line]) -> tuple[int, int] | None:
    """"三、单位预算情况说明" over （一）…（十四）: the top heading that titles the 说明, up to the
    next top heading (四、名词解释). Its own line is kept when top headings follow inside."""
    tops = [(i, m["title"]) for i, line in enumerate(lines)
            if not line.is_toc and not line.is_table and (m := is_heading_text(line.text, _TOP_HEADING))]
    explained = [title for _, title in tops if "说明" in title and not any(w in title for w in _NOT_NARRATIVE_PARTS)]
    # a 目录 without page numbers prints the same title first: the 说明 is its last printing
    first = _title_key(explained[0]) if explained else None
    chosen = max((k for k, (_, title) in enumerate(tops) if _title_key(title) == first), default=None)
    if chosen is None:
        return None
    i = tops[chosen][0]
    end = next((j for j, later in tops[chosen + 1:] if any(w in later for w in END_TITLES)), len(lines))
    inner = any(i < j < end for j, _ in tops)
    return (i if inner else i + 1), end


def _split_sections(lines: list[Line]) -> list[_RawSection]:
    """The numbered sections under 第三部分 and the titled sections, in document order."""
    titled = _titled_headings(lines)
    bounds = _narrative_range(lines) or (None if titled else _explained_range(lines))
    placed: list[tuple[int, list[_RawSection]]] = []
    stops = {t.index for t in titled} | {i for i, line in enumerate(lines) if _ends_titled(line)}
    if bounds is not None and any(t.index in (bounds[0] - 1, bounds[0]) for t in titled):
        bounds = None  # "第三部分 2025年部门预算编制说明": the titled section holds the numbered ones
    if bounds is not None:
        start, end = bounds
        end = min([end] + [t.index for t in titled if t.index >= start])
        placed.append((start, _sectionize(lines[start:end])))
        stops.add(start - 1)
        for start, end in _neighbour_parts(lines) if not titled else []:
            placed.append((start, _sectionize(lines[start:end])))
    for heading in titled:
        end = min((i for i in stops if i > heading.index), default=len(lines))
        placed.append((heading.index, _titled_sections(heading, lines[heading.index + 1:end])))
    return [section for _, group in sorted(placed, key=lambda pair: pair[0]) for section in group]


def _sectionize(lines: list[Line], current: _RawSection | None = None, split: bool = True,
                parent: str | None = None) -> list[_RawSection]:
    """Cut lines into sections at their top-level headings (一、 or, failing those, 1、).

    `current` collects the lines before the first heading; with split=False the headings stay
    in its text as sub-headings. Sections found inside a titled one carry it as `parent`.
    """
    sections: list[_RawSection] = [current] if current is not None else []
    last_number = 0
    body = [line for line in lines if not line.is_table and not line.is_toc]
    # 一、 when printed; else the kind of heading printed first: （一） ("三、单位预算情况说明" over
    # （一）…（十四）) or 1、 (with （一） inside its sections)
    first = next((level for line in body for level in (_TOP_HEADING_BRACKET, _TOP_HEADING_ARABIC)
                  if is_heading_text(line.text, level)), _TOP_HEADING_ARABIC)
    chinese = any(is_heading_text(line.text, _TOP_HEADING) for line in body)
    top_heading = _TOP_HEADING if chinese else first
    skipping = False  # inside tables (and their titles) that follow a section's text
    for line in lines:
        if line.is_table:
            skipping = current is not None
            continue
        if line.is_toc:
            continue
        text = line.text
        if _ATTACHMENT_HEADER.match(text) and not skipping:
            break  # documents attached after 十二 (红头文件) are not part of the narrative
        if parent is not None and _is_table_title(text):
            skipping = True  # a titled section runs on into the budget tables' titles
            continue
        top = is_heading_text(text, top_heading)
        number = (int(top["num"]) if top["num"].isdigit() else cn_number(top["num"])) if top else None
        if top is not None and number is not None and (
            last_number == 0 or last_number < number <= last_number + MAX_SECTION_STEP
        ):
            if split:
                printed = f"（{top['num']}）" if top_heading is _TOP_HEADING_BRACKET else top["num"]
                current = _RawSection(printed, top["title"].rstrip("：:"), line.location, parent=parent)
                sections.append(current)
                last_number, skipping = number, False
                continue
            if current is not None and not skipping:
                last_number = number
                current.add_heading(line)
                continue
        if current is None or skipping:
            continue
        if len(text) <= 30 and text.endswith(CAPTION_ENDINGS):
            continue
        if _is_table_title(text):
            skipping = True
            continue
        if is_heading_text(text, _SUB_HEADING):
            current.add_heading(line)
        else:
            current.add_line(line)
    return sections


def _is_table_title(text: str) -> bool:
    return len(text) <= 60 and text.endswith(TABLE_TITLE_ENDINGS) and not _HEADING_FORBIDDEN.search(text)


# ---------------------------------------------------------------- titled sections


_NUMBER_PREFIX = rf"(?:第[{CN_DIGITS}]{{1,3}}部分\s*|[{CN_DIGITS}]{{1,3}}\s*[、.．]\s*|\d{{1,2}}\s*[、.．]\s*)"
_TITLED = re.compile(
    rf"^(?P<num>{_NUMBER_PREFIX})?"
    rf"(?P<title>.{{0,{TITLED_TITLE_MAX}}}?(?:{'|'.join(wording for wording, _ in TITLED_SECTIONS)}))[：:]?$"
)
_END_TITLE = re.compile(rf"^{_NUMBER_PREFIX}?(?:{'|'.join(END_TITLES)})[：:]?$|^第[{CN_DIGITS}]{{1,3}}部分")
_YEAR_PREFIX = re.compile(r"^\d{4}\s*年度?")


@dataclass
class _TitledHeading:
    index: int
    title: str
    split: bool
    numbered: bool
    location: Location


def _titled_headings(lines: list[Line]) -> list[_TitledHeading]:
    found = []
    for i, line in enumerate(lines):
        if line.is_table or line.is_toc or _HEADING_FORBIDDEN.search(line.text.rstrip("：:")):
            continue
        match = _TITLED.match(line.text)
        if match is None or _in_contents(lines, i):
            continue
        title = match["title"].strip()
        split = next(split for wording, split in TITLED_SECTIONS if title.endswith(wording))
        found.append(_TitledHeading(i, title, split, bool(match["num"]), line.location))
    return _without_contents_entries(found)


def _heading_like(line: Line) -> bool:
    return (not line.is_table and len(line.text) <= 40 and not ends_sentence(line.text)
            and not _HEADING_FORBIDDEN.search(line.text))


def _in_contents(lines: list[Line], i: int) -> bool:
    """A contents entry: printed between other bare headings (the body's has text around it)."""
    return 0 < i < len(lines) - 1 and _heading_like(lines[i - 1]) and _heading_like(lines[i + 1]) \
        and (titled := _TITLED.match(lines[i].text)) is not None and titled["num"] is not None


def _title_key(title: str) -> str:
    return fold_key(_YEAR_PREFIX.sub("", title))


def _without_contents_entries(found: list[_TitledHeading]) -> list[_TitledHeading]:
    """A title printed twice (contents, then body): keep the body's. Several unnumbered titles
    of the same wording (one 项目经费情况说明 per project) are all kept."""
    kept = []
    for k, heading in enumerate(found):
        later = [h for h in found[k + 1:] if _title_key(h.title) == _title_key(heading.title)]
        if later and (heading.numbered or all(h.numbered for h in later)):
            continue
        kept.append(heading)
    return kept


def _ends_titled(line: Line) -> bool:
    return not line.is_table and not line.is_toc and _END_TITLE.match(line.text) is not None


def _titled_sections(heading: _TitledHeading, lines: list[Line]) -> list[_RawSection]:
    container = _RawSection("", heading.title, heading.location)
    found = _sectionize(lines, current=container, split=heading.split, parent=heading.title)
    if len(found) == 1 and not any(c in container.body.text for c in _SENTENCE_END):
        return []  # a heading with no prose under it (a contents entry that slipped through)
    return found


# ---------------------------------------------------------------- labels and subjects


def _subject_keys() -> list[tuple[str, str]]:
    """(folded wording, canonical subject), longest wording first."""
    return registry().derived("parsing.subject_keys", lambda reg: sorted(
        ((fold_key(alias), subject) for subject, aliases in narrative_subjects().items() for alias in aliases),
        key=lambda pair: len(pair[0]),
        reverse=True,
    ))


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


def _trailing_bracket_start(label: str) -> int | None:
    """Where the bracket closing `label` opens, nested ones included ("…经费（即…局（本级）…公用经费）")."""
    if not label.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(label) - 1, -1, -1):
        depth += label[i] in "）)"
        depth -= label[i] in "（("
        if depth == 0:
            return i
    return None


def _label_variants(label: str) -> list[str]:
    """The label, then the label with filler words (and a bracketed note) peeled off its end one at
    a time."""
    variants = [label]
    changed = True
    while changed:
        changed = False
        opened = _trailing_bracket_start(label)
        if opened is not None and opened > 0:
            label = label[:opened].strip()  # "机关运行经费（含…执法支队）预算": the bracket names no subject
            variants.append(label)
            changed = True
            continue
        for filler in LABEL_FILLERS:
            if label.endswith(filler) and len(label) > len(filler):
                label = label[: -len(filler)].strip()
                variants.append(label)
                changed = True
                break
    return variants


_FUND_QUALIFIED = re.compile(r"^(?P<subject>.*\S)(?:一般公共预算拨款|一般公共预算财政拨款|一般公共预算)"
                             r"(?:预算数|预算|安排|为|是|的)*$")


def _resolve(label: str, keys: list[tuple[str, str]], exact: bool = False) -> str | None:
    """The subject of the longest wording the label (or the label without its fillers) ends
    with: "“三公”经费支出预算" is 三公经费 by "三公经费支出", not a total by "支出预算". A subject
    qualified by its fund ("“三公”经费一般公共预算拨款预算数") is that subject."""
    qualified = _FUND_QUALIFIED.match(label)
    if qualified and (subject := _resolve(qualified["subject"], keys, exact)):
        return subject
    best: tuple[int, bool, str] | None = None
    for variant in _label_variants(_LABEL_NUMBER.sub("", label)):
        key = fold_key(variant)
        for alias, subject in keys:
            if key == alias or (not exact and key.endswith(alias)):
                # of two wordings as long, the one that is the whole peeled label ("事业收入预算" is
                # 事业收入, not a total by its ending 收入预算)
                if best is None or (len(alias), key == alias) > best[:2]:
                    best = (len(alias), key == alias, subject)
                break
    return best[2] if best else None


# "（5）事业收入预算": the item's number is no part of its label
_LABEL_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])")


def subject_of(label: str) -> str | None:
    """Canonical subject for the wording in front of an amount, or None."""
    return _resolve(label, _subject_keys())


def _direction(word: str | None) -> Direction | None:
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
    value: Decimal | None  # parse_amount's result; the pattern only matches numbers, but the type allows None
    label: str
    label_start: int
    subjects: tuple[str, ...]  # usually one; two for "收入、支出预算总计X万元"

    @property
    def subject(self) -> str | None:
        return self.subjects[0] if self.subjects else None


def subjects_of(label: str) -> tuple[str, ...]:
    """The subjects a label names: one, or two when it pairs them ("收入、支出预算总计")."""
    for pattern, words in COMPOUND_LABELS:
        if re.search(pattern, label):
            pair = tuple(subject for word in words if (subject := subject_of(re.sub(pattern, word, label, count=1))))
            if len(pair) == len(words):  # every word named a subject
                return pair
    subject = subject_of(label)
    return (subject,) if subject else ()


def _amounts(sentence: str) -> list[_Amount]:
    found = []
    for m in _AMOUNT_WANYUAN.finditer(sentence):
        label, label_start = _paired_label(sentence, *_label_before(sentence, m.start()))
        if label_start and sentence[label_start - 1] in "：:" and _BARE_AMOUNT_LABEL.fullmatch(label):
            # "（一）收入预算：2026年年初预算数4198.44万元": the amount is named before the colon
            heading, _ = _label_before(sentence, label_start - 1)
            heading = _HEADING_NUMBER.sub("", heading)
            label = heading if subjects_of(heading) else label
        found.append(_Amount(m.start(), m.end(), parse_money(m), label, label_start, subjects_of(label)))
    return found


# An amount's label that names nothing but the year and the kind of figure ("2026年年初预算数").
_BARE_AMOUNT_LABEL = re.compile(r"(?:\d{4}年度?)?(?:年初)?(?:预算数|预算|合计|总计|共计|总额)?")
_HEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?")


def _paired_label(sentence: str, label: str, start: int) -> tuple[str, int]:
    """"收入、支出预算总计": "、" ends a label, but here it joins the pair the amount belongs to."""
    if start == 0 or sentence[start - 1] != "、":
        return label, start
    before, before_start = _label_before(sentence, start - 1)
    paired = f"{before}、{label}"
    return (paired, before_start) if len(subjects_of(paired)) == 2 else (label, start)


def _changes(sentence: str) -> list[re.Match]:
    matches = [m for m in _CHANGE.finditer(sentence) if m["chg"] or m["pct"]]
    matches += list(_SAME.finditer(sentence))
    matches += list(_NEW_ITEM.finditer(sentence))
    matches += _listed_changes(sentence, matches)
    return sorted(matches, key=lambda m: m.start())


def _listed_changes(sentence: str, matches: list[re.Match]) -> list[re.Match]:
    """"“三公”经费比2025年减少1.50万元，其中：…公务接待费减少0.30万元，下降20.00%": the items of a 其中
    list after a stated change, each with its change said without 比上年 again."""
    first = min((m.end() for m in matches), default=None)
    opener = sentence.find("其中", first) if first is not None else -1
    if opener < 0 and first is not None and sentence.lstrip().startswith("其中"):
        opener = 0  # "…下降12.50%。其中：A与上年持平…；B减少8,000.00元": the list is a sentence of its own
    if opener < 0:
        return []
    taken = [(m.start(), m.end()) for m in matches]
    return [m for m in _LISTED_CHANGE.finditer(sentence, opener)
            if not any(a < m.end() and m.start() < b for a, b in taken)]


def _subjects_without_amount(segment: str) -> tuple[str, ...]:
    """"一般公共预算当年支出比上年增加…", "收支总预算比上年…": the subjects right before the comparison."""
    label, _ = _label_before(segment, len(segment))
    return subjects_of(label) if label else ()


def _stated_in_sentence(sentence: str, offset: int, body: _Text, section: str) -> list[StatedFigure]:
    amounts = _amounts(sentence)
    changes = _changes(sentence)
    items: list[tuple[re.Match, _Amount | None, str]] = []
    floor = 0
    for change in changes:
        candidates = [a for a in amounts if floor <= a.label_start and a.end <= change.start() and a.subject]
        each = subjects_of(change.groupdict().get("each") or "")
        named = subjects_of(change.groupdict().get("named") or "")
        if named:  # "与上年相比，部门财务总收入增加…": the subject named after the comparison
            for subject in named:
                own = [a for a in candidates if subject in a.subjects]
                items.append((change, own[-1] if own else None, subject))
        elif len(each) > 1:  # "收、支总计各增加…": both subjects, each with its amount when stated before
            for subject in each:
                own = [a for a in candidates if subject in a.subjects]
                items.append((change, own[-1] if own else None, subject))
        elif candidates:
            # the subject nearest the change ("收入预算X万元，其中：财政拨款收入Y万元，比上年…" is Y's),
            # unless it is a part listed in brackets ("运行费A万元（其中，…B万元），比上年…" is A's) or
            # the last of a 其中 list ("收入总计A万元，其中：本年收入B万元，上年结转C万元，比上年…" is A's)
            outside = [a for a in candidates if not _bracketed(sentence, a.start, change.start())]
            listed = [a for a in amounts if floor <= a.label_start and a.end <= change.start()]
            chosen = _listed_whole(sentence, outside, listed) or (outside or candidates)[-1]
            items.extend((change, chosen, subject) for subject in chosen.subjects)
        else:
            subjects = _subjects_without_amount(sentence[floor:change.start()])
            items.extend((change, None, subject) for subject in subjects)
        floor = change.end()

    figures = []
    for i, (change, amount, subject) in enumerate(items):
        direction, delta, percent, base = _change_values(change)
        if change.re is _NEW_ITEM:
            delta = amount.value if amount else None
        next_start = len(sentence)
        following = next((item for item in items[i + 1:] if item[0] is not change), None)
        if following:  # the next item's label ends this one's reason ("…计划；公务用车运行维护费减少…")
            next_start = following[1].label_start if following[1] else \
                _label_before(sentence, following[0].start(), change.end())[1]
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
                change_base=base,
                prior=_prior_of(change),
            )
        )
    return figures


def _listed_whole(sentence: str, candidates: list[_Amount], amounts: list[_Amount]) -> _Amount | None:
    """The figure a 其中 list of two or more amounts breaks down, when the change follows the list."""
    opener = sentence.rfind("其中", 0, candidates[-1].start) if candidates else -1
    if opener < 0:
        return None
    wholes = [a for a in candidates if a.end <= opener]
    parts = [a for a in amounts if a.start > opener]
    return wholes[-1] if wholes and len(parts) >= 2 else None


def _bracketed(sentence: str, position: int, before: int) -> bool:
    """Whether `position` lies inside a bracket that closes before `before`."""
    opened = max(sentence.rfind("（", 0, position), sentence.rfind("(", 0, position))
    if opened == -1:
        return False
    closes = [i for i in (sentence.find("）", opened), sentence.find(")", opened)) if i != -1]
    return bool(closes) and position < min(closes) < before


def _change_values(change: re.Match) -> tuple[Direction | None, Decimal | None, Decimal | None, str | None]:
    """(direction, signed change, signed percent, base) of a _CHANGE or _SAME match."""
    groups = change.groupdict()
    word = groups.get("base") or groups.get("base2")
    base = CHANGE_BASES.get(word) if word else None
    if change.re is _SAME:
        return "持平", Decimal(0), None, base
    if change.re is _NEW_ITEM:
        return "增加", None, None, base  # the change is the amount itself (set by the caller)
    direction = _direction(change["dir"])
    delta = _signed(parse_money(change, "chg"), direction)
    percent = _signed(parse_amount(change["pct"]), _direction(change["pdir"]) or direction)
    return direction, delta, percent, base


def _prior_of(change: re.Match) -> Decimal | None:
    """Last year's figure when the comparison names it ("比2025年预算数2,698.20万元增加…")."""
    return parse_money(change, "prior")


def _reason(sentence: str, start: int, end: int) -> str | None:
    match = _REASON_START.search(sentence, start, max(start, end))
    # the reason must follow its figure ("…，其主要原因是" allows "其"; what the money is for may
    # come between: "…增加480万元，主要用于X，增加原因是…")
    lead = _REASON_LEAD_SKIPPED.sub("", sentence[start:match.start()]).strip(" ，,；;") if match else ""
    # or the parts the figure is made of: "…减少1.20万元，其中购置费0万元，…运行维护费18.00万元，主要原因是…"
    parts_between = lead.startswith("其中") and not re.search(r"[；;。]", lead)
    if not match or (len(lead) > REASON_LEAD_MAX and not parts_between):
        return None
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
        if amount.start in taken:
            continue
        for subject in amount.subjects:
            figures.append(
                StatedFigure(
                    subject=subject,
                    value=amount.value,
                    sentence=sentence,
                    section=section,
                    location=body.location_at(offset + amount.start),
                )
            )
    return figures


def _shares_in_sentence(sentence: str, offset: int, body: _Text, section: str) -> list[StatedShare]:
    shares: list[StatedShare] = []
    share_matches = list(_SHARE.finditer(sentence))
    if not share_matches:
        return shares
    head = None
    for amount in _amounts(sentence):
        if amount.start >= share_matches[0].start():
            break
        head = head or _resolve(amount.label, _WHOLE_KEYS)
    if head is None and (opener := _WHOLE_OPENER.match(sentence.strip())):
        head = _resolve(opener["whole"], _WHOLE_KEYS)  # "本年收入中，一般公共预算拨款收入…占92.42%"
    for m in share_matches:
        label, _ = _label_before(sentence, m.start())
        shares.append(
            StatedShare(
                subject=_resolve(label, _subject_keys(), exact=True) or label,
                value=parse_money(m),
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
    return parse_money(match)


def _span_sentence(text: str, start: int, end: int) -> str:
    """The whole sentences covering text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END + "\n") + 1
    right = min((i for i in (text.find(c, end) for c in _SENTENCE_END + "\n") if i != -1), default=len(text))
    return text[left:right + 1].strip()


def _amount_after(words: str, text: str) -> re.Match | None:
    return re.search(rf"{words}(?:采购)?(?:预算)?(?:支出|金额|资金)?(?:总额|总计|合计)?(?:为|是)?\s*{_AMOUNT_MONEY}",
                     text)


def _procurement(section: _RawSection) -> Procurement | None:
    text = section.body.text
    total = re.search(
        rf"政府采购(?:预算)?(?:总额|总计|合计)(?:为|是)?\s*{_AMOUNT_MONEY}", text
    ) or re.search(rf"政府采购预算(?:为|是)?\s*{_AMOUNT_MONEY}", text)
    parts = {key: _amount_after(words, text) for key, words in
             (("goods", "货物(?:类)?"), ("works", "工程(?:类)?"), ("services", "(?<!公共)服务(?:类)?"))}
    reserved = {key: pattern.search(text) for key, pattern in PROCUREMENT_RESERVED.items()}
    found = [m for m in (total, *parts.values(), *reserved.values()) if m]
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
        sme_reserved=_amount_of(reserved["sme_reserved"]),
        small_micro_reserved=_amount_of(reserved["small_micro_reserved"]),
    )


# 面向中小企业预留…X万元，其中，预留给小型和微型企业的…Y万元
PROCUREMENT_RESERVED: dict[str, re.Pattern] = {
    "sme_reserved": re.compile(rf"(?:面向|预留(?:给)?)中小企业[^0-9。；;]{{0,24}}?{_AMOUNT_MONEY}"),
    "small_micro_reserved": re.compile(
        rf"(?:面向|预留(?:给)?)(?:小型和微型|小型、微型|小微)企业[^0-9。；;]{{0,24}}?{_AMOUNT_MONEY}"
    ),
}


_PERFORMANCE_CATEGORY = re.compile(
    rf"(?:其中[：:，,]?)?(?P<name>[\u4e00-\u9fff]{{2,8}}类)项目\s*(?P<n>\d+)\s*个[，,]?\s*"
    rf"涉及(?:项目)?(?:金额|资金)\s*{_AMOUNT_MONEY}"
)


# The projects with 绩效目标 and their money: "二级项目N个，共计金额X万元" (Shanxi),
# "编报绩效目标的项目共N个，涉及项目预算资金X万元" (Shanghai). The first wording found wins.
PERFORMANCE_PROJECTS = (
    re.compile(rf"二级项目\s*(?P<n>\d+)\s*个[，,]?\s*(?:共计|合计|涉及)?(?:金额|资金)?\s*{_AMOUNT_MONEY}"),
    re.compile(
        rf"(?:编报|设置|申报|填报|实行|纳入)(?:了)?绩效目标(?:管理)?的项目(?:共计|共|合计)?\s*(?P<n>\d+)\s*个"
        rf"(?:[（(][^（()）]{{0,30}}[)）])?[，,]?\s*"  # "项目15个（上年结转项目不再重复设置），涉及…"
        rf"(?:共计|合计|涉及)?[^，,。；;\d]{{0,14}}?{_AMOUNT_MONEY}"  # 涉及项目支出预算… / 涉及…当年拨款…
    ),
    re.compile(  # "本年预算项目全部编制项目支出绩效目标，共12个，涉及资金1497.00万元"
        rf"(?:编制|编报|设置|申报|填报)(?:了)?(?:项目支出)?绩效目标[，,]\s*(?:共计|共|合计)\s*(?P<n>\d+)\s*个[，,]?\s*"
        rf"(?:共计|合计|涉及)?[^，,。；;\d]{{0,14}}?{_AMOUNT_MONEY}"
    ),
    re.compile(  # "共10个项目实行绩效目标管理，涉及财政拨款1414.00万元"
        rf"(?P<n>\d+)\s*个项目(?:实行|纳入|编报|设置|开展|编制)(?:了)?绩效目标(?:管理)?[，,]?\s*"
        rf"(?:共计|合计|涉及)?[^，,。；;\d]{{0,14}}?{_AMOUNT_MONEY}"
    ),
)
PERFORMANCE_PUBLISHED = (
    re.compile(rf"公开(?:重点)?(?:项目)?(?:支出)?绩效目标\s*(?P<n>\d+)\s*个[，,]?\s*涉及(?:项目)?(?:预算)?(?:金额|资金)\s*"
               rf"{_AMOUNT_MONEY}"),
    re.compile(  # "选取其中7个重点项目公开绩效目标，涉及一般公共预算当年拨款16048.50万元"
        rf"(?P<n>\d+)\s*个(?:重点)?项目(?:的)?(?:随[^，,。；;\d]{{0,8}})?公开(?:了)?(?:项目)?绩效目标[，,]?\s*"
        rf"(?:共计|合计|涉及)?[^，,。；;\d]{{0,14}}?{_AMOUNT_MONEY}"),
)
_PERFORMANCE_UNITS = re.compile(r"(?P<n>\d+)\s*(?:个|家)(?:预算)?单位(?:开展|编报|参与)")


def _performance(section: _RawSection) -> PerformanceSummary | None:
    text = section.body.text
    projects = next((m for pattern in PERFORMANCE_PROJECTS if (m := pattern.search(text))), None)
    published = next((m for pattern in PERFORMANCE_PUBLISHED if (m := pattern.search(text))), None)
    first = projects or published
    if first is None:
        return None
    scope_end = published.start() if published else len(text)
    scope_start = projects.end() if projects else 0
    category_matches = list(_PERFORMANCE_CATEGORY.finditer(text, scope_start, scope_end))
    categories = [
        PerformanceCategory(category=m["name"], count=int(m["n"]), amount=parse_money(m))
        for m in category_matches
    ]
    last = published or (category_matches[-1] if category_matches else first)  # first is projects here
    # "涉及一般公共预算…13152.65万元、政府性基金…1260.00万元，合计14412.65万元": the sentence's 合计
    total = _PERFORMANCE_TOTAL.match(text, projects.end()) if projects else None
    return PerformanceSummary(
        project_count=int(projects["n"]) if projects else None,
        amount=parse_money(total) if total else _amount_of(projects),
        categories=categories,
        published_count=int(published["n"]) if published else None,
        published_amount=_amount_of(published),
        sentence=_span_sentence(text, first.start(), last.end()),
        location=section.body.location_at(first.start()),
        unit_count=int(units["n"]) if (units := _PERFORMANCE_UNITS.search(text)) else None,
    )


_PERFORMANCE_TOTAL = re.compile(rf"[^。；;]*?[，,]\s*(?:合计|共计)\s*{_AMOUNT_MONEY}")
_EQUIPMENT = re.compile(
    r"(?P<limit>\d+)\s*万元\s*(?:[（(](?:原值|含)[）)])?\s*(?:及)?以上的?\s*(?P<name>[^0-9，,。；;（(]{0,8}?设备)"
    r"\s*(?:[（(][^）)0-9]{0,10}[）)])?\s*(?P<n>\d+)\s*台"
)
_VEHICLE_TYPE = re.compile(r"(?P<name>[^，,：:；;。、\d\s]{2,12}?用车)\s*(?P<n>\d+)\s*辆")


def _first_match(patterns: tuple[str, ...], text: str, keep) -> re.Match | None:
    found = [m for pattern in patterns for m in re.finditer(pattern, text) if keep(m)]
    return min(found, key=lambda m: m.start(), default=None)


def _vehicle_types(text: str, head: re.Match | None) -> dict[str, int]:
    """"其中：领导用车0辆，…": the types listed after the count, up to the end of its sentence."""
    if head is None:
        return {}
    sentence_end = min((i for i in (text.find(c, head.end()) for c in "。\n") if i != -1), default=len(text))
    return {m["name"]: int(m["n"]) for m in _VEHICLE_TYPE.finditer(text[head.end():sentence_end])}


def _assets(section: _RawSection) -> Assets | None:
    text = section.body.text
    # "…预算安排购置车辆N辆…": the sentences about planned purchases, not what the unit holds
    planned_spans = [(o, o + len(s)) for o, s in _sentences(text) if any(w in s for w in PLANNED_WORDS)]

    def held(m: re.Match) -> bool:
        return not any(a <= m.start() < b for a, b in planned_spans)

    as_of = re.search(r"截至\s*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)", text)
    quota = re.search(r"编制\s*(?P<n>\d+)\s*辆", text)
    actual = _first_match(VEHICLES_ACTUAL, text, held)
    planned = _first_match(VEHICLES_PLANNED, text, lambda m: not held(m))
    area = re.search(rf"办公用房[^0-9。；;]{{0,12}}?面积\s*(?:为)?\s*(?P<amount>{AMOUNT})\s*平方米", text)
    equipment = {f"{m['limit']}万元以上{m['name']}": int(m["n"]) for m in _EQUIPMENT.finditer(text) if held(m)}
    planned_equipment = {
        f"{m['limit']}万元以上{m['name']}": int(m["n"]) for m in _EQUIPMENT.finditer(text) if not held(m)
    }
    if not any((quota, actual, area, equipment, planned)):
        return None
    sentences = [s.strip() for _, s in _sentences(text) if re.search(r"\d", s) and not is_heading_text(s, _SUB_HEADING)]
    first = as_of or quota or actual or area or planned
    return Assets(
        as_of=as_of["date"] if as_of else None,
        vehicles_quota=int(quota["n"]) if quota else None,
        vehicles_actual=int(actual["n"]) if actual else None,
        vehicles_by_type=_vehicle_types(text, actual),
        office_area=_amount_of(area),
        equipment=equipment,
        sentences=sentences,
        location=section.body.location_at(first.start() if first else 0),
        planned_vehicles=int(planned["n"]) if planned else None,
        planned_vehicles_by_type=_vehicle_types(text, planned),
        planned_equipment=planned_equipment,
    )


# ---------------------------------------------------------------- entry point


def parse_narrative(blocks: list[Block], doc_id: str) -> Narrative:
    narrative = Narrative()
    raws = _split_sections(block_lines(blocks, doc_id))
    for raw in raws:
        narrative.sections.append(
            Section(part="情况说明", number=raw.number or None, title=raw.title, text=raw.body.text,
                    location=raw.location, parent=raw.parent)
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
    for raw in raws:
        _read_special_within(raw, narrative)
        narrative.projects += listed_projects(raw.body.text, raw.body.location_at)
    _share_reasons(narrative.stated)
    return narrative


def _share_reasons(stated: list[StatedFigure]) -> None:
    """"收入、支出预算总计X万元，…收、支总计各增加Y万元。主要原因是…": one change stated for two
    subjects has one reason, read with the last of them; the others share it."""
    for figure in stated:
        if figure.reason is None and figure.change is not None:
            figure.reason = next((s.reason for s in stated if s.sentence == figure.sentence and s.reason
                                  and s.change == figure.change and s.value == figure.value), None)


# A section's title names it (九、政府采购情况); failing that, a sub-heading inside another section
# does ("九、其他重要事项的情况说明" / "（二）政府采购情况"): field -> (title word, reader).
SPECIAL_SECTIONS = {
    "procurement": (PROCUREMENT_TITLE, lambda raw: _procurement(raw)),
    "assets": (ASSETS_TITLE, lambda raw: _assets(raw)),
    "performance": (PERFORMANCE_TITLE, lambda raw: _performance(raw)),
}


def _read_special_within(raw: _RawSection, narrative: Narrative) -> None:
    for name, (word, read) in SPECIAL_SECTIONS.items():
        if getattr(narrative, name) is None and word in raw.body.text:
            setattr(narrative, name, read(raw))


def _read_figures(raw: _RawSection, narrative: Narrative) -> None:
    seen = {(f.subject, f.value) for f in narrative.stated}
    text = raw.body.text
    items = _function_items(raw)
    in_item = [(item.start, item.end) for item in items]
    read: list[tuple[int, StatedFigure]] = [(item.start, item.figure) for item in items]
    sentences = _sentences(text)
    previous: list[StatedFigure] = []  # the figures of the sentence before, same paragraph, without a change
    for k, (offset, sentence) in enumerate(sentences):
        if any(start <= offset < end for start, end in in_item):
            narrative.shares.extend(_shares_in_sentence(sentence, offset, raw.body, raw.label))  # "…，占32.50%"
            previous = []
            continue
        if text[offset - 1:offset] == "\n":
            previous = []
        following = sentences[k + 1] if k + 1 < len(sentences) else None
        continued = _continue_change(previous, sentence, text, following) if previous else []
        if continued:  # a figure stated again with its change is kept even when seen before
            read.extend((offset, f) for f in continued if all(f is not g for _, g in read))
            previous = []
            continue
        if _apply_shared_reason(sentence, [figure for _, figure in read]):
            previous = []
            continue
        changed = _stated_in_sentence(sentence, offset, raw.body, raw.label)
        if changed and changed[-1].reason is None and following:
            changed[-1].reason = _reason_sentence(text, following)
        shares = _shares_in_sentence(sentence, offset, raw.body, raw.label)
        taken = {m.start() for m in _SHARE.finditer(sentence)}
        taken |= {a.start for a in _amounts(sentence) for f in changed if f.value == a.value and f.subject == a.subject}
        stated_plainly = _plain_figures(sentence, offset, raw.body, raw.label, taken)
        plain = [f for f in stated_plainly if (f.subject, f.value) not in seen]
        for figure in changed + plain:
            seen.add((figure.subject, figure.value))
        read.extend((offset, figure) for figure in changed + plain)
        narrative.shares.extend(shares)
        previous = stated_plainly if stated_plainly and not changed else []
    narrative.stated.extend(figure for _, figure in sorted(read, key=lambda pair: pair[0]))


# ---------------------------------------------------------------- follow-on sentences


def _continue_change(figures: list[StatedFigure], sentence: str, text: str,
                     following: tuple[int, str] | None) -> list[StatedFigure]:
    """"公务接待费1.00万元。与2024年预算持平，主要原因是…": a sentence opening with the change of
    the figure the sentence before stated without one ("收入总计X万元，支出总计Y万元。与上年相比，
    收、支总计各增加…": of both)."""
    stripped = sentence.lstrip()
    change = next(iter(_changes(stripped)), None)
    lead = stripped[:change.start()] if change is not None else ""
    if change is None or (lead and lead not in BARE_TOTAL_WORDS) or change.groupdict().get("named"):
        return []  # (a sentence naming what changed, "与上年相比，X增加…", is about X)
    each = subjects_of(change.groupdict().get("each") or "")
    targets = [f for f in figures if f.subject in each] if len(each) > 1 else []
    if lead:  # "收入较去年减少189.46万元": the total the sentence before stated
        targets = [f for f in figures if f.subject in subjects_of(lead + "总计")][:1]
        if not targets:
            return []
    targets = targets or figures[-1:]
    targets = [f for f in targets if f.direction is None]
    if not targets:
        return []
    reason = _reason(stripped, change.end(), len(stripped))
    if reason is None and following:
        reason = _reason_sentence(text, following)
    for figure in targets:
        figure.direction, figure.change, figure.change_percent, figure.change_base = _change_values(change)
        figure.prior = figure.prior or _prior_of(change)
        figure.reason = reason
        figure.sentence = f"{figure.sentence}{stripped}"
    return targets


_SHARED_REASON = re.compile(
    rf"^(?P<head>[^\d，,。；;：:]{{2,24}}?)(?P<dir>{_UP}|变动|变化)?(?:的)?(?=(?:主要)?原因)"
)


def _named_subjects(head: str) -> set[str]:
    """Subjects a reason sentence names: "财政拨款收入支出" -> 财政拨款收入, 财政拨款支出."""
    for suffix, endings in COMPOUND_SUBJECTS.items():
        if head.endswith(suffix):
            stem = head[: -len(suffix)]
            return {s for s in (subject_of(stem + ending) for ending in endings) if s}
    subject = subject_of(head)
    return {subject} if subject else set()


def _apply_shared_reason(sentence: str, figures: list[StatedFigure]) -> bool:
    """"财政拨款收入支出增加的主要原因是：…": one reason for the figures the sentence names."""
    match = _SHARED_REASON.match(sentence.strip())
    if match is None or _AMOUNT_WANYUAN.search(sentence):
        return False
    subjects = _named_subjects(match["head"])
    word = match["dir"]
    direction = _direction(word) if word in INCREASE_WORDS + DECREASE_WORDS else None
    targets = [f for f in figures if f.subject in subjects and f.reason is None and f.direction
               and f.direction != "持平" and (direction is None or f.direction == direction)]
    if not targets:
        return False
    start = _REASON_START.search(sentence.strip())
    reason = sentence.strip()[start.start() if start else match.end():].rstrip(" ，,；;、。")
    for figure in targets:
        figure.reason = reason or None
    return True


# ---------------------------------------------------------------- 功能科目 items


_ITEM_NUMBER = rf"(?:\d{{1,3}}\s*[.．、]|[（(]\s*(?:[{CN_DIGITS}]{{1,3}}|\d{{1,2}})\s*[）)])"
_FUNCTION_ITEM = re.compile(
    # numbered, or unnumbered after 其中：/； when it starts with a 类 ("其中：城乡社区支出（类）…；…")
    rf"(?:(?:^|(?<=[：:；;]))\s*{_ITEM_NUMBER}|(?<=[：:；;])(?=[^（(\n，,。；;]{{2,20}}[（(]类[）)]))\s*(?P<quote>[“\"])?(?P<name>[^“”\"\n，,。；;]{{2,80}}?)[”\"]?\s*(?:科目)?\s*"
    # the amount may follow on the next line: "…（项）\n2026年预算数为X万元"
    rf"(?:(?:本年|\d{{4}}\s*年度?)\s*)?(?:预算数?)?(?:为)?\s*{_AMOUNT_MONEY}",
    re.M,
)
_CODED_NAME = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,30})\s*[（(](?:\d{3}|\d{5}|\d{7})[)）]")
_LEVEL_MARKER = re.compile(rf"[（(]\s*(?:{'|'.join(FUNCTION_LEVEL_MARKERS)})\s*[）)]")
_ITEM_CONTINUATION = re.compile(
    rf"{_PRIOR}(?:当年)?(?:预算)?(?:执行|决算|安排)|(?:主要)?原因|(?:与|比|较){_PRIOR}"
)
_USED_FOR = re.compile(r"主要用于(?P<what>[^。\n]*)")
_ITEM_PRIOR = re.compile(rf"{_PRIOR}(?:当年)?{_BASE}(?:为|是)?\s*{_AMOUNT_MONEY}")
_ITEM_RESTATED = re.compile(rf"(?:本年|\d{{4}}\s*年度?)(?:预算)?安排(?:为|了)?\s*{_AMOUNT_MONEY}")


@dataclass
class _Item:
    start: int
    end: int
    figure: StatedFigure


def function_path(name: str, quoted: bool) -> str | None:
    """"一般公共服务支出（类）商贸事务（款）行政运行（项）" or a quoted "类-款-项" -> "类/款/项"."""
    coded = _CODED_NAME.fullmatch(name.strip(" ：:"))
    if coded:  # "（6）农业生产发展（2130122）120.00万元": a 科目 named with its code
        return coded["name"]
    if _LEVEL_MARKER.search(name):
        parts = _LEVEL_MARKER.split(name)
    elif name.strip(" ：:") in _class_names() or _spending_item(name.strip(" ：:")):
        return name.strip(" ：:")  # "（七）城乡社区支出1134.90万元，…比2025年减少…", "2.老年福利支出…"
    elif quoted:
        parts = re.split(f"[{re.escape(FUNCTION_PATH_DASHES)}]", name)
    else:
        return None
    stripped = (part.strip(" ：:") for part in parts)
    parts = [part for part in stripped if part and not part.isdigit()]  # "（项）2120501：" names no level
    if parts and parts[-1] in PATH_TAIL_WORDS:  # "…（项）支出86.30万元": 支出 names no level
        parts = parts[:-1]
    if len(parts) == 1 and _LEVEL_MARKER.search(name):  # "5.节能环保支出（类）50.00万元", "防汛（项）…"
        return parts[0]
    return FUNCTION_PATH_SEPARATOR.join(parts) if len(parts) >= 2 else None


def _spending_item(name: str) -> bool:
    """A numbered "X支出" that names a 科目 in words ("2.老年福利支出145.20万元，比上年增加…"), not
    one of the registry's subjects (基本支出, 项目支出 …), which the sentence reader knows."""
    key = fold_key(name)
    return (name.endswith("支出") and 4 <= len(name) <= 20 and not re.search(r"[\d（）()]", name)
            and not any(wording in key for wording, _ in _subject_keys() if len(wording) >= 3))


@lru_cache(maxsize=1)
def _class_names() -> frozenset[str]:
    """The 支出功能分类 类 names (prompts/function_classes.json)."""
    return frozenset(c.name for c in function_classes().classes)


def _item_end(text: str, start: int, limit: int) -> int:
    """An item runs to the end of its paragraph, and on over paragraphs that only continue it
    (the PDF reader may break "…主要用于X。" from "2023年当年预算执行数为…")."""
    end = text.find("\n", start)
    while 0 <= end < limit and _ITEM_CONTINUATION.match(text, end + 1):
        end = text.find("\n", end + 1)
    return limit if end == -1 or end > limit else end


@lru_cache(maxsize=1)
def _class_line() -> re.Pattern:
    """A paragraph opening with a 类 name and its amount, unnumbered ("卫生健康支出3,342.83万元，占90.35%，
    比上年增加…" in a list of the 类 of 一般公共预算支出)."""
    names = "|".join(sorted(map(re.escape, _class_names()), key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[；;]))\s*(?P<name>{names})\s*(?:为)?\s*{_AMOUNT_MONEY}", re.M)


def _function_items(raw: _RawSection) -> list[_Item]:
    text = raw.body.text
    heads = [(m, path) for m in _FUNCTION_ITEM.finditer(text) if (path := function_path(m["name"], bool(m["quote"])))]
    numbered = {m.start() for m, _ in heads}
    heads += [(m, m["name"]) for m in _class_line().finditer(text) if m.start() not in numbered]
    heads.sort(key=lambda pair: pair[0].start())
    items = []
    for k, (head, path) in enumerate(heads):
        limit = heads[k + 1][0].start() if k + 1 < len(heads) else len(text)
        if head.re is _class_line():  # one entry of a list: it ends with its own clause
            limit = min([limit] + [i for c in "；;。" if (i := text.find(c, head.end())) != -1])
        end = _item_end(text, head.end(), limit)
        items.append(_Item(head.start(), end, _item_figure(raw, head, path, text[head.start():end])))
    return items


def _item_figure(raw: _RawSection, head: re.Match, path: str, span: str) -> StatedFigure:
    tail = span[head.end() - head.start():]
    used = _USED_FOR.search(tail)
    prior = _ITEM_PRIOR.search(tail)
    restated = _ITEM_RESTATED.search(tail)
    change = next(iter(_changes(tail)), None)
    direction, delta, percent, base = _change_values(change) if change else (None, None, None, None)
    reason = None
    if change:
        sentence_end = min(
            (i for i in (tail.find(c, change.end()) for c in _SENTENCE_END) if i != -1), default=len(tail)
        )
        reason = _reason(tail, change.end(), sentence_end) or _reason_after(tail, sentence_end + 1)
    return StatedFigure(
        subject=path,
        value=parse_money(head),
        change=delta,
        change_percent=percent,
        direction=direction,
        reason=reason,
        sentence=span.strip(),
        section=raw.label,
        location=raw.body.location_at(head.start()),
        change_base=base,
        prior=parse_money(prior) if prior else _prior_of(change) if change else None,
        value_restated=parse_money(restated) if restated else None,
        used_for=used["what"].strip().rstrip(" ，,；;、") or None if used else None,
        function_item=True,
    )


def _reason_after(text: str, start: int) -> str | None:
    """The reason given as a later sentence of the item ("…减少57.14%。主要原因是：项目调整。", or
    after a sentence on what the money is for: "…增长3.26%。主要用于X。主要原因是…")."""
    for sentence in re.split(f"(?<=[{_SENTENCE_END}])", text[start:]):
        if _REASON_START.match(sentence.strip()):
            return sentence.strip().rstrip(" ，,；;、。") or None
    return None
