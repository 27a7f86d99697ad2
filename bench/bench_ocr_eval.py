"""Scanned copies of the bundled disclosures, asked the visible eval's 三公, 收支 totals and
机关运行经费 questions.

For each bundled PDF the pages those answers rest on (the cover, the pages printing 收支总表,
“三公”经费, 机关运行经费 or 收入总计, contents pages left out) are made into a scan
(bench_ocr.make_scan: 150 dpi, skew, noise, JPEG), read back through the OCR path, indexed,
and the visible eval's questions on those measures are asked and scored with
../shared/eval/score.py. Figures an answer takes from a doubtful cell are counted apart.

    python bench/bench_ocr_eval.py            # about 6 CPU-seconds a scanned page
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_ocr import make_scan  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
MEASURES = re.compile(r"三公|公务接待|公务用车|因公出国|机关运行经费|收入总计|支出总计|收支")
VEHICLES_HELD = re.compile(r"实有|几辆|多少辆|数量|编制")  # 国有资产 questions, not the 三公 budget
PAGE_WORDS = re.compile(r"收支总表|三公|机关运行经费|收入总计|预算收支")
CONTENTS = re.compile(r"\.{6,}|…{3,}")


def needed_pages(pdf_path: Path) -> list[int]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [number for number, page in enumerate(pdf.pages, 1)
                if number == 1 or (PAGE_WORDS.search(text := page.extract_text() or "") and not CONTENTS.search(text))]


def main() -> int:
    sys.path.insert(0, str(EVAL))
    from score import judge

    from assistant.service import open_assistant
    from index.build import build_index

    questions = [json.loads(line) for line in (EVAL / "visible.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    asked = [q for q in questions if MEASURES.search(q["question"]) and not VEHICLES_HELD.search(q["question"])
             and not q.get("history")]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        scans, pages_total, started = [], 0, time.perf_counter()
        for pdf in sorted((ROOT / "data" / "pdf").glob("*.pdf")):
            pages = needed_pages(pdf)
            pages_total += len(pages)
            scans.append(make_scan(pdf, pages, work_dir / pdf.name, dpi=150))
            print(f"{pdf.stem}: scanned pages {pages}")
        build_index(scans, work_dir / "index", progress=False)
        seconds = time.perf_counter() - started  # wall clock: the OCR runs in the sandbox's child
        assistant = open_assistant(work_dir / "index")
        failures, doubtful = [], 0
        for q in asked:
            answer = assistant.ask(q["question"]).to_batch(q["id"])
            doubtful += sum("识别存疑" in (f["source"].get("note") or "") for f in answer["figures"])
            ok, why = judge(q, answer)
            if not ok:
                failures.append((q["id"], q["question"], why))
    print(f"pages scanned {pages_total}, scan+parse+index {seconds:.0f} s wall clock"
          f" ({seconds / pages_total:.1f} s/page)")
    print(f"visible-eval questions on 三公/收支/机关运行经费: {len(asked) - len(failures)}/{len(asked)} exact; "
          f"figures from doubtful cells: {doubtful}")
    for qid, question, why in failures:
        print(f"  FAIL {qid} {question} — {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
