"""`scrapy import-warc FILE_OR_URL...`: articles from WARC files (CC-NEWS included) into the archive.

The command reads its options and runs the import job of crawler.warcimport on each input in turn:
local files read in INGEST_WARC_IMPORT_CHUNK_BYTES pieces, URLs downloaded through Scrapy's
downloader in Range requests of that size. A finished input is skipped unless --again; an unfinished
one resumes at its last committed offset.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive.imports import ImportProgress, import_progress
from crawler.archive.lock import DatabaseBusy
from crawler.archive.writer import Archive
from crawler.context import archive_config
from crawler.warcimport.importer import build_importer, file_chunks
from crawler.warcimport.remote import import_remote
from crawler.webarchive.selection import Filters


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
                    error = import_remote(self.settings, importer, name, progress)
                    if error:
                        print(error, file=sys.stderr)
                        self.exitcode = 1
                else:
                    importer.run(name, file_chunks(Path(name), progress.next_offset, chunk), progress)
        finally:
            importer.flush()
            archive.close()
        importer.report(final=True)
        print(importer.summary(), file=sys.stderr)
