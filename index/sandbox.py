"""Parse untrusted files in a child process with a wall-clock timeout and a memory cap.

pdfminer can be driven into long loops or huge allocations by a crafted PDF. The child gets
RLIMIT_AS and is killed at the deadline; the parent only ever sees a Disclosure or a
DisclosureError, so a hostile upload cannot take the app down with it.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
from dataclasses import dataclass
from pathlib import Path

from index import errors
from index.model import Disclosure


@dataclass(frozen=True)
class Limits:
    seconds: float = float(os.environ.get("BUDGET_PARSE_TIMEOUT", 300))
    memory_bytes: int = int(os.environ.get("BUDGET_PARSE_MEMORY_MB", 3072)) * 1024 * 1024


def _child(path: str, doc_id: str | None, memory_bytes: int, conn) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        from index.parse import parse_file

        conn.send(("ok", parse_file(path, doc_id).model_dump_json()))
    except errors.DisclosureError as err:
        conn.send(("error", type(err).__name__, err.detail))
    except MemoryError:
        conn.send(("error", "TooLargeError", "解析所需内存超出上限"))
    except Exception as err:  # a parser bug on odd input is still a refusal, not a crash
        conn.send(("error", "CorruptPdfError", f"{type(err).__name__}: {err}"[:200]))
    finally:
        conn.close()


def _context():
    # forkserver: children fork from a small single-threaded server, never from the
    # app's own process (which runs threads: Streamlit, torch, Chroma).
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["index.parse"])
    return ctx


def parse_file_sandboxed(path: str | Path, doc_id: str | None = None, limits: Limits = Limits()) -> Disclosure:
    """Like index.parse.parse_file, but isolated. Raises DisclosureError subclasses only."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(str(path), doc_id, limits.memory_bytes, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise errors.ParseTimeoutError(f"超过{limits.seconds:g}秒")
        try:
            message = receiver.recv()
        except EOFError:
            raise errors.TooLargeError("解析进程异常退出（可能超出内存上限）") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if message[0] == "ok":
        return Disclosure.model_validate_json(message[1])
    error_class = getattr(errors, message[1], errors.DisclosureError)
    raise error_class(message[2])
