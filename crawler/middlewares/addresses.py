"""Refuse requests to non-HTTP schemes and to private, loopback, link-local and metadata addresses.

A hostile feed or redirect must not turn the crawler into a proxy into the network it runs in
(server-side request forgery). The hosts that the seeds name themselves are trusted — the operator
chose them — so a seed on an intranet host works, while a link or redirect from it to another
internal address (another port, another host) is refused. INGEST_ALLOW_PRIVATE_NETWORKS=true
lifts the rule entirely (the test suite's loopback mock sites use it).

The operator's proxy (``http_proxy``/``https_proxy`` or ``meta["proxy"]``, see crawler.proxies) is
trusted whatever its address: the resolver is told its host, because through a proxy Scrapy resolves
only the proxy's name. What is judged then is the target URL alone — its literal host when that is an
IP address, its name otherwise (we never resolve it; the proxy does). A target on the proxy's own
endpoint is refused unless a seed names it: a redirect must not turn the proxy on itself.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.proxies import environment_proxies, proxy_endpoint
from crawler.refusals import RefusedAddress
from crawler.resolver import PrivateAddressGuardResolver

logger = logging.getLogger(__name__)

# Names that always resolve to the machine itself or to a cloud metadata service.
INTERNAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "metadata.google.internal", "metadata")
INTERNAL_SUFFIXES = (".localhost", ".internal", ".local")


def endpoint(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower().rstrip("."), port or {"http": 80, "https": 443}.get(parts.scheme)


Endpoint = tuple[str, int | None]


def refusal(
    url: str,
    *,
    allow_private: bool,
    trusted: frozenset[Endpoint] = frozenset(),
    proxies: frozenset[Endpoint] = frozenset(),
) -> str | None:
    """Why ``url`` must not be fetched, or None. Pure: a URL in, a decision out.

    ``proxies`` are the operator's proxy endpoints: requests go through them, never to them."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or 'missing'!r} is not http(s)"
    host, port = endpoint(url)
    if not host:
        return "no host"
    if (host, port) in trusted:
        return None
    if (host, port) in proxies:
        return f"{host}:{port} is the proxy itself"
    if allow_private:
        return None
    if host in INTERNAL_NAMES or host.endswith(INTERNAL_SUFFIXES):
        return f"host {host!r} is internal"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a DNS name; resolution-time checks are the resolver's job
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ):
        return f"address {address} is private, loopback, link-local or reserved"
    return None


def trusted_endpoints(urls: Iterable[str]) -> frozenset[tuple[str, int | None]]:
    return frozenset(endpoint(url) for url in urls)


class AddressFilterMiddleware:
    def __init__(
        self,
        allow_private: bool,
        stats: StatsCollector | None = None,
        crawler: Crawler | None = None,
        proxies: Iterable[str] = (),
    ):
        self.allow_private = allow_private
        self.stats = stats
        self.crawler = crawler
        self.trusted: frozenset[Endpoint] = frozenset()
        self.proxies: frozenset[Endpoint] = frozenset(proxy_endpoint(url) for url in proxies)
        self.resolver: PrivateAddressGuardResolver | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(
            crawler.settings.getbool("INGEST_ALLOW_PRIVATE_NETWORKS"),
            crawler.stats,
            crawler,
            proxies=environment_proxies().values(),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self) -> None:
        sources: dict[str, Any] = getattr(self.crawler.spider if self.crawler else None, "sources", {})
        self.trusted = trusted_endpoints(url for s in sources.values() for url in (*s.feeds, *s.sitemaps))
        # The resolver is process-wide and built before any spider: tell it which names are seeds'.
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        if isinstance(resolver, PrivateAddressGuardResolver):
            self.resolver = resolver
            resolver.trust(host for host, _ in self.trusted)
            resolver.trust(host for host, _ in self.proxies)

    def _proxy_in_meta(self, proxy: str) -> None:
        """A proxy the spider or a middleware chose for one request: the operator's, like the environment's."""
        found = proxy_endpoint(proxy)
        if found not in self.proxies:
            self.proxies = self.proxies | {found}
            if self.resolver is not None:
                self.resolver.trust([found[0]])

    def process_request(self, request: Request) -> None:
        proxy = request.meta.get("proxy")
        if proxy:
            self._proxy_in_meta(proxy)
        reason = refusal(request.url, allow_private=self.allow_private, trusted=self.trusted, proxies=self.proxies)
        if reason is None:
            return
        if self.stats is not None:
            self.stats.inc_value("ingest/addresses/refused")
        logger.warning("Refused %s: %s", request.url, reason)
        raise RefusedAddress(f"{request.url}: {reason}")
