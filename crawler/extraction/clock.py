"""Times of day, zones and weekdays as pages print them, shared by absolute and relative dates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    "|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
    "|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    "|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
    "|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica"
    "|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)

# the names above, Monday first, per language: which day of the week each one means
_WEEKDAY_NAMES = (
    "monday mon montag lundi lunes lunedì lunedi maandag",
    "tuesday tue tues dienstag mardi martes martedì martedi dinsdag",
    "wednesday wed mittwoch mercredi miércoles miercoles mercoledì mercoledi woensdag",
    "thursday thu thur thurs donnerstag jeudi jueves giovedì giovedi donderdag",
    "friday fri freitag vendredi viernes venerdì venerdi vrijdag",
    "saturday sat samstag sonnabend samedi sábado sabado sabato zaterdag",
    "sunday sun sonntag dimanche domingo domenica zondag",
)
WEEKDAY_NUMBERS: Mapping[str, int] = MappingProxyType(
    {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
)
_WEEKDAY_BEFORE = re.compile(rf"(?<!\w)({WEEKDAYS})\b\.?,?\s*$", re.IGNORECASE)
_WEEKDAY_REACH = 16

_UTC_ZONES = ("UTC", "GMT", "Z", "WET")
_FIXED_ZONES = {
    "CET": 1,
    "MEZ": 1,
    "WEST": 1,
    "BST": 1,
    "CEST": 2,
    "MESZ": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
    "AEST": 10,
    "AEDT": 11,
}
# zone names without a season: the date decides between standard and summer time
_REGIONAL_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
TZINFOS: Mapping[str, int | tzinfo] = MappingProxyType(
    {
        **dict.fromkeys(_UTC_ZONES, 0),
        **{name: hours * 3600 for name, hours in _FIXED_ZONES.items()},
        **{name: ZoneInfo(zone) for name, zone in _REGIONAL_ZONES.items()},
    }
)

_TIME = (
    r"(?<![\d:.])(?P<hour>[01]?\d|2[0-3])(?:\s?[:h.]\s?(?P<minute>[0-5]\d)(?:[:.](?P<second>[0-5]\d)(?:[.,]\d+)?)?)?"
    r"(?P<suffix>\s?(?:uhr|hrs?|h)\b)?(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
)
_ZONE = r"(?:\s*\(?(?P<zone>(?-i:[A-Z]{1,5})(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?"
_CONNECTOR = r"[\s,]*(?:(?:[-–—|/•·@]|um|at|à|a\s+las|a\s+la|alle|om|às|kl\.?)\s*)?"
TIME_AFTER = re.compile(_CONNECTOR + _TIME + _ZONE, re.IGNORECASE)
TIME_BEFORE = re.compile(_TIME + _ZONE + rf"[\s,|•·–—-]*(?:(?:{WEEKDAYS})\b\.?,?\s*)?$", re.IGNORECASE)
ZONE_ONLY = re.compile(_ZONE, re.IGNORECASE)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s?([+-])\s?(\d{1,2}):?(\d{2})?$")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: its value (aware, UTC) and where it stands, time and zone included."""

    value: datetime
    start: int  # offsets into the whitespace-normalised text
    end: int
    timed: bool = True  # False: the text gave a day without a time of day (the value is local midnight)


def weekday_before(text: str, start: int) -> int | None:
    """The day of the week (0 = Monday) printed right before `start` ("Tuesday, 11.06.2012"), if any."""
    match = _WEEKDAY_BEFORE.search(text, max(0, start - _WEEKDAY_REACH), start)
    return WEEKDAY_NUMBERS.get(match.group(1).casefold()) if match else None


def is_clock(match: re.Match[str]) -> bool:
    """A bare number after a date ("3 Minuten") is no time of day; "10:12", "10h", "10 a.m." are."""
    return bool(match.group("minute") or match.group("suffix") or match.group("ampm"))


def assemble(day: date, clock: re.Match[str] | None) -> datetime:
    """The date with the clock's time and zone. Built directly: dateutil's parser costs ~0.2 ms a call."""
    groups = clock.groupdict() if clock is not None else {}
    hour = int(groups.get("hour") or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    moment = datetime(
        day.year, day.month, day.day, hour, int(groups.get("minute") or 0), int(groups.get("second") or 0)
    )
    stated = zone(groups.get("zone"))
    return moment.replace(tzinfo=stated) if stated is not None else moment


def zone(name: str | None) -> tzinfo | None:
    """A known zone abbreviation or a numeric offset ("+0200", "UTC+2"); None for anything else."""
    if not name:
        return None
    name = name.strip()
    known = TZINFOS.get(name)
    if isinstance(known, tzinfo):
        return known
    if known is not None:
        return timezone(timedelta(seconds=known))
    offset = _OFFSET.match(name)
    if offset is None:
        return None
    sign, hours, minutes = offset.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta) if delta < timedelta(hours=15) else None


def in_utc(moment: datetime, tz: tzinfo | None) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=tz or UTC)
    return moment.astimezone(UTC)
