"""Upgrade in place: an archive written by release 0.1 opens with today's code and loses nothing.

The fixture (tests/fixtures/archive/release-0.1.db, made by make_release_db.py at commit bc8577a) is
copied and opened with `open_db`, so every migration added since the release runs on it. The expected
values below were read from the fixture when it was made; they name only tables and columns that
release 0.1 has, so later migrations may add anything but must keep these.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.changes import changes_since

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "archive" / "release-0.1.db"
RELEASE_MIGRATIONS = {
    "m001_initial",
    "m002_incremental",
    "m010_stories",
    "m011_source_boilerplate",
    "m012_story_provenance",
}

GAZETTE_WIRE_STORY = "d0e5f6e7ad043ce553f5b03597325fd1164092e8"
COURIER_COPY = "cde708ec5063c7c6f52b2e6b270207253df31ec3"
# id, source, revision, story_id, duplicate_of
ARTICLES = [
    ("0986ec78a9ccaadb997299911bd07e0d374d69c4", "courier", 2, "0986ec78a9ccaadb997299911bd07e0d374d69c4", None),
    ("1a54e8eaef7c76f36a18b032dae1790badc5cd53", "courier", 1, "1a54e8eaef7c76f36a18b032dae1790badc5cd53", None),
    ("2744b0829bd262ff0410877c6d3d78447198967a", "gazette", 2, "2744b0829bd262ff0410877c6d3d78447198967a", None),
    ("44a4018a28459c6eb503661b1b18f6b05f7a3dd2", "gazette", 2, "44a4018a28459c6eb503661b1b18f6b05f7a3dd2", None),
    ("7de59d4da6f56f0d24fd96475f21f01be0912b5a", "gazette", 1, "7de59d4da6f56f0d24fd96475f21f01be0912b5a", None),
    (COURIER_COPY, "courier", 1, COURIER_COPY, GAZETTE_WIRE_STORY),
    (GAZETTE_WIRE_STORY, "gazette", 1, COURIER_COPY, None),
    ("d9aa0f03f81f1efbf95dae587a0ffedea63a34de", "gazette", 1, "d9aa0f03f81f1efbf95dae587a0ffedea63a34de", None),
    ("e923d1fae7daedc7ede1e3a4d33ad9a1bac4f495", "gazette", 1, "e923d1fae7daedc7ede1e3a4d33ad9a1bac4f495", None),
]
# seq, article_id, revision, content_hash: also the export from cursor 0
# fmt: off
REVISIONS = [
    (1, "2744b0829bd262ff0410877c6d3d78447198967a", 1, "b347386dd8ab3ccb19addcabc4bfd13448d83393ae19751c35e27b0c24cc3eba"),
    (2, "cde708ec5063c7c6f52b2e6b270207253df31ec3", 1, "b233063632a90c714e4ce33a50332ae4e7d532d926124718c11bdc03f4ccf02d"),
    (3, "0986ec78a9ccaadb997299911bd07e0d374d69c4", 1, "f726eea1df7cdffc8dddea077fe8354a66fb2a4a85dc82a14ac2fb92e407050d"),
    (4, "1a54e8eaef7c76f36a18b032dae1790badc5cd53", 1, "f18619a0d1c64d83a4dc5f9cdd8d5e7134fc9b60346982c61cc6522f0e29c826"),
    (5, "44a4018a28459c6eb503661b1b18f6b05f7a3dd2", 1, "a070e94007f68f8b00ab36dad5f3d93b9b959495e5782964e40d37570d614869"),
    (6, "d9aa0f03f81f1efbf95dae587a0ffedea63a34de", 1, "d9e5bc4bbc1bfe0739cf0576f997ef0e1d879c6141369a6c706a9a270e6ac07b"),
    (7, "d0e5f6e7ad043ce553f5b03597325fd1164092e8", 1, "42979afafe670254f070c27f31f6c27702eb6e01670bfd8f4cbdae9e34d07faf"),
    (8, "7de59d4da6f56f0d24fd96475f21f01be0912b5a", 1, "4e226f528d5e805fe883e8f98afdbb7fc9f9c42f424b1fb280456f4eac0596bb"),
    (9, "e923d1fae7daedc7ede1e3a4d33ad9a1bac4f495", 1, "cbcfd6c138b5df9e3e74d8e2bd44feb5aa83ecf4dfb8daad372315578d2a0435"),
    (10, "0986ec78a9ccaadb997299911bd07e0d374d69c4", 2, "dbe826f1af3fa87db6180aeef96d6524f29fe44812d76c35eee7e875d2d6ef54"),
    (11, "2744b0829bd262ff0410877c6d3d78447198967a", 2, "7ed1397d488b3f698164b82ca1803ea2fe289419b7a1e98ea4986e968eff1a6c"),
    (12, "44a4018a28459c6eb503661b1b18f6b05f7a3dd2", 2, "dea0921000c8f5830f07b9edf439bad7507bb91a1c0db044e56ae0f1c47191c8"),
]
# fmt: on
CAPTIONS = 9  # one per article
RAW_PAGES = 11  # one revision was a cleaning of an unchanged page: it shares its raw page
# Every release-0.1 column of each table, in order; the digest is of these rows, ordered by the key.
RELEASE_COLUMNS = {
    "articles": (
        "id, url, canonical_url, source, title, body, blocks, published_at, modified_at, language, authors,"
        " description, site_name, fetched_at, first_stored_at, content_hash, revision, story_id, duplicate_of",
        "id",
    ),
    "article_revisions": (
        "seq, article_id, revision, url, canonical_url, source, title, body, blocks, captions,"
        " authors, language, content_hash, published_at, modified_at, fetched_at, raw_html_id",
        "seq",
    ),
    "captions": ("article_id, position, text, credit, image_url", "article_id, position"),
    "raw_pages": ("id, article_id, url, sha256, html_gz, fetched_at", "id"),
    "sources": ("name, file, feeds, sitemaps, language, timezone, added_at, updated_at", "name"),
}
DIGESTS = {
    "articles": "38441bdc8afcdaf2b427843033709688f5870cfaa6435387f0c0ccd11f56cecc",
    "article_revisions": "9934e4068d9f738b565c5797e3fa7998260b83c1d5c4df18b06a2407d96bedf2",
    "captions": "016f55427aa74dfb83dbbea5efd7f143a0a13278ea99e48a1a0d2de64afb8dd2",
    "raw_pages": "98589d1594ffd2c1c64a81ce7052b42175071496175ac2994b365cc8eb44ef45",
    "sources": "713297675af398fa455a3865615766f549e62bec1bd0f07f35131db3a7d8aca7",
}


def table_digest(db: Database, table: str) -> str:
    columns, order = RELEASE_COLUMNS[table]
    digest = hashlib.sha256()
    for row in db.execute(f"SELECT {columns} FROM {table} ORDER BY {order}").fetchall():
        values = [value.hex() if isinstance(value, bytes) else value for value in row]
        digest.update(json.dumps(values, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    return list(db.execute(sql).fetchall())


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "news.db"
    shutil.copyfile(FIXTURE, path)
    db = open_db(path)
    yield db
    db.close()


def test_the_migrations_ran_and_the_release_ones_are_recorded(upgraded: Database) -> None:
    applied = {row[0] for row in rows(upgraded, "SELECT name FROM _sqlite_migrations")}
    assert RELEASE_MIGRATIONS <= applied


@pytest.mark.parametrize("table", sorted(RELEASE_COLUMNS))
def test_every_release_row_is_unchanged(upgraded: Database, table: str) -> None:
    assert table_digest(upgraded, table) == DIGESTS[table]


def test_articles_and_story_links(upgraded: Database) -> None:
    stored = rows(upgraded, "SELECT id, source, revision, story_id, duplicate_of FROM articles ORDER BY id")
    assert stored == ARTICLES
    # The wire copy: the courier's later copy points at the gazette's page; one story.
    assert rows(upgraded, f"SELECT duplicate_of FROM articles WHERE id = '{COURIER_COPY}'") == [(GAZETTE_WIRE_STORY,)]


def test_revisions_and_captions(upgraded: Database) -> None:
    assert rows(upgraded, "SELECT seq, article_id, revision, content_hash FROM article_revisions ORDER BY seq") == (
        REVISIONS
    )
    assert rows(upgraded, "SELECT count(*) FROM captions") == [(CAPTIONS,)]
    latest = rows(
        upgraded,
        "SELECT count(*) FROM articles a JOIN article_revisions r ON r.article_id = a.id AND r.revision = a.revision"
        " WHERE r.content_hash = a.content_hash",
    )
    assert latest == [(len(ARTICLES),)]


def test_the_export_cursor_continues(upgraded: Database) -> None:
    exported = [(r["seq"], r["article_id"], r["revision"], r["content_hash"]) for r in changes_since(upgraded, 0)]
    assert exported == REVISIONS
    changes = [r["change"] for r in changes_since(upgraded, 0)]
    assert changes == ["new"] * 9 + ["updated"] * 3
    assert [r["seq"] for r in changes_since(upgraded, 9)] == [10, 11, 12]
    assert all(r["captions"] and r["body"] for r in changes_since(upgraded, 0))


def test_raw_pages_still_decompress_to_their_hash(upgraded: Database) -> None:
    pages = rows(upgraded, "SELECT sha256, html_gz FROM raw_pages")
    assert len(pages) == RAW_PAGES
    for sha256, html_gz in pages:
        assert hashlib.sha256(gzip.decompress(html_gz)).hexdigest() == sha256
    missing = (
        "SELECT count(*) FROM article_revisions r LEFT JOIN raw_pages p ON p.id = r.raw_html_id WHERE p.id IS NULL"
    )
    assert rows(upgraded, missing) == [(0,)]


def test_full_text_search_still_finds_articles(upgraded: Database) -> None:
    title = rows(upgraded, f"SELECT title FROM articles WHERE id = '{GAZETTE_WIRE_STORY}'")[0][0]
    found = {row["id"] for row in upgraded["articles"].search(title.split()[0])}
    assert {GAZETTE_WIRE_STORY, COURIER_COPY} <= found


def test_integrity(upgraded: Database) -> None:
    assert rows(upgraded, "PRAGMA integrity_check") == [("ok",)]
    assert rows(upgraded, "PRAGMA foreign_key_check") == []
