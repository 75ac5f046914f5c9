"""Section-page discovery: link classification precision and recall, and requests per stored article.

    .venv/bin/python -m benchmarks.section_pages [ARTICLES]

Builds the mock news site of tests/sectionsite.py (home page, three sections with pagination, nav,
"most read", tag, author and category links, a footer, external links, a PDF, a calendar archive,
session-id URLs and a topic dossier; article URLs as dated paths, slugs with ids, numeric ids and
query-string ids) and prints:

- precision and recall of `classify_links` over every listing page, against the article links the
  pages really hold;
- a real `scrapy crawl news` from the home page alone: articles stored, listing requests, and article
  requests per stored article (requests beyond the listings themselves).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from crawler.demo.launcher import SiteServer
from crawler.discovery.sections import classify_links
from crawler.pages import parse_html
from tests.conftest import db_rows, run_crawl, write_seeds
from tests.sectionsite import generate_section_site

BASE = "http://news.invalid"


def listing_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("index.html") if "<article class='teaser'>" in path.read_text())


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        seeds, articles = generate_section_site(root, count)
        truth = {f"{BASE}/{path}" for path in articles}
        # Over the site, as a crawl sees it: an article counts as found when some listing page's
        # classification takes it (a "most read" link is furniture on every page but its own listing's).
        found: set[str] = set()
        linked: set[str] = set()
        for path in listing_files(root):
            html = path.read_text().replace("{{base}}", BASE)
            url = f"{BASE}/{path.parent.relative_to(root).as_posix()}/".replace("/./", "/")
            found |= set(classify_links(parse_html(html), url).articles)
            linked |= {u.split(";")[0] for u in _linked(html)} & truth
        tp, fp, fn = len(found & truth), len(found - truth), len(linked - found)
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        pages = len(listing_files(root))
        print(f"classification over {pages} listing pages: precision {precision:.3f}, recall {recall:.3f}")
        print(f"  ({tp} articles found, {fp} non-articles taken (the topic dossier), {fn} articles missed)")
        db = Path(tmp) / "news.db"
        with SiteServer(root=root) as server:
            result = run_crawl(
                write_seeds(Path(tmp) / "seeds.toml", server, seeds), db, "-s", "INGEST_PAGES_MAX_PAGINATION=100",
                # Every page of a long section: Scrapy's own depth limit would stop a chain of 13.
                "-s", "DEPTH_LIMIT=0",
                timeout=1800,
            )  # fmt: skip
            requests = [path for _, path in server.requests() if path != "/robots.txt"]
        if result.returncode != 0:
            sys.exit(result.log[-3000:])
        stored = len(db_rows(db, "SELECT id FROM articles"))
        sections = ("politik", "wirtschaft", "sport")
        listings = [p for p in requests if p == "/" or p.rstrip("/").split("/")[-1] in sections or "/page/" in p]
        others = len(requests) - len(listings)
        print(f"crawl from the home page: {stored} of {count} articles stored, {len(listings)} listing requests,")
        per_article = others / max(1, stored)
        print(f"  {others} other requests: {per_article:.3f} requests per stored article beyond the listings")


def _linked(html: str) -> set[str]:
    import re

    return set(re.findall(r"href='([^']+)'", html))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
