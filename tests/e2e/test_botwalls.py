"""Bot walls and Retry-After end to end: nothing extracted, counted as blocked, backed off per host."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import db_tuples, run_crawl, write_seeds
from tests.e2e.test_sources import sources
from tests.mockserver import MockServer
from tests.sitegen import generate_site

WALLS = Path(__file__).resolve().parent.parent / "fixtures" / "botwalls"


def last_stats(db: Path) -> dict[str, int]:
    return json.loads(db_tuples(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0])


def wall(path: Path, page: str, sidecar: dict[str, object]) -> None:
    shutil.copy(WALLS / page, path)
    path.with_name(path.name + ".headers.json").write_text(json.dumps(sidecar), encoding="utf-8")


def test_a_source_whose_feed_is_a_datadome_wall_is_blocked_and_backed_off(tmp_path: Path) -> None:
    good_root, walled_root = tmp_path / "good", tmp_path / "walled"
    template = generate_site(good_root, 3)
    generate_site(walled_root, 3)
    wall(walled_root / "feeds" / "feed-0.rss", "datadome_403.html", {"status": 403, "headers": {"X-DataDome": "protected"}})
    db = tmp_path / "news.db"
    with MockServer(root=good_root) as good, MockServer(root=walled_root) as walled:
        seeds = write_seeds(tmp_path / "seeds.toml", good, template)
        with seeds.open("a", encoding="utf-8") as out:
            out.write(f'\n[[source]]\nname = "walled"\nfeeds = ["{walled.url}/feeds/feed-0.rss"]\n')
            out.write(f'\n[[source]]\nname = "gone"\nfeeds = ["{good.url}/gone/feed.rss"]\n')
        first = run_crawl(seeds, db)
        assert first.returncode == 3, first.log
        assert f"Bot wall at {walled.url}/feeds/feed-0.rss: DataDome, block page, HTTP 403" in first.log
        assert last_stats(db)["ingest/source/walled/feed_blocked"] == 1
        second = run_crawl(seeds, db)
        feed_requests = [p for _, p in walled.requests() if p.startswith("/feeds/")]
    assert second.returncode == 3, second.log
    assert feed_requests == ["/feeds/feed-0.rss"]  # the second run did not ask: the host is backed off
    assert "backed off until" in second.log
    assert last_stats(db)["ingest/source/walled/feed_blocked"] == 1
    assert db_tuples(db, "SELECT source, count(*) FROM articles GROUP BY source") == [("gazette", 3)]
    listed = sources(db, "--format", "json")
    assert listed.returncode == 1
    states = {row["source"]: row["state"] for row in json.loads(listed.stdout)}
    assert states == {"gazette": "ok", "walled": "blocked", "gone": "quiet"}


def test_articles_behind_a_cloudflare_interstitial_are_not_stored_and_retried_later(tmp_path: Path) -> None:
    root = tmp_path / "site"
    template = generate_site(root, 3)
    pages = sorted(p for p in root.rglob("*.html"))
    for page in pages:
        wall(page, "cloudflare_interstitial.html", {"status": 503, "headers": {"Server": "cloudflare"}})
    db = tmp_path / "news.db"
    no_wait = ("-s", "INGEST_BOTWALL_BACKOFF_HOURS=0")
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        first = run_crawl(seeds, db, *no_wait)
        stats = last_stats(db)
        assert stats["ingest/spider/article_blocked"] == 3, first.log
        assert "ingest/spider/articles_unextractable" not in stats
        assert "Cloudflare" in first.log and '"Just a moment…" interstitial' in first.log
        assert db_tuples(db, "SELECT count(*) FROM articles") == [(0,)]
        assert len([p for _, p in server.requests() if p.endswith(".html")]) == 3  # a wall is not retried at once
        generate_site(root, 3)  # the wall is gone
        for page in pages:
            page.with_name(page.name + ".headers.json").unlink()
        second = run_crawl(seeds, db, *no_wait)
    assert second.returncode == 0, second.log
    assert db_tuples(db, "SELECT count(*) FROM articles") == [(3,)]


def test_retry_after_is_honoured_per_host(tmp_path: Path) -> None:
    root = tmp_path / "site"
    template = generate_site(root, 2)
    sidecar = root / "feeds" / "feed-0.rss.headers.json"
    sidecar.write_text(json.dumps({"status": 429, "headers": {"Retry-After": "1"}}), encoding="utf-8")
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        run_crawl(seeds, db)
        stats = last_stats(db)
        assert stats["ingest/botwalls/retry_after_waits"] == 2  # both retries waited their second
        assert stats["ingest/source/gazette/feed_errors"] == 1
        # A wait longer than INGEST_RETRY_AFTER_MAX_SECONDS: the host waits for a later run instead.
        sidecar.write_text(json.dumps({"status": 503, "headers": {"Retry-After": "3600"}}), encoding="utf-8")
        run_crawl(seeds, db)
        before = len(server.requests())
        third = run_crawl(seeds, db)
        asked = [p for _, p in server.requests()[before:]]
    assert asked == ["/robots.txt"], third.log
    assert "Retry-After: 3600 s" in third.log
