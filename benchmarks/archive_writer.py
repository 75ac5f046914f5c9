"""The archive writer's own cost: Archive.write against a bare store of the same rows, in one run.

    nice -n 5 .venv/bin/python -m benchmarks.archive_writer [--articles N] [--against COMMIT]   (default 2000)

Generates N synthetic articles (benchmarks/archive_synth.py: 10-20 paragraphs, a caption, a promo line
per source, ~10% near copies across 5 sources, ~30 KB raw HTML) and, each into a fresh archive:

* writer: `Archive.write` in batches of 25 (INGEST_STORAGE_BATCH_SIZE, the crawl's pipeline) and of 100
  (INGEST_WRITER_BATCH_SIZE, `scrapy archive-writer`): boilerplate learning, story linking, article,
  captions, revision, raw page and URL state, one BEGIN IMMEDIATE transaction per batch;
* bare store (the baseline): the same rows, already encoded (JSON, raw pages already gzip-compressed),
  inserted by plain `executemany` into the same schema (its indexes and full-text triggers) in
  transactions of 25. It is what storing these articles costs SQLite itself: what the writer adds on top
  (boilerplate, linking, fingerprints, encoding, compression) is what this module measures;
* gzip: compressing the raw pages as the writer does (level 6), timed apart: part of the writer's figure;
* archive-writer: what `scrapy archive-writer` does per batch of INGEST_WRITER_BATCH_SIZE stream entries:
  decode them (the workers compressed the raw pages and sent their digest, so the writer stores them as
  they came) and write them; from entries of workers that prepare nothing (an earlier release) and from
  prepared entries (the workers computed block keys, url keys and fingerprints: crawler.dedup.prepared);
* prepare: what that costs each worker per article, timed apart (not part of the writer's figure).

`--against COMMIT` also runs that commit's Archive.write and its archive-writer loop on prepared entries
(its own encoding and decoding; extracted with `git archive` into a temporary directory, run in a
subprocess with PYTHONPATH set to it) on the same articles: before/after in one run, and whether the
two archive-writer loops stored the same (every table and row id, but the moments of the write).
Prints CPU ms per article and articles per CPU second of each, and writer/bare; issue 13 asks the writer
for >= 1,100 articles/s (<= ~0.8 CPU ms per article) in batches.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import settings as default_settings

ROOT = Path(__file__).resolve().parent.parent
PIPELINE_BATCH = 25
WRITER_BATCH = default_settings.INGEST_WRITER_BATCH_SIZE


def _synth() -> Any:
    try:
        from benchmarks import archive_synth
    except ImportError:  # run as a script from a copy (another commit's tree first on sys.path)
        import archive_synth  # type: ignore[no-redef]
    return archive_synth


def run_writer(
    db_path: Path, count: int, batch: int, *, stream: bool = False, prepared: bool = False
) -> dict[str, float]:
    """Archive.write of whichever crawler package is first on sys.path; CPU and wall seconds.
    ``stream``: the items are stream entries as cluster workers encode them (pages compressed there),
    and decoding them is timed with the writes, as `scrapy archive-writer` does both. ``prepared``:
    the workers prepared the entries too; the time they took is returned as "prepare"."""
    from crawler.archive import open_db
    from crawler.archive.writer import Archive, ArchiveConfig
    from crawler.items import Article, Block, Caption

    synth = _synth()
    items = [synth.build(Article, Block, Caption, data) for data in synth.generate(count)]
    archive = Archive(open_db(str(db_path)), ArchiveConfig())
    archive.db.table("sources").insert_all([{"name": name} for name in synth.SOURCES], ignore=True)
    preparing = 0.0
    if stream:
        from crawler.cluster.codec import decode_prepared, encode_article

        preparation = archive.preparation
        preparing = time.process_time()
        ready = [preparation.prepare(item) if prepared else None for item in items]
        preparing = time.process_time() - preparing
        entries = [encode_article(item, done) for item, done in zip(items, ready, strict=True)]
    # One moment for every write, so that two runs' archives differ only in first_stored_at and indexed_at.
    moment = datetime(2026, 11, 30, tzinfo=UTC)
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(items), batch):
        if stream:
            # What StreamWriter.write does with each batch of entries.
            part = entries[start : start + batch]
            ready_part = [decode_prepared(entry) for entry in part]
            archive.write([decode_entry_article(entry) for entry in part], prepared=ready_part, now=moment)
        else:
            archive.write(items[start : start + batch], now=moment)
    timings = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "prepare": preparing}
    archive.close()
    return timings


def decode_entry_article(fields: dict[str, str]) -> Any:
    """The entry's article as StreamWriter.write decodes it (a commit before raw page digests
    decompresses every page)."""
    from crawler.cluster.codec import decode_article

    try:
        return decode_article(fields, decompress=False)
    except TypeError:
        return decode_article(fields)


def stored_tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of an archive, rows in row id order, without the columns that hold the wall-clock
    moment of the write (the test of prepared entries compares archives so)."""
    from tests.cluster.test_prepared_entries import tables

    return tables(path)


