"""`make demo`: serve the bundled demo news site on 127.0.0.1, crawl it, print what was stored.

Runs the real thing — `scrapy crawl news` in a subprocess — against `demo/site/`, served by the same
static server the end-to-end tests use (crawler.demo.server), and writes `demo-news.db` in the project
directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.archive import open_db
from crawler.demo.launcher import SiteServer

# The checkout: demo/site/ is project data, not package data, and `scrapy crawl` needs scrapy.cfg.
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "demo" / "site"
DB_PATH = Path("demo-news.db")


def main(extra: list[str] | None = None) -> int:
    """``extra``: more arguments for the crawl, e.g. ``-s INGEST_WARC_DIR=demo-warcs``."""
    for suffix in ("", "-wal", "-shm"):
        (ROOT / f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    with SiteServer(root=SITE) as server, tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "demo.toml"
        seeds.write_text((SITE / "seeds.toml").read_text(encoding="utf-8").replace("{{base}}", server.url))
        print(f"Demo site serving at {server.url}; crawling it with `scrapy crawl news` ...", flush=True)
        command = [
            sys.executable, "-m", "scrapy", "crawl", "news",
            "-a", f"seeds={seeds}",
            "-s", f"INGEST_DB_PATH={DB_PATH}",
            "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true",
            "-s", "LOG_LEVEL=WARNING",
            *(extra or []),
        ]  # fmt: skip
        result = subprocess.run(command, cwd=ROOT, check=False)
        if result.returncode != 0:
            print(f"crawl failed with exit status {result.returncode}", file=sys.stderr)
            return result.returncode
    print_summary(ROOT / DB_PATH)
    return 0


def print_summary(path: Path) -> None:
    db = open_db(path)
    rows = list(
        db.query(
            "SELECT a.id, a.source, a.title, a.language, a.published_at, a.authors, a.body,"
            " (SELECT count(*) FROM captions c WHERE c.article_id = a.id) AS captions"
            " FROM articles a ORDER BY a.source, a.published_at"
        )
    )
    print(f"\nStored {len(rows)} articles in {path}:\n")
    for row in rows:
        authors = ", ".join(json.loads(row["authors"] or "[]")) or "-"
        blocks = row["body"].count("\n\n") + 1 if row["body"] else 0
        print(f"[{row['source']}] {row['title']}")
        print(
            f"    {row['language'] or '?'} · published {row['published_at'] or '?'} · by {authors}"
            f" · {blocks} blocks · {row['captions']} captions"
        )
        first = (row["body"] or "").split("\n\n")[0]
        print(f"    {first[:150]}{'…' if len(first) > 150 else ''}")
    run = next(db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"), None)
    if run:
        print(
            f"\nRun #{run['id']}: {run['finish_reason']}, {run['articles_stored']} stored, "
            f"{run['articles_dropped']} dropped, {run['errors']} errors."
        )
    print(f"Explore it: .venv/bin/sqlite-utils tables {path} --counts")
    print(f"            .venv/bin/sqlite-utils search {path} articles WORD")
    db.close()
