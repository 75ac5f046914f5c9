"""The damage-tolerant WARC reader, on records written by warcio at test time."""

from __future__ import annotations

from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.webarchive.reading import Member, WarcRecord, WarcSplitter, parse_member


def warc(count: int, *, gzip: bool = True) -> tuple[bytes, list[int]]:
    buffer, offsets = BytesIO(), []
    writer = WARCWriter(buffer, gzip=gzip, warc_version="WARC/1.1")
    for index in range(count):
        body = b"<html><p>%d</p></html>" % index * 20
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        offsets.append(buffer.tell())
        writer.write_record(
            writer.create_warc_record(
                f"https://e.example/{index}", "response", payload=BytesIO(body), length=len(body), http_headers=http
            )
        )
    return buffer.getvalue(), offsets


def read(data: bytes, chunk: int) -> list[WarcRecord | Member]:
    splitter = WarcSplitter()
    found: list[WarcRecord | Member] = []
    members = [m for i in range(0, len(data), chunk) for m in splitter.feed(data[i : i + chunk])] + list(
        splitter.close()
    )
    for member in members:
        found += [member] if member.error else list(parse_member(member))
    return found


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("chunk", [1, 7, 100, 1 << 20])
def test_every_record_is_read_whatever_the_chunking(gzip: bool, chunk: int) -> None:
    data, offsets = warc(4, gzip=gzip)
    found = read(data, chunk)
    assert [r.url for r in found if isinstance(r, WarcRecord)] == [f"https://e.example/{i}" for i in range(4)]
    assert [r.offset for r in found] == offsets
    assert all(isinstance(r, WarcRecord) and r.http_status == 200 and r.body.startswith(b"<html>") for r in found)


@pytest.mark.parametrize("chunk", [5, 4096])
def test_a_corrupt_member_and_a_truncated_end_cost_only_themselves(chunk: int) -> None:
    data, offsets = warc(5)
    damaged = bytearray(data)
    damaged[offsets[2] + 25 : offsets[2] + 45] = b"\xff" * 20
    found = read(bytes(damaged[:-10]), chunk)
    assert [(type(r).__name__, r.offset) for r in found] == [
        ("WarcRecord", offsets[0]), ("WarcRecord", offsets[1]), ("Member", offsets[2]),
        ("WarcRecord", offsets[3]), ("Member", offsets[4]),
    ]  # fmt: skip
    assert "corrupt gzip member" in found[2].error and found[2].end == offsets[3]  # type: ignore[union-attr]
    assert "truncated" in found[4].error  # type: ignore[union-attr]


def test_garbage_between_members_is_skipped_to_the_next_member() -> None:
    data, offsets = warc(2)
    found = read(data[: offsets[1]] + b"garbage" * 100 + data[offsets[1] :], 64)
    assert [type(r).__name__ for r in found] == ["WarcRecord", "Member", "WarcRecord"]
    assert found[1].error == "not a gzip member" and found[2].offset == offsets[1] + 700  # type: ignore[union-attr]


def test_resuming_at_a_member_offset_reads_the_rest() -> None:
    data, offsets = warc(3)
    splitter = WarcSplitter(offsets[1])
    members = list(splitter.feed(data[offsets[1] :])) + list(splitter.close())
    assert [m.offset for m in members] == offsets[1:]


@pytest.mark.parametrize(
    ("headers", "payload"),
    [
        ([("Content-Type", "text/html")], b"<html>plain</html>"),
        (
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            __import__("gzip").compress(b"<html>plain</html>", mtime=0),  # the same test id on every worker
        ),
        (
            [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            b"6\r\n<html>\r\nc\r\nplain</html>\r\n0\r\n\r\n",
        ),
    ],
    ids=["plain", "gzip", "chunked"],
)
def test_bodies_come_out_decoded_as_the_server_meant_them(headers: list[tuple[str, str]], payload: bytes) -> None:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://e.example/", "response", payload=BytesIO(payload), length=len(payload), http_headers=http
        )
    )
    (record,) = read(buffer.getvalue(), 1 << 20)
    assert isinstance(record, WarcRecord)
    assert (record.http_status, record.content_type, record.body) == (200, "text/html", b"<html>plain</html>")


def test_a_plain_warc_survives_garbage_truncation_and_an_oversized_record() -> None:
    data, offsets = warc(4, gzip=False)
    damaged = data[: offsets[1]] + b"junk\r\n" * 3 + data[offsets[1] : -20]
    found = read(damaged, 50)
    assert [type(r).__name__ for r in found] == ["WarcRecord", "Member", "WarcRecord", "WarcRecord", "Member"]
    assert "truncated" in found[-1].error  # type: ignore[union-attr]
    splitter = WarcSplitter(max_member_bytes=200)
    members = [m for i in range(0, len(data), 64) for m in splitter.feed(data[i : i + 64])] + list(splitter.close())
    assert [m.offset for m in members] == offsets and all("over 200 bytes" in (m.error or "") for m in members)
