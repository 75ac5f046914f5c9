"""The `news` spider in process, built by get_crawler: what start() yields."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.context import CrawlContext
from crawler.items import Article, Block
from crawler.spiders.news import NewsSpider

SEEDS = """\
[[source]]
name = "site"
feeds = ["https://site.example/feed.xml"]
sitemaps = ["https://site.example/sitemap.xml"]
"""


def spider_for(tmp_path: Path, **settings: Any) -> NewsSpider:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(SEEDS, encoding="utf-8")
    project = {k: v for k, v in get_project_settings().items() if k.startswith("INGEST_")}
    crawler = get_crawler(
        NewsSpider, {**project, "INGEST_DB_PATH": str(tmp_path / "news.db"), "INGEST_SEEDS": str(seeds), **settings}
    )
    spider = crawler._create_spider()
    crawler.spider = spider
    return spider  # type: ignore[return-value]


def started(spider: NewsSpider) -> list[Any]:
    async def collect() -> list[Any]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def store_young_article(spider: NewsSpider, *, fetched_hours_ago: float) -> None:
    now = datetime.now(UTC)
    archive = spider.context.archive()
    archive.save_sources(spider.sources.values())
    archive.write(
        [
            Article(
                url="https://site.example/young",
                canonical_url="https://site.example/young",
                source="site",
                title="A young story",
                blocks=[Block("Something happened today, and it is still developing.")],
                published_at=(now - timedelta(hours=2)).isoformat(),
                fetched_at=(now - timedelta(hours=fetched_hours_ago)).isoformat(),
            )
        ]
    )


def test_start_yields_listings_first_then_young_articles_due_for_a_check(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    store_young_article(spider, fetched_hours_ago=10)
    requests = started(spider)
    assert [(r.url, r.meta["ingest_kind"], r.priority) for r in requests] == [
        ("https://site.example/feed.xml", "feed", 10),
        ("https://site.example/sitemap.xml", "sitemap", 10),
        ("https://site.example/young", "article", 0),
    ]
    refresh = requests[2]
    assert refresh.meta["ingest_refresh"] is True
    assert refresh.meta["ingest_hints"].source == "site"
    CrawlContext.of(spider.crawler).close()


def test_a_recently_fetched_article_is_not_refreshed(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    store_young_article(spider, fetched_hours_ago=1)
    assert [r.meta["ingest_kind"] for r in started(spider)] == ["feed", "sitemap"]
    CrawlContext.of(spider.crawler).close()


def test_no_refresh_when_incremental_crawling_is_off(tmp_path: Path) -> None:
    spider = spider_for(tmp_path, INGEST_INCREMENTAL=False)
    store_young_article(spider, fetched_hours_ago=10)
    assert [r.meta["ingest_kind"] for r in started(spider)] == ["feed", "sitemap"]
    CrawlContext.of(spider.crawler).close()
