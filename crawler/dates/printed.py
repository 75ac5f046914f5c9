"""Dates as pages print them (de/en/fr/es/it/nl, relative ones too): the first date in a text.

Every result is an aware UTC datetime. A time without a zone is local time in `tz`, else UTC.
Our own patterns (with a multilingual month table) find day, month, year, time and zone in printed
text; python-dateutil parses the ISO strings pages print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from types import MappingProxyType

from dateutil import parser as dateutil_parser

from .clock import TIME_AFTER, TIME_BEFORE, ZONE_ONLY, DateMatch, assemble, is_clock, squeeze, weekday_before
from .relative import relative_dates
from .zones import to_utc, zone

_MONTH_NAMES = {
    1: "january jan januar jänner jän janvier janv enero ene gennaio gen januari janeiro",
    2: "february feb februar feber février fevrier févr fevr febrero febbraio februari fevereiro fev",
    3: "march mar märz maerz mär mrz mars marzo maart mrt março marco",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mayo maggio mag mei maio",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho",
    8: "august aug août aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
}
MONTHS: Mapping[str, int] = MappingProxyType(
    {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
)
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_ISO = re.compile(
    r"(?<![\d/.])(?P<iso>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)(?![\d])"
)
_YMD = re.compile(r"(?<![\d.])(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?![\d])")
_NUMERIC = re.compile(
    r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<sep>[./-])\s?(?P<b>\d{1,2})(?P=sep)\s?(?P<year>\d{4}|\d{2})(?![\d])"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:\.|er|st|nd|rd|th|º|°)?\s*(?:de\s+|of\s+)?{_MONTH},?\s*(?:de\s+|del\s+)?"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w]){_MONTH}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE
)

# years outside this range are CMS placeholders ("0001-01-01") or misreadings, never news
MIN_YEAR, MAX_YEAR = 1970, 2100


def parse_date_text(
    text: str, language: str | None = None, *, now: datetime | None = None, tz: tzinfo | None = None
) -> datetime | None:
    """The first date in visible page text, as an aware UTC datetime; None if there is none.

    Relative dates ("vor 2 Stunden", "hace 2 horas") need `now`; without it they are ignored.
    Dates must name a year: "15. September" alone is too ambiguous to store.
    """
    match = find_date(text, language, now=now, tz=tz)
    return match.value if match else None


def find_date(
    text: str, language: str | None = None, *, now: datetime | None = None, tz: tzinfo | None = None
) -> DateMatch | None:
    """The first date in `text`, with where it stands in the text as `squeeze` leaves it."""
    text = squeeze(text)
    candidates = [match for match in _absolute_dates(text, language, tz)]
    if now is not None:
        candidates.extend(relative_dates(text, language, now, tz))
    return min(candidates, key=lambda match: match.start, default=None)


def _absolute_dates(text: str, language: str | None, tz: tzinfo | None) -> list[DateMatch]:
    found: list[DateMatch] = []
    for pattern in (_ISO, _YMD, _NUMERIC, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            day = _calendar_day(match, language, weekday_before(text, match.start()))
            if day is None:
                continue
            if pattern is _ISO and len(match.group("iso")) > 10:
                try:
                    moment = dateutil_parser.isoparse(match.group("iso").replace(" ", "T"))
                except ValueError:
                    continue
                found.append(DateMatch(to_utc(moment, tz), match.start(), match.end()))
                break
            result = _with_time(text, match.start(), match.end(), day, tz)
            if result is not None:
                found.append(result)
                break
    return found


def _calendar_day(match: re.Match[str], language: str | None, weekday: int | None = None) -> date | None:
    """The day a date pattern matched; `weekday` (0 = Monday), printed before it, settles whether
    "11.06.2012" is the 11th of June or November 6th."""
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    if "a" in groups:
        first, second = int(groups["a"]), int(groups["b"])
        month_first = groups["sep"] != "." and language == "en"
        day, month = (second, first) if month_first else (first, second)
        if month > 12 >= day:
            day, month = month, day
        elif weekday is not None and day <= 12 and _weekday_of(year, month, day) not in (weekday, None):
            day, month = month, day
    else:
        day = int(groups["day"])
        month_text = groups["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.casefold()]
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


def _with_time(text: str, start: int, end: int, day: date, tz: tzinfo | None) -> DateMatch | None:
    clock = TIME_AFTER.match(text, end)
    if clock is not None and is_clock(clock):
        end = clock.end()
    else:
        clock = TIME_BEFORE.search(text, max(0, start - 40), start)
        if clock is not None and is_clock(clock):
            start = clock.start()
        else:
            clock = ZONE_ONLY.match(text, end)
            if clock is not None and zone(clock.group("zone")) is None:
                clock = None
    try:
        moment = assemble(day, clock)
    except (ValueError, OverflowError):
        return None
    if clock is not None and clock.end() > end and clock.start() >= end:
        end = clock.end()
    timed = clock is not None and clock.groupdict().get("hour") is not None
    return DateMatch(to_utc(moment, tz), start, end, timed)
