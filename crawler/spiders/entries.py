"""Which entries of a listing become article requests, and each article URL requested once per run.

The news spider asks `ListingEntries.wanted` for the entries of every feed, sitemap and section page
it reads; what is skipped is counted through the spider's `count` (ingest/spider/entries_*) and logged
with the listing's URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from crawler.discovery.entries import Entry
from crawler.incremental.outcomes import ListingIncomplete
from crawler.items import Hints
from crawler.limits import SpiderLimits
from crawler.seeds import Source
from crawler.urls import clean_url, host_allowed, url_key

logger = logging.getLogger(__name__)

# (stats key, source, count): the spider's counter, which also counts the event under the source
Count = Callable[[str, Source, int], None]


class RequestedUrls:
    """The article URLs requested in this run, by comparison key: one request per article, however
    many listings, refreshes or canonical links name it."""

    def __init__(self, tracking_params: tuple[str, ...]) -> None:
        self._tracking_params = tracking_params
        self._keys: set[str] = set()

    def first(self, url: str) -> bool:
        """True, and remembered, the first time `url` (or a form of it with the same key) comes."""
        key = url_key(url, self._tracking_params)
        if key in self._keys:
            return False
        self._keys.add(key)
        return True


class ListingEntries:
    """The entries of one crawl's listings that are worth an article request."""

    def __init__(self, limits: SpiderLimits, since: datetime | None, requested: RequestedUrls, count: Count) -> None:
        self.limits = limits
        self.since = since
        self.requested = requested
        self._count = count

    def too_old(self, entry: Entry) -> bool:
        when = entry.published or entry.updated
        return self.since is not None and when is not None and when < self.since

    def wanted(
        self, entries: list[Entry], source: Source, listing_url: str
    ) -> Iterator[ListingIncomplete | tuple[str, Hints]]:
        """(cleaned URL, hints) for each entry to request; first a ListingIncomplete when the listing
        holds more entries than one run takes, so that it is read again next run."""
        limit = self.limits.max_entries
        if len(entries) > limit:
            # A listing this long is a site's whole archive or a trap: take the first part now; the
            # listing stays unsettled so the next run reads it again and takes the next part.
            self._count("ingest/spider/entries_over_limit", source, len(entries) - limit)
            logger.warning("%s lists %d entries; taking %d this run", listing_url, len(entries), limit)
            yield ListingIncomplete(listing_url)
        for entry in entries[:limit]:
            self._count("ingest/spider/entries_seen", source, 1)
            skipped = self._skipped(entry, source, listing_url)
            if skipped:
                self._count(skipped, source, 1)
                continue
            yield clean_url(entry.url, self.limits.tracking_params), _hints(entry, source, listing_url)

    def _skipped(self, entry: Entry, source: Source, listing_url: str) -> str | None:
        """The stats key of the reason to skip the entry; None to request it."""
        if len(entry.url) > self.limits.max_url_length:
            logger.warning(
                "%s: skipped an entry: URL longer than %d characters: %s…",
                listing_url,
                self.limits.max_url_length,
                entry.url[:120],
            )
            return "ingest/spider/entries_invalid"
        if self.too_old(entry):
            return "ingest/spider/entries_skipped_since"
        if source.allowed_domains and not host_allowed(entry.url, source.allowed_domains):
            return "ingest/spider/entries_offsite"
        if not self.requested.first(entry.url):
            return "ingest/spider/entries_repeated"
        return None


def _hints(entry: Entry, source: Source, listing_url: str) -> Hints:
    return Hints(
        source=source.name,
        title=entry.title,
        published_at=entry.published,
        modified_at=entry.updated,
        guid=entry.guid,
        # With languages to keep, the language is the page's and the feed's, never the seed's.
        language=entry.language if source.languages else entry.language or source.language,
        discovered_from=listing_url,
    )
