"""A dead worker's in-flight requests against a real Redis: back in the queue once its alive key
expires, logged and counted whichever path (heartbeat or idle poll) finds them, and the run does not
end before they are done."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis
from scrapy import Request, Spider
from scrapy.exceptions import DontCloseSpider
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.cluster.frontier import ENTRY, BusyMarkingQueue, finished
from crawler.cluster.keys import ClusterKeys
from crawler.middlewares.cluster import DONE, ClusterMiddleware
from tests.cluster.redis_server import RedisServer
from tests.conftest import ROOT

KEYS = ClusterKeys()
DEAD = "elsewhere:4242"  # the killed worker's id; the test process is the live worker
ALIVE_SECONDS = 2
REQUEUED = "ingest/frontier/requeued"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield redis.Redis.from_url(server.url)


def queue_of(client: redis.Redis, worker: str | None = None) -> BusyMarkingQueue:
    crawler = get_crawler(Spider, {"INGEST_REDIS_ALIVE_SECONDS": ALIVE_SECONDS})
    queue = BusyMarkingQueue(client, Spider.from_crawler(crawler, name=KEYS.spider), KEYS.requests)
    if worker is not None:
        queue.worker = worker
    return queue


def middleware(client: redis.Redis) -> tuple[ClusterMiddleware, MemoryStatsCollector]:
    stats = MemoryStatsCollector(get_crawler())
    return ClusterMiddleware(client, KEYS, alive_seconds=ALIVE_SECONDS, stats=stats), stats


def dead_worker_holding(client: redis.Redis, urls: list[str]) -> list[tuple[bytes, float]]:
    """A worker that popped ``urls`` (so they are in its in-flight hash only) and was then killed:
    its alive key is left to expire. Returns the queue's entries as they were before the pops."""
    client.flushdb()
    queue = queue_of(client, DEAD)
    for priority, url in enumerate(urls):
        queue.push(Request(url, priority=priority))
    before = client.zrange(KEYS.requests, 0, -1, withscores=True)
    client.set(KEYS.alive(DEAD), 1, px=300)  # its last heartbeat
    client.set(KEYS.seeded, DONE + DEAD)
    assert [queue.pop().url for _ in urls] == urls[::-1]  # the highest priority first
    assert client.hlen(KEYS.inflight(DEAD)) == len(urls) and not client.zcard(KEYS.requests)
    return before


def wait_until_dead(client: redis.Redis) -> None:
    deadline = time.monotonic() + 5
    while client.exists(KEYS.alive(DEAD)):
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_pops_busy_mark_lapses_with_the_configured_alive_seconds(client: redis.Redis) -> None:
    dead_worker_holding(client, ["http://a.example/1"])
    assert 0 < client.ttl(KEYS.busy(DEAD)) <= ALIVE_SECONDS  # not the default's 15 s


@pytest.mark.parametrize("path", ["heartbeat", "idle poll"])
def test_a_dead_workers_requests_go_back_logged_and_counted(
    client: redis.Redis, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    urls = ["http://a.example/1", "http://a.example/2"]
    before = dead_worker_holding(client, urls)
    live, stats = middleware(client)
    client.delete(KEYS.busy(DEAD))  # its busy mark lapsed; its in-flight hash still holds the run open
    with pytest.raises(DontCloseSpider):
        live.spider_idle()
    assert not client.zcard(KEYS.requests) and stats.get_value(REQUEUED) is None  # alive: not yet
    wait_until_dead(client)
    caplog.set_level(logging.WARNING, logger="crawler.middlewares.cluster")
    if path == "heartbeat":
        live.beat()
    else:
        with pytest.raises(DontCloseSpider):  # the requests are back in the queue: work to do
            live.spider_idle()
    assert client.zrange(KEYS.requests, 0, -1, withscores=True) == before  # same requests, same priorities
    assert not client.exists(KEYS.inflight(DEAD))
    assert stats.get_value(REQUEUED) == 2
    assert f"Put 2 request(s) of dead workers back in the queue ({DEAD}: 2)" in caplog.messages
    live.beat()  # once moved, never counted again
    assert stats.get_value(REQUEUED) == 2


def test_two_workers_finding_one_dead_worker_move_its_requests_once(client: redis.Redis) -> None:
    dead_worker_holding(client, ["http://a.example/1", "http://a.example/2", "http://a.example/3"])
    wait_until_dead(client)
    (first, first_stats), (second, second_stats) = middleware(client), middleware(client)
    assert first.requeue_dead() + second.requeue_dead() == 3
    assert (first_stats.get_value(REQUEUED) or 0) + (second_stats.get_value(REQUEUED) or 0) == 3
    assert client.zcard(KEYS.requests) == 3


def test_the_run_ends_only_after_the_dead_workers_requests_are_done(client: redis.Redis) -> None:
    dead_worker_holding(client, ["http://a.example/1", "http://a.example/2"])
    live, stats = middleware(client)
    client.delete(KEYS.busy(DEAD))
    wait_until_dead(client)
    mine = queue_of(client)
    with pytest.raises(DontCloseSpider):
        live.spider_idle()
    taken = [mine.pop(), mine.pop()]  # this worker takes them over
    assert mine.pop() is None and stats.get_value(REQUEUED) == 2
    assert {request.url for request in taken} == {"http://a.example/1", "http://a.example/2"}
    for request in taken:
        assert request.meta[ENTRY]
        finished(client, KEYS, request)
    assert not client.exists(KEYS.inflight(live.worker))
    assert client.get(KEYS.seeded) == (DONE + DEAD).encode()
    live.spider_idle()  # nothing left anywhere: this worker closes and releases the run's lock
    assert not client.exists(KEYS.seeded)


# A process on the same host with the same pid, as a container restarted in place runs its worker.
SAME_PID = "import os; os.getpid = lambda: 4242\nfrom crawler.cluster.connection import worker_id\nprint(worker_id(), worker_id())"


def test_a_worker_restarted_with_the_dead_ones_pid_is_another_worker() -> None:
    runs = [subprocess.run([sys.executable, "-c", SAME_PID], cwd=ROOT, capture_output=True, text=True, check=True) for _ in range(2)]
    (first, again), (restarted, _) = (run.stdout.split() for run in runs)
    assert first == again  # one name for the whole process
    assert first.split(":")[:2] == restarted.split(":")[:2] and first.split(":")[1] == "4242"
    # Else its heartbeat would keep the dead worker's alive key fresh (its requests never put back)
    # and its idle poll would clear the dead worker's in-flight hash as its own.
    assert first != restarted
