"""Time each tool call on the sample catalog, warm (target < 5 ms per call); print a table.

    python bench/bench_tools.py [--index-dir DIR] [--repeat 200]

Without an index the four sample text exports in data/text are parsed into a catalog.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import
from tools import (  # noqa: E402
    AssetsQuery,
    CellQuery,
    ChangeQuery,
    CodeQuery,
    CompareQuery,
    DocQuery,
    MeasureQuery,
    ProjectQuery,
    RankQuery,
    ShareQuery,
    TargetQuery,
    TermQuery,
    ThreePublicQuery,
    UnitQuery,
    UnitRef,
    VerifyQuery,
    compare_units,
    compute_share,
    define_term,
    explain_code,
    find_project,
    find_unit_mentions,
    list_units,
    lookup_cell,
    lookup_measure,
    performance_summary,
    procurement,
    project_target,
    rank_items,
    resolve_unit,
    state_assets,
    stated_change,
    three_public,
    verify_figure,
)
from tools.catalog import Catalog  # noqa: E402

TARGET_MS = 5.0

CALLS = [
    ("list_units", lambda c: list_units(c)),
    ("resolve_unit 城管局", lambda c: resolve_unit(c, UnitQuery(name="城管局"))),
    ("find_unit_mentions", lambda c: find_unit_mentions(c, "开发区管委会和城区工信局谁的政府采购预算更多？")),
    ("lookup_measure 收入总计", lambda c: lookup_measure(c, MeasureQuery(unit="开发区管委会", measure="收入总计"))),
    ("lookup_measure 公共安全支出",
     lambda c: lookup_measure(c, MeasureQuery(unit="开发区管委会", measure="公共安全支出"))),
    ("lookup_measure 机关运行经费(空表)",
     lambda c: lookup_measure(c, MeasureQuery(unit="开发区管委会", measure="机关运行经费"))),
    ("lookup_cell 表六 合计/人员经费",
     lambda c: lookup_cell(c, CellQuery(unit="审批局", table="表六", row="合计", column="人员经费"))),
    ("stated_change 收入总计", lambda c: stated_change(c, ChangeQuery(unit="城管局", subject="收入总计"))),
    ("compute_share 城乡社区支出", lambda c: compute_share(c, ShareQuery(unit="城管局", part="城乡社区支出"))),
    ("compute_share 项目/本年合计",
     lambda c: compute_share(c, ShareQuery(unit="工信局", part="城投应急周转金",
                                           whole="项目支出预算表（本年预算）合计"))),
    ("three_public", lambda c: three_public(c, ThreePublicQuery(unit="开发区管委会"))),
    ("compare_units 政府采购(全部)", lambda c: compare_units(c, CompareQuery(units=[], measure="政府采购"))),
    ("compare_units 基本支出占比",
     lambda c: compare_units(c, CompareQuery(units=[UnitRef(unit="开发区管委会"), UnitRef(unit="审批局")],
                                             measure="基本支出占比"))),
    ("rank_items projects", lambda c: rank_items(c, RankQuery(unit="开发区管委会", what="projects", n=5))),
    ("rank_items functions", lambda c: rank_items(c, RankQuery(unit="工信局", what="functions", n=3))),
    ("rank_items economic", lambda c: rank_items(c, RankQuery(unit="城管局", what="economic", n=3))),
    ("find_project 北石店", lambda c: find_project(c, ProjectQuery(unit="城管局", name="北石店污水处理厂运营费"))),
    ("project_target 满意度",
     lambda c: project_target(c, TargetQuery(unit="开发区管委会", project="2026年度党员教育培训经费",
                                             indicator="党员满意度"))),
    ("state_assets", lambda c: state_assets(c, AssetsQuery(unit="城管局"))),
    ("procurement", lambda c: procurement(c, DocQuery(unit="开发区管委会"))),
    ("performance_summary", lambda c: performance_summary(c, DocQuery(unit="城管局"))),
    ("explain_code 2080505", lambda c: explain_code(c, CodeQuery(code_or_name="2080505"))),
    ("explain_code 事业运行", lambda c: explain_code(c, CodeQuery(code_or_name="事业运行", unit="审批局"))),
    ("define_term 机关运行经费", lambda c: define_term(c, TermQuery(term="机关运行经费"))),
    ("verify_figure 城乡社区支出", lambda c: verify_figure(c, VerifyQuery(unit="城管局", measure="城乡社区支出"))),
]


def load_catalog(index_dir: str | None) -> Catalog:
    if index_dir:
        return Catalog.open(Path(index_dir))
    from parsing.parse import parse_file

    root = Path(__file__).resolve().parent.parent / "data" / "text"
    return Catalog([parse_file(p) for p in sorted(root.glob("*.md"))])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    catalog = load_catalog(args.index_dir)
    print(f"catalog: {len(catalog.disclosures)} documents loaded in {(time.perf_counter() - started) * 1000:.0f} ms\n")
    print(f"{'tool call':<36}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}  ok")
    slow = 0
    for name, call in CALLS:
        call(catalog)  # warm: caches, rapidfuzz, pydantic
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            call(catalog)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        ok = median < TARGET_MS
        slow += not ok
        print(f"{name:<36}{median:>10.3f}{p95:>10.3f}{times[-1]:>10.3f}  {'✓' if ok else '✗ (> %.0f ms)' % TARGET_MS}")
    print(f"\n{len(CALLS) - slow}/{len(CALLS)} calls under {TARGET_MS:.0f} ms (median, warm)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
