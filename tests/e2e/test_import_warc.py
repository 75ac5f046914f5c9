"""End to end: `scrapy import-warc` stores what a crawl of the same pages stores, survives bad input, resumes."""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warcimport import importer as import_warc
from crawler.webarchive.selection import Filters
from tests.conftest import SITES, CrawlResult, run_crawl, run_scrapy, write_seeds
from tests.conftest import db_rows as rows
from tests.mockserver import MockServer

BASE = "https://news.example"


def fixture_pages() -> list[tuple[str, bytes]]:
    pages = []
    for path in sorted(SITES.rglob("*.html")):
        body = path.read_bytes().replace(b"{{base}}", BASE.encode())
        pages.append((f"{BASE}/{path.relative_to(SITES).as_posix()}", body))
    return pages


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, extras: bool = True) -> list[int]:
    """A WARC of the fixture pages with, when ``extras``, records an import must skip; member offsets."""
    offsets = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")

        def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            warc = {"WARC-Date": "2024-03-05T10:00:00Z"}
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http, warc_headers_dict=warc
            )
            offsets.append(stream.tell())
            writer.write_record(record)

        offsets.append(stream.tell())
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for index, (url, body) in enumerate(pages):
            response(url, body)
            if extras and index % 3 == 0:
                response(f"{url}.png", b"\x89PNG\r\n\x1a\n" + bytes(200), ctype="image/png")
                response(f"{url}?missing", b"<html><body>Not found</body></html>", status="404 Not Found")
                offsets.append(stream.tell())
                writer.write_record(
                    writer.create_warc_record(
                        f"dns:{index}.example", "resource", payload=BytesIO(b"127.0.0.1"), length=9
                    )
                )
    return offsets


def run_import(db: Path, *args: str) -> CrawlResult:
    return run_scrapy("import-warc", *args, "-s", f"INGEST_DB_PATH={db}")


@pytest.fixture(scope="module")
def crawl_with_warcs(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("crawl-warcs")
    seeds = write_seeds(tmp / "seeds.toml", mock_site)
    db, warcs = tmp / "crawl.db", tmp / "warcs"
    result = run_crawl(seeds, db, "-s", f"INGEST_WARC_DIR={warcs}")
    assert result.returncode == 0, result.log[-3000:]
    return db, warcs


def test_an_import_of_a_crawls_warcs_stores_what_the_crawl_stored(
    crawl_with_warcs: tuple[Path, Path], tmp_path: Path
) -> None:
    crawl_db, warcs = crawl_with_warcs
    db = tmp_path / "imported.db"
    result = run_import(db, *map(str, sorted(warcs.glob("*.warc.gz"))))
    assert result.returncode == 0, result.log
    # the day only: a crawl may take the time from the feed entry (a hint), which no WARC record carries
    columns = "url, title, body, substr(published_at, 1, 10) AS published_day, language, story_id IS NOT NULL AS linked"
    crawled = rows(crawl_db, f"SELECT {columns} FROM articles ORDER BY url")
    imported = rows(db, f"SELECT {columns} FROM articles ORDER BY url")
    assert len(crawled) > 5
    # every article the crawl stored is stored alike; the import also stores HTML pages the crawl
    # fetched as listings (a feed given as a page), since every HTML 200 response is a candidate
    by_url = {row["url"]: row for row in imported}
    assert [by_url.get(row["url"]) for row in crawled] == crawled
    hosts = {r["source"] for r in rows(db, "SELECT DISTINCT source FROM articles")}
    assert hosts == {"127.0.0.1"}  # the mock sites share one host: stored under it
    assert {r["file"] for r in rows(db, "SELECT file FROM sources")} == {"import-warc"}
    assert "records" in result.log and "MB/s" in result.log


def test_skips_and_damage_are_counted_and_the_import_goes_on(tmp_path: Path) -> None:
    pages = fixture_pages()
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, pages)
    data = bytearray(good.read_bytes())
    # a corrupt member: the 5th record's compressed bytes garbled
    data[offsets[5] + 20 : offsets[5] + 60] = b"\0" * 40
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.warc.gz"
    truncated.write_bytes(good.read_bytes()[: offsets[-4] + 50])
    # a record whose Content-Length is wrong: two bytes more claimed than written (44: the HTTP head)
    body = b"<html><head><title>x</title></head><body><p>short</p></body></html>"
    raw = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/bad\r\nWARC-Date: 2024-03-05T10:00:00Z\r\nContent-Length: %d\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        % (len(body) + 46)
    )
    wrong = tmp_path / "wrong-length.warc.gz"
    wrong.write_bytes(gzip.compress(raw + body + b"\r\n\r\n") + good.read_bytes()[offsets[1] : offsets[2]])

    db = tmp_path / "news.db"
    result = run_import(db, str(corrupt), str(truncated), str(wrong))
    assert result.returncode == 0, result.log
    assert f"corrupt.warc.gz at offset {offsets[5]}: corrupt gzip member" in result.log
    assert "truncated.warc.gz at offset" in result.log and "truncated" in result.log
    assert "wrong-length.warc.gz at offset 0: record length does not match its data" in result.log
    assert "skipped_not_200" in result.log and "skipped_not_html" in result.log
    assert "skipped_not_http_response" in result.log
    stored = {r["url"] for r in rows(db, "SELECT url FROM articles")}
    clean = tmp_path / "clean.db"
    assert run_import(clean, str(good)).returncode == 0
    expected = {r["url"] for r in rows(clean, "SELECT url FROM articles")}
    assert len(expected) > 5
    assert f"{BASE}/bad" not in stored
    # everything but the garbled record's page is there (from the corrupt file; the truncated one adds nothing new)
    assert len(expected - stored) <= 1
    assert not any(u.endswith((".png", "?missing")) for u in stored)


