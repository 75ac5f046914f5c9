"""When to fetch again: the pure decisions behind incremental crawling.

An article already fetched is fetched again only when its feed or sitemap entry says it changed, or
while it is young enough that updates are likely (the refresh policy). A feed is polled less often
while it brings nothing new (adaptive polling), within bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.archive.state import UrlState
from crawler.dates import parse_stored


@dataclass(frozen=True)
class RefreshPolicy:
    max_age: timedelta = timedelta(hours=48)  # re-check articles published less than this ago...
    interval: timedelta = timedelta(hours=6)  # ...at most this often


def fetch_reason(state: UrlState | None, *, entry_date: datetime | None) -> str | None:
    """Why a listed article URL should be fetched ("new", "entry_changed"), or None to skip it.

    Re-checking young articles for updates is the refresh policy's job (`refresh_cutoffs`), driven
    from the archive rather than from listings, so it works when a feed answers 304.
    """
    if state is None:
        return "new"
    known_entry = parse_stored(state.entry_date)
    if entry_date is not None and (known_entry is None or entry_date > known_entry):
        return "entry_changed"
    return None


def refresh_cutoffs(policy: RefreshPolicy, now: datetime) -> tuple[str, str]:
    """(born_after, fetched_before): articles published after the first and last fetched before the
    second are due for a re-check."""
    return (now - policy.max_age).isoformat(), (now - policy.interval).isoformat()


@dataclass(frozen=True)
class PollingBounds:
    minimum: timedelta
    maximum: timedelta


def next_poll_interval(current: float | None, *, had_news: bool, bounds: PollingBounds) -> float:
    """Seconds until a listing is due again: halve after news, grow by half while quiet."""
    low, high = bounds.minimum.total_seconds(), bounds.maximum.total_seconds()
    if current is None:
        return low
    proposed = current / 2 if had_news else current * 1.5
    return max(low, min(high, proposed))
