"""Times of day and weekdays as pages print them, shared by absolute and relative dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from .zones import zone

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

_TIME = (
    r"(?<![\d:.])(?P<hour>[01]?\d|2[0-3])(?:\s?[:h.]\s?(?P<minute>[0-5]\d)(?:[:.](?P<second>[0-5]\d)(?:[.,]\d+)?)?)?"
    r"(?P<suffix>\s?(?:uhr|hrs?|h)\b)?(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
)
_ZONE = r"(?:\s*\(?(?P<zone>(?-i:[A-Z]{1,5})(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?"
_CONNECTOR = r"[\s,]*(?:(?:[-–—|/•·@]|um|at|à|a\s+las|a\s+la|alle|om|às|kl\.?)\s*)?"
TIME_AFTER = re.compile(_CONNECTOR + _TIME + _ZONE, re.IGNORECASE)
TIME_BEFORE = re.compile(_TIME + _ZONE + rf"[\s,|•·–—-]*(?:(?:{WEEKDAYS})\b\.?,?\s*)?$", re.IGNORECASE)
ZONE_ONLY = re.compile(_ZONE, re.IGNORECASE)

# zero-width and soft-hyphen characters: invisible on the page, noise to the date patterns
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: its value (aware, UTC) and where it stands, time and zone included."""

    value: datetime
    start: int  # offsets into the whitespace-normalised text (see `squeeze`)
    end: int
    timed: bool = True  # False: the text gave a day without a time of day (the value is local midnight)


def squeeze(text: str | None) -> str:
    """Whitespace runs collapsed to one space, invisible characters dropped, NFC: the text the date
    patterns and `DateMatch` offsets refer to. The same rules as crawler.extraction's normalize_space
    (tests/dates/test_clock.py holds them equal), repeated because this layer imports no extraction code."""
    if not text:
        return ""
    text = " ".join(text.split())
    if not text.isascii():
        if _INVISIBLE.search(text):
            text = " ".join(_INVISIBLE.sub("", text).split())
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return text


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
