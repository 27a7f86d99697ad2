"""Read a disclosure PDF into blocks (parsing/blocks.py) with pdfplumber.

    blocks, pages = read_pdf_blocks(path)

The result matches what parsing/read_text.py yields for the text export of the same document:
ruled tables become table blocks (one per page fragment; the table parser joins consecutive
table blocks), text outside tables becomes heading/paragraph blocks in reading order, with
the lines the PDF wrapped joined back into one paragraph and page numbers dropped.

A page without a text layer (a scan) is read with OCR (parsing/ocr.py, parsing/ocr_grid.py) into
the same lines and table fragments, and its blocks say so (Block.ocr); only such pages are
OCR'd, since OCR is slow. `on_page(done, total)` reports progress after each page.

Every tunable number lives in SETTINGS, in the style of pdfplumber's table settings.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from core import errors
from parsing import ocr
from parsing.blocks import Block
from parsing.ocr_grid import page_items
from parsing.pdf_checks import TextQuality, check_file, open_pdf, pdf_error
from parsing.pdf_tables import TableFragment, extract_tables, join_split_rows, repeated_header_rows
from parsing.pdf_text import Line, continues, is_heading, join_wrapped, measure_layout, page_lines
from parsing.pdf_unruled import unruled_tables

SETTINGS: dict = {
    # limits: real disclosures are a few hundred pages and a few MB
    "max_bytes": 100 * 2**20,
    "max_pages": 1000,
    # text quality, checked after `probe_pages` pages (fail fast) and again at the end
    "probe_pages": 10,
    "max_cid_ratio": 0.05,  # share of glyphs extracted as (cid:N)
    "min_text_page_ratio": 0.5,  # share of pages with a text layer
    # a disclosure says 预算 on its cover and contents; anything else is refused cheaply
    "disclosure_markers": ["预算"],
    "table_settings": {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
    },
    "min_table_cells": 2,  # a ruled box around one cell is a framed paragraph, not a table
    # tables printed without ruling: rebuilt from word positions where no ruled table was
    # found (parsing/pdf_unruled.py); "unruled_settings" overrides its SETTINGS
    "unruled": True,
    "unruled_settings": {},
    "dedupe_tolerance": 1,  # glyphs drawn twice within this distance (fake bold) count once
    "max_watermark_ratio": 0.2,  # diagonal glyphs up to this share of a page are a watermark
    # Writer/Word leave ~0.3em between CJK and Latin runs: that is not a space; the space
    # characters the PDF does draw are kept
    "text_settings": {"x_tolerance_ratio": 0.4, "y_tolerance": 3, "keep_blank_chars": True},
    # running headers/footers live in these bands (share of the page height)
    "margin_band": 0.08,
    "page_number_patterns": [
        r"^[-—–－\s]*\d{1,4}[-—–－\s]*$",  # "— 2 —", "- 2 -", "2"
        r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$",  # 第2页 / 第2页 共10页
        r"^\d{1,4}\s*/\s*\d{1,4}$",  # 2/10
    ],
    "repeated_margin_ratio": 0.3,  # margin text on this share of pages is a running header
    # paragraph joining, in em of the line's font size
    "wrap_slack_em": 1.5,  # a line ending this close to the right edge was wrapped
    "indent_em": 1.0,  # a line starting this far right of the left edge is indented
    "heading_size_ratio": 1.15,  # this much larger than body text = heading (bold is, too)
    # glyph heights measured on a scan vary by a few tenths: a heading must stand out more
    "ocr_heading_size_ratio": 1.4,
    # pages with no text layer but an image (a scan) are read with OCR when it is installed;
    # "ocr_settings" overrides parsing/ocr.py's OCR_SETTINGS
    "ocr": True,
    "ocr_settings": {},
    "on_page": None,  # default progress callback (done, total), e.g. set by the CLI
}

_PDF_ERRORS = (PSException, PDFException, PdfminerException)


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    items: list[Line | TableFragment] = field(default_factory=list)  # top to bottom
    ocr: bool = False  # read with OCR (no text layer)


ProgressCallback = Callable[[int, int], None]


def read_pdf_blocks(path: str | Path, settings: dict | None = None,
                    on_page: ProgressCallback | None = None) -> tuple[list[Block], int]:
    """Blocks in reading order and the page count. Raises DisclosureError subclasses.
    `on_page(done, total)` is called after each page (OCR'd pages take seconds each)."""
    cfg = {**SETTINGS, **(settings or {})}
    if on_page is not None:
        cfg["on_page"] = on_page
    path = Path(path)
    check_file(path, cfg["max_bytes"])
    with open_pdf(path) as pdf:
        try:
            page_count = len(pdf.pages)
        except _PDF_ERRORS as exc:
            raise pdf_error(exc) from None
        if page_count == 0:
            raise errors.CorruptPdfError("没有页面")
        if page_count > cfg["max_pages"]:
            raise errors.TooLargeError(f"共{page_count}页，上限{cfg['max_pages']}页")
        pages = read_pages(pdf, cfg)
    return assemble_blocks(pages, cfg), page_count


def ocr_pages(blocks: list[Block]) -> list[int]:
    """The pages whose blocks were read with OCR (for Disclosure.ocr_pages)."""
    return sorted({page for b in blocks if b.ocr for page in [b.page, *b.row_pages] if page is not None})


def read_pages(pdf, cfg: dict) -> list[PageContent]:
    quality = TextQuality(cfg["max_cid_ratio"], cfg["min_text_page_ratio"])
    pages: list[PageContent] = []
    seen_marker = False
    total = len(pdf.pages)
    use_ocr = cfg["ocr"] and _ocr_installed()
    for page in pdf.pages:
        try:
            if use_ocr and needs_ocr(page):
                pages.append(read_page_ocr(page, cfg))
                quality.add_page([{"text": _page_text(pages[-1])}])
            else:
                pages.append(read_page(page, cfg))
                quality.add_page(page.chars)
        except _PDF_ERRORS as exc:
            raise pdf_error(exc) from None
        finally:
            page.close()  # drop pdfplumber's per-page caches: memory stays flat
        if cfg["on_page"] is not None:
            cfg["on_page"](len(pages), total)
        seen_marker = seen_marker or _has_marker(pages[-1], cfg["disclosure_markers"])
        if len(pages) == cfg["probe_pages"] < len(pdf.pages):  # fail fast on a long bad file
            quality.check(final=False)
            _require_marker(seen_marker, cfg["disclosure_markers"], f"前{len(pages)}页")
    quality.check(final=True)
    _require_marker(seen_marker, cfg["disclosure_markers"], "全文")
    return pages


def _require_marker(seen: bool, markers: list[str], where: str) -> None:
    if not seen:
        raise errors.NotADisclosureError(f"{where}未出现“{'、'.join(markers)}”等字样")


def _page_text(page: PageContent) -> str:
    return "".join(item.text if isinstance(item, Line) else "".join(map("".join, item.rows)) for item in page.items)


def _has_marker(page: PageContent, markers: list[str]) -> bool:
    text = _page_text(page)
    return any(marker in text for marker in markers)


def _ocr_installed() -> bool:
    return ocr.available()


def needs_ocr(page) -> bool:
    """No visible character in the text layer, but something drawn: an image (a scan) or
    curves (text turned into outlines). A blank page is not worth reading."""
    if any(c["text"].strip() for c in page.chars):
        return False
    return bool(page.images or page.curves)


def read_page_ocr(page, cfg: dict) -> PageContent:
    """A page without a text layer, read with OCR into the same lines and table fragments."""
    scanned = ocr.recognise_page(page, cfg["ocr_settings"])
    found = page_items(scanned, cfg["min_table_cells"])
    return PageContent(page.page_number, float(page.width), float(page.height), found.items, ocr=True)


def read_page(page, cfg: dict) -> PageContent:
    """The ruled tables and the text lines outside them, top to bottom."""
    page = clean_chars(page, cfg)
    tables = extract_tables(page, cfg["table_settings"], cfg["text_settings"], cfg["min_table_cells"])
    boxes = [t.bbox for t in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    if cfg["unruled"]:  # the fallback sees only what the ruled tables left
        unruled = unruled_tables(page.filter(outside_tables) if boxes else page, cfg["text_settings"],
                                 cfg["unruled_settings"])
        tables += unruled
        boxes += [t.bbox for t in unruled]
    lines = page_lines(page.filter(outside_tables) if boxes else page, cfg["text_settings"])
    content = PageContent(page.page_number, float(page.width), float(page.height))
    content.items = sorted([*lines, *tables], key=lambda item: item.top)
    return content


def clean_chars(page, cfg: dict):
    """Drop what is drawn over the text rather than written in it: glyphs printed twice to
    fake bold, and a diagonal watermark (a few slanted glyphs among level ones)."""
    chars = page.chars
    drop = set(map(id, _overprinted(chars, cfg["dedupe_tolerance"])))
    slanted = [c for c in chars if _diagonal(c)]
    if len(slanted) <= cfg["max_watermark_ratio"] * len(chars):
        drop.update(map(id, slanted))
    if drop:
        page = page.filter(lambda obj: id(obj) not in drop)
    return page


def _overprinted(chars: list[dict], tolerance: float) -> list[dict]:
    """Second and later copies of a glyph drawn again within `tolerance` points."""
    if tolerance <= 0:
        return []
    seen: dict[tuple, list[dict]] = {}
    copies = []
    for char in chars:
        gx, gy = int(char["x0"] // tolerance), int(char["top"] // tolerance)
        near = (
            other
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in seen.get((char["text"], gx + dx, gy + dy), ())
        )
        if any(abs(o["x0"] - char["x0"]) <= tolerance and abs(o["top"] - char["top"]) <= tolerance for o in near):
            copies.append(char)
        else:
            seen.setdefault((char["text"], gx, gy), []).append(char)
    return copies


def _diagonal(char: dict) -> bool:
    a, b = char["matrix"][:2]
    return abs(a) > 1e-6 and 0.18 < abs(b / a) < 5.7  # between 10 and 80 degrees


def _lines_before_table(items: Iterable[Line | TableFragment]) -> Iterator[Line]:
    """The Lines of `items` up to the first TableFragment."""
    for item in items:
        if not isinstance(item, Line):
            return
        yield item


def drop_margins(pages: list[PageContent], cfg: dict) -> None:
    """Remove page numbers and running headers/footers: the outermost lines of a page, in
    its top/bottom bands, that look like a page number or repeat on many pages."""
    patterns = [re.compile(p) for p in cfg["page_number_patterns"]]

    def outer_lines(page: PageContent) -> list[Line]:
        band = cfg["margin_band"] * page.height
        top = itertools.takewhile(lambda line: line.bottom < band, _lines_before_table(page.items))
        bottom = itertools.takewhile(
            lambda line: line.top > page.height - band, _lines_before_table(reversed(page.items))
        )
        return [*top, *bottom]

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    outer = {page.number: outer_lines(page) for page in pages}
    counts = Counter(k for lines in outer.values() for k in {key(line.text) for line in lines})
    repeated = {k for k, n in counts.items() if n >= 3 and n >= cfg["repeated_margin_ratio"] * len(pages)}
    for page in pages:
        furniture = {
            id(line)
            for line in outer[page.number]
            if key(line.text) in repeated or any(p.match(line.text) for p in patterns)
        }
        page.items = [item for item in page.items if id(item) not in furniture]


def assemble_blocks(pages: list[PageContent], cfg: dict) -> list[Block]:
    drop_margins(pages, cfg)
    for page in pages:
        if page.items and isinstance(page.items[0], TableFragment):
            page.items[0].first_on_page = True
        if page.items and isinstance(page.items[-1], TableFragment):
            page.items[-1].last_on_page = True
    lines = [item for page in pages for item in page.items if isinstance(item, Line)]
    layout = measure_layout(lines, max((p.width for p in pages), default=595.0))

    blocks: list[Block] = []
    last_line: Line | None = None  # the line that ends the last text block, while it is open
    last_table: TableFragment | None = None  # the fragment that ends the last table block
    head: TableFragment | None = None  # the first fragment of the table it belongs to
    for page in pages:
        for item in page.items:
            if isinstance(item, TableFragment):
                if last_table is None or head is None:  # head is set whenever last_table is
                    head = item
                if last_table is not None:
                    skip = repeated_header_rows(head, item)
                    join_split_rows(last_table, item, blocks[-1].rows, skip)
                    if not item.cells:
                        continue
                blocks.append(Block(kind="table", rows=item.rows, page=page.number,
                                    row_pages=[page.number] * len(item.cells), ocr=page.ocr))
                last_line, last_table = None, item
                continue
            ratio = cfg["ocr_heading_size_ratio"] if page.ocr else cfg["heading_size_ratio"]
            kind: Literal["heading", "paragraph"] = "heading" if is_heading(item, layout, ratio) else "paragraph"
            if (
                last_line is not None
                and blocks[-1].kind == kind
                and continues(last_line, item, layout, cfg["wrap_slack_em"], cfg["indent_em"])
            ):
                blocks[-1].text = join_wrapped(blocks[-1].text, item.text)
            else:
                blocks.append(Block(kind=kind, text=item.text, page=page.number, ocr=page.ocr))
            last_line, last_table = item, None
    return blocks
