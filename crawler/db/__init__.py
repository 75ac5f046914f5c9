"""The SQLite archive: the only package that knows table names and SQL."""

from crawler.db.connection import open_db
from crawler.db.migrations import MIGRATIONS

__all__ = ["MIGRATIONS", "open_db"]
