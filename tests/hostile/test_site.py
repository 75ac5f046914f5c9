"""The hostile site's building blocks: real bombs and binaries, and the mock server keys that serve them."""

from __future__ import annotations

import http.client
import json
import zlib
from pathlib import Path

import brotli
import pytest

from tests.hostile import payloads
from tests.mockserver import MockServer, StaticSiteServer


def inflate(data: bytes, wbits: int) -> int:
    """Decompressed size, streamed in bounded steps."""
    decompressor = zlib.decompressobj(wbits)
    size = 0
    while data:
        size += len(decompressor.decompress(data, 1 << 24))
        data = decompressor.unconsumed_tail
    size += len(decompressor.flush())
    assert decompressor.eof
    return size


@pytest.mark.parametrize(
    ("bomb", "wbits"), [(payloads.gzip_bomb, 16 + zlib.MAX_WBITS), (payloads.deflate_bomb, zlib.MAX_WBITS)]
)
def test_zlib_bombs_are_valid_streams_a_thousand_times_their_size(bomb: object, wbits: int) -> None:
    size = 64 * payloads.MiB
    data = bomb(size)  # type: ignore[operator]
    assert inflate(data, wbits) == size
    assert len(data) < size / 1000
    # The checksum is right too: zlib verifies it at the end of the stream.
    assert zlib.decompress(data, wbits) == b" " * size


def test_brotli_and_nested_bombs_inflate_as_announced() -> None:
    assert len(brotli.decompress(payloads.brotli_bomb(8 * payloads.MiB))) == 8 * payloads.MiB
    nested = payloads.nested_gzip_bomb(16 * payloads.MiB)
    assert len(nested) < 2000
    assert inflate(zlib.decompress(nested, 16 + zlib.MAX_WBITS), 16 + zlib.MAX_WBITS) == 16 * payloads.MiB


def test_binaries_are_what_they_claim() -> None:
    assert payloads.png().startswith(b"\x89PNG\r\n\x1a\n") and payloads.png().endswith(b"IEND\xaeB`\x82")
    assert payloads.pdf().startswith(b"%PDF-1.4") and payloads.pdf().rstrip().endswith(b"%%EOF")


def request(url: str, path: str) -> tuple[int, dict[str, str], bytes | Exception]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        try:
            body: bytes | Exception = response.read()
        except http.client.IncompleteRead as exc:
            body = exc
        return response.status, dict(response.headers), body
    finally:
        connection.close()


def test_mock_server_raw_truncated_and_other_loopback(tmp_path: Path) -> None:
    (tmp_path / "bomb.html").write_bytes(payloads.gzip_bomb(payloads.MiB) + b"{{base}}")
    (tmp_path / "bomb.html.headers.json").write_text(json.dumps({"raw": True, "headers": {"Content-Encoding": "gzip"}}))
    (tmp_path / "cut.html").write_text("<p>half a page</p>")
    (tmp_path / "cut.html.headers.json").write_text(json.dumps({"declared_length": 1000}))
    with MockServer(root=tmp_path, host="127.0.0.2") as server:
        assert server.url.startswith("http://127.0.0.2:")
        status, headers, body = request(server.url, "/bomb.html")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert isinstance(body, bytes) and body.endswith(b"{{base}}")  # untemplated, byte for byte
        status, headers, body = request(server.url, "/cut.html")
        assert headers["Content-Length"] == "1000"
        assert isinstance(body, http.client.IncompleteRead) and body.partial == b"<p>half a page</p>"


def test_mock_server_binds_loopback_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a loopback address"):
        StaticSiteServer(tmp_path, None, host="0.0.0.0")
