"""`scrapy import-warc FILE_OR_URL...`: articles from WARC files (CC-NEWS included) into the archive.

Every HTML 200 `response` record goes through exactly what a crawled page does: crawler.pages decoding
with the record's Content-Type, crawler.extraction.extract_article, the pipelines' content stages
(as `scrapy reextract` runs them), and Archive.write (boilerplate, story linking, storage), under its
host's name or the `--sources` mapping. Bad input never stops an import: damaged stretches,
non-HTTP records and responses that are not 200 HTML pages are counted, and logged with file and
offset. The offset after the last committed record is kept per input (table warc_imports), so a
killed import resumes there; writes are idempotent, so re-reading a record stores nothing twice.

Remote inputs are downloaded through Scrapy's downloader in Range requests of
INGEST_WARC_IMPORT_CHUNK_BYTES, one at a time, so memory stays bounded by one chunk and one gzip
member; a server that ignores Range is accepted only for a file that fits in DOWNLOAD_MAXSIZE.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import DropItem, UsageError
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.archive.imports import ImportProgress, import_progress, save_import_progress
from crawler.archive.lock import DatabaseBusy
from crawler.archive.writer import Archive, Written
from crawler.context import archive_config
from crawler.extraction import Budget, ExtractionError, extract_article
from crawler.items import Article, Hints
from crawler.limits import SpiderLimits
from crawler.pages import decode_page
from crawler.processing import ContentStage, build_content_stages, run_content_stages
from crawler.seeds import Source
from crawler.webarchive.reading import Member, WarcRecord, WarcSplitter, parse_member

logger = logging.getLogger(__name__)

BATCH = 50
COMMIT_SECONDS = 2.0  # a stretch without articles still moves the resume offset on
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Filters:
    domains: tuple[str, ...] = ()  # empty: every host
    languages: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None  # exclusive

    def host_allowed(self, host: str) -> bool:
        return not self.domains or any(host == d or host.endswith("." + d) for d in self.domains)


def parse_day_or_time(value: str, *, end: bool = False) -> datetime:
    """YYYY-MM-DD (the whole day: --until includes it) or an ISO 8601 time (UTC unless it says)."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{value}: expected YYYY-MM-DD or an ISO 8601 date and time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if end and len(value) == 10:
        when += timedelta(days=1)
    return when


