"""End to end: three workers and one writer crawl the mock sites into the archive one process makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cluster.cluster import run_cluster, start_worker, start_writer
from tests.cluster.redis_server import RedisServer, free_port
from tests.conftest import db_rows as rows
from tests.conftest import run_crawl, write_seeds
from tests.mockserver import MockServer


def archive_dump(db: Path) -> dict[str, Any]:
    """What must be equal between a cluster's archive and one process's: ids, bodies, stories, revisions."""
    return {
        "articles": rows(db, "SELECT id, url, canonical_url, source, title, body, blocks, authors, published_at, content_hash, revision, story_id, duplicate_of FROM articles ORDER BY id"),
        "revisions": rows(db, "SELECT article_id, revision, title, body, content_hash FROM article_revisions ORDER BY article_id, revision"),
        "raw_pages": rows(db, "SELECT count(*) AS n FROM raw_pages"),
        "url_state": rows(db, "SELECT url_key, article_id FROM url_state ORDER BY url_key"),
        "captions": rows(db, "SELECT article_id, position, text, credit FROM captions ORDER BY article_id, position"),
        "sources": rows(db, "SELECT name FROM sources ORDER BY name"),
    }


@pytest.fixture(scope="module")
def single(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("single")
    db = tmp / "news.db"
    result = run_crawl(write_seeds(tmp / "seeds.toml", mock_site), db)
    assert result.returncode == 0, result.log[-3000:]
    return db


@pytest.fixture(scope="module")
def cluster(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("cluster")
    with RedisServer(tmp / "redis") as server:
        seeds = write_seeds(tmp / "seeds.toml", mock_site)
        db = tmp / "cluster.db"
        run_cluster(seeds, db, server.url, tmp / "logs1")
        yield seeds, db, server, tmp


def test_cluster_archive_equals_one_process(single: Path, cluster: Any) -> None:
    _, db, _, _ = cluster
    expected, got = archive_dump(single), archive_dump(db)
    assert len(expected["articles"]) > 5
    assert got == expected


def test_cluster_archive_is_intact(cluster: Any) -> None:
    _, db, _, _ = cluster
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_second_cluster_run_fetches_no_article(cluster: Any, mock_site: MockServer) -> None:
    seeds, db, server, tmp = cluster
    before = len(mock_site.requests())
    articles = archive_dump(db)["articles"]
    article_paths = {a["url"].removeprefix(mock_site.url) for a in articles}
    run_cluster(seeds, db, server.url, tmp / "logs2")
    fetched = {path for _, path in mock_site.requests()[before:]}
    assert fetched, "the second run asked for its listings again"
    assert fetched & article_paths == set()
    assert archive_dump(db)["articles"] == articles


@pytest.mark.parametrize("command", ["worker", "writer"])
def test_unreachable_redis_fails_at_once(tmp_path: Path, mock_site: MockServer, command: str) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    log = tmp_path / "log"
    if command == "worker":
        process = start_worker(write_seeds(tmp_path / "seeds.toml", mock_site), url, log)
    else:
        process = start_writer(tmp_path / "news.db", url, log)
    assert process.wait(60) == 2
    text = log.read_text()
    # One line, plain or behind the log prefix (`scrapy crawl` logs it, so it reaches LOG_FILE too).
    lines = [line[line.index("Cannot start") :] for line in text.splitlines() if "Cannot start" in line]
    assert lines == [f"Cannot start the {'crawl' if command == 'worker' else 'archive writer'}: Redis at {url} is unreachable: "
                     + lines[0].split("unreachable: ", 1)[-1]], text
    assert "Traceback" not in text
    assert not (tmp_path / "news.db").exists()  # nothing was opened before Redis answered