def run_bare(db_path: Path, count: int) -> dict[str, float]:
    """The same rows, encoded beforehand, by plain executemany: SQLite's own cost of storing them."""
    from crawler.archive import open_db

    synth = _synth()
    data = synth.generate(count)
    db = open_db(str(db_path))
    db.table("sources").insert_all([{"name": name} for name in synth.SOURCES], ignore=True)
    rows = []
    for number, item in enumerate(data):
        key = f"{number:040x}"
        blocks = json.dumps([{"text": text, "kind": "p"} for text in item["blocks"]], ensure_ascii=False)
        caption = [{"text": item["caption"], "credit": "Photo: Agency", "image_url": item["url"] + ".jpg"}]
        rows.append(
            {
                "article": (
                    key,
                    item["url"],
                    item["canonical_url"],
                    item["source"],
                    item["title"],
                    "\n\n".join(item["blocks"]),
                    blocks,
                    item["published_at"],
                    item["language"],
                    json.dumps(item["authors"]),
                    item["fetched_at"],
                    item["fetched_at"],
                    key,
                ),
                "caption": (key, 0, caption[0]["text"], caption[0]["credit"], caption[0]["image_url"]),
                "captions": json.dumps(caption, ensure_ascii=False),
                "raw": (key, item["url"], key, gzip.compress(item["raw_html"], compresslevel=6, mtime=0)),
                "url": (item["url"], key, item["fetched_at"], key),
            }
        )
    conn = db.conn
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), PIPELINE_BATCH):
        part = rows[start : start + PIPELINE_BATCH]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            """INSERT INTO articles (id, url, canonical_url, source, title, body, blocks, published_at, language,
               authors, fetched_at, first_stored_at, content_hash, revision, truncated, story_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?1)""",
            [row["article"] for row in part],
        )
        conn.executemany(
            "INSERT INTO captions (article_id, position, text, credit, image_url) VALUES (?, ?, ?, ?, ?)",
            [row["caption"] for row in part],
        )
        first_raw = conn.execute("SELECT coalesce(max(id), 0) FROM raw_pages").fetchone()[0] + 1
        conn.executemany(
            "INSERT INTO raw_pages (article_id, url, sha256, html_gz) VALUES (?, ?, ?, ?)",
            [row["raw"] for row in part],
        )
        conn.executemany(
            """INSERT INTO article_revisions (article_id, revision, url, canonical_url, source, title, body,
               blocks, captions, authors, language, content_hash, published_at, fetched_at, raw_html_id)
               VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?14, ?10, ?9, ?13, ?8, ?11, ?15)""",
            [(*row["article"], row["captions"], first_raw + offset) for offset, row in enumerate(part)],
        )
        conn.executemany(
            "INSERT INTO url_state (url_key, article_id, fetched_at, content_hash, entry_dates)"
            " VALUES (?, ?, ?, ?, '{}')",
            [row["url"] for row in part],
        )
        conn.execute("COMMIT")
    timings = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    db.close()
    return timings


