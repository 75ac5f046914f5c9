"""Where a crawl's CPU goes: `scrapy crawl news` over a synthetic site under py-spy, summarised.

    .venv/bin/pip install py-spy                      (not a project dependency)
    nice -n 5 .venv/bin/python -m benchmarks.profile_crawl [--pages N] [--out DIR]     (default 1000)

Generates the crawl_cost site (tests/sitegen.py), serves it on 127.0.0.1 and records the crawler process
only (the mock server is another process) with `py-spy record --format raw` at 200 Hz. Prints the
share of all samples spent inside (inclusive) each of the project's functions (crawler/, pipelines/)
and, separately, inside trafilatura's and Scrapy's entry points, so the project's own cost can be read
apart from the floors. Keeps the collapsed stacks in --out (default: a temp dir, removed) for a flame
graph (`py-spy` raw format is flamegraph.pl's input).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.conftest import ROOT, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site

FRAME = re.compile(r"^(?P<function>.+?) \((?P<file>[^()]+?)(?::(?P<line>\d+))?\)$")
OURS = ("crawler/", "pipelines/")  # paths relative to the repository root
TOP = 40


def record(pages: int, out: Path) -> Path:
    site = out / "site"
    template = generate_site(site, pages)
    stacks = out / "crawl.stacks"
    with MockServer(root=site) as server:
        seeds = write_seeds(out / "seeds.toml", server, template)
        command = [
            str(Path(sys.executable).with_name("py-spy")), "record", "--format", "raw", "--rate", "200",
            "--output", str(stacks), "--", sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}",
            "-s", f"INGEST_DB_PATH={out / 'news.db'}", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true",
            "-s", "INGEST_PROGRESS_INTERVAL=0",
        ]  # fmt: skip
        with (out / "crawl.log").open("wb") as log:
            if subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
                raise SystemExit((out / "crawl.log").read_text()[-3000:])
    return stacks


def summarise(stacks: Path) -> None:
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    total = 0
    for line in stacks.read_text(encoding="utf-8", errors="replace").splitlines():
        path, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [frame_name(frame) for frame in path.split(";")]
        for name in set(frames):  # a recursive function counts once per sample
            inclusive[name] += count
        self_time[frames[-1]] += count
    if not total:
        raise SystemExit(f"{stacks}: no samples")
    print(f"{total} samples")
    print("\ninclusive share, the project's functions (crawler/, pipelines/):")
    for name, count in inclusive.most_common():
        if name.rpartition(" (")[2].startswith(OURS):
            print(f"{count / total:>7.1%}  {name}")
    print(f"\nself share, top {TOP} leaf functions (any package):")
    for name, count in self_time.most_common(TOP):
        print(f"{count / total:>7.1%}  {name}")


def frame_name(frame: str) -> str:
    """`function (file:line)` with the file shortened to its package path; the line dropped."""
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match["file"]
    for marker in ("site-packages/", str(ROOT) + "/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match['function']} ({file})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", type=Path, help="keep the stacks, site and log here")
    parser.add_argument("--stacks", type=Path, help="summarise an existing raw stacks file instead")
    args = parser.parse_args(argv)
    if args.stacks:
        summarise(args.stacks)
        return
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        summarise(record(args.pages, args.out))
        return
    out = Path(tempfile.mkdtemp(prefix="profile-crawl-"))
    try:
        summarise(record(args.pages, out))
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
