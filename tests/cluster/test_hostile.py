"""Hostile input through a cluster (three workers and the writer): the same stored rows and the same
counted drops as one process crawling the same corpus (tests/e2e/test_hostile.py), no crash, and a
writer that drained the stream.

The corpus holds bombs, a 30 MB table and timeouts, so the cluster crawl takes most of a minute on 2
cores; the single-process crawl it is compared with is shared with tests/e2e/test_hostile.py (run_once).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import redis

from crawler.cluster.keys import ClusterKeys
from tests.cluster.cluster import run_cluster
from tests.cluster.redis_server import RedisServer
from tests.conftest import write_seeds
from tests.e2e.test_hostile import CRAWL_ARGS, _hostile
from tests.hostile.shared import run_once
from tests.hostile.site import build_site
from tests.mockserver import MockServer

KEYS = ClusterKeys()
# Counted elsewhere in a cluster: storage, linking and boilerplate by the writer (its own log line),
# the stream, the host gate and the per-worker summaries by workers only.
NOT_COMPARED = re.compile(
    r"ingest/(storage|duplicates|boilerplate|stream|hostgate|summary)/.*|ingest/source/[^/]+/(new|updated|unchanged)"
    r"|ingest/incremental/listings_committed"
)


def rows(db: Path) -> list[dict[str, Any]]:
    """Stored articles by path (the two crawls' servers have other ports); which copy of a story is
    its original is arrival order, so stories are compared as groups (tests/cluster/test_cluster_kills.py)."""
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        found = [dict(row) for row in connection.execute(
            "SELECT url, canonical_url, title, body, blocks, authors, published_at, language, source, story_id FROM articles"
        )]
    finally:
        connection.close()
    for row in found:
        for key in ("url", "canonical_url"):
            row[key] = re.sub(r"^http://127\.0\.0\.\d+:\d+", "", row[key] or "")
    stories: dict[str, list[str]] = {}
    for row in found:
        stories.setdefault(row.pop("story_id"), []).append(row["url"])
    for row in found:
        row["story"] = sorted(next(urls for urls in stories.values() if row["url"] in urls))
    return sorted(found, key=lambda row: row["url"])


def worker_stats(logs: Path) -> dict[str, int]:
    """The workers' ingest/* and drop counts, summed (a cluster has no crawl_runs row per worker)."""
    summed: dict[str, int] = {}
    for log in sorted(logs.glob("worker*.log")):
        text = log.read_text(errors="replace")
        for key, value in re.findall(r"'([^']+)': (\d+)[,}]", text[text.index("Dumping Scrapy stats") :]):
            summed[key] = summed.get(key, 0) + int(value)
    return summed


def compared(stats: dict[str, Any]) -> dict[str, int]:
    return {
        key: value for key, value in stats.items()
        if key.startswith(("ingest/", "item_dropped")) and not NOT_COMPARED.fullmatch(key) and value
    }  # fmt: skip


def test_hostile_input_through_a_cluster_as_through_one_process(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    single = run_once(tmp_path_factory, "hostile", _hostile)  # shared with tests/e2e/test_hostile.py
    assert single["returncode"] == 0
    connection = sqlite3.connect(single["db"])
    single_stats = json.loads(connection.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    connection.close()

    root = tmp_path / "site"
    root.mkdir()
    db = tmp_path / "news.db"
    logs = tmp_path / "logs"
    with (
        MockServer(root=root) as server,
        MockServer(root=root, host="127.0.0.2") as sister,
        RedisServer(tmp_path / "redis") as redis_server,
    ):
        site = build_site(root, other_base=sister.url)
        seeds = write_seeds(tmp_path / "seeds.toml", server, site.seeds)
        run_cluster(seeds, db, redis_server.url, logs, *CRAWL_ARGS, timeout=300)  # every process exits 0
        client = redis.Redis.from_url(redis_server.url)
        assert client.xlen(KEYS.items) == 0  # the writer drained the stream...
        assert client.xpending(KEYS.items, KEYS.writers)["pending"] == 0  # ...and acknowledged it all

    assert rows(db) == rows(Path(single["db"]))
    assert compared(worker_stats(logs)) == compared(single_stats)
    assert len(rows(db)) == single_stats["ingest/storage/new"] > 20
    writer = (logs / "writer.log").read_text(errors="replace")
    assert f"'new': {single_stats['ingest/storage/new']}" in writer, writer[-2000:]
    text = "".join(path.read_text(errors="replace") for path in sorted(logs.glob("*.log")))
    for marker in ("Traceback", "Unhandled error", "Spider error processing", "Error processing", "Error caught"):
        assert marker not in text
