"""One article response to an Article item, or to the reason there is none (to count and log).

The spider's parse_article asks this and turns a refusal into a stat, a log line and a UrlSettled
outcome; decoding is crawler.pages', extraction crawler.extraction's (pure). This module only knows
how a response's failure to become an article is named, and whether a later run should try again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.extraction import ExtractionBudgetExceeded, ExtractionError, extract_article
from crawler.incremental.outcomes import UrlSettled
from crawler.items import Article, Hints
from crawler.limits import SpiderLimits
from crawler.pages import decode_page
from crawler.seeds import Source


@dataclass(frozen=True)
class NoArticle:
    """Why a response gave no article: the stat key to count, the log line, and whether to try again."""

    stat: str
    message: str
    level: int = logging.WARNING
    transient: bool = False  # tried again next run (its listing read again), not settled for good


def content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else ""


def read_article(response: Response, source: Source, hints: Hints, limits: SpiderLimits) -> Article | NoArticle:
    """The article on ``response``, with what its listing said of it, or the reason there is none."""
    if not isinstance(response, TextResponse):
        kind = content_type(response) or "no Content-Type"
        message = f"Article {response.url}: not an HTML page ({kind}); skipped"
        return NoArticle("ingest/spider/articles_not_html", message)
    tz = ZoneInfo(source.timezone) if source.timezone else None
    try:
        text, _ = decode_page(response.body, content_type(response))
        article = extract_article(
            text, response.url, hints, fetched_at=datetime.now(UTC), default_timezone=tz, budget=limits.budget
        )
    except ExtractionBudgetExceeded as exc:
        return NoArticle("ingest/spider/articles_over_budget", f"Article {response.url}: nothing extracted: {exc}")
    except ExtractionError as exc:
        return NoArticle("ingest/spider/articles_unextractable", f"Article {response.url}: nothing extracted: {exc}")
    except Exception as exc:  # a bug in extraction costs this page, not a traceback per page
        return NoArticle(
            "ingest/spider/articles_extraction_failed",
            f"Article {response.url}: extraction failed (a bug): {type(exc).__name__}: {exc}",
            level=logging.ERROR,
            transient=True,  # a later run, with the bug fixed, tries again
        )
    entry_date = hints.modified_at or hints.published_at
    article.entry_date = entry_date.isoformat() if entry_date else None
    article.listing = hints.discovered_from
    article.listing_kind = response.meta.get("ingest_listing_kind")
    if limits.keep_raw_html:
        article.raw_html = response.body
        article.raw_content_type = content_type(response) or None
    return article


def settled(request: Request | None, *, transient: bool = False) -> UrlSettled:
    """The outcome of an article request that ends without an article: final (not fetched again
    unless its entry changes) or transient (tried again next run, its listing read again)."""
    assert request is not None  # a callback's response always has its request
    hints: Hints | None = request.meta.get("ingest_hints")
    entry = (hints.modified_at or hints.published_at) if hints else None
    return UrlSettled(
        request.url,
        request.meta.get("ingest_source", ""),
        entry.isoformat() if entry else None,
        hints.discovered_from if hints else None,
        transient,
    )
