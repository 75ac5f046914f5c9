"""URL normalisation: one spelling per page, so URL variants are requested and stored once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

# Query parameters that only track a click; a page is the same page without them.
DEFAULT_TRACKING_PARAMS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "igshid",
    "yclid",
    "ocid",
    "cmpid",
    "at_medium",
    "at_campaign",
    "wt_mc",
    "wt.mc_id",
    "ito",
    "xtor",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ref_src",
    "__twitter_impression",
    # Session ids: one page under endless names (a crawler trap on section pages).
    "jsessionid",
    "phpsessid",
    "sessionid",
    "session_id",
    "oscsid",
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# ";jsessionid=..." in the path (Java servlets): the same page for every visitor.
_SESSION_PATH_PARAMETER = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


def _is_tracking(name: str, patterns: Iterable[str]) -> bool:
    lowered = name.lower()
    for pattern in patterns:
        if pattern.endswith("*"):
            if lowered.startswith(pattern[:-1]):
                return True
        elif lowered == pattern:
            return True
    return False


def clean_url(url: str, tracking_params: Iterable[str] = DEFAULT_TRACKING_PARAMS) -> str:
    """The URL as we request and store it: no fragment, no tracking parameters, no credentials,
    no default port, lower-case scheme and host. Parameter order and path case are kept (servers may
    care about them)."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    patterns = tuple(tracking_params)
    # Filter the raw "name=value" pieces so the kept ones stay byte-for-byte as the site wrote them.
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not _is_tracking(unquote_plus(piece.partition("=")[0]), patterns)
    )
    path = _SESSION_PATH_PARAMETER.sub("", parts.path) or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str, tracking_params: Iterable[str] = DEFAULT_TRACKING_PARAMS) -> str:
    """A comparison key for a URL: cleaned, then canonicalised (sorted query, one trailing-slash form)."""
    cleaned = canonicalize_url(clean_url(url, tracking_params))
    parts = urlsplit(cleaned)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def article_id(canonical_url: str, tracking_params: Iterable[str] = DEFAULT_TRACKING_PARAMS) -> str:
    """The stable primary key of an article: a hash of its normalised canonical URL."""
    return article_id_of_key(url_key(canonical_url, tracking_params))


def article_id_of_key(canonical_key: str) -> str:
    """article_id of a canonical URL whose url_key is already known."""
    return hashlib.sha1(canonical_key.encode("utf-8")).hexdigest()


# Host prefixes that name the same site in another format: AMP, mobile, the bare domain.
VARIANT_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def site_of(url: str) -> tuple[str, int | None]:
    """A URL's site: its host without format prefixes (www., m., amp.), and its port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in VARIANT_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, port or DEFAULT_PORTS.get(parts.scheme)


def same_site(a: str, b: str) -> bool:
    return site_of(a) == site_of(b)


def host_allowed(url: str, domains: tuple[str, ...]) -> bool:
    """Whether the URL's host is one of the domains or below one of them."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)
