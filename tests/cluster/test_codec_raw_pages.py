"""Raw pages cross the stream compressed as the archive stores them: the writer stores the same bytes."""

from __future__ import annotations

import base64
import gzip
import hashlib
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


def test_the_writer_stores_the_page_as_it_came_with_the_workers_digest(tmp_path: Path) -> None:
    fields = encode_article(article("https://example.org/c.html"))
    assert fields["raw_html_sha256"] == hashlib.sha256(PAGE).hexdigest()
    decoded = decode_article(fields, decompress=False)
    assert decoded.raw_html is None  # not decompressed: the writer needs the bytes as stored, and the digest
    assert decoded.raw_html_gz == base64.b64decode(fields["raw_html_gz"])
    assert decoded.raw_html_sha256 == fields["raw_html_sha256"]
    # A worker of an earlier release sent no digest: the page is decompressed for it.
    earlier = {key: value for key, value in fields.items() if key != "raw_html_sha256"}
    assert decode_article(earlier, decompress=False).raw_html == PAGE

    paths = [tmp_path / name for name in ("compressed.db", "earlier.db", "process.db")]
    items = [decoded, decode_article(earlier, decompress=False), article("https://example.org/c.html")]
    for path, item in zip(paths, items, strict=True):
        archive = Archive.open(str(path))
        archive.write([item])
        archive.close()
    compressed, digest = stored_page(paths[0])
    assert digest == hashlib.sha256(PAGE).hexdigest() and gzip.decompress(compressed) == PAGE
    assert stored_page(paths[1]) == stored_page(paths[2]) == (compressed, digest)


def test_a_compressed_page_without_its_digest_is_stored_under_the_pages_digest(tmp_path: Path) -> None:
    page = gzip.compress(PAGE, mtime=0)
    item = article("https://example.org/d.html")
    item.raw_html, item.raw_html_gz = None, page
    archive = Archive.open(str(tmp_path / "news.db"))
    archive.write([item])
    archive.close()
    assert stored_page(tmp_path / "news.db") == (page, hashlib.sha256(PAGE).hexdigest())


def test_an_entry_of_an_earlier_worker_still_decodes() -> None:
    fields = encode_article(article("https://example.org/b.html"))
    earlier = {"kind": "article", "article": fields["article"], "raw_html": base64.b64encode(PAGE).decode("ascii")}
    decoded = decode_article(earlier)
    assert decoded.raw_html == PAGE and decoded.raw_html_gz is None
    assert json.loads(fields["article"])["title"] == "Fernwärme"


def test_a_page_stored_before_is_not_stored_again_from_the_stream(tmp_path: Path) -> None:
    first = article("https://example.org/e.html")
    again = article("https://example.org/e.html")
    again.blocks = [Block("Fernwärme für alle, korrigiert.")]  # other text of the same page
    archive = Archive.open(str(tmp_path / "news.db"))
    written = [archive.write([decode_article(encode_article(item), decompress=False)])[0] for item in (first, again)]
    archive.close()
    assert [result.written.value for result in written] == ["new", "updated"]
    connection = sqlite3.connect(tmp_path / "news.db")
    try:
        pages = connection.execute("SELECT id FROM raw_pages").fetchall()
        revisions = connection.execute("SELECT revision, raw_html_id FROM article_revisions ORDER BY seq").fetchall()
    finally:
        connection.close()
    assert len(pages) == 1
    assert revisions == [(1, pages[0][0]), (2, pages[0][0])]
