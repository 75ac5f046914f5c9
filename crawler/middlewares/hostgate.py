"""Cluster mode: DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN per host for the whole cluster.

A download handler, not a downloader middleware: it is the last step before the request goes on the
wire, after the worker's own slot has applied its delay (AutoThrottle's included), so a gate passed
here is the moment the host sees. A gate passed in a middleware could be followed by a local delay,
and a worker that passed later could reach the host first. The gate itself is in Redis
(crawler.cluster.hosts); DOWNLOAD_SLOTS' per-host ``delay`` and ``concurrency`` hold too.

Without INGEST_REDIS_URL, or with INGEST_REDIS_POLITENESS off, ``from_crawler`` returns Scrapy's own
HTTP handler: a single process is polite through its own downloader.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.httpobj import urlparse_cached

from crawler.cluster.hosts import HostGate, HostLimits
from crawler.context import CrawlContext

LEASE_MARGIN_SECONDS = 30.0  # past DOWNLOAD_TIMEOUT: a download lasts no longer, unless its worker died


class HostGateDownloadHandler:
    lazy = True

    def __init__(
        self,
        inner: Any,
        gate: HostGate,
        limits: HostLimits,
        *,
        slots: dict[str, HostLimits] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.inner = inner
        self.gate = gate
        self.limits = limits
        self.slots = slots or {}
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        inner = HTTP11DownloadHandler.from_crawler(crawler)
        settings = crawler.settings
        context = CrawlContext.of(crawler)
        if context.redis is None or not settings.getbool("INGEST_REDIS_POLITENESS"):
            return inner
        limits = HostLimits(settings.getfloat("DOWNLOAD_DELAY"), settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        slots = {
            host: HostLimits(float(slot.get("delay", limits.delay)), int(slot.get("concurrency", limits.concurrency)))
            for host, slot in settings.getdict("DOWNLOAD_SLOTS").items()
        }
        lease = settings.getfloat("DOWNLOAD_TIMEOUT") + LEASE_MARGIN_SECONDS
        gate = HostGate(context.redis, context.cluster_keys, lease_seconds=lease)
        return cls(inner, gate, limits, slots=slots, stats=crawler.stats)

    async def download_request(self, request: Request) -> Response:
        host = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        limits = self.slots.get(host, self.limits)
        lease, wait = self.gate.try_pass(host, limits)
        if wait and self.stats is not None:
            self.stats.inc_value("ingest/hostgate/delayed")
        while wait:
            await asyncio.sleep(wait)
            lease, wait = self.gate.try_pass(host, limits)
        try:
            return await self.inner.download_request(request)
        finally:
            self.gate.release(host, lease)

    async def close(self) -> None:
        await self.inner.close()
