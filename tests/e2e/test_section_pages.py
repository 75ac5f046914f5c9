"""End to end: a site with no feed and no sitemap, crawled from its home page alone."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import db_rows, run_crawl, write_seeds
from tests.mockserver import MockServer
from tests.sectionsite import generate_section_site


def run_stats(db: Path) -> dict[str, object]:
    (row,) = db_rows(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")
    return dict(json.loads(row["stats"]))


def fetched(server: MockServer, since: int = 0) -> list[str]:
    return [path for _, path in server.requests()[since:]]


def test_the_home_page_alone_finds_exactly_the_articles_and_a_second_run_fetches_none_again(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    seeds, articles = generate_section_site(root)
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        first = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert first.returncode == 0, first.log[-3000:]
        stored = sorted(row["url"].removeprefix(server.url + "/") for row in db_rows(db, "SELECT url FROM articles"))
        assert stored == sorted(articles)
        requests = fetched(server)
        # Listings: the home page, three sections and their second pages; then one request per
        # article, plus the dossier that turned out to be no article (and robots.txt).
        listings = {"/", "/politik/", "/wirtschaft/", "/sport/", "/politik/page/2/", "/wirtschaft/page/2/",
                    "/sport/page/2/"}  # fmt: skip
        assert listings <= set(requests)
        others = [p for p in requests if p not in listings and p != "/robots.txt"]
        assert len(others) == len(articles) + 1
        assert len(others) == len(set(others))  # nothing fetched twice
        assert run_stats(db)["item_dropped_reasons_count/NotAnArticle"] == 1
        before = len(requests)
        second = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert second.returncode == 0, second.log[-3000:]
        again = [p for p in fetched(server, before) if p not in listings and p != "/robots.txt"]
        assert again == []


def test_a_listing_with_ten_thousand_links_and_endless_pagination_is_bounded(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "trap" / "1").mkdir(parents=True)
    links = "".join(f"<li><a href='{{{{base}}}}/story/an-article-about-number-{n}-today'>{n}</a></li>" for n in range(10_000))
    for n in range(1, 30):
        page = root / "trap" / str(n)
        page.mkdir(parents=True, exist_ok=True)
        (page / "index.html").write_text(
            f"<html><body><main><ul>{links if n == 1 else ''}</ul>"
            f"<a rel='next' href='{{{{base}}}}/trap/{n + 1}/'>Weiter</a></main></body></html>"
        )
    seeds = root / "seeds.toml"
    seeds.write_text('[[source]]\nname = "trap"\npages = ["{{base}}/trap/1/"]\n')
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        result = run_crawl(
            write_seeds(tmp_path / "seeds.toml", server, seeds), db,
            "-s", "INGEST_MAX_ENTRIES_PER_LISTING=50", "-s", "INGEST_PAGES_MAX_PAGINATION=3",
            "-s", "LOG_LEVEL=INFO",
        )  # fmt: skip
        requests = fetched(server)
    assert result.returncode == 0, result.log[-3000:]
    assert [p for p in requests if p.startswith("/trap/")] == ["/trap/1/", "/trap/2/", "/trap/3/"]
    assert len([p for p in requests if p.startswith("/story/")]) == 50
    assert run_stats(db)["ingest/spider/entries_over_limit"] == 9950
    assert run_stats(db)["ingest/spider/pagination_over_limit"] == 1


def test_languages_keep_only_the_wanted_ones_decided_from_the_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    seeds, articles = generate_section_site(root, 12)
    french = [path for path in articles if "?" not in path][:3]
    for path in french:
        page = root / path
        page.write_text(page.read_text().replace('<html lang="en">', '<html lang="fr">'))
    # The seed's own language hint says German: it must not decide anything.
    seeds.write_text(seeds.read_text() + 'language = "de"\nlanguages = ["en"]\n')
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        result = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        stored = sorted(row["url"].removeprefix(server.url + "/") for row in db_rows(db, "SELECT url FROM articles"))
    assert result.returncode == 0, result.log[-3000:]
    assert stored == sorted(set(articles) - set(french))
    # The three French articles, and the German dossier page the home page links to.
    assert run_stats(db)["ingest/languages/other_language"] == 4
    assert run_stats(db)["item_dropped_reasons_count/OtherLanguage"] == 4
