"""Feed URLs advertised by an HTML page through <link rel="alternate" type="application/rss+xml">."""

from __future__ import annotations

from lxml import etree

from crawler.discovery.links import UnusableLink, join_base, resolve_link
from crawler.pages import ExtractionError, parse_html

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        # Old spellings still served by some CMSs.
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)


def html_tree(html: bytes | str) -> etree._Element | None:
    """The page's tree, decoded and parsed as extraction does it; None when there is no HTML to be had."""
    try:
        return parse_html(html)
    except ExtractionError:
        return None


def find_feed_links(html: bytes | str, url: str) -> list[str]:
    """Absolute http(s) feed URLs the page links to, deduplicated, in document order."""
    root = html_tree(html)
    if root is None:
        return []
    base = url
    for base_element in root.iter("base"):
        if base_element.get("href"):
            base = join_base(url, base_element.get("href"))
            break
    found: dict[str, None] = {}
    for link in root.iter("link"):
        rel_tokens = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel_tokens or media_type not in FEED_TYPES:
            continue
        try:
            found.setdefault(resolve_link(link.get("href"), base), None)
        except UnusableLink:
            continue
    return list(found)
