"""Store articles in the SQLite archive: batched transactions, idempotent upserts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.articles import Outcome, content_hash, save_article, save_sources
from crawler.archive.state import UrlState, record_urls
from crawler.archive.stories import write_story_columns
from crawler.items import Article
from crawler.seeds import Source
from crawler.urls import DEFAULT_TRACKING_PARAMS, article_id, url_key

logger = logging.getLogger(__name__)


class StoragePipeline:
    def __init__(
        self,
        db_path: str,
        *,
        batch_size: int = 25,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.tracking_params = tracking_params
        self.stats = stats
        self.crawler = crawler
        self.db: Database | None = None
        self._pending: list[Article] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            settings.get("INGEST_DB_PATH"),
            batch_size=settings.getint("INGEST_STORAGE_BATCH_SIZE"),
            tracking_params=tuple(settings.getlist("INGEST_TRACKING_PARAMS")) or DEFAULT_TRACKING_PARAMS,
            stats=crawler.stats,
            crawler=crawler,
        )

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)
        spider = self.crawler.spider if self.crawler else None
        sources: dict[str, Source] = getattr(spider, "sources", {})
        save_sources(self.db, sources.values())

    def close_spider(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()
            self.db = None

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self._pending.append(item)
            if len(self._pending) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        """Write the pending articles in one transaction: all of them, or (on error) none."""
        if not self._pending or self.db is None:
            return
        batch, self._pending = self._pending, []
        outcomes: list[tuple[Article, Outcome]] = []
        with self.db.atomic():
            for article in batch:
                key = article_id(article.canonical_url, self.tracking_params)
                outcomes.append((article, save_article(self.db, key, article)))
                # The story links as the index knows them now: a copy waiting in this batch may have
                # been overtaken by an earlier-published original since the duplicates pipeline ran.
                write_story_columns(self.db, key, story_id=article.story_id, duplicate_of=article.duplicate_of)
                record_urls(self.db, self._url_states(key, article))
        for article, outcome in outcomes:
            self._count(outcome, article)

    def _url_states(self, key: str, article: Article) -> list[UrlState]:
        """The fetched URL and the canonical URL both lead to this article from now on."""
        fetched_at = article.fetched_at or datetime.now(UTC).isoformat()
        digest = content_hash(article)
        return [
            UrlState(url_key(url, self.tracking_params), key, fetched_at, article.entry_date, digest)
            for url in dict.fromkeys((article.url, article.canonical_url))
        ]

    def _count(self, outcome: Outcome, article: Article) -> None:
        if self.stats is None:
            return
        self.stats.inc_value(f"ingest/storage/{outcome.value}")
        if article.source:
            self.stats.inc_value(f"ingest/source/{article.source}/{outcome.value}")
