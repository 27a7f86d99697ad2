"""Streamlit UI: chat for the public, glossary for staff, comparison for analysts, documents.

UI only: every answer, figure and list comes from the same library calls as cli.py.
Text taken from documents is escaped before it reaches Streamlit's markdown, so a document
cannot inject links, images or formatting into the page.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import index.settings  # noqa: F401  (offline environment before any model import)
import pandas as pd
import streamlit as st

from index.errors import DisclosureError
from index.generations import current_generation
from index.settings import settings

MAX_UPLOAD_MB = 50
UPLOAD_TYPES = ["pdf", "md", "txt"]
PAGES = ["问答", "名词解释与科目编码", "单位对比", "文档管理"]
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str | None) -> str:
    """Document text made safe for st.markdown: every markdown/HTML special escaped,
    line breaks kept."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "").replace("\n", "  \n")


# ---- resources: loaded once per process and per index generation ---------------------------

def index_dir() -> Path:
    return settings().index_dir


def generation_key() -> str:
    """Names the index folder and its active generation: it changes when a build publishes a
    new generation (here or in another process), so cached resources reload."""
    generation = current_generation(index_dir())
    return f"{index_dir()}:{generation.name if generation else ''}"


@st.cache_resource(show_spinner="正在加载索引和模型…")
def load_assistant(generation: str):
    from assistant.service import open_assistant

    return open_assistant(index_dir())


@st.cache_resource(show_spinner=False)
def load_catalog(generation: str):
    from tools import Catalog

    return Catalog.open(index_dir())


def catalog():
    return load_catalog(generation_key())


# ---- chat -----------------------------------------------------------------------------------

def example_questions() -> list[str]:
    """A few questions built from the units actually held (templates in prompts/)."""
    import json

    from index.settings import PROJECT_ROOT

    templates = json.loads((PROJECT_ROOT / "prompts" / "ui_examples.json").read_text(encoding="utf-8"))["examples"]
    docs = catalog().disclosures
    if not docs:
        return []
    return [t.format(unit=docs[i % len(docs)].unit, year=docs[i % len(docs)].year)
            for i, t in enumerate(templates)]


def show_answer(answer) -> None:
    if answer.status == "no_data":
        st.info(plain(answer.answer), icon="ℹ️")
    elif answer.status == "out_of_scope":
        st.warning(plain(answer.answer), icon="🚫")
    else:
        st.markdown(plain(answer.answer))
    for note in answer.disagreements:
        st.warning("说明与报表不一致：" + plain(note), icon="⚠️")
    if answer.table:
        st.dataframe(pd.DataFrame(answer.table), hide_index=True)
    if answer.figures or answer.citations:
        with st.expander(f"数据来源（{len(answer.figures)}个数字，{len(answer.citations)}处出处）"):
            if answer.figures:
                st.dataframe(pd.DataFrame([figure_row(f) for f in answer.figures]), hide_index=True)
            for c in answer.citations:
                where = "，".join(filter(None, [c.unit, c.table or c.section, page_label(c.page, c.line)]))
                st.markdown("**" + plain(where) + "**")
                if c.quote:
                    st.text(c.quote)


def page_label(page: int | None, line: int | None) -> str | None:
    if page is not None:
        return f"第{page}页"
    if line is not None:
        return f"第{line}行"
    return None


def figure_row(figure) -> dict:
    s = figure.source
    return {
        "项目": figure.label,
        "数值": str(figure.value),
        "单位": figure.unit,
        "出处": "，".join(filter(None, [s.table or s.section, s.row, s.column])),
        "页/行": page_label(s.page, s.line),
        "推算": "是" if s.derived else "",
        "说明": s.note or "",
    }


