from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from crawler.archive import MIGRATIONS


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(memory=True)
    database.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(database)
    database.table("sources").insert_all([{"name": name} for name in ("wire", "scraper", "paper", "other")])
    yield database
    database.close()
