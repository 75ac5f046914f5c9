from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.incremental.decisions import (
    ListingAnswer,
    PollingBounds,
    RefreshPolicy,
    conditional_headers,
    fetch_decision,
    listing_due,
    next_poll_interval,
    read_listing,
    refresh_cutoffs,
)
from crawler.incremental.state import ListingState, UrlState

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def state(entry: str | None = "2026-11-28T10:00:00+00:00", content_hash: str | None = "h") -> UrlState:
    return UrlState("k", "a", "2026-11-29T06:00:00+00:00", entry, content_hash)


@pytest.mark.parametrize(
    ("known", "entry_date", "expected"),
    [
        (None, None, "new"),
        (None, NOW, "new"),
        (state(), None, None),
        (state(), datetime(2026, 11, 28, 10, 0, tzinfo=UTC), None),
        (state(), datetime(2026, 11, 27, 10, 0, tzinfo=UTC), None),
        (state(), datetime(2026, 11, 28, 10, 1, tzinfo=UTC), "entry_changed"),
        (state(entry=None), datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "entry_changed"),
        (state(content_hash=None), None, None),  # known not to be an article
        (state(content_hash=None), datetime(2026, 11, 29, 0, 0, tzinfo=UTC), "entry_changed"),
    ],
)
def test_fetch_reason_of_an_archive_without_listing_dates(
    known: UrlState | None, entry_date: datetime | None, expected: str | None
) -> None:
    assert fetch_decision(known, listing="https://a.test/feed", entry_date=entry_date).reason == expected


FEED, SITEMAP = "https://a.test/feed.xml", "https://a.test/sitemap.xml"
FEED_DATE = "2026-11-28T10:00:00+00:00"  # the feed's pubDate
SITEMAP_DATE = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)  # the sitemap's lastmod: later, same article


def fetched_through_feed() -> UrlState:
    return UrlState("k", "a", "2026-11-28T11:00:00+00:00", FEED_DATE, "h", {FEED: FEED_DATE})


def test_a_listing_that_never_led_to_the_article_remembers_its_date_and_fetches_nothing() -> None:
    """Case 3: the sitemap's later lastmod is not a change of the article the feed led to."""
    decision = fetch_decision(fetched_through_feed(), listing=SITEMAP, entry_date=SITEMAP_DATE)
    assert (decision.reason, decision.remember_entry) == (None, True)


def test_each_listing_is_compared_with_its_own_previous_date() -> None:
    known = fetched_through_feed()
    known.entry_dates[SITEMAP] = SITEMAP_DATE.isoformat()
    assert fetch_decision(known, listing=SITEMAP, entry_date=SITEMAP_DATE).reason is None
    assert fetch_decision(known, listing=FEED, entry_date=datetime(2026, 11, 28, 10, 0, tzinfo=UTC)).reason is None
    later = SITEMAP_DATE + timedelta(minutes=1)
    assert fetch_decision(known, listing=SITEMAP, entry_date=later).reason == "entry_changed"
    assert fetch_decision(known, listing=FEED, entry_date=later).reason == "entry_changed"


def test_listing_answers_become_validators() -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    first = read_listing(FEED, "a", "feed", ListingAnswer(200, '"v1"', None, b"<rss/>"), None, now)
    assert first is not None
    state, unchanged = first
    assert (state.etag, state.status, unchanged) == ('"v1"', 200, False)
    assert conditional_headers(state) == {b"If-None-Match": '"v1"'}
    same = read_listing(FEED, "a", "feed", ListingAnswer(200, None, None, b"<rss/>"), state, now)
    assert same is not None and same[1] is True
    not_modified = read_listing(FEED, "a", "feed", ListingAnswer(304), state, now)
    assert not_modified is not None and not_modified[1] and not_modified[0].etag == '"v1"'
    assert read_listing(FEED, "a", "feed", ListingAnswer(500), state, now) is None


def test_a_listing_is_due_at_its_next_poll_time() -> None:
    bounds = PollingBounds(timedelta(minutes=10), timedelta(minutes=60))
    later = ListingState(FEED, "a", "feed", next_poll_at="2026-11-29T13:00:00+00:00")
    assert listing_due(later, NOW, bounds) is False
    assert listing_due(later, NOW, None) is True
    assert listing_due(later, NOW + timedelta(hours=2), bounds) is True


def test_refresh_cutoffs() -> None:
    born_after, fetched_before = refresh_cutoffs(RefreshPolicy(timedelta(hours=48), timedelta(hours=6)), NOW)
    assert born_after == "2026-11-27T12:00:00+00:00"
    assert fetched_before == "2026-11-29T06:00:00+00:00"


def test_adaptive_polling_stays_within_bounds() -> None:
    bounds = PollingBounds(timedelta(minutes=10), timedelta(minutes=60))
    assert next_poll_interval(None, had_news=False, bounds=bounds) == 600
    interval = 600.0
    for _ in range(10):
        interval = next_poll_interval(interval, had_news=False, bounds=bounds)
    assert interval == 3600
    assert next_poll_interval(interval, had_news=True, bounds=bounds) == 1800
    assert next_poll_interval(700, had_news=True, bounds=bounds) == 600
