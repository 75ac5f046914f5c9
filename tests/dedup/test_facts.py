from __future__ import annotations

import pytest

from crawler.dedup.facts import (
    StoryFacts,
    StoryGuard,
    extract_facts,
    same_story,
    slot_conflicts,
)
from crawler.dedup.fingerprint import MinHasher, estimated_jaccard, words
from tests.dedup.samples import WIRE, WIRE_TITLE, scraper_copy, series

SATURDAY = "2023-09-16T15:00:00+00:00"
SUNDAY = "2023-09-17T15:00:00+00:00"


def facts(title: str, blocks: list[str], published: str | None = SATURDAY, source: str = "") -> StoryFacts:
    return extract_facts(title, blocks, published_at=published, source=source)


def jaccard(a: list[str], b: list[str]) -> float:
    hasher = MinHasher()
    return estimated_jaccard(hasher.signature(words(" ".join(a))), hasher.signature(words(" ".join(b))))


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("football", {"a": 2, "b": 1}, {"a": 3, "b": 0}),  # another score, same teams
        ("football", {"a": 2, "b": 1, "m": 23}, {"a": 2, "b": 1, "m": 67, "pos": 9}),  # same score, another match
        ("markets", {"a": 15, "b": 432}, {"a": 15, "b": 518, "pos": 1}),
        ("lottery", {"a": 4, "b": 12, "pos": 19, "m": 33}, {"a": 5, "b": 11, "pos": 20, "m": 38}),
        ("weather", {"a": 21, "b": 12, "m": 15}, {"a": 24, "b": 14, "m": 20}),
        ("weather", {"day": "Saturday"}, {"day": "Sunday"}),  # the same numbers on another day
        ("lottery", {"day": "Saturday"}, {"day": "Wednesday"}),
    ],
)
def test_templated_stories_with_other_facts_are_different_news(
    kind: str, first: dict[str, object], second: dict[str, object]
) -> None:
    title_a, blocks_a = series(kind, **first)
    title_b, blocks_b = series(kind, **second)
    # Word-level similarity alone would merge them: only the facts tell them apart.
    assert jaccard(blocks_a, blocks_b) >= 0.6
    assert not same_story(facts(title_a, blocks_a), facts(title_b, blocks_b, SUNDAY))


def test_a_republished_templated_story_is_the_same_news() -> None:
    title, blocks = series("football", a=3, b=1)
    copy = ["3 min read", *blocks[:-1], "Follow us for more football news from around the league."]
    assert same_story(facts(title, blocks), facts(f"{title} | Sports Now", copy, SUNDAY))


def test_scraper_copy_is_the_same_story() -> None:
    title, blocks = scraper_copy()
    assert same_story(facts(WIRE_TITLE, WIRE, source="wire"), facts(title, blocks, SUNDAY, source="scraper"))


def test_site_furniture_with_numbers_does_not_conflict() -> None:
    a = facts(WIRE_TITLE, ["source site-28", *WIRE, "12 Comments"])
    b = facts(WIRE_TITLE, ["source site-31", "4 min read", *WIRE, "3 Comments"])
    assert slot_conflicts(a.body, b.body)[1] == 0
    assert same_story(a, b)


def test_paragraph_splits_do_not_change_facts() -> None:
    merged = [" ".join(WIRE[i : i + 2]) for i in range(0, len(WIRE), 2)]
    assert facts(WIRE_TITLE, WIRE).body == facts(WIRE_TITLE, merged).body


def test_a_trimmed_copy_holds_a_subset_of_the_facts() -> None:
    a, b = facts(WIRE_TITLE, WIRE), facts(WIRE_TITLE, WIRE[:3])
    shared, conflicting = slot_conflicts(a.body, b.body)
    assert shared > 0
    assert conflicting == 0


def test_one_corrected_figure_among_many_is_still_the_story() -> None:
    corrected = [WIRE[0], WIRE[1].replace("12,000", "12,500"), *WIRE[2:]]
    assert same_story(facts(WIRE_TITLE, WIRE), facts(WIRE_TITLE, corrected))


def test_conflicting_title_facts_are_different_news() -> None:
    a = facts("Riverside beat Northgate 2-1 in derby", WIRE)
    b = facts("Riverside beat Northgate 3-0 in derby", WIRE)
    assert not same_story(a, b)


def test_a_rewritten_headline_is_no_conflict() -> None:
    assert same_story(facts(WIRE_TITLE, WIRE), facts("Deal reached: 12,000 dock workers back at work", WIRE))


@pytest.mark.parametrize(("days", "same"), [(0, True), (6, True), (8, False)])
def test_republished_within_a_week(days: int, same: bool) -> None:
    later = f"2023-09-{16 + days:02d}T15:00:00+00:00"
    assert same_story(facts(WIRE_TITLE, WIRE), facts(WIRE_TITLE, WIRE, later)) is same


def test_undated_copies_are_not_held_to_the_date() -> None:
    assert same_story(facts(WIRE_TITLE, WIRE), facts(WIRE_TITLE, WIRE, None))


def test_same_source_pages_with_unrelated_titles_are_different() -> None:
    stub = ["Subscribe to read this article. Already a subscriber? Log in to continue reading the full story."]
    a = facts("Port workers end strike", stub, source="paper")
    b = facts("Election results in the north", stub, source="paper")
    assert not same_story(a, b)
    assert same_story(a, facts("Election results in the north", stub, source="other"))


def test_a_site_running_a_wire_story_twice_under_two_headlines_is_one_story() -> None:
    flash = facts("Dock strike ends", WIRE[:4], source="paper")
    roundup = facts("Pay deal: ports back to normal within two weeks", WIRE, source="paper")
    assert same_story(flash, roundup)


def test_guard_settings() -> None:
    later = facts(WIRE_TITLE, WIRE, "2023-09-30T15:00:00+00:00")
    assert StoryGuard(max_days_apart=30).same_story(facts(WIRE_TITLE, WIRE), later)
    assert not StoryGuard(max_days_apart=1).same_story(facts(WIRE_TITLE, WIRE), later)


def test_facts_round_trip_through_json() -> None:
    original = facts(WIRE_TITLE, WIRE, source="wire")
    restored = StoryFacts.from_json(original.to_json(), published_at=original.published_at, source="wire")
    assert restored == original


def test_month_and_day_names_are_facts_but_mars_is_not() -> None:
    a = facts("Rover lands on Mars", ["The rover landed on Mars after a seven month journey through space."])
    assert not any("mars" in values for values in a.body.values())
    b = facts("x", ["The draw took place on Saturday evening in the capital city as usual."])
    assert ("saturday",) in b.body.values()
