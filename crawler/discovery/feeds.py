"""RSS 2.0, RDF (RSS 1.0/0.90) and Atom feeds to entries, one pass over one tree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from crawler.dates import parse_feed_date
from crawler.discovery.entries import Entry
from crawler.discovery.links import UnusableLink, is_absolute_http, join_base, resolve_link, shorten
from crawler.discovery.namespaces import (
    ATOM,
    ATOM_NS,
    CORE,
    DC,
    DCTERMS,
    RDF,
    RDF_NS,
    XML_BASE,
    XML_LANG,
    split_tag,
)
from crawler.discovery.text import clean_title, clean_token, element_text
from crawler.discovery.xml import XMLParseError, parse_xml

# Items of every RSS flavour: 2.0 has no namespace, 1.0 and 0.90 have their own.
_RSS_ITEM_TAGS = (
    "item",
    "{http://purl.org/rss/1.0/}item",
    "{http://my.netscape.com/rdf/simple/0.9/}item",
    "{http://backend.userland.com/rss2}item",
    "{http://backend.userland.com/rss}item",
)
_ATOM_ENTRY_TAGS = (f"{{{ATOM_NS}}}entry", "{http://purl.org/atom/ns#}entry", "entry")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ALTERNATE_RELS = ("", "alternate", "http://www.iana.org/assignments/relation/alternate")

Fields = dict[tuple[str, str], etree._Element]


class FeedError(ValueError):
    """The body is not an RSS, RDF or Atom feed at all; the message says why."""


@dataclass
class ParsedFeed:
    kind: str  # "rss" | "atom" | "rdf" | "json"
    title: str | None = None
    language: str | None = None
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries skipped, and why


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """Entries of an RSS/RDF/Atom feed fetched from url; raise FeedError if body is no feed."""
    try:
        root = parse_xml(body)
    except XMLParseError as exc:
        raise FeedError(str(exc)) from exc
    family, name = split_tag(root.tag)
    if name == "rss" or (name == "channel" and family == CORE):
        return _parse_rss(root, url, "rss")
    if name == "RDF" and family in (RDF, CORE):
        return _parse_rss(root, url, "rdf")
    if name == "feed" and family in (ATOM, CORE):
        return _parse_atom(root, url)
    if name.lower() == "html":
        raise FeedError("an HTML page, not a feed")
    if name in ("urlset", "sitemapindex"):
        raise FeedError(f"a sitemap (<{name}>), not a feed")
    raise FeedError(f"root element <{shorten(name)}> is not <rss>, <feed> or <rdf:RDF>")


def _children(element: etree._Element) -> Fields:
    """The first child element of each (family, local name); entity and other nodes skipped."""
    fields: Fields = {}
    for child in element:
        if isinstance(child.tag, str):
            fields.setdefault(split_tag(child.tag), child)
    return fields


def _text(fields: Fields, *keys: tuple[str, str]) -> str | None:
    """Text of the first of keys present with non-blank text."""
    for key in keys:
        text = element_text(fields.get(key))
        if text:
            return text
    return None


def _first_date(fields: Fields, *keys: tuple[str, str]) -> datetime | None:
    for key in keys:
        parsed = parse_feed_date(element_text(fields.get(key)))
        if parsed is not None:
            return parsed
    return None


def _language(fields: Fields, element: etree._Element, inherited: str | None) -> str | None:
    return (
        clean_token(_text(fields, (DC, "language"), (CORE, "language")) or "")
        or clean_token(element.get(XML_LANG) or "")
        or inherited
    )


def _title(fields: Fields) -> str | None:
    raw = _text(fields, (CORE, "title"), (ATOM, "title"), (DC, "title"))
    return clean_title(raw) if raw else None


def _alternate_href(links: Iterable[etree._Element], base: str) -> tuple[str, str] | None:
    """(href, base) of the link a reader would follow: rel=alternate or no rel, HTML first."""
    best: tuple[int, str, str] | None = None
    for link in links:
        href = (link.get("href") or "").strip()
        if not href or (link.get("rel") or "").strip().lower() not in _ALTERNATE_RELS:
            continue
        media_type = (link.get("type") or "").strip().lower()
        rank = 0 if media_type in _HTML_TYPES else 1 if not media_type else 2
        if best is None or rank < best[0]:
            best = (rank, href, join_base(base, link.get(XML_BASE)))
    return None if best is None else (best[1], best[2])


def _links(element: etree._Element, families: tuple[str, ...]) -> Iterator[etree._Element]:
    for child in element:
        if isinstance(child.tag, str):
            family, name = split_tag(child.tag)
            if name == "link" and family in families:
                yield child


def _problem(kind: str, index: int, title: str | None, reason: str) -> str:
    label = f"{kind} {index}" + (f" ({shorten(title)!r})" if title else "")
    return f"{label}: {reason}"


def _parse_rss(root: etree._Element, url: str, kind: str) -> ParsedFeed:
    channel = next(
        (child for child in root if isinstance(child.tag, str) and split_tag(child.tag) == (CORE, "channel")),
        root,
    )
    channel_fields = _children(channel)
    feed_language = _language(channel_fields, channel, clean_token(root.get(XML_LANG) or ""))
    feed = ParsedFeed(kind=kind, title=_title(channel_fields), language=feed_language)
    for index, item in enumerate(root.iter(*_RSS_ITEM_TAGS), start=1):
        fields = _children(item)
        title = _title(fields)
        guid_element = fields.get((CORE, "guid"))
        guid = element_text(guid_element) or (item.get(f"{{{RDF_NS}}}about") or "").strip() or None
        try:
            link = _rss_link(item, fields, guid_element, guid, url)
        except UnusableLink as exc:
            feed.problems.append(_problem("item", index, title, str(exc)))
            continue
        feed.entries.append(
            Entry(
                url=link,
                title=title,
                published=_first_date(
                    fields,
                    (CORE, "pubDate"),
                    (DC, "date"),
                    (ATOM, "published"),
                    (DCTERMS, "issued"),
                    (DCTERMS, "created"),
                ),
                updated=_first_date(fields, (ATOM, "updated"), (DCTERMS, "modified")),
                guid=guid,
                language=_language(fields, item, feed_language),
            )
        )
    return feed


def _rss_link_candidates(
    item: etree._Element, fields: Fields, guid_element: etree._Element | None, guid: str | None, url: str
) -> Iterator[tuple[str, str]]:
    """(raw link, base) pairs in order of trust: <link>, atom:link, then a permalink guid."""
    link_element = fields.get((CORE, "link"))
    if link_element is not None:
        # Atom habits leak into RSS: <link href="..."/>.
        raw = element_text(link_element) or (link_element.get("href") or "").strip()
        if raw:
            yield raw, url
    alternate = _alternate_href(_links(item, (ATOM,)), url)
    if alternate is not None:
        yield alternate
    if guid:
        # A guid is the article's URL unless isPermaLink="false"; an implicit one must already be
        # absolute, since an opaque id like "12345" would otherwise resolve to a bogus URL.
        permalink = "" if guid_element is None else (guid_element.get("isPermaLink") or "").strip().lower()
        if permalink == "true" or (permalink != "false" and is_absolute_http(guid)):
            yield guid, url


def _rss_link(
    item: etree._Element, fields: Fields, guid_element: etree._Element | None, guid: str | None, url: str
) -> str:
    """The first usable candidate link; else the reason the first one failed."""
    first_failure: UnusableLink | None = None
    for raw, base in _rss_link_candidates(item, fields, guid_element, guid, url):
        try:
            return resolve_link(raw, base)
        except UnusableLink as exc:
            first_failure = first_failure or exc
    raise first_failure or UnusableLink("no link")


def _parse_atom(root: etree._Element, url: str) -> ParsedFeed:
    feed_base = join_base(url, root.get(XML_BASE))
    feed_fields = _children(root)
    feed_language = clean_token(root.get(XML_LANG) or "")
    feed = ParsedFeed(kind="atom", title=_title(feed_fields), language=feed_language)
    families = (ATOM, CORE)
    for index, entry in enumerate(root.iter(*_ATOM_ENTRY_TAGS), start=1):
        # Un-namespaced Atom is still Atom: fold its elements into the Atom family.
        fields = {
            (ATOM if family == CORE else family, name): element for (family, name), element in _children(entry).items()
        }
        title = _title(fields)
        entry_base = join_base(feed_base, entry.get(XML_BASE))
        alternate = _alternate_href(_links(entry, families), entry_base)
        try:
            if alternate is None:
                raise UnusableLink("no link")
            link = resolve_link(*alternate)
        except UnusableLink as exc:
            feed.problems.append(_problem("entry", index, title, str(exc)))
            continue
        feed.entries.append(
            Entry(
                url=link,
                title=title,
                published=_first_date(fields, (ATOM, "published"), (ATOM, "issued"), (ATOM, "created"), (DC, "date")),
                updated=_first_date(fields, (ATOM, "updated"), (ATOM, "modified")),
                guid=_text(fields, (ATOM, "id")),
                language=_language(fields, entry, feed_language),
            )
        )
    return feed
