"""The SQLite archive: the only package that knows table names and SQL."""

from crawler.archive.connection import open_db
from crawler.archive.migrations import MIGRATIONS

__all__ = ["MIGRATIONS", "open_db"]
