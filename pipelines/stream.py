"""Cluster mode's last stage: hand articles and crawl outcomes to the archive writer over a Redis Stream.

Enabled when INGEST_REDIS_URL is set, in place of pipelines.archive (which then raises NotConfigured).
`scrapy archive-writer` consumes the stream and writes through the same Archive.write. The stream is
bounded: with INGEST_REDIS_STREAM_MAXLEN entries not yet written, a worker waits before adding more
(it slows down, it never drops). URL state goes to Redis as each item is handed over, and listing
states are committed to Redis after a clean finish for the listings whose articles all settled, as
the single-process pipeline commits them to the archive.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, Self

import redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.archive.articles import content_hash
from crawler.archive.writer import preparation_of
from crawler.cluster.codec import encode_article, encode_outcomes, encode_sources
from crawler.cluster.keys import ClusterKeys
from crawler.cluster.state import RedisState
from crawler.context import CrawlContext
from crawler.dedup.prepared import Preparation
from crawler.incremental.decisions import PollingBounds, settle_listing
from crawler.incremental.outcomes import EntrySeen, ListingIncomplete, ListingRead, UrlSettled
from crawler.incremental.state import UrlState
from crawler.items import Article
from crawler.seeds import Source
from crawler.urls import DEFAULT_TRACKING_PARAMS, article_id, url_key
from pipelines.archive import NotStored
from pipelines.laststage import OUTCOMES, OutcomeRecorded, build_last_stage, settled_state


class StreamPipeline:
    def __init__(
        self,
        client: redis.Redis,
        keys: ClusterKeys,
        *,
        sources: list[Source] | None = None,
        maxlen: int = 10000,
        preparation: Preparation | None = None,
        polling: PollingBounds | None = None,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
    ) -> None:
        self.client = client
        self.keys = keys
        self.state = RedisState(client, keys)
        self.sources = sources or []
        self.maxlen = max(1, maxlen)
        # What this worker computes of each article for the writer (None: the writer computes it all).
        self.preparation = preparation
        self.polling = polling
        self.tracking_params = tracking_params
        self.stats = stats
        self.settled: list[UrlState] = []
        self.entries: list[tuple[str, str, str]] = []
        self._listings: dict[str, ListingRead] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = CrawlContext.of(crawler)
        if context.redis is None:
            raise NotConfigured("INGEST_REDIS_URL is not set")
        maxlen = crawler.settings.getint("INGEST_REDIS_STREAM_MAXLEN")
        preparation = preparation_of(context.archive_config)
        return build_last_stage(
            cls, crawler, context.redis, context.cluster_keys, maxlen=maxlen, preparation=preparation
        )

    def open_spider(self) -> None:
        self.client.xadd(self.keys.items, encode_sources(self.sources))  # type: ignore[arg-type]

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, OUTCOMES):
            self._record(item)
            if len(self.settled) + len(self.entries) >= 100:
                await self.flush()
            raise OutcomeRecorded(type(item).__name__)
        if not isinstance(item, Article):
            return item
        prepared = self.preparation.prepare(item) if self.preparation is not None else None
        await self._add(encode_article(item, prepared))
        key = article_id(item.canonical_url or item.url, self.tracking_params)
        digest = content_hash(item)
        fetched_at = item.fetched_at or datetime.now(UTC).isoformat()
        dates = {item.listing: item.entry_date} if item.listing and item.entry_date else {}
        self.state.record_urls(
            UrlState(url_key(url, self.tracking_params), key, fetched_at, item.entry_date, digest, dict(dates))
            for url in dict.fromkeys((item.url, item.canonical_url))
            if url
        )
        self._inc("ingest/stream/articles")
        return item

    async def _add(self, fields: dict[str, str]) -> None:
        """Wait while the stream holds INGEST_REDIS_STREAM_MAXLEN unwritten entries: back-pressure."""
        while self.client.xlen(self.keys.items) >= self.maxlen:  # type: ignore[operator]
            self._inc("ingest/stream/waited")
            await asyncio.sleep(0.05)
        self.client.xadd(self.keys.items, fields)  # type: ignore[arg-type]

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        if isinstance(item, Article) and not isinstance(exception, NotStored):
            self.settled.append(self._settled_state(item.url, item.entry_date, item.listing))

    def _record(self, outcome: Any) -> None:
        if isinstance(outcome, UrlSettled):
            if outcome.transient:
                if outcome.listing:
                    self.client.sadd(self.keys.dirty, outcome.listing)
                return
            self.settled.append(self._settled_state(outcome.url, outcome.entry_date, outcome.listing))
        elif isinstance(outcome, EntrySeen):
            self.entries.append((outcome.url_key, outcome.listing, outcome.entry_date))
        elif isinstance(outcome, ListingRead):
            self._listings[outcome.state.url] = outcome
        elif isinstance(outcome, ListingIncomplete):
            self.client.sadd(self.keys.dirty, outcome.url)

    def _settled_state(self, url: str, entry_date: str | None, listing: str | None) -> UrlState:
        return settled_state(url, entry_date, listing, self.tracking_params)

    async def flush(self) -> None:
        settled, self.settled = self.settled, []
        entries, self.entries = self.entries, []
        if settled or entries:
            await self._add(encode_outcomes(settled, entries))
            self.state.record_urls(settled)
            self.state.remember_entries(entries)

    async def close_spider(self) -> None:
        await self.flush()

    async def spider_closed(self, reason: str) -> None:
        await self.flush()
        if reason != "finished":
            return
        dirty = {member.decode() for member in self.client.smembers(self.keys.dirty)}  # type: ignore[union-attr]
        now = datetime.now(UTC)
        states = [
            settle_listing(read.state, had_news=read.had_news, now=now, polling=self.polling)
            for url, read in self._listings.items()
            if url not in dirty
        ]
        self.state.commit_listings(states)
        self._inc("ingest/incremental/listings_committed", len(states))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)
