"""Incremental state in Redis: listing validators and URL state, shared by every worker.

The same reads as the SQLite archive (``listing_states``, ``url_states``), so the incremental
middleware cannot tell them apart; workers write URL state as they hand items to the stream, so a
second run skips what the first fetched even before the writer has stored it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any, cast

import redis

from crawler.cluster.keys import ClusterKeys
from crawler.incremental.state import ListingState, UrlState


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

    def due_for_refresh(self, sources: Sequence[str], *, born_after: str, fetched_before: str, limit: int) -> list[Any]:
        """Refresh re-checks are read from the archive's articles, which workers do not have."""
        return []

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
