"""Questions about units the rules were not written for, the way people ask them.

A bundled text export is renamed and moved in time by tests/variants.py (another unit of
another place, another year: 孝义经济技术开发区管理委员会 2024), indexed next to the four
bundled documents, and asked about with every combination of

    unit name forms   the full name and what people call it (孝义开发区, 孝义经开区, 万里街道办…)
    year forms        2024年, 24年, 2024年度, 今年 (the document's year), none, 去年 (prior, 推算)
    measure wordings  预算收入总计, 预算盘子, 一般公共预算拨款, 三公经费, 机关运行经费 …
    question forms    …是多少？ / …一共多大？ / …是啥？ / 请问…有多少？

Every expected figure is read from the parsed Disclosure through the tools (never typed here).
Also: comparisons and rankings across a bundled and a renamed unit (different years), a place no
loaded unit has (must not be answered about another unit), an ambiguous short name (every
loaded candidate listed), and the visible eval's questions about the source unit rewritten for
the renamed one.

    python -m tests.question_variants [--index-dir DIR] [--show-failures]

builds (once, under var/question-variants/ unless --index-dir names one) an index of the four
bundled exports plus the renamed ones and prints the accuracy per group.
"""
from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core.text import chars_in_order

ROOT = Path(__file__).resolve().parent.parent
TEXT_DIR = ROOT.parent / "shared" / "corpus" / "text"
EVAL_FILE = ROOT.parent / "shared" / "eval" / "visible.jsonl"


@dataclass(frozen=True)
class Renamed:
    """A bundled export made into another unit's disclosure, and what people call that unit."""

    source: str  # doc_id of the bundled text export
    unit: str  # the new full name
    year: int  # the new year
    doc_id: str
    forms: tuple[str, ...]  # names users write (the full name first)


RENAMED = (
    Renamed("jincheng-etdz-admin-committee-2026", "孝义经济技术开发区管理委员会", 2024,
            "xiaoyi-etdz-admin-committee-2024",
            ("孝义经济技术开发区管理委员会", "孝义开发区管委会", "孝义经开区", "孝义开发区",
             "孝义经济技术开发区", "孝义经开区管委会", "孝义经济技术开发区管委会")),
    Renamed("jincheng-urban-management-bureau-2025", "上海市普陀区人民政府万里街道办事处", 2024,
            "shanghai-putuo-wanli-subdistrict-2024",
            ("上海市普陀区人民政府万里街道办事处", "万里街道", "万里街道办", "万里街道办事处",
             "普陀区万里街道办事处", "普陀区万里街道")),
    Renamed("jincheng-etdz-approval-bureau-2026", "上海市普陀区人民政府办公室", 2025,
            "shanghai-putuo-district-govt-office-2025",
            ("上海市普陀区人民政府办公室", "普陀区政府办", "区府办", "普陀区人民政府办公室", "普陀区府办")),
)

# measure (its `tool` name in prompts/measures.json) -> how people say it
MEASURES = {
    "收入总计": ("预算收入总计", "收入总计", "预算盘子", "预算总盘子", "总预算"),
    "支出总计": ("预算支出总计", "支出总计", "总支出"),
    "一般公共预算": ("一般公共预算拨款", "一般公共预算拨款收入"),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "三公经费": ("三公经费", "“三公”经费"),
    "机关运行经费": ("机关运行经费",),
    "公务接待费": ("公务接待费",),
}
# measures whose last-year figure the narrative states (as a change): 去年 questions
PRIOR_SUBJECTS = {"三公经费": "three_public", "公务接待费": "公务接待费", "机关运行经费": "机关运行经费"}

FORMS = (
    "{u}{y}{m}是多少？",
    "{u}{y}的{m}有多少？",
    "{y}{u}{m}一共多大？",
    "请问{u}{y}{m}是个啥数？",
    "{u}{y}{m}一共多少钱？",
)


