"""Text out of feed elements: entity references handled safely, titles reduced to plain text."""

from __future__ import annotations

import html
import re
from html.entities import html5

from lxml import etree

# Bounds the work on recovered documents where one unclosed tag swallows the rest of the feed;
# no title or URL worth keeping is anywhere near this long.
MAX_TEXT = 16_384

# Tag-shaped runs only, so a title like "a < b" keeps its "<".
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)


def _entity_text(name: str) -> str:
    # With entity resolution off, libxml2 keeps every reference it cannot expand as a node. HTML
    # names (&nbsp; in a feed without a DTD) become their characters; anything else, such as an
    # external entity, is dropped unread.
    return html5.get(name + ";", "")


def _collect(element: etree._Element, parts: list[str], budget: int) -> int:
    if element.text:
        parts.append(element.text)
        budget -= len(element.text)
    for child in element:
        if budget <= 0:
            break
        if isinstance(child, etree._Entity):
            parts.append(_entity_text(child.name))
        elif isinstance(child.tag, str):
            budget = _collect(child, parts, budget)
        if child.tail:
            parts.append(child.tail)
            budget -= len(child.tail)
    return budget


def element_text(element: etree._Element | None) -> str:
    """All text inside an element (including nested markup such as Atom xhtml), stripped."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, parts, MAX_TEXT)
    return "".join(parts)[:MAX_TEXT].strip()


def clean_title(raw: str) -> str | None:
    """Plain, single-spaced text from a title that may carry HTML markup or escaped entities."""
    if "<" in raw:
        raw = _TAG.sub(" ", raw)
    if "&" in raw:
        raw = html.unescape(raw)
    text = " ".join(raw.split())
    return text or None


def clean_token(raw: str) -> str | None:
    """A language code or similar single token; None when blank."""
    token = raw.strip()
    return token or None
