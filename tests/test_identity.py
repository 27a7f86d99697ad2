"""The unit, year and 单位/部门 of a disclosure from the cover styles of several provinces."""
from __future__ import annotations

import pytest

from parsing.blocks import Block
from parsing.overview import parse_identity


def identity(*lines: str):
    return parse_identity([Block(kind="paragraph", text=t, line=i + 1) for i, t in enumerate(lines)])


@pytest.mark.parametrize("lines, expected", [
    (("晋城经济技术开发区管理委员会", "2026年度单位预算公开"), ("晋城经济技术开发区管理委员会", 2026, "单位")),
    (("2024年青岚县教育局部门预算", "目录"), ("青岚县教育局", 2024, "部门")),
    (("2025年度东湖区科学技术委员会单位预算公开",), ("东湖区科学技术委员会", 2025, "单位")),
    (("上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区商务委员会"), ("上海市普陀区商务委员会", 2025, "单位")),
    (("2025年区级部门预算", "预算主管部门：临川市河西区财政局"), ("临川市河西区财政局", 2025, "部门")),
    # no cover at all: the year from a table title, the unit from its 编制部门 line
    (("2025年部门收支总表", "编制部门：云州市卫生健康委员会 单位：元"), ("云州市卫生健康委员会", 2025, "单位")),
])
def test_cover_styles(lines, expected):
    assert identity(*lines) == expected


def test_a_level_word_is_not_a_unit():
    assert identity("2025年区级部门预算") is None
