"""The end-of-crawl table per source, built from a crawler and driven by its signals."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.context import CrawlContext
from crawler.extensions.summary import SourceSummaryExtension, exit_status, unreached_sources
from crawler.items import Article

# Hand-written: "source" and each column right-aligned in 11 characters.
TABLE = """\
source              new     updated   unchanged     dropped not fetched     blocked      errors
dailyplanet           3           1           0           0           0           0           3
tagesblatt            0           0           5           2           4           0           0"""


def summary_crawler(tmp_path: Path, *names: str) -> tuple[Crawler, SourceSummaryExtension]:
    # No built-in extensions: they too listen to spider_closed, and would log of their own.
    crawler = get_crawler(settings_dict={"EXTENSIONS_BASE": {}})
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        "".join(f'[[source]]\nname = "{name}"\nfeeds = ["https://{name}.example/feed.xml"]\n' for name in names)
        or "",
        encoding="utf-8",
    )
    CrawlContext.build(crawler, {"seeds": str(seeds)} if names else {"seeds": str(tmp_path)})
    return crawler, SourceSummaryExtension.from_crawler(crawler)


def article(source: str) -> Article:
    url = f"https://{source}.example/a.html"
    return Article(url=url, canonical_url=url, source=source)


def test_spider_closed_logs_one_row_per_source(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    crawler, _ = summary_crawler(tmp_path, "dailyplanet", "tagesblatt")
    assert crawler.stats is not None
    crawler.stats.set_stats(
        {
            "ingest/source/dailyplanet/new": 3,
            "ingest/source/dailyplanet/updated": 1,
            "ingest/source/dailyplanet/feed_errors": 2,
            "ingest/source/dailyplanet/article_unextractable": 1,
            "ingest/source/dailyplanet/requested": 40,  # not a column, not an error
            "ingest/source/tagesblatt/unchanged": 5,
            "ingest/source/tagesblatt/listings_unchanged": 1,  # reached: its feed answered "unchanged"
            "ingest/source/tagesblatt/article_not_fetched": 3,
            "ingest/source/tagesblatt/article_redirect_repeated": 1,
            "ingest/source/wire/new": 9,  # not a source of this crawl
        }
    )
    for source in ("tagesblatt", "tagesblatt", ""):
        crawler.signals.send_catch_log(signal=signals.item_dropped, item=article(source), response=None, exception=None)
    with caplog.at_level(logging.INFO, logger="crawler.extensions.summary"):
        crawler.signals.send_catch_log(signal=signals.spider_closed, spider=crawler.spider, reason="finished")
    assert crawler.stats.get_value("ingest/source/tagesblatt/dropped") == 2
    assert [r.getMessage() for r in caplog.records] == [
        f"Crawl finished (finished). Per source:\n{TABLE}",
        "1 source(s) failed all their listings (dailyplanet): exit status 3",
    ]
    assert crawler.stats.get_value("ingest/summary/sources_reached") == 1
    assert crawler.stats.get_value("ingest/summary/sources_unreached") == 1


def test_nothing_logged_without_sources(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    crawler, _ = summary_crawler(tmp_path)
    with caplog.at_level(logging.INFO, logger="crawler.extensions.summary"):
        crawler.signals.send_catch_log(signal=signals.spider_closed, spider=crawler.spider, reason="shutdown")
    assert caplog.records == []


@pytest.mark.parametrize(
    ("stats", "status"),
    [
        ({}, 0),
        ({"ingest/summary/sources_reached": 3}, 0),
        ({"ingest/summary/sources_reached": 2, "ingest/summary/sources_unreached": 1}, 3),
        ({"ingest/summary/sources_reached": 0, "ingest/summary/sources_unreached": 4}, 4),
    ],
)
def test_exit_status(stats: dict[str, int], status: int) -> None:
    assert exit_status(stats) == status


def test_a_source_that_asked_for_nothing_is_neither_reached_nor_unreached() -> None:
    stats = {
        "ingest/source/a/feeds_fetched": 1,
        "ingest/source/a/feed_errors": 1,
        "ingest/source/b/sitemap_blocked": 2,
        "ingest/source/c/new": 0,
    }
    assert unreached_sources(stats, ["a", "b", "c"]) == (["a"], ["b"])
