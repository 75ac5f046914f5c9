"""Does the near-duplicate index stay fast as it grows? Per-article cost of the lookup and insert,
and bytes per indexed article, at 10k, 100k and 1M indexed articles.

    .venv/bin/python benchmarks/dedup_scale.py [--sizes 10000 100000 1000000] [--probes 2000]

For each size a temporary SQLite archive (the project's own migrations) is filled in bulk with
synthetic signatures — random 16-bit MinHash values, 40-hex article ids like real ones, the facts
JSON of a real article — then ``--probes`` articles go through the production path
(StoryLinker.link: one transaction, lookup over the article's buckets, verification, insert):
90% new articles, 10% near-copies of indexed ones (a quarter of their values changed), so both the
empty and the verifying lookup are measured. Figures are printed with ratios to the first size.

"Memory" is what the measuring process holds with all three indexes open, before and after the
probes: the index lives in the file and SQLite's page cache is bounded (open_db's default), so it
does not grow with the index. The file's bytes per article are the index's cost.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.archive import open_db, stories  # noqa: E402
from crawler.archive.stories import SqliteStoryIndex  # noqa: E402
from crawler.dedup.facts import StoryFacts, extract_facts  # noqa: E402
from crawler.dedup.linking import DEFAULT_THRESHOLD, Entry, StoryLinker  # noqa: E402
from crawler.dedup.lsh import bucket_keys  # noqa: E402

CHUNK = 100_000
NUM_PERM = 128
# A typical wire paragraph set: its facts JSON is what each indexed article stores besides its signature.
SAMPLE = [
    "Dock workers at the country's three largest ports returned to work on Friday after their union "
    "accepted a pay offer that ends a strike which had left hundreds of ships waiting offshore.",
    "The agreement raises wages by 7.5 percent this year and a further 4 percent next year, and includes a "
    "one-off payment for the 12,000 workers it represents. Shipping analysts estimated the backlog at more "
    "than 300 vessels at the peak of the dispute last week; turnout in the ballot was 81 percent.",
    "Shares in the largest listed port operator rose 3.2 percent in early trading on Friday, 15 September.",
]


@dataclass
class Probe:
    """One size's archive under measurement."""

    size: int
    path: Path
    build_seconds: float
    indexed: np.ndarray  # a sample of indexed signatures, for near-copies
    linker: StoryLinker | None = None
    links: list[float] = field(default_factory=list)
    lookups: list[float] = field(default_factory=list)
    bytes_per_article: float = 0.0
    buckets_per_article: float = 0.0

    def figures(self) -> dict[str, float]:
        """Milliseconds (mean, p50, p95) of the link and of the lookup alone, and bytes per article."""
        link, lookup = sorted(self.links), sorted(self.lookups)
        return {
            "link mean": statistics.fmean(link) * 1000,
            "link p50": link[len(link) // 2] * 1000,
            "link p95": link[int(len(link) * 0.95)] * 1000,
            "lookup mean": statistics.fmean(lookup) * 1000,
            "lookup p50": lookup[len(lookup) // 2] * 1000,
            "bytes/article": self.bytes_per_article,
        }


def article_id(number: int) -> str:
    return f"{(number * 0x9E3779B97F4A7C15) % (1 << 160):040x}"


def build(path: Path, size: int, linker_threshold: float, seed: int) -> tuple[float, np.ndarray]:
    """Fill a fresh archive with ``size`` synthetic articles; seconds taken and a sample of signatures.
    Runs in a child process, so the memory of the bulk load is not counted as the index's."""
    rng = np.random.default_rng(seed)
    db = open_db(path)
    banding = StoryLinker(SqliteStoryIndex(db), threshold=linker_threshold).banding
    # A bulk load, not the crawler's steady state: no journal, a big cache.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    facts = extract_facts("Port workers end strike", SAMPLE).to_json()
    started = time.perf_counter()
    members, keys, sample = [], [], []
    with db.atomic():
        for offset in range(0, size, CHUNK):
            count = min(CHUNK, size - offset)
            signatures = rng.integers(0, 1 << 16, (count, NUM_PERM), dtype=np.uint16)
            rows = [
                stories.IndexRow(
                    article_id=(key := article_id(offset + i)),
                    story_id=key,
                    source=f"source-{(offset + i) % 500}",
                    body_hash=int(rng.integers(-(1 << 63), (1 << 63) - 1)),
                    signature=signatures[i],
                    facts=facts,
                    published_at="2024-01-01T00:00:00+00:00",
                    indexed_at="2024-01-01T00:00:00+00:00",
                )
                for i in range(count)
            ]
            first = stories.bulk_insert_signatures(db, rows)
            members.append(np.arange(first, first + count, dtype=np.int64))
            keys.append(bucket_keys(signatures, banding))
            sample.append(signatures[: max(1, 2000 * count // size)])
        stories.bulk_insert_buckets(db, np.concatenate(members), np.concatenate(keys))
    elapsed = time.perf_counter() - started
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    return elapsed, np.concatenate(sample)


def probe_once(target: Probe, number: int, facts: StoryFacts, rng: np.random.Generator) -> None:
    """Time the lookup alone, then the whole link (lookup, verification, insert, commit)."""
    assert target.linker is not None
    if number % 10 == 0:
        signature = target.indexed[rng.integers(0, len(target.indexed))].copy()
        changed = rng.choice(NUM_PERM, NUM_PERM // 4, replace=False)
        signature[changed] = rng.integers(0, 1 << 16, len(changed), dtype=np.uint16)
    else:
        signature = rng.integers(0, 1 << 16, NUM_PERM, dtype=np.uint16)
    entry = Entry(f"probe-{number:034d}", int(rng.integers(-(1 << 62), 1 << 62)), signature, facts)
    keys = [int(key) for key in bucket_keys(signature, target.linker.banding)[0]]
    started = time.perf_counter()
    stories.bucket_neighbours(target.linker.index.db, keys, exclude=entry.article_id, limit=64)
    target.lookups.append(time.perf_counter() - started)
    started = time.perf_counter()
    target.linker.link(entry)
    target.links.append(time.perf_counter() - started)


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--probes", type=int, default=2000)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="INGEST_NEAR_DUPLICATE_THRESHOLD")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pragma", action="append", default=[], help="e.g. wal_autocheckpoint=10000, on the probing connections"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as directory:
        targets = []
        for size in args.sizes:
            path = Path(directory) / str(size) / "news.db"
            with ProcessPoolExecutor(max_workers=1) as pool:
                build_seconds, sample = pool.submit(build, path, size, args.threshold, args.seed + size).result()
            targets.append(Probe(size, path, build_seconds, sample))
            print(f"built {size:>9,} indexed articles in {build_seconds:5.1f} s", flush=True)
        rss_before = resident_mb()
        for target in targets:
            # The crawler's own connection settings: WAL, synchronous NORMAL, default page cache.
            db = open_db(target.path)
            for pragma in args.pragma:
                db.execute(f"PRAGMA {pragma}")
            target.linker = StoryLinker(SqliteStoryIndex(db), threshold=args.threshold)
        facts = extract_facts("Port workers end strike", SAMPLE, published_at="2024-01-01T06:00:00+00:00")
        # Round-robin in small batches: load from anything else on the machine hits every size alike.
        for batch in range(0, args.probes, 50):
            for target in targets:
                for number in range(batch, min(batch + 50, args.probes)):
                    probe_once(target, number, facts, rng)
        rss_after = resident_mb()
        for target in targets:
            assert target.linker is not None
            db = target.linker.index.db
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            articles = int(db.execute("SELECT count(*) FROM story_signatures").fetchone()[0])
            buckets = int(db.execute("SELECT count(*) FROM story_buckets").fetchone()[0])
            db.close()
            target.bytes_per_article = sum(f.stat().st_size for f in target.path.parent.iterdir()) / articles
            target.buckets_per_article = buckets / articles
    for target in targets:
        f = target.figures()
        print(
            f"{target.size:>9,} indexed: link {f['link mean']:.3f} ms/article (p50 {f['link p50']:.3f}, "
            f"p95 {f['link p95']:.3f}); lookup alone {f['lookup mean']:.3f} ms (p50 {f['lookup p50']:.3f}); "
            f"{f['bytes/article']:,.0f} bytes/article on disk ({target.buckets_per_article:.0f} bucket rows each)"
        )
    print(f"process memory, all indexes open and probed: {rss_before:,.0f} MB before, {rss_after:,.0f} MB after")
    base = targets[0].figures()
    print(f"\nratios to {targets[0].size:,} indexed articles (target: lookup+insert within 2x):")
    for target in targets:
        f = target.figures()
        print(f"{target.size:>9,}: " + "  ".join(f"{name} {f[name] / base[name]:.2f}x" for name in f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
