"""A page's publication and modification dates, chosen from the candidates its extraction gathered.

From the most to the least reliable source: JSON-LD, then meta tags, then <time datetime>, then date
lines printed on the page, then the hints from the feed or sitemap. The candidates are plain data
(crawler.extraction reads them off the page); this module only weighs them, so it knows no HTML.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import islice

from .clock import DateMatch
from .lines import LABEL
from .printed import find_date
from .values import parse_date_value
from .zones import local_zone, to_utc

# A printed date and the feed's timestamp this close together are one moment, printed less exactly.
HINT_AGREEMENT = timedelta(hours=26)
# the world's UTC offsets span -12 to +14 hours
_MAX_OFFSET = timedelta(hours=14)
_QUARTER_HOUR = timedelta(minutes=15)
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# the zone a date string ends with: "Z", "UTC"/"GMT", or a numeric offset
_STATED_OFFSET = re.compile(r"(?<=\d)\s*(?:(Z|UTC|GMT)|([+-]\d{2}:?\d{2}))$", re.IGNORECASE)
_MAX_UNLABELLED_CHARS = 80
_LABEL_TO_DATE_CHARS = 40
_MODIFIED_LOOKAHEAD = 6


@dataclass(frozen=True)
class DateLine:
    """A short visible text piece of the page, in page order."""

    text: str
    labelled: bool  # it holds a date label ("Veröffentlicht am", "Updated")
    # 0: in a date-classed element of the article; 1: other article text; 2: elsewhere;
    # None: in furniture (related articles, comments), whose dates are other articles'
    rank: int | None


@dataclass
class DateCandidates:
    """What a page states about its dates, each list in order of trust."""

    published: list[str] = field(default_factory=list)  # JSON-LD, then meta tags
    modified: list[str] = field(default_factory=list)
    # <time datetime> values outside furniture: (value, True when marked as the update time)
    times: list[tuple[str, bool]] = field(default_factory=list)
    # read only when the stated values give no time of day: may be a lazy iterator over the page
    lines: Iterable[DateLine] = ()


@dataclass(frozen=True)
class _Stamp:
    value: datetime
    timed: bool  # False: a day without a time of day, stored as midnight
    # how the page wrote it: "Z"/"+00:00", or another offset (values are all converted to UTC)
    said_utc: bool = False
    said_offset: bool = False


def choose_dates(
    candidates: DateCandidates,
    *,
    language: str | None,
    published_hint: datetime | None = None,
    modified_hint: datetime | None = None,
    fetched_at: datetime | None = None,
    tz: tzinfo | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) as aware UTC datetimes.

    A source that gives only the day ("2012-11-06") is completed by the first later source with a time
    on that day. `tz` is the zone of times stated without one (else the offset the page states with
    its other times, else the language's likely zone);
    `fetched_at` anchors relative dates ("vor 2 Stunden").
    """
    tz = tz or _stated_zone(candidates) or local_zone(None, language)
    stated = _stamps(candidates.published, tz)
    stated_modified = _stamps(candidates.modified, tz)
    published = _zoned(stated)
    modified = _zoned(stated_modified)
    later: list[_Stamp] = stated[1:]
    later_modified: list[_Stamp] = stated_modified[1:]
    if not (published and published.timed and modified and modified.timed):
        from_times = _time_elements(candidates.times, tz)
        later.extend(stamp for stamp in from_times[:1] if stamp)
        later_modified.extend(stamp for stamp in from_times[1:] if stamp)
        published, modified = _complete(published, later), _complete(modified, later_modified)
    if published is None or not published.timed:
        seen_published, seen_modified = visible_dates(candidates.lines, language, now=fetched_at, tz=tz)
        seen = _Stamp(seen_published.value, seen_published.timed) if seen_published else None
        seen_changed = _Stamp(seen_modified.value, seen_modified.timed) if seen_modified else None
        if published is None:
            published = _prefer_hint(seen, published_hint, tz)
        else:
            published = _complete(published, [seen] if seen else [])
        modified = modified or _prefer_hint(seen_changed, modified_hint, tz)
    result = published.value if published else None
    changed = modified.value if modified else None
    if result is None and published_hint is not None:
        result = to_utc(published_hint, tz)
    if changed is None and modified_hint is not None:
        changed = to_utc(modified_hint, tz)
    return result, changed


