"""Command line: build | parse | audit | search | ask | explain | batch — thin over the library."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.service import open_assistant
from core.errors import DisclosureError
from core.settings import apply_offline_environment, settings
from index.audit import audit
from index.build import build_index
from parsing import read_pdf
from parsing.parse import parse_file
from retrieval.embeddings import EmbeddingModelMissing
from retrieval.search import open_searcher

apply_offline_environment()  # before any command loads sentence-transformers or chromadb


def cmd_parse(args) -> int:
    if args.progress:  # scanned pages are read with OCR, a few seconds each
        read_pdf.SETTINGS["on_page"] = lambda done, total: print(
            f"\r第{done}/{total}页", end="\n" if done == total else "", file=sys.stderr, flush=True)
    disclosure = parse_file(args.file)
    if args.json:
        print(disclosure.model_dump_json(indent=2))
    else:
        print(f"{disclosure.unit} {disclosure.year}年 {disclosure.kind}预算：{len(disclosure.tables)}张表，"
              f"{len(disclosure.sections)}节说明，{len(disclosure.targets)}张绩效目标表，"
              f"{len(disclosure.glossary)}条名词解释")
    return 0


def cmd_audit(args) -> int:
    findings = audit(parse_file(args.file))
    for f in findings:
        where = "、".join(filter(None, (loc.label() for loc in f.locations)))
        print(f"[{f.severity}] {f.check}: {f.message}" + (f"（{where}）" if where else ""))
    print(f"共{len(findings)}条发现")
    return 0


def cmd_build(args) -> int:
    build_index([Path(p) for p in args.source], Path(args.index_dir), progress=not args.quiet)
    return 0


def cmd_search(args) -> int:
    searcher = open_searcher(Path(args.index_dir))
    for rank, hit in enumerate(searcher.search(args.query, unit=args.unit, year=args.year, k=args.k), 1):
        print(f"{rank}. [{hit.score:.3f}] {hit.citation()}\n   {hit.text[:160]}")
    return 0


def cmd_ask(args) -> int:
    answer = open_assistant(Path(args.index_dir)).ask(args.question)
    print(answer.answer)
    return 0


def cmd_explain(args) -> int:
    report = open_assistant(Path(args.index_dir)).explain(args.question, history=args.history)
    print(explain_text(report) if args.text else json.dumps(report, ensure_ascii=False, indent=2, default=str))
    return 0


def explain_text(report: dict) -> str:
    """The explain report as lines to read: what was understood, the tools called, the figures."""
    understood = report["understood"]
    lines = [f"单位: {'、'.join(understood.get('units') or []) or '—'}",
             f"年度: {'、'.join(str(y) for y in understood.get('years') or []) or '—'}",
             f"指标: {'、'.join(understood.get('measures') or []) or '—'}",
             f"意图: {report['intent']}",
             f"提示词(cues): {'、'.join(understood.get('cues') or []) or '—'}"]
    lines += [f"{name}: {json.dumps(value, ensure_ascii=False, default=str)}" for name, value in understood.items()
              if name not in ("units", "years", "measures", "cues")]
    targets = report["targets"]
    lines.append(f"目标文件: {'；'.join(targets) if isinstance(targets, list) else targets or '—'}")
    lines.append(f"调用的工具（{len(report['tools'])}次）:")
    for n, call in enumerate(report["tools"], 1):
        indent = "  " * (call.get("depth", 0) + 1)
        query = json.dumps(call["query"], ensure_ascii=False, default=str)
        lines.append(f"{indent}{n}. {call['tool']}({query}) -> {call.get('result') or ''}")
    lines.append(f"状态: {report['status']}")
    lines.append(f"数字（{len(report['figures'])}个）:")
    lines += [f"  {figure}" for figure in report["figures"]]
    return "\n".join(lines)


def cmd_batch(args) -> int:
    assistant = open_assistant(Path(args.index_dir))
    with open(args.infile, encoding="utf-8") as src, open(args.outfile, "w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            item = json.loads(line)
            answer = assistant.ask(item["question"], history=item.get("history") or [])
            out.write(json.dumps(answer.to_batch(item["id"]), ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    default_index = str(settings().index_dir)
    parser = argparse.ArgumentParser(prog="cli.py", description="预算公开助手 command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse one disclosure and print it")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true", help="print pages read (to stderr)")
    p.set_defaults(run=cmd_parse)

    p = sub.add_parser("audit", help="print the consistency findings of one disclosure")
    p.add_argument("file")
    p.set_defaults(run=cmd_audit)

    p = sub.add_parser("build", help="build or add to an index")
    p.add_argument("--source", nargs="+", required=True)
    p.add_argument("--index-dir", default=default_index)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("search", help="ranked passages with their sources")
    p.add_argument("query")
    p.add_argument("--unit")
    p.add_argument("--year", type=int)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--index-dir", default=default_index)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--index-dir", default=default_index)
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("explain", help="how a question is understood: entities, intent, documents, "
                                       "tools called, figure sources (JSON; --text for lines)")
    p.add_argument("question")
    p.add_argument("--history", nargs="*", default=[], help="earlier questions of the conversation, in order")
    p.add_argument("--text", action="store_true", help="lines to read instead of JSON")
    p.add_argument("--index-dir", default=default_index)
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("batch", help="answer a JSONL file of questions")
    p.add_argument("infile")
    p.add_argument("outfile")
    p.add_argument("--index-dir", default=default_index)
    p.set_defaults(run=cmd_batch)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (DisclosureError, EmbeddingModelMissing) as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
