"""The cluster's Redis keys. scrapy-redis's own layout (``<spider>:requests``, ``<spider>:dupefilter``,
``<spider>:items``) is kept, and ours sit beside it under the same spider-name prefix: one cluster per
Redis database."""

from __future__ import annotations

from dataclasses import dataclass

ALIVE_SECONDS = 15  # default INGEST_REDIS_ALIVE_SECONDS: a worker not heard from for this long is dead


@dataclass(frozen=True)
class ClusterKeys:
    spider: str = "news"

    @property
    def requests(self) -> str:
        return f"{self.spider}:requests"  # scrapy-redis SCHEDULER_QUEUE_KEY

    @property
    def dupefilter(self) -> str:
        return f"{self.spider}:dupefilter"  # scrapy-redis SCHEDULER_DUPEFILTER_KEY

    @property
    def items(self) -> str:
        return f"{self.spider}:items"  # scrapy-redis PIPELINE_KEY, here a Stream

    @property
    def writers(self) -> str:
        return f"{self.spider}:writers"  # the stream's consumer group

    @property
    def seeded(self) -> str:
        return f"{self.spider}:seeded"  # the run's seeding lock: held by the worker that seeded it

    @property
    def listings(self) -> str:
        return f"{self.spider}:listings"  # hash url -> ListingState JSON

    @property
    def urls(self) -> str:
        return f"{self.spider}:urls"  # hash url_key -> UrlState JSON

    @property
    def stored(self) -> str:
        return f"{self.spider}:stored"  # hash article_id -> url, source, published_at, born, fetched (JSON)

    @property
    def young(self) -> str:
        return f"{self.spider}:young"  # sorted set article_id by born: what refresh re-checks choose from

    @property
    def backoff(self) -> str:
        return f"{self.spider}:backoff"  # hash host -> bot-wall / Retry-After backoff (JSON)

    @property
    def pages(self) -> str:
        return f"{self.spider}:pages"  # set: this run's requested home, section and next pages

    @property
    def dirty(self) -> str:
        return f"{self.spider}:dirty"  # this run's listings with an article that did not settle

    def recent(self, source: str) -> str:
        return f"{self.spider}:recent:{source}"  # list: the source's latest stored article URLs, newest first

    def busy(self, worker: str) -> str:
        return f"{self.spider}:busy:{worker}"  # set while the worker holds work in flight

    def inflight(self, worker: str) -> str:
        return f"{self.spider}:inflight:{worker}"  # hash: the requests the worker popped and has not finished

    def alive(self, worker: str) -> str:
        return f"{self.spider}:alive:{worker}"

    def host_next(self, host: str) -> str:
        return f"{self.spider}:host:next:{host}"  # when the host's next download may start (ms)

    def host_leases(self, host: str) -> str:
        return f"{self.spider}:host:leases:{host}"  # sorted set: the host's downloads under way
