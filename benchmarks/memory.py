"""Peak memory of a long crawl: RSS of the crawler process at 1k, 5k and 10k stored articles.

    .venv/bin/python -m benchmarks.memory [ARTICLES] [--keep-raw-html true|false] [--trace]   (default 10000)

Generates a synthetic site (tests/sitegen.py: ARTICLES pages, feeds of 500), serves it on 127.0.0.1
and runs the real `scrapy crawl news` into a fresh database. While it runs, polls the crawler's
/proc/<pid>/status (VmRSS, VmHWM = peak RSS so far) and counts stored articles read-only in the
database. Prints the figures at each checkpoint and the peak's ratio to the first checkpoint; the
target is flat within 20% after warm-up (the first 1,000 articles). Linux only (/proc).

RSS rarely shrinks (freed Python memory is reused, not returned), so a flat RSS can hide a structure
that grows while another drains. ``--trace`` adds TracemallocProbe to the crawl (about 2x slower): at
each checkpoint it logs the Python heap and what grew since the first checkpoint, by source line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler

from crawler import settings as project_settings
from crawler.demo.launcher import SiteServer
from tests.conftest import ROOT, write_seeds
from tests.sitegen import generate_site

POLL_SECONDS = 0.2
TARGET_RATIO = 1.2
CHECKPOINTS = (1_000, 5_000, 10_000)
logger = logging.getLogger(__name__)


class TracemallocProbe:
    """A Scrapy extension for this benchmark only: the Python heap at each checkpoint of stored items."""

    def __init__(self, checkpoints: tuple[int, ...]) -> None:
        self.pending = list(checkpoints)
        self.items = 0
        self.first: tracemalloc.Snapshot | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        tracemalloc.start(1)
        probe = cls(CHECKPOINTS)
        crawler.signals.connect(probe.item_scraped, signal=signals.item_scraped)
        return probe

    def item_scraped(self) -> None:
        self.items += 1
        if not self.pending or self.items < self.pending[0]:
            return
        self.pending.pop(0)
        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        current, _ = tracemalloc.get_traced_memory()
        logger.info("tracemalloc at %d items: %.1f MiB traced", self.items, current / 2**20)
        if self.first is None:
            self.first = snapshot
            return
        grown = [stat for stat in snapshot.compare_to(self.first, "lineno") if stat.size_diff > 0]
        for stat in sorted(grown, key=lambda stat: stat.size_diff, reverse=True)[:8]:
            logger.info("tracemalloc growth since %d: %s", CHECKPOINTS[0], stat)


@dataclass
class Sample:
    stored: int
    seconds: float
    rss_mib: float
    peak_mib: float


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MiB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        connection.close()


def crawl(count: int, checkpoints: list[int], extra: list[str]) -> tuple[list[Sample], Sample, float, str]:
    """Run the crawl; the samples at each checkpoint, the final one, the wall time and the crawl log."""
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp_name:
        tmp = Path(tmp_name)
        template = generate_site(tmp / "site", count)
        db = tmp / "news.db"
        with SiteServer(root=tmp / "site") as server:
            seeds = write_seeds(tmp / "seeds.toml", server, template)
            command = [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}",
                "-s", f"INGEST_DB_PATH={db}", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true", *extra,
            ]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            log = (tmp / "crawl.log").open("wb")
            started = time.monotonic()
            process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
            samples: list[Sample] = []
            pending = list(checkpoints)
            last = Sample(0, 0.0, 0.0, 0.0)
            while process.poll() is None:
                try:
                    rss, peak = memory_mib(process.pid)
                except (OSError, KeyError):  # exiting
                    break
                last = Sample(stored(db), time.monotonic() - started, rss, peak)
                while pending and last.stored >= pending[0]:
                    samples.append(last)
                    pending.pop(0)
                time.sleep(POLL_SECONDS)
            process.wait()
            elapsed = time.monotonic() - started
            log.close()
            text = (tmp / "crawl.log").read_text(errors="replace")
            if process.returncode != 0:
                raise SystemExit(text[-3000:])
            last = Sample(stored(db), elapsed, last.rss_mib, last.peak_mib)
    return samples, last, elapsed, text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("articles", type=int, nargs="?", default=10_000)
    parser.add_argument("--keep-raw-html", choices=("true", "false"), default=None)
    parser.add_argument("--trace", action="store_true", help="log tracemalloc growth at the checkpoints")
    args = parser.parse_args(argv)
    checkpoints = [n for n in CHECKPOINTS if n <= args.articles] or [args.articles]
    extra = ["-s", f"INGEST_KEEP_RAW_HTML={args.keep_raw_html}"] if args.keep_raw_html else []
    if args.trace:
        extensions = {**project_settings.EXTENSIONS, "benchmarks.memory.TracemallocProbe": 900}
        extra += ["-s", f"EXTENSIONS={json.dumps(extensions)}"]
    samples, final, elapsed, log = crawl(args.articles, checkpoints, extra)
    print(f"site: {args.articles} articles; crawl {elapsed:.0f} s, {final.stored} stored")
    print(f"{'stored':>8}{'at s':>8}{'RSS MiB':>10}{'peak MiB':>10}{'peak/1k':>9}")
    base = samples[0].peak_mib if samples else final.peak_mib
    for sample in samples or [final]:
        print(
            f"{sample.stored:>8}{sample.seconds:>8.0f}{sample.rss_mib:>10.1f}{sample.peak_mib:>10.1f}"
            f"{sample.peak_mib / base:>9.2f}"
        )
    ratio = final.peak_mib / base
    verdict = "flat" if ratio <= TARGET_RATIO else "NOT flat"
    print(f"peak RSS after warm-up: {ratio:.2f}x the 1k figure ({verdict}; target <= {TARGET_RATIO:.2f}x)")
    for line in log.splitlines():
        if "tracemalloc" in line:
            print(line.split("INFO: ", 1)[-1])


if __name__ == "__main__":
    main()
