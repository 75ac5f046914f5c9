"""End to end: a crawl of a hostile site finishes, stores exactly its valid articles, and gives every
bad input a named outcome — counted under an ingest/* stat, logged with its URL and reason.

The site is generated at test time (tests/hostile/site.py): every case lives under /cases/<kind>/,
so its log lines and stored articles are found by that prefix. CASES is the whole contract.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_seeds
from tests.hostile.shared import as_dict, launch_crawl, run_once
from tests.hostile.site import GERMAN_TITLE, build_refusal_site, build_site
from tests.mockserver import MockServer

SPIDER = "ingest/spider/"
# The bad-input crawls' timeout; the slow case waits tests.hostile.site.SLOW_SECONDS.
CRAWL_ARGS = ("-s", "DOWNLOAD_TIMEOUT=2")
# The per-page extraction budget (crawler.extraction.article) is young: these cases must be counted
# somewhere under ingest/, by whichever named reason, and must not stop the crawl.
BUDGET_STATS = (
    r"ingest/(spider/articles_unextractable|spider/articles_over_budget|extraction/.*|budget/.*|required/empty_body)"
)


@dataclass(frozen=True)
class Case:
    kind: str
    outcome: str
    stats: dict[str, int] = field(default_factory=dict)  # what this case adds to each ingest/* stat, exactly
    log: str | None = None  # regex for a log line that also holds the case's URL
    stored: int = 0  # articles stored from /cases/<kind>/
    crawl: str = "hostile"  # "refusal": the crawl with INGEST_ALLOW_PRIVATE_NETWORKS off
    counted_under: str | None = None  # a stat-key regex, where the exact stat is not settled yet

    @property
    def counts(self) -> dict[str, int]:
        """Every stat this case adds to, stored articles included."""
        return {**self.stats, **({STORED: self.stored} if self.stored else {})}


STORED = "ingest/storage/new"
NOT_FETCHED = SPIDER + "article_not_fetched"
ERRORS = SPIDER + "article_errors"
UNEXTRACTABLE = SPIDER + "articles_unextractable"
INVALID = SPIDER + "entries_invalid"
ENTITIES = SPIDER + "entity_declarations_ignored"
BOMB = r"not fetched: Ignored response .* exceeded DOWNLOAD_MAXSIZE \(33554432 B\) during decompression"

CASES = (
    Case("valid", "stored", stored=5),
    Case("gzip_bomb", "not fetched: 1 GiB inflated, stopped at 32 MiB", {NOT_FETCHED: 1}, BOMB),
    Case("deflate_bomb", "not fetched: 1 GiB inflated, stopped at 32 MiB", {NOT_FETCHED: 1}, BOMB),
    Case("brotli_bomb", "not fetched: 1 GiB inflated, stopped at 32 MiB", {NOT_FETCHED: 1}, BOMB),
    Case("nested_gzip_bomb", "not fetched: gzip in gzip, 4 GiB, stopped at 32 MiB", {NOT_FETCHED: 1}, BOMB),
    Case("feed_gzip_bomb", "feed not fetched", {SPIDER + "feed_not_fetched": 1}, BOMB),
    Case("gzipped_sitemap_bomb", "sitemap unusable", {SPIDER + "sitemap_errors": 1}, r"is unusable: decompressed size exceeds 33554432 bytes"),
    Case("rss_xxe", "entity not expanded; bad item skipped; good item stored", {ENTITIES: 1, INVALID: 1}, r"declares XML entities", stored=1),
    Case("rss_billion_laughs", "entities not expanded; item stored", {ENTITIES: 1}, r"declares XML entities", stored=1),
    Case("sitemap_xxe", "entity not expanded; bad <loc> skipped; good one stored", {ENTITIES: 1, INVALID: 1}, r"declares XML entities", stored=1),
    Case("sitemap_billion_laughs", "entities not expanded; bad <loc> skipped", {ENTITIES: 1, INVALID: 1}, r"declares XML entities", stored=1),
    Case("malformed_feed", "3 broken items skipped, 4 valid items stored", {INVALID: 3}, r"skipped an entry: item \d+ .*no link", stored=4),
    Case("redirect_loop", "dropped at the loop", {SPIDER + "article_redirect_repeated": 1}, r"already requested this run \(a redirect loop\)"),
    Case("redirect_chain_25", "not fetched after 10 hops", {NOT_FETCHED: 1}, r"hop-10\.html not fetched: max redirections reached"),
    Case("redirect_to_file", "redirect not followed", {ERRORS: 1}, r"failed: HTTP 302: redirect to file:///etc/passwd not followed"),
    Case("cross_domain_redirect", "followed to 127.0.0.2; no Cookie/Authorization sent", stored=1),
    Case("png_as_html", "unextractable", {UNEXTRACTABLE: 1}, r"nothing extracted: not HTML: binary content"),
    Case("pdf_as_html", "unextractable", {UNEXTRACTABLE: 1}, r"nothing extracted: not HTML"),
    Case("undeclared_cp1252", "stored, umlauts right", stored=1),
    Case("cp1252_declared_utf8", "stored, umlauts right", stored=1),
    Case("utf8_declared_latin1", "stored, umlauts right", stored=1),
    Case("charset_not_a_text_codec", "stored: charset=base64 ignored, umlauts right", stored=1),
    Case("relative_date_overflow", "stored; 'vor 1000000 Tagen' ignored, no date", stored=1),
    Case("truncated_body", "retried, then failed", {ERRORS: 1}, r"failed: .*(DataLoss|ResponseFailed)"),
    Case("empty_200", "unextractable", {UNEXTRACTABLE: 1}, r"nothing extracted: empty document"),
    Case("soft_404", "dropped: SoftNotFound", {"ingest/required/soft_not_found": 1}, r"Dropped: .*an error page served as 200"),
    Case("table_30mb", "dropped or unextractable, named", log=r"nothing extracted|Dropped: ", counted_under=BUDGET_STATS),
    Case("deep_nesting", "dropped or unextractable, named", log=r"nothing extracted|Dropped: ", counted_under=BUDGET_STATS),
    Case("endless_500", "retried, then failed", {ERRORS: 1}, r"failed: HTTP 500"),
    Case("timeout", "retried, then failed", {ERRORS: 1}, r"failed: .*took longer than 2\.0 seconds"),
    Case("not_found_404", "failed", {ERRORS: 1}, r"failed: HTTP 404"),
    Case("future_dated", "stored without its date", {"ingest/dates/published_at_future": 1}, r"published_at 2099-\S+ is future; not stored", stored=1),
    Case("dated_1970", "stored without its date", {"ingest/dates/published_at_too_old": 1}, r"published_at 1970-\S+ is too old; not stored", stored=1),
    Case("feed_10000_entries", "first 2000 taken (robots.txt refuses them), 8000 counted over the cap", {SPIDER + "entries_over_limit": 8000, NOT_FETCHED: 2000}, r"lists 10000 entries; taking 2000 this run"),
    Case("url_5000_chars", "entry skipped", {INVALID: 1}, r"skipped an entry: URL longer than 2083 characters"),
    Case("page_10000_links", "a section page: first 2000 links taken (robots.txt refuses them), 8000 counted over the cap", {SPIDER + "entries_over_limit": 8000, NOT_FETCHED: 2000}, r"lists 10000 entries; taking 2000 this run"),
    Case("endless_pagination", "two pages read (INGEST_PAGES_MAX_PAGINATION), the rest counted", {SPIDER + "pagination_followed": 1, SPIDER + "pagination_over_limit": 1}),
    Case("calendar_archive", "calendar archive links are not listings: the article behind one is never reached"),
    Case("session_ids", "one article under three session ids: fetched and stored once", stored=1),
    Case("sitemap_trap", "stopped at depth 3", {SPIDER + "sitemap_errors": 1}, r"is unusable: sitemap indexes nested deeper than 3"),
    # INGEST_ALLOW_PRIVATE_NETWORKS off; both seed hosts (127.0.0.1:port, 127.0.0.2:port) trusted.
    Case("seed_host_trusted", "stored", stored=1, crawl="refusal"),
    Case("redirect_to_loopback_other_port", "refused", {"ingest/addresses/refused": 1, NOT_FETCHED: 1}, r"Refused .*: address 127\.0\.0\.1 is private", crawl="refusal"),
    Case("link_to_loopback_other_port", "refused", {"ingest/addresses/refused": 1, NOT_FETCHED: 1}, r"Refused .*: address 127\.0\.0\.1 is private", crawl="refusal"),
    Case("redirect_to_sister_seed_host", "followed: a seed host is trusted", stored=1, crawl="refusal"),
)  # fmt: skip


@dataclass
class Crawl:
    returncode: int
    seconds: float
    peak_rss_kib: int
    log: str
    db: Path
    base: str
    root: Path
    requests: dict[str, list[dict[str, Any]]]  # server name -> its request log

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        connection = sqlite3.connect(self.db)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(sql, params)]
        finally:
            connection.close()

    @property
    def stats(self) -> dict[str, Any]:
        return dict(json.loads(self.query("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]["stats"]))

    def articles(self, kind: str | None = None) -> list[dict[str, Any]]:
        rows = self.query("SELECT * FROM articles ORDER BY url")
        return [row for row in rows if kind is None or f"/cases/{kind}/" in row["url"]]


def _crawl(result: dict[str, Any]) -> Crawl:
    return Crawl(
        returncode=result["returncode"],
        seconds=result["seconds"],
        peak_rss_kib=result["peak_rss_kib"],
        log=Path(result["log_path"]).read_text(encoding="utf-8", errors="replace"),
        db=Path(result["db"]),
        base=result["base"],
        root=Path(result["root"]),
        requests=result["requests"],
    )


def _hostile(work: Path) -> dict[str, Any]:
    root = work / "site"
    root.mkdir(parents=True)
    with MockServer(root=root) as server, MockServer(root=root, host="127.0.0.2") as sister:
        site = build_site(root, other_base=sister.url)
        seeds = write_seeds(work / "seeds.toml", server, site.seeds)
        run = launch_crawl(seeds, work / "news.db", work / "crawl.log", *CRAWL_ARGS, timeout=240)
        requests = {"site": server.log_entries(), "sister": sister.log_entries()}
        base = server.url
    return {**as_dict(run), "db": str(work / "news.db"), "base": base, "root": str(root), "requests": requests}


def _refusal(work: Path) -> dict[str, Any]:
    root = work / "site"
    root.mkdir(parents=True)
    with (
        MockServer(root=root) as server,
        MockServer(root=root, host="127.0.0.2") as sister,
        MockServer(root=root) as internal,
    ):
        site = build_refusal_site(root, sister_base=sister.url, internal_base=internal.url)
        seeds = write_seeds(work / "seeds.toml", server, site.seeds)
        run = launch_crawl(seeds, work / "news.db", work / "crawl.log", *CRAWL_ARGS, allow_private=False)
        requests = {"site": server.log_entries(), "sister": sister.log_entries(), "internal": internal.log_entries()}
        base = server.url
    return {**as_dict(run), "db": str(work / "news.db"), "base": base, "root": str(root), "requests": requests}


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return _crawl(run_once(tmp_path_factory, "hostile", _hostile))


@pytest.fixture(scope="module")
def refusal_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return _crawl(run_once(tmp_path_factory, "refusal", _refusal))


def crawl_of(request: pytest.FixtureRequest, name: str) -> Crawl:
    crawl = request.getfixturevalue(f"{name}_crawl")
    assert isinstance(crawl, Crawl)
    return crawl


# --- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_bad_input_has_its_outcome(case: Case, request: pytest.FixtureRequest) -> None:
    crawl = crawl_of(request, case.crawl)
    prefix = f"/cases/{case.kind}/"
    assert len(crawl.articles(case.kind)) == case.stored
    stats = crawl.stats
    for key, count in case.counts.items():
        assert stats.get(key, 0) >= count, key
    if case.counted_under:
        assert any(re.fullmatch(case.counted_under, key) and value for key, value in stats.items()), stats
    if case.log:
        lines = [line for line in crawl.log.splitlines() if prefix in line]
        assert any(re.search(case.log, line) for line in lines), lines[-5:]


@pytest.mark.parametrize("name", ["hostile", "refusal"])
def test_every_count_adds_up(name: str, request: pytest.FixtureRequest) -> None:
    """Each stat the table names holds exactly what its cases add, and nothing else adds to it."""
    crawl = crawl_of(request, name)
    cases = [case for case in CASES if case.crawl == name]
    exact: dict[str, int] = {}
    for case in cases:
        for key, count in case.counts.items():
            exact[key] = exact.get(key, 0) + count
    # A case whose stat is not settled yet may add one to any key its pattern matches.
    slack = {key: sum(1 for c in cases if c.counted_under and re.fullmatch(c.counted_under, key)) for key in exact}
    stats = crawl.stats
    for key, count in exact.items():
        assert count <= stats.get(key, 0) <= count + slack[key], key
    assert stats.get(STORED, 0) == len(crawl.articles())


@pytest.mark.parametrize("name", ["hostile", "refusal"])
def test_crawl_finishes_cleanly_in_bounded_time_and_memory(name: str, request: pytest.FixtureRequest) -> None:
    crawl = crawl_of(request, name)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.seconds < 120
    assert crawl.peak_rss_kib < 1024 * 1024, "the crawl used more than 1 GiB"
    assert crawl.query("SELECT finish_reason FROM crawl_runs") == [{"finish_reason": "finished"}]
    for marker in ("Traceback", "Unhandled error", "Spider error processing", "Error processing", "Error caught"):
        assert marker not in crawl.log
    # Scrapy's retry middleware reports giving up at ERROR; the spider's errback then names the outcome.
    expected = r"Gave up retrying <GET \S+/cases/(truncated_body|endless_500|timeout)/"
    errors = [line for line in crawl.log.splitlines() if "] ERROR: " in line]
    assert all(re.search(expected, line) for line in errors), errors


def test_no_local_file_content_reaches_the_database(hostile_crawl: Crawl) -> None:
    connection = sqlite3.connect(hostile_crawl.db)
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    assert "root:x:0:0" not in dump and "/usr/sbin/nologin" not in dump
    assert "lollollol" not in dump


def test_wrong_and_missing_charsets_still_give_the_right_umlauts(hostile_crawl: Crawl) -> None:
    for kind in ("undeclared_cp1252", "cp1252_declared_utf8", "utf8_declared_latin1", "charset_not_a_text_codec"):
        (article,) = hostile_crawl.articles(kind)
        assert article["title"].startswith(GERMAN_TITLE.rsplit(" ", 1)[0]), kind
        assert "Die Bürgerinnen und Bürger" in article["body"] and "Straßenbahn fährt" in article["body"], kind
        assert "Ã" not in article["body"] + article["title"] and "\ufffd" not in article["body"], kind


def test_impossible_dates_are_not_stored_but_the_articles_are(hostile_crawl: Crawl) -> None:
    for kind in ("future_dated", "dated_1970", "relative_date_overflow"):
        (article,) = hostile_crawl.articles(kind)
        assert article["published_at"] is None
    assert {a["published_at"] for a in hostile_crawl.articles("valid")} == {"2024-03-01T09:00:00+00:00"}


def test_cross_domain_redirects_carry_no_credentials(hostile_crawl: Crawl) -> None:
    # The redirecting response sets a cookie; cookies are off by default (COOKIES_ENABLED), and
    # Scrapy's redirect middleware drops Cookie and Authorization on a change of host besides.
    sister = hostile_crawl.requests["sister"]
    assert [e["path"] for e in sister if "/cases/" in e["path"]] == ["/cases/cross_domain_redirect/article.html"]
    for entry in hostile_crawl.requests["site"] + sister:
        assert not {"Cookie", "Authorization"} & set(entry["headers"]), entry
    (article,) = hostile_crawl.articles("cross_domain_redirect")
    assert article["url"].startswith("http://127.0.0.2:")


def test_an_internal_endpoint_is_never_contacted(refusal_crawl: Crawl) -> None:
    assert refusal_crawl.requests["internal"] == []


def test_listings_over_the_cap_and_robots_txt_cost_no_requests(hostile_crawl: Crawl) -> None:
    paths = [entry["path"] for entry in hostile_crawl.requests["site"]]
    assert not [p for p in paths if "/disallowed/" in p]
    assert not [p for p in paths if p.endswith(tuple(f"/hop-{hop}.html" for hop in range(11, 26)))]
    assert len([p for p in paths if "/sitemap_trap/" in p]) == 4  # depths 0 to 3, then the cap
    assert len(paths) < 150


def test_the_table_covers_every_case_the_sites_have(hostile_crawl: Crawl, refusal_crawl: Crawl) -> None:
    on_disk = {path.name for crawl in (hostile_crawl, refusal_crawl) for path in (crawl.root / "cases").iterdir()}
    # Cases that are only a link: nothing behind it on disk.
    assert on_disk | {"url_5000_chars", "not_found_404"} == {case.kind for case in CASES}
    assert len(CASES) - 2 >= 25  # kinds of bad input, not counting the two rows of valid articles
