from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.archive.state import UrlState
from crawler.refresh import PollingBounds, RefreshPolicy, fetch_reason, next_poll_interval, refresh_cutoffs

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def state(entry: str | None = "2026-11-28T10:00:00+00:00", content_hash: str | None = "h") -> UrlState:
    return UrlState("k", "a", "2026-11-29T06:00:00+00:00", entry, content_hash)


@pytest.mark.parametrize(
    ("known", "entry_date", "expected"),
    [
        (None, None, "new"),
        (None, NOW, "new"),
        (state(), None, None),
        (state(), datetime(2026, 11, 28, 10, 0, tzinfo=UTC), None),
        (state(), datetime(2026, 11, 27, 10, 0, tzinfo=UTC), None),
        (state(), datetime(2026, 11, 28, 10, 1, tzinfo=UTC), "entry_changed"),
        (state(entry=None), datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "entry_changed"),
        (state(content_hash=None), None, None),  # known not to be an article
        (state(content_hash=None), datetime(2026, 11, 29, 0, 0, tzinfo=UTC), "entry_changed"),
    ],
)
def test_fetch_reason(known: UrlState | None, entry_date: datetime | None, expected: str | None) -> None:
    assert fetch_reason(known, entry_date=entry_date) == expected


def test_refresh_cutoffs() -> None:
    born_after, fetched_before = refresh_cutoffs(RefreshPolicy(timedelta(hours=48), timedelta(hours=6)), NOW)
    assert born_after == "2026-11-27T12:00:00+00:00"
    assert fetched_before == "2026-11-29T06:00:00+00:00"


def test_adaptive_polling_stays_within_bounds() -> None:
    bounds = PollingBounds(timedelta(minutes=10), timedelta(minutes=60))
    assert next_poll_interval(None, had_news=False, bounds=bounds) == 600
    interval = 600.0
    for _ in range(10):
        interval = next_poll_interval(interval, had_news=False, bounds=bounds)
    assert interval == 3600
    assert next_poll_interval(interval, had_news=True, bounds=bounds) == 1800
    assert next_poll_interval(700, had_news=True, bounds=bounds) == 600
