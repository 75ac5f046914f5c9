"""WARC captures per URL (table warc_captures): what the WARC writer's revisit records refer to."""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.connection import write_transaction
from crawler.webarchive.records import Capture


class CaptureLog:
    """The last capture of each URL, kept across crawls in the archive."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def last(self, url: str) -> Capture | None:
        row = self.db.execute(
            "SELECT url, payload_digest, warc_date, record_id FROM warc_captures WHERE url = ?", [url]
        ).fetchone()
        return Capture(*row) if row else None

    def remember(self, capture: Capture) -> None:
        """Committed at once: called after the record it describes was written and flushed."""
        with write_transaction(self.db):
            self.db.execute(
                """INSERT INTO warc_captures (url, payload_digest, warc_date, record_id) VALUES (?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET payload_digest = excluded.payload_digest,
                   warc_date = excluded.warc_date, record_id = excluded.record_id""",
                [capture.url, capture.payload_digest, capture.date, capture.record_id],
            )
