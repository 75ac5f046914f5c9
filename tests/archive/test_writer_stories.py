"""Story linking in the archive writer: computed once per article inside the batch's transaction
and stored as computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.archive import open_db
from crawler.archive.config import DuplicatesConfig
from crawler.archive.stories import story_links
from crawler.archive.writer import Archive, ArchiveConfig, Written
from crawler.items import Article, Block
from crawler.urls import article_id
from tests.conftest import db_rows
from tests.dedup.samples import WIRE, WIRE_TITLE, scraper_copy, series

ORIGINAL_ID = article_id("https://wire.example/port-strike")
COPY_ID = article_id("https://scraper.example/strike-over")


def article(url: str, title: str, blocks: list[str], published: str | None, source: str) -> Article:
    return Article(
        url=url, canonical_url=url, source=source, title=title, blocks=[Block(t) for t in blocks], published_at=published
    )


def original() -> Article:
    return article("https://wire.example/port-strike", WIRE_TITLE, WIRE, "2023-09-15T08:00:00+00:00", "wire")


def copy() -> Article:
    title, blocks = scraper_copy()
    return article("https://scraper.example/strike-over", title, blocks, "2023-09-15T20:00:00+00:00", "scraper")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    db = open_db(path)
    db.table("sources").insert_all([{"name": name} for name in ("wire", "scraper", "mirror", "m")])
    db.close()
    return path


def archive(db_path: Path, policy: str = "link") -> Archive:
    return Archive(open_db(db_path), ArchiveConfig(boilerplate=None, duplicates=DuplicatesConfig(policy=policy)))


def stored_links(db_path: Path) -> dict[str, tuple[str, str | None]]:
    rows = db_rows(db_path, "SELECT id, story_id, duplicate_of FROM articles")
    return {row["id"]: (row["story_id"], row["duplicate_of"]) for row in rows}


def test_original_and_scraper_copy_share_a_story(db_path: Path) -> None:
    writer = archive(db_path)
    first, second = writer.write([original(), copy()])
    assert (first.link and first.link.match.value, second.link and second.link.match.value) == ("new_story", "near")
    writer.close()
    assert stored_links(db_path) == {ORIGINAL_ID: (ORIGINAL_ID, None), COPY_ID: (ORIGINAL_ID, ORIGINAL_ID)}


def test_a_copy_written_first_in_the_same_batch_points_at_the_original_that_follows(db_path: Path) -> None:
    """The link is stored as the index knows it at commit: the copy, written first, is re-pointed
    when the earlier-published original arrives later in the batch."""
    writer = archive(db_path)
    early_copy, late_original = writer.write([copy(), original()])
    assert late_original.link is not None and late_original.link.duplicate_of is None
    writer.close()
    story = early_copy.link.story_id if early_copy.link else None
    assert stored_links(db_path) == {COPY_ID: (story, ORIGINAL_ID), ORIGINAL_ID: (story, None)}
    db = open_db(db_path)
    assert story_links(db, COPY_ID) == (story, ORIGINAL_ID)
    db.close()


def test_exact_copies_are_counted_as_exact(db_path: Path) -> None:
    writer = archive(db_path)
    mirror = original()
    mirror.url = mirror.canonical_url = "https://mirror.example/port-strike"
    mirror.source = "mirror"
    results = writer.write([original(), mirror])
    assert results[1].link is not None and results[1].link.match.value == "exact"
    assert mirror.duplicate_of == ORIGINAL_ID
    writer.close()


def test_templated_stories_get_their_own_story(db_path: Path) -> None:
    writer = archive(db_path)
    title_a, blocks_a = series("markets", a=15, b=432)
    title_b, blocks_b = series("markets", a=15, b=518)
    a = article("https://m.example/1", title_a, blocks_a, "2023-09-15T16:00:00Z", "m")
    b = article("https://m.example/2", title_b, blocks_b, "2023-09-18T16:00:00Z", "m")
    writer.write([a, b])
    assert a.story_id != b.story_id
    assert b.duplicate_of is None
    writer.close()


def test_a_url_variant_is_the_same_article(db_path: Path) -> None:
    writer = archive(db_path)
    writer.write([original()])
    variant = original()
    variant.url = variant.canonical_url = "https://wire.example/port-strike?utm_source=rss#top"
    (again,) = writer.write([variant])
    assert again.article_id == ORIGINAL_ID
    assert again.link is not None and again.link.match.value == "known"
    assert again.written is Written.UNCHANGED
    writer.close()


def test_the_drop_policy_stores_no_later_copy(db_path: Path) -> None:
    writer = archive(db_path, policy="drop")
    first, second = writer.write([original(), copy()])
    assert (first.written, second.written) == (Written.NEW, Written.DUPLICATE)
    writer.close()
    assert list(stored_links(db_path)) == [ORIGINAL_ID]


def test_a_failing_article_costs_itself_and_nothing_else(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = archive(db_path)
    bad = copy()
    bad.title = "explode"
    real_link = writer.linker.link if writer.linker else None
    assert real_link is not None

    def link(entry: object) -> object:
        if getattr(entry, "article_id", None) == COPY_ID:
            raise RuntimeError("disk on fire")
        return real_link(entry)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.linker, "link", link)
    results = writer.write([original(), bad])
    assert [r.written for r in results] == [Written.NEW, Written.FAILED]
    assert results[1].error == "RuntimeError: disk on fire"
    writer.close()
    assert list(stored_links(db_path)) == [ORIGINAL_ID]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"policy": "merge"}, "INGEST_DUPLICATES_POLICY: 'merge' is not one of link, drop"),
        ({"threshold": 1.5}, "INGEST_NEAR_DUPLICATE_THRESHOLD: 1.5 is not between 0 and 1"),
        ({"max_days_apart": -1.0}, "INGEST_DUPLICATES_MAX_DAYS_APART: -1.0 is negative"),
    ],
)
def test_bad_settings_are_named(config: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as error:
        DuplicatesConfig(**config)  # type: ignore[arg-type]
    assert str(error.value) == message
