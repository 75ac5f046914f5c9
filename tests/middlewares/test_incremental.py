"""The incremental middleware in process, built by get_crawler over a real archive: conditional
listing requests, unchanged listings, and which listed articles are fetched."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.context import CrawlContext
from crawler.incremental.outcomes import EntrySeen, ListingRead, ListingUnchanged
from crawler.incremental.state import ListingState, UrlState
from crawler.items import Hints
from crawler.middlewares.incremental import IncrementalMiddleware
from crawler.spiders.news import NewsSpider
from crawler.urls import url_key

FEED = "https://site.example/feed.xml"
SITEMAP = "https://site.example/sitemap.xml"
SEEDS = f'[[source]]\nname = "site"\nfeeds = ["{FEED}"]\nsitemaps = ["{SITEMAP}"]\n'


def crawler_for(tmp_path: Path, **settings: Any) -> Any:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(SEEDS, encoding="utf-8")
    project = {k: v for k, v in get_project_settings().items() if k.startswith("INGEST_")}
    crawler = get_crawler(
        NewsSpider, {**project, "INGEST_DB_PATH": str(tmp_path / "news.db"), "INGEST_SEEDS": str(seeds), **settings}
    )
    crawler.spider = crawler._create_spider()
    return crawler


@pytest.fixture
def built(tmp_path: Path) -> Any:
    crawler = crawler_for(tmp_path)
    archive = CrawlContext.of(crawler).archive()
    archive.save_sources(CrawlContext.of(crawler).sources.values())
    archive.commit_listings([ListingState(FEED, "site", "feed", etag='"v7"', body_hash=None, status=200)])
    archive.write(
        [],
        settled=[
            UrlState(url_key("https://site.example/known"), "a1", "2023-09-15T09:00:00+00:00",
                     "2023-09-15T08:00:00+00:00", "h", {FEED: "2023-09-15T08:00:00+00:00"}),
        ],
    )  # fmt: skip
    middleware = IncrementalMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    yield crawler, middleware
    CrawlContext.of(crawler).close()


def listing_request(url: str, kind: str) -> Request:
    return Request(url, meta={"ingest_kind": kind, "ingest_source": "site"})


def article_request(url: str, listing: str, entry: datetime) -> Request:
    hints = Hints(source="site", published_at=entry, discovered_from=listing)
    return Request(url, meta={"ingest_kind": "article", "ingest_source": "site", "ingest_hints": hints})


def response_to(request: Request, status: int = 200, body: bytes = b"<rss/>", **headers: str) -> Response:
    return HtmlResponse(request.url, status=status, body=body, headers=headers, request=request)


def test_listings_are_requested_conditionally(built: Any) -> None:
    _, middleware = built

    async def start() -> Any:
        yield listing_request(FEED, "feed")
        yield listing_request(SITEMAP, "sitemap")

    async def collect() -> list[Any]:
        return [r async for r in middleware.process_start(start())]

    feed, sitemap = asyncio.run(collect())
    assert feed.headers.get(b"If-None-Match") == b'"v7"'
    assert feed.meta["handle_httpstatus_list"] == [304]
    assert sitemap.headers.get(b"If-None-Match") is None


def test_a_304_or_the_same_body_reaches_the_spider_as_listing_unchanged(built: Any) -> None:
    crawler, middleware = built
    with pytest.raises(ListingUnchanged, match="not modified"):
        middleware.process_spider_input(response_to(listing_request(FEED, "feed"), 304))
    request = listing_request(SITEMAP, "sitemap")
    middleware.process_spider_input(response_to(request, body=b"<urlset/>"))  # first time: read it
    (read,) = list(middleware.process_spider_output(response_to(request, body=b"<urlset/>"), []))
    assert isinstance(read, ListingRead) and read.state.body_hash is not None
    middleware.listings[SITEMAP] = read.state
    with pytest.raises(ListingUnchanged, match="unchanged since the last run"):
        middleware.process_spider_input(response_to(request, body=b"<urlset/>"))
    assert crawler.stats.get_value("ingest/incremental/listings_not_modified") == 1
    assert crawler.stats.get_value("ingest/incremental/listings_unchanged") == 1


def test_known_articles_are_skipped_new_and_changed_ones_fetched(built: Any) -> None:
    crawler, middleware = built
    listing = listing_request(FEED, "feed")
    response = response_to(listing)
    middleware.process_spider_input(response)
    outputs = [
        article_request("https://site.example/known", FEED, datetime(2023, 9, 15, 8, 0, tzinfo=UTC)),
        article_request("https://site.example/new", FEED, datetime(2023, 9, 15, 8, 0, tzinfo=UTC)),
    ]
    passed = list(middleware.process_spider_output(response, outputs))
    assert [getattr(o, "url", None) for o in passed[:-1]] == ["https://site.example/new"]
    assert isinstance(passed[-1], ListingRead) and passed[-1].had_news
    changed = article_request("https://site.example/known", FEED, datetime(2023, 9, 16, 8, 0, tzinfo=UTC))
    assert list(middleware.process_spider_output(response_to(listing), [changed])) == [changed]
    assert crawler.stats.get_value("ingest/incremental/articles_skipped_known") == 1
    assert crawler.stats.get_value("ingest/incremental/articles_fetched_new") == 1
    assert crawler.stats.get_value("ingest/incremental/articles_fetched_entry_changed") == 1


def test_a_known_article_in_another_listing_is_remembered_not_fetched(built: Any) -> None:
    _, middleware = built
    response = response_to(listing_request(SITEMAP, "sitemap"))
    later = datetime(2023, 9, 15, 18, 0, tzinfo=UTC)
    outputs = list(
        middleware.process_spider_output(response, [article_request("https://site.example/known", SITEMAP, later)])
    )
    assert outputs == [EntrySeen(url_key("https://site.example/known"), SITEMAP, later.isoformat())]


def test_switched_off_by_setting(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, INGEST_INCREMENTAL=False)
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(crawler)
