"""Who wrote the article: JSON-LD and meta tags, checked against the byline printed above it.

Pages carry many byline-classed elements: the article's, and one per teaser in every related-
articles box. The article's is the one nearest the headline. A meta author that no printed byline
confirms while another byline is printed is a blog's or section's name ("Celebrity Circuit"),
or the site's own ("ABC News" above a "By The Associated Press" story).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from lxml.html import HtmlElement

from crawler.textkeys import block_key

from .authors import parse_byline, split_names, unique_names
from .jsonld import JsonLdFacts
from .page import PageIndex, is_furniture
from .text import element_text

AUTHOR_METAS = (
    "author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcterms.creator",
    "og:article:author", "article_author",
)  # fmt: skip
_MAX_BYLINE_ELEMENT_CHARS = 120
_BYLINE_SIBLINGS = 4
_MAX_BYLINE_CHILDREN = 6


def authors(page: PageIndex, facts: JsonLdFacts, byline_blocks: Iterable[str], site: str | None = None) -> list[str]:
    """Structured authors first (JSON-LD, meta tags), then the bylines printed on the page."""
    stated = [name for key in AUTHOR_METAS for value in page.metas.get(key, ()) for name in split_names(value)]
    printed = [*_nearest_byline(page), *byline_blocks, *_bylines_under_headline(page)]
    printed_keys = {name.casefold() for name in printed}
    if printed and not any(name.casefold() in printed_keys for name in stated):
        stated = []
    return _people(unique_names([*facts.authors, *stated, *printed]), (site, facts.publisher))


def _people(names: list[str], houses: Iterable[str | None]) -> list[str]:
    """The names less those that only repeat others: a profile slug ("jane-doe"), a whole byline whose
    names are listed one by one ("Jane Doe and John Roe"), a name run on into more text ("Jane Doe
    Jane Doe", "News Jane Doe"); and the site or publisher itself beside the people who wrote."""
    keys = [block_key(name) for name in names]
    kept: list[str] = []
    seen: set[str] = set()
    for name, key in zip(names, keys, strict=True):
        if not key or key in seen:
            continue
        padded = f" {key} "
        if any(other != key and " " in other and f" {other} " in padded for other in keys):
            continue
        seen.add(key)
        kept.append(name)
    house_keys = {key for house in houses if (key := block_key(house))}
    people = [name for name in kept if not _is_house(block_key(name), house_keys)]
    return people or kept


def _is_house(key: str, house_keys: set[str]) -> bool:
    compact = key.replace(" ", "")
    return any(key == house or compact == house.replace(" ", "") or house in key.split() for house in house_keys)


def _nearest_byline(page: PageIndex) -> list[str]:
    """Names from the byline element nearest the headline, with its siblings (one per author)."""
    found: list[tuple[HtmlElement, list[str]]] = []
    for element in page.bylines:
        if element.tag in ("meta", "link") or is_furniture(element):
            continue
        names = _element_names(element)
        if names:
            found.append((element, names))
    if not found:
        return []
    # an element inside another byline holds part of it: one of its authors, or its profile link
    candidates = {element for element, _ in found}
    found = [(e, names) for e, names in found if not any(other in candidates for other in e.iterancestors())]
    headline = next((h for h in page.headings if not is_furniture(h)), None)
    order = page.page_order([element for element, _ in found] + ([headline] if headline is not None else []))
    anchor = order.get(headline, 0) if headline is not None else 0
    chosen, _ = min(found, key=lambda pair: abs(order.get(pair[0], 0) - anchor))
    parent = chosen.getparent()
    return [name for element, names in found if element is chosen or element.getparent() is parent for name in names]


def _element_names(element: HtmlElement) -> list[str]:
    name_meta = next((m for m in element.iter("meta") if m.get("itemprop") == "name"), None)
    text = name_meta.get("content", "") if name_meta is not None else element_text(element)
    if not text or len(text) > _MAX_BYLINE_ELEMENT_CHARS:
        return []
    return parse_byline(text, require_prefix=False)


def _bylines_under_headline(page: PageIndex) -> Iterator[str]:
    """A "By X"/"Von X" line among the few elements after the headline, which the body may not include."""
    for heading in page.headings[:2]:
        for anchor in (heading, heading.getparent()):
            if anchor is None:
                continue
            for sibling in islice(anchor.itersiblings(), _BYLINE_SIBLINGS):
                # a byline is a short line: skip containers (the body, a related-articles box) unread
                if isinstance(sibling.tag, str) and len(sibling) <= _MAX_BYLINE_CHILDREN:
                    text = element_text(sibling)
                    if text and len(text) <= _MAX_BYLINE_ELEMENT_CHARS:
                        yield from parse_byline(text)
