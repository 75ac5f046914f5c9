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


@dataclass
class BlockRow:
    """One source_blocks row as the transaction has it (``recent``: parsed from recent_articles when
    first counted; ``new``: not in the table yet)."""

    text: str
    articles_seen: int
    recent_json: str
    is_boilerplate: bool
    first_seen_tick: int
    last_seen_tick: int
    first_seen_at: str
    learned_at: str | None
    new: bool = False
    recent: list[str] | None = None


COLUMNS = (
    "text, articles_seen, recent_articles, is_boilerplate, first_seen_tick, last_seen_tick, first_seen_at, learned_at"
)
# SQLite's default limit on host parameters is 32766 in current builds but 999 in old ones.
CHUNK = 500


class BlockCounts:
    """source_blocks and the per-source article clock (source_block_clock) as one transaction changes
    them: each row is read once, counted in memory and written back by `flush` — one statement per
    kind of change instead of a clock tick, a read and an upsert per article. The writer flushes before
    its transaction commits and before anything else reads the tables (pruning), and `forget`s
    everything when the transaction ends, committed or not: the next one reads the tables again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: dict[tuple[str, int], BlockRow | None] = {}  # None: no row
        self.dirty: dict[tuple[str, int], BlockRow] = {}
        self.clock: dict[str, int] = {}
        self.clock_dirty: dict[str, int] = {}

    def prefetch(self, source: str, keys: Iterable[int]) -> None:
        """Read the rows of these blocks of the source not read yet, CHUNK keys per query."""
        rows = self.rows
        missing = list(dict.fromkeys(key for key in keys if (source, key) not in rows))
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            for key in chunk:
                rows[(source, key)] = None
            found = self.db.conn.execute(
                f"SELECT block_hash, {COLUMNS} FROM source_blocks"
                f" WHERE source = ? AND block_hash IN ({', '.join('?' * len(chunk))})",
                [source, *chunk],
            ).fetchall()
            for key, text, seen, recent, learned, first_tick, last_tick, first_at, learned_at in found:
                rows[(source, int(key))] = BlockRow(
                    str(text), int(seen), str(recent), bool(learned), int(first_tick), int(last_tick), str(first_at),
                    learned_at,
                )  # fmt: skip

    def learned(self, source: str, keys: Iterable[int]) -> set[int]:
        """Which of these blocks are known boilerplate of the source."""
        keys = list(keys)
        self.prefetch(source, keys)
        return {key for key in keys if (row := self.rows[(source, key)]) is not None and row.is_boilerplate}

    def tick(self, source: str) -> int:
        """Advance the source's article clock by one; the new value."""
        if source not in self.clock:
            row = self.db.conn.execute("SELECT articles FROM source_block_clock WHERE source = ?", [source]).fetchone()
            self.clock[source] = int(row[0]) if row else 0
        value = self.clock[source] = self.clock[source] + 1
        self.clock_dirty[source] = value
        return value

    def count(
        self, source: str, article_key: str, blocks: Mapping[int, str], *, tick: int, now: str, remembered_ids: int
    ) -> list[BlockCount]:
        """Count each block once for this article (a re-crawl of the same article counts nothing new);
        the blocks' counts afterwards."""
        self.prefetch(source, blocks)
        counts: list[BlockCount] = []
        for key, text in blocks.items():
            slot = (source, key)
            row = self.rows[slot]
            if row is None:
                row = BlockRow(text, 1, "", False, tick, tick, now, None, new=True, recent=[article_key])
                self.rows[slot] = row
            else:
                recent = row.recent if row.recent is not None else json.loads(row.recent_json)
                if article_key not in recent:
                    row.articles_seen += 1
                    recent = [*recent, article_key][-remembered_ids:]
                row.recent = recent
                row.last_seen_tick = tick
            self.dirty[slot] = row
            counts.append(BlockCount(key, row.articles_seen, row.first_seen_tick))
        return counts

    def mark_boilerplate(self, source: str, key: int, *, now: str) -> None:
        """Learn a block counted in this transaction."""
        slot = (source, key)
        row = self.rows[slot]
        assert row is not None, "only a counted block is learned"
        # The ids only served counting; a learned block never needs them again.
        row.is_boilerplate, row.learned_at, row.recent = True, now, []
        self.dirty[slot] = row

    def prune_stale(self, source: str, *, before_tick: int) -> int:
        """Forget the counts of blocks not seen since ``before_tick``; learned boilerplate stays. Rows removed."""
        self.flush()
        cursor = self.db.conn.execute(
            "DELETE FROM source_blocks WHERE source = ? AND NOT is_boilerplate AND last_seen_tick < ?",
            [source, before_tick],
        )
        for (row_source, key), row in self.rows.items():
            if row_source == source and row is not None and not row.is_boilerplate and row.last_seen_tick < before_tick:
                self.rows[(row_source, key)] = None
        return cursor.rowcount

    def flush(self) -> None:
        """Write what changed: the clocks, new rows, then changed rows, one statement each."""
        conn = self.db.conn
        if self.clock_dirty:
            conn.executemany(
                """INSERT INTO source_block_clock (source, articles) VALUES (?, ?)
                   ON CONFLICT (source) DO UPDATE SET articles = excluded.articles""",
                list(self.clock_dirty.items()),
            )
            self.clock_dirty = {}
        if not self.dirty:
            return
        inserts, updates = [], []
        for (source, key), row in self.dirty.items():
            if row.recent is not None:
                row.recent_json, row.recent = json.dumps(row.recent), None
            if row.new:
                inserts.append(
                    (source, key, row.text, row.articles_seen, row.recent_json, int(row.is_boilerplate),
                     row.first_seen_tick, row.last_seen_tick, row.first_seen_at, row.learned_at)
                )  # fmt: skip
                row.new = False
            else:
                updates.append(
                    (row.articles_seen, row.recent_json, int(row.is_boilerplate), row.last_seen_tick, row.learned_at,
                     source, key)
                )  # fmt: skip
        self.dirty = {}
        if inserts:
            conn.executemany(
                f"INSERT INTO source_blocks (source, block_hash, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
        if updates:
            conn.executemany(
                """UPDATE source_blocks SET articles_seen = ?, recent_articles = ?, is_boilerplate = ?,
                   last_seen_tick = ?, learned_at = ? WHERE source = ? AND block_hash = ?""",
                updates,
            )

    def forget(self) -> None:
        """Drop what was read and not written (the transaction ended): the next one reads again."""
        self.rows, self.dirty, self.clock, self.clock_dirty = {}, {}, {}, {}


def boilerplate_texts(db: Database, source: str) -> list[str]:
    rows = db.execute(
        "SELECT text FROM source_blocks WHERE source = ? AND is_boilerplate ORDER BY learned_at, text", [source]
    ).fetchall()
    return [str(row[0]) for row in rows]


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
