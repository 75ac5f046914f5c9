from __future__ import annotations

import os
import urllib.request

import pytest

from crawler.proxies import environment_proxies, is_connection_error, proxy_endpoint, without_credentials


def test_environment_proxies_per_scheme() -> None:
    environ = {"http_proxy": "http://127.0.0.1:3128", "HTTPS_PROXY": "http://10.0.0.1:8080", "no_proxy": "localhost"}
    assert environment_proxies(environ) == {"http": "http://127.0.0.1:3128", "https": "http://10.0.0.1:8080"}


def test_proxy_endpoint_and_log_form() -> None:
    assert proxy_endpoint("http://user:pw@Proxy.Corp:3128") == ("proxy.corp", 3128)
    assert proxy_endpoint("127.0.0.1:3128") == ("127.0.0.1", 3128)
    assert proxy_endpoint("http://proxy.corp") == ("proxy.corp", 80)
    assert without_credentials("http://user:secret@proxy.corp:3128") == "http://proxy.corp:3128"


def test_connection_errors() -> None:
    assert is_connection_error("ConnectionRefusedError")
    assert is_connection_error("DownloadConnectionRefusedError")
    assert not is_connection_error("HttpError")


def test_environment_proxies_read_as_urllib_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # Scrapy's HttpProxyMiddleware takes the proxies from urllib's getproxies: ours must be the same.
    environ = {
        "HTTPS_PROXY": "http://upper.example:1",
        "https_proxy": "http://lower.example:2",
        "HTTP_PROXY": "http://cgi-header.example:3",
        "REQUEST_METHOD": "GET",
        "no_proxy": "localhost",
    }
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name == "REQUEST_METHOD":
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    expected = {k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https")}
    assert expected == {"https": "http://lower.example:2"}
    assert environment_proxies() == expected
