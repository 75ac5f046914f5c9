"""Paywalled articles are stored, marked: access = "paywalled", truncated when the body stops at a prompt."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import db_rows, run_crawl, write_seeds
from tests.mockserver import MockServer
from tests.sitegen import generate_site


def test_paywall_marking(tmp_path: Path) -> None:
    root = tmp_path / "site"
    template = generate_site(root, 3)
    declared = root / "news/000/article-0.html"
    declared.write_text(
        declared.read_text(encoding="utf-8").replace('"@type": "NewsArticle",', '"@type": "NewsArticle", "isAccessibleForFree": false,'),
        encoding="utf-8",
    )
    cut = root / "news/000/article-1.html"
    cut.write_text(
        cut.read_text(encoding="utf-8").replace("</article>", '<p class="paywall">Subscribe to continue reading.</p>\n</article>'),
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    with MockServer(root=root) as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        result = run_crawl(seeds, db)
    assert result.returncode == 0, result.log
    rows = {r["url"].rsplit("/", 1)[1]: r for r in db_rows(db, "SELECT url, access, truncated, body FROM articles")}
    assert {k: (r["access"], r["truncated"]) for k, r in rows.items()} == {
        "article-0.html": ("paywalled", 0),
        "article-1.html": ("paywalled", 1),
        "article-2.html": (None, 0),
    }
    assert "Subscribe" not in rows["article-1.html"]["body"]
