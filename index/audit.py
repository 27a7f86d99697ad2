"""Every finding about one disclosure: the consistency checks (index/checks.py) and, for pages
read with OCR, the figures no check confirms (「识别存疑」, index/ocr_verify.py)."""
from __future__ import annotations

from core.model import Disclosure, Finding
from index.checks import run_checks
from index.ocr_verify import verify_ocr


def audit(disclosure: Disclosure) -> list[Finding]:
    """The findings; OCR'd cells that fail every check they take part in are also marked on
    their row (TableRow.ocr_doubt), so that an answer using them says 识别存疑."""
    findings = run_checks(disclosure)
    if disclosure.ocr_pages:
        report = verify_ocr(disclosure)
        findings += report.findings
        for cell in report.cells:
            if cell.status == "doubt":
                disclosure.tables[cell.table_index].rows[cell.row_index].ocr_doubt.append(cell.column)
    return findings
