"""Redis restarted mid-crawl (AOF on): the cluster survives it, or fails loudly and a re-run completes it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.cluster.cluster import run_cluster, start_worker, start_writer
from tests.cluster.redis_server import RedisServer
from tests.cluster.test_cluster_kills import WORKER_SETTINGS, assert_same_archive, has_written, single  # noqa: F401
from tests.conftest import db_rows as rows
from tests.conftest import write_seeds
from tests.mockserver import MockServer


def test_redis_restart_mid_crawl(single: Path, mock_site: MockServer, tmp_path: Path) -> None:  # noqa: F811
    seeds = write_seeds(tmp_path / "seeds.toml", mock_site)
    db = tmp_path / "cluster.db"
    logs = tmp_path / "logs"
    logs.mkdir()
    served_before = len(mock_site.requests())
    server = RedisServer(tmp_path / "redis", aof=True).start()
    try:
        processes = [start_worker(seeds, server.url, logs / f"worker{n}.log", *WORKER_SETTINGS) for n in range(3)]
        processes.append(start_writer(db, server.url, logs / "writer.log"))
        deadline = time.monotonic() + 120
        while not has_written(db):
            assert time.monotonic() < deadline, "nothing was written"
            time.sleep(0.05)
        server.stop()  # SIGTERM: Redis fsyncs its AOF and exits
        time.sleep(1.0)
        server.start()
        codes = []
        for process in processes:
            try:
                codes.append(process.wait(120))
            except subprocess.TimeoutExpired:  # a hang is neither surviving nor failing loudly
                process.kill()
                raise
        text = "\n".join(p.read_text(errors="replace") for p in sorted(logs.glob("*.log")))
        if any(codes):
            assert "ost Redis at " + server.url in text, text[-3000:]  # loudly: one line says what failed
        run_cluster(seeds, db, server.url, tmp_path / "logs-rerun")
        # Nothing robots.txt forbids was asked for or stored. The re-run's workers start with a queue
        # full of the first run's article requests, all waiting for the host's robots.txt at once:
        # that is where Scrapy's middleware let all but the first through (crawler/middlewares/robots.py).
        served = [path for _, path in mock_site.requests()[served_before:]]
        assert "/robots.txt" in served
        assert [path for path in served if path.startswith("/private/")] == []
        assert rows(db, "SELECT url FROM articles WHERE url LIKE '%/private/%'") == []
        # Nothing lost, nothing stored twice, the same bodies, stories and originals.
        assert_same_archive(single, db)
    finally:
        server.stop()
