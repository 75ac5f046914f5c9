"""Within-article dedup: drop a block that repeats a caption or an earlier block, however short."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.items import Article, Block

QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’‹›`´'"})
TRAILING_PUNCTUATION = re.compile(r"[\s.,;:!?…\-–—\"]+$")
WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The comparison form of a block: NFKC, case-folded, quotes unified, whitespace collapsed,
    trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(QUOTES)
    text = WHITESPACE.sub(" ", text).strip()
    return TRAILING_PUNCTUATION.sub("", text)


def dedupe_blocks(article: Article) -> tuple[list[Block], int, int]:
    """The article's blocks without caption repeats and earlier-block repeats, order kept;
    plus how many of each kind were removed."""
    caption_forms: set[str] = set()
    for caption in article.captions:
        caption_forms.add(normalise(caption.text))
        if caption.credit:
            caption_forms.add(normalise(f"{caption.text} {caption.credit}"))
            caption_forms.add(normalise(caption.credit))
    caption_forms.discard("")
    seen: set[str] = set()
    kept: list[Block] = []
    caption_repeats = block_repeats = 0
    for block in article.blocks:
        form = normalise(block.text)
        if form in caption_forms:
            caption_repeats += 1
        elif form in seen:
            block_repeats += 1
        else:
            seen.add(form)
            kept.append(block)
    return kept, caption_repeats, block_repeats


class ParagraphDedupPipeline:
    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    content_stage = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls.from_settings(crawler.settings, crawler.stats)

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        return cls(stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        item.blocks, caption_repeats, block_repeats = dedupe_blocks(item)
        if self.stats is not None:
            if caption_repeats:
                self.stats.inc_value("ingest/paragraphs/removed_caption_repeat", caption_repeats)
            if block_repeats:
                self.stats.inc_value("ingest/paragraphs/removed_block_repeat", block_repeats)
        return item
