"""Shortcuts of the writer's boilerplate and guard paths give what the plain definitions give."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from crawler.archive import boilerplate as store
from crawler.archive.migrations import MIGRATIONS
from crawler.dedup.blocks import block_hash
from crawler.dedup.facts import Slots, slot_conflicts

TEXTS = ["source site-28", "Leave a Reply", "First paragraph of the story.", "Second one.", "", "Leave a reply!"]


def database() -> Database:
    db = Database(memory=True)
    MIGRATIONS.apply(db)
    db.table("sources").insert_all([{"name": "wire"}, {"name": "other"}])
    rng = random.Random(7)
    for number in range(30):
        texts = rng.sample(TEXTS, rng.randint(1, len(TEXTS)))
        db.table("articles").insert(
            {
                "id": f"a{number}",
                "source": "wire" if number % 5 else "other",
                "title": "t",
                "body": "\n\n".join(texts),
                "blocks": json.dumps([{"text": text, "kind": "p"} for text in texts]),
                "content_hash": "h",
            }
        )
    return db


@pytest.fixture
def pair() -> Iterator[tuple[Database, Database]]:
    one, other = database(), database()
    yield one, other
    one.close()
    other.close()


def clean_one(db: Database, source: str, key: int) -> int:
    """Cleaning as first written: one pass over the source's articles per learned block."""
    changed = 0
    for article_id, blocks_json in db.execute("SELECT id, blocks FROM articles WHERE source = ?", [source]).fetchall():
        blocks = json.loads(blocks_json)
        kept = [block for block in blocks if block_hash(str(block.get("text", ""))) != key]
        if len(kept) != len(blocks):
            body = "\n\n".join(str(block.get("text", "")) for block in kept)
            db.execute(
                "UPDATE articles SET blocks = ?, body = ? WHERE id = ?",
                [json.dumps(kept, ensure_ascii=False), body, article_id],
            )
            changed += 1
    return changed


def test_several_blocks_cleaned_in_one_pass_as_one_call_each(pair: tuple[Database, Database]) -> None:
    at_once, one_by_one = pair
    keys = [block_hash("Leave a Reply"), block_hash("source site-28"), block_hash("never stored")]
    assert all(key is not None for key in keys)
    counts = store.clean_stored_articles_of(at_once, "wire", [key for key in keys if key is not None])
    expected = [clean_one(one_by_one, "wire", key) for key in keys if key is not None]
    assert counts == expected
    assert counts[0] > 0 and counts[1] > 0 and counts[2] == 0
    sql = "SELECT id, body, blocks FROM articles ORDER BY id"
    assert at_once.execute(sql).fetchall() == one_by_one.execute(sql).fetchall()
    bodies = dict(at_once.execute("SELECT source, group_concat(body, '|') FROM articles GROUP BY source").fetchall())
    assert "site-28" not in bodies["wire"] and "reply" not in bodies["wire"].lower()
    assert "site-28" in bodies["other"]  # another source's articles are left alone


def reference_conflicts(a: Slots, b: Slots) -> tuple[int, int]:
    shared = a.keys() & b.keys()
    conflicting = sum(
        1 for key in shared if not (Counter(a[key]) <= Counter(b[key]) or Counter(b[key]) <= Counter(a[key]))
    )
    return len(shared), conflicting


def test_slot_conflicts_is_the_multiset_definition() -> None:
    rng = random.Random(3)
    facts = ["1", "2", "3", "monday"]
    for _ in range(500):
        a = {f"s{k}": tuple(rng.choices(facts, k=rng.randint(1, 3))) for k in rng.sample(range(8), rng.randint(0, 8))}
        b = {f"s{k}": tuple(rng.choices(facts, k=rng.randint(1, 3))) for k in rng.sample(range(8), rng.randint(0, 8))}
        assert slot_conflicts(a, b) == reference_conflicts(a, b)
