"""The crawl_runs table: one row per run, opened at start and completed at the end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database


def start_run(db: Database, *, seeds: str, now: datetime | None = None) -> int:
    with db.atomic():
        table = db.table("crawl_runs")
        table.insert({"started_at": (now or datetime.now(UTC)).isoformat(), "seeds": seeds})
        return int(table.last_pk)  # type: ignore[arg-type]


def finish_run(
    db: Database,
    run_id: int,
    *,
    reason: str,
    stats: dict[str, Any],
    counts: dict[str, int],
    now: datetime | None = None,
) -> None:
    with db.atomic():
        db.table("crawl_runs").update(
            run_id,
            {
                "finished_at": (now or datetime.now(UTC)).isoformat(),
                "finish_reason": reason,
                "stats": json.dumps(stats, default=str, sort_keys=True),
                **counts,
            },
        )


def mark_interrupted_runs(db: Database) -> int:
    """Runs that never finished (killed, crashed) get finish_reason 'interrupted'; how many."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE crawl_runs SET finish_reason = 'interrupted' WHERE finished_at IS NULL AND finish_reason IS NULL"
        )
        return cursor.rowcount
