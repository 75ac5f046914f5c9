"""`scrapy sources [--format table|json|prometheus]`: per-source health across runs, for operators
and monitoring. Exits 1 when any source is `failing` or `blocked`, so a check can call it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive import open_db
from crawler.archive.health import STATES, SourceHealth, source_health

EXIT_UNHEALTHY = 1
PREFIX = "news_ingest_source_"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--format table|json|prometheus]"

    def short_desc(self) -> str:
        return "Per-source health across runs: last listing, last new article, rate, failed runs, state"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", choices=("table", "json", "prometheus"), default="table")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        db_path = Path(self.settings.get("INGEST_DB_PATH"))
        if not db_path.exists():
            raise UsageError(f"{db_path}: no such database (set INGEST_DB_PATH)")
        failing_runs = self.settings.getint("INGEST_SOURCES_FAILING_RUNS")
        now = datetime.now(UTC)
        db = open_db(db_path)
        try:
            rows = source_health(db, now, failing_runs=failing_runs)
        finally:
            db.close()
        if opts.format == "json":
            sys.stdout.write(json.dumps([row.as_dict() for row in rows], indent=2) + "\n")
        elif opts.format == "prometheus":
            sys.stdout.write(prometheus(rows, now))
        else:
            sys.stdout.write(table(rows, now))
        if any(row.state in ("failing", "blocked") for row in rows):
            self.exitcode = EXIT_UNHEALTHY


def age(when: str | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = max(0, int((now - datetime.fromisoformat(when)).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _seconds(when: str | None, now: datetime) -> float:
    return (now - datetime.fromisoformat(when)) / timedelta(seconds=1) if when else float("nan")


COLUMNS = ("source", "state", "last listing", "last new", "new/day 7d", "median/day", "failed runs")


def table(rows: list[SourceHealth], now: datetime) -> str:
    cells = [
        (
            r.source,
            r.state,
            age(r.last_listing_at, now),
            age(r.last_new_article_at, now),
            f"{r.new_per_day_7d:g}",
            f"{r.median_per_day:g}",
            str(r.consecutive_failed_runs),
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [COLUMNS, *cells]) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in [COLUMNS, *cells]
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def prometheus(rows: list[SourceHealth], now: datetime) -> str:
    """Gauges in the text exposition format, for node_exporter's textfile collector."""
    gauges = (
        ("state", "1 for the source's current state (ok, quiet, failing, blocked), 0 for the others"),
        ("last_listing_age_seconds", "seconds since a listing of the source was last obtained (NaN: never)"),
        ("last_new_article_age_seconds", "seconds since the source's last new article (NaN: never)"),
        ("new_articles_per_day_7d", "new articles per day over the last 7 days"),
        ("new_articles_per_day_median", "the source's own median of new articles per day"),
        ("consecutive_failed_runs", "runs in a row without one listing obtained"),
    )
    out = []
    for name, help_text in gauges:
        out += [f"# HELP {PREFIX}{name} {help_text}", f"# TYPE {PREFIX}{name} gauge"]
        for r in rows:
            label = f'source="{_escape(r.source)}"'
            if name == "state":
                out += [f'{PREFIX}state{{{label},state="{s}"}} {int(r.state == s)}' for s in STATES]
                continue
            value = {
                "last_listing_age_seconds": _seconds(r.last_listing_at, now),
                "last_new_article_age_seconds": _seconds(r.last_new_article_at, now),
                "new_articles_per_day_7d": r.new_per_day_7d,
                "new_articles_per_day_median": r.median_per_day,
                "consecutive_failed_runs": r.consecutive_failed_runs,
            }[name]
            out.append(f"{PREFIX}{name}{{{label}}} {_number(value)}")
    return "\n".join(out) + "\n"


def _number(value: float) -> str:
    if value != value:  # NaN
        return "NaN"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
