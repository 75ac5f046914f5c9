"""Visible date text -> aware UTC datetimes; every expectation below was worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from crawler.dates import find_date, parse_date_text, parse_date_value

NOW = datetime(2023, 9, 15, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")  # CEST, UTC+2, in September; CET, UTC+1, in winter
PARIS = ZoneInfo("Europe/Paris")
MADRID = ZoneInfo("Europe/Madrid")
ROME = ZoneInfo("Europe/Rome")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")  # EDT, UTC-4, in September; EST, UTC-5, in January


@pytest.mark.parametrize(
    ("text", "language", "tz", "expected"),
    [
        # German
        ("15.09.2023 - 10:12", "de", None, "2023-09-15T10:12:00+00:00"),
        ("15.09.2023 - 10:12", "de", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("Ausgegeben am: 15.09.2023 - 10:12", "de", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("15. September 2023", "de", None, "2023-09-15T00:00:00+00:00"),
        ("15. September 2023, 10:12 Uhr", "de", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("Freitag, 15. September 2023, 10:12 Uhr", "de", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("Veröffentlicht am 15.09.2023 um 10.12 Uhr", "de", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("3. März 2023 14:30", "de", BERLIN, "2023-03-03T13:30:00+00:00"),
        ("15.09.23", "de", None, "2023-09-15T00:00:00+00:00"),
        ("vor 2 Stunden", "de", None, "2023-09-15T10:00:00+00:00"),
        ("vor einer Stunde", "de", None, "2023-09-15T11:00:00+00:00"),
        ("vor 3 Tagen", "de", None, "2023-09-12T12:00:00+00:00"),
        ("gestern, 10:12 Uhr", "de", BERLIN, "2023-09-14T08:12:00+00:00"),
        # French
        ("15 septembre 2023", "fr", None, "2023-09-15T00:00:00+00:00"),
        ("vendredi 15 septembre 2023 à 10h12", "fr", None, "2023-09-15T10:12:00+00:00"),
        ("vendredi 15 septembre 2023 à 10h12", "fr", PARIS, "2023-09-15T08:12:00+00:00"),
        ("Publié le 15/09/2023 à 10h12", "fr", PARIS, "2023-09-15T08:12:00+00:00"),
        ("Mis à jour le 15 sept. 2023 à 12h30", "fr", PARIS, "2023-09-15T10:30:00+00:00"),
        ("1er mars 2023", "fr", None, "2023-03-01T00:00:00+00:00"),
        ("il y a 3 heures", "fr", None, "2023-09-15T09:00:00+00:00"),
        ("hier à 10h12", "fr", PARIS, "2023-09-14T08:12:00+00:00"),
        # English
        ("September 15, 2023", "en", None, "2023-09-15T00:00:00+00:00"),
        ("Sept. 15, 2023 10:12 a.m. ET", "en", None, "2023-09-15T14:12:00+00:00"),
        ("Jan. 5, 2023 10:12 p.m. ET", "en", None, "2023-01-06T03:12:00+00:00"),
        ("Published Sept. 15, 2023 12:05 p.m.", "en", NEW_YORK, "2023-09-15T16:05:00+00:00"),
        ("Updated 10:12 AM EDT, Fri September 15, 2023", "en", None, "2023-09-15T14:12:00+00:00"),
        ("09/15/2023 1:05 pm", "en", None, "2023-09-15T13:05:00+00:00"),
        ("15 September 2023 10:12 BST", "en", None, "2023-09-15T09:12:00+00:00"),
        ("2 hours ago", "en", None, "2023-09-15T10:00:00+00:00"),
        ("a day ago", "en", None, "2023-09-14T12:00:00+00:00"),
        ("Fri, 15 Sep 2023 10:12:00 +0200", "en", None, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15T10:12:00+02:00", None, None, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15 10:12", None, BERLIN, "2023-09-15T08:12:00+00:00"),
        # Spanish
        ("15 de septiembre de 2023", "es", None, "2023-09-15T00:00:00+00:00"),
        ("15 de septiembre de 2023 a las 10:12", "es", MADRID, "2023-09-15T08:12:00+00:00"),
        ("viernes, 15 sep 2023", "es", None, "2023-09-15T00:00:00+00:00"),
        ("hace 2 horas", "es", None, "2023-09-15T10:00:00+00:00"),
        ("hace un día", "es", None, "2023-09-14T12:00:00+00:00"),
        # Italian and Dutch
        ("15 settembre 2023, 10:12", "it", ROME, "2023-09-15T08:12:00+00:00"),
        ("2 ore fa", "it", None, "2023-09-15T10:00:00+00:00"),
        ("15 september 2023 om 10:12", "nl", AMSTERDAM, "2023-09-15T08:12:00+00:00"),
        ("3 uur geleden", "nl", None, "2023-09-15T09:00:00+00:00"),
    ],
)
def test_visible_dates(text: str, language: str | None, tz: tzinfo | None, expected: str) -> None:
    parsed = parse_date_text(text, language, now=NOW, tz=tz)
    assert parsed is not None
    assert parsed.tzinfo is UTC
    assert parsed.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # a stated zone or offset wins over the default zone
        ("15.09.2023 10:12 UTC", BERLIN, "2023-09-15T10:12:00+00:00"),
        ("15.09.2023 10:12 MESZ", None, "2023-09-15T08:12:00+00:00"),
        ("15.09.2023 10:12 +02:00", NEW_YORK, "2023-09-15T08:12:00+00:00"),
        ("15.09.2023 10:12 (UTC+2)", None, "2023-09-15T08:12:00+00:00"),
        # a naive local time takes the default zone, with its summer time
        ("15.09.2023 10:12", NEW_YORK, "2023-09-15T14:12:00+00:00"),
        ("15.01.2023 10:12", BERLIN, "2023-01-15T09:12:00+00:00"),
        ("15.09.2023 10:12", timezone(timedelta(hours=5, minutes=30)), "2023-09-15T04:42:00+00:00"),
        # and UTC without one
        ("15.09.2023 10:12", None, "2023-09-15T10:12:00+00:00"),
    ],
)
def test_timezones(text: str, tz: tzinfo | None, expected: str) -> None:
    parsed = parse_date_text(text, "de", tz=tz)
    assert parsed is not None and parsed.isoformat() == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3 Minuten",
        "Lesezeit: 3 Minuten",
        "15. September",  # no year: too ambiguous to store
        "Laut TASS produziert das Werk die Kampfflugzeuge Su-35 und Su-57.",
        "31.02.2023",
        "Kim traf Putin am Mittwoch",
        "Version 1.2.3",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date_text(text, "de", now=NOW) is None


def test_relative_dates_need_now() -> None:
    assert parse_date_text("vor 2 Stunden", "de") is None
    assert parse_date_text("2 hours ago", "en") is None


def test_naive_now_is_read_in_the_default_zone() -> None:
    parsed = parse_date_text("vor 2 Stunden", "de", now=datetime(2023, 9, 15, 14, 0), tz=BERLIN)
    assert parsed is not None and parsed.isoformat() == "2023-09-15T10:00:00+00:00"


def test_hier_is_yesterday_only_in_french() -> None:
    assert parse_date_text("hier 10:12", "de", now=NOW) is None


def test_ambiguous_numeric_dates_follow_the_language() -> None:
    assert parse_date_text("04/05/2023", "en") == datetime(2023, 4, 5, tzinfo=UTC)
    assert parse_date_text("04/05/2023", "fr") == datetime(2023, 5, 4, tzinfo=UTC)
    # an impossible month settles it either way
    assert parse_date_text("15/09/2023", "en") == datetime(2023, 9, 15, tzinfo=UTC)


def test_find_date_reports_where_the_date_stands() -> None:
    text = "Ausgegeben am: 15.09.2023 - 10:12 3 Minuten"
    match = find_date(text, "de")
    assert match is not None
    assert text[match.start : match.end] == "15.09.2023 - 10:12"


@pytest.mark.parametrize(
    ("value", "tz", "expected"),
    [
        ("2023-09-15T10:12:00+02:00", None, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15T08:12:00Z", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15T08:12:00.000Z", None, "2023-09-15T08:12:00+00:00"),
        ("20230915T081200Z", None, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15T10:12:00", BERLIN, "2023-09-15T08:12:00+00:00"),
        ("2023-09-15", BERLIN, "2023-09-14T22:00:00+00:00"),
        ("Fri, 15 Sep 2023 10:12:00 +0200", None, "2023-09-15T08:12:00+00:00"),
        ("1694765520", None, "2023-09-15T08:12:00+00:00"),
        ("15.09.2023 10:12", BERLIN, "2023-09-15T08:12:00+00:00"),
    ],
)
def test_metadata_values(value: str, tz: tzinfo | None, expected: str) -> None:
    parsed = parse_date_value(value, tz)
    assert parsed is not None and parsed.isoformat() == expected


@pytest.mark.parametrize("value", ["", "unknown", "0000-00-00", "next week"])
def test_unusable_metadata_values(value: str) -> None:
    assert parse_date_value(value) is None
