from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from crawler.archive import boilerplate as store
from crawler.dedup.blocks import BoilerplateRule, block_hash

RULE = BoilerplateRule(min_articles=5, max_chars=300, min_share=0.1)


def test_only_short_blocks_can_be_boilerplate() -> None:
    assert RULE.key("Leave a Reply") == RULE.key("leave a reply.")
    assert RULE.key("source site-28") is not None
    assert RULE.key("x " * 200) is None
    assert RULE.key("  …  ") is None


@pytest.mark.parametrize(
    ("seen", "first_tick", "tick", "learned"),
    [
        (5, 1, 5, False),  # not more than min_articles yet
        (6, 1, 6, True),  # on every page
        (6, 1, 60, True),  # one page in ten
        (6, 1, 200, False),  # a recurring sentence in a busy source
        (31, 100, 400, True),  # 31 of the 301 articles since it was first seen
    ],
)
def test_is_boilerplate(seen: int, first_tick: int, tick: int, learned: bool) -> None:
    assert RULE.is_boilerplate(seen, first_tick, tick) is learned


def test_stale_window_and_memory() -> None:
    assert RULE.stale_after == 200
    assert BoilerplateRule(min_share=0.0).stale_after == 1000
    assert RULE.remembered_ids == 6


def stored(db: Database, article_id: str, texts: list[str], source: str = "wire") -> None:
    blocks = [{"text": text, "kind": "p"} for text in texts]
    db.table("articles").insert(
        {
            "id": article_id,
            "source": source,
            "title": "t",
            "body": "\n\n".join(texts),
            "blocks": json.dumps(blocks),
            "content_hash": "h",
        }
    )


def stored_rows(db: Database) -> list[tuple[object, ...]]:
    return db.execute(
        "SELECT source, block_hash, text, articles_seen, recent_articles, is_boilerplate, first_seen_tick,"
        " last_seen_tick, first_seen_at, learned_at FROM source_blocks ORDER BY source, block_hash"
    ).fetchall()


def test_counting_is_once_per_article(db: Database) -> None:
    key = RULE.key("Leave a Reply")
    assert key is not None
    counts = store.BlockCounts(db)
    for _ in range(3):
        tick = counts.tick("wire")
        (count,) = counts.count("wire", "article-1", {key: "Leave a Reply"}, tick=tick, now="now", remembered_ids=6)
    assert (count.articles_seen, count.first_seen_tick, tick) == (1, 1, 3)
    tick = counts.tick("wire")
    (count,) = counts.count("wire", "article-2", {key: "Leave a Reply"}, tick=tick, now="now", remembered_ids=6)
    assert count.articles_seen == 2


def test_counts_reach_the_table_at_flush_and_are_read_again_after_forget(db: Database) -> None:
    counts = store.BlockCounts(db)
    counts.count("wire", "a", {1: "promo"}, tick=counts.tick("wire"), now="t1", remembered_ids=6)
    assert stored_rows(db) == []  # held until the flush
    counts.flush()
    assert stored_rows(db) == [("wire", 1, "promo", 1, '["a"]', 0, 1, 1, "t1", None)]
    assert db.execute("SELECT source, articles FROM source_block_clock").fetchall() == [("wire", 1)]
    counts.forget()
    # Another transaction's handle, after this one's was forgotten, counts on from the table.
    again = store.BlockCounts(db)
    for handle in (counts, again):
        handle.count("wire", "b", {1: "promo", 2: "once"}, tick=handle.tick("wire"), now="t2", remembered_ids=6)
        handle.flush()
        handle.forget()
    assert stored_rows(db) == [
        ("wire", 1, "promo", 2, '["a", "b"]', 0, 1, 3, "t1", None),  # b counted once, seen at tick 3
        ("wire", 2, "once", 1, '["b"]', 0, 2, 3, "t2", None),
    ]
    assert db.execute("SELECT source, articles FROM source_block_clock").fetchall() == [("wire", 3)]


def test_remembered_ids_are_bounded(db: Database) -> None:
    counts = store.BlockCounts(db)
    for number in range(20):
        counts.count("wire", f"article-{number}", {1: "x"}, tick=number + 1, now="now", remembered_ids=6)
        if number % 7 == 0:
            counts.flush()
    counts.flush()
    recent = json.loads(db.execute("SELECT recent_articles FROM source_blocks").fetchone()[0])
    assert recent == [f"article-{number}" for number in range(14, 20)]
    assert db.execute("SELECT articles_seen FROM source_blocks").fetchone()[0] == 20


def test_learned_blocks_and_pruning(db: Database) -> None:
    counts = store.BlockCounts(db)
    counts.count("wire", "a", {1: "promo", 2: "once"}, tick=1, now="now", remembered_ids=6)
    counts.mark_boilerplate("wire", 1, now="later")
    assert counts.learned("wire", [1, 2, 3]) == {1}
    assert counts.learned("other", [1]) == set()
    assert counts.prune_stale("wire", before_tick=5) == 1  # written first, then pruned
    assert store.boilerplate_texts(db, "wire") == ["promo"]
    assert stored_rows(db) == [("wire", 1, "promo", 1, "[]", 1, 1, 1, "now", "later")]
    # What pruning removed is gone from the handle too: the block counts again from one.
    (count,) = counts.count("wire", "b", {2: "once"}, tick=6, now="again", remembered_ids=6)
    assert (count.articles_seen, count.first_seen_tick) == (1, 6)
    counts.forget()
    assert store.BlockCounts(db).learned("wire", [1, 2]) == {1}


def test_clean_stored_articles_rewrites_body_and_blocks(db: Database) -> None:
    stored(db, "a", ["source site-28", "First paragraph.", "Leave a reply"])
    stored(db, "b", ["Unrelated paragraph."])
    stored(db, "c", ["Leave a Reply"], source="other")
    key = block_hash("Leave a Reply")
    assert key is not None
    assert store.clean_stored_articles(db, "wire", key) == 1
    row = db.table("articles").get("a")
    assert row["body"] == "source site-28\n\nFirst paragraph."
    assert json.loads(row["blocks"]) == [
        {"text": "source site-28", "kind": "p"},
        {"text": "First paragraph.", "kind": "p"},
    ]
    assert db.table("articles").get("c")["body"] == "Leave a Reply"  # another source's article
    # The full-text index follows the body.
    hits = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'reply'").fetchall()
    assert len(hits) == 1
