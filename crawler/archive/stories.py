"""The story index in SQLite: signatures and LSH buckets of every indexed article, and the story
links they give `articles` (story_id, duplicate_of).

`SqliteStoryIndex` is what `crawler.dedup.linking.StoryLinker` runs over; everything here runs inside
the archive's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext

import numpy as np
import numpy.typing as npt
from sqlite_utils import Database

from crawler.archive.connection import write_transaction
from crawler.dedup.fingerprint import signature_bytes, signature_from_bytes
from crawler.dedup.index import BANDING_LAYOUT_KEY, SIGNATURE_LAYOUT_KEY, IndexedArticle, IndexRow

__all__ = ["BANDING_LAYOUT_KEY", "SIGNATURE_LAYOUT_KEY", "IndexRow", "IndexedArticle", "SqliteStoryIndex"]

REBUILD_CHUNK = 20_000
# Rows turned into Python objects at a time by the bulk loaders: bounds their memory.
BULK_SLICE = 1_000_000

COLUMNS = "id, article_id, story_id, source, body_hash, signature, facts, published_at"


def _indexed(row: Sequence[object]) -> IndexedArticle:
    member, article_id, story_id, source, body_hash, signature, facts, published_at = row
    return IndexedArticle(
        member=int(member),  # type: ignore[call-overload]
        article_id=str(article_id),
        story_id=str(story_id),
        source=source if isinstance(source, str) else None,
        body_hash=int(body_hash),  # type: ignore[call-overload]
        signature=signature_from_bytes(bytes(signature)),  # type: ignore[call-overload]
        facts=str(facts),
        published_at=published_at if isinstance(published_at, str) else None,
    )


def layout(db: Database) -> dict[str, str]:
    return {str(key): str(value) for key, value in db.execute("SELECT key, value FROM story_index").fetchall()}


def set_layout(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO story_index (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def indexed_article(db: Database, article_id: str) -> IndexedArticle | None:
    row = db.execute(f"SELECT {COLUMNS} FROM story_signatures WHERE article_id = ?", [article_id]).fetchone()
    return _indexed(row) if row else None


def same_body(db: Database, body_hash: int, *, exclude: str, limit: int) -> list[IndexedArticle]:
    """Indexed articles with exactly this normalised body, oldest first."""
    rows = db.execute(
        f"SELECT {COLUMNS} FROM story_signatures WHERE body_hash = ? AND article_id != ? ORDER BY id LIMIT ?",
        [body_hash, exclude, limit],
    ).fetchall()
    return [_indexed(row) for row in rows]


def bucket_neighbours(db: Database, bucket_keys: Iterable[int], *, exclude: str, limit: int) -> list[IndexedArticle]:
    """Indexed articles sharing at least one bucket, those sharing the most buckets first.

    One query over the article's own buckets: its cost grows with the number of bands and with the
    size of the matching stories, not with the size of the index.
    """
    keys = [int(key) for key in bucket_keys]
    placeholders = ", ".join("?" * len(keys))
    rows = db.execute(
        f"""
        SELECT {COLUMNS} FROM story_signatures
        JOIN (
            SELECT member, count(*) AS shared FROM story_buckets
            WHERE bucket IN ({placeholders}) GROUP BY member ORDER BY shared DESC, member LIMIT ?
        ) AS hits ON hits.member = story_signatures.id
        WHERE article_id != ?
        ORDER BY hits.shared DESC, id
        """,
        [*keys, limit + 1, exclude],
    ).fetchall()
    return [_indexed(row) for row in rows[:limit]]


def save(
    db: Database, row: IndexRow, bucket_keys: Sequence[int], *, member: int | None, old_bucket_keys: Sequence[int] = ()
) -> int:
    """Insert or replace one article's signature row and buckets; its member number. ``member``: the
    article's member number when it is indexed (as `indexed_article` read it), None when it is not.

    The member number (rowid) survives a re-index, so "first indexed" stays a stable tie-breaker.
    """
    values = [
        row.story_id,
        row.source,
        row.body_hash,
        signature_bytes(row.signature),
        row.facts,
        row.published_at,
        row.indexed_at,
        row.provenance,
    ]
    if member is not None:
        db.execute(
            """UPDATE story_signatures SET story_id = ?, source = ?, body_hash = ?, signature = ?, facts = ?,
               published_at = ?, indexed_at = ?, provenance = ? WHERE id = ?""",
            [*values, member],
        )
        db.conn.executemany(
            "DELETE FROM story_buckets WHERE bucket = ? AND member = ?",
            [(int(k), member) for k in old_bucket_keys],
        )
    else:
        cursor = db.execute(
            """INSERT INTO story_signatures
               (article_id, story_id, source, body_hash, signature, facts, published_at, indexed_at, provenance)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [row.article_id, *values],
        )
        member = int(cursor.lastrowid)  # type: ignore[arg-type]
    db.conn.executemany(
        "INSERT OR IGNORE INTO story_buckets (bucket, member) VALUES (?, ?)",
        [(int(k), member) for k in bucket_keys],
    )
    return member


