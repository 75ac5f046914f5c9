"""Random and mangled input: the parsers may refuse a body, but only with their own errors."""

from __future__ import annotations

from datetime import UTC

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dates import parse_feed_date as parse_date
from crawler.discovery.autodiscovery import find_feed_links
from crawler.discovery.entries import Entry
from crawler.discovery.feeds import FeedError, parse_feed
from crawler.discovery.sitemaps import SitemapError, parse_sitemap
from crawler.discovery.sniff import sniff
from tests.discovery.conftest import FIXTURES

URL = "https://fuzz.example.com/a/b.xml"

# Seeded and bounded, so a run is repeatable and takes seconds; no example database is written.
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SEEDS = tuple(path.read_bytes() for path in sorted(FIXTURES.iterdir()))

TOKENS = (
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="utf-16"?>',
    '<rss version="2.0">', "</rss>", "<channel>", "</channel>", "<item>", "</item>",
    "<title>", "</title>", "<link>", "</link>", "<guid isPermaLink='true'>", "<guid>", "</guid>",
    "<pubDate>", "Fri, 15 Sep 2023 10:12:00 EST", "</pubDate>", "<dc:date>", "</dc:date>",
    "<feed xmlns='http://www.w3.org/2005/Atom' xml:base='../x/' xml:lang='en'>", "</feed>",
    "<entry>", "</entry>", "<link rel='alternate' type='text/html' href='", "'/>",
    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>",
    "<item rdf:about='", "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>", "</urlset>",
    "<sitemapindex>", "<sitemap>", "<url>", "</url>", "<loc>", "</loc>", "<lastmod>", "</lastmod>",
    "<news:news>", "<news:title>", "<news:publication_date>", "2023-09-15T10:12:00+02:00", "2023-09",
    "https://e.example/p", "http://[::1", "/relative", "javascript:x", "//host/x", "mailto:a@b",
    "&amp;", "&", "&nbsp;", "&xxe;", "&#0;", "&#x110000;", "&#38;", "<![CDATA[", "]]>", "<!--", "-->",
    '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "<!DOCTYPE html>", "<", ">", "'", '"',
    "<html><head>", "<link rel='alternate' type='application/rss+xml' href='", "<base href='",
    "é", "\u2028", "\ufeff", "\x00", "\x1f\x8b", " ", "\n",
)  # fmt: skip

token_documents = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=60).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)


@st.composite
def mutated_fixtures(draw: st.DrawFn) -> bytes:
    """A fixture with a few bytes deleted, inserted or overwritten: truncations, stray brackets."""
    body = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(body)))
        action = draw(st.sampled_from(("delete", "insert", "overwrite", "truncate")))
        chunk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b"<", b">", b"&", b"]]>", b"</"]))
        if action == "delete":
            del body[position : position + len(chunk)]
        elif action == "insert":
            body[position:position] = chunk
        elif action == "overwrite":
            body[position : position + len(chunk)] = chunk
        else:
            del body[position:]
    return bytes(body)


documents = st.binary(max_size=2048) | token_documents | mutated_fixtures()


def _check_entry(entry: Entry) -> None:
    assert entry.url.startswith(("http://", "https://"))
    assert entry.url == entry.url.strip()
    for moment in (entry.published, entry.updated):
        assert moment is None or moment.tzinfo is UTC


def _exercise(body: bytes) -> None:
    try:
        feed = parse_feed(body, URL)
    except FeedError:
        pass
    else:
        assert feed.kind in ("rss", "atom", "rdf")
        for entry in feed.entries:
            _check_entry(entry)

    try:
        sitemap = parse_sitemap(body, URL)
    except SitemapError:
        pass
    else:
        assert sitemap.kind in ("urlset", "index")
        for entry in sitemap.entries + sitemap.sitemaps:
            _check_entry(entry)

    assert sniff(body) in ("feed", "sitemap", "html", "unknown")

    for html in (body, body.decode("utf-8", "replace")):
        links = find_feed_links(html, URL)
        assert all(link.startswith(("http://", "https://")) for link in links)
        assert len(links) == len(set(links))


@FUZZ
@given(documents)
def test_only_our_errors_escape(body: bytes) -> None:
    _exercise(body)


@FUZZ
@given(st.text(max_size=60) | st.sampled_from(TOKENS))
def test_dates_never_raise(text: str) -> None:
    parsed = parse_date(text)

    assert parsed is None or parsed.tzinfo is UTC
