"""WARC import throughput against bare trafilatura on the same records, in one run.

    nice -n 5 .venv/bin/python -m benchmarks.warc_import [--pages 3000] [--keep DIR]

Builds a .warc.gz (warcio, one gzip member per record) from the fixture pages in tests/sites, each page
copied --pages/19 times under distinct URLs with one distinct paragraph, mixed with non-HTML (an image per
4 pages), non-200 (a 404 per 4 pages) and non-HTTP (a metadata record per 10 pages) records. Then:

* read: the reader alone (gzip member splitting, record parsing, HTTP decoding) over the file: MB/s;
* bare: `trafilatura.extract` on every HTML 200 body of the file (decoded), nothing else;
* import: `scrapy import-warc`'s Importer into a fresh archive: extraction, content stages, Archive.write.

Prints records/s, articles/s, CPU ms per article, import/bare (CPU) and MB/s read, and the share of
Archive.write: the copies of 19 pages are heavy near-duplicates, so story linking and boilerplate learning
cost far more here than on real news (and the same as a crawl of these pages would).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from io import BytesIO
from pathlib import Path

import trafilatura
from scrapy.utils.project import get_project_settings
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive.imports import ImportProgress
from crawler.archive.writer import Archive
from crawler.context import archive_config
from crawler.pages import decode_page
from crawler.warcimport.importer import build_importer, file_chunks
from crawler.webarchive.reading import Member, WarcRecord, WarcSplitter, parse_member
from crawler.webarchive.selection import Filters

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
WORDS = "river harbour council bridge market winter budget school railway festival library museum".split()


def build_warc(path: Path, pages: int) -> int:
    fixtures = [(p.relative_to(SITES).as_posix(), p.read_bytes()) for p in sorted(SITES.rglob("*.html"))]
    records = 0
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")

        def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body), http_headers=http)
            )

        for n in range(pages):
            name, html = fixtures[n % len(fixtures)]
            url = f"https://site{n % 7}.example/{n}/{name}"
            words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 25))
            unique = f"</p><p>Copy {n}: {words} number {n * 7919}.</p>".encode()
            # a base of its own per copy: canonical links differ, so each copy is an article of its own
            base = f"https://site{n % 7}.example/{n}".encode()
            response(url, html.replace(b"{{base}}", base).replace(b"</p>", unique, 1))
            records += 1
            if n % 4 == 0:
                response(url + ".png", b"\x89PNG\r\n\x1a\n" + bytes(4000), ctype="image/png")
                response(url + "?gone", b"<html><body>Not found</body></html>", status="404 Not Found")
                records += 2
            if n % 10 == 0:
                meta = writer.create_warc_record(url, "metadata", payload=BytesIO(b"via: bench\r\n"), length=12)
                writer.write_record(meta)
                records += 1
    return records


def read_all(path: Path) -> list[WarcRecord]:
    splitter, found = WarcSplitter(), []
    with path.open("rb") as stream:
        while chunk := stream.read(8 << 20):
            for member in splitter.feed(chunk):
                found += [r for r in parse_member(member) if isinstance(r, WarcRecord)]
    for member in splitter.close():
        found += [r for r in parse_member(member) if not isinstance(r, Member)]
    return found


def html_200(records: list[WarcRecord]) -> list[WarcRecord]:
    return [r for r in records if r.warc_type == "response" and r.http_status == 200 and "html" in r.content_type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--keep", type=Path, default=None, help="build the WARC and archive here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="warc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    warc = work / "bench.warc.gz"
    total = build_warc(warc, args.pages)
    size_mb = warc.stat().st_size / 1e6

    wall, cpu = time.perf_counter(), time.process_time()
    records = read_all(warc)
    read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = html_200(records)

    cpu = time.process_time()
    for record in pages:
        text, _ = decode_page(record.body, record.content_type)
        trafilatura.extract(text, url=record.url)
    bare_cpu = time.process_time() - cpu

    settings = get_project_settings()
    archive = Archive.open(str(work / "bench.db"), archive_config(settings))
    importer = build_importer(archive, settings, Filters(), {})
    importer.progress_seconds = 1e9
    # the archive's share (boilerplate, story linking, storage), timed apart: a crawl pays it alike
    write, spent = archive.write, [0.0]

    def timed_write(*args: object, **kwargs: object) -> object:
        began = time.process_time()
        try:
            return write(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent[0] += time.process_time() - began

    archive.write = timed_write  # type: ignore[method-assign]
    wall, cpu = time.perf_counter(), time.process_time()
    importer.run(str(warc), file_chunks(warc, 0, 8 << 20), ImportProgress())
    import_wall, import_cpu = time.perf_counter() - wall, time.process_time() - cpu
    articles = sum(v for k, v in importer.counts.items() if k.startswith("stored_"))
    archive.close()

    print(f"WARC: {size_mb:.1f} MB, {total} records, {len(pages)} HTML 200 pages ({work})")
    print(
        f"read:   {size_mb / read_wall:.1f} MB/s ({size_mb / read_cpu:.1f} MB/s CPU), {total / read_wall:.0f} records/s"
    )
    print(f"bare trafilatura.extract: {bare_cpu / len(pages) * 1000:.2f} CPU ms/page")
    print(
        f"import: {total / import_wall:.0f} records/s, {articles / import_wall:.1f} articles/s, "
        f"{import_cpu / max(articles, 1) * 1000:.2f} CPU ms/article, {size_mb / import_wall:.1f} MB/s; "
        f"{articles} stored, {dict(sorted(importer.counts.items()))}"
    )
    bare_per_page = bare_cpu / len(pages)
    print(f"import/bare (CPU per page): {import_cpu / max(articles, 1) / bare_per_page:.2f}x")
    own = (import_cpu - spent[0]) / max(articles, 1)
    print(
        f"  of which Archive.write {spent[0] / max(articles, 1) * 1000:.2f} CPU ms/article; without it "
        f"(reading, decoding, extraction, content stages) {own * 1000:.2f} ms = {own / bare_per_page:.2f}x bare"
    )


if __name__ == "__main__":
    main()
