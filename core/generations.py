"""Index generations: every build writes a new folder and then points CURRENT at it.

    DIR/CURRENT                  name of the active generation
    DIR/generations/<name>/      one complete index (facts, chunks, vectors, manifest)

Publishing is one os.replace of CURRENT, so a reader sees the old or the new index, never
a half-written one, and a failed build leaves the previous generation current. Builds take
an exclusive lock on DIR/.build.lock so two builds cannot interleave.

Readers pin the generation they read (a shared lock on <name>/.readers, see pin_current);
prune() never deletes a pinned generation. Both locks are fcntl locks: the kernel releases
them when the holder dies, so a killed build or reader never leaves the index locked.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

CURRENT = "CURRENT"
GENERATIONS = "generations"
KEEP = 3  # published generations kept for readers that opened an older one
FACTS_FILE = "facts.sqlite"  # a generation's facts store (when no BUDGET_FACTS_URL is set)
READERS = ".readers"  # lock file inside a generation: readers hold it shared, prune exclusive
PIN_ATTEMPTS = 5


class GenerationGone(RuntimeError):
    """The generation was pruned before the reader could pin it."""


def current_generation(index_dir: Path) -> Path | None:
    """The active generation folder, or None for an index that was never built."""
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = Path(index_dir) / GENERATIONS / name
    return folder if name and folder.is_dir() else None


def facts_path(index_dir: Path) -> Path:
    """The facts store of the active generation (DIR/CURRENT names it); an index dir without
    CURRENT may hold facts.sqlite directly."""
    index_dir = Path(index_dir)
    pointer = index_dir / CURRENT
    if pointer.exists():
        return index_dir / GENERATIONS / pointer.read_text(encoding="utf-8").strip() / FACTS_FILE
    return index_dir / FACTS_FILE


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
    """Make `generation` current, atomically (and durably: its files reach the disk first)."""
    index_dir = Path(index_dir)
    if generation.parent != index_dir / GENERATIONS:
        raise ValueError(f"{generation} is not a generation of {index_dir}")
    _fsync_tree(generation)
    tmp = index_dir / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(generation.name + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def prune(index_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete the folders of builds that died, and all but the newest `keep` published
    generations; never the current one, never one a reader has pinned. Call only while
    holding the build lock (a folder newer than CURRENT is then a dead build's)."""
    root = Path(index_dir) / GENERATIONS
    if not root.is_dir():
        return []
    for trash in root.glob(".trash-*"):  # left by a prune that died mid-delete
        shutil.rmtree(trash, ignore_errors=True)
    current = current_generation(index_dir)
    folders = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.name, reverse=True)
    published = [p for p in folders if current is not None and p.name <= current.name
                 and (p == current or (p / "manifest.json").exists())]
    doomed = [p for p in folders if p not in published] + published[keep:]
    return [folder for folder in doomed if folder != current and _delete_unpinned(folder)]


def _delete_unpinned(folder: Path) -> bool:
    """Delete `folder` unless a reader holds its pin. The folder is first renamed away
    (atomically), so a reader that opened the lock file just before finds the path gone."""
    try:
        fd = os.open(folder / READERS, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        trash = folder.with_name(f".trash-{folder.name}")
        try:
            os.replace(folder, trash)
        except OSError:
            return False
        shutil.rmtree(trash, ignore_errors=True)
        return True
    finally:
        os.close(fd)


class Pin:
    """A shared lock on one generation folder, held while a reader uses its files.
    Released by release(), by garbage collection, or by the process dying."""

    def __init__(self, generation: Path, fd: int | None):
        self.generation = generation
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> "Pin":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()


def pin_generation(generation: Path) -> Pin:
    """Pin `generation` against prune(). Raises GenerationGone when it was pruned already."""
    generation = Path(generation)
    lock = generation / READERS
    try:
        fd = _open_lock(lock)
    except (FileNotFoundError, NotADirectoryError):
        raise GenerationGone(str(generation)) from None
    if fd is None:  # an index we may only read: no build of ours can prune it either
        return Pin(generation, None)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not os.path.samestat(os.fstat(fd), os.stat(lock)):  # renamed away while we waited
            raise FileNotFoundError(lock)
    except FileNotFoundError:
        os.close(fd)
        raise GenerationGone(str(generation)) from None
    except BaseException:
        os.close(fd)
        raise
    return Pin(generation, fd)


def _open_lock(lock: Path) -> int | None:
    """The lock file's descriptor (flock works on read-only ones too); None when the folder
    is read-only to this process and holds no lock file yet."""
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
    try:
        return os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        if lock.parent.is_dir():
            return None
        raise


def pin_current(index_dir: Path) -> Pin | None:
    """Pin the current generation (None for an index never built). A reader that loses the
    race with prune() simply resolves CURRENT again: it then names a newer generation."""
    for _ in range(PIN_ATTEMPTS):
        generation = current_generation(index_dir)
        if generation is None:
            return None
        try:
            return pin_generation(generation)
        except GenerationGone:
            continue
    raise GenerationGone(f"{index_dir}: CURRENT changed {PIN_ATTEMPTS} times while opening")


@contextmanager
def reading(index_dir: Path):
    """`with reading(index_dir) as generation:` the current generation (or None), which
    stays on disk until the block ends."""
    pin = pin_current(Path(index_dir))
    try:
        yield pin.generation if pin else None
    finally:
        if pin:
            pin.release()


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
