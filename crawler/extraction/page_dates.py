"""Publication and modification dates of a page, from the most to the least reliable source.

JSON-LD, then meta tags, then <time datetime>, then date lines printed on the page, then the hints
from the feed or sitemap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from crawler.dates import local_zone, parse_date_value, to_utc
from crawler.items import Hints

from .jsonld import JsonLdFacts
from .page import PageIndex, is_furniture
from .visible_dates import visible_dates

_PUBLISHED_METAS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article.published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "published_time",
    "pubdate",
    "pub_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "cxenseparse:recs:publishtime",
    "datecreated",
    "release_date",
    "published",
    "originalpublicationdate",
    "article_date_original",
    "ptime",
    "displaydate",
)
_MODIFIED_METAS = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "article.updated",
    "datemodified",
    "modified_time",
    "last-modified",
    "lastmod",
    "dc.date.modified",
    "dcterms.modified",
)
_MODIFIED_MARK = re.compile(r"updat|modif|aktualisiert|edited", re.IGNORECASE)

# A printed date and the feed's timestamp this close together are one moment, printed less exactly.
HINT_AGREEMENT = timedelta(hours=26)
# the world's UTC offsets span -12 to +14 hours
_MAX_OFFSET = timedelta(hours=14)
_QUARTER_HOUR = timedelta(minutes=15)
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# the zone a date string ends with: "Z", "UTC"/"GMT", or a numeric offset
_STATED_OFFSET = re.compile(r"(?<=\d)\s*(?:(Z|UTC|GMT)|([+-]\d{2}:?\d{2}))$", re.IGNORECASE)


@dataclass(frozen=True)
class _Stamp:
    value: datetime
    timed: bool  # False: a day without a time of day, stored as midnight
    # how the page wrote it: "Z"/"+00:00", or another offset (values are all converted to UTC)
    said_utc: bool = False
    said_offset: bool = False


def page_dates(
    page: PageIndex,
    facts: JsonLdFacts,
    hints: Hints,
    language: str | None,
    *,
    fetched_at: datetime | None,
    tz: tzinfo | None,
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) as aware UTC datetimes.

    A source that gives only the day ("2012-11-06") is completed by the first later source with a time
    on that day.
    """
    tz = local_zone(tz, language)
    stated = _stamps((facts.date_published, *_metas(page, _PUBLISHED_METAS)), tz)
    stated_modified = _stamps((facts.date_modified, *_metas(page, _MODIFIED_METAS)), tz)
    published = _zoned(stated)
    modified = _zoned(stated_modified)
    later: list[_Stamp] = stated[1:]
    later_modified: list[_Stamp] = stated_modified[1:]
    if not (published and published.timed and modified and modified.timed):
        from_times = _time_elements(page, tz)
        later.extend(stamp for stamp in from_times[:1] if stamp)
        later_modified.extend(stamp for stamp in from_times[1:] if stamp)
        published, modified = _complete(published, later), _complete(modified, later_modified)
    if published is None or not published.timed:
        seen_published, seen_modified = visible_dates(page, language, now=fetched_at, tz=tz)
        seen = _Stamp(seen_published.value, seen_published.timed) if seen_published else None
        seen_changed = _Stamp(seen_modified.value, seen_modified.timed) if seen_modified else None
        if published is None:
            published = _prefer_hint(seen, hints.published_at, tz)
        else:
            published = _complete(published, [seen] if seen else [])
        modified = modified or _prefer_hint(seen_changed, hints.modified_at, tz)
    result = published.value if published else None
    changed = modified.value if modified else None
    if result is None and hints.published_at is not None:
        result = to_utc(hints.published_at, tz)
    if changed is None and hints.modified_at is not None:
        changed = to_utc(hints.modified_at, tz)
    return result, changed


def _stamps(values: tuple[str | None, ...], tz: tzinfo | None) -> list[_Stamp]:
    stamps = []
    for value in values:
        if value:
            parsed = parse_date_value(value, tz)
            if parsed is not None:
                offset = _STATED_OFFSET.search(value.strip())
                said_utc = offset is not None and (offset.group(1) is not None or not offset.group(2).strip("+-0:"))
                stamps.append(
                    _Stamp(parsed, _CLOCK.search(value) is not None, said_utc, offset is not None and not said_utc)
                )
    return stamps


def _zoned(stamps: list[_Stamp]) -> _Stamp | None:
    """The first stamp; but a UTC one that another states as the same wall-clock time with an offset
    was a local time labelled "Z" by its CMS ("11:52:29Z" beside "11:52:29 -0800")."""
    if not stamps:
        return None
    first = stamps[0]
    if first.timed and first.said_utc:
        for other in stamps[1:]:
            shift = abs(first.value - other.value)
            if (
                other.timed
                and other.said_offset
                and timedelta(0) < shift <= _MAX_OFFSET
                and shift % _QUARTER_HOUR == timedelta(0)
            ):
                return other
    return first


def _complete(stamp: _Stamp | None, later: list[_Stamp]) -> _Stamp | None:
    """`stamp`, or the first later stamp with a time on its day when it has none."""
    if stamp is None:
        return next(iter(later), None)
    if stamp.timed:
        return stamp
    for other in later:
        # local midnight stored as UTC: the same local day lies within the span of the world's offsets
        if other.timed and -_MAX_OFFSET <= other.value - stamp.value < timedelta(days=1) + _MAX_OFFSET:
            return other
    return stamp


def _prefer_hint(printed: _Stamp | None, hint: datetime | None, tz: tzinfo | None) -> _Stamp | None:
    """A printed date often lacks the time or the zone; the feed's timestamp for the same moment has
    both, so it wins when the two agree to within a day."""
    if printed is None or hint is None:
        return printed
    exact = to_utc(hint, tz)
    return _Stamp(exact, True) if abs(exact - printed.value) <= HINT_AGREEMENT else printed


def _metas(page: PageIndex, keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in page.metas.get(key, ())]


def _time_elements(page: PageIndex, tz: tzinfo | None) -> tuple[_Stamp | None, _Stamp | None]:
    published: _Stamp | None = None
    modified: _Stamp | None = None
    for element in page.times:
        value = element.get("datetime")
        if not value or is_furniture(element):
            continue
        parsed = parse_date_value(value, tz)
        if parsed is None:
            continue
        stamp = _Stamp(parsed, _CLOCK.search(value) is not None)
        marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        parent = element.getparent()
        if parent is not None:
            marks += f" {parent.get('class') or ''}"
        if _MODIFIED_MARK.search(marks):
            modified = modified or stamp
        else:
            published = published or stamp
    return published, modified
