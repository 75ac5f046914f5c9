"""Whole pages of the kinds where the project's body rules once lost what trafilatura kept.

Each fixture in tests/fixtures/extraction/never_worse/ goes the `scrapy extract` way (decode, extract,
content stages); its article paragraphs, written here by hand, must all be in the body, and the
furniture around them must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.commands.extract import FileExtractor

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "never_worse"


@pytest.fixture(scope="module")
def extractor() -> FileExtractor:
    settings = Settings()
    settings.setmodule(project_settings)
    return FileExtractor.from_settings(settings)


def body_of(extractor: FileExtractor, name: str) -> str:
    record = extractor.record(FIXTURES / name, f"https://news.example/{name}")
    assert record["error"] is None
    return str(record["body"])


def test_layout_table_keeps_the_article_column(extractor: FileExtractor) -> None:
    # nested navigation table in the left column, boxes in the right one: the article column stays
    body = body_of(extractor, "layout-table.html")
    for sentence in (
        "The new flood barrier on the lower river was completed this week",
        "Engineers said a mild winter",
        "The barrier is meant to protect about four thousand homes",
        "County officials said the project came in under its budget",
        "Residents who lost furniture and cars in the last flood",
    ):
        assert sentence in body
    assert "Advertise with us" not in body
