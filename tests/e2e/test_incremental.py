"""End to end: scheduled runs over the same database — incremental, revisions, locking, kills, export."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.archive.lock import DatabaseLock
from tests.conftest import ROOT, run_crawl, write_seeds
from tests.conftest import db_tuples as query
from tests.mockserver import MockServer
from tests.sitegen import generate_site, rewrite_article


def article_paths(server: MockServer, since: int = 0) -> list[str]:
    return [path for _, path in server.requests()[since:] if path.startswith("/news/")]


def snapshot(db: Path) -> dict[str, Any]:
    """What an archive consumer sees: articles, captions and revisions (not run bookkeeping)."""
    return {
        "articles": query(db, "SELECT id, url, title, body, content_hash, revision FROM articles ORDER BY id"),
        "captions": query(db, "SELECT article_id, position, text, credit FROM captions ORDER BY 1, 2"),
        "revisions": query(db, "SELECT article_id, revision, content_hash FROM article_revisions ORDER BY 1, 2"),
    }


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "site"
    return root, generate_site(root, 30)


def crawl(seeds_template: Path, server: MockServer, tmp: Path, db: Path, *args: str) -> None:
    seeds = write_seeds(tmp / "seeds.toml", server, seeds_template)
    result = run_crawl(seeds, db, *args)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log


def test_second_run_fetches_only_listings(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, db)
        first = len(server.requests())
        assert len(article_paths(server)) == 30
        crawl(seeds, server, tmp_path, db)
        second = server.log_entries()[first:]
    assert [e["path"] for e in second if e["path"].startswith("/news/")] == []
    feeds = [e for e in second if e["path"].startswith("/feeds/")]
    assert [e["status"] for e in feeds] == [304]
    assert feeds[0]["headers"].get("If-None-Match")
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0])
    assert stats["ingest/incremental/listings_not_modified"] == 1


def test_feed_ignoring_validators_with_same_bytes_counts_as_unchanged(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    (root / "feeds" / "feed-0.rss.headers.json").write_text('{"no_validators": true}')
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, db)
        first = len(server.requests())
        crawl(seeds, server, tmp_path, db)
        second = server.log_entries()[first:]
    assert [e["status"] for e in second if e["path"].startswith("/feeds/")] == [200]
    assert not [e for e in second if e["path"].startswith("/news/")]
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0])
    assert stats["ingest/incremental/listings_unchanged"] == 1


def test_changed_article_becomes_exactly_one_new_revision(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, db)
        before = snapshot(db)
        rewrite_article(root, 5, revision=1)
        # Past the refresh policy: every stored article is due for a re-check.
        crawl(
            seeds, server, tmp_path, db,
            "-s", "INGEST_REFRESH_MAX_AGE_HOURS=1000000", "-s", "INGEST_REFRESH_INTERVAL_HOURS=0",
        )  # fmt: skip
        assert len(article_paths(server)) == 60
    after = snapshot(db)
    assert len(after["revisions"]) == len(before["revisions"]) + 1
    changed = [a for a in after["articles"] if a not in before["articles"]]
    assert len(changed) == 1
    assert changed[0][1].endswith("/article-5.html")
    assert changed[0][5] == 2
    assert "Update 1: this article was corrected" in changed[0][3]
    revisions = query(
        db, "SELECT revision, body FROM article_revisions WHERE article_id = ? ORDER BY revision", (changed[0][0],)
    )
    assert [r[0] for r in revisions] == [1, 2]
    assert "Update 1" not in revisions[0][1] and "Update 1" in revisions[1][1]


def test_newer_entry_date_refetches_only_that_article(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    db = tmp_path / "news.db"
    feed = root / "feeds" / "feed-0.rss"
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, db)
        first = len(server.requests())
        text = feed.read_text()
        marker = "/news/000/article-7.html</link><pubDate>"
        start = text.index(marker) + len(marker)
        end = text.index("</pubDate>", start)
        feed.write_text(text[:start] + "Fri, 01 Dec 2023 10:00:00 GMT" + text[end:])
        crawl(seeds, server, tmp_path, db)
        assert article_paths(server, first) == ["/news/000/article-7.html"]


def test_overlapping_runs_are_refused(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    db = tmp_path / "news.db"
    with MockServer(root=root) as server, DatabaseLock(db):
        result = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert result.returncode != 0
        assert "another crawl" in result.log
        assert "Traceback" not in result.log
        assert server.requests() == []


def test_reextract_after_a_rule_change_rewrites_only_affected_articles(mock_site: MockServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    seeds = write_seeds(tmp_path / "seeds.toml", mock_site)
    assert run_crawl(seeds, db).returncode == 0
    before = snapshot(db)
    rules = tmp_path / "rules.toml"
    rules.write_text(
        (ROOT / "pipelines" / "junk_rules.toml").read_text(encoding="utf-8")
        + "\n[[rule]]\nname = \"kreml\"\npattern = 'Der Kreml bestätigte außerdem.*'\n",
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "reextract",
        "-s",
        f"INGEST_DB_PATH={db}",
        "-s",
        f"INGEST_CLEAN_RULES={rules}",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    after = snapshot(db)
    changed = {a[0] for a in after["articles"]} - {a[0] for a in before["articles"]} | {
        a[0] for a in after["articles"] if a not in before["articles"]
    }
    urls = sorted(a[1].split("/")[3] for a in after["articles"] if a[0] in changed)
    assert urls == ["original", "scraper"]  # the two copies of the seed article, and nothing else
    assert len(after["revisions"]) == len(before["revisions"]) + 2
    assert "2 changed (new revision)" in result.stderr


def export(db: Path, cursor: int, out: Path) -> int:
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "export",
        "--since",
        str(cursor),
        "-o",
        str(out),
        "-s",
        f"INGEST_DB_PATH={db}",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return int(result.stderr.rsplit("next cursor:", 1)[1].strip())


def test_exports_during_a_crawl_concatenate_to_every_change_in_order(tmp_path: Path) -> None:
    root = tmp_path / "site"
    seeds = generate_site(root, 300)
    db = tmp_path / "news.db"
    exported: list[dict[str, Any]] = []
    cursor = 0
    with MockServer(root=root) as server:
        command = [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={write_seeds(tmp_path / 'seeds.toml', server, seeds)}",
            "-s", f"INGEST_DB_PATH={db}", "-s", "INGEST_STORAGE_BATCH_SIZE=5",
        ]  # fmt: skip
        crawler = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rounds = 0
        while crawler.poll() is None or rounds == 0:
            if db.exists():
                out = tmp_path / f"export-{rounds}.jsonl"
                cursor = export(db, cursor, out)
                exported += [json.loads(line) for line in out.read_text().splitlines()]
                rounds += 1
            time.sleep(0.2)
        assert crawler.wait(timeout=120) == 0
    out = tmp_path / "export-last.jsonl"
    cursor = export(db, cursor, out)
    exported += [json.loads(line) for line in out.read_text().splitlines()]
    assert rounds >= 2
    seqs = [record["seq"] for record in exported]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    assert seqs == [row[0] for row in query(db, "SELECT seq FROM article_revisions ORDER BY seq")]
    assert len(seqs) == 300 and cursor == seqs[-1]
    assert {"seq", "article_id", "revision", "change", "url", "title", "body", "captions"} <= set(exported[0])


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        connection.close()


def test_killed_runs_end_with_the_same_rows_as_an_uninterrupted_crawl(tmp_path: Path) -> None:
    root = tmp_path / "site"
    seeds = generate_site(root, 200)
    reference_db = tmp_path / "reference.db"
    with MockServer(root=root) as server:
        seeds_file = write_seeds(tmp_path / "seeds.toml", server, seeds)
        assert run_crawl(seeds_file, reference_db).returncode == 0
        total = stored_count(reference_db)
        # Kill when this many more articles than before are stored: early, mid-storage, late.
        for moment, fraction in (("early", 0.02), ("mid", 0.4), ("late", 0.8)):
            db = tmp_path / f"{moment}.db"
            target = max(1, int(total * fraction))
            command = [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds_file}",
                "-s", f"INGEST_DB_PATH={db}", "-s", "INGEST_STORAGE_BATCH_SIZE=3",
            ]  # fmt: skip
            process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while stored_count(db) < target and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert process.poll() is None, f"the crawl ended before the {moment} kill"
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            assert query(db, "PRAGMA integrity_check") == [("ok",)]
            orphans = "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)"
            assert query(db, orphans) == [(0,)]
            result = run_crawl(seeds_file, db)
            assert result.returncode == 0, result.log[-2000:]
            assert query(db, "PRAGMA integrity_check") == [("ok",)]
            assert snapshot(db) == snapshot(reference_db), f"after a kill {moment} in the crawl"
            runs = query(db, "SELECT finish_reason FROM crawl_runs ORDER BY id")
            assert runs == [("interrupted",), ("finished",)]


def test_adaptive_polling_skips_a_listing_until_it_is_due(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    db = tmp_path / "news.db"
    polling = ("-s", "INGEST_ADAPTIVE_POLLING=true", "-s", "INGEST_POLL_MIN_MINUTES=30")
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, db, *polling)
        first = len(server.requests())
        crawl(seeds, server, tmp_path, db, *polling)
        assert [p for _, p in server.requests()[first:] if p.startswith("/feeds/")] == []
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0])
    assert stats["ingest/incremental/listings_not_due"] == 1
    [(interval, next_poll)] = query(db, "SELECT poll_interval, next_poll_at FROM listing_state")
    assert interval == 30 * 60 and next_poll


def test_raw_html_is_kept_unless_switched_off(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, seeds = site
    with MockServer(root=root) as server:
        crawl(seeds, server, tmp_path, tmp_path / "kept.db")
        crawl(seeds, server, tmp_path, tmp_path / "off.db", "-s", "INGEST_KEEP_RAW_HTML=false")
    assert query(tmp_path / "kept.db", "SELECT count(*) FROM raw_pages") == [(30,)]
    assert query(tmp_path / "off.db", "SELECT count(*) FROM raw_pages") == [(0,)]
    assert query(tmp_path / "off.db", "SELECT count(*) FROM article_revisions WHERE raw_html_id IS NULL") == [(30,)]
