from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from crawler.discovery.entries import Entry
from crawler.discovery.sitemaps import ParsedSitemap, SitemapError, parse_sitemap

SITEMAP_URL = "https://www.example.com/sitemaps/sitemap.xml"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def test_urlset(fixture_bytes: Callable[[str], bytes]) -> None:
    sitemap = parse_sitemap(fixture_bytes("sitemap.xml"), SITEMAP_URL)

    assert sitemap.kind == "urlset"
    assert sitemap.sitemaps == []
    assert sitemap.entries == [
        Entry(url="https://www.example.com/a?x=1&y=2", updated=utc(2023, 9, 15)),
        # image:loc comes first in this <url> and must not be taken for the page.
        Entry(url="https://www.example.com/b", updated=utc(2023, 9, 15, 8, 12)),
        Entry(url="https://www.example.com/relative/c"),  # unreadable lastmod is None, not an error
    ]
    assert sitemap.problems == ["url 4: no loc", "url 5: non-http loc 'ftp://www.example.com/d'"]


def test_sitemap_index(fixture_bytes: Callable[[str], bytes]) -> None:
    sitemap = parse_sitemap(fixture_bytes("sitemap_index.xml"), SITEMAP_URL)

    assert sitemap.kind == "index"
    assert sitemap.entries == []
    assert sitemap.sitemaps == [
        Entry(url="https://www.example.com/sitemap-news.xml", updated=utc(2023, 9, 15, 10, 12)),
        Entry(url="https://www.example.com/sitemap-2023-09.xml.gz"),
        Entry(url="https://www.example.com/sitemaps/sitemap-pages.xml", updated=utc(2023, 9, 1)),
    ]
    assert sitemap.problems == ["sitemap 4: no loc"]


def test_google_news_sitemap(fixture_bytes: Callable[[str], bytes]) -> None:
    sitemap = parse_sitemap(fixture_bytes("sitemap_news.xml"), SITEMAP_URL)

    assert sitemap.entries == [
        Entry(
            url="https://www.example.com/business/article55.html",
            title="Companies A, B in merger talks",
            published=utc(2023, 9, 15, 8, 12),
            updated=utc(2023, 9, 15, 9, 0),
            language="en",
        ),
        Entry(
            url="https://www.example.com/world/article56.html",
            title="Ports & harbours",
            published=utc(2023, 9, 14),
            language="zh-cn",
        ),
    ]
    assert sitemap.problems == []


@pytest.mark.parametrize(
    "root",
    [
        "<urlset>",  # no namespace at all
        '<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">',  # the pre-sitemaps.org one
        '<urlset xmlns="https://www.sitemaps.org/schemas/sitemap/0.9/">',  # misspelt: https, trailing slash
        '<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">',  # prefixed
    ],
)
def test_namespace_variants(root: str) -> None:
    prefix = "sm:" if root.startswith("<sm:") else ""
    body = (
        f"{root}<{prefix}url><{prefix}loc>https://e.example/a</{prefix}loc>"
        f"<{prefix}lastmod>2023-09-15</{prefix}lastmod></{prefix}url></{prefix}urlset>"
    )

    assert parse_sitemap(body.encode(), SITEMAP_URL).entries == [
        Entry(url="https://e.example/a", updated=utc(2023, 9, 15))
    ]


def test_news_tags_without_namespace_declaration() -> None:
    body = b"""<urlset><url><loc>https://e.example/n</loc><news:news>
        <news:publication><news:language>it</news:language></news:publication>
        <news:title>Titolo</news:title><news:publication_date>2023-09-15</news:publication_date>
    </news:news></url></urlset>"""

    assert parse_sitemap(body, SITEMAP_URL).entries == [
        Entry(url="https://e.example/n", title="Titolo", published=utc(2023, 9, 15), language="it")
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"User-agent: *\nDisallow: /", "not XML"),
        (b"https://e.example/a\nhttps://e.example/b\n", "not XML"),  # text sitemaps are not handled here
        (gzip.compress(b"<urlset/>", mtime=0), "gzip-compressed"),
        (b"<html><body><h1>404 Not Found</h1></body></html>", "HTML page"),
        (b"<rss><channel/></rss>", "a feed"),
        (b"<error><code>AccessDenied</code></error>", "root element <error>"),
    ],
)
def test_bodies_that_are_not_sitemaps(body: bytes, reason: str) -> None:
    with pytest.raises(SitemapError, match=reason):
        parse_sitemap(body, SITEMAP_URL)


def test_sitemap_error_is_a_value_error() -> None:
    assert issubclass(SitemapError, ValueError)


def test_empty_urlset_is_not_an_error() -> None:
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'

    assert parse_sitemap(body, SITEMAP_URL) == ParsedSitemap(kind="urlset")


def test_fifty_thousand_urls_all_parse() -> None:
    # 50,000 is the protocol's limit per sitemap file.
    urls = "".join(
        f"<url><loc>https://e.example/p/{number}</loc><lastmod>2023-09-15T10:12:00+02:00</lastmod></url>"
        for number in range(50_000)
    )
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()

    sitemap = parse_sitemap(body, SITEMAP_URL)

    assert len(sitemap.entries) == 50_000
    assert sitemap.entries[-1] == Entry(url="https://e.example/p/49999", updated=utc(2023, 9, 15, 8, 12))
