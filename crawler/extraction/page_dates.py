"""Publication and modification dates of a page, from the most to the least reliable source.

JSON-LD, then meta tags, then <time datetime>, then date lines printed on the page, then the hints
from the feed or sitemap.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from crawler.items import Hints

from .datelines import visible_dates
from .dates import parse_date_value, to_utc
from .jsonld import JsonLdFacts
from .page import PageIndex, is_furniture

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

# The zone a page's local times most likely mean when neither the page nor the seeds say: the one
# where most of the language's news is published. Not guessed for languages spread over many zones
# (English, Spanish, Portuguese, Arabic...): those stay UTC unless the seeds set `timezone`.
LANGUAGE_ZONES = {
    "de": "Europe/Berlin", "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw", "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "da": "Europe/Copenhagen", "sv": "Europe/Stockholm", "nb": "Europe/Oslo", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "el": "Europe/Athens", "ro": "Europe/Bucharest", "bg": "Europe/Sofia",
    "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana", "uk": "Europe/Kyiv", "tr": "Europe/Istanbul",
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
}  # fmt: skip
# A printed date and the feed's timestamp this close together are one moment, printed less exactly.
HINT_AGREEMENT = timedelta(hours=26)


def local_zone(tz: tzinfo | None, language: str | None) -> tzinfo | None:
    """The zone for times a page states without one: the seeds' choice, else the language's."""
    if tz is not None or language not in LANGUAGE_ZONES:
        return tz
    return ZoneInfo(LANGUAGE_ZONES[language])


def page_dates(
    page: PageIndex,
    facts: JsonLdFacts,
    hints: Hints,
    language: str | None,
    *,
    fetched_at: datetime | None,
    tz: tzinfo | None,
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) as aware UTC datetimes."""
    tz = local_zone(tz, language)
    published = _first_value((facts.date_published, *_metas(page, _PUBLISHED_METAS)), tz)
    modified = _first_value((facts.date_modified, *_metas(page, _MODIFIED_METAS)), tz)
    if published is None or modified is None:
        from_times = _time_elements(page, tz)
        published = published or from_times[0]
        modified = modified or from_times[1]
    if published is None:
        seen_published, seen_modified = visible_dates(page, language, now=fetched_at, tz=tz)
        published = _prefer_hint(seen_published, hints.published_at, tz)
        modified = modified or _prefer_hint(seen_modified, hints.modified_at, tz)
    if published is None and hints.published_at is not None:
        published = to_utc(hints.published_at, tz)
    if modified is None and hints.modified_at is not None:
        modified = to_utc(hints.modified_at, tz)
    return published, modified


def _prefer_hint(printed: datetime | None, hint: datetime | None, tz: tzinfo | None) -> datetime | None:
    """A printed date often lacks the time or the zone; the feed's timestamp for the same moment has
    both, so it wins when the two agree to within a day."""
    if printed is None or hint is None:
        return printed
    exact = to_utc(hint, tz)
    return exact if abs(exact - printed) <= HINT_AGREEMENT else printed


def _metas(page: PageIndex, keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in page.metas.get(key, ())]


def _first_value(values: tuple[str | None, ...], tz: tzinfo | None) -> datetime | None:
    for value in values:
        if value:
            parsed = parse_date_value(value, tz)
            if parsed is not None:
                return parsed
    return None


def _time_elements(page: PageIndex, tz: tzinfo | None) -> tuple[datetime | None, datetime | None]:
    published: datetime | None = None
    modified: datetime | None = None
    for element in page.times:
        value = element.get("datetime")
        if not value or is_furniture(element):
            continue
        parsed = parse_date_value(value, tz)
        if parsed is None:
            continue
        marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        parent = element.getparent()
        if parent is not None:
            marks += f" {parent.get('class') or ''}"
        if _MODIFIED_MARK.search(marks):
            modified = modified or parsed
        else:
            published = published or parsed
    return published, modified
