"""extract_article: one fetched page in, one Article out, within a per-page size and time budget.

Pages that take seconds are rare but real: megabyte tables, thousands of nested elements, text
dumps. The size limit is checked before parsing (parsing itself runs in C and cannot be
interrupted); the time limit interrupts the Python work after parsing with SIGALRM.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from types import FrameType

from crawler.dates import choose_dates, to_stored, to_utc
from crawler.items import Article, Hints
from crawler.pages import ExtractionError, parse_html

from . import metadata, people
from .body import PLAUSIBLE_ARTICLE_WORDS, extract_blocks, never_worse
from .captions import captions_outside_body, extract_captions, with_stated_captions
from .document import index_page
from .furniture import cut_after_article, drop_boilerplate
from .jsonld import read_jsonld
from .lead_image import with_lead_image_alt
from .paywall import paywall
from .stated_body import body_from_data, data_body, reconcile

# Real article pages, inline scripts included, stay well below these; 30 MB tables do not.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_SECONDS = 5.0


class ExtractionBudgetExceeded(ExtractionError):
    """The page is larger, or its extraction slower, than the budget allows."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "too_large" or "too_slow": a stats key suffix


@dataclass(frozen=True)
class Budget:
    """Limits for one page; 0 switches a limit off."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS

    def check_size(self, html: bytes | str) -> None:
        """Raise before parsing when the page is too large (characters count for text input)."""
        if self.max_bytes and len(html) > self.max_bytes:
            raise ExtractionBudgetExceeded(f"page too large: {len(html)} bytes (limit {self.max_bytes})", "too_large")


DEFAULT_BUDGET = Budget()


class _OutOfTime(BaseException):
    """Raised by the alarm handler. A BaseException, so that the `except Exception` and
    `except ValueError` blocks inside trafilatura cannot swallow it on the way out."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with ExtractionBudgetExceeded after `seconds` of wall time.

    Only in the main thread (where Scrapy runs callbacks), and only where SIGALRM exists;
    elsewhere the block runs unlimited. A timer and handler already installed by someone else
    are restored afterwards, with the time the block used subtracted from the timer.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            # disarm first: an alarm landing after this point can no longer interrupt anything
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        raise ExtractionBudgetExceeded(f"extraction took longer than {seconds:g} s", "too_slow") from None
    finally:
        # None: the previous handler was not installed from Python; the default is the closest
        signal.signal(signal.SIGALRM, previous_handler if previous_handler is not None else signal.SIG_DFL)
        if previous_delay > 0:
            # 1 µs, not 0: a zero delay would cancel the other timer instead of letting it fire
            remaining = max(previous_delay - (time.monotonic() - started), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)


def extract_article(
    html: bytes | str,
    url: str,
    hints: Hints | None = None,
    *,
    fetched_at: datetime | None = None,
    default_timezone: tzinfo | None = None,
    budget: Budget = DEFAULT_BUDGET,
    content_type: str | None = None,
) -> Article:
    """Extract body blocks, captions and metadata from a page; a pure function of its arguments.

    The page is parsed once; trafilatura (body) and the metadata readers share that tree.
    `default_timezone` is the zone of times the page states without one (UTC when not given);
    `fetched_at` anchors relative dates such as "vor 2 Stunden".
    Bytes are decoded by crawler.pages.decode_page, as the spider decodes them; `content_type` is the
    Content-Type header (or charset) the page was served with, when the caller knows it.
    `budget` limits the page size and the extraction time (`Budget(0, 0)`: no limits).
    Raises ExtractionError when the input is no HTML or yields neither a title nor a body, and its
    subclass ExtractionBudgetExceeded when the page exceeds the budget.
    """
    budget.check_size(html)
    with time_limit(budget.max_seconds):
        return _extract(html, url, hints or Hints(), fetched_at, default_timezone, content_type)


def _extract(
    html: bytes | str,
    url: str,
    hints: Hints,
    fetched_at: datetime | None,
    default_timezone: tzinfo | None,
    content_type: str | None,
) -> Article:
    tree = parse_html(html, content_type)
    page = index_page(tree, url)
    facts = read_jsonld(page.jsonld)
    site = metadata.site_name(page, facts)
    title = metadata.title(page, facts, site, hints)
    page_captions = [caption for caption in extract_captions(page) if not people.reads_as_byline(caption.text)]
    captions = with_stated_captions(page_captions, facts.images)
    declared = metadata.declared_language(page, facts, hints)
    found = extract_blocks(tree, url)
    captions = captions_outside_body(found, captions)
    blocks, byline_names = drop_boilerplate(cut_after_article(found), title=title, captions=captions, language=declared)
    blocks = reconcile(blocks, facts.article_body)
    if not facts.article_body and page.data_scripts:
        blocks = body_from_data(blocks, data_body(page.data_scripts), PLAUSIBLE_ARTICLE_WORDS)
    # the evidence the guard accepts: exact repeats of the title and captions, date lines and bylines,
    # and the end of the article at a comments or footer heading
    blocks = never_worse(
        blocks,
        found,
        lambda: drop_boilerplate(
            cut_after_article(found, listings=False), title=title, captions=captions, language=declared
        )[0],
    )
    # after the guard: a body cut at a subscription prompt is the paywall's, not furniture
    blocks, access, truncated = paywall(blocks, page.jsonld)
    if not title and not blocks:
        raise ExtractionError("neither a title nor body text found")
    language = declared or metadata.detect_language(block.text for block in blocks)
    fetched = to_utc(fetched_at) if fetched_at is not None else None
    published, modified = choose_dates(
        metadata.date_candidates(page, facts),
        language=language,
        published_hint=hints.published_at,
        modified_hint=hints.modified_at,
        fetched_at=fetched,
        tz=default_timezone,
    )
    return Article(
        url=url,
        canonical_url=metadata.canonical_url(page),
        source=hints.source,
        title=title,
        blocks=blocks,
        # after the body: an alt text is no caption the body may repeat, so it removes no body text
        captions=with_lead_image_alt(page, captions, title),
        authors=people.authors(page, facts, byline_names, site),
        published_at=to_stored(published),
        modified_at=to_stored(modified),
        language=language,
        site_name=site,
        description=metadata.description(page, facts),
        fetched_at=to_stored(fetched),
        access=access,
        truncated=truncated,
    )
