"""What discovery hands to the spider: one URL worth fetching, with what the feed or sitemap said about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    url: str  # absolute, resolved against the document URL, whitespace stripped
    title: str | None = None
    published: datetime | None = None  # timezone-aware UTC; naive dates are taken as UTC
    updated: datetime | None = None  # timezone-aware UTC
    guid: str | None = None
    language: str | None = None  # news:language, or the feed-level language / xml:lang
