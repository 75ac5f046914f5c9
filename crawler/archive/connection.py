"""Open the archive database: WAL, a generous busy timeout, and every pending migration applied."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from crawler.archive.lock import MigrationLock
from crawler.archive.migrations import MIGRATIONS

# A reader (an export, a `sqlite3` shell) may hold the database briefly; the crawler waits for it
# rather than failing with "database is locked".
BUSY_TIMEOUT_MS = 30_000


def open_db(path: str | Path, *, migrate: bool = True) -> Database:
    path = Path(path)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    # NORMAL is durable across process crashes in WAL mode; only a power loss may drop the last commits.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    if migrate and MIGRATIONS.pending(db):
        # Processes opening a new database at once (a crawl and an export) would each see the same
        # migrations pending; an exclusive lock file makes them take turns.
        with MigrationLock(path):
            MIGRATIONS.apply(db)
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """A transaction holding the write lock from its start (BEGIN IMMEDIATE): another process writing
    to the archive makes it wait (open_db's busy timeout) instead of failing a read-then-write with
    SQLITE_BUSY. Inside an open transaction it is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
