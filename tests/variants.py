"""Turn a real text export into a plausible disclosure of another unit, with the same figures.

Each transformation is a pure function of the export's text (tab-separated table rows,
other lines are prose, as parsing/read_text.py reads them) and changes only presentation or
identity: the unit's name, the year, the table labels, 单位/部门 wording, heading markup,
punctuation width, thousands separators, page breaks inside tables, names broken by a space.
Nothing is reordered and no figure changes.

    text = rename_unit(text, "晋城市城市管理局", "泽州县教育局")
    text = shift_years(text, 1)
    text = relabel_tables(text, "表N")

`make_variant(...)` composes them into a `Variant`: its steps, plus what the parser should
then read differently (`expect_prose` / `expect_cell` map the original's strings, and the
unit, year, kind, labels, section numbers and table titles the variant prints).
`transform_blocks` applies line-local changes to the PDF reader's blocks instead.
tests/test_unseen_variants.py compares a variant's Disclosure with the original's.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

CN_NUMERALS = "一二三四五六七八九十"

# --- document structure -------------------------------------------------------------------

_PART = re.compile(rf"^\s*(?:#+\s*|\*\*|<b>)*\s*第(?P<n>[{CN_NUMERALS}])部分")
_TOC_LEADER = re.compile(r"\.{3,}|…{2,}")
_MARKUP = re.compile(r"</?b>|\*\*|^#+\s*", re.IGNORECASE)
_LABEL = re.compile(
    rf"^(?:(?:预算|部门|单位|财政)?公开表\s*\d{{1,2}}|表\s*[{CN_NUMERALS}]{{1,3}})(?![{CN_NUMERALS}\d])"
)
_TITLE = re.compile(r"^20\d{2}\s*年.{2,60}表(?:[（(][^（）()]*[）)])*$")
_ORG_LINE = re.compile(r"^\s*(?:单位|部门)名称[:：]")


def _is_table_row(line: str) -> bool:
    return "\t" in line


def _bare(line: str) -> str:
    """A prose line without the export's heading markup."""
    return _MARKUP.sub("", line.strip()).strip()


def part_spans(text: str) -> dict[str, tuple[int, int]]:
    """Line ranges [start, end) of 第一..第四部分 in the body (not their 目录 entries)."""
    lines = text.split("\n")
    starts: dict[str, int] = {}
    for i, line in enumerate(lines):
        m = _PART.match(line)
        if not m or m["n"] in starts or _is_table_row(line) or _TOC_LEADER.search(line):
            continue
        if re.search(r"\s\d{1,3}$", _bare(line)):
            continue  # a 目录 entry without leaders: "第三部分 …说明 18"
        starts[m["n"]] = i
    order = sorted(starts.items(), key=lambda kv: kv[1])
    spans = {}
    for k, (name, start) in enumerate(order):
        end = order[k + 1][1] if k + 1 < len(order) else len(lines)
        spans[name] = (start, end)
    return spans


def _in_part(text: str, part: str) -> Callable[[int], bool]:
    spans = part_spans(text)
    start, end = spans.get(part, (0, 0))
    return lambda i: start <= i < end


def _map_lines(text: str, fn: Callable[[int, str], str | None]) -> str:
    """Apply fn(index, line) to every line; None drops the line."""
    out = []
    for i, line in enumerate(text.split("\n")):
        new = fn(i, line)
        if new is not None:
            out.append(new)
    return "\n".join(out)


def _prose(fn: Callable[[str], str]) -> Callable[[int, str], str]:
    return lambda _i, line: line if _is_table_row(line) else fn(line)


def table_title_lines(text: str) -> list[int]:
    """Indices of the 13 standard tables' title lines (第二部分, outside any table row)."""
    in_tables = _in_part(text, "二")
    found = []
    for i, line in enumerate(text.split("\n")):
        if not in_tables(i) or _is_table_row(line) or _PART.match(line):
            continue
        body = _LABEL.sub("", _bare(line), count=1).strip()
        if _TITLE.match(body) and "绩效" not in body:
            found.append(i)
    return found


# --- identity -----------------------------------------------------------------------------


def rename_unit(text: str, old: str, new: str) -> str:
    """Every mention of the unit's full name, also one broken by spaces, becomes `new`."""
    pattern = r"[ \u3000\n]*".join(map(re.escape, old))
    return re.sub(pattern, new, text)


# a 4-digit number followed by a unit is an amount or a count, not a year
_COUNT_UNITS = "万|元|千|亿|%|％|个|人|名|台|套|辆|平方|吨|户|件|次|家|项|张|份|米|公里|亩"
_YEAR = re.compile(rf"(?<![\d.,])(20[1-3]\d)(?!\d|\.\d|,\d{{3}}(?!\d)|\s*(?:{_COUNT_UNITS}))")


