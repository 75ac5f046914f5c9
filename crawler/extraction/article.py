"""extract_article: one fetched page in, one Article out."""

from __future__ import annotations

from datetime import datetime, tzinfo

from crawler.dates import to_stored, to_utc
from crawler.items import Article, Hints
from crawler.pages import ExtractionError, parse_html

from . import authorship, headline, metadata
from .body import PLAUSIBLE_ARTICLE_WORDS, cut_after_article, drop_boilerplate, extract_blocks, never_worse
from .budget import DEFAULT_BUDGET, Budget, time_limit
from .captions import extract_captions, with_stated_captions
from .jsonld import read_jsonld
from .language import detect_language
from .page import index_page
from .page_dates import page_dates
from .paywall import paywall
from .slideshow import captions_outside_body
from .stated_body import body_from_data, data_body, reconcile


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
    title = headline.title(page, facts, site, hints)
    captions = with_stated_captions(extract_captions(page), facts.images)
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
    language = declared or detect_language(block.text for block in blocks)
    fetched = to_utc(fetched_at) if fetched_at is not None else None
    published, modified = page_dates(page, facts, hints, language, fetched_at=fetched, tz=default_timezone)
    return Article(
        url=url,
        canonical_url=metadata.canonical_url(page),
        source=hints.source,
        title=title,
        blocks=blocks,
        captions=captions,
        authors=authorship.authors(page, facts, byline_names, site),
        published_at=to_stored(published),
        modified_at=to_stored(modified),
        language=language,
        site_name=site,
        description=metadata.description(page, facts),
        fetched_at=to_stored(fetched),
        access=access,
        truncated=truncated,
    )
