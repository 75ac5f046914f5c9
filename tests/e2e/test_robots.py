"""robots.txt that fails defers the host (RFC 9309), and a later run catches up."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import db_tuples, run_crawl, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site


def count(db: Path, sql: str) -> int:
    return int(db_tuples(db, sql)[0][0])


def test_failing_robots_txt_defers_the_host_until_it_answers(tmp_path: Path) -> None:
    root = tmp_path / "site"
    template = generate_site(root, 5)
    sidecar = root / "robots.txt.headers.json"
    sidecar.write_text('{"status": 503}')
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        result = run_crawl(seeds, db)
        # The only source's only host is deferred: nothing was reached, and the exit status says so.
        assert result.returncode == 4, result.log[-2000:]
        assert "Traceback" not in result.log
        assert f"robots.txt {server.url}/robots.txt unavailable (HTTP 503): host deferred" in result.log
        assert not [p for _, p in server.requests() if not p.startswith("/robots.txt")]
        stats = json.loads(db_tuples(db, "SELECT stats FROM crawl_runs ORDER BY id DESC")[0][0])
        assert stats["ingest/robots/hosts_deferred"] == 1
        assert stats["ingest/robots/deferred_requests"] >= 1
        assert count(db, "SELECT count(*) FROM articles") == 0

        sidecar.unlink()  # robots.txt answers 404 now: no rules, everything allowed
        result = run_crawl(seeds, db)
        assert result.returncode == 0, result.log[-2000:]
        assert count(db, "SELECT count(*) FROM articles") == 5
