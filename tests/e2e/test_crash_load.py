"""Crash safety under load: a crawl killed with SIGKILL at random moments and restarted after each kill
ends with the same archive as an uninterrupted crawl, while a reader exports and queries throughout.

The moments are drawn from a seeded generator (INGEST_CRASH_SEED to replay another sequence): some a
random time after start (start-up, migrations, listings, first batches), most once a random share of
the articles is stored, plus up to 0.2 s, so kills land inside write transactions and between them.
Figures (seed 20240611, 2 cores): 5 kills on 300 pages ~30 s; 20 kills on 2,000 pages ~150 s (slow).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.archive.migrations import MIGRATIONS
from tests.conftest import ROOT, write_seeds
from tests.conftest import db_tuples as query
from tests.mockserver import MockServer
from tests.sitegen import generate_site

SEED = int(os.environ.get("INGEST_CRASH_SEED", "20240611"))
ORPHANS = """SELECT count(*) FROM articles a WHERE NOT EXISTS
    (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id AND r.revision = a.revision)"""
# An article whose captions differ from its latest revision's: written half, or read half-written.
CAPTIONS_MISMATCH = """SELECT count(*) FROM articles a JOIN article_revisions r
    ON r.article_id = a.id AND r.revision = a.revision
    WHERE json_array_length(r.captions) != (SELECT count(*) FROM captions c WHERE c.article_id = a.id)"""


def migrated(db: Path) -> bool:
    """Whether the crawler has created the schema (a reader must not race it to the migrations)."""
    if not db.exists():
        return False
    connection = sqlite3.connect(db, timeout=30)
    try:
        return not MIGRATIONS.pending(Database(connection))
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


def stored_count(db: Path) -> int:
    try:
        return int(query(db, "SELECT count(*) FROM articles")[0][0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What an archive consumer sees: articles, captions, revisions and story links (not run bookkeeping)."""
    columns = {row[1] for row in query(db, "PRAGMA table_info(articles)")}
    story = ", story_id, duplicate_of" if "story_id" in columns else ""
    return {
        "articles": query(db, f"SELECT id, url, title, body, content_hash, revision{story} FROM articles ORDER BY id"),
        "captions": query(db, "SELECT article_id, position, text, credit FROM captions ORDER BY 1, 2"),
        "revisions": query(db, "SELECT article_id, revision, content_hash FROM article_revisions ORDER BY 1, 2"),
    }


def crawl_command(seeds: Path, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}",
        "-s", f"INGEST_DB_PATH={db}", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true",
    ]  # fmt: skip


def spawn(seeds: Path, db: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(crawl_command(seeds, db), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Reader:
    """Queries the archive with sqlite3 and exports it with `scrapy export --since`, until stopped."""

    db: Path
    work: Path
    export_every: float
    cursor: int = 0
    exported: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    snapshots: int = 0
    exports: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._query_loop), threading.Thread(target=self._export_loop)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
        self.export()

    def _query_loop(self) -> None:
        while not self._stop.wait(0.05):
            if not migrated(self.db):
                continue
            connection = sqlite3.connect(self.db, timeout=30)
            try:
                connection.execute("BEGIN")  # one snapshot for both questions
                orphans = connection.execute(ORPHANS).fetchone()[0]
                mismatched = connection.execute(CAPTIONS_MISMATCH).fetchone()[0]
                connection.execute("COMMIT")
                if orphans or mismatched:
                    self.problems.append(
                        f"snapshot {self.snapshots}: {orphans} orphans, {mismatched} caption mismatches"
                    )
                self.snapshots += 1
            except sqlite3.Error as exc:
                self.problems.append(f"sqlite3 reader: {exc}")
            finally:
                connection.close()

    def _export_loop(self) -> None:
        while not self._stop.wait(self.export_every):
            if migrated(self.db):
                self.export()

    def export(self) -> None:
        out = self.work / f"export-{self.exports}.jsonl"
        command = [sys.executable, "-m", "scrapy", "export", "--since", str(self.cursor), "-o", str(out)]
        result = subprocess.run(
            [*command, "-s", f"INGEST_DB_PATH={self.db}"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        self.exports += 1
        if result.returncode != 0 or "next cursor:" not in result.stderr:
            self.problems.append(f"export failed ({result.returncode}): {result.stderr[-500:]}")
            return
        for line in out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if not record["captions"] or not record["body"]:
                self.problems.append(f"export: seq {record['seq']} without captions or body")
            self.exported.append(int(record["seq"]))
        self.cursor = int(result.stderr.rsplit("next cursor:", 1)[1].strip())


def kill_chain(seeds: Path, db: Path, logs: Path, *, kills: int, total: int, rng: random.Random) -> list[str]:
    """Start, kill at a random moment, restart, ... `kills` times; then one run to the end."""
    moments: list[str] = []
    # Up to 85% stored, so the run is still going when its kill comes (it stores in batches of 25).
    shares = sorted(rng.uniform(0.0, 0.85) for _ in range(kills))
    for number, share in enumerate(shares):
        process = spawn(seeds, db, logs / f"run-{number}.log")
        if rng.random() < 0.2:
            delay = rng.uniform(0.2, 1.5)  # start-up: imports, migrations, the lock, the first listings
            deadline = time.monotonic() + delay
            moment = f"{delay:.2f} s after start"
            while time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.01)
        else:
            target = int(share * total)
            moment = f"{target} of {total} articles stored"
            deadline = time.monotonic() + 120
            while stored_count(db) < target and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.2))
        assert process.poll() is None, f"run {number} ended before its kill ({moment})"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        moments.append(f"{moment}: {stored_count(db)} stored")
        if db.exists():
            assert query(db, "PRAGMA integrity_check") == [("ok",)], f"after kill {number} ({moment})"
    final = spawn(seeds, db, logs / "run-final.log")
    assert final.wait(timeout=600) == 0, (logs / "run-final.log").read_text()[-3000:]
    return moments


