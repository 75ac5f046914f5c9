"""Home and section pages as listings: what to follow from one page, and per-crawl bookkeeping.

The classification is discovery's (crawler.discovery.sections, pure); this decides, for one crawl,
which section pages and next pages are still to be requested: sections one level down from a seeded
page, next pages up to INGEST_PAGES_MAX_PAGINATION per listing, each page once. Which pages a run
has requested is a PageBook: a set in one process, a Redis set shared by a cluster's workers
(crawler.cluster.state.RedisPages), since listings bypass the duplicate filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

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


class PageBook(Protocol):
    """The pages a run has requested."""

    def seen(self, url: str) -> bool: ...

    def claim(self, url: str) -> bool:
        """Mark ``url`` requested; True if no one had (in a cluster: no worker)."""
        ...


@dataclass
class LocalPages:
    urls: set[str] = field(default_factory=set)

    def seen(self, url: str) -> bool:
        return url in self.urls

    def claim(self, url: str) -> bool:
        first = url not in self.urls
        self.urls.add(url)
        return first


@dataclass
class PageFollower:
    max_pagination: int = 2
    book: PageBook = field(default_factory=LocalPages)

    def seeded(self, url: str) -> None:
        self.book.claim(url.rstrip("/"))

    def follow(self, root: HtmlElement, url: str, *, depth: int, page_number: int, shapes: UrlShapes) -> FollowedPage:
        links = classify_links(root, url, shapes=shapes)
        sections = []
        if depth == 0:
            for section in links.sections:
                if self.book.claim(section.rstrip("/")):
                    sections.append(section)
        next_page = None
        over_limit = False
        for candidate in links.next_pages:
            if self.book.seen(candidate.rstrip("/")):
                continue
            if page_number + 1 >= self.max_pagination:
                over_limit = True
                break
            if not self.book.claim(candidate.rstrip("/")):
                continue  # another worker took it just now
            next_page = candidate
            break
        return FollowedPage([Entry(url=article) for article in links.articles], sections, next_page, links, over_limit)
