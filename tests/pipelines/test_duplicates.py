from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler.archive import open_db
from crawler.archive.stories import story_links
from crawler.items import Article, Block
from crawler.urls import article_id
from pipelines.duplicates import DuplicateArticle, DuplicatesPipeline
from tests.dedup.samples import WIRE, WIRE_TITLE, scraper_copy, series


def article(url: str, title: str, blocks: list[str], published: str | None, source: str) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        source=source,
        title=title,
        blocks=[Block(text) for text in blocks],
        published_at=published,
    )


def original() -> Article:
    return article("https://wire.example/port-strike", WIRE_TITLE, WIRE, "2023-09-15T08:00:00+00:00", "wire")


def copy() -> Article:
    title, blocks = scraper_copy()
    return article("https://scraper.example/strike-over", title, blocks, "2023-09-15T20:00:00+00:00", "scraper")


def stats() -> StatsCollector:
    return get_crawler().stats  # type: ignore[return-value]


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "news.db")


def pipeline(db_path: str, **kwargs: object) -> DuplicatesPipeline:
    instance = DuplicatesPipeline(db_path, **kwargs)  # type: ignore[arg-type]
    instance.open_spider()
    return instance


def test_original_and_scraper_copy_share_a_story(db_path: str) -> None:
    collector = stats()
    dedup = pipeline(db_path, stats=collector)
    first, second = dedup.process_item(original()), dedup.process_item(copy())
    original_id = article_id("https://wire.example/port-strike")
    assert (first.story_id, first.duplicate_of) == (original_id, None)
    assert (second.story_id, second.duplicate_of) == (original_id, original_id)
    assert collector.get_value("ingest/duplicates/new_story") == 1
    assert collector.get_value("ingest/duplicates/near") == 1
    dedup.close_spider()


def test_copy_seen_first_is_relinked_when_the_original_arrives(db_path: str) -> None:
    dedup = pipeline(db_path)
    early_copy = dedup.process_item(copy())
    late_original = dedup.process_item(original())
    original_id = article_id("https://wire.example/port-strike")
    assert late_original.story_id == early_copy.story_id
    assert late_original.duplicate_of is None
    # The item that went by first is stale; storage writes what the index says now.
    db = open_db(db_path)
    assert story_links(db, article_id(copy().canonical_url)) == (early_copy.story_id, original_id)
    db.close()
    dedup.close_spider()


def test_exact_copies_are_counted_as_exact(db_path: str) -> None:
    collector = stats()
    dedup = pipeline(db_path, stats=collector)
    dedup.process_item(original())
    mirror = original()
    mirror.url = mirror.canonical_url = "https://mirror.example/port-strike"
    mirror.source = "mirror"
    assert dedup.process_item(mirror).duplicate_of == article_id("https://wire.example/port-strike")
    assert collector.get_value("ingest/duplicates/exact") == 1
    dedup.close_spider()


def test_templated_stories_get_their_own_story(db_path: str) -> None:
    dedup = pipeline(db_path)
    title_a, blocks_a = series("markets", a=15, b=432)
    title_b, blocks_b = series("markets", a=15, b=518)
    a = dedup.process_item(article("https://m.example/1", title_a, blocks_a, "2023-09-15T16:00:00Z", "m"))
    b = dedup.process_item(article("https://m.example/2", title_b, blocks_b, "2023-09-18T16:00:00Z", "m"))
    assert a.story_id != b.story_id
    assert b.duplicate_of is None
    dedup.close_spider()


def test_a_url_variant_is_the_same_article(db_path: str) -> None:
    collector = stats()
    dedup = pipeline(db_path, stats=collector)
    dedup.process_item(original())
    variant = original()
    variant.url = variant.canonical_url = "https://wire.example/port-strike?utm_source=rss#top"
    again = dedup.process_item(variant)
    assert (again.story_id, again.duplicate_of) == (article_id("https://wire.example/port-strike"), None)
    assert collector.get_value("ingest/duplicates/known") == 1
    dedup.close_spider()


def test_the_drop_policy_drops_later_copies_and_counts_them(db_path: str) -> None:
    collector = stats()
    dedup = pipeline(db_path, policy="drop", stats=collector)
    assert dedup.process_item(original()).duplicate_of is None
    with pytest.raises(DuplicateArticle, match="a copy of"):
        dedup.process_item(copy())
    assert collector.get_value("ingest/duplicates/dropped") == 1
    # The earliest member itself is kept on a re-crawl.
    assert dedup.process_item(original()).duplicate_of is None
    dedup.close_spider()


def test_clusters_persist_across_runs(db_path: str) -> None:
    first_run = pipeline(db_path)
    first_run.process_item(original())
    first_run.close_spider()
    second_run = pipeline(db_path)
    assert second_run.process_item(copy()).duplicate_of == article_id("https://wire.example/port-strike")
    second_run.close_spider()


def test_other_items_pass_through(db_path: str) -> None:
    dedup = pipeline(db_path)
    other = {"not": "an article"}
    assert dedup.process_item(other) is other
    dedup.close_spider()


def test_from_crawler_reads_the_settings(db_path: str) -> None:
    crawler = get_crawler(
        settings_dict={
            "INGEST_DB_PATH": db_path,
            "INGEST_DUPLICATES_POLICY": "drop",
            "INGEST_NEAR_DUPLICATE_THRESHOLD": 0.7,
            "INGEST_DUPLICATES_MAX_DAYS_APART": 3,
            "INGEST_TRACKING_PARAMS": ["ref"],
        }
    )
    dedup = DuplicatesPipeline.from_crawler(crawler)
    assert (dedup.db_path, dedup.policy, dedup.threshold) == (db_path, "drop", 0.7)
    assert dedup.guard.max_days_apart == 3
    assert dedup.tracking_params == ("ref",)


def test_disabled_by_setting() -> None:
    with pytest.raises(NotConfigured):
        DuplicatesPipeline.from_crawler(get_crawler(settings_dict={"INGEST_DUPLICATES_ENABLED": False}))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"policy": "merge"}, "INGEST_DUPLICATES_POLICY: 'merge' is not one of link, drop"),
        ({"threshold": 1.5}, "INGEST_NEAR_DUPLICATE_THRESHOLD: 1.5 is not between 0 and 1"),
        ({"threshold": 0.0}, "INGEST_NEAR_DUPLICATE_THRESHOLD: 0.0 is not between 0 and 1"),
        ({"max_days_apart": -1.0}, "INGEST_DUPLICATES_MAX_DAYS_APART: -1.0 is negative"),
    ],
)
def test_bad_settings_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        DuplicatesPipeline("news.db", **kwargs)  # type: ignore[arg-type]
