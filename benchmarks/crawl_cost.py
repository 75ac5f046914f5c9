"""What a crawl costs per page, against the floors under it: fetching and trafilatura.

    nice -n 5 .venv/bin/python -m benchmarks.crawl_cost [--pages N] [--quick] [--page-kb K]
        (default 2000 pages of ~60 KB; --quick: 200 pages)

Generates a synthetic site (tests/sitegen.py: article pages with JSON-LD, a figure, furniture, listed in
feeds of 500), pads each article page with the furniture of a real news page to about K KB (a nav of 60
links, a "most read" box, related-story cards, reader comments, inline scripts and JSON-LD, a footer of
40 links; the article itself is unchanged: real pages are 50–150 KB, and trafilatura's cost grows with the
page, not the article), serves it on 127.0.0.1 from a subprocess and measures, in one run, side by side:

* fetch floor: a bare Scrapy spider (defined here, run in its own process) that requests the same article
  URLs with the crawl's Scrapy settings (concurrency, robots.txt, AutoThrottle, timeouts, cookies off) and
  does nothing with the responses;
* extraction floor: bare `trafilatura.extract(text)` (defaults) over the same page bodies as served,
  in this process;
* crawl: the real `scrapy crawl news` into a fresh SQLite file, with the project's settings.

CPU is user + system time of the crawler's own process (os.wait4 on its pid: the mock server, another
process, is never counted). Each process also pays a fixed start-up (imports, the database, robots.txt,
the feeds); it is measured by running both processes once over an empty feed and subtracted, so the
per-page figures are marginal costs ("raw" includes start-up). Prints CPU ms per page of each, the crawl
over the sum of both floors, our own cost per page (crawl − floors) and the crawl's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

from benchmarks.furniture import SECTIONS, card, comment, headline, link, script
from tests.conftest import ROOT, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site

QUICK_PAGES = 200
PAGE_KB = 60
# The crawl's Scrapy settings that shape fetching; the floor spider gets exactly these values.
FETCH_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "COOKIES_ENABLED", "TELNETCONSOLE_ENABLED", "REFERRER_POLICY", "RETRY_TIMES", "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "REDIRECT_MAX_TIMES", "METAREFRESH_ENABLED", "URLLENGTH_LIMIT",
    "DEPTH_LIMIT", "LOG_LEVEL",
)  # fmt: skip
EMPTY_FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Empty</title>'
    "<link>{{base}}/</link></channel></rss>\n"
)


class FetchFloorSpider(Spider):
    """Requests every URL of a file, one per line, and throws the responses away."""

    name = "fetch_floor"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls

    async def start(self) -> Any:
        for url in Path(self.urls_file).read_text(encoding="utf-8").split():
            yield Request(url, callback=self.parse)

    def parse(self, response: Response) -> None:
        # Not a generator: Scrapy re-reads a generator callback's source (inspect + ast) on every
        # response to warn about `return value`, and that cost is the crawl's to avoid, not the floor's.
        return None


def run_fetch_floor(urls_file: Path) -> None:
    """Runs in the child process: the floor spider with the crawl's fetch settings, nothing else."""
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as ours

    settings = {name: getattr(ours, name) for name in FETCH_SETTINGS}
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(FetchFloorSpider, urls=str(urls_file))
    process.start()


@dataclass
class ProcessCost:
    cpu_seconds: float
    wall_seconds: float
    max_rss_mib: float


def measure(command: list[str], log: Path) -> ProcessCost:
    """Run a command; CPU and peak RSS of that process alone (and of children it waited for)."""
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])} failed ({process.returncode}):\n{log.read_text()[-3000:]}")
    return ProcessCost(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def fetch_floor(urls: list[str], work: Path, name: str) -> ProcessCost:
    urls_file = work / f"{name}-urls.txt"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "benchmarks.crawl_cost", "--fetch-floor", str(urls_file)]
    return measure(command, work / f"{name}.log")


