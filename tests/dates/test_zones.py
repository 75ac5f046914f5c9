"""The one zone table, and the bottom layer's own whitespace rule kept equal to extraction's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.dates import ZONE_OFFSETS, parse_date_text, parse_date_value, parse_feed_date, zone
from crawler.dates.clock import squeeze
from crawler.extraction.document import normalize_space


def test_ist_is_india_everywhere() -> None:
    # the feed parser always read IST as India; printed dates and metadata now read the same table
    assert ZONE_OFFSETS["IST"] == 330
    assert zone("IST") is not None and zone("IST").utcoffset(None) == timedelta(hours=5, minutes=30)  # type: ignore[union-attr]
    india = datetime(2023, 9, 15, 4, 42, tzinfo=UTC)
    assert parse_feed_date("Fri, 15 Sep 2023 10:12:00 IST") == india
    assert parse_date_text("Updated: Sep 15, 2023, 10:12 IST", "en") == india
    assert parse_date_value("15 September 2023 10:12 IST") == india


@pytest.mark.parametrize("name", ["MEZ", "MESZ", "CET", "EST", "AEST", "BST"])
def test_feed_and_printed_dates_agree_on_every_zone(name: str) -> None:
    stated = parse_feed_date(f"Fri, 15 Sep 2023 10:12:00 {name}")
    printed = parse_date_text(f"15.09.2023, 10:12 {name}", "de")
    assert stated == printed == datetime(2023, 9, 15, 10, 12, tzinfo=UTC) - timedelta(minutes=ZONE_OFFSETS[name])


@pytest.mark.parametrize(
    "text",
    ["", "  a \t b\n", "Stra\u00adße", "Cafe\u0301 \u200b 15.09.2023", "\ufeffheute, 10:12 Uhr", "ﬁ \u00a0 x"],
)
def test_squeeze_is_normalize_space(text: str) -> None:
    assert squeeze(text) == normalize_space(text)
