"""Streamlit UI: chat for the public, glossary and codes for staff, comparison for analysts,
documents and upload.

UI only: every answer, figure and list comes from the same library calls as cli.py.
Text taken from documents reaches Streamlit's markdown (st.markdown, alert boxes, button and
expander labels) only through plain(), so a document cannot inject links, images or
formatting into the page; elsewhere it goes to st.text or a dataframe, which never render it.
"""
from __future__ import annotations

import logging
import os
import re
import string
from decimal import Decimal
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from assistant.compose import without_disagreements
from assistant.examples import example_questions
from assistant.lexicon import load_lexicon
from assistant.service import Assistant
from core.errors import DisclosureError
from core.generations import current_generation
from core.model import Disclosure
from core.settings import apply_offline_environment, settings
from core.text import fold_key, location_label
from index.upload import ingest_upload, safe_name
from tools import Catalog, CodeQuery, CompareQuery, UnitRef, compare_units, explain_code
from tools.code_tree import CodeTreeQuery, code_tree
from tools.comparable import ComparableQuery, comparable_measures
from tools.documents import DocumentListQuery, list_documents, stored_findings
from tools.passages import Passage, PassageQuery, cited_passage
from tools.term_list import TermEntry, TermListQuery, list_terms
from tools.types import CodeResult

apply_offline_environment()  # before the assistant first loads sentence-transformers or chromadb

log = logging.getLogger(__name__)

MAX_UPLOAD_MB = int(os.environ.get("BUDGET_MAX_UPLOAD_MB", "50"))
UPLOAD_TYPES = ["pdf", "md", "txt"]
PAGES = ["问答", "名词解释与科目编码", "单位对比", "文档管理"]

