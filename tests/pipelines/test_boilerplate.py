from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler.archive import open_db
from crawler.archive.boilerplate import boilerplate_texts
from crawler.dedup.blocks import BoilerplateRule
from crawler.items import Article, Block
from pipelines.boilerplate import BoilerplatePipeline

PROMO = "Sign up for the Morning Briefing newsletter."
WIRE_PARAGRAPH = (
    "The conflict began in February 2022, when Russian forces crossed the border from three directions. "
    "Since then the front line has barely moved in the east, while long-range strikes on cities and "
    "infrastructure have continued on both sides, and millions of people have been displaced from their "
    "homes, according to figures from the United Nations refugee agency."
)


def article(number: int, blocks: list[str], source: str = "site") -> Article:
    url = f"https://{source}.example/story-{number}"
    return Article(
        url=url, canonical_url=url, source=source, title=f"Story {number}", blocks=[Block(t) for t in blocks]
    )


def own_text(number: int) -> list[str]:
    return [f"Paragraph {number} that only this article has, with its own words about story number {number}."]


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = str(tmp_path / "news.db")
    db = open_db(path)
    db.table("sources").insert_all([{"name": "site"}, {"name": "other"}])
    db.close()
    return path


def make(db_path: str, **rule: object) -> tuple[BoilerplatePipeline, StatsCollector]:
    collector: StatsCollector = get_crawler().stats  # type: ignore[assignment]
    pipeline = BoilerplatePipeline(db_path, rule=BoilerplateRule(**rule), stats=collector)  # type: ignore[arg-type]
    pipeline.open_spider()
    return pipeline, collector


def texts(item: Article) -> list[str]:
    return [block.text for block in item.blocks]


def test_a_block_in_more_than_n_articles_is_learned_and_removed(db_path: str) -> None:
    pipeline, collector = make(db_path, min_articles=5)
    for number in range(5):
        assert PROMO in texts(pipeline.process_item(article(number, [*own_text(number), PROMO])))
    sixth = pipeline.process_item(article(5, [*own_text(5), PROMO]))
    assert texts(sixth) == own_text(5)
    seventh = pipeline.process_item(article(6, [*own_text(6), "sign up for the morning briefing newsletter"]))
    assert texts(seventh) == own_text(6)
    assert collector.get_value("ingest/boilerplate/learned") == 1
    assert collector.get_value("ingest/boilerplate/removed") == 2
    pipeline.close_spider()


def test_recrawls_of_one_article_count_once(db_path: str) -> None:
    pipeline, _ = make(db_path, min_articles=5)
    for _ in range(10):
        assert PROMO in texts(pipeline.process_item(article(1, [*own_text(1), PROMO])))
    pipeline.close_spider()


def test_boilerplate_is_per_source(db_path: str) -> None:
    pipeline, _ = make(db_path, min_articles=2)
    for number in range(3):
        pipeline.process_item(article(number, [*own_text(number), PROMO]))
    assert PROMO in texts(pipeline.process_item(article(9, [*own_text(9), PROMO], source="other")))
    pipeline.close_spider()


def test_a_long_wire_paragraph_quoted_by_many_articles_is_kept(db_path: str) -> None:
    assert len(WIRE_PARAGRAPH) > 300
    pipeline, collector = make(db_path, min_articles=5)
    for number in range(12):
        assert WIRE_PARAGRAPH in texts(pipeline.process_item(article(number, [*own_text(number), WIRE_PARAGRAPH])))
    assert collector.get_value("ingest/boilerplate/learned") is None
    pipeline.close_spider()


def test_a_short_sentence_recurring_in_few_of_many_articles_is_kept(db_path: str) -> None:
    sentence = "The Kremlin declined to comment."
    pipeline, collector = make(db_path, min_articles=5, min_share=0.1)
    for number in range(120):
        blocks = own_text(number) + ([sentence] if number % 15 == 0 else [])
        pipeline.process_item(article(number, blocks))
    assert collector.get_value("ingest/boilerplate/learned") is None
    pipeline.close_spider()


def test_learning_cleans_articles_already_stored(db_path: str) -> None:
    db = open_db(db_path)
    for number in range(3):
        blocks = [*own_text(number), PROMO]
        db.table("articles").insert(
            {
                "id": f"stored-{number}",
                "source": "site",
                "body": "\n\n".join(blocks),
                "blocks": json.dumps([{"text": t, "kind": "p"} for t in blocks]),
            }
        )
    db.close()
    pipeline, collector = make(db_path, min_articles=2)
    for number in range(3):
        pipeline.process_item(article(number, [*own_text(number), PROMO]))
    assert collector.get_value("ingest/boilerplate/cleaned_stored") == 3
    db = open_db(db_path)
    assert [row["body"] for row in db.table("articles").rows] == [own_text(n)[0] for n in range(3)]
    assert boilerplate_texts(db, "site") == [PROMO]
    db.close()
    pipeline.close_spider()


def test_learned_boilerplate_persists_across_runs(db_path: str) -> None:
    first, _ = make(db_path, min_articles=2)
    for number in range(3):
        first.process_item(article(number, [*own_text(number), PROMO]))
    first.close_spider()
    second, _ = make(db_path, min_articles=2)
    assert texts(second.process_item(article(50, [*own_text(50), PROMO]))) == own_text(50)
    second.close_spider()


def test_articles_without_a_source_and_other_items_pass_through(db_path: str) -> None:
    pipeline, _ = make(db_path)
    other = {"not": "an article"}
    assert pipeline.process_item(other) is other
    orphan = article(1, [PROMO], source="")
    assert pipeline.process_item(orphan) is orphan
    pipeline.close_spider()


def test_from_crawler_reads_the_settings(db_path: str) -> None:
    crawler = get_crawler(
        settings_dict={
            "INGEST_DB_PATH": db_path,
            "INGEST_BOILERPLATE_MIN_ARTICLES": 8,
            "INGEST_BOILERPLATE_MAX_CHARS": 200,
            "INGEST_BOILERPLATE_MIN_SHARE": 0.25,
        }
    )
    pipeline = BoilerplatePipeline.from_crawler(crawler)
    assert pipeline.rule == BoilerplateRule(min_articles=8, max_chars=200, min_share=0.25)
    with pytest.raises(NotConfigured):
        BoilerplatePipeline.from_crawler(get_crawler(settings_dict={"INGEST_BOILERPLATE_ENABLED": False}))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (BoilerplateRule(min_articles=0), "INGEST_BOILERPLATE_MIN_ARTICLES: 0 is less than 1"),
        (BoilerplateRule(min_share=1.5), "INGEST_BOILERPLATE_MIN_SHARE: 1.5 is not between 0 and 1"),
    ],
)
def test_bad_settings_are_named(rule: BoilerplateRule, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        BoilerplatePipeline("news.db", rule=rule)
