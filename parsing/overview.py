"""The document's identity (unit, year, 单位/部门) and 第一部分 概况 (职责, 机构设置, staff facts)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from core.model import Location, Overview
from core.text import clean_cell, without_trailing_note
from parsing.blocks import Block

# "X2026年度单位预算公开", "X2025年部门预算信息公开", and covers that name only the place and
# the level ("上海市普陀区2025年区级单位预算"), the unit then being on a 预算单位：/编制部门： line
_LEVEL = r"(?:(?:省|市|州|盟|县|区|旗|镇|乡|街道)级|本级)?"
IDENTITY_IN_LINE = re.compile(
    rf"^(?P<unit>.*?)\s*(?P<year>20\d{{2}})\s*年度?\s*{_LEVEL}\s*(?P<kind>单位|部门)(?:综合)?预算"
    r"(?:公开|信息公开|(?:公开)?(?:说明|文本)?$)"
)
KIND_ANYWHERE = re.compile(r"(?P<year>20\d{2})\s*年度?\s*(?P<kind>单位|部门)预算(?:报表|情况说明|公开|编制说明)")
# the year first: "2024年青岚县教育局部门预算", "2025年度东湖区科学技术委员会单位预算公开"
YEAR_FIRST = re.compile(
    r"^(?P<year>20\d{2})\s*年度?\s*(?P<unit>[\u4e00-\u9fff（）()]{2,40}?)\s*(?P<kind>单位|部门)(?:综合)?预算"
    r"(?:公开|信息公开|(?:公开)?(?:说明|文本)?)$"
)
LEVEL_ONLY = re.compile(r"^(?:(?:省|市|州|盟|县|区|旗|镇|乡|街道)级|本级)$")
PLACE_ONLY = re.compile(r"^(?:[\u4e00-\u9fff]{1,10}(?:省|自治区|市|州|盟|地区|县|区|旗))+$")
NARRATIVE_UNIT = re.compile(r"(?P<year>20\d{2})年度?(?P<unit>[^，,。0-9]{2,40}?)(?:部门|单位)?预算收入总计")
TABLE_YEAR = re.compile(r"(?P<year>20\d{2})\s*年.{0,20}(?:收支总表|收入总表|支出总表)")
# The lines that name the unit on a cover or above a table: 单位名称：/部门名称：, 编制单位：/编制部门：,
# 预算单位：/预算主管部门：/主管部门：; a trailing "单位：万元" is not part of the name.
ORG_LINE = re.compile(
    r"(?:(?:部门|单位)名称|部门|单位(?=[:：]\s*(?!万元|千元|亿元|元)[^\s:：]{2})|编制(?:单位|部门)|预算(?:主管)?(?:单位|部门)"
    r"|主管部门)[:：]\s*"
    r"(?P<name>[^:：\d]+?)\s*(?:(?:金额)?单位[:：].*)?$"
)
TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*\s*$")
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
ITEM = re.compile(r"^[一二三四五六七八九十]+、")
# 概况's headings, numbered 一、 or (in some documents) 1、: an arabic-numbered line is a heading
# only when short and without sentence punctuation, since duties are often listed 1、2、…
_MARK = r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|(?P<arabic>\d{1,2})[、.．](?!\d))"
DUTIES = re.compile(rf"^{_MARK}.{{0,8}}(?:职责|职能|主要职能|工作职责)")
ORGANISATION = re.compile(rf"^{_MARK}.{{0,6}}(?:机构设置|机构情况|组织机构|人员构成|单位构成)")
# read for its counts (编制, 在职) only
PEOPLE = re.compile(rf"^{_MARK}.{{0,8}}(?:人员情况|人员构成|基本情况|人员编制|编制情况|实有人数|人员及)")
# Headings without a number that name the section at their end: "X（部门）机构设置", "X主要职能"
UNNUMBERED_HEADING = re.compile(r"^[^，。；,;：:]{0,40}?(?:主要职能|职能职责|部门职责|单位职责|机构设置|机构设置情况)$")
# One listed unit of a 部门: "1. 上海市普陀区万里街道社区事务受理服务中心。" / "（2）XX局本级"
MEMBER_UNIT = re.compile(
    r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、)\s*(?P<name>[\u4e00-\u9fff（）()]{4,40}?)"
    r"\s*[。；;]?$"
)
ORG_NAME_END = re.compile(
    r"(?:局|委员会|委|办公室|办事处|中心|院|所|站|队|馆|校|学|医院|会|社|处|部|室|厅|团|台|园|场|厂)"
    r"(?:[（(](?:本部|本级|机关)[)）])?$|本级$|本部$|机关$"
)
NUMBERED = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、)\s*")
UNIT_DESCRIPTOR = re.compile(r"^(?:下属|所属)?(?:行政|参公|事业|预算)?单位[:：]?")
ORG_IN_SENTENCE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{4,30}?(?:中心|局|委员会|办公室|办事处|队|所|站|院|馆|学校|医院))"
)
UNIT_LIST = re.compile(
    r"单位(?:共|有)?\s*\d{1,3}\s*(?:个|家)[，,]?\s*(?:分别|具体)?(?:包括|包含|是|为)[:：](?P<names>[^。；]+)[。；]?"
)
UNIT_LIST_HEAD = re.compile(
    r"单位(?:共|有)?\s*(?P<n>\d{1,2})\s*(?:个|家)[，,]?\s*(?:分别|具体)?(?:包括|包含|是|为)[:：]\s*$"
)
UNIT_TABLE_HEAD = re.compile(r"单位[^。]{0,24}(?:包括|包含|如下|为)[:：]\s*$")  # "…二级预算单位包括：" + a table
UNIT_NAME_HEADERS = ("单位名称", "预算单位名称", "单位")
UNIT_CODE_HEADERS = ("单位编码", "单位代码", "预算单位编码", "预算单位代码")
NOT_A_NAME = re.compile(r"审核|目\s*录|公开|预算|\d|第.部分|^[（(]")

NONE_WORDS = ("无", "没有")  # "无下属预算单位": a count of 0
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"(\d+|[零〇一二两三四五六七八九十百]+)"
# fact key -> patterns over the 概况 text; the first group is the number
FACT_PATTERNS: dict[str, list[str]] = {
    "在职人员": [rf"(?:在职职工|在职人员|在职干部职工|在职)(?:共|总数)?(?:为|有)?{NUMBER}(?:人|名)",
                 rf"(?:实有人数|实有人员)(?:共|总数)?(?:为|有)?{NUMBER}(?:人|名)"],
    "内设科室": [rf"内设{NUMBER}个", rf"内设(?:机构|科室|职能部门|部门|处室|股室)(?:共|有)?{NUMBER}个",
                 rf"{NUMBER}个(?:内设)?(?:职能)?(?:科室|股室|处室|内设机构|职能部门|部门|科|股)"],
    "核定编制": [rf"编制[^。；;]{{0,40}}?[，,]共(?:计)?{NUMBER}(?:人|名)",  # "核定行政编制18名、工勤编制2名，共20名"
                 rf"(?:核定编制|编制人数|编制数|核定(?:人员)?编制(?:数)?|人员编制|行政编制|事业编制)(?:为|共)?"
                 rf"{NUMBER}(?:人|名|个)"],
    "离退休人员": [rf"(?:离退休人员|退休人员|离退休职工|退休职工|离退休|退休)(?:共|总数)?(?:为|有)?{NUMBER}(?:人|名)"],
    "在编人员": [rf"(?:实有)?在编(?:教职工|人员|干部职工|职工|干部)(?:共|总数)?(?:为|有)?{NUMBER}(?:人|名)"],
    "下属单位": [rf"下属(?:预算)?单位{NUMBER}个", rf"所属预算单位(?:数)?{NUMBER}个", rf"下属{NUMBER}家(?:预算)?单位",
                 r"(无)下属(?:预算)?单位", r"(没有)下属(?:预算)?单位"],
}
# labels in the 整体支出绩效目标申报表 -> fact key
FORM_FACTS = {
    "核定的人员编制数": "核定编制",
    "实际在职人员总数": "在职人员",
    "内设职能部门数": "内设科室",
    "所属预算单位数": "下属单位",
    "在编人员数": "在编人员",
}
FORM_LABEL = re.compile("|".join(FORM_FACTS))


def parse_identity(blocks: list[Block]) -> tuple[str, int, str] | None:
    """(unit, year, "单位"|"部门") from the cover, the 单位名称 lines and the tables' titles."""
    texts = [clean_cell(b.text) for b in blocks if b.kind != "table"]
    year, kind, cover_unit = _cover(texts)
    if year is None or kind is None:
        year, kind = _year_kind_elsewhere(texts, year, kind)
    if year is None:
        return None
    names = Counter(m.group("name") for t in texts if (m := ORG_LINE.search(t)))
    unit = None
    if cover_unit and PLACE_ONLY.match(cover_unit) and names:
        cover_unit = None  # the cover names the place; the unit is on the 预算单位 lines
    if cover_unit and (cover_unit in names or not names):
        unit = cover_unit
    elif names:
        unit = clean_cell(names.most_common(1)[0][0])
    if unit is None:
        unit = next((m.group("unit") for t in texts if (m := NARRATIVE_UNIT.search(t))), None)
    if not unit:
        return None
    return unit, year, kind or "单位"


