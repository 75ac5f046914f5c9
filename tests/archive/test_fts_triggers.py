from __future__ import annotations

from pathlib import Path

from crawler.archive import open_db
from crawler.archive.articles import save_article
from tests.archive.test_articles import make_article


def fts_data(db_path: Path) -> list[tuple[object, ...]]:
    db = open_db(db_path)
    try:
        return [tuple(row) for row in db.execute("SELECT id, block FROM articles_fts_data ORDER BY id").fetchall()]
    finally:
        db.close()


def test_updating_other_columns_leaves_the_full_text_index_alone(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    db = open_db(path)
    db["sources"].insert({"name": "example"})
    with db.atomic():
        save_article(db, "k", make_article(body="Wladiwostok Pazifikflotte"))
    before = fts_data(path)

    changes = db.conn.total_changes
    with db.atomic():
        db.execute("UPDATE articles SET story_id = 'story-1' WHERE id = 'k'")
    assert db.conn.total_changes - changes == 1  # the article row alone: no trigger wrote to articles_fts
    assert fts_data(path) == before

    changes = db.conn.total_changes
    with db.atomic():
        db.execute("UPDATE articles SET body = 'Schwarzmeerflotte' WHERE id = 'k'")
    assert db.conn.total_changes - changes > 1
    assert fts_data(path) != before
    assert [h["id"] for h in db["articles"].search("schwarzmeerflotte")] == ["k"]
    assert list(db["articles"].search("pazifikflotte")) == []
    assert [h["id"] for h in db["articles"].search("title")] == ["k"]
    db.close()
