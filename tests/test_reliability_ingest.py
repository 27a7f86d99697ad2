"""Untrusted input: the parse sandbox's limits, the upload limits, and no Ghostscript repair.

A file that hangs or balloons the parser costs the caller a typed refusal, never its own
process: after each refusal a normal parse still works in the same process.
"""
from __future__ import annotations

import ast

import pytest
from conftest import PDF_DIR, ROOT, TEXT_DIR

from core import errors
from parsing.sandbox import Limits, parse_file_sandboxed

APPROVAL = "jincheng-etdz-approval-bureau-2026"
LARGEST_PDF = "jincheng-etdz-admin-committee-2026"


@pytest.fixture(scope="module")
def approval_pdf_in_process():
    from parsing.parse import parse_file

    return parse_file(PDF_DIR / f"{APPROVAL}.pdf")


def assert_still_serving(expected) -> None:
    assert parse_file_sandboxed(PDF_DIR / f"{APPROVAL}.pdf") == expected


def test_deadline_refuses_with_timeout_then_parsing_goes_on(approval_pdf_in_process):
    with pytest.raises(errors.ParseTimeoutError) as refused:
        parse_file_sandboxed(PDF_DIR / f"{LARGEST_PDF}.pdf", limits=Limits(seconds=0.3))
    assert "解析超时" in str(refused.value)
    assert_still_serving(approval_pdf_in_process)


@pytest.mark.parametrize("megabytes", [16, 64])
def test_memory_cap_refuses_as_too_large_then_parsing_goes_on(megabytes, approval_pdf_in_process):
    with pytest.raises(errors.TooLargeError) as refused:
        parse_file_sandboxed(PDF_DIR / f"{LARGEST_PDF}.pdf", limits=Limits(memory_bytes=megabytes * 2**20))
    assert "内存" in str(refused.value)
    assert_still_serving(approval_pdf_in_process)


def test_page_and_size_caps_are_configurable(approval_pdf_in_process, monkeypatch):
    pdf = PDF_DIR / f"{APPROVAL}.pdf"  # 38 pages, 383 KB
    with pytest.raises(errors.TooLargeError, match="共38页，上限10页"):
        parse_file_sandboxed(pdf, limits=Limits(max_pages=10))
    with pytest.raises(errors.TooLargeError, match=r"文件大小0\.4MB，上限0\.191MB"):
        parse_file_sandboxed(pdf, limits=Limits(max_bytes=200_000))
    with pytest.raises(errors.TooLargeError):  # text exports are capped too
        parse_file_sandboxed(TEXT_DIR / f"{APPROVAL}.md", limits=Limits(max_bytes=10_000))
    monkeypatch.setenv("BUDGET_PARSE_MAX_PAGES", "20")
    assert Limits().max_pages == 20
    with pytest.raises(errors.TooLargeError, match="上限20页"):
        parse_file_sandboxed(pdf)
    monkeypatch.delenv("BUDGET_PARSE_MAX_PAGES")
    assert_still_serving(approval_pdf_in_process)


def test_default_limits_fit_disclosures_of_a_few_hundred_pages():
    limits = Limits()
    assert limits.max_pages >= 500 and limits.max_bytes >= 50 * 2**20
    assert limits.seconds >= 120 and limits.memory_bytes >= 1024 * 2**20


def test_pdfplumber_repair_is_never_called():
    """repair() runs Ghostscript on the file, outside the sandbox's limits."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if {".venv", "models", "var", "node_modules"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "repair" or any(k.arg == "repair" for k in node.keywords):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
    assert any(ROOT.rglob("parsing/read_pdf.py")), "the scan covers the PDF reader"


# ---- the upload page ----------------------------------------------------------------------------

def test_upload_checks_refuse_other_types_oversized_and_empty_files(monkeypatch):
    monkeypatch.delenv("BUDGET_MAX_UPLOAD_MB", raising=False)
    import app

    limit = app.MAX_UPLOAD_MB * 2**20
    assert "不支持的文件类型" in app.upload_problem("notes.docx", 1000)
    assert "不支持的文件类型" in app.upload_problem("budget", 1000)
    assert "文件过大" in app.upload_problem("big.pdf", limit + 1)
    assert "文件为空" in app.upload_problem("empty.pdf", 0)
    for name in ("预算.pdf", "预算.PDF", "预算.md", "预算.txt"):
        assert app.upload_problem(name, limit) is None
    assert limit <= Limits().max_bytes, "the sandbox accepts whatever the upload page accepts"


def upload(name: str, data: bytes, mime: str = "application/pdf"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.radio(key="page").set_value("文档管理").run()
    assert not at.exception, at.exception
    at.file_uploader(key="upload").set_value((name, data, mime)).run()
    if not at.exception:
        at.button(key="ingest").click().run()
    return at


def test_app_refuses_an_oversized_upload_and_leaves_the_index(app_index, monkeypatch):
    from core.generations import current_generation

    monkeypatch.setenv("BUDGET_MAX_UPLOAD_MB", "1")
    before = current_generation(app_index)
    # a real disclosure padded past the limit: refused for its size, never parsed
    data = (PDF_DIR / f"{APPROVAL}.pdf").read_bytes()
    data += b"\n%" + b"x" * (2**20 + 1 - len(data))
    at = upload("审批局-2026.pdf", data)
    assert not at.exception, at.exception
    assert at.error and "文件过大" in at.error[0].value and "1MB" in at.error[0].value
    assert not at.success
    assert current_generation(app_index) == before


def test_app_refuses_a_file_type_it_does_not_read(app_index):
    from core.generations import current_generation

    before = current_generation(app_index)
    data = (TEXT_DIR / f"{APPROVAL}.md").read_bytes()  # readable content, wrong type
    at = upload("审批局-2026.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    # Streamlit's uploader refuses the extension itself (a browser never offers it); the page's
    # own check (upload_problem, above) is the second line
    refusals = [e.value for e in at.exception] + [e.value for e in at.error]
    assert any("docx" in r and ("Invalid file extension" in r or "不支持的文件类型" in r) for r in refusals), refusals
    assert not at.success
    assert current_generation(app_index) == before
