"""Hand articles and crawl outcomes to the archive, in batches: the last stage of the pipeline.

Articles wait here until their batch is written (INGEST_STORAGE_BATCH_SIZE articles, or
INGEST_STORAGE_FLUSH_SECONDS after the first one arrived), so an item counts as scraped only once its
transaction has committed, and a later copy dropped by the duplicates policy is a real DropItem.
The outcomes the spider and the incremental middleware yield (crawler.incremental.outcomes) are
written in the same transactions, and listing states are committed when a run finishes cleanly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler.archive.writer import Archive, WriteResult, Written, founding_order
from crawler.context import CrawlContext
from crawler.dedup.linking import Match
from crawler.incremental.decisions import PollingBounds, settle_listing
from crawler.incremental.outcomes import EntrySeen, ListingIncomplete, ListingRead, UrlSettled
from crawler.incremental.state import ListingState, UrlState
from crawler.items import Article
from crawler.seeds import Source
from crawler.urls import DEFAULT_TRACKING_PARAMS
from pipelines.laststage import OUTCOMES, OutcomeRecorded, build_last_stage, settled_state
from pipelines.required import EmptyBody

__all__ = ["OUTCOMES", "ArchivePipeline", "DuplicateArticle", "NotStored", "OutcomeRecorded"]

logger = logging.getLogger(__name__)

STORED = {
    Written.NEW: "ingest/storage/new",
    Written.UPDATED: "ingest/storage/updated",
    Written.UNCHANGED: "ingest/storage/unchanged",
}
LINKED = {
    Match.EXACT: "ingest/duplicates/exact",
    Match.NEAR: "ingest/duplicates/near",
    Match.NEW_STORY: "ingest/duplicates/new_story",
    Match.KNOWN: "ingest/duplicates/known",
}


class DuplicateArticle(DropItem):
    """A later copy of a story already archived (INGEST_DUPLICATES_POLICY = "drop")."""


class NotStored(DropItem):
    """The archive could not write the article (the error is logged with its URL)."""


@dataclass
class Batch:
    articles: list[Article] = field(default_factory=list)
    waiting: list[Deferred[WriteResult]] = field(default_factory=list)
    settled: list[UrlState] = field(default_factory=list)
    entries: list[tuple[str, str, str]] = field(default_factory=list)


class ArchivePipeline:
    def __init__(
        self,
        archive: Archive,
        *,
        sources: list[Source] | None = None,
        batch_size: int = 25,
        flush_seconds: float | None = 1.0,
        polling: PollingBounds | None = None,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
    ) -> None:
        self.archive = archive
        self.sources = sources or []
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.polling = polling
        self.tracking_params = tracking_params
        self.stats = stats
        self.batch = Batch()
        self._timer: CallLaterResult | None = None
        self._listings: dict[str, ListingRead] = {}
        self._dirty: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = CrawlContext.of(crawler)
        if context.redis is not None:
            raise NotConfigured("cluster mode: pipelines.stream hands items to `scrapy archive-writer`")
        settings = crawler.settings
        return build_last_stage(
            cls,
            crawler,
            context.archive(),
            batch_size=settings.getint("INGEST_STORAGE_BATCH_SIZE"),
            flush_seconds=max(0.01, settings.getfloat("INGEST_STORAGE_FLUSH_SECONDS")),
        )

    def open_spider(self) -> None:
        self.archive.save_sources(self.sources)

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, reason: str) -> None:
        """Listing states are committed only after a clean finish, and only for listings whose
        articles all settled: a killed or failing run is picked up by the next one."""
        self.flush()
        if reason != "finished":
            return
        now = datetime.now(UTC)
        states: list[ListingState] = [
            settle_listing(read.state, had_news=read.had_news, now=now, polling=self.polling)
            for url, read in self._listings.items()
            if url not in self._dirty
        ]
        self.archive.commit_listings(states)
        self._inc("ingest/incremental/listings_committed", len(states))

    # --- items ---------------------------------------------------------------------------------

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, OUTCOMES):
            self._record(item)
            raise OutcomeRecorded(type(item).__name__)
        if not isinstance(item, Article):
            return item
        result = await maybe_deferred_to_future(self.submit(item))
        return self.outcome(item, result)

    def submit(self, article: Article) -> Deferred[WriteResult]:
        """Queue an article for the next batch; fires with its result once the batch committed."""
        waiting: Deferred[WriteResult] = Deferred()
        self.batch.articles.append(article)
        self.batch.waiting.append(waiting)
        if len(self.batch.articles) >= self.batch_size:
            self.flush()
        elif self._timer is None and self.flush_seconds is not None:
            self._timer = call_later(self.flush_seconds, self.flush)
        return waiting

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """A dropped article's URL is settled: it is not fetched again unless its entry changes."""
        if isinstance(item, Article) and not isinstance(exception, NotStored):
            self.batch.settled.append(self._settled_state(item.url, item.entry_date, item.listing))

    def _record(self, outcome: Any) -> None:
        if isinstance(outcome, UrlSettled):
            if outcome.transient:
                if outcome.listing:
                    self._dirty.add(outcome.listing)
                return
            self.batch.settled.append(self._settled_state(outcome.url, outcome.entry_date, outcome.listing))
        elif isinstance(outcome, EntrySeen):
            self.batch.entries.append((outcome.url_key, outcome.listing, outcome.entry_date))
        elif isinstance(outcome, ListingRead):
            self._listings[outcome.state.url] = outcome
        elif isinstance(outcome, ListingIncomplete):
            self._dirty.add(outcome.url)
        if len(self.batch.settled) + len(self.batch.entries) >= 100:
            self.flush()

    def _settled_state(self, url: str, entry_date: str | None, listing: str | None) -> UrlState:
        return settled_state(url, entry_date, listing, self.tracking_params)

    def flush(self) -> None:
        """Write the pending batch in one transaction and wake its articles."""
        if self._timer is not None:
            self._timer.cancel()  # nothing if it is the call running now
            self._timer = None
        batch, self.batch = self.batch, Batch()
        if not (batch.articles or batch.settled or batch.entries):
            return
        # Which page arrived first is chance, and a story is named after its first article.
        pairs = sorted(zip(batch.articles, batch.waiting, strict=True), key=lambda pair: founding_order(pair[0]))
        batch.articles, batch.waiting = [a for a, _ in pairs], [w for _, w in pairs]
        try:
            results = self.archive.write(batch.articles, settled=batch.settled, entries=batch.entries)
        except Exception as exc:  # the outcomes' own write failed: the articles' were logged per article
            logger.error("Writing crawl outcomes failed: %s: %s", type(exc).__name__, exc)
            results = [self.archive.failure(article, exc) for article in batch.articles]
        for waiting, result in zip(batch.waiting, results, strict=True):
            waiting.callback(result)

    # --- counting --------------------------------------------------------------------------------

    def outcome(self, article: Article, result: WriteResult) -> Article:
        """Count what the archive did with the article; raise the DropItem that says why it was not stored."""
        self._inc("ingest/boilerplate/removed", result.boilerplate_removed)
        self._inc("ingest/boilerplate/learned", result.boilerplate_learned)
        self._inc("ingest/boilerplate/cleaned_stored", result.stored_cleaned)
        if result.link is not None:
            self._inc(LINKED[result.link.match])
            if result.link.merged:
                # Stories found to be one: copies that had arrived before the article linking them.
                self._inc("ingest/duplicates/merged_stories", len(result.link.merged))
            if result.link.match in (Match.EXACT, Match.NEAR):
                logger.debug("%s is a %s copy of %s", article.url, result.link.match.value, result.link.matched)
        written = result.written
        if written is Written.DUPLICATE:
            assert result.link is not None
            self._inc("ingest/duplicates/dropped")
            raise DuplicateArticle(
                f"{article.url}: a copy of {result.link.duplicate_of} (story {result.link.story_id})"
            )
        if written is Written.EMPTY:
            self._inc("ingest/required/empty_body")
            raise EmptyBody(f"{article.url}: nothing but the source's boilerplate")
        if written is Written.FAILED:
            self._inc("ingest/storage/failed")
            raise NotStored(f"{article.url}: not stored: {result.error}")
        self._inc(STORED[written])
        if article.source:
            self._inc(f"ingest/source/{article.source}/{written.value}")  # the per-source pattern
        return article

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)
