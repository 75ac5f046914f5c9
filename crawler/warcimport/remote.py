"""Remote inputs: downloaded through Scrapy's downloader in Range requests, one at a time.

Each Range request asks for INGEST_WARC_IMPORT_CHUNK_BYTES, and the next one goes out only once its
chunk is imported, so memory stays bounded by one chunk and one gzip member; a server that ignores
Range is accepted only for a file that fits in DOWNLOAD_MAXSIZE.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.settings import Settings

from crawler.archive.imports import ImportProgress
from crawler.warcimport.importer import Importer, InputImport


class RangeSpider(Spider):
    """Downloads one URL in Range requests, one at a time, handing each chunk to the importer."""

    name = "import-warc"
    custom_settings = {
        # a download, not a crawl: none of the crawl's spider middlewares, pipelines or extensions
        "SPIDER_MIDDLEWARES": {"crawler.middlewares.incremental.IncrementalMiddleware": None},
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {
            "crawler.extensions.runs.CrawlRunsExtension": None,
            "crawler.extensions.progress.ProgressExtension": None,
            "crawler.extensions.summary.SourceSummaryExtension": None,
            "crawler.extensions.warc.WarcWriterExtension": None,
        },
        "ROBOTSTXT_OBEY": False,  # a file named on the command line, not a page found by crawling
        "HTTPERROR_ALLOW_ALL": True,
        "DEPTH_LIMIT": 0,  # each Range request follows the one before
        "AUTOTHROTTLE_ENABLED": False,  # one request at a time already
    }

    def __init__(self, url: str, offset: int, chunk_bytes: int, sink: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url, self.offset, self.chunk_bytes, self.sink = url, offset, chunk_bytes, sink

    async def start(self) -> Any:
        yield self._range(self.offset)

    def _range(self, start: int) -> Request:
        end = start + self.chunk_bytes - 1
        return Request(
            self.url, headers={"Range": f"bytes={start}-{end}"}, callback=self.parse, dont_filter=True,
            meta={"ingest_start": start},
        )  # fmt: skip

    def parse(self, response: Response) -> Iterator[Request]:
        start = response.meta["ingest_start"]
        if response.status == 416:  # past the end
            self.sink.done()
            return
        if response.status == 200:
            if start:
                self.sink.fail(f"{self.url}: the server ignores Range; cannot resume at {start}")
                return
            self.sink.take(response.body)  # the whole file, within DOWNLOAD_MAXSIZE
            self.sink.done()
            return
        if response.status != 206:
            self.sink.fail(f"{self.url}: HTTP {response.status}")
            return
        self.sink.take(response.body)
        total = (response.headers.get(b"Content-Range") or b"").rsplit(b"/", 1)[-1]
        following = start + len(response.body)
        if not response.body or (total.isdigit() and following >= int(total)):
            self.sink.done()
            return
        yield self._range(following)


class ChunkSink:
    """Hands downloaded chunks to the import as they arrive, in the reactor's thread: the next Range
    request goes out only once a chunk is imported, so at most one chunk is held."""

    def __init__(self, current: InputImport) -> None:
        self.current = current
        self.error: str | None = None

    def take(self, data: bytes) -> None:
        self.current.feed(data)

    def done(self) -> None:
        self.current.close()

    def fail(self, reason: str) -> None:
        self.error = reason
        self.current.close(finished=False)  # the offset reached is kept: a later run resumes there


def import_remote(settings: Settings, importer: Importer, url: str, progress: ImportProgress) -> str | None:
    """Download and import one URL; the error that stopped it, or None. The download runs in Scrapy's
    reactor; the importer reads the chunks as it hands them over."""
    from scrapy.crawler import CrawlerProcess

    sink = ChunkSink(InputImport(importer, url, progress))
    process = CrawlerProcess(settings)
    chunk = settings.getint("INGEST_WARC_IMPORT_CHUNK_BYTES")
    process.crawl(RangeSpider, url=url, offset=progress.next_offset, chunk_bytes=chunk, sink=sink)
    process.start()
    if not sink.current.closed and sink.error is None:
        sink.fail(f"{url}: the download ended early")
    return sink.error
