"""Imports go one way, down the layers of docs/ARCHITECTURE.md:

    core -> parsing -> retrieval -> index -> tools -> assistant -> app.py / cli.py

A module may import its own layer and the layers before it, never a later one. An import
inside a function hides such a cycle, so one is allowed only with its reason written on the
line above (a heavy optional package loaded on first use, a child process, …)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = ["core", "parsing", "retrieval", "index", "tools", "assistant"]
ENTRY_POINTS = ["app.py", "cli.py"]


def layer_of(module: str) -> int | None:
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def modules() -> list[Path]:
    found = [p for layer in LAYERS for p in sorted((ROOT / layer).glob("*.py"))]
    return found + [ROOT / name for name in ENTRY_POINTS]


def imports(path: Path):
    """(imported module, line, inside a function, reason comment above or None)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
        reason = above[1:].strip() if above.startswith("#") else None
        yield names[0], node.lineno, id(node) in inner, reason


def own_layer(path: Path) -> int:
    rel = path.relative_to(ROOT)
    return len(LAYERS) if rel.parent == Path(".") else LAYERS.index(rel.parts[0])


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_down_the_layers(path):
    mine = own_layer(path)
    upward = [(module, line) for module, line, _, _ in imports(path)
              if (layer := layer_of(module)) is not None and layer > mine]
    assert upward == [], f"{path.relative_to(ROOT)} imports a later layer"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_an_import_inside_a_function_says_why(path):
    silent = [(module, line) for module, line, inner, reason in imports(path) if inner and not reason]
    assert silent == [], f"{path.relative_to(ROOT)}: imports inside functions need a reason on the line above"


def test_the_layer_test_sees_an_upward_import(tmp_path):
    probe = ROOT / "core" / "model.py"
    assert layer_of("assistant.answer") > own_layer(probe)
    assert any(layer_of(m) == LAYERS.index("core") for m, *_ in imports(ROOT / "parsing" / "parse.py"))
