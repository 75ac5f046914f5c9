"""`scrapy sources` on a database built by real crawls of the mock site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_crawl, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site


def sources(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "sources", "-s", f"INGEST_DB_PATH={db}", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=env, check=False)


def test_a_good_source_and_one_whose_feed_404s(tmp_path: Path) -> None:
    template = generate_site(tmp_path / "site", 4)
    db = tmp_path / "news.db"
    with MockServer(root=tmp_path / "site") as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        with seeds.open("a", encoding="utf-8") as out:
            out.write(f'\n[[source]]\nname = "gone"\nfeeds = ["{server.url}/gone/feed.rss"]\n')
        for _ in range(2):  # the second run: the good feed answers 304, which still counts as reached
            assert run_crawl(seeds, db).returncode == 3

    listed = sources(db, "--format", "json", "-s", "INGEST_SOURCES_FAILING_RUNS=2")
    assert listed.returncode == 1, listed.stderr
    rows = {row["source"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"gazette", "gone"}
    good, gone = rows["gazette"], rows["gone"]
    assert (good["state"], good["consecutive_failed_runs"], good["new_per_day_7d"]) == ("ok", 0, round(4 / 7, 2))
    assert good["median_per_day"] == 4.0 and good["last_listing_at"] and good["last_new_article_at"]
    assert (gone["state"], gone["consecutive_failed_runs"], gone["last_listing_at"]) == ("failing", 2, None)
    assert gone["last_new_article_at"] is None

    # Three runs in a row make "failing" by default: after two, the 404 source is only quiet.
    relaxed = sources(db, "--format", "json")
    assert {r["source"]: r["state"] for r in json.loads(relaxed.stdout)} == {"gazette": "ok", "gone": "quiet"}
    assert relaxed.returncode == 0

    text = sources(db, "-s", "INGEST_SOURCES_FAILING_RUNS=2")
    lines = text.stdout.splitlines()
    assert lines[0].split("  ")[0] == "source"
    assert re.match(r"gazette\s+ok\s+\d+[smh]\s+\d+[smh]\s+0\.57\s+4\s+0$", lines[1]), text.stdout
    assert re.match(r"gone\s+failing\s+never\s+never\s+0\s+0\s+2$", lines[2]), text.stdout

    metrics = sources(db, "--format", "prometheus").stdout
    assert "# TYPE news_ingest_source_state gauge" in metrics
    assert 'news_ingest_source_state{source="gazette",state="ok"} 1' in metrics
    assert 'news_ingest_source_state{source="gone",state="quiet"} 1' in metrics
    assert 'news_ingest_source_consecutive_failed_runs{source="gone"} 2' in metrics
    assert 'news_ingest_source_last_listing_age_seconds{source="gone"} NaN' in metrics
    samples = [line for line in metrics.splitlines() if line and not line.startswith("#")]
    bad = [s for s in samples if not re.fullmatch(r'[a-z_0-9]+\{source="[a-z]+"(,state="[a-z]+")?\} (NaN|[0-9.e+-]+)', s)]
    assert bad == []