def test_rerunning_stores_nothing_twice_and_filters_apply(tmp_path: Path) -> None:
    warc = tmp_path / "pages.warc.gz"
    write_warc(warc, fixture_pages())
    db = tmp_path / "news.db"
    assert run_import(db, str(warc)).returncode == 0
    first = rows(db, "SELECT id, revision FROM articles ORDER BY id")
    again = run_import(db, str(warc), "--again")
    assert again.returncode == 0 and "0 new" in again.log, again.log
    assert rows(db, "SELECT id, revision FROM articles ORDER BY id") == first
    assert "imported already" in run_import(db, str(warc)).log

    filtered = tmp_path / "filtered.db"
    out = run_import(filtered, str(warc), "--domains", "other.example", "--sources", "news.example=Example News")
    assert out.returncode == 0 and rows(filtered, "SELECT count(*) AS n FROM articles")[0]["n"] == 0
    mapped = tmp_path / "mapped.db"
    run_import(
        mapped,
        str(warc),
        "--sources",
        "news.example=Example News",
        "--languages",
        "de",
        "--since",
        "2024-03-05",
        "--until",
        "2024-03-05",
    )
    sources = rows(mapped, "SELECT DISTINCT source, language FROM articles")
    assert sources and all(r == {"source": "Example News", "language": "de"} for r in sources)
    late = tmp_path / "late.db"
    run_import(late, str(warc), "--since", "2024-03-06")
    assert rows(late, "SELECT count(*) AS n FROM articles")[0]["n"] == 0


def test_a_killed_import_resumes_at_its_last_committed_offset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapy.utils.project import get_project_settings

    from crawler.archive.imports import import_progress
    from crawler.archive.writer import Archive
    from crawler.context import archive_config

    warc = tmp_path / "pages.warc.gz"
    write_warc(warc, fixture_pages())
    db = tmp_path / "news.db"
    monkeypatch.setattr(import_warc, "BATCH", 3)
    settings = get_project_settings()
    archive = Archive.open(str(db), archive_config(settings))
    importer = import_warc.build_importer(archive, settings, Filters(), {})

    def killed_after(count: int):
        for index, chunk in enumerate(import_warc.file_chunks(warc, 0, 4096)):
            if index == count:
                raise KeyboardInterrupt
            yield chunk

    with pytest.raises(KeyboardInterrupt):
        importer.run(str(warc), killed_after(12), import_progress(archive.db, str(warc)))
    progress = import_progress(archive.db, str(warc))
    archive.close()
    assert 0 < progress.next_offset < 12 * 4096 and not progress.finished
    partial = rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert partial > 0
    resumed = run_import(db, str(warc.resolve()))
    assert resumed.returncode == 0 and f"resuming at offset {progress.next_offset}" in resumed.log, resumed.log
    clean = tmp_path / "clean.db"
    run_import(clean, str(warc))
    assert rows(db, "SELECT url, title, body FROM articles ORDER BY url") == rows(
        clean, "SELECT url, title, body FROM articles ORDER BY url"
    )
    done = json.dumps(rows(db, "SELECT finished FROM warc_imports"))
    assert done == '[{"finished": 1}]'


@pytest.mark.parametrize("ranges", [True, False])
def test_a_remote_warc_is_downloaded_through_scrapy_in_bounded_chunks(tmp_path: Path, ranges: bool) -> None:
    served = tmp_path / "site"
    served.mkdir()
    warc = served / "pages.warc.gz"
    write_warc(warc, fixture_pages())
    if not ranges:
        (served / "pages.warc.gz.headers.json").write_text(json.dumps({"no_ranges": True, "raw": True}))
    local = tmp_path / "local.db"
    assert run_import(local, str(warc)).returncode == 0
    db = tmp_path / "remote.db"
    with MockServer(root=served, log=tmp_path / "requests.jsonl") as server:
        url = f"{server.url}/pages.warc.gz"
        result = run_import(
            db, url, "-s", "INGEST_WARC_IMPORT_CHUNK_BYTES=4096", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true"
        )
    assert result.returncode == 0, result.log
    assert rows(db, "SELECT url, title, body FROM articles ORDER BY url") == rows(
        local, "SELECT url, title, body FROM articles ORDER BY url"
    )
    requests = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    fetches = [r for r in requests if r["path"] == "/pages.warc.gz"]
    if ranges:
        assert len(fetches) >= warc.stat().st_size // 4096 and {r["status"] for r in fetches} == {206}
    else:
        assert [r["status"] for r in fetches] == [200]
