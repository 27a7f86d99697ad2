"""政府收支分类科目 as a tree: every 类 the documents print, with its 款 and 项 (code and name as
printed), and which 类 a search for a code or name hits. explain_code (tools/codes.py) explains
one code with its amounts; this lists them all.

    tree = code_tree(catalog, CodeTreeQuery(search="2080505"))
    [c.code for c in tree.classes if c.hit] == ["208"]
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.text import fold
from tools.catalog import Catalog
from tools.codes import LEVELS
from tools.trace import traced
from tools.types import CodeLevel

# 政府收支分类: the first digit of a 类 code names its family
CODE_FAMILIES = {"1": "收入分类科目", "2": "支出功能分类科目"}
OTHER_FAMILY = "其他"


class CodeTreeQuery(BaseModel):
    search: str | None = Field(default=None, description="科目编码或名称（可为片段），标出包含它的“类”")


class CodeClass(BaseModel):
    code: str  # 3 digits
    name: str  # "" when only its 款/项 are printed
    family: str  # 收入分类科目 / 支出功能分类科目 / 其他
    levels: list[CodeLevel]  # the 类 itself, then its 款 and 项 in code order
    hit: bool = False  # the search is in one of these codes or names


class CodeTree(BaseModel):
    kind: Literal["code_tree"] = "code_tree"
    search: str | None = None
    classes: list[CodeClass]  # every 类, in code order


def printed_codes(catalog: Catalog) -> dict[str, str]:
    """Every 类/款/项 code in the documents' tables -> its name where first printed."""
    if "printed_codes" not in catalog.cache:
        lengths = {length for length, _ in LEVELS}
        names: dict[str, str] = {}
        for doc in catalog.disclosures:
            for table in doc.tables:
                for row in table.rows:
                    if row.code and row.code.isdigit() and len(row.code) in lengths:
                        names.setdefault(row.code, row.name)
        catalog.cache["printed_codes"] = names
    return catalog.cache["printed_codes"]


@traced
def code_tree(catalog: Catalog, query: CodeTreeQuery) -> CodeTree:
    names = printed_codes(catalog)
    level_of = dict(LEVELS)
    children: dict[str, list[str]] = {}
    for code in sorted(names):
        children.setdefault(code[:3], [])
        if len(code) > 3:
            children[code[:3]].append(code)
    q = fold(query.search or "").strip()
    classes = []
    for class_code, codes in sorted(children.items()):
        levels = [CodeLevel(level="类", code=class_code, name=names.get(class_code, ""))]
        levels += [CodeLevel(level=level_of[len(c)], code=c, name=names[c]) for c in codes]
        hit = bool(q) and any(q in fold(f"{lv.code}{lv.name}") for lv in levels)
        classes.append(CodeClass(code=class_code, name=names.get(class_code, ""),
                                 family=CODE_FAMILIES.get(class_code[0], OTHER_FAMILY), levels=levels, hit=hit))
    return CodeTree(search=query.search, classes=classes)


__all__ = ["CodeTreeQuery", "CodeClass", "CodeTree", "code_tree", "CODE_FAMILIES"]
