from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from crawler.discovery.entries import Entry
from crawler.discovery.feeds import FeedError, ParsedFeed, parse_feed

FEED_URL = "https://feeds.example.com/path/feed"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def test_rss2(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("rss2.xml"), FEED_URL)

    assert (feed.kind, feed.title, feed.language) == ("rss", "The Daily & Nightly", "en-GB")
    assert feed.entries == [
        Entry(
            url="https://news.example.com/2023/09/15/mayor-resigns",
            title="Mayor resigns & leaves town",
            published=utc(2023, 9, 15, 15, 12),  # 10:12 EST is UTC-5
            guid="story-1001",
            language="en-GB",
        ),
        Entry(
            url="https://feeds.example.com/2023/09/14/relative",
            title="Relative link \u2013 resolved",
            published=utc(2023, 9, 14, 21, 30),
            updated=utc(2023, 9, 15, 6, 0),
            language="en-GB",
        ),
        Entry(
            url="https://news.example.com/2023/09/13/guid-only",
            title="Only a permalink guid",
            published=utc(2023, 9, 13, 6, 0),
            guid="https://news.example.com/2023/09/13/guid-only",
            language="fr",
        ),
        Entry(url="https://news.example.com/2023/09/12/no-title", language="en-GB"),
    ]
    assert feed.problems == [
        "item 4 ('Opaque guid and no link'): no link",
        "item 5 ('Script link'): non-http link 'javascript:alert(1)'",
        "item 6 ('Mail link'): non-http link 'mailto:desk@news.example.com'",
    ]


def test_atom(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("atom.xml"), FEED_URL)

    assert (feed.kind, feed.title, feed.language) == ("atom", "Nachrichten <aktuell>", "de")
    assert feed.entries == [
        Entry(
            # text/html wins over the PDF alternate; xml:base on <feed> applies.
            url="https://blog.example.org/news/first.html",
            title="Erster Beitrag",
            published=utc(2023, 9, 15, 8, 12),
            updated=utc(2023, 9, 15, 9, 0),
            guid="tag:blog.example.org,2023:1",
            language="de",
        ),
        Entry(
            # The entry's own xml:base is resolved against the feed's.
            url="https://blog.example.org/archive/second",
            title="An xhtml title",
            updated=utc(2023, 9, 14, 9, 0),
            guid="tag:blog.example.org,2023:2",
            language="en",
        ),
    ]
    assert feed.problems == [
        "entry 3 ('Bold & escaped'): no link",
        "entry 4 ('FTP only'): non-http link 'ftp://files.example.org/4'",
    ]


def test_rdf(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("rdf.xml"), FEED_URL)

    assert (feed.kind, feed.title, feed.language) == ("rdf", "RDF Times", "ja")
    assert feed.entries == [
        Entry(
            url="https://rdf.example.net/a",
            title="Item A",
            published=utc(2023, 9, 15, 1, 12),
            guid="https://rdf.example.net/a",
            language="ja",
        ),
        Entry(
            url="https://rdf.example.net/b",  # from rdf:about
            title="Item B has no link element",
            published=utc(2023, 9, 14),
            guid="https://rdf.example.net/b",
            language="en",
        ),
    ]
    assert feed.problems == ["item 3 ('Item C has nothing'): no link"]


def test_malformed_feed_keeps_its_valid_items(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("malformed_feed.xml"), FEED_URL)

    assert feed.title == "Broken & Co"
    assert [(entry.url, entry.title) for entry in feed.entries] == [
        ("https://broken.example.com/1", "First is fine"),
        # libxml2's recovery alone would drop "&b" and yield "?a=1=2".
        ("https://broken.example.com/2?a=1&b=2", "Unescaped & ampersand"),
        ("https://broken.example.com/3", "Unclosed tag in the description"),
        # After the first error libxml2 would drop every &amp; and &lt; on its own.
        ("https://broken.example.com/4?x=1&y=2", "After the damage: still & intact <3"),
        ("https://broken.example.com/5", "Last one"),
    ]
    # The unclosed <title> swallowed its own <link>: that item alone is lost, and reported.
    assert len(feed.problems) == 1
    assert feed.problems[0].startswith("item 5 ('Unclosed title") and feed.problems[0].endswith("no link")


def test_bare_ampersand_inside_cdata_is_left_alone() -> None:
    body = b"""<rss><channel><item><title><![CDATA[Q&A]]></title>
        <link><![CDATA[https://e.example/?a=1&b=2]]></link></item></channel></rss>"""

    [entry] = parse_feed(body, FEED_URL).entries

    assert (entry.url, entry.title) == ("https://e.example/?a=1&b=2", "Q&A")


def test_undeclared_prefixes_are_understood() -> None:
    # No xmlns:dc or xmlns:atom: libxml2 keeps "dc:date" as a plain tag name.
    body = b"""<rss><channel><item>
        <dc:date>2023-09-15T10:12:00Z</dc:date>
        <atom:link rel="alternate" href="https://e.example/from-atom-link"/>
        <dc:language>sv</dc:language>
    </item></channel></rss>"""

    [entry] = parse_feed(body, FEED_URL).entries

    assert entry == Entry(
        url="https://e.example/from-atom-link", published=utc(2023, 9, 15, 10, 12), language="sv"
    )


