"""What the pipeline's last stage shares, in one process (pipelines.archive) or a cluster (pipelines.stream).

Both receive the spider's crawl outcomes (crawler.incremental.outcomes) besides articles, are built
from the same parts of the crawl context, and listen to the same signals: a dropped article settles
its URL, and listing states are committed after a clean finish. Only where the items go differs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.context import CrawlContext
from crawler.incremental.outcomes import EntrySeen, ListingIncomplete, ListingRead, UrlSettled
from crawler.incremental.state import UrlState
from crawler.urls import url_key

OUTCOMES = (UrlSettled, EntrySeen, ListingRead, ListingIncomplete)


class OutcomeRecorded(DropItem):
    """Not an article: a crawl outcome (crawler.incremental.outcomes), recorded in the archive."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


class LastStage(Protocol):
    def item_dropped(self, item: Any, exception: BaseException) -> None: ...

    def spider_closed(self, reason: str) -> Any: ...


Stage = TypeVar("Stage", bound=LastStage)


def build_last_stage(cls: type[Stage], crawler: Crawler, *args: Any, **kwargs: Any) -> Stage:
    """``cls(*args, **kwargs)`` with the crawl's sources, polling bounds, tracking parameters and
    stats, connected to the signals both stages listen to."""
    context = CrawlContext.of(crawler)
    stage = cls(  # type: ignore[call-arg]
        *args,
        sources=list(context.sources.values()),
        polling=context.incremental.polling,
        tracking_params=context.tracking_params,
        stats=crawler.stats,
        **kwargs,
    )
    crawler.signals.connect(stage.item_dropped, signal=signals.item_dropped)
    crawler.signals.connect(stage.spider_closed, signal=signals.spider_closed)
    return stage


def settled_state(url: str, entry_date: str | None, listing: str | None, tracking_params: tuple[str, ...]) -> UrlState:
    """The URL state of a request that ended without a stored article: fetched now, nothing stored."""
    dates = {listing: entry_date} if listing and entry_date else {}
    return UrlState(url_key(url, tracking_params), None, datetime.now(UTC).isoformat(), entry_date, None, dates)
