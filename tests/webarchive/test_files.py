"""Rotating WARC files and the records of one exchange, without a crawl."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from base64 import b32encode
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import Headers
from warcio.archiveiterator import ArchiveIterator

from crawler.webarchive.files import RotatingWarcFiles
from crawler.webarchive.records import SERVER_NOT_MODIFIED, Capture, capture_of, payload_digest

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def exchange(
    files: RotatingWarcFiles, status: int = 200, body: bytes = b"<html>x</html>", previous: Capture | None = None, **sent: str
) -> list:
    return list(
        files.factory.exchange(
            url="https://example.com/a?b=1",
            method="GET",
            sent_headers=Headers({"User-Agent": "t", **sent}),
            request_body=b"",
            status=status,
            received_headers=Headers({"Content-Type": "text/html", "Content-Encoding": "gzip", "Content-Length": "9"}),
            body=body,
            protocol="HTTP/1.1",
            fetched_at=WHEN,
            ip_address="192.0.2.1",
            previous=previous,
        )
    )


def read(path: Path) -> list:
    with path.open("rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(stream)]


def files_in(tmp_path: Path, clock: list[float], **kwargs: float) -> RotatingWarcFiles:
    return RotatingWarcFiles(
        tmp_path, "T", int(kwargs.get("max_bytes", 0)), kwargs.get("max_seconds", 0), {"software": "t"},
        host="h", clock=lambda: clock[0],
    )  # fmt: skip


def test_response_renames_encoding_headers_and_states_the_true_length(tmp_path: Path) -> None:
    files = files_in(tmp_path, [0.0])
    files.write(exchange(files))
    files.close()
    (info, response, request) = read(files.paths[0])
    assert info[0] == "warcinfo" and response[0] == "response" and request[0] == "request"
    http = response[2]
    assert http.get_header("X-Crawler-Content-Encoding") == "gzip" and http.get_header("Content-Encoding") is None
    assert http.get_header("X-Crawler-Content-Length") == "9" and http.get_header("Content-Length") == "14"
    assert response[3] == b"<html>x</html>"
    assert request[1].get_header("WARC-Concurrent-To") == response[1].get_header("WARC-Record-ID")
    assert request[2].protocol == "GET" and request[2].statusline == "/a?b=1 HTTP/1.1"
    assert response[1].get_header("WARC-IP-Address") == "192.0.2.1"
    assert response[1].get_header("WARC-Date") == "2024-05-01T12:00:00.000000Z"


def test_a_304_is_a_server_not_modified_revisit(tmp_path: Path) -> None:
    files = files_in(tmp_path, [0.0])
    files.write(exchange(files, status=304, body=b"", **{"If-Modified-Since": "Tue, 30 Apr 2024 08:00:00 GMT"}))
    files.close()
    (_, revisit, _) = read(files.paths[0])
    assert revisit[0] == "revisit"
    assert revisit[1].get_header("WARC-Profile") == SERVER_NOT_MODIFIED
    assert revisit[1].get_header("WARC-Refers-To-Target-URI") == "https://example.com/a?b=1"
    assert revisit[1].get_header("WARC-Refers-To-Date") == "2024-04-30T08:00:00.000000Z"
    assert revisit[1].get_header("WARC-Block-Digest").startswith("sha1:")


@pytest.mark.parametrize(("kwargs", "advance", "expected_files"), [
    ({"max_bytes": 1}, 0.0, 3),  # every exchange fills a file
    ({"max_seconds": 10}, 11.0, 3),  # every exchange comes after the file's age
    ({"max_seconds": 10}, 1.0, 1),
    ({}, 1000.0, 1),  # no limits
])  # fmt: skip
def test_rotation(tmp_path: Path, kwargs: dict[str, float], advance: float, expected_files: int) -> None:
    clock = [1_700_000_000.0]
    files = files_in(tmp_path, clock, **kwargs)
    for _ in range(3):
        files.write(exchange(files))
        clock[0] += advance
    files.close()
    assert len(files.paths) == expected_files
    assert [p.name.split("-")[2] for p in files.paths] == [f"{n:05d}" for n in range(expected_files)]
    assert all(read(p)[0][0] == "warcinfo" for p in files.paths)
    assert files.paths[0].name.startswith("T-20231114221320000-00000-h")


def test_each_record_is_its_own_gzip_member_so_a_killed_write_loses_only_the_last(tmp_path: Path) -> None:
    files = files_in(tmp_path, [0.0])
    files.write(exchange(files))
    whole = files.paths[0].stat().st_size  # flushed: on disk now, as a kill would leave it
    files.write(exchange(files, body=b"<html>" + b"y" * 5000 + b"</html>"))
    data = files.paths[0].read_bytes()
    files.close()
    members = 0
    rest = data
    while rest:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(rest)
        rest = decompressor.unused_data
        members += 1
    assert members == 5  # warcinfo, response, request, response, request
    cut = tmp_path / "killed.warc.gz"
    cut.write_bytes(data[: whole + 40])  # the kill came in the middle of the next record
    with cut.open("rb") as stream:
        iterator = iter(ArchiveIterator(stream))
        readable = [next(iterator).rec_type for _ in range(3)]
    assert readable == ["warcinfo", "response", "request"]
    assert gzip.decompress(data[:whole]).count(b"WARC/1.1\r\n") == 3


def test_an_unchanged_200_is_an_identical_payload_revisit_of_the_last_capture(tmp_path: Path) -> None:
    files = files_in(tmp_path, [0.0])
    first = exchange(files, body=b"<html>same</html>")
    capture = capture_of(first[0])
    assert capture is not None and capture.payload_digest == first[0].rec_headers.get_header("WARC-Payload-Digest")
    files.write(first)
    files.write(exchange(files, body=b"<html>same</html>", previous=capture))
    files.write(exchange(files, body=b"<html>changed</html>", previous=capture))
    files.close()
    (_, original, _, revisit, request, changed, _) = read(files.paths[0])
    assert revisit[0] == "revisit" and revisit[3] == b""  # headers only, no payload
    headers = revisit[1]
    assert headers.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert headers.get_header("WARC-Refers-To") == original[1].get_header("WARC-Record-ID")
    assert headers.get_header("WARC-Refers-To-Target-URI") == "https://example.com/a?b=1"
    assert headers.get_header("WARC-Refers-To-Date") == original[1].get_header("WARC-Date")
    expected = "sha1:" + b32encode(hashlib.sha1(b"<html>same</html>").digest()).decode()
    assert headers.get_header("WARC-Payload-Digest") == expected
    assert revisit[2].get_statuscode() == "200" and request[1].get_header("WARC-Concurrent-To") == headers.get_header("WARC-Record-ID")
    assert changed[0] == "response" and changed[3] == b"<html>changed</html>"
    assert capture_of(revisit_record(files)) is None


def revisit_record(files: RotatingWarcFiles):  # a revisit makes no capture: it has no payload
    return exchange(files, body=b"x", previous=Capture("https://example.com/a?b=1", payload_digest(b"x"), "d", "<urn:uuid:1>"))[0]


def test_a_304_refers_to_the_last_capture_when_it_is_known(tmp_path: Path) -> None:
    files = files_in(tmp_path, [0.0])
    capture = Capture("https://example.com/a?b=1", payload_digest(b"old"), "2024-04-29T08:00:00.000000Z", "<urn:uuid:7>")
    (revisit, _) = exchange(files, status=304, body=b"", previous=capture, **{"If-Modified-Since": "Tue, 30 Apr 2024 08:00:00 GMT"})
    headers = revisit.rec_headers
    assert headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
    assert headers.get_header("WARC-Refers-To-Date") == "2024-04-29T08:00:00.000000Z"
    assert headers.get_header("WARC-Refers-To") == "<urn:uuid:7>"
    assert headers.get_header("WARC-Payload-Digest") is None  # the body of a 304 was never received
