"""WARC files that rotate by size and age, named as the Internet Archive names them:
``PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz``.

Every record is its own gzip member and the file is flushed after each one, so a crawl killed
mid-record leaves a file that any WARC reader can read up to its last whole record.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from crawler.webarchive.records import WARC_VERSION, RecordFactory


class RotatingWarcFiles:
    def __init__(
        self,
        directory: Path,
        prefix: str,
        max_bytes: int,
        max_seconds: float,
        info: dict[str, str],
        *,
        host: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.info = info
        self.host = host or socket.gethostname()
        self.clock = clock
        self.factory = RecordFactory()
        self.serial = 0
        self.paths: list[Path] = []
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._opened_at = 0.0

    def write(self, records: Iterable[ArcWarcRecord]) -> int:
        """Write records together into the current file (a new one when it is full or old); the
        bytes written."""
        if self._file is not None and self._due():
            self.close()
        if self._file is None:
            self._open()
        assert self._file is not None and self._writer is not None
        start = self._file.tell()
        for record in records:
            self._writer.write_record(record)
            self._file.flush()
        return self._file.tell() - start

    def _due(self) -> bool:
        assert self._file is not None
        too_big = self.max_bytes > 0 and self._file.tell() >= self.max_bytes
        too_old = self.max_seconds > 0 and self.clock() - self._opened_at >= self.max_seconds
        return too_big or too_old

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        now = self.clock()
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        # the serial counts up over the crawl, so two files opened in the same millisecond differ
        name = f"{self.prefix}-{stamp}-{self.serial:05d}-{self.host}.warc.gz"
        self.serial += 1
        path = self.directory / name
        self._file = open(path, "xb")  # closed in close()
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        self._opened_at = now
        self.paths.append(path)
        self._writer.write_record(self.factory.warcinfo(name, self.info))
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._writer = None


def warc_inputs(named: list[Path], output: str | None, default_name: str) -> tuple[list[Path], Path]:
    """The WARC files a command reads (files named, directories searched for .warc/.warc.gz files, in
    sorted order) and the file it writes: ``output``, else ``default_name`` beside the WARCs (inside the
    one directory named, else beside the first file). ValueError names a path that is not there."""
    found: list[Path] = []
    for path in named:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.name.endswith((".warc.gz", ".warc")) and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise ValueError(f"{path}: no such file or directory")
    if not found:
        raise ValueError(f"no WARC files in {', '.join(map(str, named))}")
    if output:
        return found, Path(output)
    beside = named[0] if len(named) == 1 and named[0].is_dir() else named[0].parent
    return found, beside / default_name
