"""The mock server itself, and the corpora it serves (tests/sites, demo/site)."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import tomllib
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from tests.mockserver import MockServer, StaticSiteServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SITES = PROJECT_ROOT / "tests" / "sites"
DEMO_SITE = PROJECT_ROOT / "demo" / "site"


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One raw request: no redirects followed, no proxies, the path sent exactly as given."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target or "/", headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "news").mkdir()
    (root / "news" / "index.html").write_text("<a href='{{base}}/news/a.html'>A</a>", encoding="utf-8")
    (root / "news" / "a.html").write_text("<p>Article A at {{base}}/news/a.html</p>", encoding="utf-8")
    (root / "sitemap.xml").write_text("<urlset><url><loc>{{base}}/news/a.html</loc></url></urlset>")
    (root / "real.xml.gz").write_bytes(gzip.compress(b"<urlset>{{base}}</urlset>"))
    (root / "pixel.png").write_bytes(b"\x89PNG{{base}}")
    (root / "error.html").write_text("<p>Oops</p>", encoding="utf-8")
    (root / "error.html.headers.json").write_text(json.dumps({"status": 500}))
    (root / "plain.html").write_text("<p>{{base}}</p>", encoding="utf-8")
    (root / "plain.html.headers.json").write_text(
        json.dumps({"headers": {"content-type": "text/plain", "X-Site": "{{base}}"}})
    )
    (root / "fresh.html").write_text("<p>always new</p>", encoding="utf-8")
    (root / "fresh.html.headers.json").write_text(json.dumps({"no_validators": True}))
    (root / "moved.html.headers.json").write_text(
        json.dumps({"status": 301, "headers": {"Location": "{{base}}/news/a.html"}})
    )
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\nSitemap: {{base}}/sitemap.xml\n")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("top secret")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[MockServer]:
    with MockServer(root=site) as running:
        yield running


def test_prints_a_loopback_url(server: MockServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    assert server.urljoin("/news/a.html") == server.url + "/news/a.html"
    assert server.urljoin("news/a.html") == server.url + "/news/a.html"


def test_binds_loopback_only(site: Path) -> None:
    httpd = StaticSiteServer(site, None)
    try:
        assert httpd.server_address[0] == "127.0.0.1"
        assert httpd.server_address[1] != 0
    finally:
        httpd.server_close()


def test_templates_text_files_with_the_base_url(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/news/a.html"))
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.decode() == f"<p>Article A at {server.url}/news/a.html</p>"
    _, headers, body = fetch(server.urljoin("/robots.txt"))
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {server.url}/sitemap.xml".encode() in body


def test_leaves_binary_files_alone(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/pixel.png"))
    assert (status, headers["Content-Type"], body) == (200, "image/png", b"\x89PNG{{base}}")


def test_directory_serves_its_index_and_redirects_without_slash(server: MockServer) -> None:
    status, _, body = fetch(server.urljoin("/news/"))
    assert status == 200
    assert f"{server.url}/news/a.html".encode() in body
    status, headers, _ = fetch(server.urljoin("/news"))
    assert (status, headers["Location"]) == (301, "/news/")


def test_gzips_a_missing_gz_from_its_source_on_the_fly(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/sitemap.xml.gz"))
    assert status == 200
    assert headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in headers
    assert gzip.decompress(body).decode() == (
        f"<urlset><url><loc>{server.url}/news/a.html</loc></url></urlset>"
    )
    # the same bytes each time, so the ETag is stable
    assert fetch(server.urljoin("/sitemap.xml.gz"))[1]["ETag"] == headers["ETag"]


def test_serves_a_real_gz_as_is(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/real.xml.gz"))
    assert (status, headers["Content-Type"]) == (200, "application/gzip")
    assert gzip.decompress(body) == b"<urlset>{{base}}</urlset>"


def test_missing_file_is_a_404_html_page(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/news/nope.html"))
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"404 Not Found" in body
    assert "ETag" not in headers
    assert fetch(server.urljoin("/nope.xml.gz"))[0] == 404


def test_head_sends_headers_without_a_body(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/news/a.html"), method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


def test_validators_and_304(server: MockServer) -> None:
    url = server.urljoin("/news/a.html")
    status, headers, body = fetch(url)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"') and last_modified.endswith("GMT")

    status, headers, body = fetch(url, {"If-None-Match": etag})
    assert (status, body, headers["ETag"]) == (304, b"", etag)
    assert fetch(url, {"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200

    assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
    assert fetch(url, {"If-Modified-Since": formatdate(0, usegmt=True)})[0] == 200
    # If-None-Match wins over If-Modified-Since
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": last_modified})[0] == 200


def test_etag_is_a_hash_of_the_bytes_sent(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>one</p>")
    with MockServer(root=tmp_path) as server:
        first = fetch(server.urljoin("/page.html"))[1]["ETag"]
        (tmp_path / "page.html").write_text("<p>two</p>")
        status, headers, _ = fetch(server.urljoin("/page.html"), {"If-None-Match": first})
        assert status == 200
        assert headers["ETag"] != first


def test_sidecar_overrides_status(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/error.html"))
    assert (status, body) == (500, b"<p>Oops</p>")
    assert "ETag" not in headers


def test_sidecar_overrides_headers_case_insensitively(server: MockServer) -> None:
    status, headers, _ = fetch(server.urljoin("/plain.html"))
    assert status == 200
    assert headers.get_all("Content-Type") == ["text/plain"]
    assert headers["X-Site"] == server.url


def test_sidecar_without_validators_ignores_conditional_headers(server: MockServer) -> None:
    status, headers, _ = fetch(server.urljoin("/fresh.html"), {"If-None-Match": "*"})
    assert status == 200
    assert "ETag" not in headers and "Last-Modified" not in headers


def test_sidecar_without_a_file_answers_alone(server: MockServer) -> None:
    status, headers, body = fetch(server.urljoin("/moved.html"))
    assert (status, headers["Location"], body) == (301, server.urljoin("/news/a.html"), b"")


def test_sidecars_are_not_served(server: MockServer) -> None:
    assert fetch(server.urljoin("/error.html.headers.json"))[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../outside/secret.txt",
        "/news/../../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/news/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fetc/passwd",
        "/escape/secret.txt",
    ],
)
def test_refuses_paths_out_of_the_root(server: MockServer, path: str) -> None:
    status, _, body = fetch(server.url + path)
    assert status == 403
    assert b"secret" not in body


def test_logs_every_request(server: MockServer) -> None:
    fetch(server.urljoin("/news/a.html?log=1"), {"Cookie": "session=abc", "Authorization": "Basic eDp5"})
    fetch(server.urljoin("/news/a.html?log=2"), {"If-None-Match": '"x"', "If-Modified-Since": "never"})
    fetch(server.urljoin("/missing.html?log=3"), method="HEAD")

    logged = [entry for entry in server.log_entries() if "log=" in (entry["path"] or "")]
    assert [(entry["method"], entry["path"], entry["status"]) for entry in logged] == [
        ("GET", "/news/a.html?log=1", 200),
        ("GET", "/news/a.html?log=2", 200),
        ("HEAD", "/missing.html?log=3", 404),
    ]
    assert logged[0]["headers"]["Cookie"] == "session=abc"
    assert logged[0]["headers"]["Authorization"] == "Basic eDp5"
    assert logged[1]["headers"]["If-None-Match"] == '"x"'
    assert logged[1]["headers"]["If-Modified-Since"] == "never"
    assert ("GET", "/news/a.html?log=1") in server.requests()


def test_log_file_can_be_kept(tmp_path: Path, site: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with MockServer(root=site, log=log) as server:
        fetch(server.urljoin("/news/a.html"))
        assert server.requests() == [("GET", "/news/a.html")]
    assert json.loads(log.read_text())["status"] == 200


def test_url_is_unusable_outside_the_with_block(site: Path) -> None:
    server = MockServer(root=site)
    with pytest.raises(RuntimeError):
        server.url  # noqa: B018
    with server:
        pass
    with pytest.raises(RuntimeError):
        server.urljoin("/")


def test_exits_with_an_error_for_a_missing_root(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="failed to start"), MockServer(root=tmp_path / "nope"):
        pass


# --- the corpora ---------------------------------------------------------------------------------------

XML_LINKS = {
    "rss": ".//item/link",
    "atom": ".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link",
    "sitemap": ".//{http://www.sitemaps.org/schemas/sitemap/0.9}loc",
}
# Feeds that are broken on purpose (tests/sites/EXPECTED.md)
BROKEN_FEEDS = {"/broken/feed.rss", "/broken/notafeed.rss", "/broken/garbage.rss", "/broken/missing.rss"}
# Links that are meant not to lead to an article
DEAD_ENDS = {"/broken/articles/deleted-story.html": 404, "/private/secret.html": 200}


def seed_urls(server: MockServer) -> list[str]:
    status, _, body = fetch(server.urljoin("/seeds.toml"))
    assert status == 200
    assert b"{{base}}" not in body
    sources = tomllib.loads(body.decode())["source"]
    return [url for source in sources for url in source.get("feeds", []) + source.get("sitemaps", [])]


def links_in(body: bytes) -> list[str]:
    root = etree.fromstring(body)
    found: list[str] = []
    for element in root.iterfind(XML_LINKS["rss"]):
        found.append(element.text or "")
    for element in root.iterfind(XML_LINKS["atom"]):
        found.append(element.get("href", ""))
    for element in root.iterfind(XML_LINKS["sitemap"]):
        found.append(element.text or "")
    return found


def crawl_links(server: MockServer, skip: set[str]) -> dict[str, int]:
    """Follow seeds through feeds, sitemap indexes and gzipped sitemaps; status of every leaf page."""
    pending = [url for url in seed_urls(server) if urlsplit(url).path not in skip]
    statuses: dict[str, int] = {}
    while pending:
        url = pending.pop()
        status, headers, body = fetch(url)
        assert status == 200, url
        if url.endswith(".gz"):
            body = gzip.decompress(body)
        if headers["Content-Type"].startswith("text/html"):
            feed = re.search(rb'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', body)
            assert feed, url
            pending.append(feed.group(1).decode())
            continue
        assert b"{{base}}" not in body
        for link in links_in(body):
            assert link.startswith(server.url + "/"), link
            if link.endswith((".xml", ".xml.gz", ".rss", ".atom")):
                pending.append(link)
            else:
                statuses[link.removeprefix(server.url)] = fetch(link)[0]
    return statuses


def test_corpus_feeds_and_sitemaps_lead_to_pages() -> None:
    with MockServer(root=SITES) as server:
        statuses = crawl_links(server, skip=BROKEN_FEEDS)
    for path, expected in DEAD_ENDS.items():
        assert statuses.pop(path) == expected
    assert statuses.pop("/broken/image.png") == 200
    assert statuses.pop("/broken/doc.pdf") == 200
    assert set(statuses.values()) == {200}
    assert len(statuses) == 11  # 3 dailyplanet, 2 lemonde-demo, 3 tagesblatt, 2 wire, 1 autodiscover


def test_corpus_broken_inputs_are_broken() -> None:
    with MockServer(root=SITES) as server:
        malformed = fetch(server.urljoin("/broken/feed.rss"))[2]
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(malformed)
        # a forgiving parser still finds the two good items, and both lead to articles
        recovered = etree.fromstring(malformed, etree.XMLParser(recover=True))
        links = [link.text or "" for link in recovered.iterfind(".//item/link")]
        assert links == [
            server.urljoin("/broken/articles/school-meals-pilot.html"),
            server.urljoin("/broken/articles/ferry-timetable-change.html"),
        ]
        assert [fetch(link)[0] for link in links] == [200, 200]
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(fetch(server.urljoin("/broken/garbage.rss"))[2])
        status, headers, body = fetch(server.urljoin("/broken/notafeed.rss"))
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert b"Page not found" in body and b"application/rss+xml" not in body
        assert fetch(server.urljoin("/broken/missing.rss"))[0] == 404
        for path, magic in (("/broken/image.png", b"\x89PNG"), ("/broken/doc.pdf", b"%PDF")):
            status, headers, body = fetch(server.urljoin(path))
            assert headers["Content-Type"] == "text/html"
            assert body.startswith(magic)


def test_robots_txt_disallows_private() -> None:
    with MockServer(root=SITES) as server:
        status, _, body = fetch(server.urljoin("/robots.txt"))
    assert status == 200
    assert b"Disallow: /private/" in body


def test_demo_site_feeds_and_sitemaps_lead_to_pages() -> None:
    with MockServer(root=DEMO_SITE) as server:
        statuses = crawl_links(server, skip=set())
    assert statuses == {path: 200 for path in statuses}
    assert len(statuses) == 7


def test_corpus_pages_use_only_templated_absolute_urls() -> None:
    seed_pages = {SITES / "original", SITES / "scraper"}  # written by hand elsewhere
    for root in (SITES, DEMO_SITE):
        for path in root.rglob("*"):
            if path.suffix not in {".html", ".xml", ".rss", ".toml"} or seed_pages & set(path.parents):
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert "127.0.0.1" not in text, path
            assert "localhost" not in text, path
