"""One import run: WARC records in, articles to the archive in batches, progress kept per input.

Every HTML 200 `response` record goes through exactly what a crawled page does: crawler.pages decoding
with the record's Content-Type, crawler.extraction.extract_article, the pipelines' content stages
(as `scrapy reextract` runs them), and Archive.write (boilerplate, story linking, storage), under its
host's name or the `--sources` mapping. Bad input never stops an import: damaged stretches,
non-HTTP records and responses that are not 200 HTML pages are counted, and logged with file and
offset. The offset after the last committed record is kept per input (table warc_imports), so a
killed import resumes there; writes are idempotent, so re-reading a record stores nothing twice.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from crawler.archive.imports import ImportProgress, save_import_progress
from crawler.archive.writer import Archive, Written
from crawler.extraction import Budget, ExtractionError, extract_article
from crawler.items import Article, Hints
from crawler.limits import SpiderLimits
from crawler.pages import decode_page
from crawler.processing import ContentStage, build_content_stages, run_content_stages
from crawler.seeds import Source
from crawler.webarchive.reading import Member, WarcRecord, WarcSplitter, parse_member
from crawler.webarchive.selection import Filters, select

logger = logging.getLogger(__name__)

BATCH = 50
COMMIT_SECONDS = 2.0  # a stretch without articles still moves the resume offset on
CLOCK_EVERY = 64  # members between looks at the clock (commit and progress line are due by time)


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
    batch: list[Article] = field(default_factory=list)
    _hosts: dict[str, str] = field(default_factory=dict)  # host -> source name
    _known_sources: set[str] = field(default_factory=set)  # names whose row the archive has
    _last_progress: float = field(default_factory=time.monotonic)

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

    def record(self, name: str, record: WarcRecord) -> int:
        """1 when the record became an article handed to the archive."""
        candidate = select(record, self.filters)
        if isinstance(candidate, str):
            self.counts[candidate] += 1
            return 0
        source = self.source_for(candidate.host)
        try:
            text, _ = decode_page(record.body, record.content_type or None)
            article = extract_article(
                text, record.url, Hints(source=source), fetched_at=candidate.fetched_at or datetime.now(UTC),
                budget=self.budget,
            )  # fmt: skip
        except ExtractionError as exc:
            self.counts["unextractable"] += 1
            logger.info("%s at offset %d: %s: nothing extracted: %s", name, record.offset, record.url, exc)
            return 0
        except Exception as exc:  # a bug in extraction costs this record, not the import
            self.counts["extraction_failed"] += 1
            logger.error("%s at offset %d: %s: extraction failed: %s: %s", name, record.offset, record.url,
                         type(exc).__name__, exc)  # fmt: skip
            return 0
        if not self.filters.language_allowed(article.language):
            self.counts["skipped_language"] += 1
            return 0
        article.raw_html = record.body
        article.raw_content_type = record.content_type or None
        try:
            article = run_content_stages(article, self.stages)
        except DropItem as exc:
            self.counts[f"dropped_{type(exc).__name__}"] += 1
            return 0
        self.batch.append(article)
        return 1

    def source_for(self, host: str) -> str:
        """The host's source name (the --sources mapping, else the host less www.); its row is added
        the first time, unless the archive has it: a seed's own row (feeds, timezone) is kept."""
        name = self._hosts.get(host)
        if name is not None:
            return name
        bare = host.removeprefix("www.")
        name = next((n for h, n in self.source_names.items() if bare == h or bare.endswith("." + h)), bare)
        if name not in self._known_sources:
            exists = self.archive.db.execute("SELECT 1 FROM sources WHERE name = ?", [name]).fetchone()
            if not exists:
                self.archive.save_sources([Source(name=name, file="import-warc")])
            self._known_sources.add(name)
        self._hosts[host] = name
        return name

    def flush(self) -> None:
        if self.batch:
            for result in self.archive.write(self.batch):
                self.counts[f"stored_{result.written.value}"] += 1
            self.batch.clear()

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
        self.members = 0
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
        self.members += 1
        if len(importer.batch) >= BATCH:
            self._commit()
        elif self.members % CLOCK_EVERY == 0:
            if time.monotonic() - self.last_commit >= COMMIT_SECONDS:
                self._commit()
            importer.report()

    def _commit(self) -> None:
        self.importer.commit(self.name, ImportProgress(self.offset, self.records, self.articles, False))
        self.last_commit = time.monotonic()


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
