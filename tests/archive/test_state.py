from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.articles import save_article
from crawler.archive.changes import changes_since
from crawler.archive.lock import DatabaseBusy, DatabaseLock, check_free
from crawler.archive.rawpages import pages_to_reextract
from crawler.archive.runs import finish_run, mark_interrupted_runs, start_run
from crawler.archive.state import (
    ListingState,
    UrlState,
    articles_due_for_refresh,
    load_listing_states,
    lookup_urls,
    record_urls,
    save_listing_states,
)
from crawler.items import Article, Block, Caption


def article(body: str, published: str = "2026-11-29T00:00:00+00:00") -> Article:
    return Article(
        url="https://e.com/a",
        canonical_url="https://e.com/a",
        source="s",
        title="T",
        blocks=[Block(body)],
        captions=[Caption("c", "© X", "https://e.com/i.jpg")],
        published_at=published,
        fetched_at="2026-11-29T01:00:00+00:00",
        raw_html=f"<html><p>{body}</p></html>".encode(),
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(tmp_path / "news.db")
    database["sources"].insert({"name": "s"})
    yield database
    database.close()


def test_listing_state_round_trip(db: Database) -> None:
    save_listing_states(db, [ListingState("https://e.com/feed", "s", "feed", etag='"x"', body_hash="h", status=200)])
    loaded = load_listing_states(db)
    assert loaded["https://e.com/feed"].etag == '"x"'
    save_listing_states(db, [ListingState("https://e.com/feed", "s", "feed", etag='"y"')])
    assert load_listing_states(db)["https://e.com/feed"].etag == '"y"'


def test_url_state_lookup_in_chunks(db: Database) -> None:
    with db.atomic():
        record_urls(db, [UrlState(f"k{i}", "a", "2026-11-29T00:00:00+00:00") for i in range(1200)])
    found = lookup_urls(db, [f"k{i}" for i in range(0, 1300, 2)])
    assert len(found) == 600
    assert found["k10"].article_id == "a"


def test_revisions_raw_pages_and_change_feed(db: Database) -> None:
    with db.atomic():
        save_article(db, "a", article("first version"))
    with db.atomic():
        save_article(db, "a", article("first version"))  # unchanged: nothing written
    with db.atomic():
        save_article(db, "a", article("second version"))
    changes = list(changes_since(db, 0))
    assert [(c["revision"], c["change"], c["body"]) for c in changes] == [
        (1, "new", "first version"),
        (2, "updated", "second version"),
    ]
    assert changes[0]["captions"] == [{"text": "c", "credit": "© X", "image_url": "https://e.com/i.jpg"}]
    assert [c["seq"] for c in changes_since(db, changes[0]["seq"])] == [changes[1]["seq"]]
    assert list(changes_since(db, changes[1]["seq"])) == []
    assert db["raw_pages"].count == 2
    pages = list(pages_to_reextract(db))
    assert [p.html for p in pages] == [b"<html><p>second version</p></html>"]


def test_articles_due_for_refresh(db: Database) -> None:
    with db.atomic():
        save_article(db, "young", article("young"))
        save_article(db, "old", article("old", published="2020-01-01T00:00:00+00:00"))
        record_urls(
            db,
            [
                UrlState("ky", "young", "2026-11-29T01:00:00+00:00", None, "h"),
                UrlState("ko", "old", "2026-11-29T01:00:00+00:00", None, "h"),
            ],
        )
    due = articles_due_for_refresh(
        db, ["s"], born_after="2026-11-27T12:00:00+00:00", fetched_before="2026-11-29T06:00:00+00:00", limit=10
    )
    assert [d.article_id for d in due] == ["young"]
    assert articles_due_for_refresh(
        db, ["s"], born_after="2026-11-27T12:00:00+00:00", fetched_before="2026-11-29T00:00:00+00:00", limit=10
    ) == []


def test_interrupted_runs_are_marked(db: Database) -> None:
    killed = start_run(db, seeds="seeds")
    assert mark_interrupted_runs(db) == 1
    done = start_run(db, seeds="seeds")
    finish_run(db, done, reason="finished", stats={}, counts={"articles_stored": 0, "articles_dropped": 0, "errors": 0})
    assert mark_interrupted_runs(db) == 0
    assert db["crawl_runs"].get(killed)["finish_reason"] == "interrupted"


def test_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    with DatabaseLock(tmp_path / "news.db"):
        with pytest.raises(DatabaseBusy, match="another crawl"):
            check_free(tmp_path / "news.db")
    check_free(tmp_path / "news.db")