def shift_years(text: str, delta: int) -> str:
    """Every calendar year (2010–2039, not an amount or a count) moves by `delta`:
    2026年 -> 2027年, 比2025年 -> 比2026年, 截至2025年12月31日 -> 截至2026年12月31日."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


_KIND_PHRASES = {
    "部门": (("单位预算", "部门预算"), ("本单位", "本部门"), ("我单位", "我部门"), ("编报单位整体", "编报部门整体")),
    "单位": (("部门预算", "单位预算"), ("本部门", "本单位"), ("我部门", "我单位"), ("编报部门整体", "编报单位整体")),
}


def kind_phrases(s: str, kind: str) -> str:
    """The prose wording of a 单位 disclosure as a 部门 one (or back): 单位预算 -> 部门预算 …"""
    for old, new in _KIND_PHRASES[kind]:
        s = s.replace(old, new)
    return s


def switch_kind(text: str, kind: str) -> str:
    """Word the disclosure as a `kind` ("单位"/"部门") budget: cover, part titles, 本单位 …,
    and the 单位名称：/部门名称： lines. Table cells (column headers such as
    部门预算支出经济科目名称) stay as printed."""
    other = "单位" if kind == "部门" else "部门"

    def line_fn(line: str) -> str:
        line = kind_phrases(line, kind)
        return re.sub(rf"^(\s*){other}名称([:：])", rf"\g<1>{kind}名称\2", line)

    return _map_lines(text, _prose(line_fn))


def expenditure_title(s: str, summary: bool = True) -> str:
    """支出总表 <-> 支出汇总表 (the two names of 表三)."""
    return s.replace("支出总表", "支出汇总表") if summary else s.replace("支出汇总表", "支出总表")


def retitle_expenditure(text: str, summary: bool = True) -> str:
    return _map_lines(text, _prose(lambda line: expenditure_title(line, summary)))


# --- table labels -------------------------------------------------------------------------

_CN_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
LABEL_STYLES = ("表N", "预算公开表N", "附表N", "none")


def table_labels(style: str, count: int = 13) -> list[str | None]:
    """The label each table gets under `style`, in document order."""
    if style == "表N":
        return [f"表{_CN_ORDINALS[i]}" for i in range(count)]
    if style == "预算公开表N":
        return [f"预算公开表{i + 1}" for i in range(count)]
    if style == "附表N":
        return [f"附表{i + 1}" for i in range(count)]
    return [None] * count


def relabel_tables(text: str, style: str, inline: bool = False) -> str:
    """Remove every printed table label in 第二部分 (own line or in front of the title) and
    print `style`'s labels instead: on their own line above each title, or in front of it
    ("表一2026年预算收支总表") when `inline`."""
    lines = text.split("\n")
    titles = table_title_lines(text)
    labels = table_labels(style, len(titles))
    in_tables = _in_part(text, "二")
    out = []
    for i, line in enumerate(lines):
        if in_tables(i) and not _is_table_row(line) and _LABEL.fullmatch(_bare(line) or "-"):
            continue  # a label on its own line
        if i in titles:
            prefix = re.match(r"^\s*(?:#+\s*)?", line).group()
            body = _LABEL.sub("", _bare(line), count=1).strip()
            label = labels[titles.index(i)]
            if label and inline:
                out.append(f"{prefix}{label}{body}")
                continue
            if label:
                out += [label, ""]
            out.append(f"{prefix}{body}")
            continue
        out.append(line)
    return "\n".join(out)


# Other official titles of the 13 tables (national and provincial templates).
TITLE_SYNONYMS = {
    "预算收支总表": "部门收支总表",
    "预算收入总表": "部门收入总表",
    "预算支出总表": "部门支出总表",
    "预算支出汇总表": "部门支出总表",
    "财政拨款收支总表": "财政拨款收支预算总表",
    "一般公共预算支出预算表（不含上年结转）": "一般公共预算财政拨款支出表",
    "一般公共预算安排基本支出分经济科目表（不含上年结转）": "一般公共预算财政拨款基本支出表",
    "政府性基金预算收入表（不含上年结转）": "政府性基金预算收入表",
    "政府性基金预算支出表（不含上年结转）": "政府性基金预算财政拨款支出表",
    "国有资本经营预算收支预算表（不含上年结转）": "国有资本经营预算收支表",
    "财政拨款安排“三公”经费支出预算表": "一般公共预算“三公”经费支出表",
    "财政拨款安排机关运行经费预算表": "机关运行经费支出表",
    "项目支出预算表（本年预算）": "项目支出表",
    "项目支出预算表（上年结转）": "上年结转项目支出表",
}


def synonym_title(title: str, synonyms: bool = True, keep_year: bool = True) -> str:
    """A title as another template prints it: "2026年预算收支总表" -> "2026年部门收支总表"
    (see TITLE_SYNONYMS), and without its year unless `keep_year`."""
    m = re.match(r"^(?P<year>20\d{2}\s*年)?(?P<body>.*)$", title)
    body = TITLE_SYNONYMS.get(m["body"], m["body"]) if synonyms else m["body"]
    return (m["year"] or "") + body if keep_year else body


def retitle_tables(text: str, synonyms: bool = True, keep_year: bool = True) -> str:
    """The 13 titles worded as other templates word them, and/or printed without their year."""
    titles = set(table_title_lines(text))

    def line_fn(i: int, line: str) -> str:
        if i not in titles:
            return line
        prefix = re.match(r"^\s*(?:#+\s*)?", line).group()
        bare = _bare(line)
        label = _LABEL.match(bare)
        head = label.group() if label else ""
        return prefix + head + synonym_title(bare[len(head):].strip(), synonyms, keep_year)

    return _map_lines(text, line_fn)


def relabel_org_lines(text: str, label: str = "编制单位") -> str:
    """单位名称：X / 部门名称：X printed as `label`：X."""
    return _map_lines(text, _prose(lambda line: re.sub(r"^(\s*)(?:单位|部门)名称([:：])", rf"\g<1>{label}\2", line)))


def reword_cover(text: str, wording: str = "预算信息公开") -> str:
    """The cover's "2026年度单位预算公开" worded "2026年单位预算信息公开" (or `wording`)."""
    spans = part_spans(text)
    end = spans["一"][0] if "一" in spans else 40
    lines = text.split("\n")
    for i in range(min(end, len(lines))):
        m = re.match(r"^(\s*(?:#+\s*)?.*?20\d{2})\s*年度?(单位|部门)预算公开\s*$", lines[i])
        if m:
            lines[i] = f"{m.group(1)}年{m.group(2)}{wording}"
    return "\n".join(lines)


