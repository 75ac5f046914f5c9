"""Bot-wall backoffs in cluster mode: in Redis, so every worker of the next run honours them, and no
worker opens an SQLite file for them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.cluster.keys import ClusterKeys
from crawler.middlewares.botwalls import BotWallMiddleware
from crawler.refusals import HostBackedOff
from tests.cluster.redis_server import RedisServer

KEYS = ClusterKeys()


def worker(client: redis.Redis) -> BotWallMiddleware:
    hour = timedelta(hours=1)
    return BotWallMiddleware(None, backoff=hour, max_backoff=24 * hour, max_wait_seconds=60, redis=client, keys=KEYS)


def test_a_wall_one_worker_met_backs_the_host_off_for_the_next_runs_workers(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis") as server:
        client = redis.Redis.from_url(server.url)
        first = worker(client)
        first.spider_opened()
        request = Request("https://news.example/a.html")
        wall = HtmlResponse(request.url, status=403, headers={"cf-mitigated": "challenge"}, body=b"<html></html>", request=request)
        first.process_response(request, wall)
        first.spider_closed()
        assert client.hkeys(KEYS.backoff) == [b"news.example"]

        later = worker(client)
        later.spider_opened()
        with pytest.raises(HostBackedOff, match=r"^host news\.example backed off until .* \(Cloudflare: cf-mitigated: challenge\)$"):
            asyncio.run(later.process_request(Request("https://news.example/b.html")))
        asyncio.run(later.process_request(Request("https://other.example/b.html")))  # other hosts pass

        # The host answers again (its backoff over): the next workers no longer wait for it.
        answer = HtmlResponse("https://news.example/c.html", status=200, body=b"<html><p>news</p></html>")
        later.process_response(Request(answer.url), answer)
        later.spider_closed()
        assert client.hkeys(KEYS.backoff) == []
