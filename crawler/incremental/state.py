"""Cross-run fetch state: what each feed, sitemap and article URL looked like when last fetched."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # The date of the entry that led to the last fetch (kept for archives made before entry_dates).
    entry_date: str | None = None
    content_hash: str | None = None  # None: fetched, but nothing stored (dropped, 404, not HTML)
    # Each listing's own entry date for this URL: a feed's pubDate and a sitemap's lastmod differ, so
    # a change is judged against the same listing's previous date, never another listing's.
    entry_dates: dict[str, str] = field(default_factory=dict)


@dataclass
class DueArticle:
    """A stored article due for a refresh re-check (the archive's, or the cluster's index of them)."""

    article_id: str
    url: str
    source: str
    published_at: str | None
