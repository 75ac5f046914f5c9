from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.mockserver import MockServer

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


@pytest.fixture(scope="module")
def mock_site() -> Iterator[MockServer]:
    """The multi-site mock news corpus in tests/sites/, served on 127.0.0.1 from a subprocess."""
    with MockServer(root=SITES) as server:
        yield server


@dataclass
class CrawlResult:
    returncode: int
    log: str


def write_seeds(path: Path, server: MockServer, template: Path = SITES / "seeds.toml") -> Path:
    path.write_text(template.read_text(encoding="utf-8").replace("{{base}}", server.url), encoding="utf-8")
    return path


def run_crawl(
    seeds: Path,
    db: Path,
    *args: str,
    timeout: float = 180,
    allow_private: bool = True,
    env: dict[str, str] | None = None,
) -> CrawlResult:
    """Run the real `scrapy crawl news` in a subprocess, from the repository root; ``env`` adds to
    the environment (``http_proxy``...)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}", "-s", f"INGEST_DB_PATH={db}"]
    if allow_private:
        command += ["-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true"]
    command += list(args)
    environment = {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=environment, check=False
    )
    return CrawlResult(result.returncode, result.stdout + result.stderr)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long variants (@pytest.mark.slow) run only with INGEST_LONG_TESTS=1, as `make test-long` sets;
    `make test` deselects them (they are not skipped: nothing is missing, they are just long)."""
    if os.environ.get("INGEST_LONG_TESTS"):
        return
    slow = [item for item in items if "slow" in item.keywords]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if "slow" not in item.keywords]


def db_rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Query a crawl's database from a test, as a consumer would (a connection of its own)."""
    connection = sqlite3.connect(db, timeout=30)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def db_tuples(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db, timeout=30)
    try:
        return list(connection.execute(sql, params))
    finally:
        connection.close()


def as_stored(article: Any) -> Any:
    """An extracted article after the crawl's content stages (clean, paragraphs, dates, required),
    as `scrapy extract` and the archive see it: fixed furniture patterns are the clean stage's."""
    from scrapy.utils.project import get_project_settings

    from crawler.processing import build_content_stages, run_content_stages

    return run_content_stages(article, build_content_stages(get_project_settings()))


def run_scrapy(*args: str, timeout: float = 300) -> CrawlResult:
    """Any `scrapy <command>` in a subprocess, from the repository root."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scrapy", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    return CrawlResult(result.returncode, result.stdout + result.stderr)
