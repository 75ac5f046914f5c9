"""At the end of every crawl, a short table per source: new, updated, unchanged, dropped, errors."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.context import CrawlContext
from crawler.items import Article

logger = logging.getLogger(__name__)

COLUMNS = ("new", "updated", "unchanged", "dropped", "errors")


def source_rows(stats: dict[str, Any], names: list[str]) -> list[tuple[str, dict[str, int]]]:
    rows = []
    for name in names:
        prefix = f"ingest/source/{name}/"
        own = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}
        errors = sum(v for k, v in own.items() if k.endswith(("_errors", "_unextractable", "_not_html")))
        rows.append(
            (
                name,
                {
                    "new": own.get("new", 0),
                    "updated": own.get("updated", 0),
                    "unchanged": own.get("unchanged", 0),
                    "dropped": own.get("dropped", 0),
                    "errors": errors,
                },
            )
        )
    return rows


def format_table(rows: list[tuple[str, dict[str, int]]]) -> str:
    width = max([len("source"), *(len(name) for name, _ in rows)])
    lines = ["source".ljust(width) + "".join(c.rjust(11) for c in COLUMNS)]
    for name, counts in rows:
        lines.append(name.ljust(width) + "".join(str(counts[c]).rjust(11) for c in COLUMNS))
    return "\n".join(lines)


class SourceSummaryExtension:
    def __init__(self, stats: StatsCollector, sources: list[str]) -> None:
        self.stats = stats
        self.sources = sources

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        extension = cls(crawler.stats, list(CrawlContext.of(crawler).sources))
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any) -> None:
        if isinstance(item, Article) and item.source:
            self.stats.inc_value(f"ingest/source/{item.source}/dropped")

    def spider_closed(self, reason: str) -> None:
        if not self.sources:
            return
        table = format_table(source_rows(self.stats.get_stats(), self.sources))
        logger.info("Crawl finished (%s). Per source:\n%s", reason, table)
