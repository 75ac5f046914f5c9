"""Article metadata from the indexed page: canonical URL, site name, description, language."""

from __future__ import annotations

from crawler.items import Hints

from .jsonld import JsonLdFacts
from .language import first_language
from .page import PageIndex


def site_name(page: PageIndex, facts: JsonLdFacts) -> str | None:
    return page.meta("og:site_name") or facts.publisher or page.meta("application-name")


def description(page: PageIndex, facts: JsonLdFacts) -> str | None:
    stated = page.meta("description", "og:description", "twitter:description", "dc.description")
    return stated or facts.description


def canonical_url(page: PageIndex) -> str:
    """The page's declared canonical URL, else its own. A relative one on a saved page (a file: URL)
    names no real address, so the file's own URL stands."""
    for link in (*page.canonical, page.meta("og:url")):
        absolute = page.absolute(link)
        if absolute and not absolute.startswith("file:"):
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
