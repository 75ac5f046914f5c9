"""Cluster mode's run: seeded once, ended when the whole cluster is out of work.

- Seeding: the first worker of a run takes the run's lock (``<spider>:seeded``, SET NX) and runs the
  spider's start(); every other worker starts with nothing and takes requests from the shared queue.
  The lock is released when the cluster ends, so the next scheduled run seeds again; a worker
  restarted mid-run finds it taken and does not seed twice.
- Ending: a worker marks itself busy (``<spider>:busy:<worker>``) in the same MULTI that pops a
  request (crawler.cluster.frontier) and refreshes the mark while its engine has work. When its
  engine is idle it clears its mark and closes only if the queue is empty and no worker is busy;
  otherwise it keeps polling the queue. The marks expire, so a killed worker holds no one up for long.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any, Self

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.cluster.connection import worker_id
from crawler.cluster.keys import ALIVE_SECONDS, ClusterKeys
from crawler.context import CrawlContext

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.1  # an idle worker's look at the shared queue (Scrapy's own heartbeat is 5 s)


class ClusterMiddleware:
    def __init__(self, client: redis.Redis, keys: ClusterKeys, crawler: Crawler | None = None) -> None:
        self.client = client
        self.keys = keys
        self.crawler = crawler
        self.worker = worker_id()
        self.seeder = False
        self._heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = CrawlContext.of(crawler)
        if context.redis is None:
            raise NotConfigured("INGEST_REDIS_URL is not set")
        middleware = cls(context.redis, context.cluster_keys, crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def take_seeding(self) -> bool:
        """Busy first, then the lock: no moment in which the lock is held by a worker that looks idle."""
        self.client.set(self.keys.busy(self.worker), 1, ex=ALIVE_SECONDS)
        if not self.client.set(self.keys.seeded, self.worker, nx=True):
            return False
        # A new run: the last one's duplicate filter and unsettled listings are not this run's.
        self.client.delete(self.keys.dupefilter, self.keys.dirty)
        return True

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        self.seeder = self.take_seeding()
        if not self.seeder:
            logger.info("This run is seeded by %s: taking requests from the shared queue", self.holder())
            return
        logger.info("Seeding this run (lock %s)", self.keys.seeded)
        async for output in start:
            yield output

    def holder(self) -> str:
        value = self.client.get(self.keys.seeded)
        return value.decode() if isinstance(value, bytes) else "another worker"

    def spider_opened(self) -> None:
        self._heartbeat = task.LoopingCall(self.beat)
        self._heartbeat.start(1.0)

    def beat(self) -> None:
        try:
            self.client.set(self.keys.alive(self.worker), 1, ex=ALIVE_SECONDS)
            engine = self.crawler.engine if self.crawler is not None else None
            if engine is not None and not engine.spider_is_idle():
                self.client.set(self.keys.busy(self.worker), 1, ex=ALIVE_SECONDS)
        except redis.RedisError as exc:  # the next beat tries again; the queue's own calls fail loudly
            logger.warning("Cluster heartbeat failed: %s", exc)

    def cluster_busy(self) -> bool:
        if self.client.zcard(self.keys.requests):
            return True
        return any(True for _ in self.client.scan_iter(match=self.keys.busy("*"), count=100))

    def spider_idle(self) -> None:
        self.client.delete(self.keys.busy(self.worker))
        if not self.cluster_busy():
            self.client.delete(self.keys.seeded)  # the run is over: the next one seeds again
            return
        engine = self.crawler.engine if self.crawler is not None else None
        slot = getattr(engine, "_slot", None)  # Scrapy's engine would look again only in 5 s
        if slot is not None:
            slot.nextcall.schedule(POLL_SECONDS)
        raise DontCloseSpider("the cluster still has work")

    def spider_closed(self) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        self.client.delete(self.keys.busy(self.worker), self.keys.alive(self.worker))
