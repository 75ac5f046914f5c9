"""Within-article dedup: drop a block that repeats an earlier block, however short."""

from __future__ import annotations

from typing import Any, Self

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.items import Article, Block
from crawler.textkeys import block_key
from pipelines.stage import ContentStagePipeline


def dedupe_blocks(article: Article) -> tuple[list[Block], int]:
    """The article's blocks without repeats of an earlier block, order kept; and how many went.
    All of them when the repeats are most of the text.

    Captions repeated in the body are extraction's to remove (crawler/extraction/furniture.py),
    where it knows the page's captions; this stage sees only blocks.
    """
    seen: set[str] = set()
    kept: list[Block] = []
    repeats = removed_words = 0
    for block in article.blocks:
        form = block_key(block.text)
        if form in seen:
            repeats += 1
            removed_words += len(block.text.split())
        else:
            seen.add(form)
            kept.append(block)
    if not repeats:
        return kept, 0
    if removed_words > sum(len(block.text.split()) for block in kept):
        # Most of the text would go: a page printed twice loses half at most, so this is text that
        # repeats itself (a refrain, a template), and the stage does not discard most of an article.
        return list(article.blocks), 0
    return kept, repeats


class ParagraphDedupPipeline(ContentStagePipeline):
    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        return cls(stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        item.blocks, repeats = dedupe_blocks(item)
        if self.stats is not None and repeats:
            self.stats.inc_value("ingest/paragraphs/removed_block_repeat", repeats)
        return item
