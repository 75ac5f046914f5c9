"""Choosing a page's dates from the candidates extraction gathered, without any HTML."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from crawler.dates import DateCandidates, DateLine, choose_dates

BERLIN = ZoneInfo("Europe/Berlin")  # CEST, UTC+2, in September


def chosen(candidates: DateCandidates, language: str = "en", **kwargs: Any) -> tuple[str | None, str | None]:
    published, modified = choose_dates(candidates, language=language, **kwargs)
    return (
        published.isoformat() if published else None,
        modified.isoformat() if modified else None,
    )


def test_stated_values_in_order_of_trust() -> None:
    candidates = DateCandidates(
        published=["2023-09-15T10:12:00+02:00", "2023-09-14T00:00:00Z"],
        modified=["2023-09-16T08:00:00Z"],
    )
    assert chosen(candidates) == ("2023-09-15T08:12:00+00:00", "2023-09-16T08:00:00+00:00")


def test_a_day_is_completed_by_a_time_element_on_that_day() -> None:
    candidates = DateCandidates(published=["2023-09-15"], times=[("2023-09-15T10:12:00+02:00", False)])
    assert chosen(candidates)[0] == "2023-09-15T08:12:00+00:00"


def test_time_elements_marked_as_updates_give_the_modified_time() -> None:
    candidates = DateCandidates(times=[("2023-09-16T09:00:00Z", True), ("2023-09-15T09:00:00Z", False)])
    assert chosen(candidates) == ("2023-09-15T09:00:00+00:00", "2023-09-16T09:00:00+00:00")


def test_a_labelled_line_beats_a_lone_date_and_furniture_counts_for_nothing() -> None:
    lines = [
        DateLine("Aktualisiert am 01.09.2023, 09:00 Uhr", labelled=True, rank=None),  # a teaser's
        DateLine("14.09.2023", labelled=False, rank=2),
        DateLine("Veröffentlicht am 15.09.2023, 10:12 Uhr", labelled=True, rank=1),
    ]
    published, modified = chosen(DateCandidates(lines=lines), language="de", tz=BERLIN)
    assert (published, modified) == ("2023-09-15T08:12:00+00:00", None)


def test_printed_lines_are_not_read_when_the_stated_value_has_a_time() -> None:
    def lines() -> Iterator[DateLine]:
        raise AssertionError("the page walk ran although the metadata sufficed")
        yield  # pragma: no cover

    candidates = DateCandidates(published=["2023-09-15T10:12:00Z"], lines=lines())
    assert chosen(candidates)[0] == "2023-09-15T10:12:00+00:00"


def test_hints_are_the_last_resort() -> None:
    hint = datetime(2023, 9, 15, 6, 30, tzinfo=UTC)
    assert chosen(DateCandidates(), published_hint=hint) == ("2023-09-15T06:30:00+00:00", None)


def test_printed_times_take_the_offset_the_page_states_elsewhere() -> None:
    # an English page from India: no zone for its language, but its update time says +05:30
    candidates = DateCandidates(
        published=["2023-09-15"],
        modified=["2023-09-16T09:00:00+05:30"],
        lines=[DateLine("Published: September 15, 2023, 10:12", labelled=True, rank=1)],
    )
    assert chosen(candidates) == ("2023-09-15T04:42:00+00:00", "2023-09-16T03:30:00+00:00")


def test_utc_stated_values_say_nothing_about_the_page_zone() -> None:
    candidates = DateCandidates(
        modified=["2023-09-16T09:00:00Z"],
        lines=[DateLine("Veröffentlicht am 15.09.2023, 10:12 Uhr", labelled=True, rank=1)],
    )
    assert chosen(candidates, language="de")[0] == "2023-09-15T08:12:00+00:00"


def test_the_seeds_zone_outranks_the_stated_offset() -> None:
    candidates = DateCandidates(
        modified=["2023-09-16T09:00:00+05:30"],
        lines=[DateLine("Veröffentlicht am 15.09.2023, 10:12 Uhr", labelled=True, rank=1)],
    )
    assert chosen(candidates, language="de", tz=BERLIN)[0] == "2023-09-15T08:12:00+00:00"
