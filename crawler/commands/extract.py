"""`scrapy extract PATH... [-o FILE.jsonl] [--url URL]`: extract saved pages as a crawl would.

Each `.html`/`.html.gz` file (directories are searched recursively, in sorted order) goes through
the spider's decoding and extraction and the pipeline's content stages, and becomes one JSON line.
A file that cannot be read or extracted still gets its line, with the reason in `error`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import DropItem, UsageError
from scrapy.settings import BaseSettings

from crawler.compression import gunzip_capped, is_gzip
from crawler.extraction import Budget, ExtractionError, extract_article
from crawler.extraction.article import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS
from crawler.items import Article
from crawler.processing import ContentStage, build_content_stages, run_content_stages

FIELDS = (
    "file", "url", "title", "body", "captions", "authors", "published_at", "modified_at", "language",
    "canonical_url", "site_name", "description", "error",
)  # fmt: skip
SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def page_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named on the command line as they are; directories searched for pages, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.name.lower().endswith(SUFFIXES) and p.is_file())
        else:
            yield path


@dataclass
class FileExtractor:
    """Extraction and content stages, built once and applied to any number of files."""

    stages: list[ContentStage]
    budget: Budget
    max_file_size: int = 0
    default_timezone: tzinfo | None = None
    # when the pages were fetched, for relative dates ("2 hours ago"); a file's mtime is no guide:
    # copying or unpacking a saved page resets it
    fetched_at: datetime | None = None

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, default_timezone: tzinfo | None = None, fetched_at: datetime | None = None
    ) -> FileExtractor:
        # the extraction budget settings default to the extraction package's own defaults
        budget = Budget(
            max_bytes=settings.getint("INGEST_EXTRACTION_MAX_BYTES", DEFAULT_MAX_BYTES),
            max_seconds=settings.getfloat("INGEST_EXTRACTION_MAX_SECONDS", DEFAULT_MAX_SECONDS),
        )
        stages = build_content_stages(settings)
        return cls(stages, budget, settings.getint("DOWNLOAD_MAXSIZE"), default_timezone, fetched_at)

    def record(self, path: Path, url: str | None = None) -> dict[str, Any]:
        """One output line: the article's fields, and `error` when something went wrong."""
        url = url or path.absolute().as_uri()
        try:
            data = path.read_bytes()
            if is_gzip(data):
                # a cap, so that a compression bomb costs no more memory than a download could
                data = gunzip_capped(data, self.max_file_size)
        except (OSError, ValueError) as exc:
            return _failed(path, url, f"{type(exc).__name__}: {exc}")
        try:
            article = extract_article(
                data, url, fetched_at=self.fetched_at, default_timezone=self.default_timezone, budget=self.budget
            )
        except ExtractionError as exc:
            return _failed(path, url, f"{type(exc).__name__}: {exc}")
        error = None
        try:
            # one stage at a time, so that a dropped article still shows what it was when dropped
            for stage in self.stages:
                article = run_content_stages(article, [stage])
        except DropItem as exc:
            error = f"{type(exc).__name__}: {exc}"
        return _fields(path, article, error)


def _fields(path: Path, article: Article, error: str | None) -> dict[str, Any]:
    return {
        "file": str(path),
        "url": article.url,
        "title": article.title,
        "body": article.body,
        "captions": [asdict(caption) for caption in article.captions],
        "authors": article.authors,
        "published_at": article.published_at,
        "modified_at": article.modified_at,
        "language": article.language,
        "canonical_url": article.canonical_url,
        "site_name": article.site_name,
        "description": article.description,
        "error": error,
    }


def _failed(path: Path, url: str, error: str) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(FIELDS)
    record.update(file=str(path), url=url, body="", captions=[], authors=[], error=error)
    return record


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "PATH... [-o FILE.jsonl] [--url URL] [--timezone ZONE] [--fetched-at DATETIME]"

    def short_desc(self) -> str:
        return "Extract saved pages (.html, .html.gz, directories of them) to JSON lines, as a crawl would"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", default="-", help="output file (default: stdout)")
        parser.add_argument("--url", metavar="URL", default=None, help="the page's URL (one file only)")
        parser.add_argument("--timezone", metavar="ZONE", default=None, help="zone of times printed without one")
        parser.add_argument(
            "--fetched-at", metavar="DATETIME", default=None, help="when the pages were fetched, for '2 hours ago'"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give at least one file or directory")
        paths = [Path(arg) for arg in args]
        if opts.url and (len(paths) > 1 or paths[0].is_dir()):
            raise UsageError("--url names one page: give exactly one file with it")
        try:
            zone = ZoneInfo(opts.timezone) if opts.timezone else None
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"--timezone {opts.timezone}: unknown time zone") from None
        try:
            fetched_at = datetime.fromisoformat(opts.fetched_at) if opts.fetched_at else None
        except ValueError:
            raise UsageError(f"--fetched-at {opts.fetched_at}: expected an ISO 8601 date and time") from None
        if fetched_at is not None and fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=zone or UTC)
        extractor = FileExtractor.from_settings(self.settings, zone, fetched_at)
        out: IO[str] = sys.stdout if opts.output == "-" else open(opts.output, "w", encoding="utf-8")
        count = failed = 0
        try:
            for path in page_files(paths):
                record = extractor.record(path, opts.url)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
                failed += record["error"] is not None
        finally:
            if out is not sys.stdout:
                out.close()
        print(f"extracted {count} file(s); {failed} with an error", file=sys.stderr)
