"""`scrapy import-warc` in flat memory: its peak RSS over ~1 GiB of .warc.gz is that over ~100 MB."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.warc_memory import SITES, build, peak_rss

BOUND_MB = 50


@pytest.mark.slow
def test_import_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    pages = len(list(SITES.rglob("*.html")))
    peaks = []
    for megabytes in (100, 1024 * 1.048576):
        built = build(tmp_path / "input.warc.gz", megabytes)
        assert built.path.stat().st_size >= megabytes * 1e6
        measured = peak_rss(built.path, tmp_path / f"{megabytes:.0f}.db")
        built.path.unlink()
        # two blobs, a 404 and a metadata record per block, and the pages in every fourth: all read
        records = 4 * built.blocks + pages * built.html_blocks
        assert f"imported {records} record(s)" in measured.log, measured.log[-2000:]
        assert ", 0 damaged" in measured.log and "at offset" not in measured.log
        peaks.append(measured.peak_mb)
    assert peaks[1] - peaks[0] < BOUND_MB, peaks
