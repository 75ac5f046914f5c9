"""Cluster mode (INGEST_REDIS_URL): the Redis keys, state and stream codec that workers and the one
archive writer share. Knows Redis, never SQLite; the archive stays the only writer of articles."""
