"""At the end of every crawl, a short table per source — new, updated, unchanged, dropped, not fetched,
blocked, errors — and the crawl's verdict: which sources no listing of could be obtained.

Every way a listing or article was not obtained is counted: download errors, unusable listings,
requests declined (robots.txt deferrals, refused addresses, robots.txt disallows, repeated redirects:
``*_not_fetched``/``*_redirect_repeated``) and bot walls (``*_blocked``). A source whose listings all
failed is named in the log; the crawl command turns the verdict into its exit status (``exit_status``).
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.archive.health import LISTING_FAILED, LISTING_OBTAINED
from crawler.context import CrawlContext
from crawler.items import Article
from crawler.proxies import environment_proxies, without_credentials

logger = logging.getLogger(__name__)

COLUMNS = ("new", "updated", "unchanged", "dropped", "not fetched", "blocked", "errors")

# Exit statuses of `scrapy crawl news` (README, "Operating it"); 2 (bad configuration) is the command's.
EXIT_OK = 0
EXIT_SOME_SOURCES_UNREACHED = 3
EXIT_NOTHING_REACHED = 4



def source_counts(stats: dict[str, Any], name: str) -> dict[str, int]:
    prefix = f"ingest/source/{name}/"
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}


def source_rows(stats: dict[str, Any], names: list[str]) -> list[tuple[str, dict[str, int]]]:
    rows = []
    for name in names:
        own = source_counts(stats, name)
        rows.append(
            (
                name,
                {
                    "new": own.get("new", 0),
                    "updated": own.get("updated", 0),
                    "unchanged": own.get("unchanged", 0),
                    "dropped": own.get("dropped", 0),
                    "not fetched": sum(v for k, v in own.items() if k.endswith(("_not_fetched", "_redirect_repeated"))),
                    "blocked": sum(v for k, v in own.items() if k.endswith("_blocked")),
                    "errors": sum(v for k, v in own.items() if k.endswith(("_errors", "_unextractable", "_not_html"))),
                },
            )
        )
    return rows


def unreached_sources(stats: dict[str, Any], names: list[str]) -> tuple[list[str], list[str]]:
    """(reached, unreached): a source is unreached when it tried listings and obtained none.
    A source that asked for nothing this run (every listing not yet due) is neither."""
    reached, unreached = [], []
    for name in names:
        own = source_counts(stats, name)
        if sum(own.get(k, 0) for k in LISTING_OBTAINED):
            reached.append(name)
        elif sum(own.get(k, 0) for k in LISTING_FAILED):
            unreached.append(name)
    return reached, unreached


def exit_status(stats: dict[str, Any]) -> int:
    """The crawl's exit status from the verdict the summary recorded in the stats."""
    unreached = int(stats.get("ingest/summary/sources_unreached", 0))
    if not unreached:
        return EXIT_OK
    return EXIT_NOTHING_REACHED if not stats.get("ingest/summary/sources_reached", 0) else EXIT_SOME_SOURCES_UNREACHED


def verdict(stats: dict[str, Any]) -> str | None:
    """The crawl's last line when it is not a success, naming the sources."""
    status = exit_status(stats)
    names = stats.get("ingest/summary/unreached_names", "")
    if status == EXIT_NOTHING_REACHED:
        return f"No listing of any source could be fetched ({names}): exit status {status}"
    if status == EXIT_SOME_SOURCES_UNREACHED:
        count = stats.get("ingest/summary/sources_unreached", 0)
        return f"{count} source(s) failed all their listings ({names}): exit status {status}"
    return None


def format_table(rows: list[tuple[str, dict[str, int]]]) -> str:
    width = max([len("source"), *(len(name) for name, _ in rows)])
    lines = ["source".ljust(width) + "".join(c.rjust(12) for c in COLUMNS)]
    for name, counts in rows:
        lines.append(name.ljust(width) + "".join(str(counts[c]).rjust(12) for c in COLUMNS))
    return "\n".join(lines)


class SourceSummaryExtension:
    def __init__(self, stats: StatsCollector, sources: list[str], proxies: list[str] | None = None) -> None:
        self.stats = stats
        self.sources = sources
        self.proxies = proxies or []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        proxies = sorted({without_credentials(url) for url in environment_proxies().values()})
        extension = cls(crawler.stats, list(CrawlContext.of(crawler).sources), proxies)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any) -> None:
        if isinstance(item, Article) and item.source:
            self.stats.inc_value(f"ingest/source/{item.source}/dropped")

    def spider_closed(self, reason: str) -> None:
        if not self.sources:
            return
        stats = self.stats.get_stats()
        table = format_table(source_rows(stats, self.sources))
        logger.info("Crawl finished (%s). Per source:\n%s", reason, table)
        proxy = ", ".join(self.proxies) or "the proxy"
        for event, key in (("unreachable", "ingest/proxy/unreachable"), ("refused", "ingest/proxy/refused")):
            count = stats.get(key, 0)
            if count:
                logger.error("Proxy %s %s (%d requests): sites behind it were not asked", proxy, event, count)
        reached, unreached = unreached_sources(stats, self.sources)
        self.stats.set_value("ingest/summary/sources_reached", len(reached))
        self.stats.set_value("ingest/summary/sources_unreached", len(unreached))
        if unreached:
            self.stats.set_value("ingest/summary/unreached_names", ", ".join(unreached))
            line = verdict(self.stats.get_stats())
            logger.error("%s", line)
