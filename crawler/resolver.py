"""DNS resolution that refuses names resolving to private, loopback, link-local or metadata addresses.

The address filter (crawler.middlewares.addresses) judges the URL; a hostile site can still publish
a name whose A record points inside the network (`metadata.evil.example -> 169.254.169.254`). This
resolver judges the answer. Names the seeds use are trusted (the address filter registers them when
the spider opens), and INGEST_ALLOW_PRIVATE_NETWORKS turns the check off.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any, Self

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError


def is_private_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified


class PrivateAddressGuardResolver(CachingThreadedResolver):
    def __init__(self, reactor: Any, cache_size: int, timeout: float, *, allow_private: bool = False) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private
        self.trusted_names: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Self:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            allow_private=settings.getbool("INGEST_ALLOW_PRIVATE_NETWORKS"),
        )

    def trust(self, names: Iterable[str]) -> None:
        self.trusted_names.update(name.lower().rstrip(".") for name in names)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        if not self.allow_private and name.lower().rstrip(".") not in self.trusted_names:
            deferred.addCallback(self._check, name)
        return deferred

    def _check(self, address: str, name: str) -> str:
        if is_private_address(address):
            raise DNSLookupError(f"{name} resolves to {address}, a private or internal address: refused")
        return address
