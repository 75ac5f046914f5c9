"""Language targeting: a source with `languages = [...]` in its seeds keeps only articles in them.

The language is the page's and the feed's (the spider does not pass the seed's `language` hint to
extraction for such a source), so a French article on a German site is recognised as French.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.context import CrawlContext
from crawler.items import Article
from crawler.seeds import primary


class OtherLanguage(DropItem):
    """The article is in none of its source's `languages`, or its language could not be told."""


class LanguagePipeline:
    def __init__(self, wanted: dict[str, frozenset[str]], stats: StatsCollector | None = None) -> None:
        self.wanted = wanted
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        sources = CrawlContext.of(crawler).sources.values()
        wanted = {s.name: frozenset(s.languages) for s in sources if s.languages}
        if not wanted:
            raise NotConfigured("no source sets languages")
        return cls(wanted, crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.source not in self.wanted:
            return item
        language = primary(item.language)
        if language in self.wanted[item.source]:
            return item
        if self.stats is not None:
            self.stats.inc_value("ingest/languages/other_language")
        wanted = ", ".join(sorted(self.wanted[item.source]))
        raise OtherLanguage(f"{item.url}: language {language or 'unknown'}, not one of {wanted}")
