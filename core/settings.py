"""Run-time settings, from the environment, with defaults that work on the bundled samples."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

OFFLINE_ENVIRONMENT = {
    # offline at run time: no model hub, no telemetry
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    # OpenMP threads that spin while waiting turn a busy 2-core machine into seconds per query
    # (torch, measured: 1.8 s vs 26 ms per query embedding at load 10). Read when torch loads.
    "OMP_WAIT_POLICY": "PASSIVE",
}


def apply_offline_environment() -> None:
    """Nothing reaches the network: no model hub, no telemetry (HF, chroma). Call it before the
    first import of huggingface_hub / transformers / sentence_transformers / chromadb / torch,
    which read these variables when they load: the entry points (cli.py, app.py) call it first,
    retrieval/embeddings.py and retrieval/vectors.py right before their imports. A value already
    set in the environment is kept."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    embed_model: str  # a local sentence-transformers folder (or a hub name where a hub is reachable)
    sample_dir: Path
    facts_url: str | None  # SQLAlchemy URL for the facts store; None = SQLite inside the index dir
    chroma_host: str | None  # Chroma server host; None = embedded persistent Chroma


def settings() -> Settings:
    env = os.environ.get
    return Settings(
        index_dir=Path(env("BUDGET_INDEX_DIR", PROJECT_ROOT / "var" / "index")),
        embed_model=env("BUDGET_EMBED_MODEL", str(PROJECT_ROOT / "models" / "multilingual-e5-small")),
        sample_dir=Path(env("BUDGET_SAMPLE_DIR", PROJECT_ROOT / "data")),
        facts_url=env("BUDGET_FACTS_URL") or None,
        chroma_host=env("BUDGET_CHROMA_HOST") or None,
    )
