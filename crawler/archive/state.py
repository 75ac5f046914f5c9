"""Cross-run fetch state: what each feed, sitemap and article URL looked like when last fetched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

from sqlite_utils import Database

# SQLite's default limit on host parameters is 32766 in current builds but 999 in old ones.
CHUNK = 500


@dataclass
class ListingState:
    url: str
    source: str
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    status: int | None = None
    fetched_at: str | None = None
    changed_at: str | None = None
    poll_interval: float | None = None
    next_poll_at: str | None = None


@dataclass
class UrlState:
    url_key: str
    article_id: str | None
    fetched_at: str
    entry_date: str | None = None
    content_hash: str | None = None  # None: fetched, but nothing stored (dropped, 404, not HTML)


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
            "SELECT url_key, article_id, fetched_at, entry_date, content_hash"
            f" FROM url_state WHERE url_key IN ({marks})",
            chunk,
        ):
            found[row["url_key"]] = UrlState(**row)
    return found


@dataclass
class DueArticle:
    article_id: str
    url: str
    source: str
    published_at: str | None


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
    """Upsert URL states. Call inside the transaction that stores what they describe."""
    rows = [asdict(state) for state in states]
    if rows:
        db.table("url_state").upsert_all(rows, pk="url_key")
