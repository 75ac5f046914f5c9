"""Per-host politeness across workers: one Redis-side gate that every worker passes before a download.

Scrapy's DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN hold per process; N workers would hit a
host N times as hard. The gate holds them per host for the whole cluster, in one Lua step (Redis's
clock, so workers on machines whose clocks disagree still agree):

- ``<spider>:host:next:<host>``: the earliest moment (ms) the next download of the host may start.
  A download that starts sets it to now + delay; the key expires at that moment, so idle hosts leave
  nothing behind.
- ``<spider>:host:leases:<host>``: a sorted set of the downloads under way, each scored with the
  moment its lease runs out. A download that ends removes its lease; a killed worker's leases run out
  (DOWNLOAD_TIMEOUT plus a margin) and free the host.

A request the gate does not let through waits and asks again: it is delayed, never dropped.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from crawler.cluster.connection import worker_id
from crawler.cluster.keys import ClusterKeys

# Returns 0 (go: the lease is taken), a positive number of ms to wait for the host's delay, or -1:
# the host's limit of downloads under way is reached.
PASS = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local delay, limit, lease_ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= limit then return -1 end
end
if delay > 0 then
  local allowed = tonumber(redis.call('GET', KEYS[1]) or '0')
  if allowed > now then return allowed - now end
  redis.call('SET', KEYS[1], now + delay, 'PX', delay)
end
if limit > 0 then
  redis.call('ZADD', KEYS[2], now + lease_ms, ARGV[3])
  redis.call('PEXPIRE', KEYS[2], lease_ms)
end
return 0
"""

FULL_WAIT_SECONDS = 0.05  # a host at its limit of downloads under way is asked again this often


@dataclass(frozen=True)
class HostLimits:
    delay: float = 0.0  # seconds between the starts of two downloads of the host, cluster-wide
    concurrency: int = 0  # downloads of the host under way at once, cluster-wide; 0: no limit


class HostGate:
    def __init__(self, client: Any, keys: ClusterKeys, *, lease_seconds: float) -> None:
        self.client = client
        self.keys = keys
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self._serial = itertools.count()
        # Unique per gate, not per process: a worker has one per URL scheme, sharing the hosts' leases.
        self._prefix = f"{worker_id()}:{uuid.uuid4().hex[:8]}"

    def try_pass(self, host: str, limits: HostLimits) -> tuple[str | None, float]:
        """(lease, 0.0) when the download may start now (lease is None without a concurrency limit),
        else (None, seconds to wait before asking again)."""
        if limits.delay <= 0 and limits.concurrency <= 0:
            return None, 0.0
        lease = f"{self._prefix}:{next(self._serial)}"
        keys = (self.keys.host_next(host), self.keys.host_leases(host))
        args = (int(limits.delay * 1000), limits.concurrency, lease, self.lease_ms)
        answer = int(self.client.eval(PASS, 2, *keys, *args))
        if answer == 0:
            return (lease if limits.concurrency > 0 else None), 0.0
        return None, FULL_WAIT_SECONDS if answer < 0 else answer / 1000

    def release(self, host: str, lease: str | None) -> None:
        if lease is not None:
            self.client.zrem(self.keys.host_leases(host), lease)
