"""The shared frontier: scrapy-redis's scheduler and duplicate filter, with one addition.

scrapy-redis 0.9.1 works with Scrapy 2.19 as a scheduler (it serialises requests with
``Request.to_dict``, which our spider-method callbacks survive); only its ``RedisSpider`` does not
(no ``async def start()``), and our spider keeps its own. Its priority queue is a sorted set scored
``-priority``, so listings (higher priority) are popped before articles by every worker.

The addition: a pop also marks this worker busy, in the same MULTI, so no other worker can see an
empty queue and an idle cluster while a request is between the queue and this worker's engine
(crawler.middlewares.cluster ends workers on exactly that condition).
"""

from __future__ import annotations

from typing import Any

from scrapy.core.scheduler import BaseScheduler
from scrapy.core.scheduler import Scheduler as MemoryScheduler
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.cluster.connection import connect, worker_id
from crawler.cluster.keys import ALIVE_SECONDS, ClusterKeys


class BusyMarkingQueue(PriorityQueue):
    def pop(self, timeout: int = 0) -> Any:
        pipe = self.server.pipeline()
        pipe.multi()
        pipe.zrange(self.key, 0, 0).zremrangebyrank(self.key, 0, 0)
        pipe.set(ClusterKeys(self.spider.name).busy(worker_id()), 1, ex=ALIVE_SECONDS)
        results, _, _ = pipe.execute()
        if results:
            return self._decode_request(results[0])
        return None


class ClusterScheduler(BaseScheduler):
    """SCHEDULER: Scrapy's own without INGEST_REDIS_URL, scrapy-redis's over Redis with it.

    A factory: from_crawler returns one of the two, so the methods below are never called; they
    exist because the engine checks the class against the scheduler interface.
    """

    def has_pending_requests(self) -> bool:  # pragma: no cover - see the class docstring
        raise NotImplementedError

    def enqueue_request(self, request: Any) -> bool:  # pragma: no cover
        raise NotImplementedError

    def next_request(self) -> Any:  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:  # type: ignore[override]
        url = crawler.settings.get("INGEST_REDIS_URL")
        if not url:
            return MemoryScheduler.from_crawler(crawler)
        keys = ClusterKeys(crawler.spidercls.name)
        server = connect(url)
        scheduler = RedisScheduler(
            server,
            persist=True,  # the run's queue and filter are the cluster's, cleared when the cluster ends
            queue_key=keys.requests,
            queue_cls="crawler.cluster.frontier.BusyMarkingQueue",
            # Built here: its from_spider would read REDIS_URL, not ours.
            dupefilter=RFPDupeFilter(server, key=keys.dupefilter),
            idle_before_close=0,
        )
        scheduler.stats = crawler.stats
        return scheduler
