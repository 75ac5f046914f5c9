"""Keep impossible dates out of the archive: later than the fetch (beyond a tolerance) or before 1990.

The article is kept; only the bad date is dropped, and counted.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.dates import parse_stored
from crawler.items import Article
from pipelines.stage import ContentStagePipeline

logger = logging.getLogger(__name__)


def date_problem(value: str | None, *, fetched: datetime, earliest: datetime, tolerance: timedelta) -> str | None:
    """Why a stored date is impossible ("future", "too_old"), or None."""
    moment = parse_stored(value)
    if moment is None:
        return None
    if moment > fetched + tolerance:
        return "future"
    if moment < earliest:
        return "too_old"
    return None


DATE_PROBLEMS = {
    ("published_at", "future"): "ingest/dates/published_at_future",
    ("published_at", "too_old"): "ingest/dates/published_at_too_old",
    ("modified_at", "future"): "ingest/dates/modified_at_future",
    ("modified_at", "too_old"): "ingest/dates/modified_at_too_old",
}


class DateSanityPipeline(ContentStagePipeline):
    def __init__(self, *, earliest: datetime, tolerance: timedelta, stats: StatsCollector | None = None) -> None:
        self.earliest = earliest
        self.tolerance = tolerance
        self.stats = stats

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        earliest = datetime.fromisoformat(settings.get("INGEST_EARLIEST_DATE")).replace(tzinfo=UTC)
        tolerance = timedelta(minutes=settings.getfloat("INGEST_FUTURE_DATE_TOLERANCE_MINUTES"))
        return cls(earliest=earliest, tolerance=tolerance, stats=stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        fetched = parse_stored(item.fetched_at) or datetime.now(UTC)
        for field in ("published_at", "modified_at"):
            value = getattr(item, field)
            problem = date_problem(value, fetched=fetched, earliest=self.earliest, tolerance=self.tolerance)
            if problem is None:
                continue
            setattr(item, field, None)
            if self.stats is not None:
                self.stats.inc_value(DATE_PROBLEMS[field, problem])
            logger.warning("Article %s: %s %s is %s; not stored", item.url, field, value, problem.replace("_", " "))
        return item
