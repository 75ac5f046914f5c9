"""robots.txt the way RFC 9309 asks, without tracebacks.

Scrapy's RobotsTxtMiddleware allows everything when robots.txt cannot be fetched or answers 5xx.
RFC 9309 (2.3.1.3, 2.3.1.4) says the opposite for an unreachable or failing robots.txt: assume
complete disallow. We defer such a host for the run — its requests are refused, counted and logged —
and a later run asks again. A 4xx robots.txt means no rules (allow all), as in the RFC.

Every request that arrives while its host's robots.txt is being fetched waits on a Deferred of its
own. Scrapy's middleware (2.13+) awaits one shared Deferred, and an awaited Deferred's result is
consumed by its first waiter: every other request waiting on the same host got ``None``, which it
reads as "no robots.txt, allow all". A crawl that starts with many requests for one host (a cluster
worker taking over a queue of articles after a restart) fetched pages robots.txt forbids. Rules that
are unknown (``None``) refuse the request here; they never allow it.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.proxies import is_connection_error, without_credentials
from crawler.refusals import RobotsUnavailable

logger = logging.getLogger(__name__)


class HostDeferred:
    """Marks a host whose robots.txt could not be read, with why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class DeferringRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: Any, request: Request) -> None:
        if rp is None:  # never settled so by robot_parser; Scrapy's "allow all" is not ours to give
            rp = HostDeferred("its rules are unknown")
        if isinstance(rp, HostDeferred):
            self._stats.inc_value("ingest/robots/deferred_requests")
            raise RobotsUnavailable(f"robots.txt unavailable ({rp.reason}); host deferred to a later run")
        super().process_request_2(rp, request)

    async def robot_parser(self, request: Request) -> Any:
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_url = f"{url.scheme}://{netloc}/robots.txt"
            robots_request = Request(
                robots_url,
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True, "ingest_kind": "robots"},
                callback=NO_CALLBACK,
            )
            try:
                response = await self.crawler.engine.download_async(robots_request)
            except Exception as exc:  # any download failure: the RFC's "unreachable"
                reason = f"{type(exc).__name__}: {exc}"
                proxy = robots_request.meta.get("proxy")
                if proxy and is_connection_error(type(exc).__name__):
                    # Through a proxy, a connection error is the proxy's, not the site's.
                    self._stats.inc_value("ingest/proxy/unreachable")
                    reason = f"proxy {without_credentials(proxy)} unreachable: {reason}"
                self._settle(netloc, self._deferred(robots_url, reason))
            else:
                self._settle(netloc, self._parse(response, robots_url))
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(_relayed(parser))
        return parser

    def _parse(self, response: Response, robots_url: str) -> Any:
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if response.status >= 500:
            return self._deferred(robots_url, f"HTTP {response.status}")
        if response.status == 407 and response.meta.get("proxy"):
            self._stats.inc_value("ingest/proxy/refused")
            proxy = without_credentials(response.meta["proxy"])
            return self._deferred(robots_url, f"proxy {proxy} refused the request (HTTP 407, authentication)")
        body = response.body if 200 <= response.status < 300 else b""
        return build_from_crawler(self._parserimpl, self.crawler, body)

    def _deferred(self, robots_url: str, reason: str) -> HostDeferred:
        self._stats.inc_value("ingest/robots/hosts_deferred")
        logger.warning("robots.txt %s unavailable (%s): host deferred to a later run", robots_url, reason)
        return HostDeferred(reason)

    def _settle(self, netloc: str, parser: Any) -> None:
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)


def _relayed(shared: Deferred[Any]) -> Deferred[Any]:
    """A waiter's own Deferred, fired with the shared one's result, which stays for the next waiter."""
    mine: Deferred[Any] = Deferred()

    def relay(result: Any) -> Any:
        mine.callback(result)
        return result

    shared.addCallback(relay)
    return mine
