"""Incremental crawling across runs, with its state in the archive (not in a JOBDIR).

- Feeds and sitemaps are requested conditionally (If-None-Match / If-Modified-Since); one answering
  304, or with the body of last time, raises ListingUnchanged to the spider's errback: not read again.
- An article URL already fetched is not requested again unless the same listing's entry date moved
  (the pure decisions are in crawler.incremental.decisions); young articles are re-checked by the
  refresh requests the spider's start() yields.
- What this middleware learns goes to the archive as outcomes (ListingRead, EntrySeen) in the spider's
  output; the archive pipeline writes them. The middleware itself only reads the archive.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.context import CrawlContext, StateStore
from crawler.incremental.decisions import (
    ListingAnswer,
    PollingBounds,
    conditional_headers,
    fetch_decision,
    listing_due,
    read_listing,
)
from crawler.incremental.outcomes import EntrySeen, ListingRead, ListingUnchanged
from crawler.incremental.state import ListingState
from crawler.items import Hints
from crawler.urls import DEFAULT_TRACKING_PARAMS, url_key

logger = logging.getLogger(__name__)

LISTING_KINDS = ("feed", "sitemap", "page")
LISTINGS_NOT_DUE = "ingest/incremental/listings_not_due"
LISTINGS_NOT_MODIFIED = "ingest/incremental/listings_not_modified"
LISTINGS_UNCHANGED = "ingest/incremental/listings_unchanged"
ARTICLES_SKIPPED_KNOWN = "ingest/incremental/articles_skipped_known"
ARTICLES_FETCHED = {
    "new": "ingest/incremental/articles_fetched_new",
    "entry_changed": "ingest/incremental/articles_fetched_entry_changed",
    "refresh": "ingest/incremental/articles_fetched_refresh",
}


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _entry_date(request: Request) -> datetime | None:
    hints: Hints | None = request.meta.get("ingest_hints")
    return (hints.modified_at or hints.published_at) if hints else None


class IncrementalMiddleware:
    def __init__(
        self,
        archive: StateStore,
        *,
        polling: PollingBounds | None = None,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
    ) -> None:
        self.archive = archive
        self.polling = polling
        self.tracking_params = tracking_params
        self.stats = stats
        self.listings: dict[str, ListingState] = {}
        # A listing's new state, from its response until the spider's output for it passes here.
        self._read: dict[str, tuple[ListingState, bool]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = CrawlContext.of(crawler)
        if not context.incremental.enabled:
            raise NotConfigured("INGEST_INCREMENTAL is off")
        middleware = cls(
            context.state(),
            polling=context.incremental.polling,
            tracking_params=context.tracking_params,
            stats=crawler.stats,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self) -> None:
        self.listings = self.archive.listing_states()

    # --- listings --------------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        now = datetime.now(UTC)
        async for request in start:
            if isinstance(request, Request):
                kind = request.meta.get("ingest_kind")
                if kind in LISTING_KINDS:
                    if not listing_due(self.listings.get(request.url), now, self.polling):
                        self._inc(LISTINGS_NOT_DUE)
                        continue
                    request = self._conditional(request)
                elif kind == "article" and request.meta.get("ingest_refresh"):
                    self._inc(ARTICLES_FETCHED["refresh"])
            yield request

    def _conditional(self, request: Request) -> Request:
        request.meta["handle_httpstatus_list"] = [304]
        for name, value in conditional_headers(self.listings.get(request.url)).items():
            request.headers[name] = value
        return request

    def process_spider_input(self, response: Response) -> None:
        meta = response.meta
        if meta.get("ingest_kind") not in LISTING_KINDS or response.request is None or meta.get("ingest_bot_wall"):
            return  # a challenge page is not the listing: its hash must not become the listing's state
        url = response.request.url
        answer = ListingAnswer(
            response.status, _header(response, b"ETag"), _header(response, b"Last-Modified"), response.body
        )
        read = read_listing(
            url, meta.get("ingest_source", ""), meta["ingest_kind"], answer, self.listings.get(url), datetime.now(UTC)
        )
        if read is None:
            return
        state, unchanged = read
        self._read[url] = (state, unchanged)
        if unchanged:
            not_modified = response.status == 304
            self._inc(LISTINGS_NOT_MODIFIED if not_modified else LISTINGS_UNCHANGED)
            raise ListingUnchanged(url, not_modified=not_modified)

    # --- articles --------------------------------------------------------------------------

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from self._filter(response, list(result))

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        for output in self._filter(response, [r async for r in result]):
            yield output

    def _filter(self, response: Response, outputs: list[Any]) -> Iterator[Any]:
        listing = response.request.url if response.request is not None else response.url
        articles = [
            o
            for o in outputs
            if isinstance(o, Request) and o.meta.get("ingest_kind") == "article" and not o.meta.get("ingest_refresh")
        ]
        keys = {id(r): url_key(r.url, self.tracking_params) for r in articles}
        states = self.archive.url_states(list(keys.values())) if articles else {}
        had_news = False
        for output in outputs:
            if not isinstance(output, Request):
                yield output
                continue
            kind = output.meta.get("ingest_kind")
            if kind in LISTING_KINDS:
                yield self._conditional(output)
                continue
            if id(output) not in keys:
                yield output
                continue
            entry_date = _entry_date(output)
            decision = fetch_decision(states.get(keys[id(output)]), listing=listing, entry_date=entry_date)
            if decision.reason is None:
                self._inc(ARTICLES_SKIPPED_KNOWN)
                if decision.remember_entry and entry_date is not None:
                    yield EntrySeen(keys[id(output)], listing, entry_date.isoformat())
                continue
            self._inc(ARTICLES_FETCHED[decision.reason])
            had_news = True
            yield output
        read = self._read.pop(listing, None)
        if read is not None:
            yield ListingRead(read[0], had_news=had_news)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
