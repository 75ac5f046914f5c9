"""Unit tests of the address filter: a URL in, a decision out. No packet leaves the machine."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pytest
import twisted.internet
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.middlewares.addresses import AddressFilterMiddleware, refusal, trusted_endpoints
from crawler.refusals import RefusedAddress
from crawler.resolver import PrivateAddressGuardResolver
from crawler.seeds import Source


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://news.example/a", False),
        ("http://93.184.216.34/a", False),
        ("file:///etc/passwd", True),
        ("ftp://news.example/a", True),
        ("gopher://127.0.0.1:25/", True),
        ("http://127.0.0.1:8080/", True),
        ("http://127.1.2.3/", True),
        ("http://localhost/", True),
        ("http://app.localhost/", True),
        ("http://10.0.0.1/", True),
        ("http://172.16.5.4/", True),
        ("http://192.168.1.1/", True),
        ("http://169.254.169.254/latest/meta-data/", True),
        ("http://metadata.google.internal/computeMetadata/v1/", True),
        ("http://[::1]/", True),
        ("http://[fe80::1]/", True),
        ("http://[::ffff:10.0.0.1]/", True),
        ("http://0.0.0.0/", True),
        ("http://224.0.0.1/", True),
    ],
)
def test_refusal_table(url: str, refused: bool) -> None:
    assert (refusal(url, allow_private=False) is not None) is refused


def test_allow_private_networks_still_refuses_other_schemes() -> None:
    assert refusal("http://127.0.0.1:8080/", allow_private=True) is None
    assert refusal("file:///etc/passwd", allow_private=True) is not None


def test_seed_endpoints_are_trusted_but_not_their_neighbours() -> None:
    trusted = trusted_endpoints(["http://127.0.0.1:8080/feed.rss"])
    assert refusal("http://127.0.0.1:8080/article.html", allow_private=False, trusted=trusted) is None
    assert refusal("http://127.0.0.1:9090/admin", allow_private=False, trusted=trusted) is not None
    assert refusal("http://169.254.169.254/", allow_private=False, trusted=trusted) is not None


def test_middleware_raises_named_ignore_request() -> None:
    middleware = AddressFilterMiddleware(allow_private=False)
    assert middleware.process_request(Request("https://news.example/a")) is None
    with pytest.raises(RefusedAddress):
        middleware.process_request(Request("http://169.254.169.254/latest/meta-data/"))


@pytest.mark.parametrize(
    ("address", "private"),
    [("93.184.216.34", False), ("127.0.0.1", True), ("10.1.2.3", True), ("169.254.169.254", True), ("::1", True), ("nonsense", False)],
)
def test_resolver_judges_the_answer(address: str, private: bool) -> None:
    from twisted.internet.error import DNSLookupError

    from crawler.resolver import PrivateAddressGuardResolver, is_private_address

    assert is_private_address(address) is private
    resolver = PrivateAddressGuardResolver.__new__(PrivateAddressGuardResolver)
    resolver.allow_private, resolver.trusted_names = False, set()
    if private:
        with pytest.raises(DNSLookupError, match="private or internal address"):
            resolver._check(address, "metadata.evil.example")
    else:
        assert resolver._check(address, "news.example") == address


# --- built from a crawler ------------------------------------------------------------------------


def address_filter(**settings: Any) -> tuple[Crawler, AddressFilterMiddleware]:
    crawler = get_crawler(settings_dict=settings)
    return crawler, AddressFilterMiddleware.from_crawler(crawler)


def test_from_crawler_refuses_private_addresses_by_default() -> None:
    crawler, middleware = address_filter()
    with pytest.raises(RefusedAddress, match=r"^http://10\.1\.2\.3/a: address 10\.1\.2\.3 is private, loopback"):
        middleware.process_request(Request("http://10.1.2.3/a"))
    assert crawler.stats is not None
    assert crawler.stats.get_value("ingest/addresses/refused") == 1


@pytest.mark.parametrize("value", [True, "true", "1", "True"])
def test_from_crawler_reads_allow_private_networks(value: object) -> None:
    crawler, middleware = address_filter(INGEST_ALLOW_PRIVATE_NETWORKS=value)
    assert middleware.process_request(Request("http://127.0.0.1:8080/feed.rss")) is None
    with pytest.raises(RefusedAddress, match="scheme 'ftp' is not http"):
        middleware.process_request(Request("ftp://127.0.0.1/feed.rss"))
    assert crawler.stats is not None
    assert crawler.stats.get_value("ingest/addresses/refused") == 1


def test_spider_opened_trusts_the_seeds_endpoints_and_tells_the_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    # The middleware asks the process-wide reactor for its resolver; a stand-in keeps the test from
    # installing a real reactor in the test process.
    resolver = PrivateAddressGuardResolver(object(), 10_000, 60.0)
    reactor = SimpleNamespace(resolver=resolver)
    monkeypatch.setattr(twisted.internet, "reactor", reactor, raising=False)
    monkeypatch.setitem(sys.modules, "twisted.internet.reactor", reactor)
    crawler, middleware = address_filter()
    source = Source(
        name="intranet",
        file="seeds.toml",
        feeds=("http://10.0.0.5:8080/feed.rss",),
        sitemaps=("http://Wire.Internal/sitemap.xml",),
    )
    crawler.spider = SimpleNamespace(sources={"intranet": source})  # type: ignore[assignment]
    crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
    assert middleware.trusted == {("10.0.0.5", 8080), ("wire.internal", 80)}
    assert resolver.trusted_names == {"10.0.0.5", "wire.internal"}
    assert middleware.process_request(Request("http://10.0.0.5:8080/2024/story.html")) is None
    with pytest.raises(RefusedAddress):
        middleware.process_request(Request("http://10.0.0.5:22/"))


# --- the operator's proxy -------------------------------------------------------------------------


def test_a_redirect_to_the_proxys_address_is_refused() -> None:
    proxies = frozenset({("127.0.0.1", 3128)})
    trusted = trusted_endpoints(["http://127.0.0.1:8080/feed.rss"])
    assert refusal("http://127.0.0.1:8080/story.html", allow_private=False, trusted=trusted, proxies=proxies) is None
    reason = refusal("http://127.0.0.1:3128/", allow_private=False, trusted=trusted, proxies=proxies)
    assert reason == "127.0.0.1:3128 is the proxy itself"
    # Even with private networks allowed, the proxy is a way through, never a target.
    assert refusal("http://127.0.0.1:3128/x", allow_private=True, proxies=proxies) == "127.0.0.1:3128 is the proxy itself"
    named = frozenset({("proxy.corp", 8080)})
    assert refusal("http://PROXY.corp:8080/", allow_private=False, proxies=named) == "proxy.corp:8080 is the proxy itself"


def test_targets_through_a_proxy_are_judged_by_their_url() -> None:
    proxies = frozenset({("10.1.2.3", 3128)})
    # A name is not resolved by us through a proxy: it passes; a private IP literal still does not.
    assert refusal("http://news.example/story.html", allow_private=False, proxies=proxies) is None
    assert refusal("http://10.1.2.3:80/", allow_private=False, proxies=proxies) is not None
    assert refusal("http://169.254.169.254/latest/meta-data/", allow_private=False, proxies=proxies) is not None
    assert refusal("http://localhost:8080/", allow_private=False, proxies=proxies) is not None


def test_the_environments_proxy_is_trusted_by_the_resolver_and_refused_as_a_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", "http://user:secret@10.1.2.3:3128")
    monkeypatch.setenv("https_proxy", "http://10.1.2.3:3128")
    resolver = PrivateAddressGuardResolver(object(), 10_000, 60.0)
    reactor = SimpleNamespace(resolver=resolver)
    monkeypatch.setattr(twisted.internet, "reactor", reactor, raising=False)
    monkeypatch.setitem(sys.modules, "twisted.internet.reactor", reactor)
    crawler, middleware = address_filter()
    crawler.spider = SimpleNamespace(sources={})  # type: ignore[assignment]
    crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
    assert middleware.proxies == {("10.1.2.3", 3128)}
    assert "10.1.2.3" in resolver.trusted_names
    with pytest.raises(RefusedAddress, match="is the proxy itself"):
        middleware.process_request(Request("http://10.1.2.3:3128/"))
    assert middleware.process_request(Request("http://news.example/")) is None


def test_a_proxy_in_meta_is_trusted_like_the_environments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("http_proxy", raising=False)
    resolver = PrivateAddressGuardResolver(object(), 10_000, 60.0)
    reactor = SimpleNamespace(resolver=resolver)
    monkeypatch.setattr(twisted.internet, "reactor", reactor, raising=False)
    monkeypatch.setitem(sys.modules, "twisted.internet.reactor", reactor)
    crawler, middleware = address_filter()
    crawler.spider = SimpleNamespace(sources={})  # type: ignore[assignment]
    crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
    assert middleware.process_request(Request("http://news.example/", meta={"proxy": "http://10.9.9.9:8080"})) is None
    assert "10.9.9.9" in resolver.trusted_names
    with pytest.raises(RefusedAddress, match="is the proxy itself"):
        middleware.process_request(Request("http://10.9.9.9:8080/admin"))
