"""第四部分 名词解释. (stub: being written)"""
from index.blocks import Block
from index.model import GlossaryTerm


def parse_glossary(blocks: list[Block], doc_id: str) -> list[GlossaryTerm]:
    return []
