"""Per-source block counts and learned boilerplate (source_blocks), and cleaning stored articles.

Everything here runs inside the caller's transaction; `pipelines.boilerplate` decides what to learn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from crawler.dedup.blocks import block_hash


@dataclass(frozen=True)
class BlockCount:
    block_hash: int
    articles_seen: int
    first_seen_tick: int


def tick(db: Database, source: str) -> int:
    """Advance the source's article clock by one; the new value."""
    row = db.execute(
        """INSERT INTO source_block_clock (source, articles) VALUES (?, 1)
           ON CONFLICT (source) DO UPDATE SET articles = articles + 1 RETURNING articles""",
        [source],
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class StoredBlock:
    is_boilerplate: bool
    articles_seen: int
    recent_articles: str  # JSON list of article ids
    first_seen_tick: int


def stored_blocks(db: Database, source: str, hashes: Iterable[int]) -> dict[int, StoredBlock]:
    """The stored rows of these blocks of the source, in one query (what learned and count_blocks read)."""
    keys = list(hashes)
    if not keys:
        return {}
    placeholders = ", ".join("?" * len(keys))
    rows = db.conn.execute(
        "SELECT block_hash, is_boilerplate, articles_seen, recent_articles, first_seen_tick FROM source_blocks"
        f" WHERE source = ? AND block_hash IN ({placeholders})",
        [source, *keys],
    ).fetchall()
    return {int(row[0]): StoredBlock(bool(row[1]), int(row[2]), str(row[3]), int(row[4])) for row in rows}


def learned(db: Database, source: str, hashes: Iterable[int]) -> set[int]:
    """Which of these blocks are already known boilerplate of the source."""
    return {key for key, block in stored_blocks(db, source, hashes).items() if block.is_boilerplate}


def count_blocks(
    db: Database,
    source: str,
    article_key: str,
    blocks: Mapping[int, str],
    *,
    tick: int,
    now: str,
    remembered_ids: int,
    stored: Mapping[int, StoredBlock] | None = None,
) -> list[BlockCount]:
    """Count each block once for this article (a re-crawl of the same article counts nothing new);
    the blocks' counts afterwards. ``stored``: the blocks' rows as `stored_blocks` read them in this
    transaction, when the caller has them (a block missing from it is new)."""
    if stored is None:
        stored = stored_blocks(db, source, blocks)
    counts: list[BlockCount] = []
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    for key, text in blocks.items():
        row = stored.get(key)
        if row is None:
            inserts.append((source, key, text, json.dumps([article_key]), tick, tick, now))
            counts.append(BlockCount(key, 1, tick))
            continue
        seen, recent = row.articles_seen, json.loads(row.recent_articles)
        if article_key not in recent:
            seen += 1
            recent = [*recent, article_key][-remembered_ids:]
        updates.append((seen, json.dumps(recent), tick, source, key))
        counts.append(BlockCount(key, seen, row.first_seen_tick))
    if inserts:
        db.conn.executemany(
            """INSERT INTO source_blocks (source, block_hash, text, articles_seen, recent_articles,
               is_boilerplate, first_seen_tick, last_seen_tick, first_seen_at)
               VALUES (?, ?, ?, 1, ?, 0, ?, ?, ?)""",
            inserts,
        )
    if updates:
        db.conn.executemany(
            """UPDATE source_blocks SET articles_seen = ?, recent_articles = ?, last_seen_tick = ?
               WHERE source = ? AND block_hash = ?""",
            updates,
        )
    return counts


def mark_boilerplate(db: Database, source: str, key: int, *, now: str) -> None:
    # The ids only served counting; a learned block never needs them again.
    db.execute(
        """UPDATE source_blocks SET is_boilerplate = 1, learned_at = ?, recent_articles = '[]'
           WHERE source = ? AND block_hash = ?""",
        [now, source, key],
    )


def boilerplate_texts(db: Database, source: str) -> list[str]:
    rows = db.execute(
        "SELECT text FROM source_blocks WHERE source = ? AND is_boilerplate ORDER BY learned_at, text", [source]
    ).fetchall()
    return [str(row[0]) for row in rows]


def prune_stale(db: Database, source: str, *, before_tick: int) -> int:
    """Forget the counts of blocks not seen since ``before_tick``; learned boilerplate stays. Rows removed."""
    cursor = db.execute(
        "DELETE FROM source_blocks WHERE source = ? AND NOT is_boilerplate AND last_seen_tick < ?",
        [source, before_tick],
    )
    return cursor.rowcount


def clean_stored_articles(db: Database, source: str, block_hash_value: int) -> int:
    """Remove a newly learned boilerplate block from the source's stored articles: `blocks` (JSON list
    of {"kind", "text"}) and `body` (their texts joined by a blank line). Articles changed.

    `content_hash` is left as it was, so the next re-crawl of the article stores the cleaned text as
    a new revision (the full-text index follows `body` through its triggers).
    """
    return clean_stored_articles_of(db, source, [block_hash_value])[0]


def clean_stored_articles_of(db: Database, source: str, block_hashes: Sequence[int]) -> list[int]:
    """clean_stored_articles of several blocks learned at once, in one pass over the source's stored
    articles (each read, and each block hashed, once): the articles each block's removal changes, in
    order, as one call per block would count them; an article is rewritten once."""
    targets = {value: position for position, value in enumerate(block_hashes)}
    changed = [0] * len(block_hashes)
    rows = db.execute("SELECT id, blocks FROM articles WHERE source = ? AND blocks IS NOT NULL", [source]).fetchall()
    for article_id, blocks_json in rows:
        try:
            blocks = json.loads(blocks_json)
        except (TypeError, ValueError):
            continue
        kept = []
        found: set[int] = set()
        for block in blocks:
            position = targets.get(block_hash(str(block.get("text", ""))))  # type: ignore[arg-type]
            if position is None:
                kept.append(block)
            else:
                found.add(position)
        if not found:
            continue
        for position in found:
            changed[position] += 1
        db.execute(
            "UPDATE articles SET blocks = ?, body = ? WHERE id = ?",
            [
                json.dumps(kept, ensure_ascii=False),
                "\n\n".join(str(block.get("text", "")) for block in kept),
                article_id,
            ],
        )
    return changed
