"""The archive writer: entries a killed writer read but never acknowledged are written on restart, once."""

from __future__ import annotations

from pathlib import Path

import redis

from crawler.archive.writer import Archive
from crawler.cluster.codec import decode_article, encode_article, encode_sources
from crawler.cluster.keys import ClusterKeys
from crawler.commands.archive_writer import StreamWriter
from crawler.items import Article, Block, Caption
from crawler.seeds import Source
from tests.cluster.redis_server import RedisServer
from tests.conftest import db_rows as rows

KEYS = ClusterKeys()
BODY = [Block("Der Stadtrat hat am Montag den Ausbau der Fernwärme beschlossen, " * 4), Block("Zweiter Absatz.", "h2")]


def article() -> Article:
    return Article(
        url="https://example.org/a.html",
        canonical_url="https://example.org/a.html",
        source="example",
        title="Fernwärme",
        blocks=list(BODY),
        captions=[Caption("Ein Bild", "Foto: dpa", "https://example.org/a.jpg")],
        authors=["A. Autor"],
        published_at="2023-09-15T08:12:00+00:00",
        raw_html=b"<html>\xc3\xa4</html>",
        raw_content_type="text/html; charset=utf-8",
    )


def test_codec_round_trip() -> None:
    original = article()
    assert decode_article({k: v for k, v in encode_article(original).items()}) == original


def test_unacknowledged_entries_are_written_once_after_a_crash(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis") as server:
        client = redis.Redis.from_url(server.url)
        client.xadd(KEYS.items, encode_sources([Source("example", "seeds.toml", feeds=("https://example.org/feed",))]))
        for _ in range(2):  # a worker that handed the same article over twice (it was restarted)
            client.xadd(KEYS.items, encode_article(article()))
        client.xgroup_create(KEYS.items, KEYS.writers, id="0")
        read = client.xreadgroup(KEYS.writers, "killed-writer", {KEYS.items: ">"}, count=10)
        assert len(read[0][1]) == 3  # read, never acknowledged: the writer died here

        db = tmp_path / "news.db"
        archive = Archive.open(str(db))
        writer = StreamWriter(client, archive, KEYS, linger=0.01)
        writer.run(until_drained=True)
        archive.close()

        assert writer.counts["redelivered"] == 3
        assert [r["title"] for r in rows(db, "SELECT title FROM articles")] == ["Fernwärme"]
        assert len(rows(db, "SELECT seq FROM article_revisions")) == 1
        assert client.xlen(KEYS.items) == 0
        assert client.xpending(KEYS.items, KEYS.writers)["pending"] == 0
        # Indexed for the refresh re-checks of later runs, once.
        stored_id = rows(db, "SELECT id FROM articles")[0]["id"]
        assert [key.decode() for key in client.hkeys(KEYS.stored)] == [stored_id]
        assert client.zcard(KEYS.young) == 1
