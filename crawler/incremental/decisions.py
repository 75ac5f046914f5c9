"""When to fetch again: the pure decisions behind incremental crawling.

An article already fetched is fetched again only when the same listing's entry says it changed, or
while it is young enough that updates are likely (the refresh policy). A listing is requested
conditionally, and one answering 304 or with the body of last time is not read again. A feed is
polled less often while it brings nothing new (adaptive polling), within bounds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.dates import parse_stored
from crawler.incremental.state import ListingState, UrlState


@dataclass(frozen=True)
class RefreshPolicy:
    max_age: timedelta = timedelta(hours=48)  # re-check articles published less than this ago...
    interval: timedelta = timedelta(hours=6)  # ...at most this often


@dataclass(frozen=True)
class PollingBounds:
    minimum: timedelta
    maximum: timedelta


@dataclass(frozen=True)
class FetchDecision:
    reason: str | None  # "new", "entry_changed", or None: skip
    # The listing's date for this URL is not stored yet (it was first fetched through another
    # listing): remember it, so that the next change of this listing's entry is seen.
    remember_entry: bool = False


def fetch_decision(state: UrlState | None, *, listing: str | None, entry_date: datetime | None) -> FetchDecision:
    """Whether a listed article URL should be fetched.

    Re-checking young articles for updates is the refresh policy's job (`refresh_cutoffs`), driven
    from the archive rather than from listings, so it works when a feed answers 304.
    """
    if state is None:
        return FetchDecision("new")
    if entry_date is None:
        return FetchDecision(None)
    known_here = state.entry_dates.get(listing) if listing else None
    if known_here is not None:
        known = parse_stored(known_here)
        changed = known is None or entry_date > known
        return FetchDecision("entry_changed" if changed else None)
    if state.entry_dates:
        # Known through another listing only: its date says nothing about this listing's dates.
        return FetchDecision(None, remember_entry=listing is not None)
    # An archive made before per-listing dates: the one stored date is the best there is.
    known = parse_stored(state.entry_date)
    if known is None or entry_date > known:
        return FetchDecision("entry_changed")
    return FetchDecision(None, remember_entry=listing is not None)


def refresh_cutoffs(policy: RefreshPolicy, now: datetime) -> tuple[str, str]:
    """(born_after, fetched_before): articles published after the first and last fetched before the
    second are due for a re-check."""
    return (now - policy.max_age).isoformat(), (now - policy.interval).isoformat()


def next_poll_interval(current: float | None, *, had_news: bool, bounds: PollingBounds) -> float:
    """Seconds until a listing is due again: halve after news, grow by half while quiet."""
    low, high = bounds.minimum.total_seconds(), bounds.maximum.total_seconds()
    if current is None:
        return low
    proposed = current / 2 if had_news else current * 1.5
    return max(low, min(high, proposed))


def listing_due(state: ListingState | None, now: datetime, polling: PollingBounds | None) -> bool:
    """Adaptive polling: a listing is skipped until its next poll time."""
    if polling is None or state is None or not state.next_poll_at:
        return True
    return state.next_poll_at <= now.isoformat()


def conditional_headers(state: ListingState | None) -> dict[bytes, str]:
    """If-None-Match / If-Modified-Since from the listing's last answer."""
    headers: dict[bytes, str] = {}
    if state is not None and state.etag:
        headers[b"If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        headers[b"If-Modified-Since"] = state.last_modified
    return headers


@dataclass(frozen=True)
class ListingAnswer:
    """What a listing response said, reduced to what the state needs."""

    status: int
    etag: str | None = None
    last_modified: str | None = None
    body: bytes = b""


def read_listing(
    url: str, source: str, kind: str, answer: ListingAnswer, previous: ListingState | None, now: datetime
) -> tuple[ListingState, bool] | None:
    """The listing's new state and whether it is unchanged since last time (304, or the same body);
    None for an answer that says nothing about the listing (an error status)."""
    state = ListingState(
        url=url,
        source=source,
        kind=kind,
        poll_interval=previous.poll_interval if previous else None,
        changed_at=previous.changed_at if previous else None,
        status=answer.status,
        fetched_at=now.isoformat(),
    )
    if answer.status == 304:
        if previous is not None:
            state.etag, state.last_modified, state.body_hash = previous.etag, previous.last_modified, previous.body_hash
        return state, True
    if answer.status != 200:
        return None
    state.etag, state.last_modified = answer.etag, answer.last_modified
    state.body_hash = hashlib.sha256(answer.body).hexdigest()
    return state, previous is not None and previous.body_hash == state.body_hash


def settle_listing(
    state: ListingState, *, had_news: bool, now: datetime, polling: PollingBounds | None
) -> ListingState:
    """The state to commit for a listing whose articles all settled: news time and next poll."""
    if polling is not None:
        state.poll_interval = next_poll_interval(state.poll_interval, had_news=had_news, bounds=polling)
        state.next_poll_at = (now + timedelta(seconds=state.poll_interval)).isoformat()
    if had_news:
        state.changed_at = now.isoformat()
    return state
