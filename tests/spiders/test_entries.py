"""Which listing entries become article requests (crawler.spiders.entries)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from crawler.discovery.entries import Entry
from crawler.incremental.outcomes import ListingIncomplete
from crawler.limits import SpiderLimits
from crawler.seeds import Source
from crawler.spiders.entries import ListingEntries, RequestedUrls

SOURCE = Source(name="planet", file="seeds.toml", language="en", allowed_domains=("planet.example",))
LISTING = "https://planet.example/feed.xml"


def listing_entries(limits: SpiderLimits) -> tuple[ListingEntries, Counter[str]]:
    counted: Counter[str] = Counter()

    def count(key: str, source: Source, n: int) -> None:
        assert source is SOURCE
        counted[key] += n

    since = datetime(2026, 1, 1, tzinfo=UTC)
    return ListingEntries(limits, since, RequestedUrls(limits.tracking_params), count), counted


def test_a_url_is_requested_once_whatever_its_tracking_parameters() -> None:
    requested = RequestedUrls(SpiderLimits().tracking_params)
    assert requested.first("https://planet.example/a?utm_source=feed")
    assert not requested.first("https://planet.example/a")
    assert not requested.first("https://PLANET.example/a#comments")
    assert requested.first("https://planet.example/b")


def test_each_skipped_entry_is_counted_under_its_reason() -> None:
    entries, counted = listing_entries(SpiderLimits(max_url_length=60))
    listed = [
        Entry("https://planet.example/kept?utm_medium=rss", title="Kept", published=datetime(2026, 3, 1, tzinfo=UTC)),
        Entry("https://planet.example/kept"),  # the same article again
        Entry("https://planet.example/old", published=datetime(2025, 12, 31, tzinfo=UTC)),
        Entry("https://elsewhere.example/story"),
        Entry("https://planet.example/" + "x" * 60),
    ]
    wanted = list(entries.wanted(listed, SOURCE, LISTING))
    assert len(wanted) == 1 and not isinstance(wanted[0], ListingIncomplete)
    url, hints = wanted[0]
    assert url == "https://planet.example/kept"
    assert (hints.title, hints.source, hints.language, hints.discovered_from) == ("Kept", "planet", "en", LISTING)
    assert counted == {
        "ingest/spider/entries_seen": 5,
        "ingest/spider/entries_repeated": 1,
        "ingest/spider/entries_skipped_since": 1,
        "ingest/spider/entries_offsite": 1,
        "ingest/spider/entries_invalid": 1,
    }


def test_a_listing_over_the_limit_is_taken_in_part_and_left_unsettled() -> None:
    entries, counted = listing_entries(SpiderLimits(max_entries=2))
    listed = [Entry(f"https://planet.example/{n}") for n in range(5)]
    wanted = list(entries.wanted(listed, SOURCE, LISTING))
    assert wanted[0] == ListingIncomplete(LISTING)
    assert [item[0] for item in wanted[1:] if not isinstance(item, ListingIncomplete)] == [
        "https://planet.example/0",
        "https://planet.example/1",
    ]
    assert counted["ingest/spider/entries_over_limit"] == 3
    assert counted["ingest/spider/entries_seen"] == 2
