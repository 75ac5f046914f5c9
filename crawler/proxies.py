"""The operator's HTTP proxy, as the address protections and the failure reports see it.

A proxy comes from the environment (``http_proxy``/``https_proxy``/``no_proxy``, read the way Scrapy's
HttpProxyMiddleware reads them) or from a request's ``meta["proxy"]``. The operator chose it, so its
own address is trusted whatever it is (127.0.0.1 for squid or privoxy, 10.x for most corporate
proxies); the targets fetched through it are still judged by their URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

# Download errors that mean the proxy itself could not be reached or dropped the connection: Twisted's
# names, and Scrapy's (2.19 wraps them as Download*Error / CannotResolveHostError).
CONNECTION_ERRORS = (
    "DownloadConnectionRefusedError",
    "CannotResolveHostError",
    "DownloadTimeoutError",
    "DownloadFailedError",
    "ConnectionRefusedError",
    "ConnectError",
    "TCPTimedOutError",
    "TimeoutError",
    "DNSLookupError",
    "ConnectionLost",
    "ConnectionDone",
    "ResponseNeverReceived",
    "ConnectionAborted",
    "NoRouteError",
)


def _endpoint(url: str) -> tuple[str, int | None]:
    if "://" not in url:
        url = "http://" + url  # http_proxy=127.0.0.1:3128 is common and urllib accepts it
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower().rstrip("."), port or {"http": 80, "https": 443}.get(parts.scheme)


def environment_proxies(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The proxy URL per scheme (http, https) that Scrapy will use, from the environment."""
    found = _from_mapping(os.environ if environ is None else environ)
    return {scheme: url for scheme, url in found.items() if scheme in ("http", "https") and url}


def _from_mapping(environ: Mapping[str, str]) -> dict[str, str]:
    """``<scheme>_proxy`` variables as urllib's getproxies reads them (which Scrapy's HttpProxyMiddleware
    uses): the lower-case spelling wins over the upper-case one, and under CGI (REQUEST_METHOD set)
    HTTP_PROXY is a request header, not the operator's setting (httpoxy), so it is ignored."""
    proxies: dict[str, str] = {}
    # upper-case names first, so that a lower-case spelling of the same variable replaces them
    for name, value in sorted(environ.items(), key=lambda item: item[0].islower()):
        lower = name.lower()
        if not value or not lower.endswith("_proxy") or lower == "no_proxy":
            continue
        if name == "HTTP_PROXY" and "REQUEST_METHOD" in environ:
            continue
        proxies[lower[: -len("_proxy")]] = value
    return proxies


def proxy_endpoint(url: str) -> tuple[str, int | None]:
    """(host, port) of a proxy URL, credentials left out."""
    return _endpoint(url)


def without_credentials(url: str) -> str:
    """A proxy URL fit for a log line: ``http://user:secret@host:3128`` -> ``http://host:3128``."""
    host, port = _endpoint(url)
    scheme = urlsplit(url).scheme if "://" in url else "http"
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


def is_connection_error(error_name: str) -> bool:
    return error_name in CONNECTION_ERRORS
