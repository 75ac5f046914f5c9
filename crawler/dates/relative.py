"""Relative dates as pages print them: "vor 2 Stunden", "hace 2 horas", "il y a 3 jours", "heute, 10:12".

They mean something only relative to when the page was fetched, so they need that moment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from .clock import TIME_AFTER, DateMatch, assemble, is_clock
from .zones import to_utc

_RELATIVE = (
    re.compile(r"\b(?P<n>\d+|an?|one)\s+(?P<unit>[a-z]+)\s+ago\b", re.IGNORECASE),
    re.compile(r"\bvor\s+(?P<n>\d+|einer|einem|einen|eine)\s+(?P<unit>[a-zä]+\.?)", re.IGNORECASE),
    re.compile(r"\bil\s+y\s+a\s+(?P<n>\d+|une?)\s+(?P<unit>[a-zéè]+)", re.IGNORECASE),
    re.compile(r"\bhace\s+(?P<n>\d+|una?|uno)\s+(?P<unit>[a-zñí]+)", re.IGNORECASE),
    re.compile(r"\b(?P<n>\d+|una?|uno)\s+(?P<unit>[a-z]+)\s+fa\b", re.IGNORECASE),
    re.compile(r"\b(?P<n>\d+|een)\s+(?P<unit>[a-z]+)\s+geleden\b", re.IGNORECASE),
)
_UNIT_WORDS = {
    "seconds": "second seconds sec secs sekunde sekunden seconde secondes segundo segundos secondo secondi seconden",
    "minutes": "minute minutes min mins min. minuten minuto minutos minuti minuut",
    "hours": "hour hours hr hrs stunde stunden std std. heure heures h hora horas ora ore uur uren",
    "days": "day days tag tagen jour jours día días dia dias giorno giorni dag dagen",
    "weeks": "week weeks woche wochen semaine semaines semana semanas settimana settimane weken",
    "months": "month months monat monaten mois mes meses mese mesi maand maanden",
    "years": "year years jahr jahren an ans année années año años anno anni jaar jaren",
}
UNITS: Mapping[str, str] = MappingProxyType(
    {word: unit for unit, words in _UNIT_WORDS.items() for word in words.split()}
)
_ONE = frozenset({"a", "an", "one", "einer", "einem", "einen", "eine", "un", "une", "una", "uno", "een"})
_DAY_WORDS = re.compile(
    r"\b(?P<word>heute|today|aujourd['’]hui|hoy|oggi|vandaag|gestern|yesterday|hier|ayer|ieri|gisteren)\b",
    re.IGNORECASE,
)
_YESTERDAY = frozenset({"gestern", "yesterday", "hier", "ayer", "ieri", "gisteren"})


def relative_dates(text: str, language: str | None, now: datetime, tz: tzinfo | None) -> list[DateMatch]:
    """Dates counted back from `now` ("2 hours ago"), and times on today's or yesterday's date."""
    now = to_utc(now, tz)
    found: list[DateMatch] = []
    for pattern in _RELATIVE:
        match = pattern.search(text)
        if match is None:
            continue
        unit = UNITS.get(match.group("unit").casefold())
        if unit is None:
            continue
        count = match.group("n").casefold()
        amount = 1 if count in _ONE else int(count)
        try:
            found.append(DateMatch(now - relativedelta(**{unit: amount}), match.start(), match.end()))
        except (OverflowError, ValueError):
            continue  # "vor 1000000 Tagen": before the calendar begins, no date
    for match in _DAY_WORDS.finditer(text):
        word = match.group("word").casefold()
        if word == "hier" and language != "fr":
            continue  # "hier" is "here" in German and Dutch
        clock = TIME_AFTER.match(text, match.end())
        if clock is None or not is_clock(clock):
            continue
        local_day = now.astimezone(tz or UTC).date() - timedelta(days=1 if word in _YESTERDAY else 0)
        try:
            moment = assemble(local_day, clock)
        except (ValueError, OverflowError):
            continue
        found.append(DateMatch(to_utc(moment, tz), match.start(), clock.end()))
    return found
