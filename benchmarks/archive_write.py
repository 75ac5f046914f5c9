"""Archive write throughput: the new one-transaction writer against the old release's three pipelines.

    nice -n 5 .venv/bin/python -m benchmarks.archive_write [--articles N] [--old-commit bc8577a]   (default 2000)

Generates N synthetic articles (benchmarks/archive_synth.py: 10–20 paragraphs, a caption, a promo line
per source, ~10% near copies across 5 sources, ~30 KB raw HTML) and stores them into a fresh SQLite file:

* new: `Archive.write` in batches of 25 (boilerplate, story linking, article, revision, raw page and URL
  state in one BEGIN IMMEDIATE transaction per batch), in this process;
* old: the release at --old-commit, extracted with `git archive` into a temporary directory and run in a
  subprocess with PYTHONPATH set to it: BoilerplatePipeline → DuplicatesPipeline → StoragePipeline
  (batches of 25), each with its own connection, as that release's crawl ran them.

Both processes generate the same articles from the same seed and build them with their own Article class;
generation is not timed. Prints articles/s (wall and CPU) of each, new/old, and the size of each database.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BATCH = 25


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def db_contents(path: Path) -> tuple[int, ...]:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(
            "SELECT count(*), count(DISTINCT story_id), count(duplicate_of) FROM articles"
        ).fetchone()
        learned = connection.execute("SELECT count(*) FROM source_blocks WHERE is_boilerplate").fetchone()
        return (*row, *learned)
    finally:
        connection.close()


def run_new(db_path: Path, count: int) -> dict[str, float]:
    from benchmarks import archive_synth
    from crawler.archive import open_db
    from crawler.archive.writer import Archive, ArchiveConfig
    from crawler.items import Article, Block, Caption

    items = [archive_synth.build(Article, Block, Caption, data) for data in archive_synth.generate(count)]
    archive = Archive(open_db(str(db_path)), ArchiveConfig())
    archive.db.table("sources").insert_all([{"name": name} for name in archive_synth.SOURCES], ignore=True)
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(items), BATCH):
        archive.write(items[start : start + BATCH])
    archive.close()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def run_old(db_path: Path, count: int) -> dict[str, float]:
    """In the old release's process: its crawler and pipelines packages are first on sys.path."""
    synth: Any = importlib.import_module("archive_synth")  # copied next to this script
    items_module = importlib.import_module("crawler.items")
    archive_module = importlib.import_module("crawler.archive")
    boilerplate = importlib.import_module("pipelines.boilerplate")
    duplicates = importlib.import_module("pipelines.duplicates")
    storage = importlib.import_module("pipelines.storage")

    items = [
        synth.build(items_module.Article, items_module.Block, items_module.Caption, data)
        for data in synth.generate(count)
    ]
    db = archive_module.open_db(str(db_path))  # migrate once, before the pipelines open their connections
    db.table("sources").insert_all([{"name": name} for name in synth.SOURCES], ignore=True)
    db.close()
    pipelines = [
        boilerplate.BoilerplatePipeline(str(db_path)),
        duplicates.DuplicatesPipeline(str(db_path)),
        storage.StoragePipeline(str(db_path), batch_size=BATCH),
    ]
    wall, cpu = time.perf_counter(), time.process_time()
    for pipeline in pipelines:
        pipeline.open_spider()
    for item in items:
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    for pipeline in pipelines:
        pipeline.close_spider()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def old_release(commit: str, work: Path, db_path: Path, count: int) -> dict[str, float]:
    tree = work / "old"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit, "crawler", "pipelines"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    # Run as a script from a directory holding only this script and the generator (benchmarks/ itself
    # would shadow packages such as `incremental`), with the old tree next on sys.path, not the worktree.
    runner = work / "runner"
    runner.mkdir()
    here = Path(__file__).resolve().parent
    for name in ("archive_write.py", "archive_synth.py"):
        shutil.copy(here / name, runner / name)
    result = subprocess.run(
        [sys.executable, str(runner / "archive_write.py"), "--old-path", str(db_path), "--articles", str(count)],
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"old release failed ({result.returncode}):\n{result.stderr[-3000:]}")
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to store (default 2000)")
    parser.add_argument("--old-commit", default="bc8577a", help="the old release (default bc8577a)")
    parser.add_argument("--old-path", type=Path, help=argparse.SUPPRESS)  # the old release's own process
    args = parser.parse_args(argv)
    if args.old_path:
        print(json.dumps(run_old(args.old_path, args.articles)))
        return
    with tempfile.TemporaryDirectory(prefix="archive-write-") as tmp_name:
        work = Path(tmp_name)
        old = old_release(args.old_commit, work, work / "old.db", args.articles)
        new = run_new(work / "new.db", args.articles)
        sizes = {"old": db_bytes(work / "old.db"), "new": db_bytes(work / "new.db")}
        contents = {name: db_contents(work / f"{name}.db") for name in ("old", "new")}
    count = args.articles
    print(f"{count} articles, batches of {BATCH}")
    print(f"{'':<36}{'articles/s':>11}{'(CPU)':>9}{'wall s':>8}{'DB MB':>8}")
    for name, label in (("old", f"old: 3 pipelines ({args.old_commit})"), ("new", "new: Archive.write")):
        t = old if name == "old" else new
        rate, cpu_rate, megabytes = count / t["wall"], count / t["cpu"], sizes[name] / 1e6
        print(f"{label:<36}{rate:>11.1f}{cpu_rate:>9.1f}{t['wall']:>8.1f}{megabytes:>8.1f}")
    print(f"new / old: {old['wall'] / new['wall']:.2f}x (wall), {old['cpu'] / new['cpu']:.2f}x (CPU)")
    print(f"DB bytes: old {sizes['old']:,}, new {sizes['new']:,}")
    for name in ("old", "new"):
        articles, stories, copies, boilerplate = contents[name]
        print(
            f"{name}: {articles} articles in {stories} stories, {copies} linked as copies, "
            f"{boilerplate} learned boilerplate blocks"
        )


if __name__ == "__main__":
    main()
