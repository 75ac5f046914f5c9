"""Bot walls and Retry-After, per host, within a run and across runs.

A response that is a challenge or block page (crawler.botwalls) is marked for the spider
(``meta["ingest_bot_wall"]``: it counts ``ingest/spider/<kind>_blocked`` and extracts nothing) and
backs its host off: not asked again before ``INGEST_BOTWALL_BACKOFF_HOURS``, doubled for each wall
in a row up to ``INGEST_BOTWALL_BACKOFF_MAX_HOURS``; the first answer that is not a wall ends it.
The state lives in the archive (host_backoff), so later runs honour it and retry once it is over;
in cluster mode in Redis (``<spider>:backoff``, host -> JSON), as workers have no archive: each worker
reads it when it starts and writes what changed when it closes.

``Retry-After`` on a 429 or 503 is honoured per host: a wait up to ``INGEST_RETRY_AFTER_MAX_SECONDS`` is
waited within the run (the retry middleware then asks again); a longer one backs the host off to a later
run. robots.txt requests always pass: a backed-off host's listings are then counted as blocked.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.hosts import HostBackoff, load_backoffs, save_backoffs
from crawler.botwalls import detect
from crawler.cluster.keys import ClusterKeys
from crawler.context import CrawlContext
from crawler.refusals import HostBackedOff

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or None if unusable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class BotWallMiddleware:
    def __init__(
        self,
        db_path: str | None,
        *,
        backoff: timedelta,
        max_backoff: timedelta,
        max_wait_seconds: float,
        stats: Any = None,
        redis: Any = None,
        keys: ClusterKeys | None = None,
    ) -> None:
        self.db_path = db_path
        self.redis = redis
        self.keys = keys or ClusterKeys()
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait_seconds = max_wait_seconds
        self.stats = stats
        self.hosts: dict[str, HostBackoff] = {}
        self.changed: dict[str, HostBackoff | None] = {}
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        context = CrawlContext.of(crawler)
        middleware = cls(
            None if context.redis is not None else context.archive_path,
            backoff=timedelta(hours=settings.getfloat("INGEST_BOTWALL_BACKOFF_HOURS")),
            max_backoff=timedelta(hours=settings.getfloat("INGEST_BOTWALL_BACKOFF_MAX_HOURS")),
            max_wait_seconds=settings.getfloat("INGEST_RETRY_AFTER_MAX_SECONDS"),
            stats=crawler.stats,
            redis=context.redis,
            keys=context.cluster_keys,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        if self.redis is not None:
            raw: dict[bytes, bytes] = self.redis.hgetall(self.keys.backoff)
            self.hosts = {host.decode(): _backoff(json.loads(value)) for host, value in raw.items()}
        elif self.db_path:
            # A connection of its own, like the run record's: host state is not article data.
            self.db = open_db(self.db_path)
            self.hosts = load_backoffs(self.db)

    def spider_closed(self) -> None:
        if self.redis is not None and self.changed:
            ended = [host for host, state in self.changed.items() if state is None]
            if ended:
                self.redis.hdel(self.keys.backoff, *ended)
            waits = {host: json.dumps(_fields(state)) for host, state in self.changed.items() if state is not None}
            if waits:
                self.redis.hset(self.keys.backoff, mapping=waits)
            self.changed = {}
        if self.db is not None:
            if self.changed:
                save_backoffs(self.db, self.changed, datetime.now(UTC))
            self.db.close()
            self.db = None

    async def process_request(self, request: Request) -> None:
        if request.meta.get("ingest_kind") == "robots":
            return
        host = urlparse_cached(request).netloc.lower()
        state = self.hosts.get(host)
        if state is None:
            return
        now = datetime.now(UTC)
        wait = (state.not_before - now).total_seconds()
        if wait <= 0:
            return
        if state.walls == 0 and wait <= self.max_wait_seconds:
            self._inc("ingest/botwalls/retry_after_waits")
            await _sleep(wait)
            return
        self._inc("ingest/botwalls/requests_backed_off")
        raise HostBackedOff(f"host {host} backed off until {state.not_before:%Y-%m-%d %H:%M} UTC ({state.reason})")

    def process_response(self, request: Request, response: Response) -> Response:
        host = urlparse_cached(request).netloc.lower()
        now = datetime.now(UTC)
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1")
            for k, v in ((k, response.headers.get(k) or b"") for k in response.headers)
        }
        wall = detect(response.status, headers, response.body)
        if wall is not None:
            previous = self.hosts.get(host)
            walls = (previous.walls if previous else 0) + 1
            wait = min(self.backoff * 2 ** (walls - 1), self.max_backoff)
            self._set(host, HostBackoff(now + wait, walls, f"{wall.vendor}: {wall.reason}"))
            request.meta["ingest_bot_wall"] = f"{wall.vendor} ({wall.reason})"
            request.meta["dont_retry"] = True  # asking again at once only meets the wall again
            self._inc("ingest/botwalls/walls")
            logger.warning(
                "Bot wall at %s: %s, %s; host %s backed off for %s", response.url, wall.vendor, wall.reason, host, wait
            )
            return response
        retry_after = response.headers.get(b"Retry-After")
        if response.status in (429, 503) and retry_after:
            seconds = retry_after_seconds(retry_after.decode("latin-1"), now)
            if seconds is not None:
                self._inc("ingest/botwalls/retry_after")
                self._set(host, HostBackoff(now + timedelta(seconds=seconds), 0, f"Retry-After: {seconds:.0f} s"))
                logger.info(
                    "%s answered %d with Retry-After %.0f s: host %s waits",
                    response.url,
                    response.status,
                    seconds,
                    host,
                )
            return response
        if response.status < 400 and host in self.hosts:
            del self.hosts[host]
            self.changed[host] = None
        return response

    def _set(self, host: str, state: HostBackoff) -> None:
        self.hosts[host] = state
        self.changed[host] = state

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _fields(state: HostBackoff) -> dict[str, Any]:
    return {"not_before": state.not_before.isoformat(), "walls": state.walls, "reason": state.reason}


def _backoff(fields: dict[str, Any]) -> HostBackoff:
    return HostBackoff(datetime.fromisoformat(fields["not_before"]), int(fields["walls"]), str(fields["reason"]))


async def _sleep(seconds: float) -> None:
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await maybe_deferred_to_future(deferLater(reactor, seconds))  # type: ignore[arg-type]
