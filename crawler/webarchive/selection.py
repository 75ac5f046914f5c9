"""Which WARC records an import reads as articles: HTML 200 responses, by host, date and language.

Pure: a record and the filters in, the reason it is skipped (or None) out. The language is known only
after extraction, so ``Filters.language_allowed`` is asked then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from crawler.webarchive.reading import WarcRecord

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Filters:
    domains: tuple[str, ...] = ()  # empty: every host
    languages: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None  # exclusive

    def host_allowed(self, host: str) -> bool:
        return not self.domains or any(host == d or host.endswith("." + d) for d in self.domains)

    def date_allowed(self, when: datetime | None) -> bool:
        """A record without a readable date is kept: nothing says it is outside the range."""
        if when is None:
            return True
        return not ((self.since and when < self.since) or (self.until and when >= self.until))

    def language_allowed(self, language: str | None) -> bool:
        return not self.languages or (language or "") in self.languages


@dataclass(frozen=True)
class Candidate:
    """A record that passed the filters: its host and its date (None when the record has none)."""

    host: str
    fetched_at: datetime | None


def is_html(content_type: str, body: bytes) -> bool:
    mime = content_type.split(";")[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    return b"<html" in body[:2048].lower()  # no Content-Type: sniffed, as Scrapy would


def warc_time(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def select(record: WarcRecord, filters: Filters) -> Candidate | str:
    """The record as a candidate article, or why it is skipped (a counter's name)."""
    if record.warc_type != "response" or record.http_status is None or not record.url.startswith("http"):
        return "skipped_not_http_response"
    if record.http_status != 200:
        return "skipped_not_200"
    if not is_html(record.content_type, record.body):
        return "skipped_not_html"
    host = (urlsplit(record.url).hostname or "").lower()
    if not filters.host_allowed(host):
        return "skipped_domain"
    fetched_at = warc_time(record.date)
    if not filters.date_allowed(fetched_at):
        return "skipped_date"
    return Candidate(host, fetched_at)