@dataclass
class Question:
    id: str
    group: str
    question: str
    expect_numbers: list[Decimal] = field(default_factory=list)
    expect_text: list[str] = field(default_factory=list)
    forbid_text: list[str] = field(default_factory=list)
    status: str | None = "ok"  # None: any status; "refused": no_data or out_of_scope
    history: list[str] = field(default_factory=list)


# ---- documents and index ----------------------------------------------------------------


def write_renamed(folder: Path, renamed=RENAMED) -> list[Path]:
    """The renamed exports, written to `folder` (one .md each)."""
    from tests import variants as V

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in renamed:
        old_year = int(r.source[-4:])
        old_unit = _unit_of(r.source)
        text = (TEXT_DIR / f"{r.source}.md").read_text(encoding="utf-8")
        text = V.shift_years(V.rename_unit(text, old_unit, r.unit), r.year - old_year)
        path = folder / f"{r.doc_id}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _unit_of(doc_id: str) -> str:
    from parsing.parse import parse_file

    return parse_file(TEXT_DIR / f"{doc_id}.md").unit


def build(index_dir: Path, base_index: Path | None = None, renamed=RENAMED) -> Path:
    """An index of the bundled exports plus the renamed ones. With `base_index` (an index of
    the bundled four) only the renamed documents are parsed and embedded."""
    from index.build import build_index

    index_dir = Path(index_dir)
    if base_index is not None:
        shutil.copytree(base_index, index_dir, dirs_exist_ok=True)
        sources = []
    else:
        sources = sorted(TEXT_DIR.glob("*.md"))
    sources += write_renamed(index_dir.parent / f"{index_dir.name}-sources", renamed)
    build_index(sources, index_dir, progress=False)
    return index_dir


# ---- questions ----------------------------------------------------------------------------


def year_forms(year: int, latest: bool) -> list[tuple[str, str]]:
    """(name, words) of the ways to say the document's year."""
    out = [("full", f"{year}年"), ("short", f"{year % 100}年"), ("niandu", f"{year}年度"), ("none", "")]
    if latest:
        out.append(("this", "今年"))
    return out


def _value(catalog, unit: str, year: int, measure: str):
    from tools import MeasureQuery, lookup_measure
    from tools.types import MeasureResult

    r = lookup_measure(catalog, MeasureQuery(unit=unit, year=year, measure=measure))
    return r.figure.value if isinstance(r, MeasureResult) else None


def _prior(catalog, unit: str, year: int, measure: str):
    from tools import ChangeQuery, ThreePublicQuery, stated_change, three_public
    from tools.types import ChangeResult, ThreePublicResult

    if measure == "三公经费":
        r = three_public(catalog, ThreePublicQuery(unit=unit, year=year))
        c = r.total_change if isinstance(r, ThreePublicResult) else None
        return c.prior.value if c and c.prior else None
    if measure == "公务接待费":
        r = three_public(catalog, ThreePublicQuery(unit=unit, year=year))
        item = next((i for i in r.items if i.item == measure), None) if isinstance(r, ThreePublicResult) else None
        return item.prior.value if item and item.prior else None
    r = stated_change(catalog, ChangeQuery(unit=unit, year=year, subject=measure))
    return r.prior.value if isinstance(r, ChangeResult) and r.prior else None


def figure_questions(catalog, renamed=RENAMED, every: int = 1) -> list[Question]:
    """unit forms × year forms × measure wordings × question forms (every `every`-th one)."""
    out: list[Question] = []
    for r in renamed:
        latest = max(catalog.years(r.unit))
        combos = itertools.product(r.forms, year_forms(r.year, r.year == latest), MEASURES.items(), FORMS)
        for n, (form, (yname, ywords), (measure, wordings), template) in enumerate(combos):
            wording = wordings[n % len(wordings)]  # each wording in turn, not every one × every form
            if n % every:
                continue
            value = _value(catalog, r.unit, r.year, measure)
            if value is None:
                continue
            q = template.format(u=form, y=ywords, m=wording)
            out.append(Question(f"{r.doc_id}/fig/{n}", f"figure:{yname}", q, [value]))
        for n, (form, (measure, _subject)) in enumerate(itertools.product(r.forms, PRIOR_SUBJECTS.items())):
            prior = _prior(catalog, r.unit, r.year, measure)
            if prior is None or r.year != latest:
                continue
            out.append(Question(f"{r.doc_id}/prior/{n}", "prior:last_year",
                                f"{form}去年{MEASURES[measure][0]}是多少？", [prior]))
            out.append(Question(f"{r.doc_id}/prior-y/{n}", "prior:year",
                                f"{form}{(r.year - 1) % 100}年{MEASURES[measure][0]}是多少？", [prior]))
    return out


