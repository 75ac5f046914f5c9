"""extract_article: one fetched page in, one Article out."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from crawler.items import Article, Hints

from . import metadata
from .body import extract_blocks
from .boilerplate import drop_boilerplate
from .captions import extract_captions
from .dates import to_utc
from .document import ExtractionError, parse_html
from .jsonld import read_jsonld
from .language import detect_language
from .page import index_page
from .page_dates import page_dates


def extract_article(
    html: bytes | str,
    url: str,
    hints: Hints | None = None,
    *,
    fetched_at: datetime | None = None,
    default_timezone: tzinfo | None = None,
) -> Article:
    """Extract body blocks, captions and metadata from a page; a pure function of its arguments.

    The page is parsed once; trafilatura (body) and the metadata readers share that tree.
    `default_timezone` is the zone of times the page states without one (UTC when not given);
    `fetched_at` anchors relative dates such as "vor 2 Stunden".
    Raises ExtractionError when the input is no HTML or yields neither a title nor a body.
    """
    hints = hints or Hints()
    tree = parse_html(html)
    page = index_page(tree, url)
    facts = read_jsonld(page.jsonld)
    site = metadata.site_name(page, facts)
    title = metadata.title(page, facts, site, hints)
    captions = extract_captions(page)
    declared = metadata.declared_language(page, facts, hints)
    blocks, byline_names = drop_boilerplate(
        extract_blocks(tree, url), title=title, captions=captions, language=declared
    )
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
        authors=metadata.authors(page, facts, byline_names),
        published_at=_iso(published),
        modified_at=_iso(modified),
        language=language,
        site_name=site,
        description=metadata.description(page, facts),
        fetched_at=_iso(fetched),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment is not None else None
