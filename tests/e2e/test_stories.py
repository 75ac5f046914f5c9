"""End to end: the same story on many sites becomes one story; URL variants one article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SITES, CrawlResult, run_crawl, write_seeds
from tests.conftest import db_rows as rows
from tests.mockserver import MockServer

ORIGINAL = "/original/2023/09/15/kim-besucht-luftfahrtfabrik.html"
SCRAPER = "/scraper/2023/09/kim-besucht-eine-militaerische-luftfahrtfabrik.html"
COPYCAT = "/copycat/2023/09/16/kim-russland-luftfahrt.html"
HARBOUR = "/dailyplanet/articles/harbour-bridge-reopens-after-restoration.html"
SPORT = ("/sport/2023/09/16/nordstadt-suedhafen.html", "/sport/2023/09/16/westend-ostkamp.html")


@pytest.fixture(scope="module")
def crawled(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, CrawlResult]:
    tmp = tmp_path_factory.mktemp("stories")
    seeds = write_seeds(tmp / "seeds.toml", mock_site, SITES / "stories-seeds.toml")
    db = tmp / "news.db"
    result = run_crawl(seeds, db)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    return seeds, db, result


def article(db: Path, server: MockServer, path: str) -> dict[str, Any]:
    found = rows(db, "SELECT * FROM articles WHERE url = ?", (server.url + path,))
    assert len(found) == 1, path
    return found[0]


def test_original_and_copies_are_one_story(crawled: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    _, db, _ = crawled
    original, scraper, copycat = (article(db, mock_site, p) for p in (ORIGINAL, SCRAPER, COPYCAT))
    assert original["story_id"] == scraper["story_id"] == copycat["story_id"] is not None
    assert original["duplicate_of"] is None
    # The scraper copy carries the original's timestamp: the publisher's own page stays the original.
    assert scraper["duplicate_of"] == original["id"]
    assert copycat["duplicate_of"] == original["id"]


def test_templated_stories_stay_apart(crawled: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    _, db, _ = crawled
    first, second = (article(db, mock_site, p) for p in SPORT)
    assert first["story_id"] != second["story_id"]
    assert first["duplicate_of"] is None and second["duplicate_of"] is None


def test_url_variants_are_one_article(crawled: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    _, db, _ = crawled
    stored = rows(db, "SELECT url FROM articles WHERE canonical_url = ?", (mock_site.url + HARBOUR,))
    assert stored == [{"url": mock_site.url + HARBOUR}]
    requested = [path for _, path in mock_site.requests() if "harbour-bridge" in path]
    assert not [p for p in requested if "utm_" in p]  # tracking parameters dropped before requesting
    assert requested.count(HARBOUR) == 1


def test_a_second_run_keeps_the_clusters_and_the_index_is_consistent(
    crawled: tuple[Path, Path, CrawlResult], mock_site: MockServer
) -> None:
    seeds, db, _ = crawled
    before = rows(db, "SELECT id, story_id, duplicate_of FROM articles ORDER BY id")
    result = run_crawl(seeds, db, "-s", "INGEST_REFRESH_MAX_AGE_HOURS=1000000", "-s", "INGEST_REFRESH_INTERVAL_HOURS=0")
    assert result.returncode == 0, result.log[-3000:]
    assert rows(db, "SELECT id, story_id, duplicate_of FROM articles ORDER BY id") == before
    assert rows(
        db,
        "SELECT count(*) AS n FROM articles a LEFT JOIN story_signatures s ON s.article_id = a.id WHERE s.id IS NULL",
    ) == [{"n": 0}]
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
