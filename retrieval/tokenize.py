"""Chinese tokens for BM25: jieba (search mode) with a domain dictionary, minus stopwords.

Whitespace splitting gives one "token" per Chinese sentence, so BM25 scores everything 0;
jieba's search mode also emits the dictionary words inside long compounds
(公务用车运行维护费 -> 公务, 用车, 运行, 维护, 维护费, …), which lets short question words
meet long document terms. Text is folded (NFKC, full-width -> half-width) first.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
DOMAIN_WORDS = LEXICON_DIR / "domain_words.txt"
STOPWORDS = LEXICON_DIR / "stopwords.txt"

# A token worth keeping has a CJK character, a letter or a digit; punctuation does not.
_CONTENT = re.compile(r"[\u3400-\u9fff0-9A-Za-z]")
_lock = threading.Lock()


def _normal(text: str) -> str:
    """NFKC only; unlike core.text.fold it keeps spaces and quotes, which jieba splits on."""
    return unicodedata.normalize("NFKC", text)


def _lines(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _tokenizer():
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # our own instance: the global one is left untouched
    for word in _lines(DOMAIN_WORDS):
        tokenizer.add_word(_normal(word), freq=None)
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(_normal(word) for word in _lines(STOPWORDS))


def fingerprint() -> str:
    """Changes whenever the lexicon changes; stored token lists are stale then."""
    digest = hashlib.sha256()
    for path in (DOMAIN_WORDS, STOPWORDS):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tokenize(text: str) -> list[str]:
    """BM25 tokens of `text`: folded, jieba search-mode words, lower-cased, no stopwords."""
    tokenizer = _tokenizer()
    stop = _stopwords()
    with _lock:  # jieba's Tokenizer is not thread-safe (Streamlit serves from threads)
        words = list(tokenizer.cut_for_search(_normal(text)))
    return [w.lower() for w in words if _CONTENT.search(w) and w not in stop]


def words(text: str) -> list[str]:
    """The words of `text` (jieba's precise mode, folded), content words only: 办公用房修缮 ->
    [办公用房, 修缮]."""
    tokenizer = _tokenizer()
    with _lock:
        cut = list(tokenizer.cut(_normal(text)))
    return [w for w in cut if _CONTENT.search(w)]


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first query."""
    tokenize("预算")
