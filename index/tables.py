"""Recognise the 13 standard tables and parse their rows. (stub: being written)"""
from index.blocks import Block
from index.model import BudgetTable


def parse_tables(blocks: list[Block], doc_id: str) -> list[BudgetTable]:
    return []
