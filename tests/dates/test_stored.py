"""The archive's ISO 8601 timestamps: read back as aware UTC, written in whole UTC seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.dates import parse_stored, to_stored
from crawler.dates import parse_stored as parse_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-15T08:12:00+00:00", datetime(2023, 9, 15, 8, 12, tzinfo=UTC)),
        ("2023-09-15T10:12:00+02:00", datetime(2023, 9, 15, 8, 12, tzinfo=UTC)),
        ("2023-09-15T08:12:00Z", datetime(2023, 9, 15, 8, 12, tzinfo=UTC)),
        ("2023-09-15", datetime(2023, 9, 15, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_published(text: str | None, expected: datetime | None) -> None:
    assert parse_published(text) == expected


def test_parse_stored_keeps_the_moment_and_answers_in_utc() -> None:
    parsed = parse_stored("2023-09-15T10:12:00+02:00")
    assert parsed == datetime(2023, 9, 15, 8, 12, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(0)
    assert parse_stored(" 2023-09-15T08:12:00 ") == datetime(2023, 9, 15, 8, 12, tzinfo=UTC)
    assert parse_stored("") is None


def test_to_stored_is_whole_utc_seconds_and_round_trips() -> None:
    moment = datetime(2023, 9, 15, 10, 12, 30, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert to_stored(moment) == "2023-09-15T08:12:30+00:00"
    assert to_stored(datetime(2023, 9, 15, 8, 12)) == "2023-09-15T08:12:00+00:00"
    assert to_stored(None) is None
    assert parse_stored(to_stored(moment)) == moment.replace(microsecond=0)