# Every ASCII punctuation mark can be backslash-escaped in CommonMark; escaping all of them also
# defeats Streamlit's extensions (:emoji:, :material/icon:, :red[colour], $math$).
_ASCII_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GFM turns bare URLs and e-mail addresses into links even when escaped; an invisible word
# joiner inside the trigger ("www.", "http:", "a@") keeps them plain text.
_AUTOLINK_TRIGGER = re.compile(r"(?i)(www)(?=\.)|(https?|ftp|mailto|xmpp)(?=:)|(?=@)")
_WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """Text made safe for anything Streamlit renders as markdown: shown literally, line breaks kept."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _AUTOLINK_TRIGGER.sub(lambda m: (m.group(0) or "") + _WORD_JOINER, text)
    text = _ASCII_PUNCTUATION.sub(r"\\\1", text)
    # leading spaces would start a code block; line breaks become markdown hard breaks
    return "  \n".join(line.lstrip(" \t") for line in text.split("\n"))


# ---- resources: loaded once per process and per index generation ---------------------------

def index_dir() -> Path:
    return settings().index_dir


def generation_key() -> str:
    """Names the index folder and its active generation: it changes when a build publishes a
    new generation (here or in another process), so the cached resources below reload. The
    model class's identity is part of it: when Streamlit reloads changed library modules, objects
    built from the old classes would fail the new isinstance checks."""
    generation = current_generation(index_dir())
    return f"{index_dir()}:{generation.name if generation else ''}:{id(Disclosure):x}"


@st.cache_resource(show_spinner="正在加载索引…", max_entries=2)
def load_catalog(generation: str):
    return Catalog.open(index_dir())


@st.cache_resource(show_spinner="正在准备问答…", max_entries=2)
def load_assistant(generation: str):
    # Built over the cached catalog of this generation (not open_assistant(), which keeps the
    # first index it opened for the life of the process), so an upload is answerable at once.
    return Assistant(load_catalog(generation), index_dir=index_dir())


@st.cache_resource(show_spinner=False, max_entries=2)
def load_findings(generation: str) -> dict[str, list]:
    return stored_findings(index_dir())


def catalog():
    return load_catalog(generation_key())


def doc_label(d) -> str:
    return f"{d.unit}（{d.year}年）"


def table_frame(rows: list[dict]) -> pd.DataFrame:
    """An answer's table as printed: Decimals as their exact text, whole numbers (ranks, years)
    without a ".0" when some are missing, columns that are empty throughout left out."""
    frame = pd.DataFrame([{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows])
    for column in frame.columns:
        if frame[column].dtype.kind == "f" and (frame[column].dropna() % 1 == 0).all():
            frame[column] = frame[column].astype("Int64")
    return frame.dropna(axis="columns", how="all")


# ---- chat -----------------------------------------------------------------------------------

def show_answer(answer) -> None:
    text = plain(without_disagreements(answer, load_lexicon()))  # the notes get their own box
    if answer.status == "no_data":
        st.info(text, icon="ℹ️")
    elif answer.status == "out_of_scope":
        st.warning(text, icon="🚫")
    else:
        st.markdown(text)
    for note in answer.disagreements:
        st.warning("注意，文件中的数字不一致：" + plain(note), icon="⚠️")
    if answer.table:
        st.dataframe(table_frame(answer.table), hide_index=True)
    if answer.figures:
        st.dataframe(pd.DataFrame([{
            "项目": f.label, "数值": str(f.value), "单位": f.unit,
            "出处": "推算" if f.source.derived else "，".join(filter(None, [
                f.source.table or f.source.section, location_label(f.source.page, f.source.line)])),
        } for f in answer.figures]), hide_index=True)
    if answer.figures or answer.citations:
        with st.expander(f"数据来源（{len(answer.figures)}个数字，{len(answer.citations)}处出处）"):
            show_sources(answer)


def show_sources(answer) -> None:
    """Table rows as a small table, narrative passages as text, derivations with their inputs."""
    table_rows = [f for f in answer.figures if f.source.table and not f.source.derived]
    if table_rows:
        st.markdown("**报表数据**")
        st.dataframe(pd.DataFrame([{
            "单位": f.source.unit, "报表": f.source.table, "行（科目）": f.source.row, "列": f.source.column,
            "数值": str(f.value), "计量单位": f.unit, "位置": location_label(f.source.page, f.source.line),
        } for f in table_rows]), hide_index=True)
    passages = [c for c in answer.citations if not c.table]
    if passages:
        st.markdown("**情况说明原文**")
        for c in passages:
            where = " · ".join(filter(None, [c.unit, c.section, location_label(c.page, c.line)]))
            st.markdown(plain(where))
            text = c.quote or passage(c)
            if text:
                st.text(text)
    tables_cited = [c for c in answer.citations if c.table]
    if tables_cited and not table_rows:
        st.markdown("**引用的报表**")
        st.dataframe(pd.DataFrame([{"单位": c.unit, "报表": c.table, "位置": location_label(c.page, c.line)}
                                   for c in tables_cited]), hide_index=True)
    derived = [f for f in answer.figures if f.source.derived]
    if derived:
        st.markdown("**推算（非原文数字）**")
        st.dataframe(pd.DataFrame([{"项目": f.label, "数值": str(f.value), "单位": f.unit,
                                    "推算方法": f.source.note or ""} for f in derived]), hide_index=True,
                     column_config={"推算方法": st.column_config.TextColumn(width="large")})


def passage(c) -> str | None:
    """The narrative text a citation points at, when the answer carries no quote."""
    found = cited_passage(catalog(), PassageQuery(document=c.document, section=c.section, page=c.page, line=c.line))
    return found.text if isinstance(found, Passage) else None


def chat_page() -> None:
    st.header("预算公开问答")
    st.caption("所有数字由程序从预算报表中逐项读取并核对，并注明出处；文件中没有的数据会直接说明。")
    docs = catalog().disclosures
    assistant = load_assistant(generation_key())  # loaded with the page, not at the first question
    if not docs:
        st.info("索引中还没有预算公开文件，请先在“文档管理”页上传。")
    history: list[dict] = st.session_state.setdefault("history", [])
    examples = example_questions(docs)
    if examples and not history:
        st.write("可以这样问（点击即可提问）：")
        for i, example in enumerate(examples):
            if st.button(plain(example), key=f"example-{i}"):
                st.session_state["pending"] = example
    for turn in history:
        with st.chat_message("user"):
            st.text(turn["question"])
        with st.chat_message("assistant"):
            show_answer(turn["answer"])
    question = st.chat_input("请输入问题，例如：某单位2026年“三公”经费为什么变了？", key="question")
    question = question or st.session_state.pop("pending", None)
    if question:
        with st.spinner("正在查找…"):
            answer = assistant.ask(question, history=[turn["question"] for turn in history])
        history.append({"question": question, "answer": answer})
        st.rerun()
    if history and st.button("清空对话", key="clear-chat"):
        st.session_state["history"] = []
        st.rerun()


# ---- glossary and codes ----------------------------------------------------------------------

def glossary_page() -> None:
    st.header("名词解释")
    glossary = list_terms(catalog(), TermListQuery())
    if not glossary.terms:
        st.info("已加载的文件中没有名词解释。")
    else:
        query = st.text_input("搜索名词（支持模糊匹配）", key="term-query")
        matches = list_terms(catalog(), TermListQuery(search=query)).terms if query else glossary.terms
        if query and not matches:
            st.info(f"没有找到与“{plain(query)}”相近的名词。")
        if matches:
            entries = {e.term: e for e in matches}
            # one widget per query, so a new search starts at its best match
            term = st.selectbox(f"名词（{len(matches)}个{'匹配' if query else ''}）", list(entries),
                                key=f"term-choice-{fold_key(query)}")
            show_definitions(entries[term])
        with st.expander(f"全部名词一览（{len(glossary.terms)}个）"):
            st.dataframe(pd.DataFrame([glossary_row(e) for e in glossary.terms]).sort_values("名词"),
                         hide_index=True)

    st.header("科目编码（类/款/项）")
    show_code_browser()


def glossary_row(entry: TermEntry) -> dict:
    return {"名词": entry.term, "收录单位数": len(entry.units),
            "各单位的解释": f"不同（{len(entry.variants)}种表述）" if entry.differs else "一致",
            "单位": "、".join(doc_label(d) for d in entry.definitions)}


def show_definitions(entry: TermEntry) -> None:
    variants = entry.variants
    if entry.differs:
        st.warning(f"各单位对“{plain(entry.term)}”的解释不完全相同（{len(variants)}种表述），下面按表述分组列出。",
                   icon="⚠️")
    else:
        st.caption(f"{len(entry.definitions)}份文件的解释相同。")
    for n, variant in enumerate(variants, 1):
        if entry.differs:
            st.markdown(f"**表述{n}**（{len(variant.definitions)}份文件）")
        st.text(variant.definition)
        st.dataframe(pd.DataFrame([{
            "单位": d.unit, "年度": d.year, "名词（原文）": d.term,
            "出处": f"名词解释，{location_label(d.source.page, d.source.line)}",
        } for d in variant.definitions]), hide_index=True)


def show_code_browser() -> None:
    query = st.text_input("查找科目编码或名称", key="code-query").strip()
    if query:
        result = explain_code(catalog(), CodeQuery(code_or_name=query))
        if isinstance(result, CodeResult):
            st.markdown(plain(" > ".join(f"{p.level} {p.code} {p.name or ''}".strip() for p in result.path)))
            if result.amounts:
                st.dataframe(pd.DataFrame([{
                    "单位": f.source.unit, "年度": f.source.year, "报表": f.source.table, "列": f.source.column,
                    "金额": str(f.value), "计量单位": f.unit, "位置": location_label(f.source.page, f.source.line),
                } for f in result.amounts]), hide_index=True)
            if result.other_codes:
                st.caption("名称相近的其他科目：" + plain("、".join(f"{c.code} {c.name}" for c in result.other_codes)))
        else:
            st.info(plain(result.message_zh))
    tree = code_tree(catalog(), CodeTreeQuery(search=query or None))
    for c in tree.classes:
        if query and not c.hit:
            continue
        with st.expander(plain(f"{c.code} {c.name}（{c.family}）"), expanded=c.hit):
            st.dataframe(pd.DataFrame([
                {"级次": lv.level, "编码": lv.code, "名称": ("\u3000" * ((len(lv.code) - 3) // 2)) + (lv.name or "")}
                for lv in c.levels]), hide_index=True)


# ---- comparison --------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def compare_options(generation: str) -> dict[str, str]:
    """Menu label -> measure, for every measure some held unit has a value of."""
    return {m.label: m.measure for m in comparable_measures(load_catalog(generation), ComparableQuery()).measures}


def compare_page() -> None:
    st.header("单位对比")
    docs = catalog().disclosures
    if not docs:
        st.info("索引中还没有预算公开文件。")
        return
    choices = {doc_label(d): d for d in docs}
    picked = st.multiselect("选择单位（可多选）", list(choices), default=list(choices)[:4], key="compare-units")
    options = compare_options(generation_key())
    label = st.selectbox("选择指标", list(options), key="compare-measure")
    if not picked or not label:
        st.caption("请至少选择一个单位和一个指标。")
        return
    result = compare_units(catalog(), CompareQuery(
        units=[UnitRef(unit=choices[p].unit, year=choices[p].year) for p in picked], measure=options[label]))
    for problem in result.problems:
        st.warning(plain(problem.message_zh))
    if result.mixed_years:
        st.caption("注意：所选单位的预算年度不同，表和图中已标明各自年度。")
    frame = pd.DataFrame([{
        "排名": str(r.rank or ""), "单位": r.unit, "年度": r.year, label: str(r.figure.value) if r.figure else "",
        "计量单位": r.figure.unit if r.figure else result.unit_of_value,
        "出处": (("推算" if r.figure.source.derived else "，".join(filter(None, [
            r.figure.source.table or r.figure.source.section,
            location_label(r.figure.source.page, r.figure.source.line)]))) if r.figure else ""),
        "说明": (r.missing.message_zh if r.missing else
                 (r.figure.source.note or "") if r.figure else ""),
    } for r in result.rows])
    st.dataframe(frame, hide_index=True)
    charted = [r for r in result.rows if r.figure]
    if charted:
        st.altair_chart(bar_chart(charted, label), width="stretch")
    st.download_button("下载CSV", frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"对比-{safe_name(label)}.csv", mime="text/csv", key="compare-csv")


def bar_chart(rows, label: str):
    """Horizontal bars, largest first, full unit names with their year, the exact value printed."""
    unit = rows[0].figure.unit
    data = pd.DataFrame([{"单位": f"{r.unit}（{r.year}年）", "数值": float(r.figure.value),  # float: drawing only
                          "标注": f"{r.figure.value}{r.figure.unit}"} for r in rows])
    y = alt.Y("单位:N", sort="-x", title=None, axis=alt.Axis(labelLimit=0))
    room = alt.Scale(domain=[min(0.0, data["数值"].min()), data["数值"].max() * 1.2 or 1])  # room for the labels
    bars = alt.Chart(data).mark_bar().encode(x=alt.X("数值:Q", title=f"{label}（{unit}）", scale=room), y=y,
                                             tooltip=["单位", "标注"])
    text = alt.Chart(data).mark_text(align="left", dx=4).encode(x="数值:Q", y=y, text="标注:N")
    return (bars + text).properties(height=36 * len(rows) + 40)


# ---- documents and upload ----------------------------------------------------------------------

def documents_page() -> None:
    st.header("已加载的预算公开文件")
    docs = catalog().disclosures
    findings = load_findings(generation_key())
    listing = list_documents(catalog(), DocumentListQuery(), findings)
    st.dataframe(pd.DataFrame([{
        "单位": d.unit, "年度": d.year, "类型": f"{d.kind}预算",
        "来源": "PDF" if d.source_kind == "pdf" else "文本导出", "页数": str(d.pages) if d.pages else "—",
        "识别的报表": d.tables, "有数据的报表": d.tables_with_data, "绩效目标表": d.targets,
        "名词": d.terms, "核对发现": d.findings,
    } for d in listing.documents], columns=["单位", "年度", "类型", "来源", "页数", "识别的报表", "有数据的报表",
                                            "绩效目标表", "名词", "核对发现"]), hide_index=True)
    if docs:
        with st.expander("查看某份文件的核对结果"):
            chosen = st.selectbox("文件", [doc_label(d) for d in docs], key="audit-doc")
            doc = next(d for d in docs if doc_label(d) == chosen)
            show_findings(findings.get(doc.doc_id, []))

    st.header("上传新文件")
    done = st.session_state.pop("ingested", None)
    if done:
        st.success(f"已加入：{plain(done['label'])}，现在就可以在问答页提问。")
        show_findings(done["findings"])
    st.caption(f"支持PDF或文本导出（.md/.txt），单个文件不超过{MAX_UPLOAD_MB}MB。"
               "同一单位同一年度的文件会替换旧版本；无法解析的文件不会改动现有索引。")
    upload = st.file_uploader("选择文件", type=UPLOAD_TYPES, max_upload_size=MAX_UPLOAD_MB, key="upload")
    if upload is None or not st.button("解析并加入索引", key="ingest"):
        return
    problem = upload_problem(upload.name, upload.size)
    if problem:
        st.error(problem)
        return
    ingest(upload.name, upload.getvalue())


def upload_problem(name: str, size: int) -> str | None:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        return f"不支持的文件类型（.{plain(suffix)}），请上传PDF或文本导出（.md/.txt）。"
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        return f"文件过大（{size / 1024 / 1024:.1f}MB），上限为{MAX_UPLOAD_MB}MB。"
    if size == 0:
        return "文件为空，没有可读取的内容。"
    return None


def ingest(name: str, data: bytes) -> None:
    """Parse (sandboxed), check and index one upload; the index changes only when all succeed."""
    progress = st.progress(0.05, text="正在解析文件…")

    def on_page(done: int, total: int) -> None:  # scanned pages take seconds each (OCR)
        progress.progress(0.05 + 0.35 * done / max(total, 1), text=f"正在解析文件：第{done}/{total}页…")

    def on_stage(stage: str, disclosure) -> None:
        if stage == "audit":
            progress.progress(0.4, text=f"正在核对报表：{plain(doc_label(disclosure))}…")
        else:
            progress.progress(0.55, text="正在建立索引（切分段落、生成向量）…")

    try:
        done = ingest_upload(name, data, index_dir(), taken=catalog().by_id, on_page=on_page, on_stage=on_stage)
    except DisclosureError as err:
        progress.empty()
        st.error(f"无法加入索引：{plain(str(err))}")
        return
    except Exception as err:  # an indexing failure must not take the page down; the index is unchanged
        log.exception("upload %s failed", name)
        progress.empty()
        st.error(f"建立索引时出错，索引未改动：{plain(type(err).__name__)}")
        return
    progress.progress(1.0, text="完成")
    st.session_state["ingested"] = {"label": doc_label(done), "findings": done.findings}
    st.rerun()  # the table above and every page now read the new generation


def show_findings(findings) -> None:
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    st.subheader(f"核对结果：{len(errors)}处不一致，{len(warnings)}处提示，"
                 f"{len(findings) - len(errors) - len(warnings)}处尾差")
    if findings:
        order = {"error": 0, "warning": 1, "rounding": 2}
        st.dataframe(pd.DataFrame([{
            "级别": {"error": "不一致", "warning": "提示", "rounding": "尾差"}[f.severity],
            "说明": f.message,
            "位置": "、".join(filter(None, (loc.label() for loc in f.locations))),
        } for f in sorted(findings, key=lambda f: order[f.severity])]), hide_index=True,
            column_config={"说明": st.column_config.TextColumn(width="large")})


# ---- main --------------------------------------------------------------------------------------

def main() -> None:
    st.set_page_config(page_title="预算公开助手", page_icon="📊", layout="wide")
    page = st.sidebar.radio("页面", PAGES, key="page")
    docs = catalog().disclosures
    st.sidebar.caption(f"已加载{len(docs)}份预算公开文件")
    st.sidebar.text("\n".join(doc_label(d) for d in docs))
    {"问答": chat_page, "名词解释与科目编码": glossary_page, "单位对比": compare_page,
     "文档管理": documents_page}[page]()


if __name__ == "__main__":  # streamlit runs the script as __main__; tests import plain() from it
    main()
