"""Raw pages cross the stream compressed as the archive stores them: the writer stores the same bytes."""

from __future__ import annotations

import base64
import gzip
import json
import sqlite3
from pathlib import Path

from crawler.archive.writer import Archive
from crawler.cluster.codec import decode_article, encode_article
from crawler.items import Article, Block

PAGE = b"<html><body><p>Fernw\xc3\xa4rme f\xc3\xbcr alle.</p>" + b"<li>nav</li>" * 200 + b"</body></html>"


def article(url: str) -> Article:
    return Article(url=url, canonical_url=url, title="Fernwärme", blocks=[Block("Fernwärme für alle.")], raw_html=PAGE)


def stored_page(path: Path) -> tuple[bytes, str]:
    connection = sqlite3.connect(path)
    try:
        html_gz, sha256 = connection.execute("SELECT html_gz, sha256 FROM raw_pages").fetchone()
    finally:
        connection.close()
    return bytes(html_gz), str(sha256)


def test_the_worker_compresses_and_the_writer_stores_those_bytes(tmp_path: Path) -> None:
    fields = encode_article(article("https://example.org/a.html"))
    assert "raw_html" not in fields
    compressed = base64.b64decode(fields["raw_html_gz"])
    assert gzip.decompress(compressed) == PAGE
    assert len(compressed) < len(PAGE) / 4
    decoded = decode_article(fields)
    assert decoded.raw_html == PAGE
    assert decoded.raw_html_gz == compressed

    from_stream, in_process = tmp_path / "stream.db", tmp_path / "process.db"
    for path, item in ((from_stream, decoded), (in_process, article("https://example.org/a.html"))):
        archive = Archive.open(str(path))
        archive.write([item])
        archive.close()
    assert stored_page(from_stream) == stored_page(in_process)
    assert gzip.decompress(stored_page(from_stream)[0]) == PAGE


def test_an_entry_of_an_earlier_worker_still_decodes() -> None:
    fields = encode_article(article("https://example.org/b.html"))
    earlier = {"kind": "article", "article": fields["article"], "raw_html": base64.b64encode(PAGE).decode("ascii")}
    decoded = decode_article(earlier)
    assert decoded.raw_html == PAGE and decoded.raw_html_gz is None
    assert json.loads(fields["article"])["title"] == "Fernwärme"