def chat_page() -> None:
    st.header("预算公开问答")
    st.caption("所有数字由程序从预算报表中逐项读取并核对，并注明出处；文件中没有的数据会直接说明。")
    history: list[dict] = st.session_state.setdefault("history", [])
    examples = example_questions()
    if examples and not history:
        st.write("可以这样问：")
        for i, question in enumerate(examples):
            if st.button(question, key=f"example-{i}"):
                st.session_state["pending"] = question
    for turn in history:
        with st.chat_message("user"):
            st.text(turn["question"])
        with st.chat_message("assistant"):
            show_answer(turn["answer"])
    question = st.chat_input("请输入问题，例如：某单位2026年“三公”经费为什么变了？")
    question = question or st.session_state.pop("pending", None)
    if question:
        asked_before = [turn["question"] for turn in history]
        answer = load_assistant(generation_key()).ask(question, history=asked_before)
        history.append({"question": question, "answer": answer})
        st.rerun()
    if history and st.button("清空对话"):
        st.session_state["history"] = []
        st.rerun()


# ---- glossary and codes ----------------------------------------------------------------------

def glossary_page() -> None:
    from tools import TermQuery, define_term

    st.header("名词解释")
    docs = catalog().disclosures
    query = st.text_input("搜索名词（支持模糊匹配）", key="term-query")
    if query:
        result = define_term(catalog(), TermQuery(term=query))
        if result.kind != "term":
            st.info(plain(result.message_zh))
        else:
            if result.differs:
                st.warning(f"各单位对“{plain(result.query)}”的解释不完全相同（{result.variants}种表述）。")
            for d in result.definitions:
                st.markdown(f"**{plain(d.unit)}（{d.year}年）**：{plain(d.term)}")
                st.text(d.definition)
    terms = sorted({t.term for d in docs for t in d.glossary})
    with st.expander(f"浏览全部名词（{len(terms)}个）"):
        st.dataframe(pd.DataFrame(
            [{"名词": t.term, "单位": d.unit, "年度": d.year, "解释": t.definition}
             for d in docs for t in d.glossary]), hide_index=True)

    st.header("科目编码（类/款/项）")
    tree = code_tree(docs)
    code_query = st.text_input("查找科目编码或名称", key="code-query")
    for class_code, (class_name, children) in sorted(tree.items()):
        lines = [f"{code} {name}" for code, name in sorted(children.items())]
        if code_query and not any(code_query in f"{class_code} {class_name} {line}" for line in lines + [""]):
            continue
        with st.expander(f"{class_code} {class_name}"):
            st.text("\n".join(("    " if len(line.split()[0]) == 7 else "") + line for line in lines))


def code_tree(docs) -> dict[str, tuple[str, dict[str, str]]]:
    """类 code -> (name, {款/项 code: name}) from every coded row in the documents."""
    names: dict[str, str] = {}
    for d in docs:
        for table in d.tables:
            for row in table.rows:
                if row.code and row.code.isdigit() and len(row.code) in (3, 5, 7):
                    names.setdefault(row.code, row.name)
    tree: dict[str, tuple[str, dict[str, str]]] = {}
    for code, name in names.items():
        if len(code) == 3:
            tree.setdefault(code, (name, {}))
    for code, name in names.items():
        if len(code) > 3:
            head = code[:3]
            tree.setdefault(head, (names.get(head, ""), {}))[1][code] = name
    return tree


# ---- comparison --------------------------------------------------------------------------------

def compare_page() -> None:
    from tools import CompareQuery, UnitRef, compare_units, list_measures

    st.header("单位对比")
    docs = catalog().disclosures
    if not docs:
        st.info("索引中还没有文档。")
        return
    choices = {f"{d.unit}（{d.year}年）": d for d in docs}
    picked = st.multiselect("选择单位", list(choices), default=list(choices)[:2], key="compare-units")
    measures = {m.label: m.name for m in list_measures().measures}
    for class_name, _ in sorted(code_tree(docs).values()):
        measures.setdefault(f"功能分类：{class_name}", class_name)
    label = st.selectbox("选择指标", list(measures), key="compare-measure")
    if not picked or not label:
        return
    result = compare_units(catalog(), CompareQuery(
        units=[UnitRef(unit=choices[p].unit, year=choices[p].year) for p in picked], measure=measures[label]))
    if result.mixed_years:
        st.caption("注意：所选单位的预算年度不同，表中已标明各自年度。")
    rows = result.table_rows()
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True)
    chart = pd.DataFrame(
        [{"单位": f"{r.unit}（{r.year}年）", label: float(r.figure.value)} for r in result.rows if r.figure])
    if not chart.empty:
        st.bar_chart(chart, x="单位", y=label)
    st.download_button("下载CSV", frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"对比-{label}.csv", mime="text/csv")