def _stated_zone(candidates: DateCandidates) -> tzinfo | None:
    """The offset the page states with its own times ("…T10:12:00+02:00"), for the times it prints
    without one: better evidence than its language. "Z" and "+00:00" do not count: CMSs write UTC for
    pages of every zone."""
    for value in (*candidates.published, *candidates.modified, *(value for value, _ in candidates.times)):
        match = _STATED_OFFSET.search(value.strip())
        if match is not None and match.group(2) and match.group(2).strip("+-0:"):
            sign, digits = match.group(2)[0], match.group(2)[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:])
            if timedelta(minutes=minutes) <= _MAX_OFFSET:
                return timezone(timedelta(minutes=-minutes if sign == "-" else minutes))
    return None


def _stamps(values: Iterable[str], tz: tzinfo | None) -> list[_Stamp]:
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


def _time_elements(times: Iterable[tuple[str, bool]], tz: tzinfo | None) -> tuple[_Stamp | None, _Stamp | None]:
    published: _Stamp | None = None
    modified: _Stamp | None = None
    for value, is_modified in times:
        parsed = parse_date_value(value, tz)
        if parsed is None:
            continue
        stamp = _Stamp(parsed, _CLOCK.search(value) is not None)
        if is_modified:
            modified = modified or stamp
        else:
            published = published or stamp
    return published, modified


def visible_dates(
    lines: Iterable[DateLine], language: str | None, *, now: datetime | None, tz: tzinfo | None
) -> tuple[DateMatch | None, DateMatch | None]:
    """(published, modified) from the page text: labelled lines first, then a lone date near the article."""
    published: DateMatch | None = None
    modified: DateMatch | None = None
    fallback: tuple[int, DateMatch] | None = None
    pieces: Iterator[DateLine] = iter(lines)
    # a sliding window: a label's date and time may stand in the next three pieces ("by", name, date, time)
    window: deque[DateLine] = deque(islice(pieces, 4))
    since_published = 0
    while window:
        piece = window.popleft()
        if piece.labelled:
            following = " ".join(item.text for item in islice(window, 3))
            # "Stand: 15.09.2023 | Aktualisiert: 16.09.2023": every label in the piece gets its date
            for label in LABEL.finditer(piece.text):
                match = find_date(f"{piece.text[label.end() :]} {following}", language, now=now, tz=tz)
                if match is None or match.start > _LABEL_TO_DATE_CHARS or piece.rank is None:
                    continue
                if label.group("modified"):
                    modified = modified or match
                else:
                    published = published or match
        elif len(piece.text) <= _MAX_UNLABELLED_CHARS and (fallback is None or fallback[0] > 0):
            match = find_date(piece.text, language, now=now, tz=tz)
            if match is not None and not match.timed and window:
                # the time of day often stands in the next element: "<span>Nov 6, 2012</span> <span>10:43AM</span>"
                joined = find_date(f"{piece.text} {window[0].text}", language, now=now, tz=tz)
                if joined is not None and joined.timed and joined.start == match.start:
                    match = joined
            rank = piece.rank if match is not None else None
            if match is not None and rank is not None and (fallback is None or rank < fallback[0]):
                fallback = (rank, match)
        if published is not None:
            since_published += 1
            # an "updated" line stands next to the "published" one, if there is one at all
            if modified is not None or since_published > _MODIFIED_LOOKAHEAD:
                break
        window.extend(islice(pieces, 1))
    if published is None and fallback is not None:
        published = fallback[1]
    return published, modified
