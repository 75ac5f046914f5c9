"""The cluster-wide per-host gate against a real Redis: delays and limits hold across gates (workers)."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.http import Response

from crawler.cluster.hosts import FULL_WAIT_SECONDS, HostGate, HostLimits
from crawler.cluster.keys import ClusterKeys
from crawler.middlewares.hostgate import HostGateDownloadHandler
from tests.cluster.cluster import start_worker
from tests.cluster.redis_server import RedisServer
from tests.conftest import write_seeds
from tests.mockserver import MockServer

KEYS = ClusterKeys()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield redis.Redis.from_url(server.url)


def gates(client: redis.Redis, count: int, lease_seconds: float = 60.0) -> list[HostGate]:
    client.flushdb()
    return [HostGate(client, KEYS, lease_seconds=lease_seconds) for _ in range(count)]


def test_the_delay_holds_across_workers(client: redis.Redis) -> None:
    first, second = gates(client, 2)
    limits = HostLimits(delay=0.3)
    assert first.try_pass("news.example", limits) == (None, 0.0)
    lease, wait = second.try_pass("news.example", limits)
    assert lease is None and 0.2 < wait <= 0.3
    assert second.try_pass("other.example", limits) == (None, 0.0)  # per host
    time.sleep(wait + 0.01)
    assert second.try_pass("news.example", limits) == (None, 0.0)
    assert first.try_pass("news.example", limits)[1] > 0.2  # and it holds for the first again


def test_the_concurrency_limit_holds_across_workers(client: redis.Redis) -> None:
    one, two, three = gates(client, 3)
    limits = HostLimits(concurrency=2)
    lease_one, wait_one = one.try_pass("news.example", limits)
    lease_two, wait_two = two.try_pass("news.example", limits)
    assert (wait_one, wait_two) == (0.0, 0.0) and lease_one and lease_two and lease_one != lease_two
    assert three.try_pass("news.example", limits) == (None, FULL_WAIT_SECONDS)
    one.release("news.example", lease_one)
    lease_three, wait_three = three.try_pass("news.example", limits)
    assert wait_three == 0.0 and lease_three
    assert client.zcard(KEYS.host_leases("news.example")) == 2


def test_a_dead_workers_lease_runs_out(client: redis.Redis) -> None:
    dead, alive = gates(client, 2, lease_seconds=0.2)
    limits = HostLimits(concurrency=1)
    assert dead.try_pass("news.example", limits)[1] == 0.0  # never released: the worker was killed
    assert alive.try_pass("news.example", limits)[1] == FULL_WAIT_SECONDS
    time.sleep(0.25)
    assert alive.try_pass("news.example", limits)[1] == 0.0


def test_without_limits_redis_is_not_asked(client: redis.Redis) -> None:
    (gate,) = gates(client, 1)
    assert gate.try_pass("news.example", HostLimits()) == (None, 0.0)
    assert client.dbsize() == 0


class Inner:
    """Scrapy's HTTP handler stand-in: records when each download started and ended."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.spans: list[tuple[float, float]] = []

    async def download_request(self, request: Request) -> Response:
        started = time.monotonic()
        await asyncio.sleep(self.seconds)
        self.spans.append((started, time.monotonic()))
        return Response(request.url)

    async def close(self) -> None:
        pass


@pytest.mark.parametrize(("download", "limits"), [(0.02, HostLimits(delay=0.1)), (0.1, HostLimits(delay=0.01, concurrency=1))])
def test_handlers_of_three_workers_delay_rather_than_drop(client: redis.Redis, download: float, limits: HostLimits) -> None:
    """Spaced by the delay; or, with downloads longer than it, one at a time by the limit."""
    inners = [Inner(download) for _ in range(3)]
    handlers = [HostGateDownloadHandler(inner, gate, limits) for inner, gate in zip(inners, gates(client, 3), strict=True)]

    async def crawl() -> list[Any]:
        requests = [handler.download_request(Request(f"https://news.example/{n}-{i}.html"))
                    for i, handler in enumerate(handlers) for n in range(3)]
        return list(await asyncio.gather(*requests))

    responses = asyncio.run(crawl())
    assert len(responses) == 9  # every request downloaded, none dropped
    spans = sorted(span for inner in inners for span in inner.spans)
    starts = [start for start, _ in spans]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= max(limits.delay, 0.0) - 0.005
    if limits.concurrency:
        assert all(end <= next_start + 0.001 for (_, end), next_start in zip(spans, starts[1:], strict=False))
    assert client.zcard(KEYS.host_leases("news.example")) == 0  # every lease given back


DELAY = 0.12
# Two requests at a time per worker, so that no worker takes the whole queue and all three download.
WORKER = ("-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "CONCURRENT_REQUESTS=2")


def test_three_workers_reach_the_host_no_faster_than_one(mock_site: MockServer, tmp_path: Path) -> None:
    """The mock site is one host: the server sees the cluster's requests DELAY apart. Three workers,
    each polite on its own, would reach it three times as often."""
    seeds = write_seeds(tmp_path / "seeds.toml", mock_site)
    logs = tmp_path / "logs"
    logs.mkdir()
    with RedisServer(tmp_path / "redis") as server:
        before = len(mock_site.log_entries())
        workers = [start_worker(seeds, server.url, logs / f"worker{n}.log", *WORKER) for n in range(3)]
        codes = [worker.wait(120) for worker in workers]
        served = mock_site.log_entries()[before:]
    text = "".join(path.read_text(errors="replace") for path in sorted(logs.glob("*.log")))
    assert codes == [0, 0, 0], text[-3000:]
    fetched = [int(count) for count in re.findall(r"'downloader/request_count': (\d+)", text)]
    assert len(fetched) == 3 and min(fetched) > 0, fetched  # every worker downloaded some
    times = sorted(entry["time"] for entry in served)
    assert len(times) == sum(fetched) > 20
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) > DELAY - 0.04, sorted(gaps)[:5]  # read on the server's clock: a little jitter
    assert "ingest/hostgate/delayed" in text