def cross_unit_questions(catalog, renamed=RENAMED) -> list[Question]:
    """Comparisons and rankings with a renamed unit and a bundled one of another year."""
    out: list[Question] = []
    for i, r in enumerate(renamed):
        other = _partner(catalog, r, renamed, i)
        oyear = max(catalog.years(other))
        for measure in ("收入总计", "一般公共预算", "基本支出"):
            a, b = _value(catalog, r.unit, r.year, measure), _value(catalog, other, oyear, measure)
            short = r.forms[1]
            out.append(Question(f"{r.doc_id}/cmp/{measure}", "compare",
                                f"{short}和{other}的{MEASURES[measure][0]}分别是多少？",
                                [a, b], [f"{r.year}年", f"{oyear}年"]))
            out.append(Question(f"{r.doc_id}/cmp2/{measure}", "compare",
                                f"{other}和{short}哪个{MEASURES[measure][0]}更多？", [a, b]))
    for measure in ("收入总计", "基本支出"):
        values = {u: _value(catalog, u, max(catalog.years(u)), measure) for u in catalog.units()}
        top = max(values, key=lambda u: values[u])
        tied = [u for u in values if values[u] == values[top]]
        out.append(Question(f"rank/{measure}", "rank", f"哪个单位的{MEASURES[measure][0]}最多？",
                            [values[top]], tied if len(tied) > 1 else [top]))
    return out


def _partner(catalog, r: Renamed, renamed, i: int) -> str:
    """A bundled unit of another year to compare a renamed one with (not its own source)."""
    source = _unit_of(r.source)
    bundled = [u for u in catalog.units() if u not in {x.unit for x in renamed} and u != source]
    others = [u for u in bundled if r.year not in catalog.years(u)] or bundled
    return others[i % len(others)]


def scope_questions(catalog, renamed=RENAMED) -> list[Question]:
    """A place no loaded unit has is not answered about another unit (also before a loaded
    unit's generic short name: 平遥开发区审批局, 孝义开发区行政审批局 when only another place's is
    loaded); a short name several loaded units share lists every one of them."""
    from core.text import fold

    out: list[Question] = []
    held = catalog.units()
    zone_units = [u for u in held if "开发区" in u]
    for r in renamed:
        place = _leading_place(r.forms[1])
        if not place:
            continue
        for other_place in ("平遥", "介休", "真如", "静安"):
            if any(other_place in fold(u) for u in held):
                continue
            q = r.forms[1].replace(place, other_place, 1)
            if ("开发区" in q) != (other_place in ("平遥", "介休")):
                continue  # zones after 平遥/介休, 街道 and 区 after 真如/静安
            out.append(Question(f"{r.doc_id}/foreign/{other_place}", "foreign",
                                f"{q}{r.year}年预算收入总计是多少？", [], [q], forbid_text=["万元"],
                                status="refused"))
            # another loaded zone unit's body after the foreign place
            for u in (zone_units if "开发区" in r.unit else []):
                body = u[u.index("开发区") + 3:]
                if body == r.unit[r.unit.index("开发区") + 3:] if "开发区" in r.unit else False:
                    continue
                for name in (f"{other_place}开发区{body}", f"{place}开发区{body}"):
                    if any(name == fold(h) for h in held) or chars_in_order(name, r.unit) or len(body) < 2:
                        continue
                    if any(q.question.startswith(name) for q in out):
                        continue
                    out.append(Question(f"{r.doc_id}/foreign/{name}", "foreign",
                                        f"{name}预算收入总计是多少？", [], [name], forbid_text=["万元"],
                                        status="refused"))
    # the generic words of the renamed 管委会 are shared with a bundled unit: ask back
    for generic in ("经开区管委会", "开发区管委会", "管委会"):
        matches = [u for u in held if chars_in_order(generic.replace("经开区", "经济技术开发区")
                                                .replace("管委会", "管理委员会"), u)]
        if len(matches) > 1:
            for when in ("", "的"):
                out.append(Question(f"ambiguous/{generic}{when}", "ambiguous",
                                    f"{generic}{when}预算收入总计是多少？", [], matches, forbid_text=["万元"],
                                    status=None))
    return out


