"""Link each article to its story: exact and near-duplicate copies across sources share a story_id,
and every copy points at the story's earliest-published member (duplicate_of)."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.dedup.facts import StoryGuard
from crawler.dedup.linking import DEFAULT_THRESHOLD, Match, StoryLinker
from crawler.items import Article
from crawler.urls import DEFAULT_TRACKING_PARAMS, article_id

logger = logging.getLogger(__name__)

POLICIES = ("link", "drop")
DEFAULT_MAX_DAYS_APART = 7.0


class DuplicateArticle(DropItem):
    """A later copy of a story already archived (INGEST_DUPLICATES_POLICY = "drop")."""


def provenance(item: Article) -> int:
    """0 to 3, lower for a page that names its authors, site and summary as publishers' pages do;
    scraper copies usually carry none of them."""
    return 3 - sum(bool(value) for value in (item.authors, item.site_name, item.description))


class DuplicatesPipeline:
    def __init__(
        self,
        db_path: str,
        *,
        policy: str = "link",
        threshold: float = DEFAULT_THRESHOLD,
        max_days_apart: float = DEFAULT_MAX_DAYS_APART,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
    ) -> None:
        if policy not in POLICIES:
            raise ValueError(f"INGEST_DUPLICATES_POLICY: {policy!r} is not one of {', '.join(POLICIES)}")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"INGEST_NEAR_DUPLICATE_THRESHOLD: {threshold} is not between 0 and 1")
        if max_days_apart < 0:
            raise ValueError(f"INGEST_DUPLICATES_MAX_DAYS_APART: {max_days_apart} is negative")
        self.db_path = db_path
        self.policy = policy
        self.threshold = threshold
        self.guard = StoryGuard(max_days_apart=max_days_apart)
        self.tracking_params = tracking_params
        self.stats = stats
        self.db: Database | None = None
        self.linker: StoryLinker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INGEST_DUPLICATES_ENABLED", True):
            raise NotConfigured("INGEST_DUPLICATES_ENABLED is off")
        return cls(
            settings.get("INGEST_DB_PATH"),
            policy=settings.get("INGEST_DUPLICATES_POLICY", "link"),
            threshold=settings.getfloat("INGEST_NEAR_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD),
            max_days_apart=settings.getfloat("INGEST_DUPLICATES_MAX_DAYS_APART", DEFAULT_MAX_DAYS_APART),
            tracking_params=tuple(settings.getlist("INGEST_TRACKING_PARAMS")) or DEFAULT_TRACKING_PARAMS,
            stats=crawler.stats,
        )

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)
        self.linker = StoryLinker(self.db, threshold=self.threshold, guard=self.guard)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()
        self.db = self.linker = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or self.linker is None:
            return item
        key = article_id(item.canonical_url or item.url, self.tracking_params)
        entry = self.linker.entry(
            key,
            title=item.title,
            blocks=[block.text for block in item.blocks],
            published_at=item.published_at,
            source=item.source,
            provenance=provenance(item),
        )
        link = self.linker.link(entry)
        item.story_id, item.duplicate_of = link.story_id, link.duplicate_of
        self._count(link.match.value)
        if link.merged:
            # Stories found to be one: copies that had arrived before the article linking them.
            self._count("merged_stories", len(link.merged))
        if link.match in (Match.EXACT, Match.NEAR):
            logger.debug("%s is a %s copy of %s (story %s)", item.url, link.match.value, link.matched, link.story_id)
        if self.policy == "drop" and link.duplicate_of is not None:
            self._count("dropped")
            raise DuplicateArticle(f"{item.url}: a copy of {link.duplicate_of} (story {link.story_id})")
        return item

    def _count(self, event: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"ingest/duplicates/{event}", count)
