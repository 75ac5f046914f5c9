"""Write articles, their captions, revisions and raw pages: one article, one transaction's worth.

Idempotent: the same content stored twice writes nothing the second time; changed content becomes a
new revision, and `articles` always holds the latest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum

from sqlite_utils import Database

from crawler.items import Article
from crawler.seeds import Source


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def captions_json(article: Article) -> str:
    return json.dumps([asdict(c) for c in article.captions], ensure_ascii=False)


def content_hash(article: Article) -> str:
    """What makes two fetches of an article the same content: title, body and captions."""
    payload = {
        "title": article.title or "",
        "body": article.body,
        "captions": [[c.text, c.credit or "", c.image_url or ""] for c in article.captions],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def article_row(
    article_id: str, article: Article, *, digest: str, first_stored_at: str, revision: int
) -> dict[str, object]:
    return {
        "id": article_id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source or None,
        "title": article.title,
        "body": article.body,
        "blocks": json.dumps([asdict(b) for b in article.blocks], ensure_ascii=False),
        "published_at": article.published_at,
        "modified_at": article.modified_at,
        "language": article.language,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "description": article.description,
        "site_name": article.site_name,
        "fetched_at": article.fetched_at,
        "first_stored_at": first_stored_at,
        "content_hash": digest,
        "revision": revision,
        "access": article.access,
        "truncated": int(article.truncated),
    }


def save_raw_page(db: Database, article_id: str, article: Article) -> int | None:
    """Keep the fetched HTML, gzip-compressed, once per distinct page; its row id."""
    if article.raw_html is None:
        return None
    digest = hashlib.sha256(article.raw_html).hexdigest()
    found = db.execute("SELECT id FROM raw_pages WHERE article_id = ? AND sha256 = ?", [article_id, digest]).fetchone()
    if found:
        return int(found[0])
    table = db.table("raw_pages")
    table.insert(
        {
            "article_id": article_id,
            "url": article.url,
            "sha256": digest,
            "html_gz": gzip.compress(article.raw_html, compresslevel=6, mtime=0),
            "fetched_at": article.fetched_at,
            "content_type": article.raw_content_type,
        }
    )
    return int(table.last_pk)  # type: ignore[arg-type]


def save_article(
    db: Database, article_id: str, article: Article, *, digest: str | None = None, now: datetime | None = None
) -> Outcome:
    """Insert or update one article with its captions, revision and raw page.

    Call inside a transaction (``db.atomic()``), so an article is never visible without its
    captions or its revision. ``digest`` is the article's content_hash when the caller has it.
    """
    now_text = (now or datetime.now(UTC)).isoformat()
    new_hash = digest or content_hash(article)
    existing = db.execute(
        "SELECT content_hash, first_stored_at, revision FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    if existing is not None and existing[0] == new_hash:
        return Outcome.UNCHANGED
    revision = (existing[2] or 0) + 1 if existing else 1
    row = article_row(
        article_id, article, digest=new_hash, first_stored_at=existing[1] if existing else now_text, revision=revision
    )
    db.table("articles").upsert(row, pk="id")
    db.execute("DELETE FROM captions WHERE article_id = ?", [article_id])
    db.table("captions").insert_all(
        (
            {
                "article_id": article_id,
                "position": position,
                "text": caption.text,
                "credit": caption.credit,
                "image_url": caption.image_url,
            }
            for position, caption in enumerate(article.captions)
        ),
        pk=("article_id", "position"),
    )
    db.table("article_revisions").insert(
        {
            "article_id": article_id,
            "revision": revision,
            "url": article.url,
            "canonical_url": article.canonical_url,
            "source": article.source or None,
            "title": article.title,
            "body": article.body,
            "blocks": row["blocks"],
            "captions": captions_json(article),
            "authors": row["authors"],
            "language": article.language,
            "content_hash": new_hash,
            "published_at": article.published_at,
            "modified_at": article.modified_at,
            "fetched_at": article.fetched_at,
            "raw_html_id": save_raw_page(db, article_id, article),
        }
    )
    return Outcome.UPDATED if existing else Outcome.NEW


def save_sources(db: Database, sources: Iterable[Source], *, now: datetime | None = None) -> None:
    """Record the seeds' sources; a source whose definition did not change is not rewritten."""
    now_text = (now or datetime.now(UTC)).isoformat()
    with db.atomic():
        for source in sources:
            row = {
                "name": source.name,
                "file": source.file,
                "feeds": json.dumps(list(source.feeds)),
                "sitemaps": json.dumps(list(source.sitemaps)),
                "language": source.language,
                "timezone": source.timezone,
            }
            existing = db.execute(
                "SELECT file, feeds, sitemaps, language, timezone FROM sources WHERE name = ?", [source.name]
            ).fetchone()
            if existing is None:
                db.table("sources").insert({**row, "added_at": now_text, "updated_at": now_text})
            elif tuple(existing) != tuple(row[k] for k in ("file", "feeds", "sitemaps", "language", "timezone")):
                db.table("sources").update(source.name, {**row, "updated_at": now_text})
