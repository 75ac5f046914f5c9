"""Write articles and their captions: idempotent upserts keyed on a hash of the canonical URL."""

from __future__ import annotations

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


def content_hash(article: Article) -> str:
    """What makes two fetches of an article the same content: title, body and captions."""
    payload = {
        "title": article.title or "",
        "body": article.body,
        "captions": [[c.text, c.credit or "", c.image_url or ""] for c in article.captions],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def article_row(article_id: str, article: Article, *, first_stored_at: str) -> dict[str, object]:
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
        "content_hash": content_hash(article),
    }


def save_article(db: Database, article_id: str, article: Article, *, now: datetime | None = None) -> Outcome:
    """Insert or update one article and its captions. Call inside a transaction (``db.atomic()``)."""
    now_text = (now or datetime.now(UTC)).isoformat()
    new_hash = content_hash(article)
    existing = db.execute(
        "SELECT content_hash, first_stored_at FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if existing is not None and existing[0] == new_hash:
        return Outcome.UNCHANGED
    row = article_row(article_id, article, first_stored_at=existing[1] if existing else now_text)
    db["articles"].upsert(row, pk="id")
    db.execute("DELETE FROM captions WHERE article_id = ?", [article_id])
    db["captions"].insert_all(
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
            }
            existing = db.execute(
                "SELECT file, feeds, sitemaps, language FROM sources WHERE name = ?", [source.name]
            ).fetchone()
            if existing is None:
                db["sources"].insert({**row, "added_at": now_text, "updated_at": now_text})
            elif tuple(existing) != (row["file"], row["feeds"], row["sitemaps"], row["language"]):
                db["sources"].update(source.name, {**row, "updated_at": now_text})
