"""Cross-run fetch state in SQLite: listing_state and url_state (crawler.incremental says what they mean)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields

from sqlite_utils import Database

from crawler.incremental.state import DueArticle, ListingState, UrlState

__all__ = ["DueArticle", "ListingState", "UrlState"]

# SQLite's default limit on host parameters is 32766 in current builds but 999 in old ones.
CHUNK = 500


def load_listing_states(db: Database) -> dict[str, ListingState]:
    names = [f.name for f in fields(ListingState)]
    return {
        row["url"]: ListingState(**{name: row[name] for name in names})
        for row in db.query(f"SELECT {', '.join(names)} FROM listing_state")
    }


def save_listing_states(db: Database, states: Iterable[ListingState]) -> None:
    rows = [asdict(state) for state in states]
    if rows:
        with db.atomic():
            db.table("listing_state").upsert_all(rows, pk="url")


def lookup_urls(db: Database, keys: Sequence[str]) -> dict[str, UrlState]:
    """The stored state of each URL key that has one; one query per CHUNK keys."""
    found: dict[str, UrlState] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(
            "SELECT url_key, article_id, fetched_at, entry_date, content_hash, entry_dates"
            f" FROM url_state WHERE url_key IN ({marks})",
            chunk,
        ):
            row["entry_dates"] = json.loads(row["entry_dates"]) if row["entry_dates"] else {}
            found[row["url_key"]] = UrlState(**row)
    return found


def articles_due_for_refresh(
    db: Database, sources: Sequence[str], *, born_after: str, fetched_before: str, limit: int
) -> list[DueArticle]:
    """Stored articles published (else first stored) after `born_after` whose last fetch was before
    `fetched_before`, oldest fetch first."""
    if not sources:
        return []
    marks = ", ".join("?" * len(sources))
    sql = f"""
        SELECT a.id, a.url, a.source, a.published_at
        FROM articles a JOIN url_state u ON u.article_id = a.id
        WHERE a.source IN ({marks}) AND coalesce(a.published_at, a.first_stored_at) >= ?
        GROUP BY a.id
        HAVING max(u.fetched_at) < ?
        ORDER BY max(u.fetched_at)
        LIMIT ?
    """
    rows = db.execute(sql, [*sources, born_after, fetched_before, limit]).fetchall()
    return [DueArticle(*row) for row in rows]


def record_urls(db: Database, states: Iterable[UrlState]) -> None:
    """Upsert URL states, adding each state's listing dates to those already stored. Call inside the
    transaction that stores what they describe."""
    db.conn.executemany(
        """INSERT INTO url_state (url_key, article_id, fetched_at, entry_date, content_hash, entry_dates)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (url_key) DO UPDATE SET
             article_id = excluded.article_id, fetched_at = excluded.fetched_at,
             entry_date = coalesce(excluded.entry_date, url_state.entry_date),
             content_hash = excluded.content_hash,
             entry_dates = json_patch(coalesce(url_state.entry_dates, '{}'), excluded.entry_dates)""",
        [
            (s.url_key, s.article_id, s.fetched_at, s.entry_date, s.content_hash, json.dumps(s.entry_dates))
            for s in states
        ],
    )


def remember_entry_dates(db: Database, entries: Iterable[tuple[str, str, str]]) -> None:
    """(url_key, listing, entry_date): a known URL's date in a listing it was not fetched through."""
    db.conn.executemany(
        "UPDATE url_state SET entry_dates = json_patch(coalesce(entry_dates, '{}'), ?) WHERE url_key = ?",
        [(json.dumps({listing: date}), key) for key, listing, date in entries],
    )
