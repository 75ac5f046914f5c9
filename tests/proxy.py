"""A small forwarding HTTP proxy for the end-to-end tests: absolute-URI GET only, no CONNECT.

Run as ``python -m tests.proxy [--map HOST=IP:PORT ...] [--user U:P]``; it listens on 127.0.0.1:0,
prints its URL and logs each request it forwards (one JSON line on --log). ``--map`` makes a name
reachable only through the proxy (the proxy resolves it, not the crawler), which is how sites behind
a corporate proxy look to the crawler. ``--user`` demands Proxy-Authorization (407 otherwise).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "proxy-authorization", "te", "trailers", "upgrade"}


class ProxyHandler(BaseHTTPRequestHandler):
    server: ProxyServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_CONNECT(self) -> None:
        self.send_error(501, "CONNECT not supported by this test proxy")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        target = urlsplit(self.path)
        if not target.scheme or not target.hostname:
            self.send_error(400, "not an absolute URI: this is a proxy")
            return
        if self.server.credentials and self.headers.get("Proxy-Authorization") != self.server.credentials:
            self._record(407)
            self.send_response(407)
            self.send_header("Proxy-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        host, port = self.server.hosts.get(target.hostname, (target.hostname, target.port or 80))
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.request(self.command, path, headers=headers)
            upstream = connection.getresponse()
            body = upstream.read()
        except OSError as exc:
            self._record(502)
            self.send_error(502, f"upstream unreachable: {exc}")
            return
        finally:
            connection.close()
        self._record(upstream.status)
        self.send_response(upstream.status)
        for name, value in upstream.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _record(self, status: int) -> None:
        if self.server.log_path is not None:
            with self.server.log_path.open("a", encoding="utf-8") as log:
                log.write(json.dumps({"url": self.path, "status": status}) + "\n")


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, hosts: dict[str, tuple[str, int]], credentials: str | None, log_path: Path | None) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.hosts = hosts
        self.credentials = credentials
        self.log_path = log_path


class ForwardingProxy:
    """``with ForwardingProxy(map={"news.test": "127.0.0.1:PORT"}) as proxy: proxy.url`` — a subprocess."""

    def __init__(self, log: Path, map: dict[str, str] | None = None, user: str | None = None) -> None:
        self.log = log
        self.map = map or {}
        self.user = user
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> ForwardingProxy:
        command = [sys.executable, "-m", "tests.proxy", "--log", str(self.log)]
        for name, target in self.map.items():
            command += ["--map", f"{name}={target}"]
        if self.user:
            command += ["--user", self.user]
        self._process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"test proxy failed to start: {line!r}")
        self.url = line
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    def forwarded(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--map", action="append", default=[], help="HOST=IP:PORT, resolved by the proxy only")
    parser.add_argument("--user", help="USER:PASSWORD the proxy demands")
    parser.add_argument("--log", type=Path)
    args = parser.parse_args(argv)
    hosts = {}
    for item in args.map:
        name, _, target = item.partition("=")
        ip, _, port = target.rpartition(":")
        hosts[name] = (ip, int(port))
    credentials = "Basic " + base64.b64encode(args.user.encode()).decode() if args.user else None
    server = ProxyServer(hosts, credentials, args.log)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
