"""The parsed page, indexed once: its tree, the elements later steps read, and the text helpers.

Two quick passes over the tree collect every element the metadata and caption code uses; each later
step reads these lists instead of running its own query over the whole tree. Its JSON-LD scripts are
read by crawler.extraction.jsonld.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.etree import Element, _Element
from lxml.html import HtmlElement

# zero-width and soft-hyphen characters: invisible on the page, noise in stored text
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "textarea"})
# elements that break a line when rendered: their text must not run into the neighbours' text
_BREAKING_TAGS = frozenset(
    "br p div li ul ol dd dt h1 h2 h3 h4 h5 h6 figcaption figure section article aside header footer"
    " blockquote tr td th time lb head item list quote cell row".split()
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


_TAGS = ("base", "meta", "link", "title", "h1", "h2", "time", "figure", "figcaption", "script", "a", "img")
# an <h2> that a page without <h1> uses for its headline
_HEADLINE_CLASS = re.compile(r"title|headline", re.IGNORECASE)
_CAPTION_HINTS = re.compile(
    "aption|redit|opyright|(?:image|img|photo|picture|figure|media)[-_]{1,2}(?:description|legend)", re.IGNORECASE
)
# regions around the article whose dates, bylines and captions belong to other articles or to readers
_FURNITURE_TAGS = frozenset({"aside", "nav", "footer"})
# A class or id token naming such a region, at its start or end ("sidebar", "related-posts",
# "post-comments"); layout tokens that only mention one ("no-sidebars", "content-sidebar-wrap",
# "has-comments") describe the page around the article instead.
_FURNITURE_WORDS = r"sidebar|widget|related|teaser|recommend\w*|more-?news|popular|comments?|respond|newsletter|promo"
_FURNITURE_MARKS = re.compile(
    rf"(?:^|\s)(?!(?:no|has|with|one|two|three|is|show|hide)[-_])"
    rf"(?:(?:{_FURNITURE_WORDS})s?(?=[-_\s]|$)(?![-_]wrap)|[\w-]*[-_](?:{_FURNITURE_WORDS})s?(?=\s|$))",
    re.IGNORECASE,
)
# the page's outermost elements carry layout classes ("one-sidebar", "comments-open") for all of it
_PAGE_TAGS = frozenset({"body", "html"})
# the keys under which apps put an article's text into a script
_DATA_BODY_HINTS = ('"articleBody"', '"contentHtml"', '"bodyHtml"', '"articleText"')
_CAPTION_CONTAINER_CLASSES = frozenset({"wp-caption", "wp-block-image", "image-caption-container"})


@dataclass
class PageIndex:
    tree: HtmlElement
    url: str
    base_url: str
    html_lang: str | None = None
    title: str | None = None
    # meta key (lower-cased name/property/itemprop/http-equiv) -> non-empty contents in page order
    metas: dict[str, list[str]] = field(default_factory=dict)
    canonical: list[str] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    # other scripts that may carry the article as data (Next.js __NEXT_DATA__, an app's state)
    data_scripts: list[str] = field(default_factory=list)
    h1s: list[HtmlElement] = field(default_factory=list)
    # <h1>s, then <h2>s classed as a title or headline, each in page order
    headings: list[HtmlElement] = field(default_factory=list)
    times: list[HtmlElement] = field(default_factory=list)
    figures: list[HtmlElement] = field(default_factory=list)
    caption_like: list[HtmlElement] = field(default_factory=list)
    images: list[HtmlElement] = field(default_factory=list)
    bylines: list[HtmlElement] = field(default_factory=list)
    # figures and caption-classed elements come from two passes; True when `figures` mixes both
    mixed_order: bool = False

    def page_order(self, elements: list[HtmlElement]) -> dict[HtmlElement, int]:
        """Positions of `elements` in the page, for sorting what the two passes found."""
        wanted = set(elements)
        return {element: index for index, element in enumerate(self.tree.iter(Element)) if element in wanted}

    def meta(self, *keys: str) -> str | None:
        """The first non-empty content among the given meta keys, in the order of the keys."""
        for key in keys:
            values = self.metas.get(key)
            if values:
                return values[0]
        return None

    def absolute(self, link: str | None) -> str | None:
        """`link` resolved against the page base; None unless it is http(s), or file: on a local page."""
        if not link:
            return None
        link = link.strip()
        local = self.base_url.startswith("file:")
        if local and link.startswith("//"):
            link = "https:" + link  # a saved page's "//cdn.example/a.jpg" still means the web
        try:
            resolved = urljoin(self.base_url, link)
        except ValueError:
            return None
        if resolved.startswith(("http://", "https://")) or (local and resolved.startswith("file:")):
            return resolved
        return None


def index_page(tree: HtmlElement, url: str) -> PageIndex:
    """Two passes: a C-filtered one over the few tags of interest, and one attribute check per element.

    lxml evaluates `//*[contains(@class, ...)]` several times slower than this loop, so no XPath here.
    """
    page = PageIndex(tree=tree, url=url, base_url=url, html_lang=tree.get("lang") or tree.get("xml:lang"))
    base_seen = False
    titled_h2s: list[HtmlElement] = []
    for element in tree.iter(*_TAGS):
        tag = element.tag
        if tag == "meta":
            _add_meta(page, element)
        elif tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "canonical" in rel and element.get("href"):
                page.canonical.append(element.get("href", ""))
        elif tag == "script":
            text = element.text
            if text:
                if "ld+json" in (element.get("type") or ""):
                    page.jsonld.append(text)
                elif element.get("id") == "__NEXT_DATA__" or any(key in text for key in _DATA_BODY_HINTS):
                    page.data_scripts.append(text)
        elif tag == "title":
            parent = element.getparent()
            if page.title is None and parent is not None and parent.tag != "svg":
                page.title = normalize_space(element.text_content())
        elif tag == "base":
            if not base_seen and element.get("href"):
                base_seen = True
                page.base_url = page.absolute(element.get("href")) or url
        elif tag == "h1":
            page.h1s.append(element)
        elif tag == "h2":
            if _HEADLINE_CLASS.search(element.get("class") or ""):
                titled_h2s.append(element)
        elif tag == "time":
            page.times.append(element)
        elif tag == "figure":
            page.figures.append(element)
        elif tag == "img":
            page.images.append(element)
        elif tag == "figcaption":
            page.caption_like.append(element)
        elif tag == "a":
            if "author" in (element.get("rel") or ""):
                page.bylines.append(element)
    for element in tree.iter(Element):
        classes = element.get("class")
        # plain substring tests: this runs for every element, and a regex call costs more
        if classes is not None and (
            "aption" in classes
            or "escription" in classes
            or "egend" in classes
            or "redit" in classes
            or "opyright" in classes
            or "uthor" in classes
            or "byline" in classes
            or "ByLine" in classes
        ):
            lowered = classes.lower()
            if _CAPTION_HINTS.search(lowered) and element.tag != "figcaption":
                page.caption_like.append(element)
                if element.tag != "figure" and _CAPTION_CONTAINER_CLASSES.intersection(lowered.split()):
                    page.figures.append(element)
                    page.mixed_order = True
            if "byline" in lowered or "author" in lowered:
                page.bylines.append(element)
        elif element.get("itemprop") == "author":
            page.bylines.append(element)
    page.headings = [*page.h1s, *titled_h2s]
    return page


def _add_meta(page: PageIndex, element: HtmlElement) -> None:
    get = element.get
    key = get("property") or get("name") or get("itemprop") or get("http-equiv")
    content = element.get("content")
    if not key or not content:
        return
    content = normalize_space(content)
    if content:
        page.metas.setdefault(key.strip().lower(), []).append(content)


def is_furniture(element: HtmlElement) -> bool:
    """True inside asides, navigation, footers, sidebars, related-article lists and comment sections."""
    for node in (element, *element.iterancestors()):
        if node.tag in _PAGE_TAGS:
            return False
        if node.tag in _FURNITURE_TAGS:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks != " " and _FURNITURE_MARKS.search(marks):
            return True
    return False
