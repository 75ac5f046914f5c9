"""End to end: a crawl of the mock sites with INGEST_WARC_DIR writes WARCs that warcio reads and checks."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from base64 import b32encode
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import CrawlResult, run_crawl, run_scrapy, write_seeds
from tests.conftest import db_rows as rows
from tests.mockserver import MockServer

IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
NAME = r"^news-ingest-\d{17}-\d{5}-[^-]+\.warc\.gz$"


@pytest.fixture(scope="module")
def warc_crawl(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, CrawlResult]:
    tmp = tmp_path_factory.mktemp("warc")
    seeds = write_seeds(tmp / "seeds.toml", mock_site)
    db, warcs = tmp / "news.db", tmp / "warcs"
    # small files, so that the crawl rotates
    result = run_crawl(seeds, db, "-s", f"INGEST_WARC_DIR={warcs}", "-s", "INGEST_WARC_MAX_BYTES=40000")
    assert result.returncode == 0, result.log[-3000:]
    return db, warcs, result


def records(warcs: Path) -> list[tuple[Path, dict[str, str], int | None, bytes]]:
    found = []
    for path in sorted(warcs.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                status = (
                    int(record.http_headers.get_statuscode()) if record.rec_type in ("response", "revisit") else None
                )
                headers = dict(record.rec_headers.headers)
                found.append((path, headers, status, record.content_stream().read()))
    return found


def test_files_are_named_rotated_and_each_starts_with_warcinfo(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, warcs, _ = warc_crawl
    paths = sorted(warcs.glob("*.warc.gz"))
    assert len(paths) > 1  # 40 kB files
    serials = [p.name.split("-")[-2] for p in paths]
    assert sorted(serials) == [f"{n:05d}" for n in range(len(paths))]
    for path in paths:
        assert re.match(NAME, path.name), path.name
        with path.open("rb") as stream:
            first = next(iter(ArchiveIterator(stream)))
        assert first.rec_type == "warcinfo"
        info = first.content_stream().read().decode()
        assert "robots: obey" in info and "http-header-user-agent: news-ingest/" in info


def test_warcio_check_passes(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, warcs, _ = warc_crawl
    paths = [str(p) for p in sorted(warcs.glob("*.warc.gz"))]
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *paths], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "digest pass" in checked.stdout and "digest fail" not in checked.stdout


def test_every_response_has_its_request_digests_and_true_length(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, warcs, _ = warc_crawl
    found = records(warcs)
    responses = {h["WARC-Record-ID"]: (h, body) for _, h, _, body in found if h["WARC-Type"] == "response"}
    requests = [h for _, h, _, _ in found if h["WARC-Type"] == "request"]
    assert responses and len(requests) == len(responses) + sum(h["WARC-Type"] == "revisit" for _, h, _, _ in found)
    assert {h["WARC-Concurrent-To"] for h in requests} >= set(responses)
    for headers, body in responses.values():
        assert headers["WARC-Payload-Digest"] == "sha1:" + b32encode(hashlib.sha1(body).digest()).decode()
        assert headers["WARC-Block-Digest"].startswith("sha1:")
        assert headers["WARC-IP-Address"] == "127.0.0.1"
        assert headers["WARC-Date"].endswith("Z")


def test_http_headers_describe_the_decoded_body(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, warcs, _ = warc_crawl
    for path in sorted(warcs.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response":
                    continue
                body = record.content_stream().read()
                http = record.http_headers
                assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
                assert http.get_header("Content-Length") == str(len(body))


def test_every_stored_article_has_a_response_record(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    db, warcs, _ = warc_crawl
    archived = {
        h["WARC-Target-URI"]: body
        for _, h, status, body in records(warcs)
        if h["WARC-Type"] == "response" and status == 200
    }
    stored = rows(
        db,
        "SELECT a.url, p.html_gz FROM articles a JOIN raw_pages p ON p.id = (SELECT max(id) FROM raw_pages WHERE article_id = a.id)",
    )
    assert len(stored) > 5
    for row in stored:
        assert row["url"] in archived, row["url"]
        assert archived[row["url"]] == gzip.decompress(row["html_gz"])


def test_stats_count_what_was_written(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    db, warcs, _ = warc_crawl
    stats = json.loads(rows(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]["stats"])
    found = records(warcs)
    assert stats["ingest/warc/responses"] == sum(h["WARC-Type"] == "response" for _, h, _, _ in found)
    assert stats["ingest/warc/files"] == len(list(warcs.glob("*.warc.gz")))
    assert stats["ingest/warc/bytes"] < sum(p.stat().st_size for p in warcs.glob("*.warc.gz"))


def test_every_stored_article_is_found_through_the_cdxj_index(warc_crawl: tuple[Path, Path, CrawlResult]) -> None:
    db, warcs, _ = warc_crawl
    result = run_scrapy("warc-index", str(warcs))
    assert result.returncode == 0, result.log
    lines = (warcs / "index.cdxj").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    index: dict[str, dict[str, str]] = {}
    for line in lines:
        _key, _stamp, fields = line.split(" ", 2)
        entry = json.loads(fields)
        if entry.get("status") == "200" and entry.get("mime") == "text/html":
            index[entry["url"]] = entry
    stored = rows(db, "SELECT a.url, p.html_gz FROM articles a JOIN raw_pages p ON p.article_id = a.id")
    assert len(stored) > 5
    for row in stored:
        entry = index[row["url"]]
        path = Path(entry["filename"]) if Path(entry["filename"]).is_absolute() else warcs / entry["filename"]
        with path.open("rb") as stream:
            stream.seek(int(entry["offset"]))
            member = stream.read(int(entry["length"]))
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
        assert record.content_stream().read() == gzip.decompress(row["html_gz"])


def test_warc_pack_writes_a_valid_wacz(warc_crawl: tuple[Path, Path, CrawlResult], tmp_path: Path) -> None:
    _, warcs, _ = warc_crawl
    wacz = tmp_path / "crawl.wacz"
    result = run_scrapy("warc-pack", str(warcs), "-o", str(wacz))
    assert result.returncode == 0, result.log
    with zipfile.ZipFile(wacz) as package:
        names = set(package.namelist())
        datapackage = json.loads(package.read("datapackage.json"))
    assert {f"archive/{p.name}" for p in warcs.glob("*.warc.gz")} <= names
    assert "indexes/index.cdx.gz" in names or "indexes/index.cdxj" in names
    assert {r["path"] for r in datapackage["resources"]} >= {f"archive/{p.name}" for p in warcs.glob("*.warc.gz")}
    validated = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(wacz)], capture_output=True, text=True
    )
    assert validated.returncode == 0 and "valid" in validated.stdout, validated.stdout + validated.stderr


def test_later_crawls_write_unchanged_pages_as_revisits_of_the_first(mock_site: MockServer, tmp_path: Path) -> None:
    """The second crawl asks conditionally (304s: server-not-modified); the third, not incremental, fetches
    everything again with the same bodies (identical-payload-digest). Both refer to the first's records."""
    seeds = write_seeds(tmp_path / "seeds.toml", mock_site)
    db = tmp_path / "news.db"
    for run, incremental in (("first", "true"), ("second", "true"), ("third", "false")):
        result = run_crawl(seeds, db, "-s", f"INGEST_WARC_DIR={tmp_path / run}", "-s", f"INGEST_INCREMENTAL={incremental}")
        assert result.returncode == 0, result.log[-3000:]
    before = {h["WARC-Target-URI"]: h for _, h, status, _ in records(tmp_path / "first") if status == 200 and h["WARC-Type"] == "response"}
    second = [h for _, h, _, _ in records(tmp_path / "second") if h["WARC-Type"] == "revisit"]
    not_modified = [h for h in second if h["WARC-Profile"] == SERVER_NOT_MODIFIED]
    assert len(not_modified) >= 5  # the feeds and sitemaps
    for headers in not_modified:
        assert headers["WARC-Refers-To"] == before[headers["WARC-Target-URI"]]["WARC-Record-ID"]
    third = [(h, status) for _, h, status, _ in records(tmp_path / "third") if h["WARC-Type"] in ("response", "revisit")]
    revisits = [h for h, _ in third if h.get("WARC-Profile") == IDENTICAL_PAYLOAD]
    assert len(revisits) > 10  # articles, feeds, sitemaps, robots.txt
    assert any(h["WARC-Target-URI"].endswith(".html") for h in revisits)
    for headers in revisits:
        original = before[headers["WARC-Refers-To-Target-URI"]]
        assert headers["WARC-Target-URI"] == original["WARC-Target-URI"]
        assert headers["WARC-Refers-To"] == original["WARC-Record-ID"]
        assert headers["WARC-Refers-To-Date"] == original["WARC-Date"]
        assert headers["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
    # nothing fetched again with the same body was written again in full
    for headers, status in third:
        if headers["WARC-Type"] == "response" and status == 200 and headers["WARC-Target-URI"] in before:
            assert headers["WARC-Payload-Digest"] != before[headers["WARC-Target-URI"]]["WARC-Payload-Digest"]
    stats = json.loads(rows(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]["stats"])
    assert stats["ingest/warc/identical_payloads"] == len(revisits)
    paths = [str(p) for p in sorted(tmp_path.glob("*/*.warc.gz"))]
    checked = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *paths], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