def _cover(texts: list[str]) -> tuple[int | None, str | None, str | None]:
    for i, text in enumerate(texts[:80]):
        if TOC_LINE.search(text):
            continue
        m = IDENTITY_IN_LINE.search(text)
        y = YEAR_FIRST.match(text) if m is None or not clean_cell(m.group("unit")) else None
        if y and not LEVEL_ONLY.match(y.group("unit")):
            return int(y.group("year")), y.group("kind"), clean_cell(y.group("unit"))
        if not m:
            continue
        unit = clean_cell(m.group("unit")) or None
        if unit is None:
            unit = next((t for t in reversed(texts[max(0, i - 8):i]) if _name_like(t)), None)
        return int(m.group("year")), m.group("kind"), unit
    return None, None, None


def _name_like(text: str) -> bool:
    return 2 <= len(text) <= 40 and not NOT_A_NAME.search(text) and not re.search(r"[，。；：:]", text)


def _year_kind_elsewhere(texts, year, kind):
    for text in texts:
        if m := KIND_ANYWHERE.search(text):
            return year or int(m.group("year")), kind or m.group("kind")
    for text in texts:
        if m := TABLE_YEAR.search(text):
            return year or int(m.group("year")), kind
    return year, kind


def parse_overview(blocks: list[Block], doc_id: str) -> Overview:
    duties, duties_block = _section(blocks, DUTIES)
    organisation, org_block = _section(blocks, ORGANISATION)
    people = [text for text, _ in _sections(blocks, PEOPLE)]
    facts = _facts("\n".join(filter(None, [organisation, duties, *people])))
    fact_locations = {}
    for key, (value, page, line) in _form_facts(blocks).items():
        if key not in facts:
            facts[key] = value
            fact_locations[key] = Location(document=doc_id, page=page, line=line)
    anchor = duties_block or org_block
    location = Location(document=doc_id, page=anchor.page, line=anchor.line) if anchor else None
    return Overview(duties=duties, organisation=organisation, facts=facts, location=location,
                    fact_locations=fact_locations)


