"""WARC import throughput against bare trafilatura on the same records, in one run.

    nice -n 5 .venv/bin/python -m benchmarks.warc_import [--pages 3000] [--rounds 20] [--keep DIR]

Builds a .warc.gz (warcio, one gzip member per record) of --pages news pages made from the 19 fixture pages
of tests/sites (benchmarks/news_pages.py): each copy a distinct article — its body, title and description
reworded per copy, so that copies share no shingles, and lengthened to a news article's 2.5–7 K characters —
on a page padded with a real page's furniture to 50–150 KB (100 KB on average, as real news pages and
CC-NEWS records are), one copy in ten a wire copy of an earlier one (the near-duplicates news has); mixed
with non-HTML (an image per 4 pages), non-200 (a 404 per 4 pages) and non-HTTP (a metadata record per 10
pages) records. Then, on the same records:

* read: the reader alone (gzip member splitting, record parsing, HTTP decoding): MB/s, records/s;
* bare: `trafilatura.extract` on every HTML 200 body (decoded), nothing else: the baseline;
* extraction: `extract_article` (the crawl's extraction) on the same bodies, for reference;
* import: the Importer of `scrapy import-warc` into a fresh archive: reading, selection, decoding,
  extraction, content stages, batching, progress, and Archive.write, which is timed apart.

Prints records/s, articles/s, MB/s, CPU ms per page for each, import less Archive.write over bare (the
import overhead ratio), the whole import over bare, and the CPU ms per page of Archive.write alone.

Until this input was made representative, the copies were the fixture pages themselves (7.8 KB on average)
with one distinct paragraph each, every article a near-duplicate of ~78 others: bare extraction was cheap and
story linking and boilerplate learning dear, far from what a CC-NEWS file costs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.utils.project import get_project_settings
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.news_pages import news_pages
from crawler.archive.imports import ImportProgress
from crawler.archive.writer import Archive
from crawler.context import archive_config
from crawler.extraction import ExtractionError, extract_article
from crawler.items import Hints
from crawler.pages import decode_page
from crawler.warcimport import importer as importer_module
from crawler.warcimport.importer import InputImport, build_importer, file_chunks
from crawler.webarchive.reading import Member, WarcRecord, WarcSplitter, parse_member
from crawler.webarchive.selection import Filters


def build_warc(path: Path, pages: int) -> int:
    records = 0
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")

        def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body), http_headers=http)
            )

        for n, page in enumerate(news_pages(pages)):
            response(page.url, page.html)
            records += 1
            if n % 4 == 0:
                response(page.url + ".png", b"\x89PNG\r\n\x1a\n" + bytes(4000), ctype="image/png")
                response(page.url + "?gone", b"<html><body>Not found</body></html>", status="404 Not Found")
                records += 2
            if n % 10 == 0:
                meta = writer.create_warc_record(page.url, "metadata", payload=BytesIO(b"via: bench\r\n"), length=12)
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


def cpu_seconds(pages: list[WarcRecord], work: Callable[[WarcRecord, str], object]) -> float:
    """CPU seconds of ``work`` over the pages (decoded beforehand, untimed)."""
    texts = [decode_page(record.body, record.content_type)[0] for record in pages]
    began = time.process_time()
    for record, text in zip(pages, texts, strict=True):
        work(record, text)
    return time.process_time() - began


def bare_extract(record: WarcRecord, text: str) -> object:
    return trafilatura.extract(text, url=record.url)


def extraction(record: WarcRecord, text: str) -> object:
    try:
        return extract_article(text, record.url, Hints(source="bench"), fetched_at=datetime.now(UTC))
    except ExtractionError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds of bare, extraction, import")
    parser.add_argument("--keep", type=Path, default=None, help="build the WARC and archive here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="warc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    warc = work / "bench.warc.gz"
    total = build_warc(warc, args.pages)
    size_mb = warc.stat().st_size / 1e6

    timings = []
    for _ in range(3):  # the median of three: the machine is shared
        wall, cpu = time.perf_counter(), time.process_time()
        records = read_all(warc)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    read_wall, read_cpu = sorted(timings)[1]
    pages = html_200(records)
    del records

    settings = get_project_settings()
    (work / "bench.db").unlink(missing_ok=True)
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
    # the resume offset's commits, timed apart too: a commit may run SQLite's WAL checkpoint, which
    # copies the pages the articles' writes left in the log
    save_progress, progress_spent = importer_module.save_import_progress, [0.0]

    def timed_save(*args: Any) -> None:
        began = time.process_time()
        try:
            save_progress(*args)
        finally:
            progress_spent[0] += time.process_time() - began

    importer_module.save_import_progress = timed_save  # type: ignore[assignment]
    # warmed up first (lazily loaded models and stop lists); then, on a shared machine whose load drifts,
    # the three are interleaved: each round runs bare and extraction on a slice of the pages and feeds the
    # import a slice of the file, so that all three see the same stretches of load
    cpu_seconds(pages[:50], bare_extract), cpu_seconds(pages[:50], extraction)
    bare = extracted = import_cpu = import_wall = 0.0
    current = InputImport(importer, str(warc), ImportProgress())
    chunks = list(file_chunks(warc, 0, warc.stat().st_size // args.rounds + 1))
    for round_ in range(len(chunks)):
        bare += cpu_seconds(pages[round_ :: len(chunks)], bare_extract)
        extracted += cpu_seconds(pages[round_ :: len(chunks)], extraction)
        wall, cpu = time.perf_counter(), time.process_time()
        current.feed(chunks[round_])
        if round_ == len(chunks) - 1:
            current.close()
        import_wall += time.perf_counter() - wall
        import_cpu += time.process_time() - cpu
    articles = sum(v for k, v in importer.counts.items() if k.startswith("stored_"))
    archive.close()

    n = len(pages)
    bare, extracted, own = bare / n, extracted / n, (import_cpu - spent[0] - progress_spent[0]) / n
    page_kb = sum(len(record.body) for record in pages) / n / 1024
    print(f"WARC: {size_mb:.1f} MB, {total} records, {n} HTML 200 pages of {page_kb:.0f} KB on average ({work})")
    print(
        f"read:       {size_mb / read_wall:.1f} MB/s ({size_mb / read_cpu:.1f} MB/s CPU), "
        f"{total / read_wall:.0f} records/s"
    )
    print(f"bare trafilatura.extract: {bare * 1000:.2f} CPU ms/page")
    print(f"extraction (extract_article): {extracted * 1000:.2f} CPU ms/page = {extracted / bare:.2f}x bare")
    print(
        f"import:     {total / import_wall:.0f} records/s, {articles / import_wall:.1f} articles/s, "
        f"{size_mb / import_wall:.2f} MB/s, {import_cpu / n * 1000:.2f} CPU ms/page in all "
        f"= {import_cpu / n / bare:.2f}x bare; "
        f"{articles} stored, {dict(sorted(importer.counts.items()))}"
    )
    print(
        f"  Archive.write: {spent[0] / n * 1000:.2f} CPU ms/page; resume-offset commits "
        f"{progress_spent[0] / n * 1000:.2f} CPU ms/page"
    )
    print(
        f"  the rest (reading, selection, decoding, extraction, content stages, batching): {own * 1000:.2f} "
        f"CPU ms/page = {own / extracted:.2f}x extraction alone"
    )
    print(f"import overhead ratio (import less the archive's writes, over bare trafilatura.extract): {own / bare:.2f}x")


if __name__ == "__main__":
    main()
