"""项目支出绩效目标表 grids. (stub: being written)"""
from index.blocks import Block
from index.model import PerformanceTarget


def parse_targets(blocks: list[Block], doc_id: str) -> list[PerformanceTarget]:
    return []
