"""Which tools a piece of work called, in order, with the query each got: for `cli.py explain`
and whoever tunes the rules in prompts/.

    with recording() as calls:
        assistant.ask("城管局2025年三公经费是多少？")
    calls[0].tool == "three_public"; calls[0].query == {"unit": "晋城市城市管理局", "year": 2025}

The public tool functions carry @traced. Outside recording() a traced call is the plain call
plus one ContextVar read: nothing is recorded and nothing is built.
"""
from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])


class ToolCall(BaseModel):
    tool: str  # the tool function's name
    query: dict  # the query it got (pydantic fields as JSON values, None fields left out)
    depth: int = 0  # 0 = called by the assistant; 1 = called by another tool, …
    result: str | None = None  # the result's type ("ThreePublicResult", "NoData: no_item …")


_CALLS: ContextVar[list[ToolCall] | None] = ContextVar("tool_calls", default=None)
_DEPTH: ContextVar[int] = ContextVar("tool_call_depth", default=0)


@contextmanager
def recording() -> Iterator[list[ToolCall]]:
    """Record every traced tool call made inside the block (this thread or task only)."""
    calls: list[ToolCall] = []
    token = _CALLS.set(calls)
    try:
        yield calls
    finally:
        _CALLS.reset(token)


def traced(function: F) -> F:
    """Report each call of a tool function to the active recording(); signature unchanged."""
    name = function.__name__
    parameters = list(inspect.signature(function).parameters)

    @functools.wraps(function)
    def entry(*args, **kwargs):
        calls = _CALLS.get()
        if calls is None:
            return function(*args, **kwargs)
        call = ToolCall(tool=name, query=_query(parameters, args, kwargs), depth=_DEPTH.get())
        calls.append(call)
        token = _DEPTH.set(call.depth + 1)
        try:
            result = function(*args, **kwargs)
        finally:
            _DEPTH.reset(token)
        call.result = _summary(result)
        return result

    return entry  # type: ignore[return-value]


def _query(parameters: list[str], args: tuple, kwargs: dict) -> dict:
    """The call's arguments but the catalog: a pydantic query as its fields, others as given."""
    bound = dict(zip(parameters, args)) | kwargs
    out: dict = {}
    for name, value in bound.items():
        if name == "catalog":
            continue
        if isinstance(value, BaseModel):
            out.update(value.model_dump(mode="json", exclude_none=True))
        else:
            out[name] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
    return out


def _summary(result: Any) -> str:
    kind = type(result).__name__
    reason = getattr(result, "reason", None)
    if kind in ("NoData", "Ambiguous"):
        message = getattr(result, "message_zh", "") or ""
        return f"{kind}: {reason or ''} {message}".strip()
    return kind


__all__ = ["ToolCall", "recording", "traced"]
