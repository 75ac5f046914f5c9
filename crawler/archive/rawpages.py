"""Read back stored raw pages for offline re-extraction."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

CHUNK = 50


@dataclass
class StoredPage:
    article_id: str
    url: str
    source: str | None
    language: str | None
    timezone: str | None
    published_at: str | None
    modified_at: str | None
    fetched_at: str | None
    html: bytes
    content_type: str | None = None


def pages_to_reextract(db: Database, *, source: str | None = None, since: str | None = None) -> Iterator[StoredPage]:
    """The latest raw page of every article (optionally of one source, fetched since a date)."""
    where, params = ["1 = 1"], []
    if source:
        where.append("a.source = ?")
        params.append(source)
    if since:
        where.append("a.fetched_at >= ?")
        params.append(since)
    ids = [
        row[0] for row in db.execute(f"SELECT a.id FROM articles a WHERE {' AND '.join(where)} ORDER BY a.id", params)
    ]
    # Pages are read a chunk at a time: the caller writes between chunks, and memory stays bounded.
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"""
            SELECT a.id, r.url, a.source, s.language, s.timezone, a.published_at, a.modified_at,
                   r.fetched_at, r.html_gz, r.content_type
            FROM articles a
            JOIN raw_pages r ON r.id = (SELECT max(id) FROM raw_pages WHERE article_id = a.id)
            LEFT JOIN sources s ON s.name = a.source
            WHERE a.id IN ({marks})
            ORDER BY a.id
        """
        for row in db.execute(sql, chunk).fetchall():
            article_id, url, source, language, timezone, published_at, modified_at, fetched_at, html_gz, ctype = row
            yield StoredPage(
                article_id,
                url,
                source,
                language,
                timezone,
                published_at,
                modified_at,
                fetched_at,
                gzip.decompress(html_gz),
                ctype,
            )


def articles_without_raw_html(db: Database, *, source: str | None = None) -> int:
    sql = "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM raw_pages r WHERE r.article_id = a.id)"
    params: list[str] = []
    if source:
        sql += " AND a.source = ?"
        params.append(source)
    return int(db.execute(sql, params).fetchone()[0])