def crash_under_load(tmp_path: Path, *, pages: int, kills: int, export_every: float) -> None:
    root = tmp_path / "site"
    template = generate_site(root, pages)
    reference, db = tmp_path / "reference.db", tmp_path / "news.db"
    logs = tmp_path / "logs"
    logs.mkdir()
    rng = random.Random(SEED)
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        with (logs / "reference.log").open("wb") as out:
            assert subprocess.run(crawl_command(seeds, reference), cwd=ROOT, stdout=out, stderr=out).returncode == 0
        total = stored_count(reference)
        assert total == pages
        reader = Reader(db, tmp_path, export_every)
        reader.start()
        try:
            moments = kill_chain(seeds, db, logs, kills=kills, total=total, rng=rng)
        finally:
            reader.stop()
    print(f"seed {SEED}; kills at: " + "; ".join(moments))
    print(f"reader: {reader.snapshots} snapshots, {reader.exports} exports, {len(reader.exported)} changes exported")

    # Nothing lost, nothing duplicated, nothing half-written.
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert snapshot(db) == snapshot(reference)
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(total, total)]
    # The export cursor: one revision per article (the content never changed), seq strictly
    # increasing, and the exports taken during the kills concatenate to exactly all of them.
    seqs = [row[0] for row in query(db, "SELECT seq FROM article_revisions ORDER BY seq")]
    assert len(seqs) == total and query(db, "SELECT count(DISTINCT article_id) FROM article_revisions") == [(total,)]
    assert reader.exported == seqs
    # The near-duplicate index, when the duplicates pipeline is on: one signature per article, same story.
    if query(db, "SELECT count(*) FROM story_signatures")[0][0]:
        linked = (
            "SELECT count(*) FROM articles a JOIN story_signatures s ON s.article_id = a.id AND s.story_id = a.story_id"
        )
        assert query(db, linked) == [(total,)]
        assert query(db, "SELECT count(*) FROM story_signatures") == [(total,)]
    # The reader never saw a half-written article and never failed, nor made the crawler fail.
    assert reader.problems == []
    assert reader.snapshots > 0 and reader.exports >= 2
    for log in logs.iterdir():
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "database is locked" not in text, log.name
        assert "Traceback" not in text, log.name
    runs = [row[0] for row in query(db, "SELECT finish_reason FROM crawl_runs ORDER BY id")]
    assert runs[-1] == "finished" and set(runs[:-1]) <= {"interrupted"} and 1 <= len(runs) <= kills + 1
    killed_moments = [m for m in moments if re.match(r"\d+ of", m)]
    assert killed_moments, "no kill landed while articles were being stored"


def test_killed_five_times_under_load_loses_nothing(tmp_path: Path) -> None:
    crash_under_load(tmp_path, pages=300, kills=5, export_every=1.0)


@pytest.mark.slow
def test_killed_twenty_times_under_load_loses_nothing(tmp_path: Path) -> None:
    crash_under_load(tmp_path, pages=2000, kills=20, export_every=2.0)
