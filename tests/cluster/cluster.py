"""Run a cluster from a test: workers are the real `scrapy crawl news`, the writer `scrapy archive-writer`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start_worker(seeds: Path, redis_url: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}"]
    command += ["-s", f"INGEST_REDIS_URL={redis_url}", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true", *args]
    return subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=log.open("wb"), stderr=subprocess.STDOUT)


def start_writer(db: Path, redis_url: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scrapy", "archive-writer", "--until-drained"]
    command += ["-s", f"INGEST_REDIS_URL={redis_url}", "-s", f"INGEST_DB_PATH={db}", *args]
    return subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=log.open("wb"), stderr=subprocess.STDOUT)


def run_cluster(
    seeds: Path, db: Path, redis_url: str, logs: Path, *args: str, workers: int = 3, timeout: float = 240
) -> None:
    """Three workers (``args`` added to their command) and one writer, to the end; fails with the
    logs of any process that failed."""
    logs.mkdir(parents=True, exist_ok=True)
    processes = [start_worker(seeds, redis_url, logs / f"worker{n}.log", *args) for n in range(workers)]
    processes.append(start_writer(db, redis_url, logs / "writer.log"))
    for process in processes:
        process.wait(timeout)
    failed = [(n, p.returncode) for n, p in enumerate(processes) if p.returncode != 0]
    if failed:
        text = "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(logs.glob("*.log")))
        raise AssertionError(f"cluster processes failed: {failed}\n{text}")
