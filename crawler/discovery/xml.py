"""The only place that configures libxml2 parsers, so their safety settings are reviewed in one spot.

Feeds and sitemaps come from servers we do not control: no entity expansion (XXE, billion laughs),
no DTD loading, no network, no huge-tree mode. Recovery is on because real feeds are often
broken XML and one bad item should not cost the other ninety-nine.
"""

from __future__ import annotations

import re
from html.entities import html5

from lxml import etree

_GZIP_MAGIC = b"\x1f\x8b"

# A CDATA section (left alone: "&" is literal there), a character reference (kept), a named
# reference, or a bare "&". See _normalise_references for why named ones are rewritten.
_CDATA_OR_REFERENCE = re.compile(
    rb"(<!\[CDATA\[.*?\]\]>)|&(?:#[0-9]+;|#x[0-9A-Fa-f]+;|([A-Za-z_:][\w.:-]*);)?", re.DOTALL
)


# An internal DTD subset that declares entities: XXE and billion-laughs documents look like this.
_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^\[>]*\[[^\]]*<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024


class XMLParseError(ValueError):
    """The body could not be turned into an element tree at all."""


def _xml_parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers keep state (error log, dictionary) and are not
    # safe to share across threads, and building one costs microseconds.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    cdata, name = match.group(1), match.group(2)
    if cdata is not None:
        return cdata
    if name is not None:
        # XML's five predefined names are all in the HTML table; other names in it are HTML
        # entities a feed used without a DTD. Names outside it (declared in an internal subset,
        # as in XXE and billion-laughs documents, or simply undefined) are dropped unexpanded.
        characters = html5.get(name.decode("ascii", "replace") + ";", "")
        return "".join(f"&#{ord(character)};" for character in characters).encode("ascii")
    if match.group(0) == b"&":
        return b"&#38;"
    return match.group(0)


def _normalise_references(body: bytes) -> bytes:
    """Rewrite every named entity reference outside CDATA as numeric character references.

    In recovery mode libxml2 (2.14) silently drops every later &amp;, &lt; and &gt; once it has
    met any error at all (an unclosed tag, an undefined &nbsp;, a bare "&"), so one broken item
    would turn "?a=1&amp;b=2" into "?a=1b=2" for the rest of the feed. Character references
    survive that, and leave no entity for libxml2 to expand or fetch.
    """
    if b"&" not in body or b"\x00" in body[:4] or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Byte patterns only hold for ASCII-compatible encodings; UTF-16 goes to libxml2 untouched.
        return body
    return _CDATA_OR_REFERENCE.sub(_numeric_reference, body)


def declares_entities(body: bytes) -> bool:
    """Whether the document's DOCTYPE declares entities (which parse_xml never expands)."""
    return _ENTITY_DECLARATION.search(body, 0, _PROLOG_BYTES) is not None


def parse_xml(body: bytes) -> etree._Element:
    """Parse a feed or sitemap body; raise XMLParseError when there is no tree to be had."""
    if not body or body.isspace():
        raise XMLParseError("empty body")
    if body.startswith(_GZIP_MAGIC):
        raise XMLParseError("body is still gzip-compressed")
    try:
        root = etree.fromstring(_normalise_references(body), _xml_parser())
    except (etree.LxmlError, ValueError) as exc:
        raise XMLParseError(f"not XML: {exc}") from exc
    if root is None:
        raise XMLParseError("not XML: no root element could be recovered")
    return root