# --- headings and numbering ---------------------------------------------------------------

_HEADING_LIKE = re.compile(
    rf"^(?:第[{CN_NUMERALS}]+部分|[{CN_NUMERALS}]{{1,3}}、|[（(][{CN_NUMERALS}]{{1,3}}[)）]|\d{{1,2}}、)"
)


def _heading_like(bare: str, is_title: bool) -> bool:
    if is_title:
        return True
    return len(bare) <= 40 and not re.search(r"[。，,；;]", bare.rstrip("：:")) and bool(_HEADING_LIKE.match(bare))


def restyle_headings(text: str, style: str) -> str:
    """Heading markup as another exporter prints it: "none" (plain lines), "markdown"
    (## …), "bold" (**…**) or "html" (<b>…</b>). Markup inside lines goes too."""
    titles = set(table_title_lines(text))

    def line_fn(i: int, line: str) -> str:
        if _is_table_row(line) or not line.strip():
            return line
        bare = _bare(line)
        if style == "none" or not _heading_like(bare, i in titles):
            return bare
        if style == "markdown":
            level = "##" if bare.startswith("第") else "###"
            return f"{level} {bare}"
        if style == "bold":
            return f"**{bare}**"
        return f"<b>{bare}</b>"

    return _map_lines(text, line_fn)


_SUB_MARK = re.compile(
    rf"^(?P<lead>\s*(?:#+\s*|\*\*|<b>)*\s*)"
    rf"(?:[（(](?P<cn>[{CN_NUMERALS}]{{1,3}})[)）]|(?P<ar>\d{{1,2}})[、.．](?!\d))\s*"
)