def dialogue_questions(catalog, renamed=RENAMED) -> list[Question]:
    """Follow-ups that move between a renamed unit and a bundled one, and a renamed unit's
    spending by function (花在哪)."""
    from tools import RankQuery, rank_items
    from tools.types import RankResult

    out: list[Question] = []
    for i, r in enumerate(renamed):
        other = _partner(catalog, r, renamed, i)
        oyear = max(catalog.years(other))
        first = f"{r.forms[1]}{r.year % 100}年三公经费是多少？"
        value = _value(catalog, r.unit, r.year, "三公经费")
        ovalue = _value(catalog, other, oyear, "收入总计")
        if value is not None:
            out.append(Question(f"{r.doc_id}/dlg/first", "dialogue", first, [value]))
            out.append(Question(f"{r.doc_id}/dlg/income", "dialogue", "那预算收入总计呢？",
                                [_value(catalog, r.unit, r.year, "收入总计")], history=[first]))
            out.append(Question(f"{r.doc_id}/dlg/other", "dialogue", f"{other}的预算收入总计呢？",
                                [ovalue], history=[first]))
            back = f"{other}预算收入总计是多少？"
            out.append(Question(f"{r.doc_id}/dlg/back", "dialogue", f"那{r.forms[2]}呢？",
                                [_value(catalog, r.unit, r.year, "收入总计")], history=[back]))
        ranked = rank_items(catalog, RankQuery(unit=r.unit, year=r.year, what="functions"))
        if isinstance(ranked, RankResult) and ranked.rows:
            for form in r.forms[1:3]:
                for wording in ("{u}{y}的钱主要花在哪了？", "{u}{y}预算资金都用在什么地方？"):
                    out.append(Question(f"{r.doc_id}/spend/{form}/{wording[-4:]}", "spend",
                                        wording.format(u=form, y=f"{r.year % 100}年"),
                                        [ranked.rows[0].figure.value], [ranked.rows[0].name]))
    return out


def _leading_place(name: str) -> str | None:
    m = re.match(r"^([\u4e00-\u9fa5]{2})(?:经开区|开发区|经济技术开发区|街道|区)", name)
    return m.group(1) if m else None


EVAL_KINDS = ("figure", "change", "share", "count", "followup", "nodata", "narrative")


