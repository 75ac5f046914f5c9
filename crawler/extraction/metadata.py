"""Article metadata from the indexed page: title, authors, canonical URL, site name, description, language."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice

from crawler.items import Hints

from .authors import parse_byline, split_names, unique_names
from .jsonld import JsonLdFacts
from .language import first_language
from .page import PageIndex, is_furniture
from .text import element_text, normalize_space, text_key

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")
# separators no headline uses itself: what follows them is the site even when its name is unknown
_SITE_SEPARATORS = re.compile(r"\s+(?:\||::|·|•|»)\s+")
_SITE_TITLE_CLASS = re.compile(r"site-title|site-name|logo|brand|masthead", re.IGNORECASE)
_AUTHOR_METAS = (
    "author",
    "article:author",
    "byl",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "og:article:author",
)
_MAX_SUFFIX_WORDS = 4
_MAX_BYLINE_ELEMENT_CHARS = 120
_BYLINE_SIBLINGS = 4
_MAX_BYLINE_CHILDREN = 6


def site_name(page: PageIndex, facts: JsonLdFacts) -> str | None:
    return page.meta("og:site_name") or facts.publisher or page.meta("application-name")


def description(page: PageIndex, facts: JsonLdFacts) -> str | None:
    stated = page.meta("description", "og:description", "twitter:description", "dc.description")
    return stated or facts.description


def canonical_url(page: PageIndex) -> str:
    for link in (*page.canonical, page.meta("og:url")):
        absolute = page.absolute(link)
        if absolute:
            return absolute
    return page.url


def declared_language(page: PageIndex, facts: JsonLdFacts, hints: Hints) -> str | None:
    return first_language(
        (
            page.html_lang,
            facts.language,
            page.meta("og:locale"),
            page.meta("content-language", "language", "dc.language", "dcterms.language"),
            hints.language,
        )
    )


def title(page: PageIndex, facts: JsonLdFacts, site: str | None, hints: Hints) -> str | None:
    """JSON-LD headline, og:title, the article's <h1>, <title>, the feed's title: the first that exists.

    Site names are cut from og:title and <title> ("Headline | Site", "Site - Headline").
    """
    candidates: tuple[Callable[[], str | None], ...] = (
        lambda: facts.headline,
        lambda: _strip_site_name(page.meta("og:title", "twitter:title"), site),
        lambda: _headline_h1(page, _strip_site_name(page.title, site)),
        lambda: _strip_site_name(page.title, site),
        lambda: hints.title,
    )
    for candidate in candidates:
        text = normalize_space(candidate())
        if text:
            return text
    return None


def _headline_h1(page: PageIndex, page_title: str | None) -> str | None:
    texts: list[str] = []
    for heading in page.h1s:
        text = element_text(heading)
        if text and not _SITE_TITLE_CLASS.search(heading.get("class") or "") and not is_furniture(heading):
            texts.append(text)
    if not texts:
        return None
    if page_title:
        key = text_key(page_title)
        matching = [text for text in texts if text_key(text) and key.startswith(text_key(text))]
        if matching:
            return matching[0]
    return texts[0]


def _strip_site_name(value: str | None, site: str | None) -> str | None:
    value = normalize_space(value)
    if not value:
        return None
    parts = _TITLE_SEPARATORS.split(value)
    if len(parts) < 2:
        return value
    site_key = text_key(site)
    if site_key:
        for index in (-1, 0):
            part_key = text_key(parts[index])
            if part_key and (part_key == site_key or site_key in part_key or part_key in site_key):
                rest = parts[:-1] if index == -1 else parts[1:]
                return _rejoin(value, rest)
    # no known site name: after a "|"-like separator, a segment of fewer words than the rest is taken
    # for the site (or a section name), the end first: "Headline | Site", then "Site | Headline"
    site_parts = _SITE_SEPARATORS.split(value)
    while len(site_parts) > 1:  # "Headline | Section | Site" loses both
        for index, rest in ((-1, site_parts[:-1]), (0, site_parts[1:])):
            words = len(site_parts[index].split())
            if words <= _MAX_SUFFIX_WORDS and words < sum(len(part.split()) for part in rest):
                site_parts = rest
                break
        else:
            break
    return _rejoin(value, site_parts)


def _rejoin(value: str, parts: list[str]) -> str:
    """The original text spanning `parts`, separators included ("A - B | Site" -> "A - B")."""
    start = value.find(parts[0])
    end = value.rfind(parts[-1]) + len(parts[-1])
    return value[start:end].strip()


def authors(page: PageIndex, facts: JsonLdFacts, byline_blocks: Iterable[str]) -> list[str]:
    """Structured authors first (JSON-LD, meta tags), then bylines printed on the page."""
    names: list[str] = list(facts.authors)
    for key in _AUTHOR_METAS:
        for value in page.metas.get(key, ()):
            names.extend(split_names(value))
    for element in page.bylines:
        if element.tag in ("meta", "link") or is_furniture(element):
            continue
        name_meta = next((m for m in element.iter("meta") if m.get("itemprop") == "name"), None)
        text = name_meta.get("content", "") if name_meta is not None else element_text(element)
        if text and len(text) <= _MAX_BYLINE_ELEMENT_CHARS:
            names.extend(parse_byline(text, require_prefix=False))
    names.extend(byline_blocks)
    names.extend(_bylines_under_headline(page))
    return unique_names(names)


def _bylines_under_headline(page: PageIndex) -> Iterable[str]:
    """A "By X"/"Von X" line among the few elements after the <h1>, which the body may not include."""
    for heading in page.h1s[:2]:
        for anchor in (heading, heading.getparent()):
            if anchor is None:
                continue
            for sibling in islice(anchor.itersiblings(), _BYLINE_SIBLINGS):
                # a byline is a short line: skip containers (the body, a related-articles box) unread
                if isinstance(sibling.tag, str) and len(sibling) <= _MAX_BYLINE_CHILDREN:
                    text = element_text(sibling)
                    if text and len(text) <= _MAX_BYLINE_ELEMENT_CHARS:
                        yield from parse_byline(text)
