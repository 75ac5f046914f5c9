"""Time zones as pages and feeds name them, and the zone a page's local times most likely mean.

The one table of zone abbreviations: feed dates, metadata values and printed dates all read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

# Zone abbreviations seen in news, in minutes east of UTC. Where an abbreviation is ambiguous the
# reading common in news wins: IST is India (+05:30), not Irish (+01:00) or Israel (+02:00) Standard
# Time -- Indian sites print "10:12 IST" on every article, Irish and Israeli sites name their zone
# rarely if ever, and a wrong +01:00/+02:00 guess costs as much as a wrong +05:30 one. BST is British
# Summer Time, not Bangladesh. MEZ/MESZ are the German names of CET/CEST.
ZONE_OFFSETS: Mapping[str, int] = MappingProxyType(
    {
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
        "WEST": 60, "BST": 60, "CET": 60, "MET": 60, "MEZ": 60, "WAT": 60,
        "CEST": 120, "MEST": 120, "MESZ": 120, "EET": 120, "SAST": 120,
        "EEST": 180, "MSK": 180, "EAT": 180, "PKT": 300, "IST": 330,
        "HKT": 480, "SGT": 480, "AWST": 480, "JST": 540, "KST": 540,
        "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
        "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
        "PST": -480, "PDT": -420, "AST": -240, "ADT": -180, "AKST": -540, "AKDT": -480,
        "HST": -600, "BRT": -180, "ART": -180,
    }
)  # fmt: skip
# Zone names without a season, as US pages print them: the date decides between standard and summer time.
REGIONAL_ZONES: Mapping[str, str] = MappingProxyType(
    {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
)
# For dateutil's `tzinfos`: every name above, as seconds east of UTC or as a zone.
TZINFOS: Mapping[str, int | tzinfo] = MappingProxyType(
    {
        **{name: minutes * 60 for name, minutes in ZONE_OFFSETS.items()},
        **{name: ZoneInfo(zone) for name, zone in REGIONAL_ZONES.items()},
    }
)

# The zone a page's local times most likely mean when neither the page nor the seeds say: the one
# where most of the language's news is published. Not guessed for languages spread over many zones
# (English, Spanish, Portuguese, Arabic...): those stay UTC unless the seeds set `timezone`.
LANGUAGE_ZONES: Mapping[str, str] = MappingProxyType(
    {
        "de": "Europe/Berlin", "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
        "pl": "Europe/Warsaw", "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
        "da": "Europe/Copenhagen", "sv": "Europe/Stockholm", "nb": "Europe/Oslo", "no": "Europe/Oslo",
        "fi": "Europe/Helsinki", "el": "Europe/Athens", "ro": "Europe/Bucharest", "bg": "Europe/Sofia",
        "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana", "uk": "Europe/Kyiv", "tr": "Europe/Istanbul",
        "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
    }
)  # fmt: skip

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s?([+-])\s?(\d{1,2}):?(\d{2})?$")
# the world's UTC offsets span -12 to +14 hours
_MAX_OFFSET = timedelta(hours=15)


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
    return timezone(-delta if sign == "-" else delta) if delta < _MAX_OFFSET else None


def offset_minutes(name: str) -> int | None:
    """Minutes east of UTC of a fixed-offset abbreviation (any case); None for others."""
    return ZONE_OFFSETS.get(name.upper())


def to_utc(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """An aware UTC datetime; naive input is local time in `tz` (UTC when not given)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=tz or UTC)
    return moment.astimezone(UTC)


def local_zone(tz: tzinfo | None, language: str | None) -> tzinfo | None:
    """The zone for times a page states without one: the seeds' choice, else the language's."""
    if tz is not None or language is None or language not in LANGUAGE_ZONES:
        return tz
    return ZoneInfo(LANGUAGE_ZONES[language])
