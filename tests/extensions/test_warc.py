"""The WARC writer's revisits across crawls: the last capture per URL is kept in the archive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.captures import CaptureLog
from crawler.archive.connection import open_db
from crawler.extensions.warc import RunCaptures, WarcWriterExtension
from crawler.webarchive.files import RotatingWarcFiles
from crawler.webarchive.records import Capture

IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def crawl(tmp_path: Path, run: int, pages: dict[str, bytes], *, fail_writes: bool = False) -> tuple[Path, dict]:
    """One "crawl": a new extension over the same archive, its own WARC directory."""
    db = open_db(tmp_path / "news.db")
    stats = MemoryStatsCollector(get_crawler())
    files = RotatingWarcFiles(tmp_path / f"run{run}", "T", 0, 0, {"software": "t"}, host="h")
    extension = WarcWriterExtension(files, stats, CaptureLog(db))
    if fail_writes:
        files.directory.write_text("a file where the directory should be")  # every write fails
    for url, body in pages.items():
        response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html"}, request=Request(url))
        extension.response_received(response, response.request)
    extension.spider_closed()
    db.close()
    return files.directory, stats.get_stats()


def records(directory: Path) -> list:
    found = []
    for path in sorted(directory.glob("*.warc.gz")):
        with path.open("rb") as stream:
            found += [(r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(stream)]
    return found


def test_the_next_crawl_writes_revisits_for_unchanged_bodies_only(tmp_path: Path) -> None:
    first, _ = crawl(tmp_path, 1, {"https://a.example/1": b"<p>one</p>", "https://a.example/2": b"<p>two</p>"})
    originals = {h.get_header("WARC-Target-URI"): h for t, h, _ in records(first) if t == "response"}
    second, stats = crawl(tmp_path, 2, {"https://a.example/1": b"<p>one</p>", "https://a.example/2": b"<p>TWO</p>"})
    found = {h.get_header("WARC-Target-URI"): (t, h, body) for t, h, body in records(second) if t != "request"}
    kind, revisit, payload = found["https://a.example/1"]
    assert kind == "revisit" and payload == b"" and revisit.get_header("WARC-Profile") == IDENTICAL
    original = originals["https://a.example/1"]
    assert revisit.get_header("WARC-Refers-To") == original.get_header("WARC-Record-ID")
    assert revisit.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
    assert revisit.get_header("WARC-Payload-Digest") == original.get_header("WARC-Payload-Digest")
    assert found["https://a.example/2"][0] == "response" and found["https://a.example/2"][2] == b"<p>TWO</p>"
    assert stats["ingest/warc/identical_payloads"] == 1 and stats["ingest/warc/responses"] == 1
    # a third crawl refers to the latest capture of the changed page, not the first
    third, _ = crawl(tmp_path, 3, {"https://a.example/2": b"<p>TWO</p>"})
    (revisit3,) = [h for t, h, _ in records(third) if t == "revisit"]
    assert revisit3.get_header("WARC-Refers-To") == found["https://a.example/2"][1].get_header("WARC-Record-ID")
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, sorted(tmp_path.glob("run*/*.warc.gz")))],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_capture_whose_record_was_not_written_is_not_remembered(tmp_path: Path) -> None:
    _, stats = crawl(tmp_path, 1, {"https://a.example/1": b"<p>one</p>"}, fail_writes=True)
    assert stats["ingest/warc/write_errors"] == 1 and "ingest/warc/responses" not in stats
    second, _ = crawl(tmp_path, 2, {"https://a.example/1": b"<p>one</p>"})
    assert [t for t, _, _ in records(second)] == ["warcinfo", "response", "request"]


def test_without_an_archive_revisits_refer_to_the_same_run_only(tmp_path: Path) -> None:
    stats = MemoryStatsCollector(get_crawler())
    files = RotatingWarcFiles(tmp_path, "T", 0, 0, {"software": "t"}, host="h")
    extension = WarcWriterExtension(files, stats)  # a cluster worker's: no archive
    for body in (b"<p>one</p>", b"<p>one</p>", b"<p>two</p>"):
        response = HtmlResponse("https://a.example/1", body=body, request=Request("https://a.example/1"))
        extension.response_received(response, response.request)
    extension.spider_closed()
    assert [t for t, _, _ in records(tmp_path)] == ["warcinfo", "response", "request", "revisit", "request", "response", "request"]


def test_a_workers_run_captures_forget_the_oldest_url_first() -> None:
    captures = RunCaptures(max_urls=2)
    for url in ("https://a.example/1", "https://a.example/2", "https://a.example/1", "https://a.example/3"):
        captures.remember(Capture(url, "sha1:X", "2024-01-01T00:00:00Z", f"<urn:{url}>"))
    assert captures.last("https://a.example/2") is None
    assert captures.last("https://a.example/1") is not None and captures.last("https://a.example/3") is not None
