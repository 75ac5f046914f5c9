"""Write the hostile site: every bad input under /cases/<kind>/, plus the valid articles around them.

``build_site(root, other_base=...)`` writes the files and returns the seeds template (``{{base}}`` is the
serving MockServer's own URL, templated per request). ``other_base`` is a second server on another
loopback address, for the cross-domain redirect. Sidecars (tests/mockserver.py) set statuses,
headers, delays and truncation. Paths only: what each case must lead to is the table in
tests/e2e/test_hostile.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from tests.hostile import payloads

VALID_ARTICLES = 5
HUGE_LISTING = 10_000
REDIRECT_CHAIN = 25
TRAP_LEVELS = 12
NESTING = 10_000
TABLE_BYTES = 30 * 1000 * 1000
SLOW_SECONDS = 5
XXE_DOCTYPE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    '<!DOCTYPE r [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)
GERMAN = (
    "Die Bürgerinnen und Bürger der Stadt müssen sich auf längere Wartezeiten einstellen. "
    "Die Straßenbahn fährt während der Bauarbeiten nur eingeschränkt, teilte die Verkehrsgesellschaft mit. "
    "Größere Umbauten an den Haltestellen sind für den Spätsommer geplant; Anwohner äußerten Ärger über "
    "die Verzögerungen, die Stadtverwaltung verspricht Übergangslösungen."
)
GERMAN_TITLE = "Straßenbahn: Bürger ärgern sich über längere Wartezeiten"


@dataclass(frozen=True)
class Site:
    root: Path
    seeds: Path


def article_page(
    title: str,
    number: int,
    *,
    published: str = "2024-03-01T09:00:00+00:00",
    paragraphs: tuple[str, ...] = (),
    lang: str = "en",
    charset: str | None = "utf-8",
    jsonld: bool = True,
) -> str:
    """A plain, valid news article: title, JSON-LD date, byline and a few hundred characters of text."""
    body = paragraphs or tuple(
        f"Paragraph {n} of story {number}: the harbour authority said on Tuesday that the new quay would "
        f"open in {2025 + n}, after inspectors approved the foundations and the last cranes were delivered."
        for n in range(1, 5)
    )
    meta = f'<meta charset="{charset}">' if charset else ""
    ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "datePublished": published}
    )
    script = f'<script type="application/ld+json">{ld}</script>' if jsonld else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head>{meta}<title>{escape(title)}</title>'
        f"{script}</head>\n"
        f'<body><article><h1>{escape(title)}</h1><p class="byline">By Hostile Desk</p>\n'
        + "\n".join(f"<p>{escape(p)}</p>" for p in body)
        + "\n</article></body></html>\n"
    )


def rss(items: list[str], *, doctype: str = "", extra: str = "") -> str:
    links = "\n".join(f"<item><title>Item {n}</title><link>{url}</link></item>" for n, url in enumerate(items))
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<rss version="2.0"><channel><title>Hostile</title>'
        f"<link>{{{{base}}}}/</link>\n{extra}{links}\n</channel></rss>\n"
    )


def urlset(urls: list[str], *, doctype: str = "", extra: str = "") -> str:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{extra}{entries}</urlset>\n'
    )


def sitemap_index(urls: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root

    def text(self, path: str, content: str, sidecar: dict[str, Any] | None = None) -> str:
        return self.data(path, content.encode("utf-8"), sidecar)

    def data(self, path: str, content: bytes, sidecar: dict[str, Any] | None = None) -> str:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if sidecar is not None:
            self.sidecar(path, sidecar)
        return "{{base}}/" + path

    def sidecar(self, path: str, sidecar: dict[str, Any]) -> str:
        target = self.root / (path + ".headers.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(sidecar), encoding="utf-8")
        return "{{base}}/" + path


def build_site(root: Path, *, other_base: str) -> Site:
    """Write the hostile site under root and return it; other_base serves the same root elsewhere."""
    w = _Writer(root)
    w.text(
        "robots.txt",
        "User-agent: *\nDisallow: /cases/feed_10000_entries/disallowed/\nDisallow: /cases/page_10000_links/disallowed/\n",
    )
    html = {"Content-Type": "text/html"}
    main: list[str] = []  # article-level cases, all listed by /main.rss

    for n in range(VALID_ARTICLES):
        main.append(w.text(f"cases/valid/article-{n}.html", article_page(f"Harbour story number {n} is valid", n)))

    # --- compression bombs: small on the wire, a gigabyte or more decompressed -------------------
    for kind, body, encoding in (
        ("gzip_bomb", payloads.gzip_bomb(), "gzip"),
        ("deflate_bomb", payloads.deflate_bomb(), "deflate"),
        ("brotli_bomb", payloads.brotli_bomb(), "br"),
        ("nested_gzip_bomb", payloads.nested_gzip_bomb(), "gzip, gzip"),
    ):
        sidecar = {"raw": True, "headers": {**html, "Content-Encoding": encoding}}
        main.append(w.data(f"cases/{kind}/page.html", body, sidecar))
    feed_bomb = w.data(
        "cases/feed_gzip_bomb/feed.rss",
        payloads.gzip_bomb(),
        {"raw": True, "headers": {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}},
    )
    sitemap_bomb = w.data("cases/gzipped_sitemap_bomb/sitemap.xml.gz", payloads.gzip_bomb(), {"raw": True})

    # --- XML entity attacks and broken XML ---------------------------------------------------------
    def article(kind: str, n: int = 0) -> str:
        return w.text(
            f"cases/{kind}/article-{n}.html", article_page(f"A fine article behind the {kind} listing {n}", 100 + n)
        )

    rss_xxe = w.text(
        "cases/rss_xxe/feed.rss",
        rss(
            [article("rss_xxe")],
            doctype=XXE_DOCTYPE,
            extra="<description>&xxe;</description><item><title>&xxe;</title><link>&xxe;</link></item>",
        ),
    )
    rss_laughs = w.text(
        "cases/rss_billion_laughs/feed.rss",
        rss([article("rss_billion_laughs")], doctype=LAUGHS_DOCTYPE, extra="<description>&lol9;</description>"),
    )
    sitemap_xxe = w.text(
        "cases/sitemap_xxe/sitemap.xml",
        urlset([article("sitemap_xxe")], doctype=XXE_DOCTYPE, extra="<url><loc>&xxe;</loc></url>"),
    )
    sitemap_laughs = w.text(
        "cases/sitemap_billion_laughs/sitemap.xml",
        urlset([article("sitemap_billion_laughs")], doctype=LAUGHS_DOCTYPE, extra="<url><loc>&lol9;</loc></url>"),
    )
    good = [article("malformed_feed", n) for n in range(4)]
    malformed = w.text(
        "cases/malformed_feed/feed.rss",
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Broken & proud</title>\n'
        f"<item><title>Valid one</title><link>{good[0]}</link></item>\n"
        "<item><title>Fish &chips; <b>bold</title><link>{{base}}/cases/malformed_feed/broken-1.html</link></item>\n"
        f"<item><title>Valid two &nbsp; ok</title><link>{good[1]}</link></item>\n"
        "<item><title>No closing tags<link>{{base}}/cases/malformed_feed/broken-2.html\n"
        f"<item><title>Valid three</title><link>{good[2]}</link></item>\n"
        f"<item><title>Valid four</title><link>{good[3]}</link></item>\n"
        "<item><title>Half an item",  # the file just stops
    )

    # --- redirects ---------------------------------------------------------------------------------
    main.append(
        w.sidecar(
            "cases/redirect_loop/a.html",
            {"status": 302, "headers": {"Location": "{{base}}/cases/redirect_loop/b.html"}},
        )
    )
    w.sidecar(
        "cases/redirect_loop/b.html", {"status": 302, "headers": {"Location": "{{base}}/cases/redirect_loop/a.html"}}
    )
    for hop in range(REDIRECT_CHAIN):
        w.sidecar(
            f"cases/redirect_chain_25/hop-{hop}.html",
            {"status": 301, "headers": {"Location": f"/cases/redirect_chain_25/hop-{hop + 1}.html"}},
        )
    w.text(
        f"cases/redirect_chain_25/hop-{REDIRECT_CHAIN}.html", article_page("The end of a very long redirect chain", 200)
    )
    main.append("{{base}}/cases/redirect_chain_25/hop-0.html")
    main.append(
        w.sidecar("cases/redirect_to_file/page.html", {"status": 302, "headers": {"Location": "file:///etc/passwd"}})
    )
    w.text("cases/cross_domain_redirect/article.html", article_page("Moved to a sister site on another domain", 201))
    main.append(
        w.sidecar(
            "cases/cross_domain_redirect/go.html",
            {
                "status": 302,
                "headers": {
                    "Location": f"{other_base}/cases/cross_domain_redirect/article.html",
                    "Set-Cookie": "session=secret; Path=/",
                },
            },
        )
    )

    # --- pages that are not what they claim --------------------------------------------------------
    main.append(w.data("cases/png_as_html/image.png", payloads.png(), {"headers": html}))
    main.append(w.data("cases/pdf_as_html/report.pdf", payloads.pdf(), {"headers": html}))
    german = article_page(
        GERMAN_TITLE, 300, paragraphs=(GERMAN, GERMAN.replace("Stadt", "Gemeinde")), lang="de", charset=None
    )
    main.append(w.data("cases/undeclared_cp1252/page.html", german.encode("cp1252"), {"headers": html}))
    main.append(
        w.data(
            "cases/cp1252_declared_utf8/page.html",
            german.replace("Wartezeiten", "Fahrzeiten").encode("cp1252"),
            {"headers": {"Content-Type": "text/html; charset=utf-8"}},
        )
    )
    main.append(
        w.data(
            "cases/utf8_declared_latin1/page.html",
            german.replace("Wartezeiten", "Umwege").encode("utf-8"),
            {"headers": {"Content-Type": "text/html; charset=iso-8859-1"}},
        )
    )
    main.append(
        w.data(
            "cases/charset_not_a_text_codec/page.html",
            german.replace("Wartezeiten", "Staus").encode("cp1252"),
            {"headers": {"Content-Type": "text/html; charset=base64"}},
        )
    )
    overflow = ("Aktualisiert vor 1000000 Tagen", GERMAN, GERMAN.replace("Stadt", "Region"))
    main.append(
        w.text(
            "cases/relative_date_overflow/page.html",
            article_page("Aktualisiert vor einer Million Tagen", 305, paragraphs=overflow, lang="de", jsonld=False),
        )
    )
    truncated = article_page("This page is cut off in the middle", 301).encode()
    main.append(w.data("cases/truncated_body/page.html", truncated, {"declared_length": len(truncated) + 50_000}))
    main.append(w.data("cases/empty_200/page.html", b""))
    main.append(
        w.text(
            "cases/soft_404/page.html",
            "<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>Sorry, we could not find that page. Try the search.</p></body></html>",
        )
    )
    row = "<tr>" + "".join(f"<td>cell {n}</td>" for n in range(10)) + "</tr>\n"
    table = (
        "<html><head><title>The biggest table</title></head><body><table>\n"
        + row * (TABLE_BYTES // len(row))
        + "</table></body></html>\n"
    )
    main.append(w.text("cases/table_30mb/page.html", table))
    deep = (
        "<html><head><title>Deeply nested</title></head><body>"
        + "<div>" * NESTING
        + "<p>"
        + GERMAN
        + "</p>"
        + "</div>" * NESTING
        + "</body></html>"
    )
    main.append(w.text("cases/deep_nesting/page.html", deep))
    main.append(w.sidecar("cases/endless_500/page.html", {"status": 500}))
    main.append(
        w.text(
            "cases/timeout/page.html", article_page("A page that never answers in time", 302), {"delay": SLOW_SECONDS}
        )
    )
    main.append("{{base}}/cases/not_found_404/page.html")
    main.append(
        w.text(
            "cases/future_dated/page.html",
            article_page("Published from the year 2099", 303, published="2099-06-01T08:00:00+00:00"),
        )
    )
    main.append(
        w.text(
            "cases/dated_1970/page.html",
            article_page("Published at the Unix epoch", 304, published="1970-01-01T00:00:00+00:00"),
        )
    )
    main.append("{{base}}/cases/url_5000_chars/" + "a" * 5000 + ".html")

    # --- listings that are too long or too deep ----------------------------------------------------
    huge = w.text(
        "cases/feed_10000_entries/feed.rss",
        rss([f"{{{{base}}}}/cases/feed_10000_entries/disallowed/{n}.html" for n in range(HUGE_LISTING)]),
    )

    # A chain of sitemap indexes, each one a level deeper in an ever-longer path.
    def trap_level(level: int) -> str:
        return "cases/sitemap_trap/" + "deeper/" * level + "sitemap.xml"

    for level in range(TRAP_LEVELS):
        w.text(trap_level(level), sitemap_index(["{{base}}/" + trap_level(level + 1)]))
    w.text(trap_level(TRAP_LEVELS), urlset([article("sitemap_trap")]))

    # --- section pages as listings: too many links, endless pagination, calendars, session ids --------
    def listing(path: str, links: list[str], next_page: str | None = None) -> str:
        anchors = "".join(f"<li><a href='{link}'>Story {n}</a></li>" for n, link in enumerate(links))
        more = f"<a rel='next' href='{next_page}'>Weiter</a>" if next_page else ""
        return w.text(path, f"<html><body><main><ul>{anchors}</ul>{more}</main></body></html>")

    pages = [
        listing(
            "cases/page_10000_links/index.html",
            [f"{{{{base}}}}/cases/page_10000_links/disallowed/a-story-about-number-{n}-today.html" for n in range(HUGE_LISTING)],
        ),
        listing("cases/endless_pagination/1/index.html", [], "{{base}}/cases/endless_pagination/2/"),
        listing("cases/calendar_archive/index.html", ["{{base}}/cases/calendar_archive/2024/03/"]),
        listing(
            "cases/session_ids/index.html",
            [
                "{{base}}/cases/session_ids/an-article-under-three-session-ids.html;jsessionid=A1B2",
                "{{base}}/cases/session_ids/an-article-under-three-session-ids.html?PHPSESSID=C3D4",
                "{{base}}/cases/session_ids/an-article-under-three-session-ids.html?sessionid=E5F6",
            ],
        ),
    ]
    for n in range(2, TRAP_LEVELS + 20):
        listing(f"cases/endless_pagination/{n}/index.html", [], f"{{{{base}}}}/cases/endless_pagination/{n + 1}/")
    # Behind the calendar, an article: stored only if the calendar archive were (wrongly) followed.
    behind = w.text(
        "cases/calendar_archive/2024/03/01/the-article-behind-the-calendar.html",
        article_page("The article behind the calendar", 401),
    )
    listing("cases/calendar_archive/2024/03/index.html", [behind])
    w.text(
        "cases/session_ids/an-article-under-three-session-ids.html",
        article_page("One article under three session ids", 400),
    )
    pages = [page.replace("index.html", "") for page in pages]

    feeds = [w.text("main.rss", rss(main)), feed_bomb, rss_xxe, rss_laughs, malformed, huge]
    sitemaps = [sitemap_bomb, sitemap_xxe, sitemap_laughs, "{{base}}/" + trap_level(0)]
    seeds = root / "seeds.toml"
    seeds.write_text(
        '[[source]]\nname = "hostile"\nlanguage = "en"\n'
        f"feeds = {json.dumps(feeds)}\nsitemaps = {json.dumps(sitemaps)}\npages = {json.dumps(pages)}\n",
        encoding="utf-8",
    )
    return Site(root, seeds)


def build_refusal_site(root: Path, *, sister_base: str, internal_base: str) -> Site:
    """The cases that need INGEST_ALLOW_PRIVATE_NETWORKS off.

    Two seed hosts (this server, and ``sister_base`` on another loopback address) are trusted, as
    seeds are; ``internal_base`` is a third server on 127.0.0.1, another port, that no seed names.
    """
    w = _Writer(root)
    w.text("robots.txt", "User-agent: *\nDisallow:\n")
    items = [
        w.text("cases/seed_host_trusted/article.html", article_page("A seed host on loopback is trusted", 400)),
        w.sidecar(
            "cases/redirect_to_loopback_other_port/page.html",
            {
                "status": 302,
                "headers": {"Location": f"{internal_base}/cases/redirect_to_loopback_other_port/admin.html"},
            },
        ),
        f"{internal_base}/cases/link_to_loopback_other_port/admin.html",
        w.sidecar(
            "cases/redirect_to_sister_seed_host/go.html",
            {"status": 302, "headers": {"Location": f"{sister_base}/cases/redirect_to_sister_seed_host/article.html"}},
        ),
    ]
    w.text(
        "cases/redirect_to_sister_seed_host/article.html",
        article_page("Moved to the sister site, a seed host too", 401),
    )
    for kind in ("redirect_to_loopback_other_port", "link_to_loopback_other_port"):
        w.text(f"cases/{kind}/admin.html", article_page("An internal admin page nobody may fetch", 402))
    feed = w.text("feed.rss", rss(items))
    w.text("sister.rss", rss([]))
    seeds = root / "seeds.toml"
    seeds.write_text(
        f'[[source]]\nname = "hostile"\nfeeds = ["{feed}"]\n\n[[source]]\nname = "sister"\nfeeds = ["{sister_base}/sister.rss"]\n',
        encoding="utf-8",
    )
    return Site(root, seeds)
