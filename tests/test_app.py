"""The Streamlit app driven through streamlit.testing: every page, on a real built index."""
from __future__ import annotations

import re
import string

import pytest
from conftest import BAD_DIR, ROOT, TEXT_DIR
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app import plain
from core import errors
from core.generations import current_generation

TIMEOUT = 300
APPROVAL = "jincheng-etdz-approval-bureau-2026"
APPROVAL_UNIT = "晋城经济技术开发区行政审批局"
INJECTION = "[x](javascript:alert(1))<img src=x onerror=alert(1)>"
MARKDOWN_KINDS = ("markdown", "info", "warning", "error", "success", "caption", "subheader", "header")


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if page:
        go(at, page)
    return at


def go(at: AppTest, page: str) -> None:
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception


def ask(at: AppTest, question: str) -> None:
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception


def unplain(markdown: str) -> str:
    """What a markdown renderer shows for plain()'s output: escapes resolved, joiners invisible."""
    return re.sub(r"\\([" + re.escape(string.punctuation) + "])", r"\1", markdown) \
        .replace("\u2060", "").replace("  \n", "\n")


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text: markdown as rendered, literal text, table cells."""
    parts = [unplain(str(e.value)) for kind in MARKDOWN_KINDS for e in getattr(at, kind)]
    parts += [str(e.value) for e in at.text]
    parts += [e.value.to_csv(index=False) for e in at.dataframe]
    parts += [unplain(e.label) for e in at.expander] + [unplain(e.label) for e in at.button]
    return "\n".join(parts)


def markdown_sources(at: AppTest) -> list[str]:
    """The raw strings handed to Streamlit's markdown renderer (bodies and labels)."""
    return ([str(e.value) for kind in MARKDOWN_KINDS for e in getattr(at, kind)]
            + [e.label for e in at.expander] + [e.label for e in at.button])


# ---- plain(): document text is never markup -------------------------------------------------

NASTY = [
    INJECTION, "**粗体** _斜体_ `代码`", "# 标题", "- 列表\n1. 列表", "> 引用", "<script>alert(1)</script>",
    ":smile: :material/home: :red[红色]", "$x^2$ 和 $$y$$", "a|b\n-|-", "~~删除~~", "&lt;b&gt; &amp;",
    "https://evil.example.com/a_b 和 www.evil.com 以及 a@b.com", "![图](http://x/y.png)", "\\*反斜杠\\*",
]


@pytest.mark.parametrize("text", NASTY)
def test_plain_text_renders_literally_through_a_commonmark_parser(text):
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(plain(text))
    assert set(re.findall(r"<(/?\w+)", html)) <= {"p", "/p", "br"}, html
    assert unplain(plain(text)) == text


