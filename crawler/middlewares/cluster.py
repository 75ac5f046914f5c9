"""Cluster mode's run: seeded once, ended when the whole cluster is out of work.

- Seeding: the first worker of a run takes the run's lock (``<spider>:seeded``, SET NX) and runs the
  spider's start(); every other worker waits until it is done (the lock then says ``done:``) and takes
  requests from the shared queue, or seeds in its place if the seeder dies first.
  The lock is released when the cluster ends, so the next scheduled run seeds again; a worker
  restarted mid-run finds it taken and does not seed twice.
- Ending: a worker marks itself busy (``<spider>:busy:<worker>``) in the same MULTI that pops a
  request (crawler.cluster.frontier) and refreshes the mark while its engine has work. When its
  engine is idle it clears its mark and closes only if the queue is empty and no worker is busy;
  otherwise it keeps polling the queue. The marks expire, so a killed worker holds no one up for long.
- Nothing lost: what a worker popped stays in its in-flight hash until the scraper is done with it
  (its items are in the stream by then); once a worker is dead (no ``<spider>:alive:<worker>`` for
  INGEST_REDIS_ALIVE_SECONDS) any other worker puts its in-flight requests back in the queue, on its
  heartbeat or when it is idle, and always through ``requeue_dead`` here, which logs and counts them
  (``ingest/frontier/requeued``). Until they are moved, the dead worker's in-flight hash keeps every
  worker from closing (``cluster_busy``), so the run cannot end without them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any, Self

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from crawler.cluster import frontier
from crawler.cluster.connection import worker_id
from crawler.cluster.frontier import finished, others_in_flight
from crawler.cluster.keys import ClusterKeys
from crawler.context import CrawlContext

logger = logging.getLogger(__name__)

DONE = "done:"  # the seeding lock's value once the seeder's start() is exhausted
TAKE_OVER = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0"
POLL_SECONDS = 0.1  # an idle worker's look at the shared queue (Scrapy's own heartbeat is 5 s)


class ClusterMiddleware:
    def __init__(
        self,
        client: redis.Redis,
        keys: ClusterKeys,
        crawler: Crawler | None = None,
        *,
        alive_seconds: int = 15,
        stats: StatsCollector | None = None,
    ) -> None:
        self.client = client
        self.stats = stats
        self.alive_seconds = alive_seconds
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
        middleware = cls(
            context.redis,
            context.cluster_keys,
            crawler,
            alive_seconds=crawler.settings.getint("INGEST_REDIS_ALIVE_SECONDS"),
            stats=crawler.stats,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def take_seeding(self) -> bool:
        """Busy first, then the lock: no moment in which the lock is held by a worker that looks idle."""
        self.client.set(self.keys.busy(self.worker), 1, ex=self.alive_seconds)
        if not self.client.set(self.keys.seeded, self.worker, nx=True):
            return False
        # A new run: the last one's duplicate filter, unsettled listings and pages are not this run's.
        self.client.delete(self.keys.dupefilter, self.keys.dirty, self.keys.pages)
        return True

    def take_over_seeding(self) -> bool:
        """The seeder died before it finished: seed again (the duplicate filter drops what it queued)."""
        holder = self.holder()
        if holder.startswith(DONE) or self.client.exists(self.keys.alive(holder)):
            return False
        return bool(self.client.eval(TAKE_OVER, 1, self.keys.seeded, holder, self.worker))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        self.seeder = self.take_seeding()
        # The others wait (busy, so no worker closes) until the seeder is done, and seed in its
        # place if it dies first.
        while not self.seeder:
            holder = self.holder()
            if not holder or holder.startswith(DONE):
                logger.info("This run was seeded by %s: taking requests from the shared queue", holder[len(DONE) :])
                return
            if self.take_over_seeding():
                logger.warning("The seeder %s died before it finished; seeding in its place", holder)
                self.seeder = True
                break
            await asyncio.sleep(0.2)
        logger.info("Seeding this run (lock %s)", self.keys.seeded)
        async for output in start:
            yield output
        self.client.set(self.keys.seeded, DONE + self.worker)

    def holder(self) -> str:
        value = self.client.get(self.keys.seeded)
        return value.decode() if isinstance(value, bytes) else ""

    def spider_opened(self) -> None:
        self._heartbeat = task.LoopingCall(self.beat)
        self._heartbeat.start(1.0)
        # Scrapy has no signal for "the scraper is done with this request" (its items processed):
        # its slot's finish_response is that moment, for responses and failures alike.
        slot = getattr(self.crawler.engine.scraper, "slot", None) if self.crawler and self.crawler.engine else None
        if slot is not None:
            finish = slot.finish_response

            def finish_response(result: Any, request: Any) -> None:
                finish(result, request)
                try:
                    finished(self.client, self.keys, request)
                except redis.RedisError as exc:
                    logger.warning("Could not mark %s finished: %s", request.url, exc)

            slot.finish_response = finish_response

    def beat(self) -> None:
        try:
            self.client.set(self.keys.alive(self.worker), 1, ex=self.alive_seconds)
            engine = self.crawler.engine if self.crawler is not None else None
            if engine is not None and not engine.spider_is_idle():
                self.client.set(self.keys.busy(self.worker), 1, ex=self.alive_seconds)
            self.requeue_dead()
        except redis.RedisError as exc:  # the next beat tries again; the queue's own calls fail loudly
            logger.warning("Cluster heartbeat failed: %s", exc)

    def requeue_dead(self) -> int:
        """Dead workers' in-flight requests back to the queue. The only caller of frontier.requeue_dead,
        so that every move, whichever path noticed the death first, is in the log and the stats."""
        moved = frontier.requeue_dead(self.client, self.keys)
        total = sum(moved.values())
        if total:
            workers = ", ".join(f"{worker}: {count}" for worker, count in sorted(moved.items()))
            logger.warning("Put %d request(s) of dead workers back in the queue (%s)", total, workers)
            if self.stats is not None:
                self.stats.inc_value("ingest/frontier/requeued", total)
        return total

    def cluster_busy(self) -> bool:
        self.requeue_dead()
        if self.client.zcard(self.keys.requests) or others_in_flight(self.client, self.keys):
            return True
        return any(True for _ in self.client.scan_iter(match=self.keys.busy("*"), count=100))

    def spider_idle(self) -> None:
        # Idle: everything this worker popped is done (a redirected request's original never reaches
        # the scraper, so its entry is cleared here).
        self.client.delete(self.keys.busy(self.worker), self.keys.inflight(self.worker))
        if not self.cluster_busy():
            self.client.delete(self.keys.seeded)  # the run is over: the next one seeds again
            return
        engine = self.crawler.engine if self.crawler is not None else None
        slot = getattr(engine, "_slot", None)  # Scrapy's engine would look again only in 5 s
        if slot is not None:
            slot.nextcall.schedule(POLL_SECONDS)
        raise DontCloseSpider("the cluster still has work")

    def spider_closed(self, reason: str) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        self.client.delete(self.keys.busy(self.worker), self.keys.alive(self.worker))
        if reason == "finished":  # else (a shutdown, an error) what it held goes back to the queue
            self.client.delete(self.keys.inflight(self.worker))
