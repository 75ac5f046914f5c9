"""Scrapy's requests and responses as WARC/1.1 records (warcio builds them and their digests).

Scrapy hands the crawler decoded bodies (no Content-Encoding, no chunking), so the response headers
follow the convention Common Crawl uses: Content-Encoding, Transfer-Encoding and Content-Length are
renamed to X-Crawler-… and a Content-Length with the length of the bytes written is added. A record
never claims bytes that were not received.

A response is a ``revisit`` record, headers only, when it says nothing new: a 304 (the
server-not-modified profile), or a 200 whose body has the payload digest of the last capture of the
same URL (the identical-payload-digest profile). Either refers to that capture (its URI, date and
record id) when the caller knows it.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from hashlib import sha1
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

WARC_VERSION = "WARC/1.1"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
RENAMED = ("content-encoding", "transfer-encoding", "content-length")


@dataclass(frozen=True)
class Capture:
    """A response record written with its payload: what a later revisit of its URL refers to."""

    url: str
    payload_digest: str  # "sha1:" + base32, as in WARC-Payload-Digest
    date: str  # its WARC-Date
    record_id: str  # its WARC-Record-ID


def payload_digest(body: bytes) -> str:
    return "sha1:" + b32encode(sha1(body).digest()).decode("ascii")


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy's Headers (bytes keys, lists of bytes values) as (name, value) text pairs."""
    pairs = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            pairs.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return pairs


def response_headers(status: int, headers: Any, body_length: int, protocol: str | None) -> StatusAndHeaders:
    """The response's status line and headers, renamed for a decoded body of ``body_length`` bytes."""
    pairs = []
    for name, value in _header_pairs(headers):
        if name.lower() in RENAMED:
            name = "X-Crawler-" + name
        pairs.append((name, value))
    pairs.append(("Content-Length", str(body_length)))
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return StatusAndHeaders(f"{status} {reason}".strip(), pairs, protocol=protocol or "HTTP/1.1")


def request_headers(method: str, url: str, headers: Any) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", parts.netloc)] + [(n, v) for n, v in _header_pairs(headers) if n.lower() != "host"]
    return StatusAndHeaders(f"{method} {target} HTTP/1.1", pairs, is_http_request=True)


def refers_to_date(if_modified_since: str | None) -> str | None:
    """The date a conditional request named, as a WARC date: the earlier capture it refers to."""
    if not if_modified_since:
        return None
    try:
        return warc_date(parsedate_to_datetime(if_modified_since))
    except (TypeError, ValueError):
        return None


class RecordFactory:
    """Builds the records of one exchange; warcio adds the sha1 base32 block and payload digests."""

    def __init__(self) -> None:
        self.builder = RecordBuilder(warc_version=WARC_VERSION)

    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        return self.builder.create_warcinfo_record(filename, info)

    def exchange(
        self,
        *,
        url: str,
        method: str,
        sent_headers: Any,
        request_body: bytes,
        status: int,
        received_headers: Any,
        body: bytes,
        protocol: str | None,
        fetched_at: datetime,
        ip_address: str | None,
        previous: Capture | None = None,
    ) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(response or revisit, request). ``previous``: the last capture of the URL, if known. A 304,
        or a 200 with ``previous``'s payload, becomes a revisit of it."""
        date = warc_date(fetched_at)
        common = {"WARC-Date": date}
        if ip_address:
            common["WARC-IP-Address"] = ip_address
        http = response_headers(status, received_headers, len(body), protocol)
        if status == 304:
            since = refers_to_date(_first(sent_headers, b"If-Modified-Since"))
            # without a capture or a date, the 304 answered an If-None-Match: what it refers to is unknown
            main = self._revisit(url, http, common, SERVER_NOT_MODIFIED, previous, since or date)
        elif status == 200 and previous is not None and previous.payload_digest == payload_digest(body):
            main = self._revisit(url, http, common, IDENTICAL_PAYLOAD, previous, previous.date)
        else:
            main = self.builder.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http, warc_headers_dict=common
            )
        request = self.builder.create_warc_record(
            url,
            "request",
            payload=BytesIO(request_body),
            length=len(request_body),
            http_headers=request_headers(method, url, sent_headers),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": main.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        return main, request

    def _revisit(
        self, url: str, http: StatusAndHeaders, common: dict[str, str], profile: str, previous: Capture | None,
        fallback_date: str,
    ) -> ArcWarcRecord:  # fmt: skip
        """Headers only: the HTTP headers as received, no payload."""
        headers = dict(common, **{"WARC-Profile": profile})
        if previous is not None:
            headers["WARC-Refers-To"] = previous.record_id
            headers["WARC-Refers-To-Target-URI"] = previous.url
            headers["WARC-Refers-To-Date"] = previous.date
            if profile == IDENTICAL_PAYLOAD:
                headers["WARC-Payload-Digest"] = previous.payload_digest
        else:
            headers["WARC-Refers-To-Target-URI"] = url
            headers["WARC-Refers-To-Date"] = fallback_date
        return self.builder.create_warc_record(url, "revisit", http_headers=http, warc_headers_dict=headers)


def capture_of(record: ArcWarcRecord) -> Capture | None:
    """The capture a response record with a payload makes, for the revisits that follow it; a 200 only
    (a later 200 of an error page's body says nothing about the page)."""
    http = record.http_headers
    if record.rec_type != "response" or http is None or http.get_statuscode() != "200":
        return None
    headers = record.rec_headers
    return Capture(
        headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Payload-Digest"),
        headers.get_header("WARC-Date"), headers.get_header("WARC-Record-ID"),
    )  # fmt: skip


def _first(headers: Any, name: bytes) -> str | None:
    value = headers.get(name) if headers is not None else None
    return value.decode("latin-1") if isinstance(value, bytes) else value
