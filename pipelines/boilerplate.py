"""Learn each source's boilerplate — blocks that recur across its articles — and remove it.

Counts persist in SQLite, so a source's furniture learned in one run is removed in the next; when a
block is learned, the source's articles already stored are cleaned in the same transaction.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from crawler.archive import boilerplate as store
from crawler.archive import open_db
from crawler.archive.stories import write_transaction
from crawler.dedup.blocks import BoilerplateRule
from crawler.items import Article
from crawler.urls import DEFAULT_TRACKING_PARAMS, article_id

logger = logging.getLogger(__name__)

DEFAULT_RULE = BoilerplateRule()


class BoilerplatePipeline:
    def __init__(
        self,
        db_path: str,
        *,
        rule: BoilerplateRule = DEFAULT_RULE,
        tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS,
        stats: StatsCollector | None = None,
    ) -> None:
        if rule.min_articles < 1:
            raise ValueError(f"INGEST_BOILERPLATE_MIN_ARTICLES: {rule.min_articles} is less than 1")
        if not 0.0 <= rule.min_share <= 1.0:
            raise ValueError(f"INGEST_BOILERPLATE_MIN_SHARE: {rule.min_share} is not between 0 and 1")
        self.db_path = db_path
        self.rule = rule
        self.tracking_params = tracking_params
        self.stats = stats
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INGEST_BOILERPLATE_ENABLED", True):
            raise NotConfigured("INGEST_BOILERPLATE_ENABLED is off")
        rule = BoilerplateRule(
            min_articles=settings.getint("INGEST_BOILERPLATE_MIN_ARTICLES", DEFAULT_RULE.min_articles),
            max_chars=settings.getint("INGEST_BOILERPLATE_MAX_CHARS", DEFAULT_RULE.max_chars),
            min_share=settings.getfloat("INGEST_BOILERPLATE_MIN_SHARE", DEFAULT_RULE.min_share),
        )
        return cls(
            settings.get("INGEST_DB_PATH"),
            rule=rule,
            tracking_params=tuple(settings.getlist("INGEST_TRACKING_PARAMS")) or DEFAULT_TRACKING_PARAMS,
            stats=crawler.stats,
        )

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or self.db is None or not item.source:
            return item
        keys = [self.rule.key(block.text) for block in item.blocks]
        candidates = {key: block.text for key, block in zip(keys, item.blocks, strict=True) if key is not None}
        if not candidates:
            return item
        remove, newly_learned, cleaned = self._learn(item, candidates)
        if remove:
            before = len(item.blocks)
            item.blocks = [block for key, block in zip(keys, item.blocks, strict=True) if key not in remove]
            self._count("removed", before - len(item.blocks))
        self._count("learned", newly_learned)
        self._count("cleaned_stored", cleaned)
        return item

    def _learn(self, item: Article, candidates: dict[int, str]) -> tuple[set[int], int, int]:
        """One transaction: count the article's blocks, learn those that crossed the rule, clean the
        source's stored articles of them. The blocks to remove, how many were learned, articles cleaned."""
        assert self.db is not None
        db, source, rule = self.db, item.source, self.rule
        now = datetime.now(UTC).isoformat()
        key = article_id(item.canonical_url or item.url, self.tracking_params)
        cleaned = 0
        with write_transaction(db):
            tick = store.tick(db, source)
            known = store.learned(db, source, candidates)
            counts = store.count_blocks(
                db,
                source,
                key,
                {k: text for k, text in candidates.items() if k not in known},
                tick=tick,
                now=now,
                remembered_ids=rule.remembered_ids,
            )
            new = {c.block_hash for c in counts if rule.is_boilerplate(c.articles_seen, c.first_seen_tick, tick)}
            for block_key in new:
                store.mark_boilerplate(db, source, block_key, now=now)
                cleaned += store.clean_stored_articles(db, source, block_key)
                logger.info("Learned boilerplate of %s: %r", source, candidates[block_key][:80])
            if tick % rule.stale_after == 0:
                store.prune_stale(db, source, before_tick=tick - rule.stale_after)
        return known | new, len(new), cleaned

    def _count(self, event: str, value: int) -> None:
        if self.stats is not None and value:
            self.stats.inc_value(f"ingest/boilerplate/{event}", value)
