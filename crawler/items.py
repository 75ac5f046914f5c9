"""The data that flows from discovery through extraction to storage.

Plain dataclasses, so itemadapter handles them and tests build them without Scrapy.
Items carry data, never responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Hints:
    """What a feed or sitemap entry said about an article before we fetched it.

    Extraction uses them as the last resort for each field (the page itself wins).
    """

    source: str = ""
    title: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    guid: str | None = None
    language: str | None = None
    discovered_from: str | None = None


@dataclass
class Block:
    """One paragraph or subheading of an article body, in document order."""

    text: str
    kind: str = "p"  # "p" for a paragraph, "h2".."h6" for a subheading, "li" for a list item, "quote"


@dataclass
class Caption:
    """An image caption with its credit split off and the image URL made absolute."""

    text: str
    credit: str | None = None
    image_url: str | None = None


@dataclass
class Article:
    url: str
    canonical_url: str
    source: str = ""
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None  # ISO 8601, UTC, e.g. "2023-09-15T08:12:00+00:00"
    modified_at: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    fetched_at: str | None = None
    # "paywalled" when the page declares it (JSON-LD isAccessibleForFree: false) or its body stops at a
    # subscription prompt (then truncated is True); None: no paywall signal.
    access: str | None = None
    truncated: bool = False
    # The feed or sitemap entry's date (updated, else published) when fetched, and that listing's
    # URL: incremental state, judged per listing.
    entry_date: str | None = None
    listing: str | None = None
    listing_kind: str | None = None  # "feed", "sitemap" or "page": what kind of listing led here
    # The archive's id when it is already known (a re-extraction keeps the stored id); else the
    # archive derives it from canonical_url.
    article_id: str | None = None
    # Set by the archive: the story cluster, and the earliest-published member it copies.
    story_id: str | None = None
    duplicate_of: str | None = None
    # Raw page, kept so articles can be re-extracted offline; never part of the extracted content.
    raw_html: bytes | None = field(default=None, repr=False)
    # The Content-Type it was served with, so re-extraction decodes it exactly as the crawl did.
    raw_content_type: str | None = None
    # raw_html as the archive stores it (crawler.compression.gzip_page), when it was compressed before
    # it reached the archive: a cluster worker does, so the one archive writer does not. An encoding
    # of raw_html, not more content: left out of comparisons.
    raw_html_gz: bytes | None = field(default=None, repr=False, compare=False)
    # sha256 (hex) of raw_html, when computed before the archive: a cluster worker computes it, so the
    # writer stores raw_html_gz as it arrives, without decompressing it (raw_html then stays None).
    raw_html_sha256: str | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The body as stored: blocks joined by one blank line."""
        return "\n\n".join(block.text for block in self.blocks)