def test_unnamespaced_atom_and_atom_03() -> None:
    plain = b"""<feed><title>Plain</title><entry><title>One</title><link href="/one"/>
        <updated>2023-09-15T10:12:00Z</updated><id>1</id></entry></feed>"""
    old = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>Old</title>
        <link rel="alternate" type="text/html" href="https://e.example/old"/>
        <issued>2004-06-01T12:00:00+01:00</issued><modified>2004-06-02T12:00:00Z</modified></entry></feed>"""

    assert parse_feed(plain, FEED_URL).entries == [
        Entry(url="https://feeds.example.com/one", title="One", updated=utc(2023, 9, 15, 10, 12), guid="1")
    ]
    assert parse_feed(old, FEED_URL).entries == [
        Entry(
            url="https://e.example/old",
            title="Old",
            published=utc(2004, 6, 1, 11, 0),
            updated=utc(2004, 6, 2, 12, 0),
        )
    ]


@pytest.mark.parametrize(
    ("title_xml", "expected"),
    [
        ("<![CDATA[ Plain   text\n\twith  breaks ]]>", "Plain text with breaks"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Fish &amp;amp; chips", "Fish & chips"),  # double-escaped, as CMSs do
        ("&lt;em&gt;Emphasis&lt;/em&gt; here", "Emphasis here"),
        ("<![CDATA[<a href='/x'>Linked</a> title]]>", "Linked title"),
        ("Caf&eacute;&nbsp;culture", "Café culture"),  # HTML entities with no DTD to define them
        ("Caf&#233; &#x263A;", "Café ☺"),
        ("1 &lt; 2", "1 < 2"),
        ("   ", None),
    ],
)
def test_titles_become_plain_text(title_xml: str, expected: str | None) -> None:
    body = f"<rss><channel><item><title>{title_xml}</title><link>https://e.example/</link></item></channel></rss>"

    [entry] = parse_feed(body.encode(), FEED_URL).entries

    assert entry.title == expected


@pytest.mark.parametrize(
    ("guid_xml", "expected_url"),
    [
        ("<guid>https://e.example/p</guid>", "https://e.example/p"),
        ('<guid isPermaLink="true">https://e.example/p</guid>', "https://e.example/p"),
        ('<guid isPermaLink="true">/p</guid>', "https://feeds.example.com/p"),
        ('<guid isPermaLink="false">https://e.example/p</guid>', None),
        ("<guid>12345</guid>", None),  # an opaque id, not a relative URL
    ],
)
def test_guid_as_fallback_link(guid_xml: str, expected_url: str | None) -> None:
    body = f"<rss><channel><item>{guid_xml}</item></channel></rss>".encode()

    feed = parse_feed(body, FEED_URL)

    assert [entry.url for entry in feed.entries] == ([expected_url] if expected_url else [])


def test_unusable_link_falls_back_to_the_next_candidate() -> None:
    body = b"""<rss><channel><item><link>javascript:void(0)</link>
        <guid>https://e.example/real</guid></item></channel></rss>"""

    assert [entry.url for entry in parse_feed(body, FEED_URL).entries] == ["https://e.example/real"]


def test_language_inherits_from_xml_lang() -> None:
    body = b"""<rss xml:lang="nl"><channel><item><link>https://e.example/</link></item></channel></rss>"""

    feed = parse_feed(body, FEED_URL)

    assert feed.language == "nl"
    assert feed.entries[0].language == "nl"


def test_utf16_and_declared_encodings() -> None:
    text = '<?xml version="1.0" encoding="{}"?><rss><channel><item><title>Ünïcødé</title><link>https://e.example/ü</link></item></channel></rss>'

    for encoding in ("utf-16", "iso-8859-1", "utf-8"):
        [entry] = parse_feed(text.format(encoding).encode(encoding), FEED_URL).entries
        assert (entry.title, entry.url) == ("Ünïcødé", "https://e.example/ü")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b" \n\t ", "empty body"),
        (b"just some words", "not XML"),
        (b"\x00\x01\x02\xff\xfe", "not XML"),
        (gzip.compress(b"<rss/>", mtime=0), "gzip"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "not XML"),
        (b"<!DOCTYPE html><html><head><title>x</title></head><body><p>a & b<br></body></html>", "HTML page"),
        (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "a sitemap (<urlset>)"),
        (b"<opml version='2.0'><body/></opml>", "root element <opml>"),
    ],
)
def test_bodies_that_are_not_feeds(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_feed(body, FEED_URL)


def test_html_fixture_is_not_a_feed(fixture_bytes: Callable[[str], bytes]) -> None:
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(fixture_bytes("not_a_feed.html"), FEED_URL)


def test_feed_error_is_a_value_error() -> None:
    assert issubclass(FeedError, ValueError)


def test_empty_feed_is_not_an_error() -> None:
    assert parse_feed(b"<rss><channel><title>Quiet</title></channel></rss>", FEED_URL) == ParsedFeed(
        kind="rss", title="Quiet"
    )


def _big_feed(items: int) -> bytes:
    item = (
        "<item><title><![CDATA[Story {0} &amp; more]]></title><link>https://e.example/story/{0}</link>"
        "<guid isPermaLink='false'>id-{0}</guid><pubDate>Fri, 15 Sep 2023 10:12:00 +0200</pubDate>"
        "<dc:date>2023-09-15T10:12:00+02:00</dc:date>"
        "<description>&lt;p&gt;Body {0}&lt;/p&gt;</description></item>"
    )
    body = "".join(item.format(number) for number in range(items))
    return (
        '<?xml version="1.0"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Big</title>'
        f"{body}</channel></rss>"
    ).encode()


def test_ten_thousand_items_all_parse() -> None:
    body = _big_feed(10_000)

    feed = parse_feed(body, FEED_URL)

    assert len(feed.entries) == 10_000
    assert feed.entries[-1] == Entry(
        url="https://e.example/story/9999",
        title="Story 9999 & more",
        published=utc(2023, 9, 15, 8, 12),
        guid="id-9999",
    )
