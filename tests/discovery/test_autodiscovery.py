from __future__ import annotations

from collections.abc import Callable

import pytest

from crawler.discovery.autodiscovery import find_feed_links

PAGE_URL = "https://www.example.com/section/page.html"


def test_links_from_a_page(fixture_bytes: Callable[[str], bytes]) -> None:
    links = find_feed_links(fixture_bytes("page_with_feeds.html"), PAGE_URL)

    assert links == [
        "https://www.example.com/feeds/front.rss",  # and its absolute duplicate is dropped
        "https://www.example.com/section/atom.xml",  # rel is case-insensitive; type may carry parameters
        "https://rdf.example.com/index.rdf",  # scheme-relative
        "https://www.example.com/feed.json",
        "https://www.example.com/body-feed.xml",  # misplaced in <body>, still advertised
    ]


def test_str_input_with_an_encoding_declaration() -> None:
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><head>'
        '<link rel="alternate" type="application/rss+xml" href="/flux-é.xml"></head></html>'
    )

    assert find_feed_links(html, PAGE_URL) == ["https://www.example.com/flux-é.xml"]


def test_bytes_in_a_declared_charset() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1">'
        '<link rel="alternate" type="application/atom+xml" href="/é.atom">'
    )

    assert find_feed_links(html.encode("iso-8859-1"), PAGE_URL) == ["https://www.example.com/é.atom"]


def test_base_href_is_resolved_against_the_page() -> None:
    html = b"""<html><head><base href="../archive/">
        <link rel="alternate" type="application/rss+xml" href="feed.xml"></head></html>"""

    assert find_feed_links(html, PAGE_URL) == ["https://www.example.com/archive/feed.xml"]


@pytest.mark.parametrize(
    "html",
    [
        b"",
        "   ",
        b"\x00\xff\xfe garbage",
        b"<html><head><link rel='stylesheet' href='/a.css'></head></html>",
        b"<html><head><link rel='alternate' type='application/json' href='/wp-json/'></head></html>",
        b"<html><head><link rel='alternate' type='text/html' hreflang='de' href='/de/'></head></html>",
        b"<html><head><link rel='alternate' type='application/rss+xml' href='ftp://e.example/f'></head></html>",
        b"<html><head><link rel='alternate' type='application/rss+xml' href='data:text/xml,<rss/>'>",
        b"<rss><channel><link>https://e.example/</link></channel></rss>",
    ],
)
def test_pages_without_usable_feed_links(html: bytes | str) -> None:
    assert find_feed_links(html, PAGE_URL) == []
