"""Run an expensive crawl once per test session, even when pytest-xdist splits its tests across workers.

The first worker to get the lock runs the crawl and writes its result next to the session's other
temporary directories; the others wait on the lock and read that result (the pytest-xdist recipe for
session-wide fixtures).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT


@dataclass
class CrawlRun:
    returncode: int
    seconds: float
    peak_rss_kib: int  # of the crawl process alone (wait4's rusage)
    log_path: str


def launch_crawl(
    seeds: Path, db: Path, log_path: Path, *args: str, timeout: float = 180, allow_private: bool = True
) -> CrawlRun:
    """`scrapy crawl news` in a subprocess, as tests.conftest.run_crawl, and measure its peak memory."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}", "-s", f"INGEST_DB_PATH={db}"]
    if allow_private:
        command += ["-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen([*command, *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    return CrawlRun(process.returncode, time.monotonic() - started, usage.ru_maxrss, str(log_path))


def run_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, produce: Callable[[Path], dict[str, Any]]
) -> dict[str, Any]:
    """``produce(directory)`` once per session; its JSON-able result for every worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # not distributed: nothing to share
        return produce(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    result = shared / "result.json"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_text(json.dumps(produce(shared / "work")), encoding="utf-8")
        return dict(json.loads(result.read_text(encoding="utf-8")))


def as_dict(run: CrawlRun) -> dict[str, Any]:
    return asdict(run)
