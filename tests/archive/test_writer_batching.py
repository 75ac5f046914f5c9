"""A batch stores exactly what its articles written one call each store.

The writer holds a batch's article rows and writes them in one statement (PendingArticles): whatever
reads or updates stored articles in between — a copy written before its original (point_to_original),
boilerplate learned from articles of the same batch (cleaning them), the same article twice — must see
them, and row ids, revision numbers and the full-text index must come out the same.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.archive import open_db
from crawler.archive.writer import Archive, ArchiveConfig
from crawler.dedup.blocks import BoilerplateRule
from crawler.items import Article, Block, Caption
from tests.dedup.samples import WIRE, WIRE_TITLE, scraper_copy, series

NOW = datetime(2023, 9, 16, tzinfo=UTC)
JUNK = ["source site-28", "Leave a Reply"]


def article(url: str, title: str, blocks: list[str], published: str, source: str) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        source=source,
        title=title,
        blocks=[Block(text) for text in blocks],
        captions=[Caption(f"Photo for {title}", "Agency")],
        published_at=published,
        raw_html=f"<html><p>{title}</p></html>".encode(),
    )


def articles() -> list[Article]:
    copy_title, copy_blocks = scraper_copy()
    football_title, football = series("football", home=2, away=1)
    lottery_title, lottery = series("lottery", numbers="4 12 19 33 41 48")
    corrected = article(
        "https://wire.example/port-strike", WIRE_TITLE, [*WIRE, "Corrected on Saturday."], "2023-09-15T08:00:00+00:00", "wire"
    )
    return [
        article("https://scraper.example/strike-over", copy_title, copy_blocks, "2023-09-15T20:00:00+00:00", "scraper"),
        # The scraper's furniture recurs: learned here, and cleaned from its article held above.
        article(
            "https://scraper.example/football", football_title, [JUNK[0], *football, JUNK[1]], "2023-09-15T21:00:00+00:00", "scraper"
        ),
        # Copies first: the original, written after them, becomes every copy's duplicate_of.
        article("https://mirror.example/strike", WIRE_TITLE, WIRE[1:], "2023-09-15T12:00:00+00:00", "mirror"),
        article("https://wire.example/port-strike", WIRE_TITLE, WIRE, "2023-09-15T08:00:00+00:00", "wire"),
        article(
            "https://scraper.example/lottery", lottery_title, [JUNK[0], *lottery, JUNK[1]], "2023-09-15T22:00:00+00:00", "scraper"
        ),
        corrected,  # the original again in the same batch, changed: a second revision
    ]


def twice() -> list[Article]:
    """An article and its correction in one batch, nothing between them writing the first out."""
    blocks = ["The council approved the new library budget on Monday after a long debate about opening hours."]
    first = article("https://wire.example/library", "Library budget approved", blocks, "2023-09-16T08:00:00+00:00", "wire")
    second = article(
        "https://wire.example/library", "Library budget approved", [*blocks, "Corrected."], "2023-09-16T08:00:00+00:00", "wire"
    )
    return [first, second]


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    queries = {
        "articles": "SELECT rowid, id, story_id, duplicate_of, title, body, blocks, revision, content_hash FROM articles",
        "captions": "SELECT rowid, article_id, position, text FROM captions",
        "revisions": "SELECT seq, article_id, revision, body, raw_html_id FROM article_revisions",
        "raw_pages": "SELECT id, article_id, sha256 FROM raw_pages",
        "stories": "SELECT id, article_id, story_id, body_hash, signature, facts FROM story_signatures",
        "blocks": "SELECT source, block_hash, articles_seen, recent_articles, is_boilerplate, last_seen_tick FROM source_blocks",
        "clock": "SELECT source, articles FROM source_block_clock",
        "urls": "SELECT url_key, article_id, content_hash FROM url_state",
        "search": "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'strike OR reply OR site'",
    }
    try:
        return {name: sorted(connection.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    finally:
        connection.close()


def write(path: Path, batches: list[list[Article]], *, failing: str | None = None) -> list[tuple[str, str]]:
    """``failing``: the title of an article whose story linking raises (after its blocks were counted)."""
    db = open_db(path)
    db.table("sources").insert_all([{"name": name} for name in ("wire", "scraper", "mirror")])
    archive = Archive(db, ArchiveConfig(boilerplate=BoilerplateRule(min_articles=1, min_share=0.1)))
    if failing is not None and archive.linker is not None:
        link = archive.linker.link
        titles = {archive.key(item): item.title for batch in batches for item in batch}

        def failing_link(entry: Any, **kwargs: Any) -> Any:
            if titles.get(entry.article_id) == failing:
                raise RuntimeError("disk on fire")
            return link(entry, **kwargs)

        archive.linker.link = failing_link  # type: ignore[method-assign]
    results = [(r.article_id, r.written.value) for batch in batches for r in archive.write(batch, now=NOW)]
    archive.close()
    return results


def test_a_batch_stores_what_one_write_per_article_stores(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="crawler.archive.writer"):
        batched = write(tmp_path / "batch.db", [articles(), twice()])
    assert not caplog.records  # each batch was written as one, not again one article at a time
    alone = write(tmp_path / "alone.db", [[item] for item in [*articles(), *twice()]])
    assert batched == alone
    assert [written for _, written in batched] == ["new", "new", "new", "new", "new", "updated", "new", "updated"]
    stored, expected = dump(tmp_path / "batch.db"), dump(tmp_path / "alone.db")
    assert stored == expected
    # What the test relies on happened: copies point at the original, furniture was learned and cleaned.
    links = {row[1]: row[3] for row in stored["articles"]}
    original = next(row[1] for row in stored["articles"] if row[4] == WIRE_TITLE and row[3] is None)
    assert sum(value == original for value in links.values()) == 2
    assert all("source site-28" not in row[5] for row in stored["articles"])
    assert len(stored["revisions"]) == 8 and len(stored["search"]) >= 3


def test_a_failed_batch_written_again_one_by_one_stores_what_the_others_alone_store(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The batch's block counts, clock ticks and held rows are forgotten with its rollback: the articles
    written again one at a time count their blocks once, and the failed one counts nothing."""
    football = articles()[1]  # its furniture is learned within the batch
    with caplog.at_level(logging.WARNING, logger="crawler.archive.writer"):
        results = write(tmp_path / "failed.db", [articles()], failing=football.title)
    assert any("writing them one by one" in record.message for record in caplog.records)
    assert [written for _, written in results] == ["new", "failed", "new", "new", "new", "updated"]
    others = [item for item in articles() if item.title != football.title]
    expected = write(tmp_path / "others.db", [[item] for item in others])
    assert [result for result in results if result[1] != "failed"] == expected
    assert dump(tmp_path / "failed.db") == dump(tmp_path / "others.db")
