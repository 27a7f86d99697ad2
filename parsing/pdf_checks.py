"""Refuse bad PDFs early, each with its own DisclosureError subclass.

Cheap checks run before pdfminer sees the file (size, magic bytes); opening maps pdfminer's
exceptions to our error family; text-quality checks measure what the pages yielded. Never
call pdfplumber's repair(): it shells out to Ghostscript without a timeout.
"""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from core import errors

PDF_MAGIC = b"%PDF-"
CID_PATTERN = re.compile(r"\(cid:\d+\)")


def check_file(path: Path, max_bytes: int, magic_window: int = 1024) -> None:
    """Size and magic bytes. The PDF spec lets the header sit anywhere in the first 1024 bytes."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise errors.DisclosureError(f"无法打开文件：{err.strerror}") from None
    if size == 0:
        raise errors.EmptyFileError()
    if size > max_bytes:
        raise errors.TooLargeError(f"文件大小{size / 2**20:.0f}MB，上限{max_bytes / 2**20:.0f}MB")
    with path.open("rb") as handle:
        head = handle.read(magic_window)
    if not head.strip():
        raise errors.EmptyFileError()
    if PDF_MAGIC not in head:
        raise errors.NotPdfError()


def open_pdf(path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path)
    except PdfminerException as wrapped:
        raise pdf_error(wrapped) from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise errors.EncryptedPdfError() from None


def pdf_error(exc: BaseException) -> errors.DisclosureError:
    """The DisclosureError for an exception raised by pdfminer while opening or reading pages."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return errors.EncryptedPdfError()
    if isinstance(cause, MemoryError):  # under the sandbox's memory cap
        return errors.TooLargeError("解析所需内存超出上限")
    detail = f"{type(cause).__name__}: {cause}"[:160] if str(cause) else type(cause).__name__
    return errors.CorruptPdfError(detail)


def count_cid(text: str) -> tuple[int, int]:
    """(undecoded glyphs, all visible characters): each `(cid:N)` counts as one glyph."""
    undecoded = len(CID_PATTERN.findall(text))
    decoded = len(re.sub(r"\s", "", CID_PATTERN.sub("", text)))
    return undecoded, undecoded + decoded


class TextQuality:
    """Accumulates, page by page, what the text layer yielded; raises once it is clearly bad."""

    def __init__(self, max_cid_ratio: float, min_text_page_ratio: float):
        self.max_cid_ratio = max_cid_ratio
        self.min_text_page_ratio = min_text_page_ratio
        self.pages = 0
        self.text_pages = 0
        self.undecoded = 0
        self.glyphs = 0

    def add_page(self, chars: list[dict]) -> None:
        self.pages += 1
        text = "".join(c["text"] for c in chars)
        undecoded, glyphs = count_cid(text)
        self.undecoded += undecoded
        self.glyphs += glyphs
        if glyphs:
            self.text_pages += 1

    @property
    def cid_ratio(self) -> float:
        return self.undecoded / self.glyphs if self.glyphs else 0.0

    def check(self, final: bool = True) -> None:
        """Raise when the pages so far are clearly unreadable. Before the end (`final=False`)
        only a file without any text layer counts as scanned: a cover may be an image."""
        if not self.pages:
            return
        min_ratio = self.min_text_page_ratio if final else 1 / (self.pages + 1)
        if self.text_pages / self.pages < min_ratio:
            raise errors.ScannedPdfError(f"{self.pages}页中{self.text_pages}页有文字")
        if self.cid_ratio > self.max_cid_ratio:
            raise errors.UndecodableTextError(f"{self.cid_ratio:.0%}的字符无法解码")
