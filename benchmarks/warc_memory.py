"""Peak memory of `scrapy import-warc` over ~100 MB and ~1 GiB of .warc.gz: it must stay flat.

    nice -n 5 .venv/bin/python -m benchmarks.warc_memory [--small-mb 100] [--large-mb 1024] [--keep DIR]

The files repeat one block of gzip members, compressed once: the fixture pages of tests/sites (HTML 200
responses, in every fourth block only, under the same URLs each time, so that after the first block they
are duplicates the archive finds unchanged), two 1.5 MiB responses of incompressible bytes (image/png:
read, inflated and skipped), a 404 and a metadata record. Each import runs in a subprocess of its own on
a fresh archive and reports its peak resident set (getrusage's ru_maxrss) when it exits; the figure
printed is the large file's peak over the small one's.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
BASE = "https://memory.example"
BLOB_BYTES = 3 * 512 * 1024
HTML_EVERY = 4  # blocks

# the child: the real command, its peak RSS (KiB on Linux) printed on the way out
CHILD = """
import atexit, resource, sys
from scrapy.cmdline import execute
atexit.register(lambda: print(f"peak-rss-kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr))
execute(["scrapy", "import-warc", sys.argv[1], "-s", f"INGEST_DB_PATH={sys.argv[2]}"])
"""


def members(html: bool) -> bytes:
    """One block of the file, as gzip members (one per record)."""
    stream = BytesIO()
    writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")

    def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        warc = {"WARC-Date": "2024-03-05T10:00:00Z"}
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http, warc_headers_dict=warc
            )
        )

    if html:
        for path in sorted(SITES.rglob("*.html")):
            page = path.read_bytes().replace(b"{{base}}", BASE.encode())
            response(f"{BASE}/{path.relative_to(SITES).as_posix()}", page)
    noise = random.Random(1)
    for index in range(2):
        response(f"{BASE}/blob{index}.png", b"\x89PNG\r\n\x1a\n" + noise.randbytes(BLOB_BYTES), ctype="image/png")
    response(f"{BASE}/gone", b"<html><body>Not found</body></html>", status="404 Not Found")
    meta = writer.create_warc_record(f"{BASE}/", "metadata", payload=BytesIO(b"via: bench\r\n"), length=12)
    writer.write_record(meta)
    return stream.getvalue()


@dataclass(frozen=True)
class Built:
    path: Path
    blocks: int
    html_blocks: int


def build(path: Path, megabytes: float) -> Built:
    with_html, without = members(True), members(False)
    blocks = html_blocks = 0
    with path.open("wb") as stream:
        while stream.tell() < megabytes * 1e6:
            html = blocks % HTML_EVERY == 0
            stream.write(with_html if html else without)
            blocks += 1
            html_blocks += html
    return Built(path, blocks, html_blocks)


@dataclass(frozen=True)
class Measured:
    peak_mb: float
    seconds: float
    log: str


def peak_rss(warc: Path, db: Path) -> Measured:
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(warc), str(db)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - began
    if result.returncode != 0 or "peak-rss-kib" not in result.stderr:
        raise RuntimeError(f"import-warc failed ({result.returncode}): {result.stderr[-2000:]}")
    kib = int(result.stderr.rsplit("peak-rss-kib ", 1)[1].split()[0])
    return Measured(kib / 1024, seconds, result.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small-mb", type=float, default=100)
    parser.add_argument("--large-mb", type=float, default=1024 * 1.048576)  # 1 GiB
    parser.add_argument("--keep", type=Path, default=None, help="build the files and archives here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="warc-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for label, megabytes in (("small", args.small_mb), ("large", args.large_mb)):
        built = build(work / f"{label}.warc.gz", megabytes)
        size = built.path.stat().st_size / 1e6
        measured = peak_rss(built.path, work / f"{label}.db")
        results[label] = measured
        summary = measured.log.strip().splitlines()[-2] if measured.log.strip() else ""
        print(
            f"{label}: {size:.0f} MB ({built.blocks} blocks, {built.html_blocks} with HTML): peak RSS "
            f"{measured.peak_mb:.1f} MB, {measured.seconds:.0f} s ({size / measured.seconds:.1f} MB/s)\n  {summary}"
        )
        built.path.unlink()
    growth = results["large"].peak_mb - results["small"].peak_mb
    print(f"peak RSS, large over small: {growth:+.1f} MB")


if __name__ == "__main__":
    main()