def bulk_save(db: Database, rows: Sequence[IndexRow], bucket_keys: npt.NDArray[np.int64]) -> None:
    """Append many new articles at once (imports, benchmarks); ``bucket_keys`` has one row per article."""
    first = bulk_insert_signatures(db, rows)
    members = np.arange(first, first + len(rows), dtype=np.int64)
    bulk_insert_buckets(db, members, bucket_keys)


def bulk_insert_signatures(db: Database, rows: Sequence[IndexRow]) -> int:
    """Append signature rows without their buckets; the member number of the first."""
    first = int(db.execute("SELECT coalesce(max(id), 0) FROM story_signatures").fetchone()[0]) + 1
    db.conn.executemany(
        """INSERT INTO story_signatures
           (id, article_id, story_id, source, body_hash, signature, facts, published_at, indexed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            (
                first + offset,
                row.article_id,
                row.story_id,
                row.source,
                row.body_hash,
                signature_bytes(row.signature),
                row.facts,
                row.published_at,
                row.indexed_at,
            )
            for offset, row in enumerate(rows)
        ),
    )
    return first


def bulk_insert_buckets(db: Database, members: npt.NDArray[np.int64], bucket_keys: npt.NDArray[np.int64]) -> None:
    """Insert the buckets of many members (``bucket_keys``: one row per member) in key order, so the
    B-tree grows by appending pages instead of splitting them at random."""
    member_column = np.repeat(members, bucket_keys.shape[1])
    key_column = bucket_keys.reshape(-1)
    order = np.lexsort((member_column, key_column))
    for start in range(0, len(order), BULK_SLICE):
        part = order[start : start + BULK_SLICE]
        db.conn.executemany(
            "INSERT OR IGNORE INTO story_buckets (bucket, member) VALUES (?, ?)",
            zip(key_column[part].tolist(), member_column[part].tolist(), strict=True),
        )


def rebuild_buckets(db: Database, keys_for: Callable[[npt.NDArray[np.uint16]], npt.NDArray[np.int64]]) -> int:
    """Recompute every bucket from the stored signatures (after the banding changed); rows indexed."""
    db.execute("DELETE FROM story_buckets")
    last, total = 0, 0
    while True:
        rows = db.execute(
            "SELECT id, signature FROM story_signatures WHERE id > ? ORDER BY id LIMIT ?",
            [last, REBUILD_CHUNK],
        ).fetchall()
        if not rows:
            return total
        members = np.array([row[0] for row in rows], dtype=np.int64)
        signatures = np.stack([signature_from_bytes(bytes(row[1])) for row in rows])
        bulk_insert_buckets(db, members, keys_for(signatures))
        last, total = int(members[-1]), total + len(rows)


def story_size(db: Database, story_id: str) -> int:
    return int(db.execute("SELECT count(*) FROM story_signatures WHERE story_id = ?", [story_id]).fetchone()[0])


def story_founded(db: Database, story_id: str) -> int | None:
    """The member number of the story's first indexed article: older stories keep their id in a merge."""
    row = db.execute("SELECT min(id) FROM story_signatures WHERE story_id = ?", [story_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def merge_stories(db: Database, into: str, others: Sequence[str]) -> None:
    """Move every member of ``others`` into story ``into``, in the index and in stored articles."""
    if not others:
        return
    placeholders = ", ".join("?" * len(others))
    db.execute(f"UPDATE story_signatures SET story_id = ? WHERE story_id IN ({placeholders})", [into, *others])
    db.execute(f"UPDATE articles SET story_id = ? WHERE story_id IN ({placeholders})", [into, *others])


def earliest_member(db: Database, story_id: str) -> str | None:
    """The story's earliest-published article; undated articles come after dated ones. A tie goes to
    the member that looks most like the publisher's own page (provenance), then to the first indexed;
    among undated ones, to the first indexed. One query (a new story has no member yet: the writer
    asks this of every new article)."""
    row = db.conn.execute(
        "SELECT article_id FROM story_signatures WHERE story_id = ? ORDER BY published_at IS NULL, published_at,"
        " CASE WHEN published_at IS NULL THEN 0 ELSE provenance END, id LIMIT 1",
        (story_id,),
    ).fetchone()
    return str(row[0]) if row else None


def point_to_original(db: Database, story_id: str, original: str) -> int:
    """Make every stored member of the story point at its new earliest member; rows not stored yet
    are written with the value the linker returned. Rows updated."""
    cursor = db.execute(
        """
        UPDATE articles SET story_id = ?, duplicate_of = CASE WHEN id = ? THEN NULL ELSE ? END
        WHERE id IN (SELECT article_id FROM story_signatures WHERE story_id = ?)
        """,
        [story_id, original, original, story_id],
    )
    return cursor.rowcount


def story_links(db: Database, article_id: str) -> tuple[str, str | None] | None:
    """(story_id, duplicate_of) of an indexed article as the index knows them now; None if it was
    never indexed (a reader for tests and tools: the archive writes what the linker returned)."""
    row = db.execute("SELECT story_id FROM story_signatures WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return None
    story_id = str(row[0])
    original = earliest_member(db, story_id)
    return story_id, None if original in (None, article_id) else original


def set_story_columns(db: Database, article_id: str, story_id: str | None, duplicate_of: str | None) -> None:
    """Set a stored article's story_id and duplicate_of; a row already right is not rewritten, so the
    full-text triggers do not fire for nothing."""
    db.execute(
        "UPDATE articles SET story_id = ?, duplicate_of = ?"
        " WHERE id = ? AND (story_id IS NOT ? OR duplicate_of IS NOT ?)",
        [story_id, duplicate_of, article_id, story_id, duplicate_of],
    )


class SqliteStoryIndex:
    """The StoryIndex protocol of crawler.dedup.index over the archive's connection.

    ``savepoints`` off: inside a transaction the caller already holds, `atomic` opens no savepoint.
    The archive writer's batch transaction is all or nothing (a failed batch is rolled back whole and
    written again one article per transaction), so a savepoint per article protected nothing — and
    SQLite's full-text index writes out what it holds in memory at every savepoint, so it cost a
    full-text segment per article instead of one per batch.
    """

    def __init__(
        self, db: Database, *, savepoints: bool = True, before_article_updates: Callable[[], None] | None = None
    ) -> None:
        self.db = db
        self.savepoints = savepoints
        # Called before the index updates stored articles' story columns: the archive writer holds a
        # batch's article rows until then (crawler.archive.articles.PendingArticles).
        self.before_article_updates = before_article_updates

    def atomic(self) -> AbstractContextManager[None]:
        if not self.savepoints and self.db.conn.in_transaction:
            return nullcontext()
        return write_transaction(self.db)

    def layout(self) -> dict[str, str]:
        return layout(self.db)

    def set_layout(self, key: str, value: str) -> None:
        set_layout(self.db, key, value)

    def indexed_article(self, article_id: str) -> IndexedArticle | None:
        return indexed_article(self.db, article_id)

    def same_body(self, body_hash: int, *, exclude: str, limit: int) -> list[IndexedArticle]:
        return same_body(self.db, body_hash, exclude=exclude, limit=limit)

    def bucket_neighbours(self, bucket_keys: Iterable[int], *, exclude: str, limit: int) -> list[IndexedArticle]:
        return bucket_neighbours(self.db, bucket_keys, exclude=exclude, limit=limit)

    def save(
        self, row: IndexRow, bucket_keys: Sequence[int], *, member: int | None, old_bucket_keys: Sequence[int] = ()
    ) -> int:
        return save(self.db, row, bucket_keys, member=member, old_bucket_keys=old_bucket_keys)

    def rebuild_buckets(self, keys_for: Callable[[npt.NDArray[np.uint16]], npt.NDArray[np.int64]]) -> int:
        return rebuild_buckets(self.db, keys_for)

    def story_size(self, story_id: str) -> int:
        return story_size(self.db, story_id)

    def story_founded(self, story_id: str) -> int | None:
        return story_founded(self.db, story_id)

    def merge_stories(self, into: str, others: Sequence[str]) -> None:
        if self.before_article_updates is not None:
            self.before_article_updates()
        merge_stories(self.db, into, others)

    def earliest_member(self, story_id: str) -> str | None:
        return earliest_member(self.db, story_id)

    def point_to_original(self, story_id: str, original: str) -> int:
        if self.before_article_updates is not None:
            self.before_article_updates()
        return point_to_original(self.db, story_id, original)