def _cn_to_int(cn: str) -> int:
    if "十" not in cn:
        return CN_NUMERALS.index(cn) + 1
    tens, _, ones = cn.partition("十")
    return (CN_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (CN_NUMERALS.index(ones) + 1 if ones else 0)


def _int_to_cn(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def _marker(n: int, style: str) -> str:
    return {"（一）": f"（{_int_to_cn(n)}）", "(一)": f"({_int_to_cn(n)})", "1、": f"{n}、", "1.": f"{n}."}[style]


def renumber_subsections(text: str, style: str) -> str:
    """Sub-headings of 情况说明 ("(一) …", "1、整体绩效目标") numbered in `style`:
    "（一）", "(一)", "1、" or "1."."""
    in_narrative = _in_part(text, "三")

    def line_fn(i: int, line: str) -> str:
        if not in_narrative(i) or _is_table_row(line):
            return line
        m = _SUB_MARK.match(line)
        if not m or not _heading_like(_bare(line), False):
            return line
        n = _cn_to_int(m["cn"]) if m["cn"] else int(m["ar"])
        return m["lead"] + _marker(n, style) + line[m.end():]

    return _map_lines(text, line_fn)


_TOP_MARK = re.compile(rf"^(?P<lead>\s*(?:#+\s*|\*\*|<b>)*\s*)(?P<cn>[{CN_NUMERALS}]{{1,3}})、")


def renumber_glossary(text: str, style: str = "1、") -> str:
    """名词解释 terms numbered "1、" / "1." instead of "一、"."""
    in_glossary = _in_part(text, "四")

    def line_fn(i: int, line: str) -> str:
        if not in_glossary(i) or _is_table_row(line):
            return line
        m = _TOP_MARK.match(line)
        if not m:
            return line
        n = _cn_to_int(m["cn"])
        return m["lead"] + (f"{n}、" if style == "1、" else f"{n}.") + line[m.end():]

    return _map_lines(text, line_fn)


def renumber_top_sections(text: str) -> str:
    """情况说明 sections numbered "1、" instead of "一、" (their sub-headings become "（1）")."""
    text = renumber_subsections(text, "（一）")
    in_narrative = _in_part(text, "三")

    def line_fn(i: int, line: str) -> str:
        if not in_narrative(i) or _is_table_row(line):
            return line
        m = _TOP_MARK.match(line)
        if not m or not _heading_like(_bare(line), False):
            return line
        return m["lead"] + f"{_cn_to_int(m['cn'])}、" + line[m.end():]

    return _map_lines(text, line_fn)


def renumber_overview_headings(text: str) -> str:
    """概况's headings numbered "1、本单位职责", "2、机构设置情况" instead of "一、…"."""
    in_overview = _in_part(text, "一")

    def line_fn(i: int, line: str) -> str:
        if not in_overview(i) or _is_table_row(line):
            return line
        m = _TOP_MARK.match(line)
        if not m or not _heading_like(_bare(line), False):
            return line
        return m["lead"] + f"{_cn_to_int(m['cn'])}、" + line[m.end():]

    return _map_lines(text, line_fn)


def arabic_section_number(s: str) -> str:
    """"七" -> "7", "七、“三公”经费…" -> "7、“三公”经费…" (what renumber_top_sections prints)."""
    m = re.match(rf"^([{CN_NUMERALS}]{{1,3}})(?=、|$)", s)
    return f"{_cn_to_int(m.group(1))}{s[m.end():]}" if m else s


# --- punctuation and numbers --------------------------------------------------------------

_HALF = {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "％": "%", "！": "!", "？": "?"}


def halfwidth_prose(text: str) -> str:
    """Prose punctuation printed half-width (，：；（）％ -> , : ; ( ) %). 。 and 、 stay."""
    table = str.maketrans(_HALF)
    return _map_lines(text, _prose(lambda line: line.translate(table)))


def fullwidth_prose(text: str) -> str:
    """Prose punctuation printed full-width, except commas and colons between digits."""

    def line_fn(line: str) -> str:
        line = re.sub(r"(?<!\d),|,(?!\d{3})", "，", line)
        line = re.sub(r"(?<!\d):|:(?!\d)", "：", line)
        return line.replace(";", "；").replace("(", "（").replace(")", "）").replace("%", "％")

    return _map_lines(text, _prose(line_fn))


def _group(digits: str) -> str:
    return f"{int(digits):,}"


_CELL_DECIMAL = re.compile(r"^(\d{4,})(\.\d+)$")
_PROSE_WANYUAN = re.compile(r"(?<![\d,.])(\d{4,})(\.\d+)?(?=\s*万元)")
_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)")


def add_thousands(text: str) -> str:
    """Thousands separators on amounts: table cells with decimals (9799.45 -> 9,799.45) and
    prose amounts in 万元. Codes, years and counts are left alone."""

    def line_fn(_i: int, line: str) -> str:
        if _is_table_row(line):
            cells = line.split("\t")
            return "\t".join(
                (_group(m.group(1)) + m.group(2)) if (m := _CELL_DECIMAL.match(c.strip())) else c for c in cells
            )
        return _PROSE_WANYUAN.sub(lambda m: _group(m.group(1)) + (m.group(2) or ""), line)

    return _map_lines(text, line_fn)


def remove_thousands(text: str) -> str:
    """No thousands separators anywhere (9,799.45 -> 9799.45, 3,900,000 -> 3900000)."""
    return _GROUPED.sub(lambda m: m.group().replace(",", ""), text)


# --- tables: page breaks, broken names, empty notes ---------------------------------------

_DATA_CELL = re.compile(r"^-?\d[\d,]*\.\d+$|^\d{3}(?:\d{2}){0,2}$")


def _is_header_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return True
    if all(c.isdigit() for c in filled) and len(filled) >= 3 and filled[0] in ("0", "1"):
        return True  # column numbers 1 2 3 …
    if any(_DATA_CELL.match(c) for c in filled):
        return False
    return not re.search(r"(?:合计|总计|小计)$", filled[0]) and not re.match(r"^[一二三四五六七八九十]+、", filled[0])


def _header_and_data(lines: list[str], first: int, last: int) -> tuple[list[int], list[int]]:
    """Line indices of a table's header rows and of its data rows."""
    rows = [k for k in range(first, last + 1) if _is_table_row(lines[k])]
    n_header = 0
    while n_header < len(rows) and _is_header_row(lines[rows[n_header]].split("\t")):
        n_header += 1
    return rows[:n_header], rows[n_header:]


def _table_runs(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """[first, last] line indices of each run of table rows (single blank lines inside)."""
    runs, i = [], start
    while i < end:
        if not _is_table_row(lines[i]):
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < end and (
            _is_table_row(lines[j]) or (not lines[j].strip() and j + 1 < end and _is_table_row(lines[j + 1]))
        ):
            if _is_table_row(lines[j]):
                last = j
            j += 1
        runs.append((first, last))
        i = last + 1
    return runs


BREAK_STYLES = ("blank", "blank+header", "page_number", "watermark", "continued")


def insert_page_breaks(text: str, every: int = 9, style: str = "blank+header", part: str = "二") -> str:
    """Cut every long table of `part` into pages of `every` data rows (in 第三部分: the 绩效目标表
    forms, `every` rows of any kind), as a PDF-to-text export
    shows them: "blank" one blank line; "blank+header" one blank line and the header rows
    again; "page_number" two blank lines, "— 7 —", rows continue; "watermark" the same with a
    watermark line; "continued" the title again with （续）, 单位：万元 and the header rows."""
    lines = text.split("\n")
    start, end = part_spans(text).get(part, (0, 0))
    titles = set(table_title_lines(text))
    title_before: dict[int, str] = {}
    current_title = None
    for i in range(start, end):
        if i in titles:
            current_title = _bare(lines[i])
        title_before[i] = current_title
    inserts: dict[int, list[str]] = {}
    page = 3
    for first, last in _table_runs(lines, start, end):
        if part == "二":
            header_rows, data = _header_and_data(lines, first, last)
        else:  # 绩效目标表: forms, cut anywhere
            header_rows, data = [], [k for k in range(first, last + 1) if _is_table_row(lines[k])]
        header = [lines[k] for k in header_rows]
        for cut in range(every, len(data), every):
            page += 1
            at = data[cut]
            if style == "blank":
                block = [""]
            elif style == "blank+header":
                block = [""] + header
            elif style == "page_number":
                block = ["", "", f"— {page} —", "", ""]
            elif style == "watermark":
                block = ["", "", "仅供内部审核", "", ""]
            else:
                title = _LABEL.sub("", title_before.get(first) or "", count=1).strip()
                block = ["", "", f"{title}（续）", "", "单位：万元", "", ""] + header
            inserts[at] = block
    out = []
    for i, line in enumerate(lines):
        out += inserts.get(i, [])
        out.append(line)
    return "\n".join(out)


_CJK_NAME = re.compile(r"^[\u4e00-\u9fff“”（）()、]{6,}$")


def break_names(text: str, every: int = 3) -> str:
    """Every `every`-th Chinese name cell of a table printed with a space in its middle
    ("城市生活 垃圾分类工作奖励补助资金"), as wrapped PDF cells come out."""
    count = 0

    def cell_fn(cell: str) -> str:
        nonlocal count
        bare = cell.strip()
        if not _CJK_NAME.match(bare):
            return cell
        count += 1
        if count % every:
            return cell
        mid = len(bare) // 2
        return bare[:mid] + " " + bare[mid:]

    return _map_lines(text, lambda _i, line: "\t".join(map(cell_fn, line.split("\t"))) if _is_table_row(line) else line)


def break_unit_name(text: str, unit: str) -> str:
    """The unit's name broken by a space outside 情况说明 (cover, 概况, 单位名称 lines)."""
    mid = len(unit) // 2
    broken = unit[:mid] + " " + unit[mid:]
    in_body = _in_part(text, "三")

    def line_fn(i: int, line: str) -> str:
        if _is_table_row(line) or in_body(i):
            return line
        return line.replace(unit, broken)

    return _map_lines(text, line_fn)


EMPTY_NOTES = ("注：本表无数据", "注：本表无数据。", "注:本单位无此项预算,本表为空。", "本表无数据")


def reword_empty_notes(text: str, wording: str) -> str:
    return _map_lines(text, _prose(lambda line: wording if re.fullmatch(r"\s*注[:：]\s*本表无数据\s*", line) else line))


def dash_blank_cells(text: str, dash: str = "-") -> str:
    """Blank amount cells printed as "-" (many exporters do): in each table of 第二部分, a
    blank cell of a column that holds only amounts becomes `dash`. Blank is still blank."""
    lines = text.split("\n")
    start, end = part_spans(text).get("二", (0, 0))
    for first, last in _table_runs(lines, start, end):
        _, data_rows = _header_and_data(lines, first, last)
        data = [lines[k].split("\t") for k in data_rows]
        width = max((len(r) for r in data), default=0)
        numeric = []
        for j in range(width):
            cells = [r[j].strip() for r in data if j < len(r) and r[j].strip()]
            if cells and all(re.fullmatch(r"-?[\d,]+\.\d+", c) for c in cells):
                numeric.append(j)
        for k, cells in zip(data_rows, data):
            lines[k] = "\t".join(dash if j in numeric and not c.strip() else c for j, c in enumerate(cells))
    return "\n".join(lines)


def split_paragraphs(text: str, every: int = 2, style: str = "page_number") -> str:
    """Every `every`-th long paragraph of 情况说明 cut in two by a page break, as PDF
    exports show them: the first half, blank lines, "— 9 —" (or nothing), the second half.
    The cut falls between two Chinese characters, never inside a number."""
    in_narrative = _in_part(text, "三")
    count = 0
    page = 20

    def line_fn(i: int, line: str) -> str:
        nonlocal count, page
        if not in_narrative(i) or _is_table_row(line) or len(line) < 60 or _heading_like(_bare(line), False):
            return line
        count += 1
        if count % every:
            return line
        mid = len(line) // 2
        cut = next((k for k in range(mid, len(line) - 1)
                    if "\u4e00" <= line[k - 1] <= "\u9fff" and "\u4e00" <= line[k] <= "\u9fff"), None)
        if cut is None:
            return line
        page += 1
        gap = ["", "", f"— {page} —", "", ""] if style == "page_number" else [""]
        return "\n".join([line[:cut], *gap, line[cut:]])

    return _map_lines(text, line_fn)


def drop_empty_grids(text: str) -> str:
    """Empty tables printed as their title and 注：本表无数据 only, without the empty grid."""
    lines = text.split("\n")
    start, end = part_spans(text).get("二", (0, 0))
    drop: set[int] = set()
    for first, last in _table_runs(lines, start, end):
        rows = [k for k in range(first, last + 1) if _is_table_row(lines[k])]
        after = next((k for k in range(last + 1, min(last + 4, len(lines))) if lines[k].strip()), None)
        if after is not None and "本表无数据" in lines[after] and not any(
            re.search(r"\d+\.\d+", lines[k]) for k in rows
        ):
            drop.update(range(first, last + 1))
    return "\n".join(line for k, line in enumerate(lines) if k not in drop)


def merge_code_and_name(text: str) -> str:
    """科目编码 and 科目名称 printed in one cell ("2010350 事业运行") under one header cell
    "科目编码及名称": the layout of exporters that join the two columns. Only tables whose
    header prints 科目编码 | 科目名称 as their first two columns change."""
    lines = text.split("\n")
    start, end = part_spans(text).get("二", (0, 0))
    for first, last in _table_runs(lines, start, end):
        rows = [k for k in range(first, last + 1) if _is_table_row(lines[k])]
        if not any(lines[k].split("\t")[:2] == ["科目编码", "科目名称"] for k in rows):
            continue
        for k in rows:
            cells = lines[k].split("\t")
            head, name = cells[0].strip(), cells[1].strip()
            if [head, name] == ["科目编码", "科目名称"]:
                cells[:2] = ["科目编码及名称"]
            elif not name or not head:
                cells[:2] = [head or name]  # 合计 / a header cell spanning both columns
            elif re.fullmatch(r"\d{3}(?:\d{2}){0,2}", head):
                cells[:2] = [f"{head} {name}"]
            lines[k] = "\t".join(cells)
    return "\n".join(lines)


# --- front matter -------------------------------------------------------------------------


def drop_org_lines(text: str) -> str:
    """No 单位名称：/部门名称： lines under the table titles (some units do not print them)."""
    return _map_lines(text, lambda _i, line: None if not _is_table_row(line) and _ORG_LINE.match(line) else line)


def drop_toc(text: str) -> str:
    """No 目录: the lines from "目 录" up to the body's 第一部分."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"目\s*录", _bare(line))), None)
    body = part_spans(text).get("一")
    if start is None or body is None or body[0] <= start:
        return text
    return "\n".join(lines[:start] + lines[body[0]:])


def cover_on_one_line(text: str, unit: str) -> str:
    """"X" and "2026年度单位预算公开" on the cover printed as one line."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:40]):
        if _bare(line) == unit:
            for j in range(i + 1, min(i + 4, len(lines))):
                if re.match(r"^20\d{2}\s*年度?(?:单位|部门)预算", _bare(lines[j])):
                    lines[i] = unit + _bare(lines[j])
                    del lines[i + 1:j + 1]
                    return "\n".join(lines)
    return text


def explicit_prior_year(text: str, year: int) -> str:
    """比上年/较上年/与上年 in 情况说明 written with the year: 比2025年."""
    in_narrative = _in_part(text, "三")

    def line_fn(i: int, line: str) -> str:
        return explicit_prior_year_expected(line, year) if in_narrative(i) and not _is_table_row(line) else line

    return _map_lines(text, line_fn)


def explicit_prior_year_expected(s: str, year: int) -> str:
    """What explicit_prior_year makes of one string (for expected values)."""
    return re.sub(r"(比|较|与)上年(?!结转|末)", rf"\g<1>{year - 1}年", s)


# --- layouts the text reader does not read (they must be refused, not half-read) ------------


def tables_as_pipes(text: str) -> str:
    """Table rows as markdown pipe tables ("| a | b |" and a "|---|" rule under the first row)."""
    out, previous_row = [], False
    for line in text.split("\n"):
        if _is_table_row(line):
            cells = line.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            if not previous_row:
                out.append("|" + "---|" * len(cells))
        else:
            out.append(line)
        previous_row = _is_table_row(line)
    return "\n".join(out)


def tables_as_spaces(text: str) -> str:
    """Table cells separated by runs of spaces instead of tabs (pdftotext -layout style)."""
    return text.replace("\t", "  ")


# --- blocks (the PDF reader's output) -------------------------------------------------------


def transform_blocks(blocks: list, prose: Callable[[str], str], cell: Callable[[str], str]) -> list:
    """Copies of parsing.blocks.Block objects with every line of heading/paragraph text mapped
    by `prose` and every table cell by `cell`: a PDF's blocks as another unit's PDF gives them."""
    import copy

    out = []
    for block in blocks:
        new = copy.deepcopy(block)
        if new.kind == "table":
            new.rows = [[cell(c) if c else c for c in row] for row in new.rows]
        else:
            new.text = "\n".join(prose(line) for line in new.text.split("\n"))
        out.append(new)
    return out


CHANGE_WORDINGS = {
    "较": (("比上年", "较上年"), ("主要原因是", "主要是由于"), ("，增长", "，增幅"), ("，下降", "，降幅"),
          (",增长", ",增幅"), (",下降", ",降幅")),
    "与…相比": (("比上年", "与上年相比"), ("主要原因是", "原因是"), ("比20", "与20")),
}


def change_wording(s: str, style: str) -> str:
    for old, new in CHANGE_WORDINGS[style]:
        s = s.replace(old, new)
    return s


def reword_changes(text: str, style: str) -> str:
    """情况说明's comparisons worded as other units word them: "较上年增加…，增幅…，主要是由于…"
    or "与上年相比增加…，原因是…"."""
    in_narrative = _in_part(text, "三")

    def line_fn(i: int, line: str) -> str:
        return change_wording(line, style) if in_narrative(i) and not _is_table_row(line) else line

    return _map_lines(text, line_fn)


# --- variants -----------------------------------------------------------------------------


@dataclass
class Variant:
    """A recipe: the steps applied to the export and what the parser should then read.

    `expect_prose` maps a string read from the original's prose (titles, sections, stated
    sentences, glossary, overview) to the variant's; `expect_cell` does the same for table
    cells and 绩效目标表 cells. `labels` is the expected label of each table (None: as read
    from the original)."""

    name: str
    unit: str
    year: int
    kind: str
    steps: list[Callable[[str], str]] = field(default_factory=list)
    prose_maps: list[Callable[[str], str]] = field(default_factory=list)
    cell_maps: list[Callable[[str], str]] = field(default_factory=list)
    labels: list[str | None] | None = None
    section_number: Callable[[str], str] = lambda s: s  # "七" / "七、…" as the variant numbers it
    table_title: Callable[[str], str] = lambda s: s  # a table's title as the variant prints it
    empty_grids_dropped: bool = False  # empty tables printed without their grid

    def apply(self, text: str) -> str:
        for step in self.steps:
            text = step(text)
        return text

    def expect_prose(self, s: str) -> str:
        for fn in self.prose_maps:
            s = fn(s)
        return s

    def expect_cell(self, s: str) -> str:
        for fn in self.cell_maps:
            s = fn(s)
        return s


def make_variant(
    name: str,
    *,
    unit: str,
    year: int,
    kind: str,
    new_unit: str | None = None,
    year_shift: int = 0,
    new_kind: str | None = None,
    labels: str | None = None,
    inline_labels: bool = False,
    expenditure_summary: bool | None = None,
    headings: str | None = None,
    subsections: str | None = None,
    glossary_numbers: str | None = None,
    punctuation: str | None = None,
    thousands: str | None = None,
    page_breaks: str | None = None,
    page_rows: int = 9,
    broken_names: bool = False,
    empty_note: str | None = None,
    no_org_lines: bool = False,
    no_toc: bool = False,
    one_line_cover: bool = False,
    prior_year_explicit: bool = False,
    dash_blanks: str | None = None,
    split_paragraphs_every: int = 0,
    target_page_breaks: str | None = None,
    code_and_name_merged: bool = False,
    synonym_titles: bool = False,
    title_years: bool = True,
    org_label: str | None = None,
    cover_wording: str | None = None,
    changes_worded: str | None = None,
    arabic_sections: bool = False,
    no_empty_grids: bool = False,
) -> Variant:
    """A variant of the disclosure of (unit, year, kind) built from the named changes, in an
    order that keeps them independent (identity first, presentation last)."""
    v = Variant(name=name, unit=new_unit or unit, year=year + year_shift, kind=new_kind or kind)
    if new_unit:
        v.steps.append(lambda t: rename_unit(t, unit, new_unit))
        rename = lambda s: s.replace(unit, new_unit)  # noqa: E731
        v.prose_maps.append(rename)
        v.cell_maps.append(rename)
    if year_shift:
        v.steps.append(lambda t: shift_years(t, year_shift))
        v.prose_maps.append(lambda s: shift_years(s, year_shift))
        v.cell_maps.append(lambda s: shift_years(s, year_shift))
    if new_kind and new_kind != kind:
        v.steps.append(lambda t: switch_kind(t, new_kind))
        v.prose_maps.append(lambda s: kind_phrases(s, new_kind))
    if expenditure_summary is not None:
        v.steps.append(lambda t: retitle_expenditure(t, expenditure_summary))
        v.prose_maps.append(lambda s: expenditure_title(s, expenditure_summary))
    if changes_worded:
        v.steps.append(lambda t: reword_changes(t, changes_worded))
        v.prose_maps.append(lambda s: change_wording(s, changes_worded))
    if prior_year_explicit:
        v.steps.append(lambda t: explicit_prior_year(t, v.year))
        v.prose_maps.append(lambda s: explicit_prior_year_expected(s, v.year))
    if labels:
        v.steps.append(lambda t: relabel_tables(t, labels, inline_labels))
        v.labels = table_labels(labels)
    if no_toc:
        v.steps.append(drop_toc)
    if one_line_cover:
        v.steps.append(lambda t: cover_on_one_line(t, v.unit))
    if no_org_lines:
        v.steps.append(drop_org_lines)
    if empty_note:
        v.steps.append(lambda t: reword_empty_notes(t, empty_note))
    if subsections:
        v.steps.append(lambda t: renumber_subsections(t, subsections))
    if glossary_numbers:
        v.steps.append(lambda t: renumber_glossary(t, glossary_numbers))
    if synonym_titles or not title_years:
        v.steps.append(lambda t: retitle_tables(t, synonym_titles, title_years))
        v.table_title = lambda s: synonym_title(s, synonym_titles, title_years)
    if org_label:
        v.steps.append(lambda t: relabel_org_lines(t, org_label))
    if cover_wording:
        v.steps.append(lambda t: reword_cover(t, cover_wording))
    if arabic_sections:
        v.steps.append(renumber_overview_headings)
        v.steps.append(renumber_top_sections)
        v.section_number = arabic_section_number
    if no_empty_grids:
        v.steps.append(drop_empty_grids)
        v.empty_grids_dropped = True
    if code_and_name_merged:
        v.steps.append(merge_code_and_name)
    if dash_blanks:
        v.steps.append(lambda t: dash_blank_cells(t, dash_blanks))
    if page_breaks:
        v.steps.append(lambda t: insert_page_breaks(t, page_rows, page_breaks))
    if target_page_breaks:
        v.steps.append(lambda t: insert_page_breaks(t, page_rows, target_page_breaks, part="三"))
    if split_paragraphs_every:
        v.steps.append(lambda t: split_paragraphs(t, split_paragraphs_every))
    if broken_names:
        v.steps.append(break_names)
        v.steps.append(lambda t: break_unit_name(t, v.unit))
    if thousands == "add":
        v.steps.append(add_thousands)
    elif thousands == "remove":
        v.steps.append(remove_thousands)
    if punctuation == "half":
        v.steps.append(halfwidth_prose)
    elif punctuation == "full":
        v.steps.append(fullwidth_prose)
    if headings:
        v.steps.append(lambda t: restyle_headings(t, headings))
    return v
