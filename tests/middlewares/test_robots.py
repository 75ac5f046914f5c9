"""The robots.txt middleware in-process: built from a crawler, fed robots.txt answers by a fake engine."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.robots import DeferringRobotsTxtMiddleware
from crawler.refusals import RobotsUnavailable

ROBOTS_URL = "https://news.example/robots.txt"


class FakeEngine:
    """Answers robots.txt downloads from a table and records what was asked."""

    def __init__(self, answers: dict[str, Response | Exception]) -> None:
        self.answers = answers
        self.requested: list[str] = []

    async def download_async(self, request: Request) -> Response:
        self.requested.append(request.url)
        answer = self.answers[request.url]
        if isinstance(answer, Exception):
            raise answer
        return answer


def robots_crawler(answers: dict[str, Response | Exception], **settings: Any) -> tuple[Crawler, FakeEngine]:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, **settings})
    engine = FakeEngine(answers)
    crawler.engine = engine  # type: ignore[assignment]
    return crawler, engine


def fetch(middleware: DeferringRobotsTxtMiddleware, url: str, **meta: Any) -> None:
    asyncio.run(middleware.process_request(Request(url, meta=meta)))


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


def test_a_5xx_robots_txt_defers_the_host(caplog: pytest.LogCaptureFixture) -> None:
    crawler, engine = robots_crawler({ROBOTS_URL: Response(ROBOTS_URL, status=503)})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    with caplog.at_level(logging.WARNING, logger="crawler.middlewares.robots"):
        with pytest.raises(
            RobotsUnavailable, match=r"^robots.txt unavailable \(HTTP 503\); host deferred to a later run$"
        ):
            fetch(middleware, "https://news.example/a.html")
        with pytest.raises(RobotsUnavailable):
            fetch(middleware, "https://news.example/b.html")
    assert engine.requested == [ROBOTS_URL]  # asked once per run, not once per request
    assert stat(crawler, "ingest/robots/hosts_deferred") == 1
    assert stat(crawler, "ingest/robots/deferred_requests") == 2
    assert stat(crawler, "robotstxt/response_status_count/503") == 1
    assert [r.getMessage() for r in caplog.records] == [
        "robots.txt https://news.example/robots.txt unavailable (HTTP 503): host deferred to a later run"
    ]


def test_an_unreachable_robots_txt_defers_the_host() -> None:
    crawler, _ = robots_crawler({ROBOTS_URL: TimeoutError("no answer in 180 s")})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    with pytest.raises(RobotsUnavailable, match=r"^robots.txt unavailable \(TimeoutError: no answer in 180 s\);"):
        fetch(middleware, "https://news.example/a.html")
    assert stat(crawler, "ingest/robots/hosts_deferred") == 1
    assert stat(crawler, "robotstxt/request_count") == 1


def test_a_deferred_host_leaves_other_hosts_alone() -> None:
    other = "https://other.example/robots.txt"
    crawler, engine = robots_crawler({ROBOTS_URL: Response(ROBOTS_URL, status=500), other: Response(other, status=404)})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    with pytest.raises(RobotsUnavailable):
        fetch(middleware, "https://news.example/a.html")
    fetch(middleware, "https://other.example/a.html")
    assert engine.requested == [ROBOTS_URL, other]
    assert stat(crawler, "ingest/robots/hosts_deferred") == 1


def test_a_4xx_robots_txt_means_no_rules() -> None:
    body = b"User-agent: *\nDisallow: /\n"  # a 404 page's body is not a robots.txt
    crawler, _ = robots_crawler({ROBOTS_URL: Response(ROBOTS_URL, status=404, body=body)})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    fetch(middleware, "https://news.example/a.html")
    assert stat(crawler, "ingest/robots/hosts_deferred") is None
    assert stat(crawler, "robotstxt/response_status_count/404") == 1


def test_a_2xx_robots_txt_is_obeyed_without_deferring() -> None:
    body = b"User-agent: *\nDisallow: /private/\n"
    crawler, _ = robots_crawler({ROBOTS_URL: Response(ROBOTS_URL, status=200, body=body)})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    fetch(middleware, "https://news.example/public/a.html")
    with pytest.raises(IgnoreRequest, match=r"^Forbidden by robots\.txt$") as refused:
        fetch(middleware, "https://news.example/private/a.html")
    assert not isinstance(refused.value, RobotsUnavailable)
    assert stat(crawler, "robotstxt/forbidden") == 1
    assert stat(crawler, "ingest/robots/deferred_requests") is None


def test_a_request_that_does_not_obey_robots_txt_never_asks_for_it() -> None:
    crawler, engine = robots_crawler({})
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    fetch(middleware, "https://news.example/a.html", dont_obey_robotstxt=True)
    assert engine.requested == []


def test_off_unless_robotstxt_obey() -> None:
    crawler, _ = robots_crawler({}, ROBOTSTXT_OBEY=False)
    with pytest.raises(NotConfigured):
        DeferringRobotsTxtMiddleware.from_crawler(crawler)


class SlowEngine(FakeEngine):
    """Answers robots.txt only after every request of the test is waiting for it."""

    async def download_async(self, request: Request) -> Response:
        await asyncio.sleep(0.05)
        return await super().download_async(request)


async def verdicts(middleware: DeferringRobotsTxtMiddleware, urls: list[str]) -> list[str]:
    async def one(url: str) -> str:
        try:
            await middleware.process_request(Request(url))
        except IgnoreRequest as exc:
            return str(exc)
        return "allowed"

    return list(await asyncio.gather(*(one(url) for url in urls)))


def test_every_request_waiting_for_robots_txt_gets_its_rules() -> None:
    """A worker that starts with a queue full of one host's articles (a cluster re-run) asks for
    robots.txt once and every request waits for it; each must be judged by the rules, not only the
    first (Scrapy's own middleware hands the later ones None, which it reads as "allow all")."""
    body = b"User-agent: *\nDisallow: /private/\n"
    crawler, engine = robots_crawler({ROBOTS_URL: Response(ROBOTS_URL, status=200, body=body)})
    crawler.engine = SlowEngine(engine.answers)  # type: ignore[assignment]
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    urls = [f"https://news.example/public/{n}.html" for n in range(3)]
    urls += [f"https://news.example/private/{n}.html" for n in range(5)]
    got = asyncio.run(verdicts(middleware, urls))
    assert got == ["allowed"] * 3 + ["Forbidden by robots.txt"] * 5
    assert crawler.engine.requested == [ROBOTS_URL]  # type: ignore[attr-defined]


def test_requests_waiting_for_an_unreachable_robots_txt_are_all_deferred() -> None:
    crawler, engine = robots_crawler({ROBOTS_URL: ConnectionRefusedError("Connection refused")})
    crawler.engine = SlowEngine(engine.answers)  # type: ignore[assignment]
    middleware = DeferringRobotsTxtMiddleware.from_crawler(crawler)
    got = asyncio.run(verdicts(middleware, [f"https://news.example/{n}.html" for n in range(4)]))
    assert got == ["robots.txt unavailable (ConnectionRefusedError: Connection refused); host deferred to a later run"] * 4
    assert stat(crawler, "ingest/robots/deferred_requests") == 4
