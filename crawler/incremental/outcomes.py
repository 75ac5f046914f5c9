"""Outcomes the spider and the incremental middleware hand to the archive as pseudo-items.

They are the declared interface between the components of a crawl (as scrapy-deltafetch records a
request by the items its callback yields): the spider yields them, the archive pipeline writes them
in its transaction and passes nothing on. None of them is an article.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.incremental.state import ListingState


@dataclass(frozen=True)
class UrlSettled:
    """An article URL that ended without an article: final (a 404, not HTML, a variant whose canonical
    page is fetched instead) or transient (a 503, a timeout: worth another try next run)."""

    url: str
    source: str
    entry_date: str | None = None
    listing: str | None = None
    transient: bool = False


@dataclass(frozen=True)
class EntrySeen:
    """A listing lists a known URL for the first time: its date is remembered, nothing is fetched."""

    url_key: str
    listing: str
    entry_date: str


@dataclass(frozen=True)
class ListingRead:
    """A listing was fetched and read; committed at the end of a clean run unless it is incomplete
    or one of its articles failed transiently."""

    state: ListingState
    had_news: bool = False


@dataclass(frozen=True)
class ListingIncomplete:
    """A listing had more entries than one run takes: read it again next run, however it answers."""

    url: str


class ListingUnchanged(Exception):
    """Raised by the incremental middleware for a listing that answered 304 or with the same body as
    last time: the spider's errback receives it (as Scrapy's HttpError reaches it) and reads nothing."""

    def __init__(self, url: str, *, not_modified: bool) -> None:
        super().__init__(f"{url}: {'not modified (304)' if not_modified else 'unchanged since the last run'}")
        self.url = url
        self.not_modified = not_modified
