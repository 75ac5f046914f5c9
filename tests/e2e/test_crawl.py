"""End to end: the real `scrapy crawl news` against the mock news sites, into a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl, write_seeds
from tests.conftest import db_rows as rows
from tests.mockserver import MockServer

EXPECTED_SEED = json.loads((Path(__file__).parents[1] / "fixtures" / "seed_article_expected.json").read_text("utf-8"))
ORIGINAL = "/original/2023/09/15/kim-besucht-luftfahrtfabrik.html"
SCRAPER = "/scraper/2023/09/kim-besucht-eine-militaerische-luftfahrtfabrik.html"


def table_dump(db: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        "articles": rows(db, "SELECT * FROM articles ORDER BY id"),
        "captions": rows(db, "SELECT * FROM captions ORDER BY article_id, position"),
        "sources": rows(db, "SELECT * FROM sources ORDER BY name"),
    }


def stats_of_last_run(db: Path) -> dict[str, Any]:
    run = rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    return json.loads(run["stats"])


@pytest.fixture(scope="module")
def first_crawl(mock_site: MockServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, CrawlResult]:
    tmp = tmp_path_factory.mktemp("crawl")
    seeds = write_seeds(tmp / "seeds.toml", mock_site)
    db = tmp / "news.db"
    result = run_crawl(seeds, db)
    assert result.returncode == 0, result.log[-3000:]
    return seeds, db, result


def article_by_url(db: Path, server: MockServer, path: str) -> dict[str, Any]:
    found = rows(db, "SELECT * FROM articles WHERE url = ?", (server.url + path,))
    assert len(found) == 1, f"{path} stored {len(found)} times"
    return found[0]


@pytest.mark.parametrize("path", [ORIGINAL, SCRAPER])
def test_seed_article_comes_out_right(
    first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer, path: str
) -> None:
    _, db, _ = first_crawl
    article = article_by_url(db, mock_site, path)
    assert article["title"] == EXPECTED_SEED["title"]
    assert json.loads(article["blocks"]) == EXPECTED_SEED["blocks"]
    assert article["body"] == "\n\n".join(b["text"] for b in EXPECTED_SEED["blocks"])
    assert article["language"] == "de"
    assert article["published_at"] == EXPECTED_SEED["published_at"]
    captions = rows(db, "SELECT * FROM captions WHERE article_id = ? ORDER BY position", (article["id"],))
    assert [{"text": c["text"], "credit": c["credit"]} for c in captions] == EXPECTED_SEED["captions"]
    assert all(c["image_url"].startswith(mock_site.url + "/") for c in captions)
    body = article["body"]
    for junk in ("source site-28", "Leave a Reply", "Ausgegeben am", "3 Minuten", "© STR"):
        assert junk not in body
    blocks = [b["text"] for b in json.loads(article["blocks"])]
    assert len(blocks) == len(set(blocks))


def test_original_has_metadata(first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    _, db, _ = first_crawl
    article = article_by_url(db, mock_site, ORIGINAL)
    assert json.loads(article["authors"]) == ["AFP"]
    assert article["canonical_url"] == mock_site.url + ORIGINAL
    assert article["source"] == "wire"


def test_each_article_url_is_requested_once(first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    paths = [path for method, path in mock_site.requests() if path.endswith(".html")]
    repeated = {p for p in paths if paths.count(p) > 1}
    assert not repeated


def test_robots_txt_is_obeyed(first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    assert not [p for _, p in mock_site.requests() if p.startswith("/private/")]


def test_broken_inputs_are_counted_and_logged(
    first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer
) -> None:
    _, db, result = first_crawl
    stats = stats_of_last_run(db)
    assert stats["ingest/source/broken/feed_errors"] >= 3  # not a feed, garbage, missing
    assert stats["ingest/source/broken/article_errors"] >= 1  # the 404
    assert (
        stats["ingest/source/broken/articles_unextractable"] + stats.get("ingest/source/broken/articles_not_html", 0)
        >= 2
    )
    assert "Traceback" not in result.log
    assert f"{mock_site.url}/broken/missing.rss" in result.log
    assert f"{mock_site.url}/broken/garbage.rss" in result.log
    run = rows(db, "SELECT * FROM crawl_runs")[0]
    assert run["finish_reason"] == "finished"
    assert run["errors"] >= 5


def test_second_run_changes_no_rows(first_crawl: tuple[Path, Path, CrawlResult], mock_site: MockServer) -> None:
    seeds, db, _ = first_crawl
    before = table_dump(db)
    result = run_crawl(seeds, db)
    assert result.returncode == 0, result.log[-3000:]
    assert table_dump(db) == before
    assert len(rows(db, "SELECT * FROM crawl_runs")) == 2
    stats = stats_of_last_run(db)
    assert stats.get("ingest/storage/new", 0) == 0
    assert stats.get("ingest/storage/updated", 0) == 0


def test_bad_seeds_fail_before_the_first_request(mock_site: MockServer, tmp_path: Path) -> None:
    seeds = tmp_path / "bad.toml"
    seeds.write_text(f'[[source]]\nname = "x"\nfeeds = ["{mock_site.url}/dailyplanet/feed.rss"]\nfeedz = []\n')
    before = len(mock_site.requests())
    result = run_crawl(seeds, tmp_path / "news.db")
    assert result.returncode != 0
    assert f"{seeds}: source 'x': key 'feedz': unknown key" in result.log
    assert "Traceback" not in result.log
    assert len(mock_site.requests()) == before


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("since=yesterday", "-a since=yesterday: expected a date as YYYY-MM-DD"),
        ("colour=red", "-a colour: unknown spider argument"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(tmp_path: Path, argument: str, message: str) -> None:
    seeds = tmp_path / "s.toml"
    seeds.write_text('[[source]]\nname = "x"\nfeeds = ["http://127.0.0.1:9/feed.rss"]\n')
    result = run_crawl(seeds, tmp_path / "news.db", "-a", argument)
    assert result.returncode != 0
    assert message in result.log
    assert "Traceback" not in result.log


# Written by hand from the pages in tests/sites (see tests/sites/EXPECTED.md).
CORPUS = [
    ("/dailyplanet/articles/harbour-bridge-reopens-after-restoration.html", "dailyplanet", "en",
     "Harbour Bridge reopens to traffic after 14-month restoration", "2023-09-14T11:30:00+00:00", ["Maya Okafor", "Daniel Reyes"]),
    ("/dailyplanet/articles/council-approves-east-side-tram-line.html", "dailyplanet", "en",
     "Council approves east-side tram line in 9–4 vote", "2023-09-15T22:05:00+00:00", ["Priya Raman"]),
    ("/dailyplanet/articles/library-puts-shipping-ledgers-online.html", "dailyplanet", "en",
     "Central Library puts 19th-century shipping ledgers online", "2023-09-16T13:00:00+00:00", ["Tom Whitaker"]),
    ("/lemonde-demo/2023/09/15/canicule-tardive-vendanges-bourgogne.html", "lemonde-demo", "fr",
     "En Bourgogne, une chaleur tardive bouscule le calendrier des vendanges", "2023-09-15T08:12:00+00:00",
     ["Claire Martin", "Julien Dufour"]),
    ("/lemonde-demo/2023/09/16/paris-rentree-a-velo.html", "lemonde-demo", "fr",
     "À Paris, la rentrée se fait à vélo : le trafic cyclable en hausse de 30 % sur un an", "2023-09-16T05:45:00+00:00",
     ["Sophie Bernard", "Karim Haddad"]),
    ("/tagesblatt/2023/09/15/stadtwerke-fernwaerme-ausbau.html", "tagesblatt", "de",
     "Stadtwerke wollen das Fernwärmenetz bis 2035 verdoppeln", "2023-09-15T08:12:00+00:00", ["Anna Schmidt", "Lukas Becker"]),
    ("/tagesblatt/2023/09/16/regionalbahn-ausfaelle-bis-oktober.html", "tagesblatt", "de",
     "Baustelle an der Nordstrecke: Regionalbahn fällt bis Ende Oktober teilweise aus", "2023-09-16T12:30:00+00:00",
     ["Miriam Vogel"]),
    ("/tagesblatt/2023/09/17/stadtbibliothek-sonntagsoeffnung.html", "tagesblatt", "de",
     "Stadtbibliothek öffnet künftig auch sonntags", "2023-09-17T07:05:00+00:00", ["Jonas Keller", "Elif Yılmaz"]),
    ("/broken/articles/ferry-timetable-change.html", "broken", "en",
     "Winter ferry timetable to start two weeks early", "2023-09-13T12:00:00+00:00", ["Gareth Evans"]),
    ("/broken/articles/school-meals-pilot.html", "broken", "en",
     "Free school meals pilot extended to twelve more schools", "2023-09-14T14:20:00+00:00", ["Hannah Jeffries"]),
    ("/autodiscover/articles/observatory-open-nights.html", "autodiscover", "en",
     "Hilltop observatory to open its dome for free stargazing nights", "2023-09-12T19:00:00+00:00", ["Ruth Okonjo"]),
]  # fmt: skip


@pytest.mark.parametrize(("path", "source", "language", "title", "published", "authors"), CORPUS)
def test_corpus_article_is_stored_with_its_metadata(
    first_crawl: tuple[Path, Path, CrawlResult],
    mock_site: MockServer,
    path: str,
    source: str,
    language: str,
    title: str,
    published: str,
    authors: list[str],
) -> None:
    _, db, _ = first_crawl
    article = article_by_url(db, mock_site, path)
    assert (article["source"], article["language"], article["title"]) == (source, language, title)
    assert article["published_at"] == published
    assert json.loads(article["authors"]) == authors
    assert len(article["body"]) > 400
    for junk in ("Read more", "Sign up", "Lire aussi", "newsletter", "cookies"):
        assert junk not in article["body"], junk


def test_corpus_totals(first_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, db, _ = first_crawl
    assert len(rows(db, "SELECT id FROM articles")) == len(CORPUS) + 2  # + the two seed pages
    assert rows(db, "SELECT count(*) AS n FROM articles WHERE body LIKE '%£%'")[0]["n"] == 1  # windows-1252 page


README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_stat_key_of_a_crawl_is_documented(first_crawl: tuple[Path, Path, CrawlResult]) -> None:
    _, db, _ = first_crawl
    undocumented = []
    for key in stats_of_last_run(db):
        if not key.startswith("ingest/"):
            continue
        if key.startswith("ingest/source/"):
            documented = "ingest/source/<source>/<event>" in README
        elif key.startswith("ingest/clean/removed/"):
            documented = "ingest/clean/removed/<rule>" in README
        else:
            documented = f"`{key}`" in README
        if not documented:
            undocumented.append(key)
    assert undocumented == []
