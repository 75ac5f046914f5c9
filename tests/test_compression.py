"""Raw pages as the archive stores them (crawler.compression.gzip_page)."""

from __future__ import annotations

import gzip
from pathlib import Path

from crawler.compression import gzip_page

PAGE = (
    Path(__file__).parent / "sites" / "dailyplanet" / "articles" / "council-approves-east-side-tram-line.html"
).read_bytes()


def test_a_stored_page_opens_with_any_gzip_reader() -> None:
    stored = gzip_page(PAGE)
    assert gzip.decompress(stored) == PAGE
    assert len(stored) < len(PAGE) / 2


def test_the_same_page_gives_the_same_bytes_at_any_time() -> None:
    # a worker and the writer, or two runs, store byte-identical rows: no time in the gzip header
    stored = gzip_page(PAGE)
    assert stored[4:8] == b"\x00\x00\x00\x00"
    assert gzip_page(PAGE) == stored
