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
from sqlite_utils import Database

from crawler.archive import open_db
from crawler.archive.articles import Outcome, save_article
from crawler.archive.boilerplate import learned
from crawler.archive.lock import DatabaseBusy, DatabaseLock
from crawler.archive.rawpages import StoredPage, articles_without_raw_html, pages_to_reextract
from crawler.dates import parse_stored
from crawler.dedup.blocks import BoilerplateRule
from crawler.extraction import ExtractionError, extract_article
from crawler.items import Article, Hints
from crawler.processing import build_content_stages, run_content_stages

BATCH = 50


def without_learned_boilerplate(db: Database, article: Article, rule: BoilerplateRule) -> Article:
    """Remove the blocks the boilerplate pipeline has learned for this source, as a crawl would."""
    keys = [rule.key(block.text) for block in article.blocks]
    known = learned(db, article.source, {key for key in keys if key is not None}) if article.source else set()
    if known:
        article.blocks = [block for key, block in zip(keys, article.blocks, strict=True) if key not in known]
    return article


def reextracted(page: StoredPage) -> Article:
    """Extraction exactly as the spider does it; stored dates stand in for the feed's hints."""
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
    )
    article.raw_html = page.html
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
        db_path = self.settings.get("INGEST_DB_PATH")
        lock = DatabaseLock(db_path)
        try:
            lock.acquire()
        except DatabaseBusy as exc:
            print(f"Cannot re-extract: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        db = open_db(db_path)
        stages = build_content_stages(self.settings)
        rule = BoilerplateRule(max_chars=self.settings.getint("INGEST_BOILERPLATE_MAX_CHARS"))
        counts: Counter[str] = Counter()
        batch: list[tuple[str, Article]] = []

        def flush() -> None:
            with db.atomic():
                for article_id, article in batch:
                    counts[save_article(db, article_id, article).value] += 1
            batch.clear()

        try:
            for page in pages_to_reextract(db, source=opts.source, since=since):
                try:
                    article = without_learned_boilerplate(db, reextracted(page), rule)
                    article = run_content_stages(article, stages)
                except (ExtractionError, DropItem) as exc:
                    counts["failed"] += 1
                    print(f"{page.url}: kept as stored: {exc}", file=sys.stderr)
                    continue
                # Keep the article's identity: its id is its stored id, whatever the page now says.
                batch.append((page.article_id, article))
                if len(batch) >= BATCH:
                    flush()
            flush()
            missing = articles_without_raw_html(db, source=opts.source)
        finally:
            db.close()
            lock.release()
        print(
            f"re-extracted {sum(counts.values())} article(s): {counts[Outcome.UPDATED.value]} changed "
            f"(new revision), {counts[Outcome.UNCHANGED.value]} unchanged, {counts['failed']} failed; "
            f"{missing} without raw HTML",
            file=sys.stderr,
        )
