"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1): the same entries as an RSS feed gives."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from crawler.dates import parse_feed_date
from crawler.discovery.entries import Entry
from crawler.discovery.feeds import FeedError, ParsedFeed
from crawler.discovery.links import UnusableLink, resolve_link, shorten
from crawler.discovery.text import clean_title

VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")


def is_json_feed(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version/" in body[:4096]


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Entries of a JSON Feed; raise FeedError if the body is no JSON Feed at all."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a JSON Feed: {exc}") from None
    if not isinstance(data, dict) or str(data.get("version", "")).rstrip("/") not in VERSIONS:
        raise FeedError("not a JSON Feed: no jsonfeed.org version")
    feed = ParsedFeed(kind="json", title=_text(data.get("title")), language=_text(data.get("language")))
    items = data.get("items")
    if not isinstance(items, list):
        feed.problems.append("no items list")
        return feed
    base = _text(data.get("home_page_url")) or url
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            feed.problems.append(f"item {position}: not an object")
            continue
        try:
            link = resolve_link(_text(item.get("url")) or _text(item.get("external_url")), base)
        except UnusableLink as exc:
            feed.problems.append(f"item {position}: {exc}")
            continue
        feed.entries.append(
            Entry(
                url=link,
                title=clean_title(_text(item.get("title")) or ""),
                published=_date(item.get("date_published")),
                updated=_date(item.get("date_modified")),
                guid=shorten(str(item.get("id"))) if item.get("id") is not None else None,
                language=_text(item.get("language")) or feed.language,
            )
        )
    return feed


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: Any) -> datetime | None:
    return parse_feed_date(value) if isinstance(value, str) else None
