"""`scrapy reextract [--source NAME] [--since DATE]`: re-run today's extraction on stored raw HTML.

No network: pages come from the raw_pages table. Each article goes through the same extraction and
content stages as a crawl; a new revision is written only where the extracted content changed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import DropItem, UsageError

from crawler.archive.lock import DatabaseBusy
from crawler.archive.rawpages import StoredPage, articles_without_raw_html
from crawler.archive.writer import Archive, Written
from crawler.context import archive_config
from crawler.dates import parse_stored
from crawler.extraction import Budget, ExtractionError, extract_article
from crawler.items import Article, Hints
from crawler.limits import SpiderLimits
from crawler.processing import build_content_stages, run_content_stages

BATCH = 50


def reextracted(page: StoredPage, budget: Budget) -> Article:
    """Extraction exactly as the spider does it, budgets included; stored dates stand in for the
    feed's hints, and the article keeps its stored id whatever the page now says."""
    hints = Hints(
        source=page.source or "",
        language=page.language,
        published_at=parse_stored(page.published_at),
        modified_at=parse_stored(page.modified_at),
    )
    article = extract_article(
        page.html,
        page.url,
        hints,
        fetched_at=parse_stored(page.fetched_at),
        default_timezone=ZoneInfo(page.timezone) if page.timezone else None,
        budget=budget,
        content_type=page.content_type,
    )
    article.raw_html = page.html
    article.raw_content_type = page.content_type
    article.article_id = page.article_id
    return article


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--source NAME] [--since YYYY-MM-DD]"

    def short_desc(self) -> str:
        return "Re-extract stored articles from their raw HTML with the current code (no network)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", metavar="NAME", default=None, help="only this source's articles")
        parser.add_argument("--since", metavar="DATE", default=None, help="only articles fetched since this day")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        since = None
        if opts.since:
            try:
                since = date.fromisoformat(opts.since).isoformat()
            except ValueError:
                raise UsageError(f"--since {opts.since}: expected a date as YYYY-MM-DD") from None
        try:
            archive = Archive.open(self.settings.get("INGEST_DB_PATH"), archive_config(self.settings))
        except DatabaseBusy as exc:
            print(f"Cannot re-extract: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        stages = build_content_stages(self.settings)
        budget = SpiderLimits.from_settings(self.settings).budget
        counts: Counter[str] = Counter()
        batch: list[Article] = []

        def flush() -> None:
            # Learned boilerplate is removed, story links kept up to date, nothing counted twice.
            for result in archive.write(batch, learn=False):
                counts[result.written.value] += 1
            batch.clear()

        try:
            for page in archive.stored_pages(source=opts.source, since=since):
                try:
                    batch.append(run_content_stages(reextracted(page, budget), stages))
                except (ExtractionError, DropItem) as exc:
                    counts["failed"] += 1
                    print(f"{page.url}: kept as stored: {exc}", file=sys.stderr)
                    continue
                if len(batch) >= BATCH:
                    flush()
            flush()
            missing = articles_without_raw_html(archive.db, source=opts.source)
        finally:
            archive.close()
        failed = counts["failed"] + counts[Written.FAILED.value] + counts[Written.EMPTY.value]
        print(
            f"re-extracted {sum(counts.values())} article(s): {counts[Written.UPDATED.value]} changed "
            f"(new revision), {counts[Written.UNCHANGED.value]} unchanged, {failed} failed; "
            f"{missing} without raw HTML",
            file=sys.stderr,
        )
