from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.dates import parse_feed_date as parse_date


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


# Expected values worked out by hand: local time minus the zone's offset.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 822 / 2822, as RSS writes it
        ("Fri, 15 Sep 2023 10:12:00 GMT", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00 UT", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00 Z", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00 +0000", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00 -0000", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00 +0200", utc(2023, 9, 15, 8, 12)),
        ("Fri, 15 Sep 2023 10:12:00 -0530", utc(2023, 9, 15, 15, 42)),
        ("Fri, 15 Sep 2023 10:12:00 +02:00", utc(2023, 9, 15, 8, 12)),
        ("Fri, 15 Sep 2023 10:12:00 EST", utc(2023, 9, 15, 15, 12)),
        ("Fri, 15 Sep 2023 10:12:00 EDT", utc(2023, 9, 15, 14, 12)),
        ("Fri, 15 Sep 2023 10:12:00 PST", utc(2023, 9, 15, 18, 12)),
        ("Fri, 15 Sep 2023 10:12:00 CEST", utc(2023, 9, 15, 8, 12)),
        ("Fri, 15 Sep 2023 10:12:00 ist", utc(2023, 9, 15, 4, 42)),
        ("Fri, 15 Sep 2023 10:12:00 GMT+2", utc(2023, 9, 15, 8, 12)),
        ("Fri, 15 Sep 2023 10:12:00 +0000 (UTC)", utc(2023, 9, 15, 10, 12)),
        ("Fri, 15 Sep 2023 10:12:00", utc(2023, 9, 15, 10, 12)),  # no zone: UTC
        ("Fri, 15 Sep 2023 10:12:00 XYZ", utc(2023, 9, 15, 10, 12)),  # unknown zone: UTC
        ("Fri, 15 Sep 2023 10:12 GMT", utc(2023, 9, 15, 10, 12)),  # no seconds
        ("15 Sep 2023 10:12:00 +0200", utc(2023, 9, 15, 8, 12)),  # no weekday
        ("Fri, 15 Sep 23 10:12:00 GMT", utc(2023, 9, 15, 10, 12)),  # two-digit year
        ("Wed, 15 Sep 99 10:12:00 GMT", utc(1999, 9, 15, 10, 12)),
        ("Friday, 15 September 2023 10:12:00 EST", utc(2023, 9, 15, 15, 12)),
        ("Fri, 1 Sep 2023 00:30:00 +0100", utc(2023, 8, 31, 23, 30)),  # back across a month
        ("Sat, 31 Dec 2022 23:00:00 -0200", utc(2023, 1, 1, 1, 0)),  # forward across a year
        ("  Fri, 15 Sep 2023 10:12:00 GMT\n", utc(2023, 9, 15, 10, 12)),
        # W3C datetime / ISO 8601, as Atom and sitemaps write it
        ("2023-09-15", utc(2023, 9, 15)),
        ("2023-09", utc(2023, 9, 1)),
        ("2023-09-15T10:12:00+02:00", utc(2023, 9, 15, 8, 12)),
        ("2023-09-15T10:12:00Z", utc(2023, 9, 15, 10, 12)),
        ("2023-09-15T10:12:00.250Z", utc(2023, 9, 15, 10, 12, 0, 250_000)),
        ("2023-09-15T10:12+05:30", utc(2023, 9, 15, 4, 42)),
        ("2023-09-15T10:12:00-07:00", utc(2023, 9, 15, 17, 12)),
        ("2023-09-15T10:12:00", utc(2023, 9, 15, 10, 12)),
        ("2023-09-15 10:12:00", utc(2023, 9, 15, 10, 12)),
        ("20230915T101200Z", utc(2023, 9, 15, 10, 12)),
        ("2023-09-15T10:12:00 +02:00", utc(2023, 9, 15, 8, 12)),  # stray space: the loose parser
        # Looser forms seen in the wild
        ("Sep 15, 2023", utc(2023, 9, 15)),
        ("September 15, 2023 10:12 PM EDT", utc(2023, 9, 16, 2, 12)),
        ("15-Sep-2023 10:12:00 +0100", utc(2023, 9, 15, 9, 12)),
    ],
)
def test_readable_dates(text: str, expected: datetime) -> None:
    parsed = parse_date(text)

    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "not a date",
        "yesterday",
        "10:12",  # no date: the loose parser would fill in today
        "Sep 2023",  # no day
        "Fri, 31 Feb 2023 10:12:00 GMT",
        "2023-13-45",
        "Fri, 15 Sep 2023 10:12:00 +9999",
        "0000-01-01",
        "9" * 40,
        "Fri, 15 Sep 2023 10:12:00 GMT " + "x" * 200,
    ],
)
def test_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None
