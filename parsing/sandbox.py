"""Parse untrusted files in a child process with a wall-clock timeout and a memory cap.

pdfminer can be driven into long loops or huge allocations by a crafted PDF. The child gets
RLIMIT_AS and is killed at the deadline; the parent only ever sees a Disclosure or a
DisclosureError, so a hostile upload cannot take the app down with it.

As with any multiprocessing start method but fork, the child imports the caller's main
module: a script that builds or parses at import time must guard that code with
`if __name__ == "__main__":` (cli.py and the app do), or its child re-runs it.
"""
from __future__ import annotations

import errno
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core import errors
from core.model import Disclosure

# imported before the memory cap is set: the cap is for parsing, not for loading libraries
PRELOAD = ["parsing.parse", "parsing.read_text", "parsing.read_pdf"]


def _env_number(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


@dataclass(frozen=True)
class Limits:
    """Caps for one parse; defaults (read from the environment when a Limits is made) fit
    real disclosures of a few hundred pages with a wide margin."""

    seconds: float = field(default_factory=lambda: _env_number("BUDGET_PARSE_TIMEOUT", 300))
    # each page read earns this much more time: a scanned page takes ~6 s of OCR, and a file
    # that stops making progress still runs out of time
    seconds_per_page: float = field(default_factory=lambda: _env_number("BUDGET_PARSE_PAGE_SECONDS", 10))
    memory_bytes: int = field(default_factory=lambda: int(_env_number("BUDGET_PARSE_MEMORY_MB", 3072) * 2**20))
    max_bytes: int = field(default_factory=lambda: int(_env_number("BUDGET_PARSE_MAX_MB", 100) * 2**20))
    max_pages: int = field(default_factory=lambda: int(_env_number("BUDGET_PARSE_MAX_PAGES", 1000)))


def _out_of_memory(err: BaseException) -> bool:
    """MemoryError, or a library that could not map memory under the cap."""
    if isinstance(err, MemoryError):
        return True
    if isinstance(err, OSError) and err.errno == errno.ENOMEM:
        return True
    return isinstance(err, ImportError) and "failed to map" in str(err)


def _child(path: str, doc_id: str | None, limits: Limits, conn) -> None:
    try:
        for module in PRELOAD:
            __import__(module)
        # in the sandbox child only (PRELOAD loaded them before the memory cap); the parent never parses
        from parsing import read_pdf

        # in the sandbox child only, as above
        from parsing.parse import parse_file

        read_pdf.SETTINGS.update(max_bytes=limits.max_bytes, max_pages=limits.max_pages,
                                 on_page=lambda done, total: conn.send(("page", done, total)))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        conn.send(("ok", parse_file(path, doc_id).model_dump_json()))
    except errors.DisclosureError as err:
        conn.send(("error", type(err).__name__, err.detail))
    except Exception as err:  # a parser bug on odd input is still a refusal, not a crash
        if _out_of_memory(err):
            conn.send(("error", "TooLargeError", "解析所需内存超出上限"))
        else:
            conn.send(("error", "CorruptPdfError", f"{type(err).__name__}: {err}"[:200]))
    finally:
        conn.close()


def _context():
    # forkserver: children fork from a small single-threaded server, never from the
    # app's own process (which runs threads: Streamlit, torch, Chroma).
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _result(receiver, limits: Limits, on_page) -> tuple:
    """The child's final message; page reports on the way extend the deadline."""
    deadline = time.monotonic() + limits.seconds
    while True:
        if not receiver.poll(max(0.0, deadline - time.monotonic())):
            raise errors.ParseTimeoutError(f"超过{limits.seconds:g}秒（另按页计时）")
        try:
            message = receiver.recv()
        except EOFError:
            raise errors.TooLargeError("解析进程异常退出（可能超出内存上限）") from None
        if message[0] != "page":
            return message
        deadline += limits.seconds_per_page
        if on_page is not None:
            on_page(message[1], message[2])


def parse_file_sandboxed(path: str | Path, doc_id: str | None = None, limits: Limits | None = None,
                         on_page: Callable[[int, int], None] | None = None) -> Disclosure:
    """Like parsing.parse.parse_file, but isolated. Raises DisclosureError subclasses only.
    `on_page(done, total)` reports the child's progress through a PDF."""
    limits = limits or Limits()
    try:
        size = Path(path).stat().st_size
    except OSError as err:
        raise errors.DisclosureError(f"无法打开文件：{err.strerror}") from None
    if size > limits.max_bytes:  # text exports too; PDFs are also checked in the child
        raise errors.TooLargeError(f"文件大小{size / 2**20:.1f}MB，上限{limits.max_bytes / 2**20:.3g}MB")
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(str(path), doc_id, limits, sender), daemon=True)
    child.start()
    sender.close()
    try:
        message = _result(receiver, limits, on_page)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if message[0] == "ok":
        return Disclosure.model_validate_json(message[1])
    error_class = getattr(errors, message[1], errors.DisclosureError)
    raise error_class(message[2])
