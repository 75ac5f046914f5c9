"""WARC output: every response the crawl downloads, with its request, in rotating .warc.gz files.

An extension connected to ``response_received``, not a downloader middleware: it changes nothing
about a request or a response, so it has no business in the middleware chain, and the signal hands
it each response exactly as the spider gets it (after decompression), for spider requests and
robots.txt alike, whatever the middlewares' order. Redirect hops are consumed by the redirect
middleware before the signal and are not recorded: the response is stored under its final URL.

A 200 whose body has the payload digest of the last capture of its URL is written as a revisit
record (identical-payload-digest) referring to it, as a 304 is (server-not-modified). The last capture
per URL is kept in the archive (crawler.archive.captures), so this holds across crawls; in cluster
mode, where workers have no archive, within the worker's run only. A capture is remembered only after
its record is on disk: a kill in between costs a full response next time, never a revisit of a
record that is not there.

Settings: ``INGEST_WARC_DIR`` (empty: off), ``INGEST_WARC_PREFIX``, ``INGEST_WARC_MAX_BYTES``,
``INGEST_WARC_MAX_SECONDS``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.archive.captures import CaptureLog
from crawler.context import CrawlContext
from crawler.webarchive.files import RotatingWarcFiles
from crawler.webarchive.records import IDENTICAL_PAYLOAD, Capture, capture_of

logger = logging.getLogger(__name__)


def software() -> str:
    import scrapy
    import warcio

    return f"news-ingest/0.1 (Scrapy {scrapy.__version__}; warcio {getattr(warcio, '__version__', '?')})"


class Captures(Protocol):
    def last(self, url: str) -> Capture | None: ...

    def remember(self, capture: Capture) -> None: ...


class RunCaptures:
    """The captures of this run only (a cluster worker's: it has no archive), the latest ``max_urls``."""

    def __init__(self, max_urls: int = 100_000) -> None:
        self.by_url: dict[str, Capture] = {}
        self.max_urls = max_urls

    def last(self, url: str) -> Capture | None:
        return self.by_url.get(url)

    def remember(self, capture: Capture) -> None:
        self.by_url.pop(capture.url, None)  # to the end: the oldest is forgotten first
        self.by_url[capture.url] = capture
        if len(self.by_url) > self.max_urls:
            del self.by_url[next(iter(self.by_url))]


class WarcWriterExtension:
    def __init__(self, files: RotatingWarcFiles, stats: StatsCollector, captures: Captures | None = None) -> None:
        self.files = files
        self.stats = stats
        self.captures = captures if captures is not None else RunCaptures()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        directory = settings.get("INGEST_WARC_DIR")
        if not directory:
            raise NotConfigured
        info = {
            "software": software(),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "isPartOf": settings.get("INGEST_WARC_PREFIX"),
        }
        files = RotatingWarcFiles(
            Path(directory),
            settings.get("INGEST_WARC_PREFIX"),
            settings.getint("INGEST_WARC_MAX_BYTES"),
            settings.getfloat("INGEST_WARC_MAX_SECONDS"),
            info,
        )
        assert crawler.stats is not None
        context = CrawlContext.of(crawler)
        captures = RunCaptures() if context.redis is not None else CaptureLog(context.archive().db)
        extension = cls(files, crawler.stats, captures)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response: Response, request: Request, spider: Any = None) -> None:
        sent = response.request or request
        serial = self.files.serial
        main, request_record = self.files.factory.exchange(
            url=response.url,
            method=sent.method,
            sent_headers=sent.headers,
            request_body=sent.body or b"",
            status=response.status,
            received_headers=response.headers,
            body=response.body,
            protocol=response.protocol,
            fetched_at=datetime.now(UTC),
            ip_address=str(response.ip_address) if response.ip_address is not None else None,
            previous=self.captures.last(response.url) if response.status in (200, 304) else None,
        )
        try:
            written = self.files.write([main, request_record])
        except OSError as exc:
            self.stats.inc_value("ingest/warc/write_errors")
            logger.error("WARC: cannot write %s: %s", response.url, exc)
            return
        if self.files.serial != serial:
            self.stats.inc_value("ingest/warc/files")
        if main.rec_type == "revisit":
            self.stats.inc_value("ingest/warc/revisits")
            if main.rec_headers.get_header("WARC-Profile") == IDENTICAL_PAYLOAD:
                self.stats.inc_value("ingest/warc/identical_payloads")
        else:
            self.stats.inc_value("ingest/warc/responses")
        self.stats.inc_value("ingest/warc/bytes", written)
        capture = capture_of(main)
        if capture is not None:
            self.captures.remember(capture)

    def spider_closed(self) -> None:
        self.files.close()
        for path in self.files.paths:
            logger.info("WARC: wrote %s", path)
