"""Index generations: every build writes a new folder and then points CURRENT at it.

    DIR/CURRENT                  name of the active generation
    DIR/generations/<name>/      one complete index (facts, chunks, vectors, manifest)

Publishing is one os.replace of CURRENT, so a reader sees the old or the new index, never
a half-written one, and a failed build leaves the previous generation current. Builds take
an exclusive lock on DIR/.build.lock so two builds cannot interleave.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

CURRENT = "CURRENT"
GENERATIONS = "generations"
KEEP = 3  # published generations kept for readers that opened an older one


def current_generation(index_dir: Path) -> Path | None:
    """The active generation folder, or None for an index that was never built."""
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = Path(index_dir) / GENERATIONS / name
    return folder if name and folder.is_dir() else None


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty generation folder (not yet visible to readers)."""
    root = Path(index_dir) / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for n in range(1000):
        folder = root / f"{stamp}-{os.getpid()}-{n:03d}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise RuntimeError("无法创建新的索引版本目录")


def publish(index_dir: Path, generation: Path) -> None:
    """Make `generation` current, atomically."""
    index_dir = Path(index_dir)
    if generation.parent != index_dir / GENERATIONS:
        raise ValueError(f"{generation} is not a generation of {index_dir}")
    tmp = index_dir / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(generation.name + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, index_dir / CURRENT)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def prune(index_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` generations (never the current one); also clears
    folders left by builds that died. Call only while holding the build lock."""
    root = Path(index_dir) / GENERATIONS
    if not root.is_dir():
        return []
    current = current_generation(index_dir)
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    removed = []
    for folder in folders[keep:]:
        if folder != current:
            discard(folder)
            removed.append(folder)
    return removed


@contextmanager
def build_lock(index_dir: Path):
    """Exclusive lock for writers; readers never take it."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
