"""Turning the link text of a feed or sitemap entry into an absolute http(s) URL, or a reason why not."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

_PROBLEM_VALUE_LENGTH = 80


class UnusableLink(ValueError):
    """The entry's link cannot be fetched; the message is the reason, fit for ParsedFeed.problems."""


def shorten(value: str) -> str:
    """A value short enough to quote in a problem message."""
    if len(value) <= _PROBLEM_VALUE_LENGTH:
        return value
    return value[: _PROBLEM_VALUE_LENGTH - 1] + "…"


def join_base(base: str, reference: str | None) -> str:
    """Apply an xml:base (or <base href>) on top of an outer base; bad values leave the base unchanged."""
    if not reference or not reference.strip():
        return base
    try:
        return urljoin(base, reference.strip())
    except ValueError:
        return base


def resolve_link(raw: str | None, base: str, what: str = "link") -> str:
    """Absolute http(s) URL for raw, resolved against base; raise UnusableLink otherwise."""
    link = (raw or "").strip()
    if not link:
        raise UnusableLink(f"no {what}")
    try:
        # Most links are already absolute; urljoin would cost more than everything else per entry.
        url = link if link.startswith(("http://", "https://")) else urljoin(base, link)
        parts = urlsplit(url)
    except ValueError as exc:
        # urllib rejects e.g. unbalanced IPv6 brackets outright.
        raise UnusableLink(f"malformed {what} {shorten(link)!r}: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise UnusableLink(f"non-http {what} {shorten(link)!r}")
    if not parts.hostname:
        raise UnusableLink(f"{what} without a host {shorten(link)!r}")
    return url


def is_absolute_http(raw: str) -> bool:
    """Whether raw is already a complete http(s) URL (used for guids, which are not resolved)."""
    try:
        parts = urlsplit(raw.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
