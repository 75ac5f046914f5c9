"""SIGKILL of a worker and of the writer mid-crawl, each restarted: nothing lost, nothing stored twice."""

from __future__ import annotations

import random
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.cluster.cluster import start_worker, start_writer
from tests.cluster.redis_server import RedisServer
from tests.cluster.test_cluster_crawl import archive_dump
from tests.conftest import db_rows as rows
from tests.conftest import run_crawl, write_seeds
from tests.mockserver import MockServer

# Slow enough that a kill lands mid-crawl (the delay holds for the whole cluster: crawler/middlewares/
# hostgate.py; the mock site's ~35 requests take ~10 s), and that a restarted worker or writer joins
# the run before it ends; few requests per worker so that every worker gets some; dead workers are
# noticed quickly.
WORKER_SETTINGS = ("-s", "DOWNLOAD_DELAY=0.3", "-s", "CONCURRENT_REQUESTS=2", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "INGEST_REDIS_ALIVE_SECONDS=3")


@pytest.fixture(scope="module")
def single(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("single")
    db = tmp / "news.db"
    result = run_crawl(write_seeds(tmp / "seeds.toml", mock_site), db)
    assert result.returncode == 0, result.log[-3000:]
    return db


def holds_work(client: redis.Redis, pid: int) -> bool:
    return any(True for _ in client.scan_iter(match=f"news:inflight:*:{pid}:*"))


def frozen_holding(client: redis.Redis, process: Any) -> int:
    """Stop the worker, then count the requests it holds; let it go on if none. A stopped process
    settles nothing, so the count is what it holds when it is killed (no race with its last one)."""
    process.send_signal(signal.SIGSTOP)
    held = sum(int(client.hlen(key)) for key in client.scan_iter(match=f"news:inflight:*:{process.pid}:*"))
    if not held:
        process.send_signal(signal.SIGCONT)
    return held


@dataclass
class KilledCrawl:
    db: Path
    logs: Path
    held: int  # requests worker 0 held when it was killed


def has_written(db: Path) -> bool:
    return db.exists() and bool(rows(db, "SELECT name FROM sqlite_master WHERE name = 'articles'")) and bool(
        rows(db, "SELECT id FROM articles LIMIT 1")
    )


def crawl_with_kills(mock_site: MockServer, tmp: Path, worker_delay: float, writer_delay: float) -> KilledCrawl:
    """Kill worker 0 at the first moment it holds a request ``worker_delay`` s or more after it first
    held one, the writer ``writer_delay`` s after its first commit; restart each."""
    seeds = write_seeds(tmp / "seeds.toml", mock_site)
    db = tmp / "cluster.db"
    logs = tmp / "logs"
    logs.mkdir()
    with RedisServer(tmp / "redis") as server:
        workers = [start_worker(seeds, server.url, logs / f"worker{n}.log", *WORKER_SETTINGS) for n in range(3)]
        writer = start_writer(db, server.url, logs / "writer.log")
        client = redis.Redis.from_url(server.url)
        deadline = time.monotonic() + 120
        due: dict[str, float] = {}
        killed = {"worker": False, "writer": False}
        held = 0
        while not all(killed.values()):
            assert time.monotonic() < deadline, "the crawl ended before both kills"
            now = time.monotonic()
            if "worker" not in due and holds_work(client, workers[0].pid):
                due["worker"] = now + worker_delay
            if "writer" not in due and has_written(db):
                due["writer"] = now + writer_delay
            # killed while it holds work (frozen, then looked at), not the moment after its last request
            worker_due = not killed["worker"] and now >= due.get("worker", deadline)
            if worker_due and (held := frozen_holding(client, workers[0])):
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait()
                workers.append(start_worker(seeds, server.url, logs / "worker0-restarted.log", *WORKER_SETTINGS))
                killed["worker"] = True
            if not killed["writer"] and now >= due.get("writer", deadline):
                writer.send_signal(signal.SIGKILL)
                writer.wait()
                writer = start_writer(db, server.url, logs / "writer-restarted.log")
                killed["writer"] = True
            time.sleep(0.05)
        codes = [p.wait(240) for p in workers[1:]] + [writer.wait(240)]
        assert codes == [0] * len(codes), "\n".join(p.read_text()[-2000:] for p in sorted(logs.glob("*.log")))
        # Nothing left behind: every request taken was settled, none is waiting for a worker.
        assert not list(client.scan_iter(match="news:inflight:*")) and not client.zcard("news:requests")
    return KilledCrawl(db, logs, held)


def requeued(logs: Path) -> tuple[int, int]:
    """Requests put back in the queue, as the workers' log lines and their stats dumps count them."""
    text = "".join(path.read_text() for path in logs.glob("*.log"))
    lines = sum(int(n) for n in re.findall(r"Put (\d+) request\(s\) of dead workers back in the queue", text))
    stats = sum(int(n) for n in re.findall(r"'ingest/frontier/requeued': (\d+)", text))
    return lines, stats


def assert_requeue_recorded(crawl: KilledCrawl) -> None:
    """Whatever the killed worker held went back in the queue, and the log and the stats say so (more
    if a worker slowed past INGEST_REDIS_ALIVE_SECONDS was taken for dead: its requests are done twice)."""
    lines, stats = requeued(crawl.logs)
    assert crawl.held > 0 and lines >= crawl.held and stats >= crawl.held, (crawl.held, lines, stats)


ORDER_FREE = ("id", "url", "canonical_url", "title", "body", "blocks", "duplicate_of")


def stories(dump: dict[str, Any]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for article in dump["articles"]:
        members.setdefault(article["story_id"], set()).add(article["id"])
    return {frozenset(ids) for ids in members.values()}


def assert_same_archive(single: Path, db: Path) -> None:
    """Nothing lost or stored twice, the same bodies, stories and originals. A story's id (and the
    source of a page two sources list) is whichever came first, and kills reorder arrivals across
    the writer's batches, so those two are compared as groups only."""
    expected, got = archive_dump(single), archive_dump(db)
    assert [a["id"] for a in got["articles"]] == [a["id"] for a in expected["articles"]]  # 0 lost
    assert len(got["revisions"]) == len(expected["revisions"])  # 0 stored twice
    assert [{k: a[k] for k in ORDER_FREE} for a in got["articles"]] == [
        {k: a[k] for k in ORDER_FREE} for a in expected["articles"]
    ]
    assert stories(got) == stories(expected)
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_worker_and_writer_killed_and_restarted(single: Path, mock_site: MockServer, tmp_path: Path) -> None:
    crawl = crawl_with_kills(mock_site, tmp_path, worker_delay=0.0, writer_delay=0.0)
    assert_same_archive(single, crawl.db)
    assert_requeue_recorded(crawl)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_kills_at_random_moments(single: Path, mock_site: MockServer, tmp_path: Path, seed: int) -> None:
    chance = random.Random(seed)
    crawl = crawl_with_kills(mock_site, tmp_path, chance.uniform(0.0, 2.0), chance.uniform(0.0, 2.0))
    assert_same_archive(single, crawl.db)
    assert_requeue_recorded(crawl)


def test_dump_is_not_vacuous(single: Path) -> None:
    dump: dict[str, Any] = archive_dump(single)
    assert len(dump["articles"]) > 5 and len(dump["revisions"]) >= len(dump["articles"])
