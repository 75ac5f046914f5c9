"""Record every crawl as a row of crawl_runs: started, finished, finish reason, counts and stats.

The one component besides the archive that writes to the database, on a connection of its own: a run
record must be written however the crawl ends, including when the archive's writer failed or was
never opened, and it touches no article. The archive lock (taken by the crawl's archive, see
crawler.context) is what keeps a second crawl out; this extension takes none.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.runs import finish_run, mark_interrupted_runs, start_run
from crawler.context import CrawlContext
from crawler.extensions.progress import dropped_count, error_count

logger = logging.getLogger(__name__)

# Core Scrapy stats worth keeping next to ours in crawl_runs.stats.
CORE_STATS = (
    "start_time",
    "finish_time",
    "elapsed_time_seconds",
    "downloader/request_count",
    "downloader/response_count",
    "response_received_count",
    "item_scraped_count",
    "item_dropped_count",
    "log_count/ERROR",
    "log_count/WARNING",
    "robotstxt/forbidden",
)


class CrawlRunsExtension:
    def __init__(self, db_path: str, seeds: str, stats: StatsCollector) -> None:
        self.db_path = db_path
        self.seeds = seeds
        self.stats = stats
        self.db: Database | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        context = CrawlContext.of(crawler)
        if context.redis is not None:
            raise NotConfigured("cluster mode: workers have no archive; the writer keeps the cluster's")
        extension = cls(context.archive_path, str(context.arguments.seeds), crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.db = open_db(self.db_path)
        interrupted = mark_interrupted_runs(self.db)
        if interrupted:
            logger.warning("%d earlier run(s) ended without finishing; picking up where they stopped", interrupted)
        self.run_id = start_run(self.db, seeds=self.seeds)

    def spider_closed(self, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        stats = self.stats.get_stats()
        kept = {k: v for k, v in stats.items() if k.startswith("ingest/") or k in CORE_STATS}
        kept.update({k: v for k, v in stats.items() if k.startswith("item_dropped_reasons_count/")})
        counts = {
            "articles_stored": int(stats.get("ingest/storage/new", 0)) + int(stats.get("ingest/storage/updated", 0)),
            "articles_dropped": dropped_count(stats),
            "errors": error_count(stats),
        }
        finish_run(self.db, self.run_id, reason=reason, stats=kept, counts=counts)
        self.db.close()
        self.db = None
