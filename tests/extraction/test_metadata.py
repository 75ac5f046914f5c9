"""Title, canonical URL, site name, description, dates: sources and their order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction import extract_article
from crawler.items import Article, Hints

URL = "https://news.example/politik/kim.html"
BODY = "".join(
    f"<p>Absatz {n}: Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die "
    f"Reise im Oktober stattfinden wird.</p>"
    for n in range(3)
)


def extract(head: str = "", top: str = "", **kwargs: Any) -> Article:
    html = f"<html lang='de'><head>{head}</head><body>{top}<div class='article-body'>{BODY}</div></body></html>"
    return extract_article(html, URL, **kwargs)


@pytest.mark.parametrize(
    ("head", "top", "title"),
    [
        (
            '<title>Kim in Moskau | Weltnachrichten</title><meta property="og:title" content="Kim reist nach '
            'Moskau"><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kim besucht '
            'Moskau"}</script>',
            "<h1>Kim in Moskau</h1>",
            "Kim besucht Moskau",
        ),
        (
            '<title>Kim in Moskau | Weltnachrichten</title><meta property="og:title" content="Kim reist nach '
            'Moskau - Weltnachrichten"><meta property="og:site_name" content="Weltnachrichten">',
            "",
            "Kim reist nach Moskau",
        ),
        (
            "<title>Kim in Moskau – Nachrichten Heute</title>",
            '<h1 class="entry-title">Kim in Moskau</h1>',
            "Kim in Moskau",
        ),
        (
            "<title>Kim in Moskau – Nachrichten Heute</title>",
            '<header><h1 class="site-title">Nachrichten Heute</h1></header><h1>Kim in Moskau</h1>',
            "Kim in Moskau",
        ),
        ("<title>Kim in Moskau | Weltnachrichten</title>", "", "Kim in Moskau"),
        ("<title>Weltnachrichten | Kim in Moskau</title>", "", "Kim in Moskau"),
        ("<title>Kim trifft Putin in Moskau | Politik | Weltnachrichten</title>", "", "Kim trifft Putin in Moskau"),
        ("<title>Kim - ein Porträt</title>", "", "Kim - ein Porträt"),
    ],
)
def test_title(head: str, top: str, title: str) -> None:
    assert extract(head, top).title == title


def test_title_from_hints_last() -> None:
    assert extract(hints=Hints(title="Aus dem Feed")).title == "Aus dem Feed"


def test_site_name_prefix_is_cut_when_known() -> None:
    head = '<title>Weltnachrichten - Kim in Moskau</title><meta property="og:site_name" content="Weltnachrichten">'
    assert extract(head).title == "Kim in Moskau"


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        ('<link rel="canonical" href="https://news.example/kim">', "https://news.example/kim"),
        ('<link rel="canonical" href="/kim?x=1">', "https://news.example/kim?x=1"),
        ('<meta property="og:url" content="https://news.example/og">', "https://news.example/og"),
        (
            '<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="//cdn.example/k">',
            "https://cdn.example/k",
        ),
        ('<link rel="canonical" href="ftp://news.example/kim">', URL),
        ("", URL),
    ],
)
def test_canonical_url(head: str, canonical: str) -> None:
    assert extract(head).canonical_url == canonical


def test_site_name_and_description() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"name": "Welt GmbH"}, '
        '"description": "Aus JSON-LD"}</script>'
    )
    article = extract(jsonld)
    assert (article.site_name, article.description) == ("Welt GmbH", "Aus JSON-LD")
    article = extract(jsonld + '<meta property="og:site_name" content="Welt"><meta name="description" content="Meta">')
    assert (article.site_name, article.description) == ("Welt", "Meta")


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("head", "top", "published", "modified"),
    [
        # JSON-LD first
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
            '"2023-09-15T10:12:00+02:00", "dateModified": "2023-09-15T11:00:00+02:00"}</script>'
            '<meta property="article:published_time" content="2020-01-01T00:00:00Z">',
            "",
            "2023-09-15T08:12:00+00:00",
            "2023-09-15T09:00:00+00:00",
        ),
        # then meta tags, in many dialects
        (
            '<meta property="article:published_time" content="2023-09-15T10:12:00+02:00">',
            "",
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        ('<meta name="parsely-pub-date" content="2023-09-15T08:12:00Z">', "", "2023-09-15T08:12:00+00:00", None),
        ('<meta name="sailthru.date" content="2023-09-15 10:12:00">', "", "2023-09-15T08:12:00+00:00", None),
        ('<meta name="DC.date" content="2023-09-15">', "", "2023-09-14T22:00:00+00:00", None),
        (
            '<meta property="og:updated_time" content="2023-09-15T12:00:00+02:00">',
            "",
            None,
            "2023-09-15T10:00:00+00:00",
        ),
        # then <time datetime>, outside related-article lists
        (
            "",
            '<aside><time datetime="2023-01-01T00:00:00Z">1.1.2023</time></aside>'
            '<time datetime="2023-09-15T10:12">15.09.2023</time>',
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        (
            "",
            '<time class="updated" datetime="2023-09-16T10:00:00+02:00">16.09.</time>'
            '<time datetime="2023-09-15T10:12:00+02:00">15.09.</time>',
            "2023-09-15T08:12:00+00:00",
            "2023-09-16T08:00:00+00:00",
        ),
        # then the visible date line, label and date in adjacent elements
        (
            "",
            '<div class="meta"><span>Veröffentlicht am</span> <span>15. September 2023, 10:12 Uhr</span></div>',
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        (
            "",
            "<p>Stand: 15.09.2023 10:12 Uhr | Aktualisiert: 16.09.2023 09:00 Uhr</p>",
            "2023-09-15T08:12:00+00:00",
            "2023-09-16T07:00:00+00:00",
        ),
        ("", '<span class="date">vor 2 Stunden</span>', "2023-09-15T10:00:00+00:00", None),
        # sidebars' dates are no publication dates
        ("", '<div class="sidebar"><p>Veröffentlicht am 01.01.2020</p></div>', None, None),
    ],
)
def test_dates(head: str, top: str, published: str | None, modified: str | None) -> None:
    article = extract(head, top, fetched_at=datetime(2023, 9, 15, 12, 0, tzinfo=UTC), default_timezone=BERLIN)
    assert (article.published_at, article.modified_at) == (published, modified)


def test_dates_from_hints_last() -> None:
    hints = Hints(published_at=datetime(2023, 9, 15, 10, 12), modified_at=datetime(2023, 9, 15, 9, 0, tzinfo=UTC))
    article = extract(hints=hints, default_timezone=BERLIN)
    assert article.published_at == "2023-09-15T08:12:00+00:00"
    assert article.modified_at == "2023-09-15T09:00:00+00:00"


def test_page_dates_win_over_hints() -> None:
    hints = Hints(published_at=datetime(2020, 1, 1, tzinfo=UTC))
    article = extract('<meta property="article:published_time" content="2023-09-15T08:12:00Z">', hints=hints)
    assert article.published_at == "2023-09-15T08:12:00+00:00"


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("head", "top", "published"),
    [
        # a day alone in the metadata is completed by the time printed on that day
        (
            '<meta name="dc.date.issued" content="2012-11-05">',
            '<p class="date">Nov 5, 2012 - 3:39PM EST</p>',
            "2012-11-05T20:39:00+00:00",
        ),
        # date and time in adjacent elements
        (
            "",
            '<div class="info"><span class="datestamp">November 06, 2012</span> <span class="timestamp">10:43AM'
            "</span></div>",
            "2012-11-06T15:43:00+00:00",
        ),
        # "Posted by <a>X</a> on <date> at <span>time</span>": the label's date and time several pieces on
        (
            "",
            '<p class="byline">Posted by <a href="/mf">Max Fisher</a> on October 29, 2012 at <span>2:54 pm</span></p>',
            "2012-10-29T18:54:00+00:00",
        ),
        # a weekday settles a dotted date: Tuesday, 6 November 2012 (11 June 2012 was a Monday)
        ("", '<div class="pubDate">Tuesday, 11.06.2012 / 4:54 PM</div>', "2012-11-06T21:54:00+00:00"),
        # a local time its CMS labelled "Z", beside the same time with its offset
        (
            '<meta name="datePublished" content="2012-11-06T11:52:29Z">'
            '<meta name="sailthru.date" content="Tue, 06 Nov 2012 11:52:29 -0800">',
            "",
            "2012-11-06T19:52:29+00:00",
        ),
        # the offset stated first, the same wall-clock time labelled "Z" after it: the offset holds
        (
            '<meta property="article:published_time" content="2025-06-05T14:46:12+02:00">'
            '<meta name="cXenseParse:recs:publishtime" content="2025-06-05T14:46:12Z">',
            "",
            "2025-06-05T12:46:12+00:00",
        ),
        # a "Z" time beside a time printed without any zone: nothing says the "Z" is wrong
        (
            '<meta name="datePublished" content="2024-07-17T11:21:03Z">'
            '<meta name="sailthru.date" content="2024-07-17 07:21:03">',
            "",
            "2024-07-17T11:21:03+00:00",
        ),
        # metadata only other sites use, and a day without a time that nothing completes
        ('<meta name="originalpublicationdate" content="2012/07/24 10:50:16">', "", "2012-07-24T14:50:16+00:00"),
        ('<meta name="displaydate" content="2012-11-06">', "", "2012-11-06T05:00:00+00:00"),
    ],
)
def test_dates_completed_across_sources(head: str, top: str, published: str) -> None:
    article = extract(head, top, default_timezone=NEW_YORK)
    assert article.published_at == published


def test_an_impossible_relative_date_is_ignored() -> None:
    article = extract("", '<span class="date">vor 1000000 Tagen</span>', fetched_at=datetime(2023, 9, 15, tzinfo=UTC))
    assert article.published_at is None
