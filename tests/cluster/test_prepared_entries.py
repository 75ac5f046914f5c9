"""An archive written from the workers' prepared stream entries equals one written from the raw items.

The workers compute what an article's write needs from the article alone (crawler.dedup.prepared);
the writer uses it instead of computing it. Every table of the two archives is compared whole, except
the columns that hold the wall-clock moment of the write. The batches learn boilerplate at either end
of articles (where the prepared fingerprints apply), in the middle (where the writer computes them
itself), link copies and re-crawls, and hold entries prepared by no worker or under other settings.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.archive import open_db
from crawler.archive.writer import Archive, ArchiveConfig, founding_order, preparation_of
from crawler.cluster.codec import decode_article, decode_prepared, encode_article
from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.prepared import Preparation, PreparedArticle
from crawler.items import Article, Block, Caption
from tests.archive.test_writer_batching import articles as batching_articles
from tests.archive.test_writer_batching import twice
from tests.dedup.test_write_path_equivalence import fixture_blocks

NOW = datetime(2023, 9, 16, tzinfo=UTC)
CONFIG = ArchiveConfig(boilerplate=BoilerplateRule(min_articles=2, min_share=0.1))
SOURCES = ("wire", "scraper", "mirror", "daily", "weekly")
PROMO = "Sign up for the Daily briefing: the day's news in your inbox before 7am."
MASTHEAD = "Weekly Review — independent since 1901"
MIDDLE = "Advertisement — story continues below"
# Columns holding the moment of the write (datetime.now), not anything the article or `now` gave.
WALL_CLOCK = {"_sqlite_migrations": {"applied_at"}, "articles": {"first_stored_at"}, "story_signatures": {"indexed_at"}}


def corpus() -> list[list[Article]]:
    """Batches of articles: the writer tests' copies, series and corrections, then fixture pages with a
    promo line at their end (daily), a masthead at their start (weekly) or an advert in their middle."""
    pages = fixture_blocks()
    made = []
    for number, blocks in enumerate(pages):
        source = ("daily", "weekly")[number % 2]
        body = [*blocks, PROMO] if source == "daily" else [MASTHEAD, *blocks]
        if number % 5 == 4:
            body = [*blocks[:1], MIDDLE, *blocks[1:]]
        url = f"https://{source}.example/story-{number}"
        made.append(
            Article(
                url=url + "?utm_source=feed",
                canonical_url=url,
                source=source,
                title=blocks[0][:80],
                blocks=[Block(text) for text in body],
                captions=[Caption(f"Photo {number}", "Agency")],
                authors=[f"Author {number % 3}"],
                published_at=f"2023-09-{10 + number % 5:02d}T08:00:00+00:00",
                fetched_at="2023-09-16T06:00:00+00:00",
                raw_html=f"<html><p>{blocks[0]}</p></html>".encode(),
            )
        )
    # A re-crawl of two of them, one changed.
    again = [copy.deepcopy(made[0]), copy.deepcopy(made[1])]
    again[1].blocks = [*again[1].blocks, Block("Updated with a correction on Saturday.")]
    fixed = [replace(item, fetched_at="2023-09-15T06:00:00+00:00") for item in [*batching_articles(), *twice()]]
    return [fixed, made[: len(made) // 2], made[len(made) // 2 :], again]


def through_stream(items: list[Article], preparation: Preparation) -> list[tuple[Article, PreparedArticle | None]]:
    """What `scrapy archive-writer` hands Archive.write: the entries a worker made, decoded. Every
    third entry comes from a worker that prepared nothing, every seventh from one of other settings."""
    other = preparation_of(replace(CONFIG, boilerplate=BoilerplateRule(max_chars=100)))
    pairs = []
    for number, item in enumerate(items):
        worker = None if number % 3 == 2 else other if number % 7 == 6 else preparation
        fields = encode_article(item, worker.prepare(item) if worker is not None else None)
        article = decode_article(fields, decompress=False)  # as the writer decodes: the page stays compressed
        pairs.append((article, decode_prepared(fields)))
    pairs.sort(key=lambda pair: founding_order(pair[0]))
    return pairs


def write(path: Path, batches: list[list[Article]], *, prepared: bool) -> tuple[list[tuple[str, str]], int]:
    """The results, and how many fingerprints the writer computed itself."""
    db = open_db(path)
    db.table("sources").insert_all([{"name": name} for name in SOURCES])
    archive = Archive(db, CONFIG)
    computed = 0
    own: Callable[..., Any] = archive.preparation.fingerprint

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal computed
        computed += 1
        return own(*args, **kwargs)

    archive.preparation.fingerprint = counting  # type: ignore[method-assign]
    results = []
    for batch in batches:
        items = copy.deepcopy(batch)
        if prepared:
            pairs = through_stream(items, preparation_of(CONFIG))
            written = archive.write([a for a, _ in pairs], prepared=[p for _, p in pairs], now=NOW)
        else:
            written = archive.write(sorted(items, key=founding_order), now=NOW)
        results += [(r.article_id, r.written.value) for r in written]
    archive.close()
    return results, computed


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dumped = {}
        for name in names:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info('{name}')")]
            kept = [column for column in columns if column not in WALL_CLOCK.get(name, set())]
            try:  # row ids too, where the table has them: the same rows written in the same order
                rows = connection.execute(f"SELECT rowid, {', '.join(kept)} FROM '{name}' ORDER BY rowid").fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID: in its primary key's order
                rows = connection.execute(f"SELECT {', '.join(kept)} FROM '{name}'").fetchall()
            dumped[name] = rows
        return dumped
    finally:
        connection.close()


def test_prepared_entries_store_what_raw_items_store(tmp_path: Path) -> None:
    batches = corpus()
    total = sum(len(batch) for batch in batches)
    raw_results, raw_computed = write(tmp_path / "raw.db", batches, prepared=False)
    prepared_results, prepared_computed = write(tmp_path / "prepared.db", batches, prepared=True)
    assert prepared_results == raw_results
    raw, prepared = tables(tmp_path / "raw.db"), tables(tmp_path / "prepared.db")
    assert raw.keys() == prepared.keys()
    for name in raw:
        assert prepared[name] == raw[name], name
    # The comparison covers what it should: boilerplate learned at both ends and in the middle and
    # removed from stored articles, copies linked, revisions, and most fingerprints taken as prepared.
    learned = {row[2] for row in raw["source_blocks"] if row[5]}  # text, is_boilerplate
    assert {PROMO, MASTHEAD, MIDDLE} <= learned
    bodies = [row[6] for row in raw["articles"]]  # after the rowid
    assert not any(PROMO in body or MASTHEAD in body for body in bodies)
    assert sum(row[18] is not None for row in raw["articles"]) >= 2  # duplicate_of (first_stored_at left out)
    assert len(raw["article_revisions"]) > len(raw["articles"])
    assert raw_computed == total
    # Entries of this writer's settings (not every third, nor every seventh): most used as prepared;
    # the writer computed the others' and those whose removed blocks no worker had prepared for.
    accepted = sum(number % 3 != 2 and number % 7 != 6 for batch in batches for number in range(len(batch)))
    own_work = prepared_computed - (total - accepted)
    assert 0 < own_work < accepted // 3, (own_work, accepted)
