"""Runs the demo site server (``python -m crawler.demo.server``) in a subprocess for a ``with`` block.

`make demo`, the end-to-end tests (as ``tests.mockserver.MockServer``) and the benchmarks start their site
this way: the server binds 127.0.0.1 port 0 and prints its URL, which :class:`SiteServer` reads.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

from crawler.demo.server import HOST, IMPORT_ROOT, URL_TIMEOUT


class SiteServer:
    """Runs ``python -m crawler.demo.server`` in a subprocess for the length of a ``with`` block.

    The request log lives in a private temporary directory removed on exit, unless ``log`` names a file
    (then it is appended to and kept).

    >>> with SiteServer(root=Path("tests/sites")) as server:  # doctest: +SKIP
    ...     server.urljoin("/dailyplanet/feed.rss")
    'http://127.0.0.1:54321/dailyplanet/feed.rss'
    """

    def __init__(self, root: Path, log: Path | None = None, timeout: float = URL_TIMEOUT, host: str = HOST) -> None:
        self.root = Path(root).resolve()
        self.timeout = timeout
        self.host = host
        self._log = log
        self._process: subprocess.Popen[str] | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self._url: str | None = None
        self.log_path: Path | None = None

    def __enter__(self) -> SiteServer:
        if self._log is None:
            # A private directory per server, removed on exit, so parallel tests never share a log.
            self._tmpdir = tempfile.TemporaryDirectory(prefix="siteserver-")
            self.log_path = Path(self._tmpdir.name) / "requests.jsonl"
        else:
            self.log_path = Path(self._log).resolve()
        command = [sys.executable, "-m", "crawler.demo.server", "--root", str(self.root), "--log", str(self.log_path)]
        self._process = subprocess.Popen(
            [*command, "--host", self.host],
            cwd=IMPORT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            self._url = self._read_url(self._process)
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT``, without a trailing slash."""
        if self._url is None:
            raise RuntimeError("SiteServer is not running; use it as a context manager")
        return self._url

    def urljoin(self, path: str) -> str:
        """An absolute URL on this server for ``path`` (with or without a leading slash)."""
        return urljoin(self.url + "/", path)

    def log_entries(self) -> list[dict[str, Any]]:
        """Every request served so far, one dict each: method, path, status, headers."""
        if self.log_path is None or not self.log_path.exists():
            return []
        with self.log_path.open(encoding="utf-8") as log:
            return [json.loads(line) for line in log if line.endswith("\n")]

    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request served so far; path as sent, query string included."""
        return [(entry["method"], entry["path"]) for entry in self.log_entries()]

    def _read_url(self, process: subprocess.Popen[str]) -> str:
        assert process.stdout is not None
        stdout = process.stdout
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=self.timeout)
        except queue.Empty:
            raise RuntimeError(f"site server printed no URL within {self.timeout} s") from None
        if not line.startswith("http://"):
            raise RuntimeError(f"site server failed to start (exit code {process.poll()}): {line!r}")
        return line.strip()

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None
        self._url = None