def _overview_heading(text: str, pattern: re.Pattern) -> bool:
    m = pattern.search(text)
    if m:
        return not m["arabic"] or (len(text) <= 30 and not re.search(r"[。，,；;]", text))
    u = UNNUMBERED_HEADING.match(text)
    return u is not None and _same_section(u.group(0), pattern)


def _same_section(heading: str, pattern: re.Pattern) -> bool:
    return ("机构" in heading) == (pattern is ORGANISATION)


def _listed_unit(line: str) -> str | None:
    """The unit a numbered line lists: the whole line ("1. X中心。"), or the organisation named
    in a sentence ("2.下属事业单位X中心不单列预算，并入本部。")."""
    m = MEMBER_UNIT.match(line)
    if m and ORG_NAME_END.search(m.group("name")):
        return m.group("name")
    if m and ORG_NAME_END.search(own := without_trailing_note(m.group("name"))):
        return own  # "X局本级（局机关）"
    if not NUMBERED.match(line):
        return None
    body = UNIT_DESCRIPTOR.sub("", NUMBERED.sub("", line, count=1), count=1)
    m = ORG_IN_SENTENCE.match(body)
    return m.group("name") if m else None


def parse_member_units(blocks: list[Block], overview: Overview) -> list[str]:
    """The units a 部门 document lists: numbered lines in its 机构设置 (本级/本部 first, as
    printed), or a sentence "…的单位共3个，包括：A、B、C。" anywhere in the 概况."""
    units: list[str] = []
    for line in (overview.organisation or "").splitlines():
        name = _listed_unit(clean_cell(line))
        if name and name not in units:
            units.append(name)
    if units:
        return units
    for i, block in enumerate(blocks):
        text = clean_cell(block.text) if block.kind != "table" else ""
        m = UNIT_LIST.search(text)
        if m:
            names = _listed_names(m.group("names"))
            if names and all(ORG_NAME_END.search(n) for n in names):
                return names
        if UNIT_TABLE_HEAD.search(text) and i + 1 < len(blocks) and blocks[i + 1].kind == "table":
            listed = _units_in_table(blocks[i + 1].rows)  # "…单位包括：" then a table 序号|单位代码|单位名称
            if listed:
                return listed
        head = UNIT_LIST_HEAD.search(text)
        if head:  # "…预算单位共3个，包括：" then one numbered line per unit
            numbered = [_listed_unit(clean_cell(b.text)) for b in blocks[i + 1:i + 1 + int(head.group("n"))]]
            listed = [name for name in numbered if name]
            if listed and len(listed) == len(numbered):
                return listed
    return _units_by_code(blocks)


