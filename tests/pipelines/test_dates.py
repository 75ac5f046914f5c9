from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.items import Article
from pipelines.dates import DateSanityPipeline, date_problem

FETCHED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
TOLERANCE = timedelta(hours=2)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-11-29T11:00:00+00:00", None),
        ("2026-11-29T13:59:00+00:00", None),  # within the tolerance (clock skew, zone slips)
        ("2026-11-29T14:01:00+00:00", "future"),
        ("2099-01-01T00:00:00+00:00", "future"),
        ("1970-01-01T00:00:00+00:00", "too_old"),
        ("1989-12-31T23:59:00+00:00", "too_old"),
        ("1990-01-01T00:00:00+00:00", None),
        (None, None),
        ("not a date", None),
    ],
)
def test_date_problem(value: str | None, problem: str | None) -> None:
    assert date_problem(value, fetched=FETCHED, earliest=EARLIEST, tolerance=TOLERANCE) == problem


def test_bad_dates_are_dropped_and_the_article_kept() -> None:
    pipeline = DateSanityPipeline(earliest=EARLIEST, tolerance=TOLERANCE)
    article = Article(
        url="https://e.com/a",
        canonical_url="https://e.com/a",
        published_at="1970-01-01T00:00:00+00:00",
        modified_at="2099-01-01T00:00:00+00:00",
        fetched_at=FETCHED.isoformat(),
    )
    assert pipeline.process_item(article) is article
    assert (article.published_at, article.modified_at) == (None, None)
