"""A cheap guess at what a body is, for responses whose Content-Type cannot be trusted."""

from __future__ import annotations

import codecs
import re

# Enough to get past an XML declaration, a stylesheet PI and a licence comment.
SNIFF_BYTES = 8192

_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_HTML_ROOTS = frozenset({"html", "head", "body", "meta", "title", "link", "script", "div", "p"})
_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HTML_MARKER = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)


def _decode(head: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "replace")
    # UTF-16 without a BOM still starts with "<" next to a zero byte.
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    # Markup names are ASCII; latin-1 maps every byte so nothing can fail here.
    return head.decode("latin-1")


def _doctype_end(text: str, start: int) -> int:
    """Index of the ">" closing a DOCTYPE, past any internal subset (which has ">"s of its own)."""
    bracket, close = text.find("[", start), text.find(">", start)
    if bracket == -1 or (close != -1 and close < bracket):
        return close
    subset_end = text.find("]", bracket)
    return -1 if subset_end == -1 else text.find(">", subset_end)


def _skip_prolog(text: str) -> str | None:
    """Text from the first element on; None if the window ends inside the prolog."""
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        rest = text[position:]
        if rest.startswith("<?"):
            end = text.find("?>", position)
            step = 2
        elif rest.startswith("<!--"):
            end = text.find("-->", position)
            step = 3
        elif rest[:9].upper() == "<!DOCTYPE":
            if rest[9:].lstrip()[:4].lower() == "html":
                return "<html>"
            end = _doctype_end(text, position)
            step = 1
        else:
            return rest
        if end == -1:
            return None
        position = end + step


def sniff(body: bytes) -> str:
    """Guess "feed", "sitemap", "html" or "unknown" from the first few KB of body."""
    text = _skip_prolog(_decode(body[:SNIFF_BYTES]))
    if text is None:
        return "unknown"
    match = _NAME.match(text)
    if match is not None:
        name = match.group(1).rpartition(":")[2].lower()
        if name in _FEED_ROOTS:
            return "feed"
        if name in _SITEMAP_ROOTS:
            return "sitemap"
        if name in _HTML_ROOTS:
            return "html"
    if _HTML_MARKER.search(text):
        return "html"
    return "unknown"
