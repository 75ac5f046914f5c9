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


def test_counting_is_once_per_article(db: Database) -> None:
    key = RULE.key("Leave a Reply")
    assert key is not None
    for _ in range(3):
        tick = store.tick(db, "wire")
        (count,) = store.count_blocks(
            db, "wire", "article-1", {key: "Leave a Reply"}, tick=tick, now="now", remembered_ids=6
        )
    assert (count.articles_seen, count.first_seen_tick, tick) == (1, 1, 3)
    tick = store.tick(db, "wire")
    (count,) = store.count_blocks(
        db, "wire", "article-2", {key: "Leave a Reply"}, tick=tick, now="now", remembered_ids=6
    )
    assert count.articles_seen == 2


def test_remembered_ids_are_bounded(db: Database) -> None:
    for number in range(20):
        store.count_blocks(db, "wire", f"article-{number}", {1: "x"}, tick=number + 1, now="now", remembered_ids=6)
    recent = json.loads(db.execute("SELECT recent_articles FROM source_blocks").fetchone()[0])
    assert recent == [f"article-{number}" for number in range(14, 20)]


def test_learned_blocks_and_pruning(db: Database) -> None:
    store.count_blocks(db, "wire", "a", {1: "promo", 2: "once"}, tick=1, now="now", remembered_ids=6)
    store.mark_boilerplate(db, "wire", 1, now="later")
    assert store.learned(db, "wire", [1, 2, 3]) == {1}
    assert store.learned(db, "other", [1]) == set()
    assert store.boilerplate_texts(db, "wire") == ["promo"]
    assert store.prune_stale(db, "wire", before_tick=5) == 1
    assert store.learned(db, "wire", [1]) == {1}


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
