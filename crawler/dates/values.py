"""One date value as a feed, sitemap or page metadata states it, to an aware UTC datetime.

Feeds get dates wrong in every way (RFC 822, W3C/ISO 8601, and worse); a date we cannot read is None,
never an error. Feed dates with no timezone, or a zone name we do not know, are UTC; metadata values
(JSON-LD, meta tags, <time datetime>) without a zone are local time in the page's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from types import MappingProxyType

from dateutil import parser as dateutil_parser

from .clock import squeeze
from .printed import MAX_YEAR, MIN_YEAR, find_date
from .zones import TZINFOS, offset_minutes, to_utc

# Longer strings are not dates, and the fallback parser's cost grows with length.
_MAX_DATE_LENGTH = 100

_MONTHS = MappingProxyType(
    {name: number for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )}
)  # fmt: skip

# RFC 822 / 2822 as feeds write it: optional weekday, 2- or 4-digit year, optional seconds,
# and a zone that may be numeric, a name, "GMT+2" or missing.
_RFC822 = re.compile(
    r"""\s*(?:[A-Za-z]+\.?,?\s*)?
    (?P<day>[0-9]{1,2})[\s-]+(?P<month>[A-Za-z]{3,})\.?[\s-]+(?P<year>[0-9]{4}|[0-9]{2}),?\s+
    (?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]+)?)?
    \s*(?P<zone>[A-Za-z]{1,5})?\s*(?P<offset>[+-][0-9]{1,2}(?::?[0-9]{2})?)?\s*(?:\([^)]*\))?\s*$""",
    re.VERBOSE,
)
_ISO_START = re.compile(r"[0-9]{4}(?:-[0-9]{2}|[0-9]{4}T|$)")

# Two far-apart defaults: dateutil fills missing fields from its default, so a field that comes
# out differently under each was not in the string and the date is too incomplete to use.
_PROBE_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def _offset_minutes(offset: str) -> int:
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    if len(digits) <= 2:
        return sign * int(digits) * 60
    return sign * (int(digits[:-2]) * 60 + int(digits[-2:]))


def _zone(zone: str | None, offset: str | None) -> timezone:
    minutes = (offset_minutes(zone) or 0) if zone else 0
    if offset:
        # "+0200" alone is the offset; "GMT+2" is relative to the named zone.
        minutes += _offset_minutes(offset)
    return timezone(timedelta(minutes=minutes))


def _parse_iso(text: str) -> datetime | None:
    # The C parser covers the common W3C forms at a fraction of dateutil's cost (it matters for
    # 50,000-URL sitemaps); dateutil's isoparser takes the rest, such as "2023-09" or "T24:00".
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dateutil_parser.isoparse(text)
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    match = _RFC822.match(text)
    if match is None:
        return None
    month = _MONTHS.get(match["month"][:3].lower())
    if month is None:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:
        # RFC 2822 section 4.3: two-digit years below 50 are in the 2000s.
        year += 2000 if year < 50 else 1900
    return datetime(
        year,
        month,
        int(match["day"]),
        int(match["hour"]),
        int(match["minute"]),
        int(match["second"] or 0),
        tzinfo=_zone(match["zone"], match["offset"]),
    )


def _dateutil_zone(name: str | None, offset: int | None) -> int | None:
    # dateutil asks this for every zone it finds: numeric offsets pass through, known names map
    # to their offset, and unknown names give a naive result (UTC) instead of the machine's zone.
    if offset is not None:
        return offset
    minutes = offset_minutes(name) if name else None
    return minutes * 60 if minutes is not None else None


def _parse_loosely(text: str) -> datetime | None:
    first, second = (
        dateutil_parser.parse(text, default=default, tzinfos=_dateutil_zone) for default in _PROBE_DEFAULTS
    )
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    return first


def parse_feed_date(raw: str | None) -> datetime | None:
    """Aware UTC datetime for a feed or sitemap date string, or None if it cannot be read."""
    if raw is None:
        return None
    text = raw.strip()
    if not text or len(text) > _MAX_DATE_LENGTH:
        return None
    try:
        parsed: datetime | None = None
        if _ISO_START.match(text):
            parsed = _parse_iso(text)
        if parsed is None:
            parsed = _parse_rfc822(text)
        if parsed is None:
            parsed = _parse_loosely(text)
        if parsed is None:
            return None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_date_value(value: str, tz: tzinfo | None = None) -> datetime | None:
    """A date stated by metadata (JSON-LD, meta tags, <time datetime>, feeds), as aware UTC."""
    value = squeeze(value)
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):
        return _plausible(datetime.fromtimestamp(int(value[:10]), UTC))
    for parse_iso in (datetime.fromisoformat, dateutil_parser.isoparse):  # the C parser first: 20x faster
        try:
            return _plausible(to_utc(parse_iso(value), tz))
        except (ValueError, OverflowError):
            pass
    match = find_date(value, tz=tz)
    if match:
        return match.value
    try:
        parsed = dateutil_parser.parse(value, default=datetime(1, 1, 1), tzinfos=TZINFOS)
    except (ValueError, OverflowError):
        return None
    return _plausible(to_utc(parsed, tz))


def _plausible(moment: datetime) -> datetime | None:
    """None for placeholder dates ("0001-01-01", "9999-12-31") that CMSs emit for "unknown"."""
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None
