"""Hostile documents: external entities, entity expansion bombs, and attempts to reach the network."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.discovery.autodiscovery import find_feed_links
from crawler.discovery.feeds import FeedError, parse_feed
from crawler.discovery.sitemaps import SitemapError, parse_sitemap

URL = "https://hostile.example.com/doc.xml"
MARKER = "TOP-SECRET-MARKER-7f3a"


def _everything(parse: Callable[[bytes, str], object], body: bytes) -> str:
    """All a parse returned (or the error it raised), as one string to search for leaks."""
    try:
        return repr(parse(body, URL))
    except (FeedError, SitemapError) as exc:
        return repr(exc)


def _passwd_lines() -> list[str]:
    passwd = Path("/etc/passwd")
    lines = passwd.read_text(errors="replace").splitlines() if passwd.exists() else []
    return [line for line in lines if line.strip()] + ["root:"]


@pytest.mark.parametrize(
    ("parse", "fixture"),
    [(parse_feed, "xxe_feed.xml"), (parse_sitemap, "xxe_sitemap.xml")],
    ids=["feed", "sitemap"],
)
def test_etc_passwd_entity_is_never_read(
    parse: Callable[[bytes, str], object], fixture: str, fixture_bytes: Callable[[str], bytes]
) -> None:
    result = _everything(parse, fixture_bytes(fixture))

    for line in _passwd_lines():
        assert line not in result


def test_xxe_fixtures_still_yield_their_honest_entries(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("xxe_feed.xml"), URL)
    sitemap = parse_sitemap(fixture_bytes("xxe_sitemap.xml"), URL)

    assert [(entry.url, entry.title) for entry in feed.entries] == [("https://xxe.example.com/1", "Secret:")]
    assert feed.problems == ["item 2 ('Entity as link'): no link"]
    assert [entry.url for entry in sitemap.entries] == ["https://xxe.example.com/page?leak="]
    assert sitemap.problems == ["url 1: no loc"]


# {secret} is a file holding MARKER; {dtd} is a DTD that would define &xxe; as MARKER.
HOSTILE_TEMPLATES = {
    "general entity": '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    "parameter entity": '<!DOCTYPE r [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',
    "external dtd": '<!DOCTYPE r SYSTEM "file://{dtd}">',
    "parameter entity dtd": '<!DOCTYPE r [<!ENTITY % d SYSTEM "file://{dtd}"> %d;]>',
}
BODIES = {
    "feed": "<rss><channel><title>&xxe;</title><item><title>&xxe;</title>"
    "<link>https://e.example/&xxe;</link><guid>&xxe;</guid></item></channel></rss>",
    "sitemap": "<urlset><url><loc>https://e.example/&xxe;</loc><lastmod>&xxe;</lastmod>"
    "<news:news><news:title>&xxe;</news:title></news:news></url></urlset>",
}


@pytest.fixture
def secret_files(tmp_path: Path) -> dict[str, Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe "{MARKER}">')
    return {"secret": secret, "dtd": dtd}


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
@pytest.mark.parametrize(("kind", "parse"), [("feed", parse_feed), ("sitemap", parse_sitemap)])
def test_local_files_are_never_read(
    template: str, kind: str, parse: Callable[[bytes, str], object], secret_files: dict[str, Path]
) -> None:
    body = ('<?xml version="1.0"?>' + template.format(**secret_files) + BODIES[kind]).encode()

    assert MARKER not in _everything(parse, body)


class Listener:
    """A local TCP port that answers every connection by closing it, and remembers being called.

    Closing at once means a parser that did reach out gets an answer and the test fails
    instead of hanging; the contact is recorded before the close, so it is visible by the time
    the parse returns.
    """

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.contacts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.contacts += 1
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
@pytest.mark.parametrize(("kind", "parse"), [("feed", parse_feed), ("sitemap", parse_sitemap)])
def test_no_network_access(
    template: str, kind: str, parse: Callable[[bytes, str], object], listener: Listener
) -> None:
    remote = listener.address
    hostile = template.replace("file://{secret}", f"http://{remote}/secret").replace(
        "file://{dtd}", f"http://{remote}/evil.dtd"
    )
    body = ('<?xml version="1.0"?>' + hostile + BODIES[kind]).encode()

    _everything(parse, body)

    assert listener.contacts == 0


def test_no_network_access_from_html(listener: Listener) -> None:
    remote = listener.address
    html = (
        f'<!DOCTYPE html SYSTEM "http://{remote}/html.dtd"><html><head>'
        f'<link rel="alternate" type="application/rss+xml" href="http://{remote}/feed">'
        f'<script src="http://{remote}/x.js"></script></head></html>'
    ).encode()

    assert find_feed_links(html, URL) == [f"http://{remote}/feed"]
    assert listener.contacts == 0


def test_listener_notices_a_connection(listener: Listener) -> None:
    # The check above is only worth something if a real connection would be seen.
    host, port = listener.address.split(":")
    with socket.create_connection((host, int(port)), timeout=1) as client:
        client.recv(1)

    assert listener.contacts == 1


def _bomb(root_open: str, root_close: str, body: str) -> bytes:
    # lol1 is ten "lol"s, lol2 ten lol1s, ... lol9 a billion.
    references = ["&lol;"] + [f"&lol{level};" for level in range(1, 9)]
    levels = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{level} "{references[level - 1] * 10}">' for level in range(1, 10)
    ]
    return f'<?xml version="1.0"?><!DOCTYPE r [{"".join(levels)}]>{root_open}{body}{root_close}'.encode()


BOMBS = {
    "feed": (parse_feed, _bomb("<rss><channel>", "</channel></rss>", "<title>&lol9;</title>"
                               "<item><title>&lol9;</title><link>https://e.example/&lol9;</link></item>")),
    "sitemap": (parse_sitemap, _bomb("<urlset>", "</urlset>", "<url><loc>https://e.example/&lol9;</loc></url>")),
    # One big entity referenced many times: no nesting, quadratic growth if expanded.
    "quadratic": (
        parse_feed,
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 50_000 + '">]><rss><channel>'
            + "<item><title>" + "&a;" * 20_000 + "</title><link>https://e.example/</link></item>"
            + "</channel></rss>"
        ).encode(),
    ),
}  # fmt: skip


@pytest.mark.parametrize(("parse", "body"), BOMBS.values(), ids=BOMBS.keys())
def test_entity_bombs_are_not_expanded(parse: Callable[[bytes, str], object], body: bytes) -> None:
    result = _everything(parse, body)

    assert "lollol" not in result
    assert "x" * 1000 not in result
    assert len(result) < 10_000


def test_billion_laughs_fixture(fixture_bytes: Callable[[str], bytes]) -> None:
    feed = parse_feed(fixture_bytes("billion_laughs.xml"), URL)

    assert [(entry.url, entry.title) for entry in feed.entries] == [("https://lol.example.com/", None)]
    assert feed.title is None
