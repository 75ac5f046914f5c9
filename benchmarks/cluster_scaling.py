"""Cluster scaling: pages/s with 1, 2 and 4 workers against a site that answers in --latency seconds,
and the archive writer's articles/s on its own, as ratios.

The mock site (tests/sitegen.py) serves every article page after a sidecar ``delay``, so the crawl
waits on the network as a real one does and the 2 cores here are not the limit. Each worker fetches
4 pages at a time (CONCURRENT_REQUESTS=4, AutoThrottle off). The site is one host and the per-host
limit holds cluster-wide, so it is 16 (4 workers x 4), lest it be what the figures measure. Redis
state is flushed between runs so each fetches the whole site. The writer is timed alone, draining the
entries the 4-worker run left in the stream in batches of INGEST_WRITER_BATCH_SIZE, as `scrapy
archive-writer` reads them: DRAINS times, each into a fresh archive, the median reported.

    .venv/bin/python -m benchmarks.cluster_scaling [--pages 400] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

import redis

from crawler import settings as default_settings
from crawler.archive.writer import Archive
from crawler.cluster.keys import ClusterKeys
from crawler.commands.archive_writer import StreamWriter
from tests.cluster.cluster import start_worker
from tests.cluster.redis_server import RedisServer
from tests.conftest import write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site

SETTINGS = ("-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "INGEST_REDIS_STREAM_MAXLEN=1000000", "-s", "LOG_LEVEL=INFO")
WRITER_BATCH = default_settings.INGEST_WRITER_BATCH_SIZE
DRAINS = 5  # the writer drains the 4-worker run's entries this many times, each into a fresh archive
STAT = re.compile(r"'(elapsed_time_seconds|response_received_count)': ([0-9.]+)")


def run_workers(count: int, seeds: Path, url: str, logs: Path) -> tuple[int, float]:
    """(responses, seconds) of one cluster run: the longest worker's Scrapy-measured time."""
    processes = [start_worker(seeds, url, logs / f"w{count}-{n}.log", *SETTINGS) for n in range(count)]
    for process in processes:
        assert process.wait(1800) == 0, (logs / f"w{count}-0.log").read_text()[-2000:]
    responses, seconds = 0, 0.0
    for n in range(count):
        stats = {name: float(value) for name, value in STAT.findall((logs / f"w{count}-{n}.log").read_text())}
        responses += int(stats.get("response_received_count", 0))
        seconds = max(seconds, stats["elapsed_time_seconds"])
    return responses, seconds


def drain(client: redis.Redis, keys: ClusterKeys, entries: list, db: Path) -> tuple[int, float, float]:  # type: ignore[type-arg]
    """The writer alone writes these stream entries into a fresh archive, as `scrapy archive-writer`
    does: (articles, wall seconds, CPU seconds) of its writes; the time in reads of an empty stream
    is not the writer's."""
    client.delete(keys.items)
    pipe = client.pipeline(transaction=False)
    for _, fields in entries:
        pipe.xadd(keys.items, fields)
    pipe.execute()
    archive = Archive.open(str(db))
    writer = StreamWriter(client, archive, keys, batch=WRITER_BATCH, linger=0.01)
    spent = [0.0, 0.0]  # wall, CPU
    write = writer.write

    def timed(batch: list) -> None:  # type: ignore[type-arg]
        started, cpu = time.perf_counter(), time.process_time()
        write(batch)
        spent[0] += time.perf_counter() - started
        spent[1] += time.process_time() - cpu

    writer.write = timed  # type: ignore[method-assign, assignment]
    writer.run(until_drained=True)
    archive.close()
    return writer.counts["articles"], spent[0], spent[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        site = work / "site"
        template = generate_site(site, args.pages, per_feed=max(1, args.pages // 8))
        for page in site.rglob("*.html"):
            page.with_name(page.name + ".headers.json").write_text(json.dumps({"delay": args.latency}))
        logs = work / "logs"
        logs.mkdir()
        rates: dict[int, float] = {}
        with MockServer(root=site) as server, RedisServer(work / "redis") as redis_server:
            seeds = write_seeds(work / "seeds.toml", server, template)
            client = redis.Redis.from_url(redis_server.url)
            for workers in (1, 2, 4):
                client.flushall()
                responses, seconds = run_workers(workers, seeds, redis_server.url, logs)
                rates[workers] = responses / seconds
                print(f"{workers} worker(s): {responses} responses in {seconds:.1f} s = {rates[workers]:.1f} pages/s")
            keys = ClusterKeys()
            filled: list = client.xrange(keys.items)  # type: ignore[type-arg, assignment]
            drains = [drain(client, keys, filled, work / f"news-{n}.db") for n in range(DRAINS)]
        # The median drain: one is well under a second of work, which other jobs on the machine move.
        written, elapsed, cpu = sorted(drains, key=lambda drain: drain[1])[DRAINS // 2]
        writer_rate = written / elapsed
        each = ", ".join(f"{count / seconds:.0f}" for count, seconds, _ in drains)
        print(
            f"writer alone: {written} articles ({len(filled)} entries) in {elapsed:.2f} s"
            f" = {writer_rate:.0f} articles/s"
            f" ({1000 * cpu / written:.2f} CPU ms per article, batches of {WRITER_BATCH};"
            f" median of {DRAINS} drains: {each} articles/s)"
        )
        print(f"2 workers / 1 worker = {rates[2] / rates[1]:.2f}x")
        print(f"4 workers / 1 worker = {rates[4] / rates[1]:.2f}x (target >= 3)")
        print(f"writer / 4 workers' article rate = {writer_rate / rates[4]:.1f}x (target >= 20)")


if __name__ == "__main__":
    main()
