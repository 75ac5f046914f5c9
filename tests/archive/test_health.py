from __future__ import annotations

from datetime import timedelta

import pytest

from crawler.archive.health import judge, run_outcome


@pytest.mark.parametrize(
    ("consecutive", "blocked", "age_hours", "median", "state"),
    [
        (0, False, 2, 10.0, "ok"),
        (0, False, 30, 10.0, "quiet"),  # nothing for a day and more, usually 10 a day
        (0, False, 60, 0.5, "ok"),  # one every two days: 60 h is not long for it
        (0, False, 24 * 7, 0.5, "quiet"),
        (0, False, None, 0.0, "quiet"),  # reachable, never anything new
        (2, False, 1, 10.0, "ok"),  # two failed runs: not yet failing at 3
        (3, False, 1, 10.0, "failing"),
        (3, True, 1, 10.0, "blocked"),
    ],
)
def test_judge(consecutive: int, blocked: bool, age_hours: float | None, median: float, state: str) -> None:
    age = timedelta(hours=age_hours) if age_hours is not None else None
    assert (
        judge(consecutive_failed=consecutive, last_blocked=blocked, last_new_age=age, median_per_day=median, failing_runs=3)
        == state
    )


def test_run_outcome() -> None:
    stats = {
        "ingest/source/a/feeds_fetched": 1,
        "ingest/source/a/feed_errors": 1,
        "ingest/source/b/feed_blocked": 1,
        "ingest/source/c/sitemap_not_fetched": 2,
        "ingest/source/d/listings_unchanged": 1,
    }
    assert [run_outcome(stats, n) for n in "abcde"] == ["obtained", "blocked", "failed", "obtained", None]