def run_gzip(count: int) -> dict[str, float]:
    pages = [item["raw_html"] for item in _synth().generate(count)]
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        gzip.compress(page, compresslevel=6, mtime=0)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def against(commit: str, work: Path, count: int, batch: int, *, stream: bool = False) -> dict[str, float]:
    """Archive.write (``stream``: the archive-writer loop on prepared entries) of another commit, in a
    subprocess with that commit's tree first on sys.path; its archive is left at against-<name>.db."""
    name = f"{batch}-stream" if stream else str(batch)
    tree = work / f"tree-{name}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit, "crawler"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    runner = work / f"runner-{name}"
    runner.mkdir()
    here = Path(__file__).resolve().parent
    for file in ("archive_writer.py", "archive_synth.py"):
        shutil.copy(here / file, runner / file)
    db_path = work / f"against-{name}.db"
    command = [sys.executable, str(runner / "archive_writer.py"), "--child", str(db_path)]
    result = subprocess.run(
        [*command, "--articles", str(count), "--batch", str(batch), *(["--stream"] if stream else [])],
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"commit {commit} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to store (default 2000)")
    parser.add_argument("--against", metavar="COMMIT", help="also time this commit's Archive.write")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # another commit's own process
    parser.add_argument("--batch", type=int, default=PIPELINE_BATCH, help=argparse.SUPPRESS)
    parser.add_argument("--stream", action="store_true", help=argparse.SUPPRESS)  # prepared entries
    args = parser.parse_args(argv)
    count = args.articles
    if args.child:
        print(json.dumps(run_writer(args.child, count, args.batch, stream=args.stream, prepared=args.stream)))
        return
    runs: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="archive-writer-") as tmp_name:
        work = Path(tmp_name)
        runs.append(("bare store (baseline), batches of 25", run_bare(work / "bare.db", count)))
        runs.append(("gzip of the raw pages (in the writer)", run_gzip(count)))
        for batch in (PIPELINE_BATCH, WRITER_BATCH):
            if args.against:
                runs.append(
                    (f"Archive.write @ {args.against}, batches of {batch}", against(args.against, work, count, batch))
                )
            runs.append((f"Archive.write, batches of {batch}", run_writer(work / f"writer-{batch}.db", count, batch)))
        stream = run_writer(work / "stream.db", count, WRITER_BATCH, stream=True)
        runs.append((f"archive-writer, unprepared entries, batches of {WRITER_BATCH}", stream))
        if args.against:
            label = f"archive-writer @ {args.against}, prepared entries, batches of {WRITER_BATCH}"
            runs.append((label, against(args.against, work, count, WRITER_BATCH, stream=True)))
        ready = run_writer(work / "prepared.db", count, WRITER_BATCH, stream=True, prepared=True)
        runs.append((f"archive-writer, prepared entries, batches of {WRITER_BATCH}", ready))
        runs.append(("prepare (in each worker)", {"cpu": ready["prepare"], "wall": ready["prepare"]}))
        if args.against:
            theirs = stored_tables(work / f"against-{WRITER_BATCH}-stream.db")
            ours = stored_tables(work / "prepared.db")
            differ = [name for name in sorted(theirs.keys() | ours.keys()) if theirs.get(name) != ours.get(name)]
            same = "the same" if not differ else f"NOT the same (tables {', '.join(differ)})"
    bare = runs[0][1]["cpu"]
    print(f"{count} articles; CPU time per article (wall in brackets); ratio to the bare store")
    print(f"{'':<54}{'CPU ms':>8}{'(wall)':>9}{'articles/s':>12}{'/ bare':>8}")
    for label, timing in runs:
        cpu_ms, wall_ms = 1000 * timing["cpu"] / count, 1000 * timing["wall"] / count
        rate = count / timing["cpu"]
        print(f"{label:<54}{cpu_ms:>8.2f}{wall_ms:>9.2f}{rate:>12.0f}{timing['cpu'] / bare:>7.2f}x")
    print(f"prepared / unprepared entries: {ready['cpu'] / stream['cpu']:.2f}x the writer's CPU per article")
    if args.against:
        before = next(timing for label, timing in runs if label.startswith(f"archive-writer @ {args.against}"))
        ratio = ready["cpu"] / before["cpu"]
        print(f"archive-writer on prepared entries, this tree / {args.against}: {ratio:.2f}x CPU")
        print(f"stored by the two archive-writer loops: {same}")


if __name__ == "__main__":
    main()
