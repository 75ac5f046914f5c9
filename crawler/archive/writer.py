"""The one writer of the archive: one connection, one BEGIN IMMEDIATE transaction per batch.

A crawl, `scrapy reextract`, imports and queue consumers all hand it the same items. For each
article of a batch, in order and inside the batch's transaction, it:

1. counts the article's short blocks for its source and learns those that recur (per-source
   boilerplate), removes learned ones from the article and cleans the source's stored articles —
   including the ones written earlier in the same batch;
2. links the article to its story (exact and near copies) — computed once, stored as computed;
3. writes the article, its captions, revision and raw page, and the state of the URLs that led to it.

A batch that fails is rolled back whole and written again one article at a time, so one bad article
costs itself and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from itertools import compress

from sqlite_utils import Database

from crawler.archive.articles import Outcome, PendingArticles, content_hash, save_article, save_sources
from crawler.archive.boilerplate import BlockCounts, clean_stored_articles_of
from crawler.archive.config import ArchiveConfig, preparation_of
from crawler.archive.connection import open_db, write_transaction
from crawler.archive.lock import DatabaseLock
from crawler.archive.rawpages import StoredPage, pages_to_reextract
from crawler.archive.state import (
    DueArticle,
    articles_due_for_refresh,
    load_listing_states,
    lookup_urls,
    record_urls,
    remember_entry_dates,
    save_listing_states,
)
from crawler.archive.stories import SqliteStoryIndex, set_story_columns
from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.blocktext import BlockText
from crawler.dedup.facts import StoryGuard
from crawler.dedup.linking import Entry, Link, StoryLinker
from crawler.dedup.prepared import Fingerprint, PreparedArticle
from crawler.incremental.state import ListingState, UrlState
from crawler.items import Article
from crawler.seeds import Source
from crawler.urls import article_id, article_id_of_key

logger = logging.getLogger(__name__)

class Written(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # a later copy, not stored (duplicates policy "drop")
    EMPTY = "empty"  # nothing worth storing once the source's boilerplate was removed
    FAILED = "failed"  # could not be written (the error is logged); nothing of it is stored


@dataclass(frozen=True)
class Plan:
    """What an article's write computes from the article alone, before its batch's transaction."""

    key: str  # its archive id
    fetched_key: str
    canonical_key: str | None
    prepared: PreparedArticle | None  # accepted (Preparation.accepts), else None
    texts: list[BlockText] | None  # its blocks cut (None: prepared)
    block_keys: tuple[int | None, ...]


@dataclass(frozen=True)
class WriteResult:
    article_id: str
    written: Written
    link: Link | None = None
    boilerplate_removed: int = 0
    boilerplate_learned: int = 0
    stored_cleaned: int = 0
    error: str | None = None


def provenance(article: Article) -> int:
    """0 to 3, lower for a page that names its authors, site and summary as publishers' pages do;
    scraper copies usually carry none of them."""
    return 3 - sum(bool(value) for value in (article.authors, article.site_name, article.description))


def founding_order(article: Article) -> tuple[bool, str, int, str]:
    """The order in which a batch's articles are best written: earliest published first, a
    publisher's page before a scraper's copy, then by URL. The first article of a story names it, so
    this keeps which fetch happened to finish first (one process's or a cluster's) out of story ids."""
    published = article.published_at
    return (published is None, published or "", provenance(article), article.canonical_url or article.url)


class Archive:
    """One crawl's (or one command's) handle on the archive. Not thread-safe; one per process."""

    def __init__(self, db: Database, config: ArchiveConfig | None = None, *, lock: DatabaseLock | None = None) -> None:
        self.db = db
        self.config = config or ArchiveConfig()
        self.lock = lock
        # A batch's article rows, written by one statement (see PendingArticles), and its block counts.
        self.pending = PendingArticles(db)
        self.blocks = BlockCounts(db)
        self.preparation = preparation_of(self.config)
        duplicates = self.config.duplicates
        self.linker = (
            StoryLinker(
                # write() holds the batch's transaction: no savepoint per article.
                SqliteStoryIndex(db, savepoints=False, before_article_updates=self.pending.flush),
                threshold=duplicates.threshold,
                guard=StoryGuard(max_days_apart=duplicates.max_days_apart),
                hasher=self.preparation.hasher,
            )
            if duplicates is not None
            else None
        )

    @classmethod
    def open(cls, path: str, config: ArchiveConfig | None = None, *, exclusive: bool = True) -> Archive:
        """Open (and migrate) the archive. ``exclusive`` takes the one-writer lock first and raises
        DatabaseBusy, before anything is read or written, when another process holds it."""
        lock = DatabaseLock(path) if exclusive else None
        if lock is not None:
            lock.acquire()
        try:
            return cls(open_db(path), config, lock=lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # --- what the crawl reads ------------------------------------------------------------------

    def listing_states(self) -> dict[str, ListingState]:
        return load_listing_states(self.db)

    def url_states(self, keys: Sequence[str]) -> dict[str, UrlState]:
        return lookup_urls(self.db, keys)

    def due_for_refresh(
        self, sources: Sequence[str], *, born_after: str, fetched_before: str, limit: int
    ) -> list[DueArticle]:
        return articles_due_for_refresh(
            self.db, sources, born_after=born_after, fetched_before=fetched_before, limit=limit
        )

    def article_urls(self, source: str, *, limit: int = 2000) -> list[str]:
        """The source's most recently stored article URLs (what section-page links are judged by)."""
        rows = self.db.execute(
            "SELECT url FROM articles WHERE source = ? ORDER BY first_stored_at DESC LIMIT ?", [source, limit]
        ).fetchall()
        return [str(row[0]) for row in rows]

    def stored_pages(self, *, source: str | None = None, since: str | None = None) -> Iterable[StoredPage]:
        return pages_to_reextract(self.db, source=source, since=since)

    # --- writes ----------------------------------------------------------------------------------

    def save_sources(self, sources: Iterable[Source]) -> None:
        save_sources(self.db, sources)

    def commit_listings(self, states: Iterable[ListingState]) -> None:
        save_listing_states(self.db, states)

    def write(
        self,
        articles: Sequence[Article],
        *,
        settled: Sequence[UrlState] = (),
        entries: Sequence[tuple[str, str, str]] = (),
        prepared: Sequence[PreparedArticle | None] = (),
        learn: bool = True,
        now: datetime | None = None,
    ) -> list[WriteResult]:
        """Write a batch in one transaction: the articles (in order), the URLs that settled without an
        article, and listing dates of known URLs ((url_key, listing, date)). ``prepared``: what workers
        computed of each article beforehand (crawler.dedup.prepared), by position; a missing one, or one
        of other settings, is computed here. ``learn`` off (a re-extraction) removes learned boilerplate
        without counting the articles' blocks again."""
        moment = (now or datetime.now(UTC)).isoformat()
        before = [(article.blocks, article.story_id, article.duplicate_of) for article in articles]
        ready = [self.preparation.accepts(p, a) for p, a in zip(prepared, articles, strict=False)]
        ready += [None] * (len(articles) - len(ready))
        try:
            plans = [self._plan(article, ready_one) for article, ready_one in zip(articles, ready, strict=True)]
            with self._transaction():
                self._prefetch(articles, plans)
                results = [self._write_one(a, plan, learn, moment) for a, plan in zip(articles, plans, strict=True)]
                self._flush()
                record_urls(self.db, settled)
                remember_entry_dates(self.db, entries)
            return results
        except Exception as exc:
            if len(articles) <= 1 and not settled and not entries:
                return [self.failure(article, exc) for article in articles]
            logger.warning("Writing a batch of %d articles failed (%s); writing them one by one", len(articles), exc)
        results = []
        for article, ready_one, (blocks, story_id, duplicate_of) in zip(articles, ready, before, strict=True):
            article.blocks, article.story_id, article.duplicate_of = blocks, story_id, duplicate_of
            try:
                with self._transaction():
                    result = self._write_one(article, self._plan(article, ready_one), learn, moment)
                    self._flush()
                results.append(result)
            except Exception as exc:
                results.append(self.failure(article, exc))
        with write_transaction(self.db):
            record_urls(self.db, settled)
            remember_entry_dates(self.db, entries)
        return results

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One BEGIN IMMEDIATE transaction; what the batch held or read is forgotten when it ends,
        committed or rolled back (the next one reads the archive again)."""
        try:
            with write_transaction(self.db):
                yield
        finally:
            self.pending.discard()
            self.blocks.forget()

    def _flush(self) -> None:
        self.pending.flush()
        self.blocks.flush()

    def _prefetch(self, articles: Sequence[Article], plans: Sequence[Plan]) -> None:
        """Read the batch's stored article rows and block counts in a few queries, not per article."""
        self.pending.prefetch(plan.key for plan in plans)
        if self.config.boilerplate is None:
            return
        keys: dict[str, list[int]] = {}
        for article, plan in zip(articles, plans, strict=True):
            if article.source:
                keys.setdefault(article.source, []).extend(key for key in plan.block_keys if key is not None)
        for source, source_keys in keys.items():
            self.blocks.prefetch(source, source_keys)

    def key(self, article: Article) -> str:
        """The article's archive id: the stored one when known, else a hash of its canonical URL."""
        return article.article_id or article_id(article.canonical_url or article.url, self.config.tracking_params)

    def failure(self, article: Article, exc: Exception) -> WriteResult:
        logger.error("Article %s not stored: %s: %s", article.url, type(exc).__name__, exc)
        return WriteResult(self.key(article), Written.FAILED, error=f"{type(exc).__name__}: {exc}")

    def _plan(self, article: Article, prepared: PreparedArticle | None) -> Plan:
        preparation = self.preparation
        fetched_key, canonical_key = (
            (prepared.url_key, prepared.canonical_key) if prepared is not None else preparation.url_keys(article)
        )
        if article.article_id:
            key = article.article_id
        elif canonical_key is not None:
            key = article_id_of_key(canonical_key)
        else:
            key = self.key(article)
        # Each block is cut once, for its boilerplate key and for the fingerprints (unless prepared).
        texts = None if prepared is not None else [BlockText.of(block.text) for block in article.blocks]
        block_keys = prepared.block_keys if prepared is not None else preparation.block_keys(texts or [])
        return Plan(key, fetched_key, canonical_key, prepared, texts, block_keys)

    def _write_one(self, article: Article, plan: Plan, learn: bool, now: str) -> WriteResult:
        preparation = self.preparation
        key, prepared, texts, block_keys = plan.key, plan.prepared, plan.texts, plan.block_keys
        removed = learned = cleaned = 0
        kept: list[bool] | None = None
        if self.config.boilerplate is not None and article.source:
            removed, learned, cleaned, kept = self._remove_boilerplate(
                key, article, block_keys, self.config.boilerplate, learn, now
            )
            if removed and sum(len(block.text) for block in article.blocks) < self.config.min_body_chars:
                return WriteResult(key, Written.EMPTY, None, removed, learned, cleaned)
        link = None
        if self.linker is not None:
            gone = tuple(position for position, keep in enumerate(kept or ()) if not keep)
            fingerprint = prepared.fingerprint(gone) if prepared is not None else None
            if fingerprint is None:
                if texts is None:
                    texts = [BlockText.of(block.text) for block in article.blocks]
                elif kept is not None:
                    texts = list(compress(texts, kept))
                fingerprint = preparation.fingerprint(
                    article.title, texts, published_at=article.published_at, source=article.source, removed=gone
                )
            link = self.linker.link(self._entry(key, article, fingerprint))
            article.story_id, article.duplicate_of = link.story_id, link.duplicate_of
            if link.duplicate_of is not None and self.config.duplicates and self.config.duplicates.policy == "drop":
                return WriteResult(key, Written.DUPLICATE, link, removed, learned, cleaned)
        digest = content_hash(article)
        story = (link.story_id, link.duplicate_of) if link is not None else None
        outcome = save_article(self.db, key, article, digest=digest, story=story, pending=self.pending)
        if link is not None and outcome is Outcome.UNCHANGED:
            set_story_columns(self.db, key, link.story_id, link.duplicate_of)
        self.pending.record_urls(self._url_states(key, article, digest, plan.fetched_key, plan.canonical_key))
        return WriteResult(key, Written(outcome.value), link, removed, learned, cleaned)

    @staticmethod
    def _entry(key: str, article: Article, fingerprint: Fingerprint) -> Entry:
        return Entry(
            key,
            fingerprint.body_hash,
            fingerprint.signature,
            fingerprint.story_facts(published_at=article.published_at, source=article.source),
            empty=fingerprint.empty,
            provenance=provenance(article),
            bucket_keys=fingerprint.bucket_keys,
            facts_json=fingerprint.facts_json,
        )

    def _remove_boilerplate(
        self, key: str, article: Article, keys: Sequence[int | None], rule: BoilerplateRule, learn: bool, now: str
    ) -> tuple[int, int, int, list[bool] | None]:
        """Count the article's short blocks (``keys``: their boilerplate keys), learn those that crossed
        the rule, clean the source's stored articles of them, and remove every learned block from the
        article. Returns blocks removed, blocks learned, stored articles cleaned, and which blocks were
        kept (None: all of them)."""
        source, counts_store = article.source, self.blocks
        candidates = {k: block.text for k, block in zip(keys, article.blocks, strict=True) if k is not None}
        if not candidates:
            return 0, 0, 0, None
        known = counts_store.learned(source, candidates)
        new: set[int] = set()
        cleaned = 0
        if learn:
            tick = counts_store.tick(source)
            counts = counts_store.count(
                source,
                key,
                {k: text for k, text in candidates.items() if k not in known},
                tick=tick,
                now=now,
                remembered_ids=rule.remembered_ids,
            )
            new = {c.block_hash for c in counts if rule.is_boilerplate(c.articles_seen, c.first_seen_tick, tick)}
            if new:
                self.pending.flush()  # cleaning reads and rewrites the source's stored articles
                learned_now = list(new)
                for block_key in learned_now:
                    counts_store.mark_boilerplate(source, block_key, now=now)
                    logger.info("Learned boilerplate of %s: %r", source, candidates[block_key][:80])
                cleaned += sum(clean_stored_articles_of(self.db, source, learned_now))
            if tick % rule.stale_after == 0:
                counts_store.prune_stale(source, before_tick=tick - rule.stale_after)
        remove = known | new
        if not remove:
            return 0, len(new), cleaned, None
        before = len(article.blocks)
        kept = [k not in remove for k in keys]
        article.blocks = list(compress(article.blocks, kept))
        return before - len(article.blocks), len(new), cleaned, kept

    def _url_states(
        self, key: str, article: Article, digest: str, fetched_key: str, canonical_key: str | None
    ) -> list[UrlState]:
        """The fetched URL and the canonical URL both lead to this article from now on
        (the keys: Preparation.url_keys of the article, computed once per article)."""
        fetched_at = article.fetched_at or datetime.now(UTC).isoformat()
        listing_dates = {article.listing: article.entry_date} if article.listing and article.entry_date else {}
        return [
            UrlState(
                canonical_key if url == article.canonical_url and canonical_key is not None else fetched_key,
                key,
                fetched_at,
                article.entry_date,
                digest,
                listing_dates,
            )
            for url in dict.fromkeys((article.url, article.canonical_url))
            if url
        ]
