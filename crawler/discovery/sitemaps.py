"""XML sitemaps (sitemaps.org urlset and sitemapindex, with Google News tags) to entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.dates import parse_feed_date
from crawler.discovery.entries import Entry
from crawler.discovery.links import UnusableLink, resolve_link, shorten
from crawler.discovery.namespaces import CORE, NEWS, split_tag
from crawler.discovery.text import clean_title, clean_token, element_text
from crawler.discovery.xml import XMLParseError, parse_xml

XHTML = "http://www.w3.org/1999/xhtml"


class SitemapError(ValueError):
    """The body is not an XML sitemap or sitemap index at all; the message says why."""


@dataclass
class ParsedSitemap:
    kind: str  # "urlset" | "index"
    entries: list[Entry] = field(default_factory=list)  # pages, from a urlset
    sitemaps: list[Entry] = field(default_factory=list)  # child sitemaps, from an index
    problems: list[str] = field(default_factory=list)  # locs skipped, and why
    # <xhtml:link rel="alternate" hreflang="fr" href="..."> of the pages: other-language versions,
    # followed only for a source whose `languages` want them.
    alternates: list[Entry] = field(default_factory=list)


def parse_sitemap(body: bytes, url: str) -> ParsedSitemap:
    """Pages or child sitemaps listed in a decompressed sitemap body fetched from url."""
    try:
        root = parse_xml(body)
    except XMLParseError as exc:
        raise SitemapError(str(exc)) from exc
    family, name = split_tag(root.tag)
    # Sitemaps in the wild use several namespace URIs (or none, or a misspelt one), so the root's
    # own family is the sitemap vocabulary, and un-namespaced children are accepted too.
    own = (family, CORE)
    if name == "urlset":
        return _parse_urlset(root, url, own)
    if name == "sitemapindex":
        return _parse_index(root, url, own)
    if name.lower() == "html":
        raise SitemapError("an HTML page, not a sitemap")
    if name in ("rss", "feed", "RDF"):
        raise SitemapError(f"a feed (<{name}>), not a sitemap")
    raise SitemapError(f"root element <{shorten(name)}> is not <urlset> or <sitemapindex>")


def _own_children(
    element: etree._Element, own: tuple[str, str]
) -> tuple[dict[str, etree._Element], etree._Element | None]:
    """First child per local name in the sitemap vocabulary, and the news:news child if any.

    Matching on the vocabulary keeps image:loc and video:title from passing for loc and title.
    """
    fields: dict[str, etree._Element] = {}
    news: etree._Element | None = None
    for child in element:
        if isinstance(child.tag, str):
            family, name = split_tag(child.tag)
            if family in own:
                fields.setdefault(name, child)
            elif family == NEWS and name == "news" and news is None:
                news = child
    return fields, news


def _news_fields(news: etree._Element | None) -> dict[str, etree._Element]:
    """news:title, news:language and the like, wherever they sit under news:news."""
    fields: dict[str, etree._Element] = {}
    if news is None:
        return fields
    for child in news.iter():
        if child is not news and isinstance(child.tag, str):
            family, name = split_tag(child.tag)
            if family == NEWS:
                fields.setdefault(name, child)
    return fields


def _tags(root: etree._Element, local: str) -> tuple[str, ...]:
    """Tag names for local in the root's namespace (whatever URI it uses) and in none."""
    if root.tag.startswith("{"):
        namespace = root.tag[1:].partition("}")[0]
        return (f"{{{namespace}}}{local}", local)
    return (local,)


def _parse_urlset(root: etree._Element, url: str, own: tuple[str, str]) -> ParsedSitemap:
    sitemap = ParsedSitemap(kind="urlset")
    # Most sitemaps declare no alternates: skip the per-url search for them.
    has_alternates = XHTML in (root.nsmap or {}).values()
    for index, element in enumerate(root.iter(*_tags(root, "url")), start=1):
        fields, news = _own_children(element, own)
        try:
            loc = resolve_link(element_text(fields.get("loc")), url, what="loc")
        except UnusableLink as exc:
            sitemap.problems.append(f"url {index}: {exc}")
            continue
        news_fields = _news_fields(news)
        updated = parse_feed_date(element_text(fields.get("lastmod")))
        for link in element.iter(f"{{{XHTML}}}link") if has_alternates else ():
            language = clean_token(link.get("hreflang"))
            if (link.get("rel") or "").lower() != "alternate" or not language or language.lower() == "x-default":
                continue
            try:
                alternate = resolve_link(link.get("href"), url)
            except UnusableLink:
                continue
            sitemap.alternates.append(Entry(url=alternate, updated=updated, language=language))
        sitemap.entries.append(
            Entry(
                url=loc,
                title=clean_title(element_text(news_fields.get("title"))),
                published=parse_feed_date(element_text(news_fields.get("publication_date"))),
                updated=updated,
                language=clean_token(element_text(news_fields.get("language"))),
            )
        )
    return sitemap


def _parse_index(root: etree._Element, url: str, own: tuple[str, str]) -> ParsedSitemap:
    sitemap = ParsedSitemap(kind="index")
    for index, element in enumerate(root.iter(*_tags(root, "sitemap")), start=1):
        fields, _ = _own_children(element, own)
        try:
            loc = resolve_link(element_text(fields.get("loc")), url, what="loc")
        except UnusableLink as exc:
            sitemap.problems.append(f"sitemap {index}: {exc}")
            continue
        sitemap.sitemaps.append(Entry(url=loc, updated=parse_feed_date(element_text(fields.get("lastmod")))))
    return sitemap
