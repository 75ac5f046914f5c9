"""The host_backoff table: hosts the crawler waits for across runs (bot walls, long Retry-After)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database


@dataclass
class HostBackoff:
    not_before: datetime
    walls: int  # bot walls in a row; 0 for a Retry-After wait
    reason: str


def load_backoffs(db: Database) -> dict[str, HostBackoff]:
    if not db.table("host_backoff").exists():
        return {}
    return {
        host: HostBackoff(datetime.fromisoformat(not_before), walls, reason)
        for host, not_before, walls, reason in db.execute(
            "SELECT host, not_before, walls, reason FROM host_backoff"
        ).fetchall()
    }


def save_backoffs(db: Database, changed: dict[str, HostBackoff | None], now: datetime) -> None:
    """Upsert the hosts that changed this run; None: the host answered, its backoff is over."""
    with db.atomic():
        for host, state in changed.items():
            if state is None:
                db.execute("DELETE FROM host_backoff WHERE host = ?", [host])
            else:
                db.execute(
                    "INSERT INTO host_backoff (host, not_before, walls, reason, updated_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (host) DO UPDATE SET not_before = excluded.not_before, walls = excluded.walls, "
                    "reason = excluded.reason, updated_at = excluded.updated_at",
                    [host, state.not_before.isoformat(), state.walls, state.reason, now.isoformat()],
                )
