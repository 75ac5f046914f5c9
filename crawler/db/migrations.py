"""Schema changes, one numbered migration each. Never edit an applied migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("news_ingest")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db["sources"].create(
        {
            "name": str,
            "file": str,
            "feeds": str,  # JSON array
            "sitemaps": str,  # JSON array
            "language": str,
            "added_at": str,
            "updated_at": str,
        },
        pk="name",
    )
    db["articles"].create(
        {
            "id": str,  # sha1 of the normalised canonical URL
            "url": str,
            "canonical_url": str,
            "source": str,
            "title": str,
            "body": str,  # blocks joined by one blank line
            "blocks": str,  # JSON array of {"kind", "text"}: paragraph and heading structure
            "published_at": str,
            "modified_at": str,
            "language": str,
            "authors": str,  # JSON array of names
            "description": str,
            "site_name": str,
            "fetched_at": str,
            "first_stored_at": str,
            "content_hash": str,
        },
        pk="id",
        foreign_keys=[("source", "sources", "name")],
    )
    db["articles"].create_index(["source"])
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["url"])
    db["captions"].create(
        {
            "article_id": str,
            "position": int,
            "text": str,
            "credit": str,
            "image_url": str,
        },
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "finish_reason": str,
            "seeds": str,
            "articles_stored": int,
            "articles_dropped": int,
            "errors": int,
            "stats": str,  # JSON of the crawl's ingest/* and core stats
        },
        pk="id",
    )
    db["articles"].enable_fts(["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
