"""Whitespace normalisation and comparison keys shared by the extraction modules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lxml.etree import _Element

# zero-width and soft-hyphen characters: invisible on the page, noise in stored text
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "textarea"})
# elements that break a line when rendered: their text must not run into the neighbours' text
_BREAKING_TAGS = frozenset(
    {
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figcaption",
        "figure",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "blockquote",
        "tr",
        "td",
        "th",
        "time",
        "lb",
        "head",
        "item",
        "list",
        "quote",
        "cell",
        "row",
    }
)


def normalize_space(text: str | None) -> str:
    """Collapse all whitespace runs to one space, drop invisible characters, NFC-normalise."""
    if not text:
        return ""
    # split/join is several times faster than a \s+ regex substitution, with the same notion of space
    text = " ".join(text.split())
    if not text.isascii():
        if _has_invisible(text):
            text = " ".join(_INVISIBLE.sub("", text).split())
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return text


def _has_invisible(text: str) -> bool:
    return (
        "\u00ad" in text
        or "\u200b" in text
        or "\u200c" in text
        or "\u200d" in text
        or "\u2060" in text
        or "\ufeff" in text
    )


def text_key(text: str | None) -> str:
    """A comparison key: normalised, case-folded, without trailing punctuation."""
    return normalize_space(text).casefold().rstrip(" .:;,!")


def element_text(element: _Element, skip: Iterable[_Element] = ()) -> str:
    """Visible text of an HTML element, whitespace-normalised, leaving out `skip` subtrees (tails kept)."""
    if not skip and not len(element):
        return normalize_space(element.text)
    skipped = set(skip)
    parts: list[str] = []
    _collect(element, skipped, parts)
    return normalize_space("".join(parts))


def _collect(element: _Element, skipped: set[_Element], parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if child not in skipped and isinstance(tag, str) and tag not in _SKIPPED_TAGS:
            breaking = tag in _BREAKING_TAGS
            if breaking:
                parts.append(" ")
            _collect(child, skipped, parts)
            if breaking:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)
