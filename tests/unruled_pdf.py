"""Render a text export (the format parsing/read_text.py reads) as a PDF whose tables have no
ruling lines, the way Word/WPS exports with borderless tables print them.

    pdf_bytes = render_unruled(text)              # bytes of a landscape A4 PDF
    write_unruled(text, path)

Paragraphs are drawn as wrapped body text; each table (consecutive tab- or pipe-separated
rows) is drawn as text placed at column positions, with NO line, rectangle or fill:

- header rows (the rows before the first row with an amount) are centred over their span: a
  header cell spans the empty cells after it (the export's way of writing a merged cell);
- in data rows, amounts are right-aligned, codes and names left-aligned;
- a cell too wide for its column (names) wraps onto further lines inside the row (top-aligned,
  as Word prints), so the row grows taller;
- a table that does not fit on the rest of a page starts on a new page.

The font is reportlab's built-in CID font STSong-Light (no font file needed); pdfplumber
reads its text back as Unicode.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
PAGE_W, PAGE_H = landscape(A4)
MARGIN = 40.0
BODY_SIZE, BODY_LEADING = 10.5, 16.0
CELL_SIZE, CELL_LEADING = 8.0, 10.0
ROW_PAD = 4.0  # vertical space added to every table row
CELL_PAD = 5.0  # horizontal cell margin on each side
MAX_TEXT_COL = 120.0  # text columns wider than this wrap
AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
CODE = re.compile(r"^\d{1,7}$")

_registered = False


def _font() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, limit: float, size: float) -> list[str]:
    """Character-wise wrapping (CJK wraps anywhere)."""
    lines, line = [], ""
    for ch in text:
        if line and width(line + ch, size) > limit:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines or [""]


def split_blocks(text: str) -> list[tuple[str, object]]:
    """("para", text) and ("table", rows) in document order."""
    blocks: list[tuple[str, object]] = []
    rows: list[list[str]] = []

    def flush():
        if rows:
            blocks.append(("table", list(rows)))
            rows.clear()

    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) and any(cells):
                continue
            rows.append(cells)
        elif "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
        else:
            flush()
            if line.strip():
                blocks.append(("para", line.strip()))
    flush()
    return blocks


def is_amount(text: str) -> bool:
    """An amount as printed: with a thousands separator or decimals ("0" counts in a column
    of amounts, see `numeric` in Writer.table)."""
    return bool(AMOUNT.match(text)) and ("," in text or "." in text)


def header_count(rows: list[list[str]]) -> int:
    for i, row in enumerate(rows):
        if any(is_amount(c) for c in row[1:]) or any(CODE.match(c) and len(c) in (3, 5, 7) for c in row[:1]):
            return i
    return len(rows)


class Writer:
    def __init__(self, ruled: bool = False):
        self.ruled = ruled  # draw each cell's box, as most published PDFs do
        _font()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=(PAGE_W, PAGE_H))
        self.c.setTitle("unruled")
        self.y = PAGE_H - MARGIN
        self.page_has_content = False

    def new_page(self) -> None:
        if self.page_has_content:
            self.c.showPage()
        self.y = PAGE_H - MARGIN
        self.page_has_content = False

    def text(self, x: float, baseline: float, s: str, size: float) -> None:
        if s:
            self.c.setFont(FONT, size)
            self.c.drawString(x, baseline, s)
            self.page_has_content = True

    def para(self, text: str) -> None:
        for line in wrap(text, PAGE_W - 2 * MARGIN, BODY_SIZE):
            if self.y - BODY_LEADING < MARGIN:
                self.new_page()
            self.text(MARGIN, self.y - BODY_SIZE, line, BODY_SIZE)
            self.y -= BODY_LEADING
        self.y -= 4

    def table(self, rows: list[list[str]]) -> None:
        ncols = max(len(r) for r in rows)
        rows = [r + [""] * (ncols - len(r)) for r in rows]
        nhead = header_count(rows)
        widths = column_widths(rows, nhead, ncols)
        lefts = [MARGIN]
        for w in widths[:-1]:
            lefts.append(lefts[-1] + w)
        spans = header_spans(rows[:nhead])
        numeric = [any(is_amount(r[j]) for r in rows[nhead:]) for j in range(ncols)]
        laid = [layout_row(r, spans[i] if i < nhead else None, widths, lefts, numeric) for i, r in enumerate(rows)]
        heights = [
            max(len(lines) for _, lines, _ in cells) * CELL_LEADING + ROW_PAD if cells else CELL_LEADING + ROW_PAD
            for cells in laid
        ]
        first = sum(heights[: nhead + 3])
        if self.y - first < MARGIN or (self.y - sum(heights) < MARGIN and sum(heights) < PAGE_H - 2 * MARGIN):
            self.new_page()
        for i, (cells, h) in enumerate(zip(laid, heights)):
            if self.y - h < MARGIN:
                self.new_page()
            if self.ruled:
                self.boxes(spans[i] if i < nhead else [1] * ncols, widths, lefts, h)
            for (x_anchor, lines, align) in cells:
                for k, line in enumerate(lines):
                    baseline = self.y - ROW_PAD / 2 - CELL_SIZE - k * CELL_LEADING
                    w = width(line, CELL_SIZE)
                    x = {"left": x_anchor[0], "right": x_anchor[1] - w,
                         "centre": (x_anchor[0] + x_anchor[1] - w) / 2}[align]
                    self.text(x, baseline, line, CELL_SIZE)
            self.y -= h
        self.y -= 10

    def boxes(self, spans: list[int], widths: list[float], lefts: list[float], h: float) -> None:
        j = 0
        while j < len(widths):
            span = max(spans[j], 1) if j < len(spans) else 1
            right = lefts[min(j + span, len(widths)) - 1] + widths[min(j + span, len(widths)) - 1]
            self.c.rect(lefts[j], self.y - h, right - lefts[j], h, stroke=1, fill=0)
            j += span

    def finish(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def column_widths(rows: list[list[str]], nhead: int, ncols: int) -> list[float]:
    widths = []
    for j in range(ncols):
        data = [width(r[j], CELL_SIZE) for r in rows[nhead:] if r[j]]
        natural = max(data, default=0.0)
        texts = [r[j] for r in rows[nhead:] if r[j] and not is_amount(r[j])]
        w = min(natural, MAX_TEXT_COL) if texts else natural
        # single header words (the lowest header cells) must fit too, at most a few characters wide
        spans = header_spans(rows[:nhead])
        heads = [width(r[j], CELL_SIZE) for r, sp in zip(rows[:nhead], spans) if r[j] and sp[j] == 1]
        w = max(w, min(max(heads, default=0.0), 4 * CELL_SIZE), 2 * CELL_SIZE)
        widths.append(w + 2 * CELL_PAD + 4)  # a little slack, as real columns have
    total = sum(widths)
    room = PAGE_W - 2 * MARGIN
    if total > room:  # shrink the text columns, then everything
        widths = [w * room / total for w in widths]
    return widths


def header_spans(header: list[list[str]]) -> list[list[int]]:
    """Per header row, the number of columns each cell spans: the empty cells after it, while
    a lower header row names them (the export's way of writing a merged cell), and never
    past the end of the cell above."""
    spans: list[list[int]] = []
    ends_above = None
    for i, row in enumerate(header):
        n = len(row)
        span = [1] * n
        ends = list(range(1, n + 1))
        for j in range(n):
            if not row[j]:
                continue
            limit = ends_above[j] if ends_above else n
            k = j + 1
            while k < limit and not row[k] and any(lower[k] for lower in header[i + 1:]):
                k += 1
            span[j] = k - j
            for m in range(j, k):
                ends[m] = k
        for j in range(n):  # an empty cell belongs to the cell above (merged down)
            if not row[j] and ends_above and not any(j in range(a, a + span[a]) for a in range(n) if row[a]):
                ends[j] = ends_above[j]
        spans.append(span)
        ends_above = ends
    return spans


def layout_row(row: list[str], spans: list[int] | None, widths: list[float], lefts: list[float],
               numeric: list[bool]):
    """[((left, right) inner box, wrapped lines, alignment)] for the row's non-empty cells."""
    header = spans is not None
    out = []
    for j, text in enumerate(row):
        if not text:
            continue
        span = spans[j] if header else 1
        left = lefts[j] + CELL_PAD
        right = lefts[j + span - 1] + widths[j + span - 1] - CELL_PAD
        lines = wrap(text, right - left, CELL_SIZE)
        align = "centre" if header else ("right" if numeric[j] and AMOUNT.match(text) else "left")
        out.append(((left, right), lines, align))
    return out


def render_unruled(text: str, ruled: bool = False) -> bytes:
    writer = Writer(ruled)
    for kind, body in split_blocks(text):
        if kind == "para":
            writer.para(body)
        else:
            writer.table(body)
    return writer.finish()


def write_unruled(text: str, path: str | Path, ruled: bool = False) -> Path:
    path = Path(path)
    path.write_bytes(render_unruled(text, ruled))
    return path
