"""`scrapy archive-writer`: the cluster's one archive writer, consuming the workers' Redis Stream.

It reads the stream as the consumer group ``<spider>:writers``, rebuilds the items the workers
handed over, writes each batch through Archive.write (the one transaction that does boilerplate,
story linking, articles, revisions and URL state) and acknowledges (and deletes) the entries only
after that transaction committed. Entries a killed writer had read but not acknowledged are claimed
again when it restarts; writing them twice is harmless, as archive writes are idempotent.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from typing import Any

import redis
from scrapy.commands import ScrapyCommand
from scrapy.utils.log import configure_logging

from crawler.archive.lock import DatabaseBusy
from crawler.archive.writer import Archive, Written, founding_order
from crawler.cluster.codec import decode_article, decode_outcomes, decode_prepared, decode_sources
from crawler.cluster.connection import ClusterUnavailable, connect, worker_id
from crawler.cluster.keys import ClusterKeys
from crawler.cluster.state import RedisState, StoredArticle
from crawler.context import archive_config

logger = logging.getLogger(__name__)

Entry = tuple[bytes, dict[bytes, bytes]]
NEW = Written.NEW
STORED = (NEW, Written.UPDATED, Written.UNCHANGED)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Write the cluster workers' items (INGEST_REDIS_URL) into the archive (INGEST_DB_PATH)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--until-drained",
            action="store_true",
            help="exit once a run was seen and is over (no worker alive, its lock released) and every entry is written",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        configure_logging(self.settings)
        url = self.settings.get("INGEST_REDIS_URL")
        if not url:
            print("Cannot start the archive writer: INGEST_REDIS_URL is not set", file=sys.stderr)
            self.exitcode = 2
            return
        try:
            client = connect(url)
            archive = Archive.open(self.settings.get("INGEST_DB_PATH"), archive_config(self.settings))
        except (ClusterUnavailable, DatabaseBusy) as exc:
            print(f"Cannot start the archive writer: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        writer = StreamWriter(
            client,
            archive,
            ClusterKeys(),
            batch=self.settings.getint("INGEST_WRITER_BATCH_SIZE"),
            linger=self.settings.getfloat("INGEST_STORAGE_FLUSH_SECONDS"),
        )
        try:
            writer.run(until_drained=opts.until_drained)
        except redis.RedisError as exc:
            print(f"The archive writer lost Redis at {url}: {exc}", file=sys.stderr)
            self.exitcode = 1
        finally:
            archive.close()
            logger.info("archive-writer: %s", dict(writer.counts))


class StreamWriter:
    def __init__(
        self, client: redis.Redis, archive: Archive, keys: ClusterKeys, *, batch: int = 500, linger: float = 1.0
    ) -> None:
        self.client = client
        self.linger = linger
        self.archive = archive
        self.keys = keys
        self.batch = max(1, batch)
        self.consumer = worker_id()
        self.counts: Counter[str] = Counter()
        self.state = RedisState(client, keys)

    def ensure_group(self) -> None:
        try:
            self.client.xgroup_create(self.keys.items, self.keys.writers, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def run(self, *, until_drained: bool = False) -> None:
        self.ensure_group()
        self.redeliver()
        seen_run = False
        while True:
            entries = self.read()
            if entries:
                self.write(entries)
                continue
            if not until_drained:
                continue
            # A run is under way while a worker is alive or its seeding lock is held (the last worker
            # releases it); before the first worker of a run starts, there is nothing to wait for yet.
            alive = any(True for _ in self.client.scan_iter(match=self.keys.alive("*"), count=100))
            running = alive or bool(self.client.exists(self.keys.seeded))
            seen_run = seen_run or running or self.counts["entries"] > 0
            if seen_run and not running and not self.client.xlen(self.keys.items):
                return

    def read(self) -> list[Entry]:
        """A batch: up to ``batch`` entries, waiting up to ``linger`` seconds after the first for more,
        as the single-process pipeline waits INGEST_STORAGE_FLUSH_SECONDS."""
        entries: list[Entry] = []
        deadline = None
        while len(entries) < self.batch:
            wait = 500 if deadline is None else int(max(0.0, deadline - time.monotonic()) * 1000)
            if deadline is not None and wait <= 0:
                break
            answer: Any = self.client.xreadgroup(
                self.keys.writers, self.consumer, {self.keys.items: ">"}, count=self.batch - len(entries), block=wait
            )
            got: list[Entry] = answer[0][1] if answer else []
            if not got:
                break
            entries += got
            deadline = deadline or time.monotonic() + self.linger
        return entries

    def redeliver(self) -> None:
        """Claim what a killed writer read and never acknowledged (there is one writer: all of it)."""
        start = "0-0"
        while True:
            answer: Any = self.client.xautoclaim(
                self.keys.items, self.keys.writers, self.consumer, min_idle_time=0, start_id=start, count=self.batch
            )
            start, entries = answer[0], [entry for entry in answer[1] if entry[1]]
            if entries:
                logger.info("archive-writer: writing %d entries a stopped writer had read", len(entries))
                self.counts["redelivered"] += len(entries)
                self.write(entries)
            if start in (b"0-0", "0-0"):
                return

    def write(self, entries: list[Entry]) -> None:
        pairs, settled, listed = [], [], []
        for _, raw in entries:
            fields = {key.decode(): value.decode() for key, value in raw.items()}
            kind = fields.get("kind")
            if kind == "article":
                article = decode_article(fields, decompress=False)  # its raw page is stored as it came
                pairs.append((article, decode_prepared(fields)))
            elif kind == "outcomes":
                states, dates = decode_outcomes(fields)
                settled += states
                listed += dates
            elif kind == "sources":
                self.archive.save_sources(decode_sources(fields))
        # As pipelines.archive orders a batch: story ids as one process's (a stable sort, as there).
        pairs.sort(key=lambda pair: founding_order(pair[0]))
        articles = [article for article, _ in pairs]
        results = self.archive.write(
            articles, settled=settled, entries=listed, prepared=[prepared for _, prepared in pairs]
        )
        self.counts.update(result.written.value for result in results)
        # What the refresh re-checks of the next runs choose from (a crash here redelivers the batch).
        self.state.remember_stored(
            StoredArticle(result.article_id, a.url, a.source, a.published_at, a.fetched_at or "", result.written is NEW)
            for a, result in zip(articles, results, strict=True)
            if result.written in STORED
        )
        ids = [entry_id for entry_id, _ in entries]
        # Only now, with the transaction committed: a crash before this line redelivers the batch.
        self.client.xack(self.keys.items, self.keys.writers, *ids)
        self.client.xdel(self.keys.items, *ids)
        self.counts["entries"] += len(entries)
        self.counts["articles"] += len(articles)
