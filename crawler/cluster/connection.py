"""One Redis client per process, checked at once: an unreachable server is an operator's error."""

from __future__ import annotations

import os
import socket

import redis


class ClusterUnavailable(Exception):
    """INGEST_REDIS_URL names a server that does not answer; raised before any work starts."""


def connect(url: str) -> redis.Redis:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, health_check_interval=30)
        client.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise ClusterUnavailable(f"Redis at {url} is unreachable: {exc}") from None
    return client


def worker_id() -> str:
    """This process's name in the cluster's keys: unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}"
