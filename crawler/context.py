"""The crawl context: what every component of one crawl shares, built once per crawler.

Sources and spider arguments, the archive's path and configuration, tracking parameters, limits and
the incremental policy are read from the settings and the spider's arguments once, here; components
receive them with ``CrawlContext.of(crawler)`` instead of reading the spider's attributes. The crawl's
one archive handle is opened (and its lock taken) the first time a component asks for it, which is
while the crawler is being built, before the first request: a second crawl of the same archive
fails there, at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.archive.config import DuplicatesConfig
from crawler.archive.state import DueArticle
from crawler.archive.writer import Archive, ArchiveConfig
from crawler.arguments import SpiderArguments, load_configuration
from crawler.cluster.connection import connect
from crawler.cluster.keys import ClusterKeys
from crawler.cluster.state import RedisState
from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.linking import DEFAULT_THRESHOLD
from crawler.incremental.decisions import PollingBounds, RefreshPolicy
from crawler.incremental.state import ListingState, UrlState
from crawler.limits import SpiderLimits
from crawler.seeds import Source

# The attribute of the Crawler that holds its context: one per crawler, never shared between crawls.
ATTRIBUTE = "_ingest_context"


class StateStore(Protocol):
    """What the crawl reads of its incremental state: the archive alone, or Redis in cluster mode."""

    def listing_states(self) -> dict[str, ListingState]: ...

    def url_states(self, keys: Sequence[str]) -> dict[str, UrlState]: ...

    def due_for_refresh(
        self, sources: Sequence[str], *, born_after: str, fetched_before: str, limit: int
    ) -> Sequence[DueArticle]: ...

    def article_urls(self, source: str, *, limit: int = 2000) -> list[str]: ...


@dataclass(frozen=True)
class IncrementalConfig:
    enabled: bool = True
    refresh: RefreshPolicy = field(default_factory=RefreshPolicy)
    refresh_limit: int = 1000
    polling: PollingBounds | None = None  # None: adaptive polling off

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> IncrementalConfig:
        polling = None
        if settings.getbool("INGEST_ADAPTIVE_POLLING"):
            polling = PollingBounds(
                timedelta(minutes=settings.getfloat("INGEST_POLL_MIN_MINUTES")),
                timedelta(minutes=settings.getfloat("INGEST_POLL_MAX_MINUTES")),
            )
        return cls(
            enabled=settings.getbool("INGEST_INCREMENTAL"),
            refresh=RefreshPolicy(
                max_age=timedelta(hours=settings.getfloat("INGEST_REFRESH_MAX_AGE_HOURS")),
                interval=timedelta(hours=settings.getfloat("INGEST_REFRESH_INTERVAL_HOURS")),
            ),
            refresh_limit=settings.getint("INGEST_REFRESH_MAX_ARTICLES"),
            polling=polling,
        )


def archive_config(settings: BaseSettings) -> ArchiveConfig:
    boilerplate = None
    if settings.getbool("INGEST_BOILERPLATE_ENABLED", True):
        default = BoilerplateRule()
        boilerplate = BoilerplateRule(
            min_articles=settings.getint("INGEST_BOILERPLATE_MIN_ARTICLES", default.min_articles),
            max_chars=settings.getint("INGEST_BOILERPLATE_MAX_CHARS", default.max_chars),
            min_share=settings.getfloat("INGEST_BOILERPLATE_MIN_SHARE", default.min_share),
        )
    duplicates = None
    if settings.getbool("INGEST_DUPLICATES_ENABLED", True):
        duplicates = DuplicatesConfig(
            policy=settings.get("INGEST_DUPLICATES_POLICY", "link"),
            threshold=settings.getfloat("INGEST_NEAR_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD),
            max_days_apart=settings.getfloat("INGEST_DUPLICATES_MAX_DAYS_APART", 7.0),
        )
    return ArchiveConfig(
        tracking_params=SpiderLimits.from_settings(settings).tracking_params,
        boilerplate=boilerplate,
        duplicates=duplicates,
        min_body_chars=settings.getint("INGEST_MIN_BODY_CHARS"),
    )


class CrawlContext:
    def __init__(
        self,
        *,
        arguments: SpiderArguments,
        sources: list[Source],
        archive_path: str,
        archive_config: ArchiveConfig,
        limits: SpiderLimits,
        incremental: IncrementalConfig,
        crawler: Crawler | None = None,
        redis_url: str = "",
    ) -> None:
        self.arguments = arguments
        self.sources = {source.name: source for source in sources}
        self.archive_path = archive_path
        self.archive_config = archive_config
        self.limits = limits
        self.tracking_params = limits.tracking_params
        self.incremental = incremental
        self._crawler = crawler
        self._archive: Archive | None = None
        self.redis_url = redis_url
        # Cluster mode: connected (and checked) while the crawler is built, so an unreachable
        # server stops the worker before its first request.
        self.redis: redis.Redis | None = connect(redis_url, worker=True) if redis_url else None
        self.cluster_keys = ClusterKeys(crawler.spidercls.name if crawler is not None else "news")

    @classmethod
    def build(cls, crawler: Crawler, spider_kwargs: dict[str, Any]) -> CrawlContext:
        """Build the crawler's context from its settings and the spider's arguments (raises
        ArgumentError / SeedsError for bad ones) and attach it to the crawler."""
        settings = crawler.settings
        arguments, sources = load_configuration(spider_kwargs, settings.get("INGEST_SEEDS"))
        context = cls(
            arguments=arguments,
            sources=sources,
            archive_path=settings.get("INGEST_DB_PATH"),
            archive_config=archive_config(settings),
            limits=SpiderLimits.from_settings(settings),
            incremental=IncrementalConfig.from_settings(settings),
            crawler=crawler,
            redis_url=settings.get("INGEST_REDIS_URL", ""),
        )
        setattr(crawler, ATTRIBUTE, context)
        return context

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        """The crawler's context; a crawler whose spider built none gets one from its settings alone
        (the seeds of INGEST_SEEDS, no spider arguments)."""
        context = getattr(crawler, ATTRIBUTE, None)
        if isinstance(context, CrawlContext):
            return context
        return cls.build(crawler, {})

    def archive(self) -> Archive:
        """The crawl's one archive handle, opened and locked on first use, closed when the engine
        stops (after every component's spider_closed has run)."""
        if self._archive is None:
            self._archive = Archive.open(self.archive_path, self.archive_config)
            if self._crawler is not None:
                self._crawler.signals.connect(self.close, signal=signals.engine_stopped)
        return self._archive

    def state(self) -> StateStore:
        """Where incremental state is read: Redis in cluster mode, shared by every worker; else the archive."""
        if self.redis is not None:
            return RedisState(self.redis, self.cluster_keys)
        return self.archive()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
