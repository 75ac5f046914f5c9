"""The archive pipeline in process, built by Scrapy's get_crawler: batches, drops, outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.context import CrawlContext
from crawler.incremental.outcomes import ListingIncomplete, ListingRead, UrlSettled
from crawler.incremental.state import ListingState
from crawler.items import Article, Block
from crawler.spiders.news import NewsSpider
from crawler.urls import url_key
from pipelines.archive import ArchivePipeline, DuplicateArticle, OutcomeRecorded
from tests.conftest import db_rows
from tests.dedup.samples import WIRE, WIRE_TITLE

PROMO = "Sign up for the Morning Briefing newsletter."
SEEDS = """
[[source]]
name = "site"
feeds = ["https://site.example/feed.xml"]

[[source]]
name = "mirror"
feeds = ["https://mirror.example/feed.xml"]
"""


def crawler_for(tmp_path: Path, **settings: Any) -> Any:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(SEEDS, encoding="utf-8")
    project = {k: v for k, v in get_project_settings().items() if k.startswith("INGEST_")}  # crawler/settings.py
    crawler = get_crawler(
        NewsSpider, {**project, "INGEST_DB_PATH": str(tmp_path / "news.db"), "INGEST_SEEDS": str(seeds), **settings}
    )
    crawler.spider = crawler._create_spider()
    return crawler


def pipeline_for(tmp_path: Path, **settings: Any) -> tuple[ArchivePipeline, Any]:
    crawler = crawler_for(tmp_path, **settings)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.flush_seconds = None  # no reactor here: batches are flushed by the test
    pipeline.open_spider()
    return pipeline, crawler


def article(number: int, blocks: list[str], source: str = "site") -> Article:
    url = f"https://{source}.example/story-{number}"
    return Article(url=url, canonical_url=url, source=source, title=f"Story {number}", blocks=[Block(t) for t in blocks])


def own_text(number: int) -> list[str]:
    return [f"Paragraph {number} that only this article has, with its own words about story number {number}, " * 3]


def test_one_batch_of_twelve_articles_keeps_no_learned_promo(tmp_path: Path) -> None:
    """Case 1 through the pipeline at the default batch size of 25: the promo is learned at the
    6th article, and none of the 12 stored articles keeps it."""
    pipeline, crawler = pipeline_for(tmp_path)
    assert pipeline.batch_size == 25
    waiting = [pipeline.submit(article(n, [*own_text(n), PROMO])) for n in range(12)]
    pipeline.close_spider()
    assert all(w.called for w in waiting)
    rows = db_rows(tmp_path / "news.db", "SELECT body FROM articles")
    assert len(rows) == 12
    assert sum(PROMO in row["body"] for row in rows) == 0
    CrawlContext.of(crawler).close()


def test_results_become_stats_and_named_drops(tmp_path: Path) -> None:
    pipeline, crawler = pipeline_for(tmp_path, INGEST_DUPLICATES_POLICY="drop")
    first = Article("https://site.example/a", "https://site.example/a", "site", WIRE_TITLE, [Block(t) for t in WIRE],
                    published_at="2023-09-15T08:00:00+00:00", authors=["A. Writer"])
    mirror = Article("https://mirror.example/a", "https://mirror.example/a", "mirror", WIRE_TITLE,
                     [Block(t) for t in WIRE], published_at="2023-09-15T09:00:00+00:00")
    results: list[Any] = []
    for item in (first, mirror):
        pipeline.submit(item).addCallback(results.append)
    pipeline.flush()
    assert pipeline.outcome(first, results[0]) is first
    with pytest.raises(DuplicateArticle, match="a copy of"):
        pipeline.outcome(mirror, results[1])
    stats = crawler.stats.get_stats()
    assert stats["ingest/storage/new"] == 1
    assert stats["ingest/source/site/new"] == 1
    assert stats["ingest/duplicates/exact"] == 1
    assert stats["ingest/duplicates/dropped"] == 1
    CrawlContext.of(crawler).close()


def record(pipeline: ArchivePipeline, outcome: object) -> None:
    coroutine = pipeline.process_item(outcome)
    with pytest.raises(OutcomeRecorded):
        coroutine.send(None)


def test_outcomes_are_recorded_and_not_passed_on(tmp_path: Path) -> None:
    pipeline, crawler = pipeline_for(tmp_path)
    feed = "https://site.example/feed.xml"
    record(pipeline, UrlSettled("https://site.example/gone", "site", "2023-09-15T08:00:00+00:00", feed))
    record(pipeline, ListingRead(ListingState(feed, "site", "feed", etag='"v1"', status=200)))
    pipeline.spider_closed("finished")
    gone = db_rows(tmp_path / "news.db", "SELECT * FROM url_state")
    assert [(row["url_key"], row["article_id"], row["entry_dates"]) for row in gone] == [
        (url_key("https://site.example/gone"), None, '{"https://site.example/feed.xml": "2023-09-15T08:00:00+00:00"}')
    ]
    assert [row["etag"] for row in db_rows(tmp_path / "news.db", "SELECT etag FROM listing_state")] == ['"v1"']
    CrawlContext.of(crawler).close()


@pytest.mark.parametrize(
    ("outcomes", "reason"),
    [
        ([UrlSettled("https://site.example/slow", "site", None, "https://site.example/feed.xml", True)], "finished"),
        ([ListingIncomplete("https://site.example/feed.xml")], "finished"),
        ([], "shutdown"),
    ],
)
def test_a_listing_is_not_committed_unless_the_run_finished_with_all_its_articles_settled(
    tmp_path: Path, outcomes: list[object], reason: str
) -> None:
    pipeline, crawler = pipeline_for(tmp_path)
    feed = "https://site.example/feed.xml"
    record(pipeline, ListingRead(ListingState(feed, "site", "feed", etag='"v1"', status=200)))
    for outcome in outcomes:
        record(pipeline, outcome)
    pipeline.spider_closed(reason)
    assert db_rows(tmp_path / "news.db", "SELECT etag FROM listing_state") == []
    CrawlContext.of(crawler).close()


def test_a_dropped_article_settles_its_url(tmp_path: Path) -> None:
    pipeline, crawler = pipeline_for(tmp_path)
    dropped = article(1, ["too short"])
    pipeline.item_dropped(dropped, DropItem("too short"))
    pipeline.close_spider()
    assert [row["article_id"] for row in db_rows(tmp_path / "news.db", "SELECT article_id FROM url_state")] == [None]
    CrawlContext.of(crawler).close()


def test_bad_duplicates_settings_fail_when_the_crawler_is_built(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="INGEST_DUPLICATES_POLICY: 'merge' is not one of link, drop"):
        pipeline_for(tmp_path, INGEST_DUPLICATES_POLICY="merge")


def test_learning_and_linking_can_be_switched_off(tmp_path: Path) -> None:
    pipeline, crawler = pipeline_for(tmp_path, INGEST_BOILERPLATE_ENABLED=False, INGEST_DUPLICATES_ENABLED=False)
    assert pipeline.archive.linker is None
    assert pipeline.archive.config.boilerplate is None
    CrawlContext.of(crawler).close()
