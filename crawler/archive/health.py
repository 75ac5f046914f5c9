"""Per-source health across runs, from crawl_runs (each run's per-source stats) and the articles.

Read-only, for `scrapy sources` and monitoring. A run's verdict on a source is read from its
``ingest/source/<name>/...`` stats: a listing obtained (read, or answered "unchanged"), or listings
tried and none obtained — blocked when a bot wall answered, failed otherwise.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

# Per-source events: a listing obtained, and a listing not obtained (the crawl summary uses them too).
LISTING_OBTAINED = ("feeds_fetched", "sitemaps_fetched", "pages_fetched", "listings_unchanged")
LISTING_BLOCKED = ("feed_blocked", "sitemap_blocked", "page_blocked")
LISTING_FAILED = tuple(
    f"{kind}_{event}"
    for kind in ("feed", "sitemap", "page")
    for event in ("errors", "not_fetched", "blocked", "redirect_repeated")
)
STATES = ("ok", "quiet", "failing", "blocked")
MEDIAN_DAYS = 28  # the window of the source's own usual rate


@dataclass(frozen=True)
class SourceHealth:
    source: str
    state: str
    last_listing_at: str | None
    last_new_article_at: str | None
    new_per_day_7d: float
    median_per_day: float
    consecutive_failed_runs: int
    last_run_blocked: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_outcome(stats: dict[str, Any], name: str) -> str | None:
    """ "obtained", "blocked", "failed", or None when the run did not ask for this source's listings."""
    prefix = f"ingest/source/{name}/"

    def count(keys: tuple[str, ...]) -> int:
        return sum(int(stats.get(prefix + key, 0) or 0) for key in keys)

    if count(LISTING_OBTAINED):
        return "obtained"
    if count(LISTING_BLOCKED):
        return "blocked"
    if count(LISTING_FAILED):
        return "failed"
    return None


def judge(
    *,
    consecutive_failed: int,
    last_blocked: bool,
    last_new_age: timedelta | None,
    median_per_day: float,
    failing_runs: int,
) -> str:
    """The state of a source; pure. Blocked wins over failing: it says what to do about it."""
    if last_blocked:
        return "blocked"
    if consecutive_failed >= failing_runs:
        return "failing"
    usual_gap = timedelta(days=1 / median_per_day) if median_per_day > 0 else timedelta(days=1)
    if last_new_age is None or last_new_age > max(timedelta(days=1), 3 * usual_gap):
        return "quiet"
    return "ok"


def source_health(db: Database, now: datetime, *, failing_runs: int = 3) -> list[SourceHealth]:
    runs = [
        (row[0] or row[1], json.loads(row[2] or "{}"))
        for row in db.execute(
            "SELECT finished_at, started_at, stats FROM crawl_runs WHERE finished_at IS NOT NULL ORDER BY id DESC"
        ).fetchall()
    ]
    names = [row[0] for row in db.execute("SELECT name FROM sources ORDER BY name").fetchall()]
    seen = {n for _, stats in runs for n in _sources_in(stats)}
    names += sorted(seen - set(names))
    rows = []
    for name in names:
        outcomes = [(at, run_outcome(stats, name)) for at, stats in runs]
        outcomes = [(at, o) for at, o in outcomes if o is not None]
        consecutive = 0
        for _, outcome in outcomes:
            if outcome == "obtained":
                break
            consecutive += 1
        last_listing = next((at for at, o in outcomes if o == "obtained"), None)
        stored = [
            datetime.fromisoformat(row[0])
            for row in db.execute(
                "SELECT first_stored_at FROM articles WHERE source = ? AND first_stored_at IS NOT NULL", [name]
            ).fetchall()
        ]
        last_new = max(stored) if stored else None
        week = sum(1 for at in stored if now - at <= timedelta(days=7))
        median = _median_per_day(stored, now)
        state = judge(
            consecutive_failed=consecutive,
            last_blocked=bool(outcomes) and outcomes[0][1] == "blocked",
            last_new_age=now - last_new if last_new else None,
            median_per_day=median,
            failing_runs=failing_runs,
        )
        rows.append(
            SourceHealth(
                source=name,
                state=state,
                last_listing_at=last_listing,
                last_new_article_at=last_new.isoformat() if last_new else None,
                new_per_day_7d=round(week / 7, 2),
                median_per_day=median,
                consecutive_failed_runs=consecutive,
                last_run_blocked=bool(outcomes) and outcomes[0][1] == "blocked",
            )
        )
    return rows


def _median_per_day(stored: list[datetime], now: datetime) -> float:
    """Median of new articles per day over the source's days in the last MEDIAN_DAYS (since its first)."""
    if not stored:
        return 0.0
    first = max(min(stored), now - timedelta(days=MEDIAN_DAYS))
    days = max(1, (now.date() - first.date()).days + 1)
    per_day = Counter(at.date() for at in stored if at >= first)
    return float(statistics.median(per_day.get((now - timedelta(days=i)).date(), 0) for i in range(days)))


def _sources_in(stats: dict[str, Any]) -> set[str]:
    return {key.split("/")[2] for key in stats if key.startswith("ingest/source/") and key.count("/") >= 3}
