"""Home and section pages as listings: what to follow from one page, and per-crawl bookkeeping.

The classification is discovery's (crawler.discovery.sections, pure); this decides, for one crawl,
which section pages and next pages are still to be requested: sections one level down from a seeded
page, next pages up to INGEST_PAGES_MAX_PAGINATION per listing, each page once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.discovery.entries import Entry
from crawler.discovery.sections import PageLinks, UrlShapes, classify_links


@dataclass
class FollowedPage:
    entries: list[Entry]
    sections: list[str]  # section pages to request (depth 1)
    next_page: str | None  # the next page of this listing, if within the pagination limit
    links: PageLinks
    pagination_over_limit: bool = False


@dataclass
class PageFollower:
    max_pagination: int = 2
    _requested: set[str] = field(default_factory=set)

    def seeded(self, url: str) -> None:
        self._requested.add(url.rstrip("/"))

    def follow(self, root: HtmlElement, url: str, *, depth: int, page_number: int, shapes: UrlShapes) -> FollowedPage:
        links = classify_links(root, url, shapes=shapes)
        sections = []
        if depth == 0:
            for section in links.sections:
                if section.rstrip("/") not in self._requested:
                    self._requested.add(section.rstrip("/"))
                    sections.append(section)
        next_page = None
        over_limit = False
        for candidate in links.next_pages:
            if candidate.rstrip("/") in self._requested:
                continue
            if page_number + 1 >= self.max_pagination:
                over_limit = True
                break
            self._requested.add(candidate.rstrip("/"))
            next_page = candidate
            break
        return FollowedPage([Entry(url=article) for article in links.articles], sections, next_page, links, over_limit)
