"""The Streamlit app driven through streamlit.testing: every page, on a real built index."""
from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from conftest import BAD_DIR, ROOT, TEXT_DIR
from index.generations import current_generation

TIMEOUT = 180


@pytest.fixture()
def app_index(built_index, tmp_path, monkeypatch):
    """A private copy of the session index, so uploads here do not touch other tests."""
    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    monkeypatch.setenv("BUDGET_INDEX_DIR", str(index_dir))
    return index_dir


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if page:
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "text", "info", "warning", "error", "success", "caption")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def test_chat_answers_with_figures_and_a_follow_up(app_index):
    at = start()
    assert "可以这样问" in shown_text(at)
    at.chat_input[0].set_value("晋城市城市管理局2025年“三公”经费预算是多少？").run()
    assert not at.exception, at.exception
    assert "1.00" in shown_text(at) or "1.0" in shown_text(at)
    assert any("数据来源" in e.label for e in at.expander)
    at.chat_input[0].set_value("其中公务接待费呢？").run()
    assert not at.exception, at.exception
    assert "公务接待费" in shown_text(at)
    assert len(at.chat_message) == 4


def test_chat_says_plainly_when_there_is_no_data(app_index):
    at = start()
    at.chat_input[0].set_value("晋城经济技术开发区行政审批局2026年“三公”经费预算是多少？").run()
    assert not at.exception, at.exception
    assert at.info, "no_data answers are shown as an info box"


def test_example_question_button_asks_it(app_index):
    at = start()
    at.button(key="example-0").click().run()
    assert not at.exception, at.exception
    assert len(at.chat_message) == 2


def test_glossary_search_shows_each_units_definition(app_index):
    at = start("名词解释与科目编码")
    at.text_input(key="term-query").input("机关运行经费").run()
    assert not at.exception, at.exception
    text = shown_text(at)
    assert "公用经费" in text and "晋城市城市管理局" in text
    assert any(e.label.startswith("201 ") for e in at.expander), "科目编码 tree lists 类 201"


def test_compare_page_table_chart_and_csv(app_index):
    at = start("单位对比")
    units = at.multiselect(key="compare-units")
    units.set_value(units.options[:4]).run()
    measure = at.selectbox(key="compare-measure")
    label = next(o for o in measure.options if "三公" in o)
    measure.set_value(label).run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert len(frame) == 4
    assert "32.6" in frame.to_csv() or "32.60" in frame.to_csv()
    assert at.get("download_button"), "CSV download offered"


def test_upload_good_file_replaces_and_bad_file_leaves_index_unchanged(app_index):
    at = start("文档管理")
    assert len(at.dataframe[0].value) == 4

    before = current_generation(app_index)
    bad = (BAD_DIR / "not-a-pdf.pdf").read_bytes()
    at.file_uploader(key="upload").set_value(("not-a-pdf.pdf", bad, "application/pdf")).run()
    at.button(key="ingest").click().run()
    assert not at.exception, at.exception
    assert at.error and "不是有效的PDF" in at.error[0].value
    assert current_generation(app_index) == before

    good = (TEXT_DIR / "jincheng-etdz-approval-bureau-2026.md").read_bytes()
    at.file_uploader(key="upload").set_value(("审批局-2026.md", good, "text/markdown")).run()
    at.button(key="ingest").click().run()
    assert not at.exception, at.exception
    assert at.success and "晋城经济技术开发区行政审批局" in at.success[0].value
    assert current_generation(app_index) != before
    at.sidebar.radio(key="page").set_value("问答").run()
    at.sidebar.radio(key="page").set_value("文档管理").run()
    assert len(at.dataframe[0].value) == 4, "the same unit and year replaces, it is not doubled"
