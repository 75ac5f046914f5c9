"""End to end: the archive redesign's cases, each of which failed on the release before it.

- case 2: a UTF-8 page declaring shift_jis decodes the same in the crawl and in `scrapy reextract`;
- case 3: an article listed by a feed and a sitemap is fetched once, and again only when it changes;
- case 6: two crawls of one archive started at the same moment: one crawls, the other says why in
  one line and exits 2.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import ROOT, db_rows, run_crawl, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def article_paths(server: MockServer, since: int = 0) -> list[str]:
    return [path for _, path in server.requests()[since:] if path.startswith("/news/")]


def sitemap_xml(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{{{{base}}}}/{path}</loc><lastmod>{when.isoformat()}</lastmod></url>" for path, when in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def test_an_article_in_a_feed_and_a_sitemap_is_fetched_again_only_when_it_changes(tmp_path: Path) -> None:
    """Case 3: the sitemap's lastmod is later than the feed's pubDate for every article (as on real
    sites); changing one article in both listings fetches that one article, not all of them."""
    root = tmp_path / "site"
    seeds = generate_site(root, 4)
    published = [datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * n) for n in range(4)]
    paths = [f"news/000/article-{n}.html" for n in range(4)]
    (root / "sitemap.xml").write_text(sitemap_xml([(p, t + timedelta(hours=3)) for p, t in zip(paths, published, strict=True)]))
    seeds.write_text(seeds.read_text().replace("feeds = [", 'sitemaps = ["{{base}}/sitemap.xml"]\nfeeds = ['))
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        first = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert first.returncode == 0, first.log[-2000:]
        assert sorted(article_paths(server)) == sorted(f"/{p}" for p in paths)
        # Article 2 is updated: both listings say so, with their own (different) dates.
        feed = root / "feeds" / "feed-0.rss"
        old = published[2].strftime("%a, %d %b %Y %H:%M:%S GMT")
        feed.write_text(feed.read_text().replace(old, "Fri, 01 Dec 2023 10:00:00 GMT"))
        (root / "sitemap.xml").write_text(
            sitemap_xml(
                [(p, datetime(2023, 12, 1, 11, 0, tzinfo=UTC) if n == 2 else t + timedelta(hours=3))
                 for n, (p, t) in enumerate(zip(paths, published, strict=True))]
            )
        )
        before = len(server.requests())
        second = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert second.returncode == 0, second.log[-2000:]
        assert article_paths(server, before) == ["/news/000/article-2.html"]
        before = len(server.requests())
        third = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
        assert third.returncode == 0
        assert article_paths(server, before) == []


def test_reextract_decodes_a_mislabelled_page_as_the_crawl_did(tmp_path: Path) -> None:
    """Case 2: no new revision, no mojibake: `reextract` reads the stored bytes as the spider did."""
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    page = (FIXTURES / "utf8-declares-shift-jis-article.html").read_text(encoding="utf-8")
    (root / "news" / "faehre.html").write_text(page, encoding="utf-8")
    (root / "news" / "faehre.html.headers.json").write_text('{"headers": {"Content-Type": "text/html"}}')
    # A page whose only charset signal is the HTTP header: stored with it, re-extracted with it.
    (root / "news" / "koi8.html").write_bytes((FIXTURES / "koi8-r-header-only.html").read_bytes())
    (root / "news" / "koi8.html.headers.json").write_text('{"headers": {"Content-Type": "text/html; charset=koi8-r"}}')
    (root / "feed.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Grenzblatt</title>'
        "<item><title>Fähre</title><link>{{base}}/news/faehre.html</link>"
        "<pubDate>Mon, 18 Sep 2023 05:30:00 GMT</pubDate></item>"
        "<item><title>Paром</title><link>{{base}}/news/koi8.html</link>"
        "<pubDate>Mon, 18 Sep 2023 06:30:00 GMT</pubDate></item></channel></rss>"
    )
    seeds = root / "seeds.toml"
    seeds.write_text('[[source]]\nname = "grenzblatt"\nlanguage = "de"\nfeeds = ["{{base}}/feed.rss"]\n')
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        result = run_crawl(write_seeds(tmp_path / "seeds.toml", server, seeds), db)
    assert result.returncode == 0, result.log[-2000:]
    stored = db_rows(db, "SELECT title, body, revision FROM articles ORDER BY url")
    assert [row["title"] for row in stored] == ["Neue Rheinfähre zwischen Kehl und Straßburg", "Новый паром через Волгу"]
    assert "Größe, Maße, Übergänge und Grüße" in stored[0]["body"]
    reextract = subprocess.run(
        [sys.executable, "-m", "scrapy", "reextract", "-s", f"INGEST_DB_PATH={db}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert reextract.returncode == 0, reextract.stderr
    assert "0 changed" in reextract.stderr
    assert db_rows(db, "SELECT title, body, revision FROM articles ORDER BY url") == stored


def test_two_crawls_started_together_one_crawls_the_other_exits_2_in_one_line(tmp_path: Path) -> None:
    """Case 6: the lock is taken where the archive is opened, before the first request; the crawl
    that loses says so in one line and exits 2, without a traceback."""
    root = tmp_path / "site"
    seeds = generate_site(root, 20)
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        seeds_file = write_seeds(tmp_path / "seeds.toml", server, seeds)
        command = [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds_file}",
            "-s", f"INGEST_DB_PATH={db}", "-s", "INGEST_ALLOW_PRIVATE_NETWORKS=true",
        ]  # fmt: skip
        crawls = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)
        ]
        outputs = [(crawl.wait(timeout=180), crawl.stdout.read() if crawl.stdout else "") for crawl in crawls]
    codes = sorted(code for code, _ in outputs)
    assert codes == [0, 2], outputs
    (loser,) = [log for code, log in outputs if code == 2]
    assert "Cannot start the crawl:" in loser and "another crawl" in loser
    assert "Traceback" not in loser and "exception was never retrieved" not in loser
    assert len(db_rows(db, "SELECT id FROM articles")) == 20
