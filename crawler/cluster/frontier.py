"""The shared frontier: scrapy-redis's scheduler and duplicate filter, with one addition.

scrapy-redis 0.9.1 works with Scrapy 2.19 as a scheduler (it serialises requests with
``Request.to_dict``, which our spider-method callbacks survive); only its ``RedisSpider`` does not
(no ``async def start()``), and our spider keeps its own. Its priority queue is a sorted set scored
``-priority``, so listings (higher priority) are popped before articles by every worker.

The additions: a pop also marks this worker busy and copies the request into the worker's in-flight
hash, in the same MULTI, so no other worker can see an empty queue and an idle cluster while a
request is between the queue and this worker's engine (crawler.middlewares.cluster ends workers on
exactly that condition), and the requests of a worker that dies go back to the queue
(``requeue_dead``). scrapy-redis loses them (its pop is a plain ZRANGE + ZREMRANGEBYRANK). Drop this
module for scrapy-redis's own classes if it ever learns both.
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

ENTRY = "ingest_cluster_entry"  # request.meta: the request's field in its worker's in-flight hash

# Pop the best request, mark the worker busy, keep the request (with its score) in-flight: one step.
POP = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('SET', KEYS[2], 1, 'EX', ARGV[1])
if #popped == 0 then return nil end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local field = redis.sha1hex(popped[1])
redis.call('HSET', KEYS[3], field, popped[2] .. '|' .. popped[1])
return {field, popped[1]}
"""

# A dead worker's in-flight requests back to the queue, unless it is alive after all.
REQUEUE = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local entries = redis.call('HVALS', KEYS[1])
for _, value in ipairs(entries) do
  local bar = string.find(value, '|', 1, true)
  redis.call('ZADD', KEYS[2], string.sub(value, 1, bar - 1), string.sub(value, bar + 1))
end
redis.call('DEL', KEYS[1])
return #entries
"""


class BusyMarkingQueue(PriorityQueue):
    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        # Built by scrapy-redis's scheduler, not from_crawler: the setting is read here, once. The
        # busy mark a pop sets must lapse as soon as the middleware's own marks do, or a killed
        # worker holds the cluster's end up for the default's 15 s whatever the setting says.
        crawler = getattr(spider, "crawler", None)
        self.alive_seconds = crawler.settings.getint("INGEST_REDIS_ALIVE_SECONDS") if crawler else ALIVE_SECONDS
        self.keys = ClusterKeys(spider.name)
        self.worker = worker_id()

    def pop(self, timeout: int = 0) -> Any:
        keys, worker = self.keys, self.worker
        popped = self.server.eval(POP, 3, self.key, keys.busy(worker), keys.inflight(worker), self.alive_seconds)
        if not popped:
            return None
        field, data = popped
        request = self._decode_request(data)
        request.meta[ENTRY] = field.decode() if isinstance(field, bytes) else field
        return request


def finished(client: Any, keys: ClusterKeys, request: Any) -> None:
    """The request's response (or failure) went through the spider and its items through the pipelines."""
    field = request.meta.get(ENTRY)
    if field:
        client.hdel(keys.inflight(worker_id()), field)


def requeue_dead(client: Any, keys: ClusterKeys) -> dict[str, int]:
    """Put the in-flight requests of workers no longer alive back in the queue: how many, per dead
    worker. Each worker's move is one atomic step, so of two workers looking at once one moves them.

    Callers must record what this returns (crawler.middlewares.cluster does, in one place)."""
    moved: dict[str, int] = {}
    prefix = keys.inflight("")
    for key in list(client.scan_iter(match=keys.inflight("*"), count=100)):
        worker = key.decode()[len(prefix) :]
        count = int(client.eval(REQUEUE, 3, key, keys.requests, keys.alive(worker)))
        if count:
            moved[worker] = count
    return moved


def others_in_flight(client: Any, keys: ClusterKeys) -> bool:
    mine = keys.inflight(worker_id())
    return any(key.decode() != mine for key in client.scan_iter(match=keys.inflight("*"), count=100))


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
        server = connect(url, worker=True)
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
