"""Progress of WARC imports, per input: the offset a resumed `scrapy import-warc` starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from crawler.archive.connection import write_transaction


@dataclass(frozen=True)
class ImportProgress:
    next_offset: int = 0
    records: int = 0
    articles: int = 0
    finished: bool = False


def import_progress(db: Database, name: str) -> ImportProgress:
    row = db.execute(
        "SELECT next_offset, records, articles, finished FROM warc_imports WHERE input = ?", [name]
    ).fetchone()
    return ImportProgress(row[0], row[1], row[2], bool(row[3])) if row else ImportProgress()


def save_import_progress(db: Database, name: str, progress: ImportProgress) -> None:
    """Committed at once: called after the articles before ``next_offset`` were written."""
    with write_transaction(db):
        db.execute(
            """INSERT INTO warc_imports (input, next_offset, records, articles, finished, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (input) DO UPDATE SET next_offset = excluded.next_offset, records = excluded.records,
               articles = excluded.articles, finished = excluded.finished, updated_at = excluded.updated_at""",
            [name, progress.next_offset, progress.records, progress.articles, int(progress.finished),
             datetime.now(UTC).isoformat()],
        )  # fmt: skip
