from __future__ import annotations

from pathlib import Path

from crawler.archive import MIGRATIONS, open_db
from crawler.archive.articles import Outcome, save_article
from crawler.items import Article, Block, Caption
from crawler.urls import article_id


def make_article(body: str = "First paragraph.", caption: str = "A caption") -> Article:
    return Article(
        url="https://news.example/a?utm_source=rss",
        canonical_url="https://news.example/a",
        source="example",
        title="A title",
        blocks=[Block("A heading", "h2"), Block(body)],
        captions=[Caption(caption, "© AFP", "https://news.example/img.jpg")],
        authors=["Jane Doe"],
        published_at="2023-09-15T08:12:00+00:00",
        language="en",
        fetched_at="2023-09-15T09:00:00+00:00",
    )


def test_open_db_applies_migrations_once_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    db = open_db(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"articles", "captions", "sources", "crawl_runs", "articles_fts"} <= set(db.table_names())
    db.close()
    db = open_db(path)
    assert MIGRATIONS.pending(db) == []
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(MIGRATIONS._migrations)


def test_save_is_idempotent_and_updates_on_change(tmp_path: Path) -> None:
    db = open_db(tmp_path / "news.db")
    db["sources"].insert({"name": "example"})
    key = article_id("https://news.example/a")
    with db.atomic():
        assert save_article(db, key, make_article()) is Outcome.NEW
    with db.atomic():
        assert save_article(db, key, make_article()) is Outcome.UNCHANGED
    assert db["articles"].count == 1
    row = db["articles"].get(key)
    assert row["body"] == "A heading\n\nFirst paragraph."
    assert row["authors"] == '["Jane Doe"]'
    assert [dict(r) for r in db["captions"].rows] == [
        {
            "article_id": key,
            "position": 0,
            "text": "A caption",
            "credit": "© AFP",
            "image_url": "https://news.example/img.jpg",
        }
    ]
    with db.atomic():
        assert save_article(db, key, make_article(caption="Another caption")) is Outcome.UPDATED
    assert [r["text"] for r in db["captions"].rows] == ["Another caption"]
    assert db["articles"].get(key)["first_stored_at"] == row["first_stored_at"]


def test_full_text_search_covers_title_and_body(tmp_path: Path) -> None:
    db = open_db(tmp_path / "news.db")
    db["sources"].insert({"name": "example"})
    with db.atomic():
        save_article(db, "k", make_article(body="Wladiwostok Pazifikflotte"))
    hits = list(db["articles"].search("pazifikflotte"))
    assert [h["id"] for h in hits] == ["k"]


def test_failed_batch_writes_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path / "news.db")
    db["sources"].insert({"name": "example"})
    try:
        with db.atomic():
            save_article(db, "k", make_article())
            raise RuntimeError("crash in the middle of a batch")
    except RuntimeError:
        pass
    assert db["articles"].count == 0
    assert db["captions"].count == 0
