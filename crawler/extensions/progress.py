"""A periodic progress line: pages and articles per minute, stored, dropped, errors."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)


def error_count(stats: dict[str, Any]) -> int:
    """Everything that went wrong: failed downloads and unusable listings or pages."""
    return sum(
        value
        for key, value in stats.items()
        if isinstance(value, int)
        and key.startswith("ingest/spider/")
        and (key.endswith("_errors") or key.endswith("_unextractable") or key.endswith("_not_html"))
    )


# Crawl outcomes pass the item pipeline as pseudo-items the archive consumes (pipelines/archive.py):
# Scrapy counts them as dropped, we do not.
NOT_ARTICLES = "item_dropped_reasons_count/OutcomeRecorded"


def dropped_count(stats: dict[str, Any]) -> int:
    return sum(
        v
        for k, v in stats.items()
        if k.startswith("item_dropped_reasons_count/") and k != NOT_ARTICLES and isinstance(v, int)
    )


class ProgressExtension:
    def __init__(self, stats: StatsCollector, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.task: Any = None
        self._previous = (0, 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("INGEST_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        assert crawler.stats is not None
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.task = create_looping_call(self.log_progress)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def log_progress(self) -> None:
        stats = self.stats.get_stats()
        pages = int(stats.get("response_received_count", 0))
        articles = int(stats.get("ingest/spider/articles_extracted", 0))
        per_minute = 60.0 / self.interval
        logger.info(
            "Progress: %d pages (%d/min), %d articles extracted (%d/min), %d stored, %d dropped, %d errors",
            pages,
            (pages - self._previous[0]) * per_minute,
            articles,
            (articles - self._previous[1]) * per_minute,
            int(stats.get("ingest/storage/new", 0)) + int(stats.get("ingest/storage/updated", 0)),
            dropped_count(stats),
            error_count(stats),
        )
        self._previous = (pages, articles)
