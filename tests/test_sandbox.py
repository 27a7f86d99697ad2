"""The sandboxed parse: same result as in-process, typed errors for limits and bad input."""
import pytest

from core import errors
from parsing.sandbox import Limits, parse_file_sandboxed


def test_sandboxed_parse_equals_in_process(text_docs, parsed_text):
    doc_id = "jincheng-etdz-approval-bureau-2026"
    assert parse_file_sandboxed(text_docs[doc_id]) == parsed_text[doc_id]


def test_deadline_kills_the_child_and_raises_timeout(pdf_docs):
    with pytest.raises(errors.ParseTimeoutError):
        parse_file_sandboxed(pdf_docs["jincheng-etdz-admin-committee-2026"], limits=Limits(seconds=0.2))


def test_memory_cap_is_a_typed_refusal(pdf_docs):
    with pytest.raises(errors.DisclosureError):
        parse_file_sandboxed(pdf_docs["jincheng-etdz-admin-committee-2026"], limits=Limits(memory_bytes=64 * 2**20))


def test_bad_input_error_class_survives_the_process_boundary(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(errors.EmptyFileError):
        parse_file_sandboxed(empty)