@given(st.text())
def test_plain_leaves_no_markdown_syntax_and_loses_nothing(text):
    escaped = plain(text)
    tokens = re.findall(r"\\.|.", escaped, flags=re.DOTALL)
    loose = [t for t in tokens if len(t) == 1 and t in string.punctuation]
    assert not loose, f"unescaped {loose} in {escaped!r}"
    assert not re.search(r"(?i)www\\\.|https?\\:|\w\\@", escaped), "autolink triggers are broken up"
    lines = text.replace("\u2060", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert unplain(escaped) == "\n".join(line.lstrip(" \t") for line in lines)


# ---- chat -----------------------------------------------------------------------------------

def test_chat_answers_with_figures_sources_and_a_follow_up(app_index):
    at = start()
    assert "可以这样问" in shown_text(at)
    ask(at, "晋城经济技术开发区管理委员会2026年“三公”经费预算是多少？")
    assert "32.60" in shown_text(at)
    figures = at.dataframe[0].value
    assert {"项目", "数值", "单位", "出处"} <= set(figures.columns) and "32.60" in set(figures["数值"])
    sources = next(e for e in at.expander if e.label.startswith("数据来源"))
    table_rows = sources.dataframe[0].value
    assert "三公经费支出预算表" in set(table_rows["报表"]) and table_rows["位置"].str.match(r"第\d+[页行]").all()

    ask(at, "其中公务接待费呢？")
    assert "公务接待费" in unplain(at.chat_message[-1].markdown[0].value)
    assert "1.00" in shown_text(at)
    assert len(at.chat_message) == 4


def test_chat_shows_narrative_passages_for_a_why_question(app_index):
    at = start()
    ask(at, "晋城经济技术开发区管理委员会2026年“三公”经费为什么变了？")
    sources = next(e for e in at.expander if e.label.startswith("数据来源"))
    assert any("“三公”经费增减变动原因说明" in unplain(m.value) for m in sources.markdown)
    assert any("32.60" in t.value and "原因" in t.value for t in sources.text), "the narrative is quoted as text"


def test_chat_says_plainly_when_there_is_no_data_or_the_question_is_out_of_scope(app_index):
    at = start()
    ask(at, f"{APPROVAL_UNIT}2026年“三公”经费预算是多少？")
    assert at.info, "no_data answers are shown as an info box"
    ask(at, "今天晋城的天气怎么样？")
    assert at.warning, "out_of_scope answers are shown as a warning"


def test_example_question_button_asks_it(app_index):
    at = start()
    question = unplain(at.button(key="example-0").label)
    at.button(key="example-0").click().run()
    assert not at.exception, at.exception
    assert len(at.chat_message) == 2
    assert at.chat_message[0].text[0].value == question
    at.button(key="clear-chat").click().run()
    assert len(at.chat_message) == 0


# ---- glossary and codes --------------------------------------------------------------------

def test_glossary_fuzzy_search_shows_each_units_definition(app_index):
    at = start("名词解释与科目编码")
    at.text_input(key="term-query").input("机关运行费").run()  # not the printed term: fuzzy
    assert not at.exception, at.exception
    assert at.selectbox[0].value == "机关运行经费"
    text = shown_text(at)
    assert "公用经费" in text
    assert all(unit in text for unit in ("晋城市城市管理局", APPROVAL_UNIT))
    at.text_input(key="term-query").input("三公经费").run()
    assert at.selectbox[0].value == "“三公”经费"
    at.text_input(key="term-query").input("完全无关的词").run()
    assert any("没有找到" in unplain(i.value) for i in at.info)


def test_code_browser_lists_classes_and_finds_a_code(app_index):
    at = start("名词解释与科目编码")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("201 ") for label in labels), "科目编码 tree lists 类 201"
    at.text_input(key="code-query").input("2080505").run()
    assert not at.exception, at.exception
    assert any("类 208" in unplain(m.value) and "项 2080505" in unplain(m.value) for m in at.markdown)
    tree = next(e for e in at.expander if e.label.startswith("208 "))
    levels = tree.dataframe[0].value
    assert {"类", "款", "项"} <= set(levels["级次"]) and "2080505" in set(levels["编码"])


# ---- comparison ----------------------------------------------------------------------------

def test_compare_page_table_chart_and_csv(app_index):
    at = start("单位对比")
    units = at.multiselect(key="compare-units")
    units.set_value(units.options[:4]).run()
    measure = at.selectbox(key="compare-measure")
    measure.set_value("“三公”经费").run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert len(frame) == 4
    assert set(frame["年度"]) == {2025, 2026}
    assert any("年度不同" in c.value for c in at.caption), "different years are labelled"
    row = frame[frame["单位"] == "晋城经济技术开发区管理委员会"].iloc[0]
    assert row["“三公”经费"] == "32.60" and row["排名"] == "1"
    missing = frame[frame["单位"] == APPROVAL_UNIT].iloc[0]
    assert missing["“三公”经费"] == "" and missing["说明"], "a unit without the figure says why, never 0"
    assert at.get("vega_lite_chart"), "bar chart"
    assert at.get("download_button"), "CSV download offered"


def test_every_offered_measure_has_a_value_for_some_unit(app_index):
    at = start("单位对比")
    options = at.selectbox(key="compare-measure").options
    for wanted in ("“三公”经费", "公务接待费", "基本支出占比", "项目支出占比", "人员经费", "公用经费",
                   "机关运行经费", "政府采购预算总额", "功能分类：212 城乡社区支出"):
        assert wanted in options
    for option in options:
        at.selectbox(key="compare-measure").set_value(option).run()
        assert not at.exception, (option, at.exception)
        values = at.dataframe[0].value[option]
        assert (values != "").any(), f"{option}: no unit has a value"