def crawl(seeds: Path, work: Path, name: str) -> tuple[ProcessCost, dict[str, Any]]:
    db = work / f"{name}.db"
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}", "-s", f"INGEST_DB_PATH={db}",
        "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true", "-s", "INGEST_PROGRESS_INTERVAL=0",
    ]  # fmt: skip
    cost = measure(command, work / f"{name}.log")
    stats = json.loads(sqlite_value(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    return cost, stats


def sqlite_value(db: Path, sql: str) -> Any:
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def extraction_floor(pages: list[Path], base_url: str) -> float:
    """CPU seconds of bare trafilatura.extract over the pages' bodies as the server sends them."""
    import trafilatura

    from crawler.pages import decode_page

    texts = [decode_page(page.read_bytes().replace(b"{{base}}", base_url.encode()))[0] for page in pages]
    trafilatura.extract(texts[0])  # warm up: lazy imports and caches are start-up, not per page
    started = time.process_time()
    for text in texts:
        trafilatura.extract(text)
    return time.process_time() - started


def pad_page(page: str, number: int, kb: int) -> str:
    """The page with a real news page's furniture around the article, to about ``kb`` KB."""
    rng = random.Random(number)
    site_rng = random.Random(0)  # nav, footer and most read: the same on every page, as on a real site
    nav = "".join(f"<li>{link(site_rng, site_rng.choice(SECTIONS).title())}</li>" for _ in range(60))
    footer = "".join(f"<li>{link(site_rng, headline(site_rng, 1, 3))}</li>" for _ in range(40))
    most_read = "".join(f"<li><span>{i + 1}</span> {link(site_rng, headline(site_rng))}</li>" for i in range(10))
    json_ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList", '
        '"itemListElement": [{"@type": "ListItem", "position": 1, "name": "News", "item": "{{base}}/news/"}]}'
        '</script>\n<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Organization", "name": "Synthetic Gazette", "logo": "{{base}}/logo.png", "sameAs": '
        '["https://social.example/gazette", "https://video.example/gazette"]}</script>\n'
    )
    head = json_ld + "".join(script(site_rng) for _ in range(4))
    cards: list[str] = []
    comments: list[str] = []
    scripts: list[str] = []

    def assembled() -> str:
        padded = page.replace("</head>", head + "</head>", 1)
        padded = padded.replace("</nav></header>", f'</nav><nav class="sections"><ul>{nav}</ul></nav></header>', 1)
        padded = padded.replace(
            "<aside><h3>Most read</h3><ul><li>",
            f'<aside class="most-read"><h3>Most read</h3><ol>{most_read}</ol><ul><li>',
            1,
        )
        padded = padded.replace(
            "</article>",
            '</article>\n<section class="related"><h3>More on this story</h3>' + "".join(cards) + "</section>\n"
            '<section class="comments"><h3>Comments</h3><p class="comment-rules">Comments are moderated.</p><ol>'
            + "".join(comments)
            + "</ol></section>",
            1,
        )
        return padded.replace("<footer>", f'<footer><ul class="footer-links">{footer}</ul>' + "".join(scripts), 1)

    target = kb * 1024
    while len(padded := assembled()) < target:
        # Real pages' bytes are mostly teasers, comments and scripts: fill in that mix, bounded like a real page.
        if len(cards) < 24:
            cards.append(card(rng))
        if len(comments) < 40:
            comments.append(comment(rng, len(comments)))
        if len(comments) % 2 == 0 or len(cards) == 24:
            scripts.append(script(rng))
    return padded


def article_paths(site: Path) -> list[Path]:
    return sorted((site / "news").rglob("*.html"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=2000, help="article pages on the site (default 2000)")
    parser.add_argument("--quick", action="store_true", help=f"a fast check on {QUICK_PAGES} pages")
    parser.add_argument(
        "--page-kb", type=int, default=PAGE_KB, help=f"pad article pages to about K KB (default {PAGE_KB}; 0: unpadded)"
    )
    parser.add_argument("--fetch-floor", type=Path, help=argparse.SUPPRESS)  # the floor spider's own process
    args = parser.parse_args(argv)
    if args.fetch_floor:
        run_fetch_floor(args.fetch_floor)
        return
    count = QUICK_PAGES if args.quick else args.pages
    with tempfile.TemporaryDirectory(prefix="crawl-cost-") as tmp_name:
        work = Path(tmp_name)
        site = work / "site"
        template = generate_site(site, count)
        (site / "feeds" / "empty.rss").write_text(EMPTY_FEED, encoding="utf-8")
        empty_template = work / "empty-seeds.toml"
        empty_template.write_text('[[source]]\nname = "gazette"\nfeeds = ["{{base}}/feeds/empty.rss"]\n')
        pages = article_paths(site)
        if args.page_kb:
            for number, page in enumerate(pages):
                page.write_text(pad_page(page.read_text(encoding="utf-8"), number, args.page_kb), encoding="utf-8")
        with MockServer(root=site) as server:
            seeds = write_seeds(work / "seeds.toml", server, template)
            empty_seeds = write_seeds(work / "empty.toml", server, empty_template)
            urls = [server.urljoin(str(page.relative_to(site))) for page in pages]
            fetch_start = fetch_floor([], work, "fetch-empty")
            fetch = fetch_floor(urls, work, "fetch")
            crawl_start, _ = crawl(empty_seeds, work, "crawl-empty")
            full, stats = crawl(seeds, work, "crawl")
            extract_cpu = extraction_floor(pages, server.url)
        stored = stats.get("ingest/storage/new", 0)
        fetched = stats.get("ingest/spider/articles_requested", 0)
        page_kb = sum(page.stat().st_size for page in pages) / len(pages) / 1024
    report(count, fetch_start, fetch, extract_cpu, crawl_start, full, stored, fetched, page_kb)


def report(
    count: int,
    fetch_start: ProcessCost,
    fetch: ProcessCost,
    extract_cpu: float,
    crawl_start: ProcessCost,
    full: ProcessCost,
    stored: int,
    fetched: int,
    page_kb: float,
) -> None:
    def per_page(seconds: float) -> float:
        return seconds * 1000 / count

    fetch_ms = per_page(fetch.cpu_seconds - fetch_start.cpu_seconds)
    extract_ms = per_page(extract_cpu)
    crawl_ms = per_page(full.cpu_seconds - crawl_start.cpu_seconds)
    print(f"site: {count} article pages of {page_kb:.1f} KB on average; crawl requested {fetched}, stored {stored} new")
    print(f"{'':<22}{'CPU ms/page':>12}{'raw ms/page':>12}{'start-up s':>11}{'wall s':>9}{'peak RSS MB':>12}")
    rows = [
        ("fetch floor (Scrapy)", fetch_ms, per_page(fetch.cpu_seconds), fetch_start.cpu_seconds, fetch),
        ("extraction floor", extract_ms, extract_ms, None, None),
        ("crawl (scrapy crawl)", crawl_ms, per_page(full.cpu_seconds), crawl_start.cpu_seconds, full),
    ]
    for name, marginal, raw, start, cost in rows:
        start_text = f"{start:>11.2f}" if start is not None else f"{'':>11}"
        wall = f"{cost.wall_seconds:>9.1f}{cost.max_rss_mib:>12.1f}" if cost else ""
        print(f"{name:<22}{marginal:>12.2f}{raw:>12.2f}{start_text}{wall}")
    floors = fetch_ms + extract_ms
    print(f"crawl / (fetch + extraction floors): {crawl_ms / floors:.2f}x")
    print(f"our own cost (crawl - both floors): {crawl_ms - floors:.2f} ms/page ({(crawl_ms - floors) / crawl_ms:.0%})")
    print(f"crawl peak RSS: {full.max_rss_mib:.1f} MB")


if __name__ == "__main__":
    main()
