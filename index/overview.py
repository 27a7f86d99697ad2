"""Unit name, year, kind and the 概况 part. (stub: being written)"""
from index.blocks import Block
from index.model import Overview


def parse_identity(blocks: list[Block]) -> tuple[str, int, str] | None:
    return None


def parse_overview(blocks: list[Block], doc_id: str) -> Overview:
    return Overview()
