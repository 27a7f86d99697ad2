"""The disclosure's own arithmetic as proof of what OCR read.

    report = verify_ocr(disclosure)            # pages from disclosure.ocr_pages
    report.findings                            # 「识别存疑」 Findings (check="ocr_doubt")
    [c for c in report.cells if c.status == "verified"]

A budget disclosure checks itself: a 科目 parent is the sum of its children, a total the sum
of its rows, the same figure is printed in several tables, income equals expenditure, and
the 情况说明 restates the tables. A misread digit breaks every relation its cell is in, while
a figure that satisfies one of them is almost certainly read right (a wrong digit would have
to be cancelled by another). So each amount cell of a table read with OCR is

    verified   it takes part in at least one check that holds (a 尾差 of ≤0.03 counts as
               holding: the documents round);
    doubt      every check it takes part in fails;
    unchecked  it takes part in no check at all.

Which checks a cell takes part in is not re-implemented here: the cell's value is changed by
a large odd amount and index/checks.py's run_checks is run again; every check whose finding
appears or changes involves that cell, and whether that check held is read off the findings
of the unchanged disclosure. The relations are therefore exactly those the audit uses.
Doubtful cells become findings of severity "error", unchecked amounts ones of severity
"warning" (nothing proves them); blank cells are reported only when a check fails on them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from core.model import Disclosure, Finding, Location, TableKind
from index.checks import _fmt, _name, _row_label, run_checks

BUMP = Decimal("900007.13")  # far from any real amount; changes every sum it enters
Status = Literal["verified", "doubt", "unchecked"]


@dataclass
class OcrCell:
    table: TableKind
    table_index: int  # index into disclosure.tables
    row_index: int  # index into that table's rows
    column: str
    value: Decimal | None
    location: Location
    status: Status = "unchecked"
    holding: list[str] = field(default_factory=list)  # checks it takes part in that hold
    failing: list[str] = field(default_factory=list)  # … that fail


@dataclass
class OcrVerification:
    cells: list[OcrCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for c in self.cells if c.status == status)

    def share(self, status: Status) -> float:
        return self.count(status) / len(self.cells) if self.cells else 0.0


def _key(finding: Finding) -> tuple[str, str]:
    """A check's identity: its kind and what it compares (the message before the figures)."""
    return finding.check, finding.message.split("：", 1)[0]


def _state(findings: Iterable[Finding]) -> dict[tuple[str, str], Finding]:
    out: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if f.check != "ocr_doubt":
            out.setdefault(_key(f), f)
    return out


def verify_ocr(disclosure: Disclosure, pages: Iterable[int] | None = None) -> OcrVerification:
    """Mark each amount cell on an OCR'd page (`pages`, default disclosure.ocr_pages) as
    verified / doubt / unchecked, and list the doubtful ones as 「识别存疑」 findings.
    Works on a deep copy: the disclosure is not changed."""
    ocr_pages = set(disclosure.ocr_pages if pages is None else pages)
    report = OcrVerification()
    if not ocr_pages:
        return report
    d = disclosure.model_copy(deep=True)
    baseline = _state(run_checks(d))
    for ti, table in enumerate(d.tables):
        for ri, row in enumerate(table.rows):
            if row.location.page not in ocr_pages:
                continue
            for column, value in list(row.values.items()):
                cell = OcrCell(table.kind, ti, ri, column, value, row.location)
                row.values[column] = (value or Decimal(0)) + BUMP
                try:
                    changed = _state(run_checks(d))
                finally:
                    row.values[column] = value
                for key, finding in changed.items():
                    before = baseline.get(key)
                    if before is not None and (before.expected, before.actual) == (finding.expected, finding.actual):
                        continue  # this check does not involve the cell
                    if before is None or before.severity == "rounding":
                        cell.holding.append(key[1])
                    elif before.severity == "error":
                        cell.failing.append(key[1])
                    # a failing "warning" check (a relation that usually holds) proves nothing
                cell.status = "verified" if cell.holding else ("doubt" if cell.failing else "unchecked")
                report.cells.append(cell)
    report.findings = [f for c in report.cells if (f := _finding(disclosure, c)) is not None]
    return report


def _finding(d: Disclosure, cell: OcrCell) -> Finding | None:
    if cell.status == "verified" or (cell.value is None and cell.status == "unchecked"):
        return None
    table = d.tables[cell.table_index]
    row = table.rows[cell.row_index]
    where = f"{_name(table)} {_row_label(row)}“{cell.column}”列{_fmt(cell.value, table.unit)}"
    if cell.status == "doubt":
        checks = "；".join(cell.failing[:3]) + ("等" if len(cell.failing) > 3 else "")
        message = f"识别存疑：{where}（OCR识别）所在的{len(cell.failing)}项核对均不成立（{checks}），请对照原件"
        severity = "error"
    else:
        message = f"识别存疑：{where}（OCR识别）不参与任何表内或表间核对，无法验证，请对照原件"
        severity = "warning"
    return Finding(check="ocr_doubt", severity=severity, message=message, actual=cell.value,
                   locations=[cell.location])
