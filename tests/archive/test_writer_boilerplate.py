"""The archive writer's per-source boilerplate: learned in the batch's transaction, removed from the
article, from the stored articles and from the articles written earlier in the same batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.archive import open_db
from crawler.archive.boilerplate import boilerplate_texts
from crawler.archive.writer import Archive, ArchiveConfig, WriteResult
from crawler.dedup.blocks import BoilerplateRule
from crawler.items import Article, Block

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


class Writer:
    """The archive with only boilerplate learning on, and the sum of what it reported."""

    def __init__(self, db_path: str, **rule: object) -> None:
        config = ArchiveConfig(boilerplate=BoilerplateRule(**rule), duplicates=None)  # type: ignore[arg-type]
        self.archive = Archive(open_db(db_path), config)
        self.learned = self.removed = self.cleaned = 0

    def put(self, *items: Article) -> list[Article]:
        for result in self.archive.write(list(items)):
            self.count(result)
        return list(items)

    def process_item(self, item: Article) -> Article:
        return self.put(item)[0]

    def count(self, result: WriteResult) -> None:
        self.learned += result.boilerplate_learned
        self.removed += result.boilerplate_removed
        self.cleaned += result.stored_cleaned

    def close_spider(self) -> None:
        self.archive.close()


def make(db_path: str, **rule: object) -> tuple[Writer, Writer]:
    writer = Writer(db_path, **rule)
    return writer, writer


def texts(item: Article) -> list[str]:
    return [block.text for block in item.blocks]


def stored_bodies(db_path: str) -> dict[str, str]:
    db = open_db(db_path)
    try:
        return {row["url"]: row["body"] for row in db.query("SELECT url, body FROM articles")}
    finally:
        db.close()


def test_a_promo_learned_mid_batch_leaves_no_stored_article_with_it(db_path: str) -> None:
    """Case 1: twelve articles sharing a promo in one batch; learned at the 6th, and then gone from
    all twelve stored articles, the five written before it in the same transaction included."""
    writer = Writer(db_path, min_articles=5)
    writer.put(*(article(number, [*own_text(number), PROMO]) for number in range(12)))
    bodies = stored_bodies(db_path)
    assert len(bodies) == 12
    assert [url for url, body in bodies.items() if PROMO in body] == []
    assert writer.learned == 1
    assert writer.cleaned == 5
    writer.close_spider()


def test_a_block_in_more_than_n_articles_is_learned_and_removed(db_path: str) -> None:
    pipeline, collector = make(db_path, min_articles=5)
    for number in range(5):
        assert PROMO in texts(pipeline.process_item(article(number, [*own_text(number), PROMO])))
    sixth = pipeline.process_item(article(5, [*own_text(5), PROMO]))
    assert texts(sixth) == own_text(5)
    seventh = pipeline.process_item(article(6, [*own_text(6), "sign up for the morning briefing newsletter"]))
    assert texts(seventh) == own_text(6)
    assert collector.learned == 1
    assert collector.removed == 2
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
    assert collector.learned == 0
    pipeline.close_spider()


def test_a_short_sentence_recurring_in_few_of_many_articles_is_kept(db_path: str) -> None:
    sentence = "The Kremlin declined to comment."
    pipeline, collector = make(db_path, min_articles=5, min_share=0.1)
    for number in range(120):
        blocks = own_text(number) + ([sentence] if number % 15 == 0 else [])
        pipeline.process_item(article(number, blocks))
    assert collector.learned == 0
    pipeline.close_spider()


def test_learning_cleans_articles_already_stored(db_path: str) -> None:
    db = open_db(db_path)
    for number in range(3):
        blocks = [*own_text(number), PROMO]
        db.table("articles").insert(
            {
                "id": f"stored-{number}",
                "source": "site",
                "url": f"https://site.example/stored-{number}",
                "body": "\n\n".join(blocks),
                "blocks": json.dumps([{"text": t, "kind": "p"} for t in blocks]),
            }
        )
    db.close()
    pipeline, collector = make(db_path, min_articles=2)
    for number in range(3):
        pipeline.process_item(article(number, [*own_text(number), PROMO]))
    # The three stored before, and the two this writer stored before the promo was learned.
    assert collector.cleaned == 5
    db = open_db(db_path)
    stored = {row["id"]: row["body"] for row in db.table("articles").rows}
    assert [stored[f"stored-{n}"] for n in range(3)] == [own_text(n)[0] for n in range(3)]
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


def test_articles_without_a_source_are_stored_as_they_are(db_path: str) -> None:
    writer = Writer(db_path, min_articles=1)
    orphans = [article(n, [PROMO, *own_text(n)], source="") for n in range(4)]
    writer.put(*orphans)
    assert all(PROMO in texts(orphan) for orphan in orphans)
    writer.close_spider()


def test_re_extraction_removes_learned_blocks_without_counting_again(db_path: str) -> None:
    writer = Writer(db_path, min_articles=2)
    writer.put(*(article(n, [*own_text(n), PROMO, "Follow us on social media today."]) for n in range(3)))
    learned = writer.learned
    again = article(1, [*own_text(1), PROMO, "Follow us on social media today."])
    results = writer.archive.write([again], learn=False)
    assert texts(again) == own_text(1)
    assert results[0].boilerplate_learned == 0
    assert learned == 2
    writer.close_spider()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (BoilerplateRule(min_articles=0), "INGEST_BOILERPLATE_MIN_ARTICLES: 0 is less than 1"),
        (BoilerplateRule(min_share=1.5), "INGEST_BOILERPLATE_MIN_SHARE: 1.5 is not between 0 and 1"),
    ],
)
def test_bad_settings_are_named(rule: BoilerplateRule, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        ArchiveConfig(boilerplate=rule)
