"""Link classification on section pages, JSON Feed, and the URL shapes learned per source."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.discovery.feeds import FeedError
from crawler.discovery.jsonfeed import is_json_feed, parse_json_feed
from crawler.discovery.sections import UrlShapes, classify_links, url_evidence, url_rejection, url_shape
from crawler.pages import parse_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discovery"
PAGE = "https://news.example/politik/"


@pytest.mark.parametrize(
    ("url", "evidence"),
    [
        ("https://news.example/politik/2023/09/15/kim-besucht-russland.html", "date"),
        ("https://news.example/2023-09-15/kim-besucht-russland", "date"),
        ("https://news.example/wirtschaft/streik-im-hafen-endet-12345678", "id"),
        ("https://news.example/meldung/98765.html", "id"),
        ("https://news.example/article.php?id=4711", "id"),
        ("https://news.example/politik/kim-besucht-die-flugzeugfabrik-in-russland", "slug"),
        ("https://news.example/news/streikende", "word"),
        ("https://news.example/politik/", None),
        ("https://news.example/2023/09/", None),
        ("https://news.example/wetter", None),
    ],
)
def test_url_evidence(url: str, evidence: str | None) -> None:
    assert url_evidence(url) == evidence


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://other.example/politik/2023/09/15/kim-besucht-russland.html", "offsite"),
        ("https://news.example/media/bericht-ueber-das-jahr-2023.pdf", "not_html"),
        ("https://news.example/tag/klima-und-energie-politik/", "listing_path"),
        ("https://news.example/autor/anna-schmidt-und-lukas-becker", "listing_path"),
        ("https://news.example/categorie/politique/", "listing_path"),
        ("https://news.example/politik/page/3/", "listing_path"),
        ("https://news.example/politik/?page=2", "listing_path"),
        ("https://news.example/2023/09/15/", "listing_path"),
        ("https://news.example/impressum", "listing_path"),
        ("https://news.example/politik/2023/09/15/kim-besucht-russland.html", None),
    ],
)
def test_url_rejection(url: str, reason: str | None) -> None:
    assert url_rejection(url, PAGE) == reason


HTML = """<html><body>
<header><nav><a href="/">Start</a><a href="/politik/">Politik</a><a href="/sport/">Sport</a>
<a href="/politik/2023/09/14/der-gestrige-aufmacher-im-menue.html">Menü-Aufmacher</a></nav></header>
<main>
<article class="teaser"><header><h2><a href="/politik/2023/09/15/kim-besucht-russland.html">Kim</a></h2></header>
<footer><a href="/tag/nordkorea/">Nordkorea</a></footer></article>
<article><h2><a href="/politik/hafenstreik-endet-nach-drei-wochen-12345678#kommentare">Streik</a></h2></article>
<h2><a href="/politik/europa/">Europa</a></h2>
<a href="/politik/2023/09/15/kim-besucht-russland.html;jsessionid=ABC123">Kim again</a>
<div class="pagination"><a href="/politik/page/2/">Weiter »</a></div>
</main>
<aside class="most-read"><a href="/sport/2023/09/01/der-meistgelesene-artikel.html">Meistgelesen</a></aside>
<footer><a href="https://other.example/a-partner-story-with-a-long-slug">Partner</a></footer>
</body></html>"""


def test_a_section_page_is_classified_before_anything_is_fetched() -> None:
    links = classify_links(parse_html(HTML), PAGE)
    assert links.articles == [
        "https://news.example/politik/2023/09/15/kim-besucht-russland.html",
        "https://news.example/politik/hafenstreik-endet-nach-drei-wochen-12345678",
    ]
    assert links.sections == ["https://news.example/sport/", "https://news.example/politik/europa/"]
    assert links.next_pages == ["https://news.example/politik/page/2/"]
    assert links.rejected["furniture"] == 3  # the menu's "Start" and article link, the most-read box
    assert links.rejected["offsite"] == 1 and links.rejected["listing_path"] == 1


def test_learned_shapes_admit_links_without_url_evidence() -> None:
    html = "<html><body><main><a href='/p/abc'>one</a><a href='/p/xyz'>two</a><a href='/q/r'>x</a></main></body></html>"
    assert classify_links(parse_html(html), "https://news.example/").articles == []
    shapes = UrlShapes.of(["https://news.example/p/kim", "https://news.example/p/hafen"])
    assert url_shape("https://news.example/p/kim") == "/p/kim"
    shapes = UrlShapes.of(["https://news.example/p/12345", "https://news.example/p/67890"])
    html = "<html><body><main><a href='/p/4711'>one</a><a href='/q/4711'>x</a></main></body></html>"
    assert classify_links(parse_html(html), "https://news.example/", shapes=shapes).articles == [
        "https://news.example/p/4711"
    ]


def test_json_feed() -> None:
    body = (FIXTURES / "feed.json").read_bytes()
    assert is_json_feed(body)
    feed = parse_json_feed(body, "https://grenzblatt.example/feed.json")
    assert (feed.kind, feed.title, feed.language) == ("json", "Grenzblatt", "de")
    first, second = feed.entries
    assert first.url == "https://grenzblatt.example/2023/09/18/neue-faehre.html"
    assert first.title == "Neue Fähre eröffnet"
    assert first.published == datetime(2023, 9, 18, 5, 30, tzinfo=UTC)
    assert first.updated == datetime(2023, 9, 18, 7, 0, tzinfo=UTC)
    assert (second.url, second.language) == ("https://grenzblatt.example/2023/09/19/weinlese.html", "fr")
    assert feed.problems == ["item 3: no link", "item 4: not an object"]


@pytest.mark.parametrize("body", [b"{}", b'{"version": "1"}', b"not json", b"[1, 2]"])
def test_not_a_json_feed(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_json_feed(body, "https://x.example/feed.json")


def test_sitemap_alternates_are_listed_apart_from_the_pages() -> None:
    from crawler.discovery.sitemaps import parse_sitemap

    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://news.example/de/faehre</loc><lastmod>2023-09-18T08:00:00Z</lastmod>
<xhtml:link rel="alternate" hreflang="fr" href="https://news.example/fr/bac"/>
<xhtml:link rel="alternate" hreflang="x-default" href="https://news.example/faehre"/>
<xhtml:link rel="alternate" hreflang="en-GB" href="/en/ferry"/></url>
</urlset>"""
    sitemap = parse_sitemap(body, "https://news.example/sitemap.xml")
    assert [entry.url for entry in sitemap.entries] == ["https://news.example/de/faehre"]
    assert [(alt.url, alt.language) for alt in sitemap.alternates] == [
        ("https://news.example/fr/bac", "fr"),
        ("https://news.example/en/ferry", "en-GB"),  # as written; the spider compares primary subtags
    ]