def _listed_names(text: str) -> list[str]:
    """"A（本级，行政单位）、B（公益一类事业单位）": the names a sentence lists, split outside
    brackets; a bracket says 本级 or describes the unit (kept as （本级）, else dropped)."""
    names, depth, current = [], 0, ""
    for char in text:
        depth += (char in "（(") - (char in "）)")
        if depth == 0 and char in "、，,":
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    out = []
    for name in (n.strip() for n in names if n.strip()):
        note = _TRAILING_NOTE.search(name)
        if note and not ORG_NAME_END.search(name):
            own = any(w in note.group(1) for w in ("本级", "本部", "机关"))
            name = name[:note.start()] + ("（本级）" if own else "")
        out.append(name)
    return out


_TRAILING_NOTE = re.compile(r"[（(]([^（()）]*)[)）]$")


def _units_by_code(blocks: list[Block]) -> list[str]:
    """The units a table lists by 单位编码 (the 收入总表 of a 部门: 126001 本级, 126002 …), when
    nothing in the 概况 lists them: the leaf codes (a 部门's own shorter code is its subtotal)."""
    for block in blocks:
        if block.kind != "table" or not block.rows:
            continue
        head = [clean_cell(c) for c in block.rows[0]]
        code_col = next((j for j, c in enumerate(head) if c in UNIT_CODE_HEADERS), None)
        name_col = next((j for j, c in enumerate(head) if c in UNIT_NAME_HEADERS), None)
        if code_col is None or name_col is None:
            continue
        coded = [(clean_cell(r[code_col]), clean_cell(r[name_col])) for r in block.rows[1:]
                 if max(code_col, name_col) < len(r) and clean_cell(r[code_col]).isdigit()]
        longest = max((len(code) for code, _ in coded), default=0)
        names = list(dict.fromkeys(name for code, name in coded if len(code) == longest))
        if len(names) >= 2 and all(ORG_NAME_END.search(n) for n in names):
            return names
    return []


def _units_in_table(rows: list[list[str]]) -> list[str]:
    """The names under a 单位名称 header, when every one ends like an organisation's name."""
    for k, row in enumerate(rows):
        column = next((j for j, cell in enumerate(row) if clean_cell(cell) in UNIT_NAME_HEADERS), None)
        if column is None:
            continue
        names = [clean_cell(r[column]) for r in rows[k + 1:] if column < len(r) and clean_cell(r[column])]
        return names if names and all(ORG_NAME_END.search(n) for n in names) else []
    return []


def _section(blocks: list[Block], start: re.Pattern) -> tuple[str | None, Block | None]:
    """Text under the first heading matching `start` (outside the 目录) up to the next item."""
    return next(_sections(blocks, start), (None, None))


def _sections(blocks: list[Block], start: re.Pattern) -> Iterator[tuple[str, Block]]:
    """Text under each heading matching `start` (outside the 目录), each up to the next item."""
    for i, block in enumerate(blocks):
        text = clean_cell(block.text)
        if block.kind == "table" or TOC_LINE.search(text) or not _overview_heading(text, start):
            continue
        parts: list[str] = []
        for nxt in blocks[i + 1:]:
            t = clean_cell(nxt.text)
            if nxt.kind == "table" or PART.match(t) or ITEM.match(t) or TOC_LINE.search(t):
                break
            if _overview_heading(t, DUTIES) or _overview_heading(t, ORGANISATION):
                break
            if t:
                parts.append(t)
        if parts:
            yield "\n".join(parts), block


def _facts(text: str) -> dict[str, int]:
    facts: dict[str, int] = {}
    compact = re.sub(r"\s+", "", text)
    for key, patterns in FACT_PATTERNS.items():
        for pattern in patterns:
            if m := re.search(pattern, compact):
                number = _to_int(m.group(1))
                if number is not None:
                    facts[key] = number
                    break
    return facts


def _form_facts(blocks: list[Block]) -> dict[str, tuple[int, int | None, int | None]]:
    """Counts from the 整体支出绩效目标申报表 rows: label cell, then "9人"/"6个"; each with the
    row's page and line."""
    facts: dict[str, tuple[int, int | None, int | None]] = {}
    for block in blocks:
        if block.kind != "table":
            continue
        for i, row in enumerate(block.rows):
            if not FORM_LABEL.search("".join(c for c in row if c)):
                continue
            cells = [clean_cell(c) for c in row]
            for j, cell in enumerate(cells):
                key = next((v for k, v in FORM_FACTS.items() if cell.endswith(k)), None)
                if key is None or key in facts:
                    continue
                value = next((c for c in cells[j + 1:] if c), "")
                if m := re.fullmatch(r"(\d+)\s*(?:人|个|名)?", value):
                    page = block.row_pages[i] if i < len(block.row_pages) else block.page
                    line = block.row_lines[i] if i < len(block.row_lines) else block.line
                    facts[key] = (int(m.group(1)), page, line)
    return facts


def _to_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in NONE_WORDS:
        return 0
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current
