"""Incremental crawling across runs, with its state in the SQLite archive (not in a JOBDIR).

- Feeds and sitemaps are requested conditionally (If-None-Match / If-Modified-Since); a 304, or a
  body whose hash did not change, is not parsed again.
- An article URL already fetched is not requested again unless its entry changed or the refresh
  policy applies (crawler.refresh).
- Listing state is committed only when a run finishes cleanly and every article it listed reached a
  final outcome, so a killed or failing run is simply picked up by the next one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from crawler import signals as ingest_signals
from crawler.archive import open_db
from crawler.archive.state import (
    ListingState,
    UrlState,
    articles_due_for_refresh,
    load_listing_states,
    lookup_urls,
    record_urls,
    save_listing_states,
)
from crawler.dates import parse_stored
from crawler.items import Hints
from crawler.refresh import PollingBounds, RefreshPolicy, fetch_reason, next_poll_interval, refresh_cutoffs
from crawler.urls import DEFAULT_TRACKING_PARAMS, url_key

logger = logging.getLogger(__name__)
STATS = "ingest/incremental"
LISTING_KINDS = ("feed", "sitemap")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class IncrementalMiddleware:
    def __init__(
        self,
        db_path: str,
        *,
        policy: RefreshPolicy,
        polling: PollingBounds | None,
        refresh_limit: int = 1000,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        self.db_path = db_path
        self.policy = policy
        self.polling = polling
        self.refresh_limit = refresh_limit
        self.tracking_params = tracking_params
        self.stats = stats
        self.crawler = crawler
        self.db: Database | None = None
        self.listings: dict[str, ListingState] = {}
        self._pending_listings: dict[str, ListingState] = {}
        self._dirty_listings: set[str] = set()
        self._news: set[str] = set()
        self._settled: list[UrlState] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INGEST_INCREMENTAL"):
            raise NotConfigured
        polling = None
        if settings.getbool("INGEST_ADAPTIVE_POLLING"):
            polling = PollingBounds(
                timedelta(minutes=settings.getfloat("INGEST_POLL_MIN_MINUTES")),
                timedelta(minutes=settings.getfloat("INGEST_POLL_MAX_MINUTES")),
            )
        middleware = cls(
            settings.get("INGEST_DB_PATH"),
            policy=RefreshPolicy(
                max_age=timedelta(hours=settings.getfloat("INGEST_REFRESH_MAX_AGE_HOURS")),
                interval=timedelta(hours=settings.getfloat("INGEST_REFRESH_INTERVAL_HOURS")),
            ),
            polling=polling,
            refresh_limit=settings.getint("INGEST_REFRESH_MAX_ARTICLES"),
            tracking_params=tuple(settings.getlist("INGEST_TRACKING_PARAMS")) or DEFAULT_TRACKING_PARAMS,
            stats=crawler.stats,
            crawler=crawler,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(middleware.article_settled, signal=ingest_signals.article_settled)
        return middleware

    # --- lifecycle -------------------------------------------------------------------------

    def spider_opened(self) -> None:
        self.db = open_db(self.db_path)
        self.listings = load_listing_states(self.db)

    def spider_closed(self, reason: str) -> None:
        if self.db is None:
            return
        self._flush_settled()
        if reason == "finished":
            now = datetime.now(UTC)
            committed = []
            for url, state in self._pending_listings.items():
                if url in self._dirty_listings:
                    continue
                if self.polling is not None:
                    state.poll_interval = next_poll_interval(
                        state.poll_interval, had_news=url in self._news, bounds=self.polling
                    )
                    state.next_poll_at = (now + timedelta(seconds=state.poll_interval)).isoformat()
                if url in self._news:
                    state.changed_at = now.isoformat()
                committed.append(state)
            save_listing_states(self.db, committed)
            self._inc("listings_committed", len(committed))
        self.db.close()
        self.db = None

    # --- listings --------------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        now = datetime.now(UTC).isoformat()
        async for request in start:
            if isinstance(request, Request) and request.meta.get("ingest_kind") in LISTING_KINDS:
                state = self.listings.get(request.url)
                if self.polling is not None and state and state.next_poll_at and state.next_poll_at > now:
                    self._inc("listings_not_due")
                    continue
                request = self._conditional(request)
            yield request
        for request in self._refresh_requests():
            yield request

    def _refresh_requests(self) -> Iterator[Request]:
        """Young articles due for a re-check under the refresh policy, whatever their listings say."""
        spider = self.crawler.spider if self.crawler else None
        if self.db is None or spider is None or not hasattr(spider, "refresh_request"):
            return
        born_after, fetched_before = refresh_cutoffs(self.policy, datetime.now(UTC))
        due = articles_due_for_refresh(
            self.db,
            list(getattr(spider, "sources", {})),
            born_after=born_after,
            fetched_before=fetched_before,
            limit=self.refresh_limit,
        )
        for article in due:
            request = spider.refresh_request(article.url, article.source, parse_stored(article.published_at))
            if request is not None:
                self._inc("articles_fetched_refresh")
                yield request

    def _conditional(self, request: Request) -> Request:
        state = self.listings.get(request.url)
        request.meta["handle_httpstatus_list"] = [304]
        if state is None:
            return request
        if state.etag:
            request.headers[b"If-None-Match"] = state.etag
        if state.last_modified:
            request.headers[b"If-Modified-Since"] = state.last_modified
        return request

    def process_spider_input(self, response: Response) -> None:
        meta = response.meta
        if meta.get("ingest_kind") not in LISTING_KINDS:
            return
        url = response.request.url if response.request else response.url
        previous = self.listings.get(url)
        now = datetime.now(UTC).isoformat()
        state = ListingState(
            url=url,
            source=meta.get("ingest_source", ""),
            kind=meta["ingest_kind"],
            poll_interval=previous.poll_interval if previous else None,
            changed_at=previous.changed_at if previous else None,
        )
        if response.status == 304:
            self._inc("listings_not_modified")
            if previous is not None:
                state.etag, state.last_modified, state.body_hash = (
                    previous.etag,
                    previous.last_modified,
                    previous.body_hash,
                )
            state.status, state.fetched_at = 304, now
            meta["ingest_listing_unchanged"] = True
        elif response.status == 200:
            state.etag = _header(response, b"ETag")
            state.last_modified = _header(response, b"Last-Modified")
            state.body_hash = hashlib.sha256(response.body).hexdigest()
            state.status, state.fetched_at = 200, now
            if previous is not None and previous.body_hash == state.body_hash:
                self._inc("listings_unchanged")
                meta["ingest_listing_unchanged"] = True
        else:
            return
        self._pending_listings[url] = state

    # --- articles --------------------------------------------------------------------------

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from self._filter(response, list(result))

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        for item in self._filter(response, [r async for r in result]):
            yield item

    def _filter(self, response: Response, outputs: list[Any]) -> Iterator[Any]:
        if response.meta.get("ingest_listing_incomplete") and response.request is not None:
            self._dirty_listings.add(response.request.url)
        articles = [o for o in outputs if isinstance(o, Request) and o.meta.get("ingest_kind") == "article"]
        decisions = self._decide(articles) if articles and self.db is not None else {}
        listing = response.request.url if response.request else response.url
        for output in outputs:
            if not isinstance(output, Request):
                yield output
                continue
            kind = output.meta.get("ingest_kind")
            if kind in LISTING_KINDS:
                yield self._conditional(output)
            elif kind == "article" and not output.meta.get("ingest_refresh"):
                reason = decisions.get(id(output), "new")
                if reason is None:
                    self._inc("articles_skipped_known")
                    continue
                self._inc(f"articles_fetched_{reason}")
                output.meta["ingest_listing"] = listing
                if reason in ("new", "entry_changed"):
                    self._news.add(listing)
                yield output
            else:
                yield output

    def _decide(self, requests: list[Request]) -> dict[int, str | None]:
        assert self.db is not None
        keys = {id(r): url_key(r.url, self.tracking_params) for r in requests}
        states = lookup_urls(self.db, list(keys.values()))
        decisions: dict[int, str | None] = {}
        for request in requests:
            hints: Hints | None = request.meta.get("ingest_hints")
            entry_date = (hints.modified_at or hints.published_at) if hints else None
            decisions[id(request)] = fetch_reason(states.get(keys[id(request)]), entry_date=entry_date)
        return decisions

    # --- outcomes without a stored article ----------------------------------------------------

    def item_dropped(self, item: Any) -> None:
        url = getattr(item, "url", None)
        if url:
            self._settle(url, getattr(item, "entry_date", None))

    def article_settled(self, request: Request, outcome: str) -> None:
        if outcome == "transient":
            listing = request.meta.get("ingest_listing")
            if listing:
                self._dirty_listings.add(listing)
            return
        hints: Hints | None = request.meta.get("ingest_hints")
        entry = (hints.modified_at or hints.published_at) if hints else None
        self._settle(request.url, entry.isoformat() if entry else None)

    def _settle(self, url: str, entry_date: str | None) -> None:
        self._settled.append(
            UrlState(url_key(url, self.tracking_params), None, datetime.now(UTC).isoformat(), entry_date, None)
        )
        if len(self._settled) >= 100:
            self._flush_settled()

    def _flush_settled(self) -> None:
        if self._settled and self.db is not None:
            with self.db.atomic():
                record_urls(self.db, self._settled)
            self._settled = []

    def _inc(self, event: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{STATS}/{event}", count)
