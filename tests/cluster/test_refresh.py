"""Refresh re-checks in cluster mode: the writer indexes what it stored, the seeding worker reads the
index once per run, as one process reads its archive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

from crawler.cluster.keys import ClusterKeys
from crawler.cluster.state import RedisState, StoredArticle
from crawler.incremental.state import DueArticle
from tests.cluster.cluster import run_cluster
from tests.cluster.redis_server import RedisServer
from tests.conftest import db_tuples as query
from tests.conftest import write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site, rewrite_article

KEYS = ClusterKeys()
NOW = datetime.now(UTC)


def ago(hours: float) -> str:
    return (NOW - timedelta(hours=hours)).isoformat()


@pytest.fixture
def state(tmp_path: Path) -> Iterator[RedisState]:
    with RedisServer(tmp_path / "redis") as server:
        yield RedisState(redis.Redis.from_url(server.url), KEYS)


def test_due_articles_are_the_young_ones_fetched_long_enough_ago(state: RedisState) -> None:
    state.remember_stored([
        StoredArticle("young-stale", "https://a.example/1", "a", ago(10), ago(8)),
        StoredArticle("young-fresh", "https://a.example/2", "a", ago(10), ago(1)),
        StoredArticle("old", "https://a.example/3", "a", ago(100), ago(90)),
        StoredArticle("other-source", "https://b.example/4", "b", ago(10), ago(8)),
        StoredArticle("younger-staler", "https://a.example/5", "a", ago(5), ago(9)),
    ])
    due = state.due_for_refresh(["a"], born_after=ago(48), fetched_before=ago(6), limit=10)
    assert due == [  # oldest fetch first, as the archive's query
        DueArticle("younger-staler", "https://a.example/5", "a", ago(5)),
        DueArticle("young-stale", "https://a.example/1", "a", ago(10)),
    ]
    assert [a.article_id for a in state.due_for_refresh(["a"], born_after=ago(48), fetched_before=ago(6), limit=1)] == ["younger-staler"]
    # Too old ever to be due again: gone from the index.
    assert not state.client.hexists(KEYS.stored, "old")
    assert state.client.zscore(KEYS.young, "old") is None


def test_a_refetch_moves_the_article_and_keeps_its_first_stored_moment(state: RedisState) -> None:
    state.remember_stored([StoredArticle("undated", "https://a.example/1", "a", None, ago(8))])
    born = state.client.zscore(KEYS.young, "undated")
    assert [a.article_id for a in state.due_for_refresh(["a"], born_after=ago(48), fetched_before=ago(6), limit=10)] == ["undated"]
    state.remember_stored([StoredArticle("undated", "https://a.example/1", "a", None, ago(0))])  # refreshed
    assert state.due_for_refresh(["a"], born_after=ago(48), fetched_before=ago(6), limit=10) == []
    assert state.client.zscore(KEYS.young, "undated") == born  # born when first stored, not when refreshed


def article_paths(server: MockServer, since: int) -> list[str]:
    return sorted(path for _, path in server.requests()[since:] if path.startswith("/news/"))


def test_a_cluster_refreshes_stored_articles_once_per_run(tmp_path: Path) -> None:
    """As tests/e2e/test_incremental.py's one process: past the refresh policy every stored article
    is re-checked, once, by the seeding worker's requests; a changed one becomes one new revision.
    Two workers (and a writer) are enough to show that only one of them seeds the refreshes."""
    root = tmp_path / "site"
    seeds = generate_site(root, 12)
    db = tmp_path / "news.db"
    with MockServer(root=root) as site, RedisServer(tmp_path / "redis") as server:
        seeds = write_seeds(tmp_path / "seeds.toml", site, seeds)
        run_cluster(seeds, db, server.url, tmp_path / "logs1", workers=2)
        first = len(site.requests())
        stored = article_paths(site, 0)
        assert len(stored) == 12
        rewrite_article(root, 5, revision=1)
        policy = ("-s", "INGEST_REFRESH_MAX_AGE_HOURS=1000000", "-s", "INGEST_REFRESH_INTERVAL_HOURS=0")
        run_cluster(seeds, db, server.url, tmp_path / "logs2", *policy, workers=2)
        assert article_paths(site, first) == stored  # every stored article, once
    logs = "".join(path.read_text(errors="replace") for path in sorted((tmp_path / "logs2").glob("worker*.log")))
    assert re.findall(r"'ingest/incremental/articles_fetched_refresh': (\d+)", logs) == ["12"]  # one worker: the seeder
    revisions = query(db, "SELECT a.url, r.revision FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE r.revision > 1")
    assert [(url.rsplit("/", 1)[-1], revision) for url, revision in revisions] == [("article-5.html", 2)]
    body = query(db, "SELECT body FROM articles WHERE url LIKE '%/article-5.html'")[0][0]
    assert "Update 1: this article was corrected" in body