# ---- documents and upload ------------------------------------------------------------------

def uploaded_export() -> bytes:
    """The approval bureau's real export (same unit and year) with a project and a glossary term
    carrying markdown/HTML, a narrative share that disagrees with the tables and a redefined term."""
    text = (TEXT_DIR / f"{APPROVAL}.md").read_text(encoding="utf-8")
    changes = [("政府统一服务经费\t", f"政府统一服务经费{INJECTION}\t"),
               ("基本支出200.14万元，占51.42%", "基本支出200.14万元，占61.42%"),
               ("四、机关运行经费：指", f"四、机关运行经费：专指{INJECTION}")]
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key="upload").set_value((name, data, "application/octet-stream")).run()
    at.button(key="ingest").click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("name, error", [
    ("not-a-pdf.pdf", errors.NotPdfError), ("empty.pdf", errors.EmptyFileError),
    ("encrypted-approval-bureau-2026.pdf", errors.EncryptedPdfError),
    ("unrelated-notice.pdf", errors.NotADisclosureError)])
def test_bad_upload_is_refused_and_the_index_is_unchanged(app_index, name, error):
    at = start("文档管理")
    before = current_generation(app_index)
    upload(at, name, (BAD_DIR / name).read_bytes())
    assert at.error and error.user_message in unplain(at.error[0].value)
    assert current_generation(app_index) == before
    assert len(at.dataframe[0].value) == 4


def test_upload_limits_on_type_and_size(app_index, monkeypatch):
    monkeypatch.setenv("BUDGET_MAX_UPLOAD_MB", "1")
    at = start("文档管理")
    before = current_generation(app_index)
    upload(at, "budget.md", b"x" * (1024 * 1024 + 1))
    assert "文件过大" in unplain(at.error[0].value)
    assert current_generation(app_index) == before


def test_upload_problem_names_type_size_and_empty_files():
    from app import MAX_UPLOAD_MB, upload_problem

    assert "不支持的文件类型" in unplain(upload_problem("budget.docx", 10))
    assert "文件过大" in upload_problem("budget.pdf", MAX_UPLOAD_MB * 1024 * 1024 + 1)
    assert "文件为空" in upload_problem("budget.md", 0)
    assert upload_problem("预算.PDF", 10) is None


def test_upload_replaces_a_document_and_is_answerable_at_once(app_index):
    at = start("文档管理")
    before = current_generation(app_index)
    upload(at, "审批局-2026.md", uploaded_export())
    assert at.success and APPROVAL_UNIT in at.success[0].value
    assert any(s.value.startswith("核对结果") for s in at.subheader), "the audit findings are shown"
    assert current_generation(app_index) != before
    assert len(at.dataframe[0].value) == 4, "the same unit and year replaces, it is not doubled"

    go(at, "问答")
    ask(at, f"{APPROVAL_UNIT}2026年金额最大的项目是哪个？")
    assert "政府统一服务经费" + INJECTION in shown_text(at), "the new document answers at once"
    assert_shown_literally(at)
    ask(at, f"{APPROVAL_UNIT}2026年基本支出占比是多少？")
    assert any("不一致" in unplain(w.value) and "61.42" in unplain(w.value) for w in at.warning), "disagreement"

    go(at, "名词解释与科目编码")
    at.text_input(key="term-query").input("机关运行经费").run()
    assert any("不完全相同" in w.value for w in at.warning), "where the units' definitions differ"
    assert any(t.value == f"专指{INJECTION}" + t.value[len(f"专指{INJECTION}"):] for t in at.text)
    assert_shown_literally(at)


def assert_shown_literally(at: AppTest) -> None:
    """Document text containing markdown/HTML reaches the markdown renderer only escaped."""
    sources = markdown_sources(at)
    assert not [s for s in sources if re.search(r"(?<!\\)[<\[]|(?<!\\)\]\(", s)]
    assert INJECTION in shown_text(at)
