"""What the parser recovers from documents of every layout we have: the share of table cells
and the share of narrative figures, per document.

    python bench/bench_layouts.py [--only SUBSTRING]

Documents and their truth:
- templates (tests/layouts.py): their own truth — every printed cell (kind, row, column,
  value) and the narrative figures + 政府采购 fields they state;
- the four bundled Shanxi text exports (../shared/corpus/text) and the three real Shanghai
  PDFs (../shared/corpus/real-other): a truth read independently of the parser from the
  printed lines (tab rows of the export; pdfplumber's extract_text() lines of the PDF). Inside
  a budget table (after a title line ending in 表, up to the next title or narrative heading),
  a line starting with a 科目 code ("201 05 07 专项普查活动 257,700 …", "2010350\t事业运行\t…"),
  a name ("一、财政拨款收入 156,211,123 一、一般公共服务支出 …") or a total yields (key, numbers);
  a number is recovered when a parsed table of that title holds it (converted to the printed
  unit) in the row with the same code (or name). Narrative: every "N万元" (N ≠ 0) of the
  情况说明/编制说明/其他相关情况说明 text; recovered when the Disclosure states that value
  (stated figures and changes, shares, 政府采购, 绩效).
A document parse_file refuses counts 0% with its error. Prints one line per document and
measure (name, value, unit) and a summary table; writes nothing.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import

CORPUS = ROOT.parent / "shared" / "corpus"
TO_YUAN = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100_000_000)}
NUM = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
TITLE = re.compile(r"表(?:\s*[（(][^（）()]*[）)])*$")
TOC = re.compile(r"\.{3,}|…{2,}|·{3,}")
UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|亿元|元)")
NARRATIVE_START = re.compile(r"^(?:第三部分|.{0,30}(?:编制说明|其他相关情况说明|预算情况说明)$)")
NARRATIVE_END = re.compile(r"^(?:第四部分|名词解释$|项目经费情况说明$|.{0,40}绩效目标(?:申报)?表$)")
WANYUAN = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元")


@dataclass
class Score:
    doc: str
    layout: str
    cells: tuple[int, int] = (0, 0)
    figures: tuple[int, int] = (0, 0)
    seconds: float = 0.0
    error: str = ""
    misses: list[str] = field(default_factory=list)


def share(pair: tuple[int, int]) -> float:
    return 100.0 * pair[0] / pair[1] if pair[1] else 0.0


def norm(text: str | None) -> str:
    from tests.layouts import norm as _norm

    return _norm(text)


def title_key(title: str) -> str:
    """A table title without label, year, unit name and 部门/单位 wording."""
    t = unicodedata.normalize("NFKC", title or "")
    t = re.sub(r"\s+", "", t)
    t = re.sub(r"^(?:(?:预算|部门|单位|财政)?公开表|附表|表)?\d{0,2}[-—]?\d{0,2}[、.．:：]?", "", t)
    t = re.sub(r"^[一二三四五六七八九十]{1,3}(?=20\d\d)", "", t)
    t = re.sub(r"^.*?20\d{2}年度?", "", t)
    t = re.sub(r"预算单位|单位|部门|[“”\"]", "", t)
    return t


# --- truth from printed lines ---------------------------------------------------------------


@dataclass
class Segment:
    key: str | None  # code or name, None for a line of numbers only
    is_code: bool
    numbers: list[Decimal]
    parts: list[str] = field(default_factory=list)  # the name's printed pieces (cells or words)


@dataclass
class Region:
    title: str
    unit: str = "万元"
    segments: list[Segment] = field(default_factory=list)


def _code_prefix(tokens: list[str]) -> tuple[str | None, int]:
    t0 = tokens[0]
    if re.fullmatch(r"\d{3}(?:\d{2}){1,2}", t0):
        return t0, 1
    if not re.fullmatch(r"\d{3}", t0):
        return None, 0
    code, used = t0, 1
    while used < len(tokens) and used < 3 and re.fullmatch(r"\d{1,2}", tokens[used]) and len(code) < 7:
        code += tokens[used].zfill(2)
        used += 1
    if used < len(tokens) and NUM.match(tokens[used]) and not re.search(r"[\u4e00-\u9fff]", tokens[used]):
        # "201 05 07" must be followed by a name, else these were amounts
        if used == 1 or not any(re.search(r"[\u4e00-\u9fff]", t) for t in tokens[used:]):
            return None, 0
    return code, used


def segments(tokens: list[str]) -> list[Segment]:
    tokens = [t.strip() for t in tokens if t and t.strip()]
    if not tokens:
        return []
    if all(NUM.match(t) for t in tokens):
        values = [int(t) for t in tokens if t.isdigit()]
        if len(values) == len(tokens) and values == list(range(values[0], values[0] + len(values))) and values[0] <= 1:
            return []  # column numbers
        return [Segment(None, False, [Decimal(t.replace(",", "")) for t in tokens])]
    out: list[Segment] = []
    code, used = _code_prefix(tokens)
    cur: Segment | None = Segment(code, True, []) if code else None
    if cur:
        out.append(cur)
        # the name after a code is not a key
        while used < len(tokens) and not NUM.match(tokens[used]):
            used += 1
    for tok in tokens[used:]:
        if NUM.match(tok):
            if cur is None:
                cur = Segment(None, False, [])
                out.append(cur)
            cur.numbers.append(Decimal(tok.replace(",", "")))
        elif cur is None or cur.numbers or cur.is_code:
            cur = Segment(tok, False, [], [tok])
            out.append(cur)
        else:
            cur.key = (cur.key or "") + tok
            cur.parts.append(tok)
    return [s for s in out if s.numbers]


@dataclass
class PrintedTruth:
    regions: list[Region]
    narrative: list[Decimal]


def truth_from_lines(lines: list[tuple[list[str], str]], wrapped: bool) -> PrintedTruth:
    """lines: (tokens, text) per printed line; tokens are the cells of a tab row (text export)
    or the words of a PDF line. `wrapped`: narrative lines are one paragraph broken by width."""
    regions: list[Region] = []
    region: Region | None = None
    in_narrative = False
    narrative: list[str] = []
    for tokens, text in lines:
        text = text.strip()
        if not text or TOC.search(text):
            continue
        compact = re.sub(r"\s+", "", text)
        is_title = (len(compact) <= 70 and TITLE.search(compact) and not compact.startswith("注")
                    and "。" not in compact and len(tokens) <= 3 and not NUM.match(tokens[-1] if tokens else ""))
        if is_title:
            in_narrative = False
            region = None if any(w in compact for w in ("绩效", "績效", "目录")) else Region(compact)
            if region:
                regions.append(region)
            continue
        if NARRATIVE_START.match(compact) and not NUM.match(tokens[-1] if tokens else ""):
            region, in_narrative = None, True
            continue
        if NARRATIVE_END.match(compact):
            region, in_narrative = None, False
            continue
        if region is not None:
            if m := UNIT.search(compact):
                region.unit = m.group(1)
                continue
            region.segments += segments(tokens)
        elif in_narrative and len(tokens) <= 2:
            narrative.append(compact)
    joined = ("" if wrapped else "\n").join(narrative)
    values = [Decimal(m.group(1).replace(",", "")) for m in WANYUAN.finditer(joined)]
    return PrintedTruth(regions, [v for v in values if v != 0])


def text_lines(path: Path) -> list[tuple[list[str], str]]:
    out = []
    for raw in path.read_text(encoding="utf-8").split("\n"):
        cells = raw.split("\t") if "\t" in raw else [raw]
        out.append((cells, re.sub(r"<[^>]+>|\*\*|^#+\s*", "", raw.replace("\t", " "))))
    return out


def pdf_lines(path: Path) -> list[tuple[list[str], str]]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for raw in (page.extract_text() or "").split("\n"):
                out.append((raw.split(), raw))
    return out


def score_printed(disclosure, truth: PrintedTruth) -> tuple[tuple[int, int], tuple[int, int], list[str]]:
    found = total = 0
    misses: list[str] = []
    for region in truth.regions:
        key = title_key(region.title)
        tables = [t for t in disclosure.tables
                  if (k := title_key(t.title)) and (k in key or key in k)] if disclosure else []
        factor = TO_YUAN[region.unit]
        for seg in region.segments:
            held: set[Decimal] = set()
            for table in tables:
                f = TO_YUAN.get(table.unit, Decimal(10000))
                for row in table.rows:
                    if seg.key is None:
                        ok = True
                    elif seg.is_code:
                        ok = row.code == seg.key
                    else:  # the whole name, or its first cell ("基本工资\t工资福利支出\t…")
                        a = norm(row.name)
                        ok = any(a == b or (min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a)))
                                 for b in {norm(seg.key), norm(seg.parts[0]) if seg.parts else ""} if b)
                    if ok:
                        held |= {v * f for v in row.values.values() if v is not None}
            for n in seg.numbers:
                total += 1
                if n * factor in held:
                    found += 1
                elif len(misses) < 6:
                    misses.append(
                        f"{region.title}[{seg.key}] {n}{region.unit}" + ("" if tables else " (table not found)")
                    )
    stated: set[Decimal] = set()
    if disclosure is not None:
        for f in disclosure.stated:
            factor = TO_YUAN.get(f.unit, Decimal(10000)) / Decimal(10000)
            stated |= {abs(v) * factor for v in (f.value, f.change, f.prior, f.value_restated) if v is not None}
        stated |= {s.value for s in disclosure.shares if s.value is not None}
        if p := disclosure.procurement:
            stated |= {v for v in (p.total, p.goods, p.works, p.services, p.sme_reserved, p.small_micro_reserved)
                       if v is not None}
        if perf := disclosure.performance:
            stated |= {v for v in (perf.amount, perf.published_amount) if v is not None}
            stated |= {c.amount for c in perf.categories if c.amount is not None}
    narrative = (sum(1 for v in truth.narrative if v in stated), len(truth.narrative))
    return (found, total), narrative, misses


# --- documents ------------------------------------------------------------------------------


def bench_template(name: str) -> Score:
    from core.errors import DisclosureError
    from parsing.parse import parse_blocks
    from parsing.read_text import text_to_blocks
    from tests import layouts as L

    layout = L.LAYOUTS[name]()
    score = Score(name, "template")
    start = time.perf_counter()
    n_cells, n_figs = len(layout.cells), len(layout.figures) + len(layout.procurement)
    try:
        d = parse_blocks(text_to_blocks(layout.text), name, "text")
    except DisclosureError as err:
        score.error = str(err)
        score.cells, score.figures = (0, n_cells), (0, n_figs)
        return score
    score.seconds = time.perf_counter() - start
    cells = L.recovered_cells(d, layout)
    figs = L.recovered_figures(d, layout)
    proc = L.procurement_results(d, layout)
    score.cells = (sum(r.ok for r in cells), len(cells))
    score.figures = (sum(r.ok for r in figs) + sum(t == p for t, p in proc.values()), n_figs)
    score.misses = [f"{r.cell.label()} {r.cell.value}{r.cell.unit}: {r.reason}" for r in cells if not r.ok][:4]
    score.misses += [f"figure {r.figure.subject}={r.figure.value}" for r in figs if not r.ok][:4]
    return score


def bench_printed(path: Path, layout: str) -> Score:
    from core.errors import DisclosureError
    from parsing.parse import parse_file

    score = Score(path.stem, layout)
    truth = truth_from_lines(pdf_lines(path) if path.suffix == ".pdf" else text_lines(path), path.suffix == ".pdf")
    start = time.perf_counter()
    try:
        d = parse_file(path)
    except DisclosureError as err:
        score.error = str(err)
        d = None
    score.seconds = time.perf_counter() - start
    score.cells, score.figures, score.misses = score_printed(d, truth)
    if d is None:
        score.cells, score.figures = (0, score.cells[1]), (0, score.figures[1])
    return score


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--misses", action="store_true", help="print a few unrecovered cells per document")
    args = parser.parse_args()
    from tests import layouts as L

    jobs = [("template", n) for n in L.LAYOUTS]
    jobs += [("shanxi-text", p) for p in sorted((CORPUS / "text").glob("*.md"))]
    jobs += [("shanghai-pdf", p) for p in sorted((CORPUS / "real-other").glob("*.pdf"))]
    scores = []
    for kind, job in jobs:
        name = job if isinstance(job, str) else job.stem
        if args.only not in name:
            continue
        s = bench_template(job) if kind == "template" else bench_printed(job, kind)
        scores.append(s)
        print(f"{s.doc} cells_recovered {share(s.cells):.1f} % ({s.cells[0]}/{s.cells[1]})")
        print(f"{s.doc} narrative_recovered {share(s.figures):.1f} % ({s.figures[0]}/{s.figures[1]})")
        if s.error:
            print(f"{s.doc} refused 1 ({s.error})")
        if args.misses:
            for m in s.misses:
                print(f"    miss: {m}")
    print()
    print(f"{'layout':<13} {'document':<46} {'cells':>18} {'narrative':>16}  note")
    for s in scores:
        cells = f"{s.cells[0]}/{s.cells[1]} {share(s.cells):5.1f}%"
        figs = f"{s.figures[0]}/{s.figures[1]} {share(s.figures):5.1f}%"
        print(f"{s.layout:<13} {s.doc:<46} {cells:>18} {figs:>16}  {('refused: ' + s.error) if s.error else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
