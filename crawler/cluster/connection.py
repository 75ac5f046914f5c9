"""One Redis client per process, checked at once: an unreachable server is an operator's error."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
from typing import Any

import redis

# A worker that loses Redis mid-crawl stops at once, as if killed (README: exit statuses).
EXIT_LOST_REDIS = 5

logger = logging.getLogger(__name__)


class ClusterUnavailable(Exception):
    """INGEST_REDIS_URL names a server that does not answer; raised before any work starts."""


class WorkerRedis(redis.Redis):
    """A worker's client: Redis lost for good (redis-py's retries spent) ends the process at once.

    A worker that lost Redis mid-request cannot tell the cluster what it finished, so it stops as if
    killed: its in-flight requests stay in Redis and a live worker puts them back in the queue, which
    is exactly the path a SIGKILL takes. Half-finishing a request would be worse: an item not handed
    over for a request marked done is an article lost.
    """

    url = ""
    armed = False  # off while connect() checks the server: an unreachable one is ClusterUnavailable

    def execute_command(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if not self.armed:
                raise
            message = f"Lost Redis at {self.url}: {exc}; stopping this worker (a re-run completes its work)"
            logger.critical(message)
            print(message, file=sys.stderr, flush=True)
            os._exit(EXIT_LOST_REDIS)


def connect(url: str, *, worker: bool = False) -> redis.Redis:
    try:
        kind = WorkerRedis if worker else redis.Redis
        client = kind.from_url(url, socket_connect_timeout=3, health_check_interval=30)
        client.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise ClusterUnavailable(f"Redis at {url} is unreachable: {exc}") from None
    if isinstance(client, WorkerRedis):
        client.url, client.armed = url, True
    return client


# Drawn once per process. Host name and pid alone come back when a container restarts in place (the
# same host name, the same pid in a fresh pid namespace): the restarted worker would then keep the
# dead one's alive key fresh, so its in-flight requests were never put back, and would clear them as
# its own when idle.
PROCESS_TOKEN = secrets.token_hex(4)


def worker_id() -> str:
    """This process's name in the cluster's keys, ``<host>:<pid>:<token>``: unique across machines,
    restarts and reused pids."""
    return f"{socket.gethostname()}:{os.getpid()}:{PROCESS_TOKEN}"
