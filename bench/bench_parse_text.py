"""Parse time of the text exports: reading into blocks, the 13 tables, the whole Disclosure
(all parsers) and the consistency checks, per document, best of a few runs.

    python bench/bench_parse_text.py [--repeat N] [FILES...]

Target: parsing one text document (parse_file) well under a second on 2 cores.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import

TEXT_DIR = ROOT.parent / "shared" / "corpus" / "text"


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from index.checks import run_checks
    from parsing import tables as table_parser
    from parsing.parse import parse_file
    from parsing.read_text import read_text_blocks

    def parse_tables_cold(blocks, doc_id):
        table_parser.clean_cell.cache_clear()  # time a first parse, not a cache replay
        table_parser.parse_amount.cache_clear()
        return table_parser.parse_tables(blocks, doc_id)

    files = args.files or sorted(TEXT_DIR.glob("*.md"))
    parse_file(files[0])  # imports and regex compilation out of the timings
    worst = 0.0
    for path in files:
        t_read, blocks = best_of(args.repeat, lambda path=path: read_text_blocks(path))
        t_tables, tables = best_of(args.repeat, lambda blocks=blocks, path=path: parse_tables_cold(blocks, path.stem))
        t_parse, disclosure = best_of(args.repeat, lambda path=path: parse_file(path))
        t_checks, findings = best_of(args.repeat, lambda disclosure=disclosure: run_checks(disclosure))
        worst = max(worst, t_parse)
        rows = sum(len(t.rows) for t in tables)
        print(f"{path.stem} read_text_blocks {t_read * 1000:.1f} ms ({len(blocks)} blocks)")
        print(f"{path.stem} parse_tables {t_tables * 1000:.1f} ms ({len(tables)} tables, {rows} rows)")
        print(f"{path.stem} parse_file {t_parse * 1000:.1f} ms")
        print(f"{path.stem} run_checks {t_checks * 1000:.1f} ms ({len(findings)} findings)")
    print(f"parse_file_worst {worst * 1000:.1f} ms")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