def parse_list(values: Iterable[str]) -> list[str]:
    """Comma-separated lists, repeatable; `@FILE` reads one item a line (# comments)."""
    items: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part.startswith("@"):
                try:
                    lines = Path(part[1:]).read_text(encoding="utf-8").splitlines()
                except OSError as exc:
                    raise UsageError(f"{part}: {exc}") from None
                items += [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
            elif part:
                items.append(part)
    return items


def parse_sources(values: Iterable[str]) -> dict[str, str]:
    mapping = {}
    for item in parse_list(values):
        host, sep, name = item.partition("=")
        if not sep or not host.strip() or not name.strip():
            raise UsageError(f"--sources {item}: expected HOST=NAME")
        mapping[host.strip().lower().removeprefix("www.")] = name.strip()
    return mapping


def is_html(content_type: str, body: bytes) -> bool:
    mime = content_type.split(";")[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    return b"<html" in body[:2048].lower()  # no Content-Type: sniffed, as Scrapy would


def warc_time(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@dataclass
class Importer:
    """One import run: records in, articles to the archive in batches, progress kept per input."""

    archive: Archive
    stages: list[ContentStage]
    budget: Budget
    filters: Filters = field(default_factory=Filters)
    source_names: dict[str, str] = field(default_factory=dict)
    progress_seconds: float = 5.0
    counts: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0
    started: float = field(default_factory=time.monotonic)
    _batch: list[Article] = field(default_factory=list)
    _known_sources: set[str] = field(default_factory=set)
    _last_progress: float = field(default_factory=time.monotonic)

    # --- one input -------------------------------------------------------------------------------

    def run(self, name: str, chunks: Iterable[bytes], progress: ImportProgress) -> ImportProgress:
        """Import one input from ``progress.next_offset``, where ``chunks`` starts."""
        current = InputImport(self, name, progress)
        for chunk in chunks:
            current.feed(chunk)
        return current.close()

    def commit(self, name: str, progress: ImportProgress) -> ImportProgress:
        """The articles first, then the offset: a kill in between re-reads a batch, stores it once."""
        self.flush()
        save_import_progress(self.archive.db, name, progress)
        return progress

    # --- one record ------------------------------------------------------------------------------

    def record(self, name: str, record: WarcRecord) -> int:
        """1 when the record became an article handed to the archive."""
        if record.warc_type != "response" or record.http_status is None or not record.url.startswith("http"):
            self.counts["skipped_not_http_response"] += 1
            return 0
        if record.http_status != 200:
            self.counts["skipped_not_200"] += 1
            return 0
        if not is_html(record.content_type, record.body):
            self.counts["skipped_not_html"] += 1
            return 0
        host = (urlsplit(record.url).hostname or "").lower()
        if not self.filters.host_allowed(host):
            self.counts["skipped_domain"] += 1
            return 0
        fetched_at = warc_time(record.date)
        filters = self.filters
        if fetched_at is not None and (
            (filters.since and fetched_at < filters.since) or (filters.until and fetched_at >= filters.until)
        ):
            self.counts["skipped_date"] += 1
            return 0
        source = self.source_for(host)
        try:
            text, _ = decode_page(record.body, record.content_type or None)
            article = extract_article(
                text, record.url, Hints(source=source), fetched_at=fetched_at or datetime.now(UTC), budget=self.budget
            )
        except ExtractionError as exc:
            self.counts["unextractable"] += 1
            logger.info("%s at offset %d: %s: nothing extracted: %s", name, record.offset, record.url, exc)
            return 0
        except Exception as exc:  # a bug in extraction costs this record, not the import
            self.counts["extraction_failed"] += 1
            logger.error("%s at offset %d: %s: extraction failed: %s: %s", name, record.offset, record.url,
                         type(exc).__name__, exc)  # fmt: skip
            return 0
        if filters.languages and (article.language or "") not in filters.languages:
            self.counts["skipped_language"] += 1
            return 0
        article.raw_html = record.body
        article.raw_content_type = record.content_type or None
        try:
            article = run_content_stages(article, self.stages)
        except DropItem as exc:
            self.counts[f"dropped_{type(exc).__name__}"] += 1
            return 0
        self._batch.append(article)
        return 1

    def source_for(self, host: str) -> str:
        bare = host.removeprefix("www.")
        name = next((n for h, n in self.source_names.items() if bare == h or bare.endswith("." + h)), bare)
        if name not in self._known_sources:
            exists = self.archive.db.execute("SELECT 1 FROM sources WHERE name = ?", [name]).fetchone()
            if not exists:  # a seed's own row (feeds, timezone) is never overwritten
                self.archive.save_sources([Source(name=name, file="import-warc")])
            self._known_sources.add(name)
        return name

    def flush(self) -> None:
        if self._batch:
            for result in self.archive.write(self._batch):
                self.counts[f"stored_{result.written.value}"] += 1
            self._batch.clear()

    # --- what the person watching sees -------------------------------------------------------------

    def report(self, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last_progress < self.progress_seconds:
            return
        self._last_progress = now
        print(self.progress_line(), file=sys.stderr, flush=True)

    def progress_line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        stored = sum(v for k, v in self.counts.items() if k.startswith("stored_"))
        return (
            f"import-warc: {self.counts['records']} records, {stored} articles, "
            f"{self.bytes_read / 1e6 / elapsed:.1f} MB/s, {self.counts['damaged']} damaged"
        )

    def summary(self) -> str:
        stored = {w.value: self.counts[f"stored_{w.value}"] for w in Written}
        rest = {k: v for k, v in sorted(self.counts.items()) if not k.startswith("stored_") and k != "records"}
        return (
            f"imported {self.counts['records']} record(s): {stored['new']} new, {stored['updated']} updated, "
            f"{stored['unchanged']} unchanged, {stored['duplicate']} duplicate, {stored['empty']} empty, "
            f"{stored['failed']} failed; " + ", ".join(f"{k} {v}" for k, v in rest.items())
        )


class InputImport:
    """One input being read: bytes pushed in as they arrive (from a file or a download)."""

    def __init__(self, importer: Importer, name: str, progress: ImportProgress) -> None:
        self.importer, self.name = importer, name
        self.offset, self.records, self.articles = progress.next_offset, progress.records, progress.articles
        self.splitter = WarcSplitter(self.offset)
        self.last_commit = time.monotonic()
        self.closed = False

    def feed(self, data: bytes) -> None:
        self.importer.bytes_read += len(data)
        for member in self.splitter.feed(data):
            self._member(member)

    def close(self, *, finished: bool = True) -> ImportProgress:
        self.closed = True
        if finished:
            for member in self.splitter.close():
                self._member(member)
        return self.importer.commit(self.name, ImportProgress(self.offset, self.records, self.articles, finished))

    def _member(self, member: Member) -> None:
        importer = self.importer
        for item in parse_member(member) if member.error is None else [member]:
            self.records += 1
            if isinstance(item, Member):
                importer.counts["damaged"] += 1
                message = f"{self.name} at offset {item.offset}: {item.error}; continuing at {item.end}"
                logger.warning(message)
                print(message, file=sys.stderr)
            else:
                importer.counts["records"] += 1
                self.articles += importer.record(self.name, item)
        self.offset = member.end
        if len(importer._batch) >= BATCH or time.monotonic() - self.last_commit >= COMMIT_SECONDS:
            importer.commit(self.name, ImportProgress(self.offset, self.records, self.articles, False))
            self.last_commit = time.monotonic()
        importer.report()


def file_chunks(path: Path, offset: int, size: int) -> Iterator[bytes]:
    with path.open("rb") as stream:
        stream.seek(offset)
        while chunk := stream.read(size):
            yield chunk


def build_importer(archive: Archive, settings: BaseSettings, filters: Filters, names: dict[str, str]) -> Importer:
    return Importer(
        archive, build_content_stages(settings), SpiderLimits.from_settings(settings).budget, filters, names,
        progress_seconds=settings.getfloat("INGEST_PROGRESS_INTERVAL") or 5.0,
    )  # fmt: skip


# --- remote inputs: Range requests through Scrapy's downloader -----------------------------------


class RangeSpider(Spider):
    """Downloads one URL in Range requests, one at a time, handing each chunk to the importer."""

    name = "import-warc"
    custom_settings = {
        # a download, not a crawl: none of the crawl's spider middlewares, pipelines or extensions
        "SPIDER_MIDDLEWARES": {"crawler.middlewares.incremental.IncrementalMiddleware": None},
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {
            "crawler.extensions.runs.CrawlRunsExtension": None,
            "crawler.extensions.progress.ProgressExtension": None,
            "crawler.extensions.summary.SourceSummaryExtension": None,
            "crawler.extensions.warc.WarcWriterExtension": None,
        },
        "ROBOTSTXT_OBEY": False,  # a file named on the command line, not a page found by crawling
        "HTTPERROR_ALLOW_ALL": True,
        "DEPTH_LIMIT": 0,  # each Range request follows the one before
        "AUTOTHROTTLE_ENABLED": False,  # one request at a time already
    }

    def __init__(self, url: str, offset: int, chunk_bytes: int, sink: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url, self.offset, self.chunk_bytes, self.sink = url, offset, chunk_bytes, sink

    async def start(self) -> Any:
        yield self._range(self.offset)

    def _range(self, start: int) -> Request:
        end = start + self.chunk_bytes - 1
        return Request(
            self.url, headers={"Range": f"bytes={start}-{end}"}, callback=self.parse, dont_filter=True,
            meta={"ingest_start": start},
        )  # fmt: skip

    def parse(self, response: Response) -> Iterator[Request]:
        start = response.meta["ingest_start"]
        if response.status == 416:  # past the end
            self.sink.done()
            return
        if response.status == 200:
            if start:
                self.sink.fail(f"{self.url}: the server ignores Range; cannot resume at {start}")
                return
            self.sink.take(response.body)  # the whole file, within DOWNLOAD_MAXSIZE
            self.sink.done()
            return
        if response.status != 206:
            self.sink.fail(f"{self.url}: HTTP {response.status}")
            return
        self.sink.take(response.body)
        total = (response.headers.get(b"Content-Range") or b"").rsplit(b"/", 1)[-1]
        following = start + len(response.body)
        if not response.body or (total.isdigit() and following >= int(total)):
            self.sink.done()
            return
        yield self._range(following)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return (
            "FILE_OR_URL... [--domains LIST|@FILE] [--languages LIST] [--since DATE] [--until DATE]"
            " [--sources HOST=NAME,...] [--again]"
        )

    def short_desc(self) -> str:
        return "Import articles from WARC files or URLs (CC-NEWS included) as a crawl would store them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--domains", action="append", default=[], help="only these hosts (and subdomains)")
        parser.add_argument("--languages", action="append", default=[], help="only articles in these languages")
        parser.add_argument("--since", default=None, help="only records dated from then (WARC-Date)")
        parser.add_argument("--until", default=None, help="only records dated before then (a day: to its end)")
        parser.add_argument("--sources", action="append", default=[], help="HOST=NAME: store a host's under NAME")
        parser.add_argument("--again", action="store_true", help="read finished inputs again (stores nothing twice)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("name at least one WARC file or URL")
        filters = Filters(
            domains=tuple(d.lower().removeprefix("www.") for d in parse_list(opts.domains)),
            languages=frozenset(parse_list(opts.languages)),
            since=parse_day_or_time(opts.since) if opts.since else None,
            until=parse_day_or_time(opts.until, end=True) if opts.until else None,
        )
        names = parse_sources(opts.sources)
        inputs = []
        for arg in args:
            if arg.startswith(("http://", "https://")):
                inputs.append(arg)
            elif Path(arg).is_file():
                inputs.append(str(Path(arg).resolve()))
            else:
                raise UsageError(f"{arg}: no such file (or not an http(s) URL)")
        try:
            archive = Archive.open(self.settings.get("INGEST_DB_PATH"), archive_config(self.settings))
        except DatabaseBusy as exc:
            print(f"Cannot import: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        importer = build_importer(archive, self.settings, filters, names)
        chunk = self.settings.getint("INGEST_WARC_IMPORT_CHUNK_BYTES")
        try:
            for name in inputs:
                progress = import_progress(archive.db, name)
                if progress.finished and not opts.again:
                    print(f"{name}: imported already (--again reads it again)", file=sys.stderr)
                    continue
                if progress.finished:
                    progress = ImportProgress()
                elif progress.next_offset:
                    print(f"{name}: resuming at offset {progress.next_offset}", file=sys.stderr)
                if name.startswith(("http://", "https://")):
                    if not self._import_remote(importer, name, progress, chunk):
                        self.exitcode = 1
                else:
                    importer.run(name, file_chunks(Path(name), progress.next_offset, chunk), progress)
        finally:
            importer.flush()
            archive.close()
        importer.report(final=True)
        print(importer.summary(), file=sys.stderr)

    def _import_remote(self, importer: Importer, url: str, progress: ImportProgress, chunk: int) -> bool:
        """The download runs in Scrapy's reactor; the importer reads the chunks as it hands them over."""
        from scrapy.crawler import CrawlerProcess

        sink = ChunkSink(InputImport(importer, url, progress))
        assert self.settings is not None
        process = CrawlerProcess(self.settings)
        process.crawl(RangeSpider, url=url, offset=progress.next_offset, chunk_bytes=chunk, sink=sink)
        process.start()
        if not sink.current.closed and sink.error is None:
            sink.fail(f"{url}: the download ended early")
        if sink.error:
            print(sink.error, file=sys.stderr)
            return False
        return True


class ChunkSink:
    """Hands downloaded chunks to the import as they arrive, in the reactor's thread: the next Range
    request goes out only once a chunk is imported, so at most one chunk is held."""

    def __init__(self, current: InputImport) -> None:
        self.current = current
        self.error: str | None = None

    def take(self, data: bytes) -> None:
        self.current.feed(data)

    def done(self) -> None:
        self.current.close()

    def fail(self, reason: str) -> None:
        self.error = reason
        self.current.close(finished=False)  # the offset reached is kept: a later run resumes there