def eval_questions(renamed=RENAMED, eval_file: Path = EVAL_FILE) -> list[Question]:
    """The visible eval's questions about each source unit, asked about the renamed unit
    (its full name, then a short form), with the years moved: the figures are the same."""
    out: list[Question] = []
    rows = [json.loads(line) for line in eval_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in renamed:
        old_unit, old_year = _unit_of(r.source), int(r.source[-4:])
        for row in rows:
            text = " ".join([row["question"], *(row.get("history") or [])])
            if row.get("kind") not in EVAL_KINDS or old_unit not in text or row.get("expect_none"):
                continue
            if any(u in text for u in _bundled_units() if u != old_unit):
                continue  # a question about two bundled units is not about the renamed one
            for k, name in enumerate((r.unit, r.forms[1])):
                move = lambda s, old=old_unit, new=name, delta=r.year - old_year: _shift(  # noqa: E731
                    s.replace(old, new), delta)
                out.append(Question(f"{r.doc_id}/eval/{row['id']}/{k}", f"eval:{row['kind']}",
                                    move(row["question"]), [Decimal(str(n)) for n in row["expect_numbers"]],
                                    [move(t) for t in row.get("expect_text") or []],
                                    history=[move(h) for h in row.get("history") or []]))
    return out


def _shift(text: str, delta: int) -> str:
    from tests import variants as V

    return V.shift_years(text, delta)


_BUNDLED: list[str] = []


def _bundled_units() -> list[str]:
    if not _BUNDLED:
        _BUNDLED.extend(_unit_of(p.stem) for p in sorted(TEXT_DIR.glob("*.md")))
    return _BUNDLED


def all_questions(catalog, renamed=RENAMED, every: int = 1) -> list[Question]:
    return (figure_questions(catalog, renamed, every) + cross_unit_questions(catalog, renamed)
            + scope_questions(catalog, renamed) + dialogue_questions(catalog, renamed) + eval_questions(renamed))


# ---- judging --------------------------------------------------------------------------------

_NUM = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])-?\d+(?:\.\d+)?")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", "", text)


def judge(q: Question, answer) -> str | None:
    """None when the answer is right, else what is wrong (the scorer's rules, plus status and
    forbidden text)."""
    text = answer.answer or ""
    if q.status == "refused" and answer.status == "ok" or q.status not in (None, "refused", answer.status):
        return f"status {answer.status}"
    stated = [Decimal(m.group().replace(",", "")) for m in _NUM.finditer(unicodedata.normalize("NFKC", text))]
    stated += [Decimal(str(f.value)) for f in answer.figures]
    missing = [n for n in q.expect_numbers if not any(abs(Decimal(n) - s) <= Decimal("0.005") for s in stated)]
    if missing:
        return f"missing {missing}"
    absent = [t for t in q.expect_text if _fold(t) not in _fold(text)]
    if absent:
        return f"missing text {absent}"
    present = [t for t in q.forbid_text if _fold(t) in _fold(text)]
    if present:
        return f"names {present}"
    return None


def run(assistant, questions: list[Question]) -> list[tuple[Question, str, str]]:
    """The failures: (question, what is wrong, the answer)."""
    failures = []
    for q in questions:
        answer = assistant.ask(q.question, history=q.history or None)
        problem = judge(q, answer)
        if problem:
            failures.append((q, problem, answer.answer))
    return failures


def report(questions: list[Question], failures) -> str:
    failed: dict[str, int] = {}
    for q, _, _ in failures:
        failed[q.group] = failed.get(q.group, 0) + 1
    groups: dict[str, int] = {}
    for q in questions:
        groups[q.group] = groups.get(q.group, 0) + 1
    lines = [f"{g:22s} {n - failed.get(g, 0):4d}/{n}" for g, n in sorted(groups.items())]
    ok = len(questions) - len(failures)
    lines.append(f"{'total':22s} {ok:4d}/{len(questions)} = {100 * ok / max(len(questions), 1):.1f}%")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import argparse

    import core.settings

    core.settings.apply_offline_environment()
    from assistant.service import open_assistant

    p = argparse.ArgumentParser()
    p.add_argument("--index-dir", type=Path, default=ROOT / "var" / "question-variants" / "index")
    p.add_argument("--base-index", type=Path, default=ROOT / "var" / "index")
    p.add_argument("--show-failures", action="store_true")
    p.add_argument("--group")
    args = p.parse_args(argv)
    if not (args.index_dir / "CURRENT").exists():
        build(args.index_dir, args.base_index if (args.base_index / "CURRENT").exists() else None)
    assistant = open_assistant(args.index_dir)
    questions = all_questions(assistant.catalog)
    if args.group:
        questions = [q for q in questions if q.group.startswith(args.group)]
    failures = run(assistant, questions)
    if args.show_failures:
        for q, problem, answer in failures:
            print(f"- [{q.group}] {q.question}  -> {problem}\n    {answer[:200]}")
    print(report(questions, failures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
