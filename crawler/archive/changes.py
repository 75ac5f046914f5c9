"""The change feed for a downstream archive: article revisions in `seq` order after a cursor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

# The export record, in column order. Stable: fields are only ever added at the end.
EXPORT_FIELDS = (
    "seq",
    "article_id",
    "revision",
    "change",
    "url",
    "canonical_url",
    "source",
    "title",
    "body",
    "blocks",
    "captions",
    "authors",
    "language",
    "published_at",
    "modified_at",
    "fetched_at",
    "content_hash",
)
JSON_FIELDS = ("blocks", "captions", "authors")


def changes_since(db: Database, cursor: int, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every revision with seq > cursor, oldest first, read from one snapshot of the database.

    Revisions are inserted inside the crawler's write transactions and SQLite has one writer at a
    time, so seq values become visible in increasing order: reading `seq > cursor` never skips a
    change that commits later, and never repeats one.
    """
    sql = (
        "SELECT seq, article_id, revision, CASE revision WHEN 1 THEN 'new' ELSE 'updated' END AS change,"
        " url, canonical_url, source, title, body, blocks, captions, authors, language,"
        " published_at, modified_at, fetched_at, content_hash"
        " FROM article_revisions WHERE seq > ? ORDER BY seq"
    )
    params: list[Any] = [cursor]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    with db.atomic():  # one read transaction: one consistent snapshot, streamed
        for row in db.query(sql, params):
            for name in JSON_FIELDS:
                row[name] = json.loads(row[name]) if row[name] else []
            yield row