# ---- documents and upload ----------------------------------------------------------------------

def documents_page() -> None:
    from index.checks import run_checks

    st.header("已加载的预算公开文件")
    docs = catalog().disclosures
    findings = load_findings(generation_key())
    st.dataframe(pd.DataFrame([{
        "单位": d.unit, "年度": d.year, "类型": d.kind, "来源": "PDF" if d.source_kind == "pdf" else "文本",
        "页数": d.pages, "报表": f"{sum(not t.empty for t in d.tables)}/{len(d.tables)}（有数据/识别）",
        "绩效目标表": len(d.targets), "名词": len(d.glossary), "核对发现": len(findings.get(d.doc_id, [])),
    } for d in docs]), hide_index=True)

    st.header("上传新文件")
    st.caption(f"支持PDF或文本导出（.md/.txt），单个文件不超过{MAX_UPLOAD_MB}MB。同一单位同一年度的文件会替换旧版本。")
    upload = st.file_uploader("选择文件", type=UPLOAD_TYPES, key="upload")
    if upload is None or not st.button("解析并加入索引", key="ingest"):
        return
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(f"文件过大（{upload.size / 1024 / 1024:.1f}MB），上限为{MAX_UPLOAD_MB}MB。")
        return
    progress = st.progress(0.0, text="正在解析…")
    try:
        disclosure = parse_upload(upload)
        progress.progress(0.4, text="正在核对报表…")
        report = run_checks(disclosure)
        progress.progress(0.6, text="正在建立索引…")
        from index.build import add_disclosures

        add_disclosures([disclosure], index_dir())
    except DisclosureError as err:
        progress.empty()
        st.error(f"无法加入索引：{plain(str(err))}")
        return
    progress.progress(1.0, text="完成")
    st.cache_resource.clear()
    st.success(f"已加入：{plain(disclosure.unit)}（{disclosure.year}年），现在就可以在问答页提问。")
    show_findings(report)


def parse_upload(upload):
    from index.sandbox import parse_file_sandboxed

    suffix = Path(upload.name).suffix.lower()
    stem = re.sub(r"[^\w\-\u4e00-\u9fff]+", "-", Path(upload.name).stem).strip("-") or "upload"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}{suffix}"
        path.write_bytes(upload.getvalue())
        return parse_file_sandboxed(path)


@st.cache_resource(show_spinner=False)
def load_findings(generation: str) -> dict[str, list]:
    from index.store import FactStore
    from tools.catalog import facts_path

    path = facts_path(index_dir())
    if not path.exists():
        return {}
    store = FactStore(path)
    return {d["doc_id"]: store.findings(d["doc_id"]) for d in store.documents()}


def show_findings(findings) -> None:
    errors = [f for f in findings if f.severity == "error"]
    st.subheader(f"核对结果：{len(errors)}处不一致，{len(findings) - len(errors)}处尾差或提示")
    if findings:
        st.dataframe(pd.DataFrame([{
            "级别": {"error": "不一致", "warning": "提示", "rounding": "尾差"}[f.severity],
            "说明": f.message,
            "位置": "、".join(filter(None, (loc.label() for loc in f.locations))),
        } for f in findings]), hide_index=True)


# ---- main --------------------------------------------------------------------------------------

def main() -> None:
    st.set_page_config(page_title="预算公开助手", page_icon="📊", layout="wide")
    page = st.sidebar.radio("页面", PAGES, key="page")
    st.sidebar.caption(f"已加载{len(catalog().disclosures)}份预算公开文件")
    {"问答": chat_page, "名词解释与科目编码": glossary_page, "单位对比": compare_page,
     "文档管理": documents_page}[page]()


main()
