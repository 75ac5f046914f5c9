"""Incremental state in Redis: listing validators, URL state and the refresh index, shared by every worker.

The same reads as the SQLite archive (``listing_states``, ``url_states``, ``due_for_refresh``), so the
incremental middleware and the spider cannot tell them apart; workers write URL state as they hand
items to the stream, so a second run skips what the first fetched even before the writer has stored it.

The writer also keeps each source's most recently stored article URLs (``<spider>:recent:<source>``),
whose shapes tell a section page's article links from its other links.

Refresh re-checks choose from the archive's articles, which workers do not have: the archive writer
indexes what it stored (``remember_stored``, after each commit) in ``<spider>:stored`` and, by the
moment each was born (published, else first stored), in ``<spider>:young``. The seeding worker reads
the index once per run, as one process reads its archive, and drops the articles too old ever to be
due again (a longer INGEST_REFRESH_MAX_AGE_HOURS later does not bring those back).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, cast

import redis

from crawler.cluster.keys import ClusterKeys
from crawler.dates import parse_stored
from crawler.incremental.state import DueArticle, ListingState, UrlState

RECENT_URLS = 2000  # per source, as the archive's article_urls


@dataclass(frozen=True)
class StoredArticle:
    """What the refresh index keeps of an article the writer stored."""

    article_id: str
    url: str
    source: str
    published_at: str | None
    fetched_at: str
    new: bool = False  # stored for the first time: one of the source's recent URLs


class RedisState:
    def __init__(self, client: redis.Redis, keys: ClusterKeys) -> None:
        self.client = client
        self.keys = keys

    def listing_states(self) -> dict[str, ListingState]:
        raw: dict[bytes, bytes] = self.client.hgetall(self.keys.listings)  # type: ignore[assignment]
        return {url.decode(): ListingState(**json.loads(value)) for url, value in raw.items()}

    def url_states(self, keys: Sequence[str]) -> dict[str, UrlState]:
        if not keys:
            return {}
        values: list[Any] = self.client.hmget(self.keys.urls, list(keys))  # type: ignore[assignment]
        return {key: UrlState(**json.loads(value)) for key, value in zip(keys, values, strict=True) if value}

    def due_for_refresh(
        self, sources: Sequence[str], *, born_after: str, fetched_before: str, limit: int
    ) -> list[DueArticle]:
        """As the archive's query: the sources' articles born after ``born_after`` and last fetched
        before ``fetched_before``, oldest fetch first."""
        oldest = _seconds(born_after)
        expired: list[bytes] = self.client.zrangebyscore(self.keys.young, "-inf", f"({oldest}")  # type: ignore[assignment]
        if expired:
            self.client.zrem(self.keys.young, *expired)
            self.client.hdel(self.keys.stored, *expired)
        young: list[bytes] = self.client.zrangebyscore(self.keys.young, oldest, "+inf")  # type: ignore[assignment]
        if not young or not sources:
            return []
        values: list[Any] = self.client.hmget(self.keys.stored, young)  # type: ignore[assignment]
        wanted, before = set(sources), _seconds(fetched_before)
        due = [
            (entry["fetched"], DueArticle(article_id.decode(), entry["url"], entry["source"], entry["published_at"]))
            for article_id, entry in ((a, json.loads(v)) for a, v in zip(young, values, strict=True) if v)
            if entry["source"] in wanted and entry["fetched"] < before
        ]
        return [article for _, article in sorted(due, key=lambda pair: pair[0])[:limit]]

    def remember_stored(self, articles: Iterable[StoredArticle]) -> None:
        """Index what the archive stored (new, updated or unchanged): a refresh re-check candidate."""
        articles = list(articles)
        if not articles:
            return
        ids = [article.article_id for article in articles]
        known: list[Any] = self.client.hmget(self.keys.stored, ids)  # type: ignore[assignment]
        now = datetime.now(UTC).timestamp()
        entries, born = {}, {}
        for article, old in zip(articles, known, strict=True):
            # Born when published, else when first stored (as the archive's coalesce(published_at, first_stored_at)).
            first = json.loads(old)["born"] if old else now
            moment = parse_stored(article.published_at)
            born[article.article_id] = moment.timestamp() if moment is not None else first
            fetched = parse_stored(article.fetched_at)
            entries[article.article_id] = json.dumps(
                {
                    "url": article.url,
                    "source": article.source,
                    "published_at": article.published_at,
                    "born": born[article.article_id],
                    "fetched": fetched.timestamp() if fetched is not None else now,
                }
            )
        # The writes go in one round trip (a pipeline, no MULTI): two per new article cost the writer
        # more than its archive transaction. LPUSH of several URLs leaves them newest first, as one
        # LPUSH each would.
        recent: dict[str, list[str]] = {}
        for article in articles:
            if article.new:
                recent.setdefault(article.source, []).append(article.url)
        pipe = self.client.pipeline(transaction=False)
        pipe.hset(self.keys.stored, mapping=cast(Any, entries))
        pipe.zadd(self.keys.young, cast(Any, born))
        for source, urls in recent.items():
            pipe.lpush(self.keys.recent(source), *urls)
            pipe.ltrim(self.keys.recent(source), 0, RECENT_URLS - 1)
        pipe.execute()

    def article_urls(self, source: str, *, limit: int = RECENT_URLS) -> list[str]:
        """The source's most recently stored article URLs (what section-page links are judged by)."""
        urls: list[bytes] = self.client.lrange(self.keys.recent(source), 0, limit - 1)  # type: ignore[assignment]
        return [url.decode() for url in urls]

    def commit_listings(self, states: Iterable[ListingState]) -> None:
        mapping = {state.url: json.dumps(asdict(state)) for state in states}
        if mapping:
            self.client.hset(self.keys.listings, mapping=cast(Any, mapping))

    def record_urls(self, states: Iterable[UrlState]) -> None:
        """Merge as the archive does: listing dates accumulate, a stored article is not forgotten."""
        states = list(states)
        if not states:
            return
        known = self.url_states([state.url_key for state in states])
        mapping = {}
        for state in states:
            old = known.get(state.url_key)
            if old is not None:
                state.entry_dates = {**old.entry_dates, **state.entry_dates}
                state.article_id = state.article_id or old.article_id
                state.content_hash = state.content_hash or old.content_hash
            known[state.url_key] = state
            mapping[state.url_key] = json.dumps(asdict(state))
        self.client.hset(self.keys.urls, mapping=cast(Any, mapping))

    def remember_entries(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """Listing dates of known URLs ((url_key, listing, date))."""
        entries = list(entries)
        known = self.url_states([key for key, _, _ in entries])
        mapping = {}
        for key, listing, date in entries:
            state = known.get(key)
            if state is None:
                continue
            state.entry_dates[listing] = date
            mapping[key] = json.dumps(asdict(state))
        if mapping:
            self.client.hset(self.keys.urls, mapping=cast(Any, mapping))


def _seconds(moment: str) -> float:
    parsed = parse_stored(moment)
    return parsed.timestamp() if parsed is not None else 0.0


class RedisPages:
    """The home, section and next pages this run requested, for every worker (a PageBook)."""

    def __init__(self, client: redis.Redis, keys: ClusterKeys) -> None:
        self.client = client
        self.key = keys.pages

    def seen(self, url: str) -> bool:
        return bool(self.client.sismember(self.key, url))

    def claim(self, url: str) -> bool:
        return bool(self.client.sadd(self.key, url))
