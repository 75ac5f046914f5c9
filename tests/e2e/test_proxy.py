"""Crawling through the operator's HTTP proxy, with the private-network protection left on."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import db_tuples, run_crawl, write_seeds
from tests.e2e.test_scrapyd import free_port
from tests.mockserver import MockServer
from tests.proxy import ForwardingProxy
from tests.sitegen import generate_site

ARTICLES = 6


def test_a_loopback_site_through_a_loopback_proxy(tmp_path: Path) -> None:
    seeds_template = generate_site(tmp_path / "site", ARTICLES)
    db = tmp_path / "news.db"
    with MockServer(root=tmp_path / "site") as site, ForwardingProxy(tmp_path / "proxy.jsonl") as proxy:
        seeds = write_seeds(tmp_path / "seeds.toml", site, seeds_template)
        result = run_crawl(seeds, db, allow_private=False, env={"http_proxy": proxy.url})
        forwarded = proxy.forwarded()
        base = site.url
    assert result.returncode == 0, result.log
    assert db_tuples(db, "SELECT count(*) FROM articles") == [(ARTICLES,)], result.log
    assert "DNS lookup failed" not in result.log
    urls = {entry["url"] for entry in forwarded}
    assert f"{base}/robots.txt" in urls and f"{base}/feeds/feed-0.rss" in urls
    assert sum("/articles/" in url or url.endswith(".html") for url in urls) >= ARTICLES


def test_names_only_the_proxy_resolves_with_authentication(tmp_path: Path) -> None:
    root = tmp_path / "site"
    generate_site(root, ARTICLES)
    # Every URL names gazette.test, which only the proxy can resolve: nothing reaches it directly.
    for path in root.rglob("*"):
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8").replace("{{base}}", "http://gazette.test"), "utf-8")
    db = tmp_path / "news.db"
    with MockServer(root=root) as site:
        port = site.url.rsplit(":", 1)[1]
        with ForwardingProxy(tmp_path / "proxy.jsonl", map={"gazette.test": f"127.0.0.1:{port}"}, user="crawler:s3cret") as proxy:
            seeds = root / "seeds.toml"
            authenticated = proxy.url.replace("http://", "http://crawler:s3cret@")
            result = run_crawl(seeds, db, allow_private=False, env={"http_proxy": authenticated})
            forwarded = proxy.forwarded()
    assert result.returncode == 0, result.log
    assert db_tuples(db, "SELECT count(*) FROM articles") == [(ARTICLES,)], result.log
    assert forwarded and all(entry["status"] != 407 for entry in forwarded)
    assert "s3cret" not in result.log


def test_an_unreachable_proxy_is_reported_as_such(tmp_path: Path) -> None:
    seeds_template = generate_site(tmp_path / "site", 2)
    db = tmp_path / "news.db"
    dead = f"http://127.0.0.1:{free_port()}"
    with MockServer(root=tmp_path / "site") as site:
        seeds = write_seeds(tmp_path / "seeds.toml", site, seeds_template)
        result = run_crawl(seeds, db, allow_private=False, env={"http_proxy": dead})
    assert f"proxy {dead} unreachable" in result.log
    assert "DNS lookup failed" not in result.log
    assert re.search(rf"Proxy {re.escape(dead)} unreachable \(\d+ requests?\)", result.log), result.log
    assert db_tuples(db, "SELECT count(*) FROM articles") == [(0,)]


def test_a_proxy_that_refuses_is_reported_as_such(tmp_path: Path) -> None:
    seeds_template = generate_site(tmp_path / "site", 2)
    db = tmp_path / "news.db"
    with MockServer(root=tmp_path / "site") as site, ForwardingProxy(tmp_path / "p.jsonl", user="a:b") as proxy:
        seeds = write_seeds(tmp_path / "seeds.toml", site, seeds_template)
        result = run_crawl(seeds, db, allow_private=False, env={"http_proxy": proxy.url})
    assert f"proxy {proxy.url} refused the request (HTTP 407" in result.log, result.log
    assert re.search(rf"Proxy {re.escape(proxy.url)} refused \(\d+ requests?\)", result.log), result.log
