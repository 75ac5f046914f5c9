"""Dates and times: parsing stated values, printed dates, zones, and the archive's stored timestamps.

A bottom layer: it imports nothing from the rest of the crawler.

- values:  one date value as a feed, sitemap or page metadata states it
- printed: the first date in visible text, absolute or relative ("vor 2 Stunden")
- lines:   date lines ("Aktualisiert am 15.09.2023, 10:12 Uhr") and their labels
- zones:   the one table of zone abbreviations; the zone a language's local times likely mean
- stored:  ISO 8601 text in and out of the archive
- page:    a page's published and modified times, chosen from the candidates its extraction gathered
"""

from __future__ import annotations

from .clock import DateMatch
from .lines import LABEL, MAX_LINE_CHARS, has_date_word, is_date_line, may_hold_date
from .page import DateCandidates, DateLine, choose_dates
from .printed import find_date, parse_date_text
from .stored import parse_stored, to_stored
from .values import parse_date_value, parse_feed_date
from .zones import LANGUAGE_ZONES, ZONE_OFFSETS, local_zone, to_utc, zone

__all__ = [
    "LABEL",
    "LANGUAGE_ZONES",
    "MAX_LINE_CHARS",
    "ZONE_OFFSETS",
    "DateCandidates",
    "DateLine",
    "DateMatch",
    "choose_dates",
    "find_date",
    "has_date_word",
    "is_date_line",
    "local_zone",
    "may_hold_date",
    "parse_date_text",
    "parse_date_value",
    "parse_feed_date",
    "parse_stored",
    "to_stored",
    "to_utc",
    "zone",
]
