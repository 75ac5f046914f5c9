"""Scrapyd for real: start it on 127.0.0.1, deploy this project as an egg, schedule a crawl, read the DB."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, data: dict[str, Any] | list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = eggs\nlogs_dir = logs\n"
        "items_dir =\ndbs_dir = dbs\nmax_proc = 1\npoll_interval = 0.5\n"
    )
    process = subprocess.Popen([BIN / "scrapyd"], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(f"{url}/daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def deploy(scrapyd: str, tmp_path: Path) -> None:
    """Deploy a copy of the project whose [deploy] target is this Scrapyd, as a user would."""
    project = tmp_path / "project"
    for name in ("crawler", "pipelines"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project)
    (project / "scrapy.cfg").write_text(
        (ROOT / "scrapy.cfg").read_text().replace("http://127.0.0.1:6800/", scrapyd + "/"), encoding="utf-8"
    )
    deploy = subprocess.run(
        [BIN / "scrapyd-deploy"], cwd=project, capture_output=True, text=True, timeout=180, check=False
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert '"status": "ok"' in deploy.stdout
    assert "news" in call(f"{scrapyd}/listspiders.json?project=news_ingest")["spiders"]


def wait_for(scrapyd: str, jobid: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        jobs = call(f"{scrapyd}/listjobs.json?project=news_ingest")
        if any(j["id"] == jobid for j in jobs["finished"]):
            return
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)


def test_deploy_and_schedule_with_scrapyd(scrapyd: str, tmp_path: Path) -> None:
    deploy(scrapyd, tmp_path)
    root = tmp_path / "site"
    seeds_template = generate_site(root, 12)
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, seeds_template)
        job = call(
            f"{scrapyd}/schedule.json",
            [
                ("project", "news_ingest"),
                ("spider", "news"),
                ("seeds", str(seeds)),
                ("setting", f"INGEST_DB_PATH={db}"),
            ],
        )
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 120
        while True:
            jobs = call(f"{scrapyd}/listjobs.json?project=news_ingest")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
        assert connection.execute("SELECT finish_reason FROM crawl_runs").fetchall() == [("finished",)]
    finally:
        connection.close()


def test_the_job_log_says_why_a_crawl_failed(scrapyd: str, tmp_path: Path) -> None:
    deploy(scrapyd, tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "x"\nfeeds = "not a list"\n', encoding="utf-8")
    dead = tmp_path / "dead.toml"
    dead.write_text(f'[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:{free_port()}/feed.rss"]\n', "utf-8")
    logs = {}
    for name, seeds in (("bad", bad), ("dead", dead)):
        job = call(
            f"{scrapyd}/schedule.json",
            [
                ("project", "news_ingest"),
                ("spider", "news"),
                ("seeds", str(seeds)),
                ("setting", f"INGEST_DB_PATH={tmp_path / name}.db"),
                ("setting", "INGEST_ALLOW_PRIVATE_NETWORKS=true"),
            ],
        )
        assert job["status"] == "ok", job
        wait_for(scrapyd, job["jobid"])
        logs[name] = (tmp_path / "scrapyd" / "logs" / "news_ingest" / "news" / f"{job['jobid']}.log").read_text("utf-8")
    assert "ERROR: Cannot start the crawl:" in logs["bad"] and "bad.toml" in logs["bad"], logs["bad"]
    last = logs["dead"].strip().splitlines()[-1]
    assert last.endswith("No listing of any source could be fetched (gone): exit status 4"), logs["dead"]
