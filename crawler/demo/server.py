"""A static news site on 127.0.0.1, for `make demo` and the end-to-end tests.

Run as ``python -m crawler.demo.server --root DIR [--log FILE] [--host 127.0.0.N]``: binds 127.0.0.1 (or
another loopback address) port 0, prints one line ``http://127.0.0.1:PORT`` when ready and serves until
killed (the pattern of Scrapy's tests/mockserver); :class:`crawler.demo.launcher.SiteServer` runs that
command in a subprocess for the length of a ``with`` block. Only 127.0.0.0/8 can be bound: no traffic
ever leaves the machine.
It lives in the package, not in tests/, because `make demo` serves demo/site/ with it.

Serving rules, all driven by files under the root:

* ``/a/b.html`` is ``root/a/b.html``; ``/a/`` is ``root/a/index.html``; ``/a`` redirects to ``/a/``
  when ``a`` is a directory; the query string is ignored unless a file
  ``X@QUERY.html`` exists for ``X?QUERY``; ``..`` and symlinks out of the root get 403.
* Text files are templates: every ``{{base}}`` becomes the server's own base URL, so feeds and pages can
  hold absolute links without knowing the port.
* ``X.gz`` that does not exist is served from ``X``, templated and gzipped on the fly.
* A 200 carries an ETag (hash of the bytes sent) and Last-Modified (file mtime) and honours
  If-None-Match / If-Modified-Since with 304.
* A sidecar ``X.headers.json`` overrides the response for ``X``; keys: ``status`` (int), ``headers``
  (values templated; ``Content-Type`` replaces the guessed one), ``no_validators`` (no ETag or
  Last-Modified, conditional headers ignored), ``delay`` (seconds to wait before answering), ``raw``
  (send the file's bytes untemplated, e.g. a pre-compressed body with a ``Content-Encoding`` header) and
  ``declared_length`` (send this Content-Length, then the body, then close the connection: a truncated
  body when it is larger than the file).
  A sidecar without its file answers with the sidecar's status and an empty body (a 500, a redirect).
  Sidecars themselves are never served.
* ``Range: bytes=A-B`` (or ``A-``) on a 200 answers 206 with those bytes (416 past the end), unless
  the sidecar says ``no_ranges``.
* Every request is appended to the ``--log`` file as one JSON line: method, path, status, headers, and
  ``time``, when its handling began (Unix seconds; tests read the spacing of requests from it).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import ipaddress
import json
import re
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote, urlsplit

HOST = "127.0.0.1"
# The directory holding the `crawler` package: `python -m crawler.demo.server` resolves from there whether
# the project is installed or run from a checkout.
IMPORT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".rss", ".atom", ".rdf", ".txt", ".json", ".toml"})
RANGE = re.compile(r"bytes=(\d+)-(\d*)")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".toml": "application/toml",
    ".gz": "application/gzip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
}
SIDECAR_SUFFIX = ".headers.json"
LOGGED_HEADERS = (
    "If-None-Match",
    "If-Modified-Since",
    "Cookie",
    "Authorization",
    "User-Agent",
    "Accept-Encoding",
    "Referer",
)
URL_TIMEOUT = 10.0


class StaticSiteServer(ThreadingHTTPServer):
    """Holds what every request handler needs: the root, the base URL and the request log."""

    daemon_threads = True

    def __init__(self, root: Path, log_path: Path | None, host: str = HOST) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"{host} is not a loopback address")
        super().__init__((host, 0), StaticSiteHandler)
        self.root = root.resolve()
        self.base_url = f"http://{host}:{self.server_address[1]}"
        self.log_lock = threading.Lock()
        # Set when the server closes: a response held back by a sidecar's `delay` ends its wait then,
        # instead of keeping its handler thread asleep past the server's life.
        self.closing = threading.Event()
        self.log_file: IO[str] | None = log_path.open("a", encoding="utf-8") if log_path else None

    def log(self, record: dict[str, Any]) -> None:
        if self.log_file is None:
            return
        with self.log_lock:
            self.log_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.log_file.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response (a crawler closing at shutdown) is not a server error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        self.closing.set()
        super().server_close()
        if self.log_file is not None:
            self.log_file.close()


class StaticSiteHandler(BaseHTTPRequestHandler):
    server: StaticSiteServer
    protocol_version = "HTTP/1.1"
    server_version = "NewsIngestDemo/1.0"

    def do_GET(self) -> None:
        self.arrived = time.time()
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self.arrived = time.time()
        self._respond(send_body=False)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Called by send_response before any byte of the response leaves, so a client that has its
        # response can already read the log line.
        headers = getattr(self, "headers", None)
        self.server.log(
            {
                "method": getattr(self, "command", None),
                "path": getattr(self, "path", None),
                "status": int(code) if isinstance(code, int) else code,
                "headers": {name: headers[name] for name in LOGGED_HEADERS if headers and name in headers},
                # A connection's handler serves several requests: each one's time is used once.
                "time": self.__dict__.pop("arrived", None) or time.time(),
            }
        )

    def _root_file(self, url_path: str) -> bool:
        path = self._resolve(unquote(url_path))
        return path is not None and path.is_file()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request line on stderr; the JSON log is the record."""

    def _respond(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        url_path = unquote(parts.path)
        if parts.query and "/" not in parts.query and self._root_file(f"{url_path}@{parts.query}.html"):
            # A page addressed by its query (article.php?id=4711) is the file "article.php@id=4711.html".
            url_path = f"{url_path}@{unquote(parts.query)}.html"
        if "\x00" in url_path or ".." in url_path.split("/") or "\\" in url_path:
            self._send_error_page(HTTPStatus.FORBIDDEN, send_body)
            return
        path = self._resolve(url_path)
        if path is None:
            self._send_error_page(HTTPStatus.FORBIDDEN, send_body)
            return
        if path.is_dir():
            if not url_path.endswith("/"):
                self._send_redirect(url_path + "/", send_body)
                return
            path = path / "index.html"
        if path.name.endswith(SIDECAR_SUFFIX):
            self._send_error_page(HTTPStatus.NOT_FOUND, send_body)
            return

        sidecar = self._read_sidecar(path)
        if sidecar.get("delay"):
            # Each request has its own handler thread (ThreadingHTTPServer, in the server's own process:
            # no reactor here), so waiting holds back this response only.
            self.server.closing.wait(float(sidecar["delay"]))
        body, mtime = self._load(path, raw=bool(sidecar.get("raw")))
        if body is None:
            if not sidecar:
                self._send_error_page(HTTPStatus.NOT_FOUND, send_body)
                return
            body, mtime = b"", None

        status = int(sidecar.get("status", HTTPStatus.OK))
        headers = {"Content-Type": CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")}
        use_validators = status == HTTPStatus.OK and mtime is not None and not sidecar.get("no_validators")
        if use_validators:
            assert mtime is not None
            headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers["Last-Modified"] = formatdate(int(mtime), usegmt=True)
        for name, value in sidecar.get("headers", {}).items():
            headers[_canonical_header_name(name, headers)] = self._template(str(value).encode()).decode()

        if use_validators and self._not_modified(headers["ETag"], int(mtime or 0)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name in ("ETag", "Last-Modified"):
                self.send_header(name, headers[name])
            self.end_headers()
            return
        byte_range = RANGE.fullmatch(self.headers.get("Range", "").strip()) if status == HTTPStatus.OK else None
        if byte_range and not sidecar.get("no_ranges"):
            start = int(byte_range.group(1))
            end = min(int(byte_range.group(2) or len(body) - 1), len(body) - 1)
            if start >= len(body):
                self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {"Content-Range": f"bytes */{len(body)}"},
                           b"", send_body)  # fmt: skip
                return
            headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
            self._send(HTTPStatus.PARTIAL_CONTENT, headers, body[start : end + 1], send_body)
            return
        self._send(status, headers, body, send_body, declared_length=sidecar.get("declared_length"))

    def _resolve(self, url_path: str) -> Path | None:
        """The file for a URL path, or None when it would leave the root."""
        candidate = (self.server.root / url_path.lstrip("/")).resolve()
        if candidate != self.server.root and not candidate.is_relative_to(self.server.root):
            return None
        return candidate

    def _load(self, path: Path, raw: bool = False) -> tuple[bytes | None, float | None]:
        """The bytes to send for a file and its mtime; gzips ``X`` on the fly for a missing ``X.gz``."""
        if path.is_file():
            data = path.read_bytes()
            if path.suffix.lower() in TEMPLATE_SUFFIXES and not raw:
                data = self._template(data)
            return data, path.stat().st_mtime
        if path.suffix.lower() == ".gz":
            source = path.with_suffix("")
            if source.is_file() and source.is_relative_to(self.server.root):
                data = source.read_bytes()
                if source.suffix.lower() in TEMPLATE_SUFFIXES:
                    data = self._template(data)
                # mtime=0 keeps the gzip bytes, and so the ETag, stable between requests
                return gzip.compress(data, mtime=0), source.stat().st_mtime
        return None, None

    def _template(self, data: bytes) -> bytes:
        return data.replace(b"{{base}}", self.server.base_url.encode())

    def _read_sidecar(self, path: Path) -> dict[str, Any]:
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        if not sidecar.is_file():
            return {}
        loaded = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{sidecar}: expected a JSON object")
        return loaded

    def _not_modified(self, etag: str, mtime: int) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); weak comparison.
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and mtime <= since.timestamp()

    def _send(
        self, status: int, headers: dict[str, str], body: bytes, send_body: bool, declared_length: int | None = None
    ) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if declared_length is None else int(declared_length)))
        if declared_length is not None:
            # The client waits for bytes that never come, until the connection closes under it.
            self.close_connection = True
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send_error_page(self, status: HTTPStatus, send_body: bool) -> None:
        body = (
            f"<!DOCTYPE html>\n<html><head><title>{status.value} {status.phrase}</title></head>"
            f"<body><h1>{status.value} {status.phrase}</h1></body></html>\n"
        ).encode()
        self._send(status, {"Content-Type": CONTENT_TYPES[".html"]}, body, send_body)

    def _send_redirect(self, location: str, send_body: bool) -> None:
        self._send(HTTPStatus.MOVED_PERMANENTLY, {"Location": quote(location)}, b"", send_body)


def _canonical_header_name(name: str, existing: dict[str, str]) -> str:
    """The spelling already in ``existing`` for a header name, so an override replaces, not duplicates."""
    for key in existing:
        if key.lower() == name.lower():
            return key
    return name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, required=True, help="directory to serve")
    parser.add_argument("--log", type=Path, help="append one JSON line per request to this file")
    parser.add_argument("--host", default=HOST, help=f"loopback address to bind (default {HOST})")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    try:
        server = StaticSiteServer(args.root, args.log, args.host)
    except ValueError as exc:
        parser.error(f"--host: {exc}")
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
