"""Bad input is refused with its own error class and a Chinese message, never a traceback.

Every file in ../shared/corpus/bad has an expected class here (a new file without one fails),
through parsing.parse.parse_file and through `python cli.py parse FILE` (exit status 2).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

import cli
from core import errors
from parsing.parse import parse_file
from parsing.read_pdf import read_pdf_blocks
from tests.conftest import BAD_DIR, ROOT
from tests.pdf_samples import UNMAPPED_CID_FONT, one_page_pdf, text_at

EXPECTED = {
    "empty.pdf": errors.EmptyFileError,
    "encrypted-approval-bureau-2026.pdf": errors.EncryptedPdfError,
    "not-a-pdf.pdf": errors.NotPdfError,
    # a scan is read with OCR now (parsing/ocr.py); its 3 pages are a cover and the contents
    "scanned-approval-bureau-2026-p1-3.pdf": errors.NotADisclosureError,
    "truncated-approval-bureau-2026.pdf": errors.CorruptPdfError,
    "unrelated-notice.pdf": errors.NotADisclosureError,
}
APPROVAL = "jincheng-etdz-approval-bureau-2026"


def test_every_bad_file_has_an_expected_error():
    assert sorted(p.name for p in BAD_DIR.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_raises_its_error_class(name):
    with pytest.raises(errors.DisclosureError) as caught:
        parse_file(BAD_DIR / name)
    assert type(caught.value) is EXPECTED[name]
    assert str(caught.value).startswith(EXPECTED[name].user_message)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_parse_exits_2_with_the_chinese_message(name, capsys):
    assert cli.main(["parse", str(BAD_DIR / name)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("错误：" + EXPECTED[name].user_message)


def test_scanned_pdf_without_ocr_is_refused_as_scanned():
    with pytest.raises(errors.ScannedPdfError) as caught:
        read_pdf_blocks(BAD_DIR / "scanned-approval-bureau-2026-p1-3.pdf", settings={"ocr": False})
    assert "OCR" in str(caught.value)


def test_cli_process_exit_status():
    bad = BAD_DIR / "truncated-approval-bureau-2026.pdf"
    done = subprocess.run([sys.executable, "cli.py", "parse", str(bad)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert errors.CorruptPdfError.user_message in done.stderr and "Traceback" not in done.stderr


# ---- variations made here --------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.0005, 0.02, 0.25, 0.5, 0.75, 0.98, 0.9995])
def test_a_pdf_cut_anywhere_is_corrupt(fraction, pdf_docs, tmp_path):
    data = pdf_docs[APPROVAL].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: max(8, int(len(data) * fraction))])
    with pytest.raises(errors.CorruptPdfError):
        read_pdf_blocks(cut)


@pytest.mark.parametrize(
    "content,error",
    [
        (b"   \n\t ", errors.EmptyFileError),
        ("这是一个文本文件，不是PDF。".encode(), errors.NotPdfError),
        (b"PK\x03\x04" + bytes(2000), errors.NotPdfError),  # a .docx/.zip renamed
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, errors.CorruptPdfError),
    ],
)
def test_content_that_is_not_a_readable_pdf(content, error, tmp_path):
    path = tmp_path / "upload.pdf"
    path.write_bytes(content)
    with pytest.raises(error):
        parse_file(path)


def test_text_without_a_unicode_map_is_undecodable(tmp_path):
    lines = b"".join(b"BT /F1 12 Tf 72 %d Td <0101020203030404> Tj ET\n" % (800 - 20 * i) for i in range(20))
    path = tmp_path / "cid.pdf"
    path.write_bytes(one_page_pdf(lines, UNMAPPED_CID_FONT))
    with pytest.raises(errors.UndecodableTextError):
        parse_file(path)


def test_a_readable_pdf_about_something_else_is_not_a_disclosure(tmp_path):
    lines = b"".join(text_at(72, 800 - 20 * i, b"Minutes of the sports committee") for i in range(30))
    path = tmp_path / "minutes.pdf"
    path.write_bytes(one_page_pdf(lines))
    with pytest.raises(errors.NotADisclosureError):
        parse_file(path)


def test_limits_refuse_oversized_files(pdf_docs):
    with pytest.raises(errors.TooLargeError):
        read_pdf_blocks(pdf_docs[APPROVAL], {"max_pages": 10})
    with pytest.raises(errors.TooLargeError):
        read_pdf_blocks(pdf_docs[APPROVAL], {"max_bytes": 100_000})
