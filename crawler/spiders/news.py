"""The `news` spider: seeds -> feeds and sitemaps -> article pages -> extracted Article items.

Requests and callbacks only: parsing lives in crawler.discovery, extraction in crawler.extraction,
cleaning and storage in the item pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.arguments import ArgumentError
from crawler.cluster.state import RedisPages
from crawler.compression import DecompressedTooLarge, gunzip_capped, is_gzip
from crawler.context import CrawlContext
from crawler.dates import parse_stored
from crawler.discovery.autodiscovery import find_feed_links
from crawler.discovery.entries import Entry
from crawler.discovery.feeds import FeedError, parse_feed
from crawler.discovery.jsonfeed import is_json_feed, parse_json_feed
from crawler.discovery.sections import UrlShapes
from crawler.discovery.sitemaps import SitemapError, parse_sitemap
from crawler.discovery.sniff import sniff
from crawler.discovery.xml import declares_entities
from crawler.extraction import ExtractionError
from crawler.incremental.decisions import refresh_cutoffs
from crawler.incremental.outcomes import ListingIncomplete, ListingUnchanged
from crawler.items import Article, Hints
from crawler.pages import parse_html
from crawler.refusals import HostBackedOff
from crawler.seeds import SeedsError, Source, primary
from crawler.spiders.articles import NoArticle, content_type, read_article, settled
from crawler.spiders.entries import ListingEntries, RequestedUrls
from crawler.spiders.failures import BLOCKED, ERRORS, NOT_FETCHED, REDIRECT_REPEATED, SPIDER_PREFIX, describe_failure
from crawler.spiders.pages import LocalPages, PageFollower
from crawler.urls import clean_url, same_site, url_key

logger = logging.getLogger(__name__)


class BadConfiguration(Exception):
    """Seeds or arguments that cannot be used; raised before the first request."""


class NewsSpider(Spider):
    name = "news"

    def __init__(self, *, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.arguments = context.arguments
        self.sources = context.sources
        self.limits = context.limits
        self.tracking_params = context.tracking_params
        # Per-crawl state: each article URL is requested once per run, however many feeds list it.
        self.requested = RequestedUrls(self.tracking_params)
        self.entries = ListingEntries(context.limits, context.arguments.since, self.requested, self._inc)
        book = RedisPages(context.redis, context.cluster_keys) if context.redis is not None else LocalPages()
        self.pages = PageFollower(max_pagination=context.limits.max_pagination, book=book)
        self._url_shapes: dict[str, UrlShapes] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        try:
            context = CrawlContext.build(crawler, kwargs)
        except (ArgumentError, SeedsError) as exc:
            # `scrapy crawl` checks this before starting (crawler/commands/crawl.py); this covers
            # other runners (CrawlerProcess, Scrapyd): nothing has been requested yet.
            logger.error("Cannot start the crawl: %s", exc)
            raise BadConfiguration(str(exc)) from None
        spider = cls(context=context)
        spider._set_crawler(crawler)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for source in self.sources.values():
            for url in source.feeds:
                yield self._listing_request(url, source, kind="feed")
            for url in source.sitemaps:
                yield self._listing_request(url, source, kind="sitemap")
            for url in source.pages:
                self.pages.seeded(url)
                yield self._listing_request(url, source, kind="page")
        for request in self._refresh_requests():
            yield request

    def _refresh_requests(self) -> Iterator[Request]:
        """Young stored articles due for a re-check under the refresh policy, whatever their listings
        say (so it works when a feed answers 304). Listings first: an article they list is requested
        through them, with its entry's hints."""
        incremental = self.context.incremental
        if not incremental.enabled or not self.sources:
            return
        born_after, fetched_before = refresh_cutoffs(incremental.refresh, datetime.now(UTC))
        due = self.context.state().due_for_refresh(
            list(self.sources), born_after=born_after, fetched_before=fetched_before, limit=incremental.refresh_limit
        )
        for article in due:
            source = self.sources[article.source]
            if not self.requested.first(article.url):
                continue
            hints = Hints(source=source.name, published_at=parse_stored(article.published_at), language=source.language)
            request = self._article_request(article.url, source, hints)
            request.meta["ingest_refresh"] = True
            yield request

    def _listing_request(self, url: str, source: Source, *, kind: str, depth: int = 0, page: int = 0) -> Request:
        callbacks = {"feed": self.parse_feed, "sitemap": self.parse_sitemap, "page": self.parse_page}
        return Request(
            url,
            callback=callbacks[kind],
            errback=self.on_error,
            dont_filter=True,
            meta={
                "ingest_source": source.name,
                "ingest_kind": kind,
                "ingest_listing_depth": depth,
                "ingest_page_number": page,
            },
            priority=10,  # listings first, so article requests queue up behind them
        )

    def parse_page(self, response: Response) -> Iterator[Any]:
        """A home or section page: its article links, its sections (from a seeded page only) and
        its next page, classified before anything is fetched (crawler.discovery.sections)."""
        source = self.sources[response.meta["ingest_source"]]
        if self._behind_wall(response, source):
            return
        try:
            root = parse_html(response.body, content_type(response))
        except ExtractionError as exc:
            self._listing_error(response.url, source, "page", str(exc))
            return
        self._inc("ingest/spider/pages_fetched", source)
        depth, number = response.meta.get("ingest_listing_depth", 0), response.meta.get("ingest_page_number", 0)
        followed = self.pages.follow(root, response.url, depth=depth, page_number=number, shapes=self._shapes(source))
        self._inc("ingest/spider/page_links_rejected", source, sum(followed.links.rejected.values()))
        for section in followed.sections:
            self._inc("ingest/spider/sections_followed", source)
            yield self._listing_request(section, source, kind="page", depth=depth + 1)
        if followed.next_page is not None:
            self._inc("ingest/spider/pagination_followed", source)
            yield self._listing_request(followed.next_page, source, kind="page", depth=depth, page=number + 1)
        elif followed.pagination_over_limit:
            self._inc("ingest/spider/pagination_over_limit", source)
        yield from self._article_requests(followed.entries, source, response)

    def _shapes(self, source: Source) -> UrlShapes:
        """The URL shapes of the source's stored articles, read once per crawl."""
        if source.name not in self._url_shapes:
            # The state store, not the archive: a cluster worker has none (the writer keeps them in Redis).
            self._url_shapes[source.name] = UrlShapes.of(self.context.state().article_urls(source.name))
        return self._url_shapes[source.name]

    def parse_feed(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["ingest_source"]]
        if self._behind_wall(response, source):
            return
        body = response.body
        kind = sniff(body)
        if kind == "html":
            yield from self._autodiscover(response, source)
            return
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
            return
        try:
            feed = parse_json_feed(body, response.url) if is_json_feed(body) else parse_feed(body, response.url)
        except FeedError as exc:
            self._listing_error(response.url, source, "feed", str(exc))
            return
        self._inc("ingest/spider/feeds_fetched", source)
        self._check_entities(response.url, body, source, "feed")
        for problem in feed.problems:
            self._inc("ingest/spider/entries_invalid", source)
            logger.warning("Feed %s: skipped an entry: %s", response.url, problem)
        yield from self._article_requests(feed.entries, source, response)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["ingest_source"]]
        if self._behind_wall(response, source):
            return
        body = response.body
        if is_gzip(body):
            try:
                body = gunzip_capped(body, self.limits.max_size)
            except (DecompressedTooLarge, ValueError) as exc:
                self._listing_error(response.url, source, "sitemap", str(exc))
                return
        try:
            sitemap = parse_sitemap(body, response.url)
        except SitemapError as exc:
            self._listing_error(response.url, source, "sitemap", str(exc))
            return
        self._inc("ingest/spider/sitemaps_fetched", source)
        self._check_entities(response.url, body, source, "sitemap")
        for problem in sitemap.problems:
            self._inc("ingest/spider/entries_invalid", source)
            logger.warning("Sitemap %s: skipped an entry: %s", response.url, problem)
        if sitemap.kind == "index":
            depth = response.meta.get("ingest_listing_depth", 0) + 1
            if depth > self.limits.max_sitemap_depth:
                self._listing_error(
                    response.url,
                    source,
                    "sitemap",
                    f"sitemap indexes nested deeper than {self.limits.max_sitemap_depth}",
                )
                return
            for child in sitemap.sitemaps[: self.limits.max_entries]:
                if self.entries.too_old(child):
                    self._inc("ingest/spider/sitemaps_skipped_since", source)
                    continue
                yield self._listing_request(child.url, source, kind="sitemap", depth=depth)
            return
        entries = sitemap.entries
        if source.languages and sitemap.alternates:
            wanted = [alt for alt in sitemap.alternates if primary(alt.language) in source.languages]
            self._inc("ingest/spider/alternates_skipped", source, len(sitemap.alternates) - len(wanted))
            entries = [*entries, *wanted]
        elif sitemap.alternates:
            self._inc("ingest/spider/alternates_skipped", source, len(sitemap.alternates))
        yield from self._article_requests(entries, source, response)

    def _check_entities(self, url: str, body: bytes, source: Source, kind: str) -> None:
        # Never expanded (crawler.discovery.xml), but a listing that declares entities is an attack
        # or a broken generator: either way worth a line in the log and a count.
        if declares_entities(body):
            self._inc("ingest/spider/entity_declarations_ignored", source)
            logger.warning("%s %s declares XML entities (DOCTYPE); ignored, not expanded", kind.capitalize(), url)

    def _autodiscover(self, response: Response, source: Source) -> Iterator[Request]:
        if response.meta.get("ingest_listing_depth", 0) > 0:
            self._listing_error(response.url, source, "feed", "an HTML page, not a feed")
            return
        links = [link for link in find_feed_links(response.body, response.url) if "comments" not in link]
        if not links:
            self._listing_error(response.url, source, "feed", "an HTML page without feed links")
            return
        self._inc("ingest/spider/feeds_autodiscovered", source, len(links))
        logger.info("Autodiscovered feed(s) %s on %s", ", ".join(links), response.url)
        for link in links:
            yield self._listing_request(link, source, kind="feed", depth=1)

    def _article_requests(self, entries: list[Entry], source: Source, listing: Response) -> Iterator[Any]:
        # The listing as requested (before redirects): the key of its state across runs.
        listing_url = listing.request.url if listing.request is not None else listing.url
        for wanted in self.entries.wanted(entries, source, listing_url):
            if isinstance(wanted, ListingIncomplete):
                yield wanted
            else:
                url, hints = wanted
                yield self._article_request(url, source, hints, listing.meta.get("ingest_kind"))

    def _article_request(self, url: str, source: Source, hints: Hints, listing_kind: str | None = None) -> Request:
        self._inc("ingest/spider/articles_requested", source)
        meta = {"ingest_source": source.name, "ingest_kind": "article", "ingest_hints": hints}
        if listing_kind:
            meta["ingest_listing_kind"] = listing_kind
        return Request(url, callback=self.parse_article, errback=self.on_error, meta=meta)

    # --- articles ----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["ingest_source"]]
        hints: Hints = response.meta["ingest_hints"]
        if self._behind_wall(response, source):
            yield settled(response.request, transient=True)  # asked again once the host's backoff ends
            return
        article = read_article(response, source, hints, self.limits)
        if isinstance(article, NoArticle):
            self._inc(article.stat, source)
            logger.log(article.level, "%s", article.message)
            yield settled(response.request, transient=article.transient)
            return
        self._inc("ingest/spider/articles_extracted", source)
        variant = self._canonical_variant(response, article, source, hints)
        if variant is not None:
            yield from variant
            return
        yield article

    def _canonical_variant(
        self, response: Response, article: Article, source: Source, hints: Hints
    ) -> list[Any] | None:
        """None when the page is its own canonical page. For a variant (AMP, mobile, a URL with extra
        parameters) that names its canonical page on the same site, the canonical page is fetched
        instead — once — so an article reached by several URLs is stored once, from one page.
        A canonical URL on another site is not followed: a copy keeps its own identity, and its
        link to the original is the duplicates pipeline's job."""
        declared = article.canonical_url
        fetched_key = url_key(response.url, self.tracking_params)
        canonical_key = url_key(declared, self.tracking_params)
        if canonical_key == fetched_key or response.meta.get("ingest_canonical_of"):
            return None
        if not same_site(declared, response.url):
            # Another site's URL would become this article's id, and a hostile page could overwrite
            # that site's article: the page is stored under its own URL.
            self._inc("ingest/spider/canonical_offsite", source)
            article.canonical_url = clean_url(response.url, self.tracking_params)
            return None
        outcome = settled(response.request)
        if not self.requested.first(declared):
            self._inc("ingest/spider/variants_skipped", source)
            return [outcome]
        self._inc("ingest/spider/variants_followed", source)
        request = self._article_request(clean_url(declared, self.tracking_params), source, hints)
        request.meta["ingest_canonical_of"] = response.url
        return [outcome, request]

    # --- errors ------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Any]:
        if failure.check(ListingUnchanged):
            # Counted by the incremental middleware; nothing to read, but the source was reached.
            request = failure.request  # type: ignore[attr-defined]
            self._inc("ingest/spider/listings_unchanged", self.sources.get(request.meta.get("ingest_source", "")))
            return
        request = failure.request  # type: ignore[attr-defined]
        source = self.sources.get(request.meta.get("ingest_source", ""))
        kind = request.meta["ingest_kind"]  # every request of this spider names its kind
        wall = request.meta.get("ingest_bot_wall")
        if wall or failure.check(HostBackedOff):
            self._inc(BLOCKED[kind], source)
            logger.warning("%s %s blocked: %s", kind.capitalize(), request.url, wall or failure.getErrorMessage())
            if kind == "article":
                yield settled(request, transient=True)
            return
        failed = describe_failure(failure)
        if failed.proxy == "unreachable":
            self._inc("ingest/proxy/unreachable", None)
        elif failed.proxy == "refused":
            self._inc("ingest/proxy/refused", None)
        if failed.declined:
            self._inc(NOT_FETCHED[kind], source)
            logger.info("%s %s not fetched: %s", kind.capitalize(), request.url, failed.reason)
        else:
            self._inc(ERRORS[kind], source)
            logger.warning("%s %s failed: %s", kind.capitalize(), request.url, failed.reason)
        if kind == "article":
            yield settled(request, transient=not failed.final)

    def request_dropped(self, request: Request) -> None:
        """Scrapy's duplicate filter dropped a request: for this spider, only ever after a redirect.

        Article URLs are deduplicated before they are requested, and listings are never filtered, so
        a dropped request was redirected to a URL already requested this run: a redirect loop, or two
        URLs that lead to one page. Scrapy drops those silently; we count and log them.
        """
        kind = request.meta["ingest_kind"]  # every request of this spider names its kind
        source = self.sources.get(request.meta.get("ingest_source", ""))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        self._inc(REDIRECT_REPEATED[kind], source)
        logger.warning(
            "%s %s not fetched: redirected to %s, already requested this run (%s)",
            kind.capitalize(),
            chain[0],
            request.url,
            "a redirect loop" if request.url in chain[:-1] else "a duplicate",
        )

    def _behind_wall(self, response: Response, source: Source) -> bool:
        """A challenge page answered (marked by the bot-wall middleware): counted, nothing extracted."""
        wall = response.meta.get("ingest_bot_wall")
        if not wall:
            return False
        kind = response.meta["ingest_kind"]
        self._inc(BLOCKED[kind], source)
        logger.warning("%s %s blocked: %s", kind.capitalize(), response.url, wall)
        return True

    def _listing_error(self, url: str, source: Source, kind: str, reason: str) -> None:
        self._inc(ERRORS[kind], source)
        logger.warning("%s %s is unusable: %s", kind.capitalize(), url, reason)

    def _inc(self, key: str, source: Source | None, count: int = 1) -> None:
        """Count an ingest/spider/ key, and the same event under the source: ingest/source/<name>/<event>."""
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(key, count)
        if source is not None:
            stats.inc_value(key.replace(SPIDER_PREFIX, f"ingest/source/{source.name}/", 1), count)
