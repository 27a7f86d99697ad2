"""情况说明: sections and the figures they state. (stub: being written)"""
from dataclasses import dataclass, field

from index.blocks import Block
from index.model import Assets, PerformanceSummary, Procurement, Section, StatedFigure, StatedShare


@dataclass
class Narrative:
    sections: list[Section] = field(default_factory=list)
    stated: list[StatedFigure] = field(default_factory=list)
    shares: list[StatedShare] = field(default_factory=list)
    procurement: Procurement | None = None
    performance: PerformanceSummary | None = None
    assets: Assets | None = None


def parse_narrative(blocks: list[Block], doc_id: str) -> Narrative:
    return Narrative()
