"""The progress line, built from a crawler: what it logs from the crawl's stats, and when."""

from __future__ import annotations

import asyncio
import logging

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import ProgressExtension

STATS = {
    "response_received_count": 120,
    "ingest/spider/articles_extracted": 30,
    "ingest/storage/new": 5,
    "ingest/storage/updated": 2,
    "item_dropped_reasons_count/DuplicateArticle": 3,
    "item_dropped_reasons_count/MissingBody": 1,
    "ingest/spider/feed_errors": 2,
    "ingest/spider/article_unextractable": 1,
    "ingest/spider/article_not_html": 4,
    "ingest/spider/articles_requested": 99,  # not an error
}


def progress_crawler(interval: float) -> tuple[Crawler, ProgressExtension]:
    # No built-in extensions: LogStats and CoreStats listen to the same signals.
    crawler = get_crawler(settings_dict={"INGEST_PROGRESS_INTERVAL": interval, "EXTENSIONS_BASE": {}})
    assert crawler.stats is not None
    crawler.stats.set_stats(dict(STATS))
    return crawler, ProgressExtension.from_crawler(crawler)


def progress_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "crawler.extensions.progress"]


def test_progress_line_counts_rates_stored_dropped_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    crawler, extension = progress_crawler(30.0)
    with caplog.at_level(logging.INFO, logger="crawler.extensions.progress"):
        extension.log_progress()
        assert crawler.stats is not None
        crawler.stats.inc_value("response_received_count", 10)
        crawler.stats.inc_value("ingest/spider/articles_extracted", 1)
        extension.log_progress()
    assert progress_lines(caplog) == [
        "Progress: 120 pages (240/min), 30 articles extracted (60/min), 7 stored, 4 dropped, 7 errors",
        "Progress: 130 pages (20/min), 31 articles extracted (2/min), 7 stored, 4 dropped, 7 errors",
    ]


@pytest.mark.parametrize("interval", [0, -1])
def test_off_when_the_interval_is_not_positive(interval: float) -> None:
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(settings_dict={"INGEST_PROGRESS_INTERVAL": interval}))


def test_logs_every_interval_between_spider_opened_and_spider_closed(caplog: pytest.LogCaptureFixture) -> None:
    crawler, extension = progress_crawler(0.05)

    async def crawl() -> None:
        crawler.signals.send_catch_log(signal=signals.spider_opened, spider=None)
        assert progress_lines(caplog) == []  # the first line waits one interval
        await asyncio.sleep(0.3)
        crawler.signals.send_catch_log(signal=signals.spider_closed, spider=None, reason="finished")
        logged = len(progress_lines(caplog))
        await asyncio.sleep(0.15)
        assert len(progress_lines(caplog)) == logged  # nothing after the spider closed

    with caplog.at_level(logging.INFO, logger="crawler.extensions.progress"):
        asyncio.run(crawl())
    lines = progress_lines(caplog)
    assert lines
    assert lines[0].startswith("Progress: 120 pages (144000/min), 30 articles extracted (36000/min), 7 stored,")
    assert extension.task is not None and not extension.task.running
