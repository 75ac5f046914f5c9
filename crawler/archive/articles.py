"""Write articles, their captions, revisions and raw pages: one article, one transaction's worth.

Idempotent: the same content stored twice writes nothing the second time; changed content becomes a
new revision, and `articles` always holds the latest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlite_utils import Database

from crawler.archive.state import UrlState, record_urls
from crawler.compression import gzip_page
from crawler.items import Article
from crawler.seeds import Source


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


# Column order of the statements below; `article_row` builds its dict in the same order.
ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "title",
    "body",
    "blocks",
    "published_at",
    "modified_at",
    "language",
    "authors",
    "description",
    "site_name",
    "fetched_at",
    "first_stored_at",
    "content_hash",
    "revision",
    "access",
    "truncated",
)
# Raw statements on the archive's own connection: sqlite-utils' upsert and insert read the schema
# (table_info, sqlite_master) on every call, which cost more than the writes themselves.
STORY_COLUMNS = ("story_id", "duplicate_of")
UPSERT_SET = " ON CONFLICT (id) DO UPDATE SET "


def upsert_articles(columns: tuple[str, ...], rows: int) -> str:
    """One statement upserting ``rows`` articles: SQLite's full-text index writes out what it holds at
    the start of every statement that fires its triggers, so a batch's rows in one statement cost it
    one segment instead of one per article (about half its cost)."""
    marks = f"({', '.join('?' * len(columns))})"
    return (
        f"INSERT INTO articles ({', '.join(columns)}) VALUES {', '.join([marks] * rows)}"
        + UPSERT_SET
        + ", ".join(f"{column} = excluded.{column}" for column in columns if column != "id")
    )


@dataclass
class ArticleWrite:
    """One article's rows: the article (with its story columns or without), captions and revision."""

    article_id: str
    columns: tuple[str, ...]
    values: tuple[object, ...]
    captions: list[tuple[object, ...]]
    revision: tuple[object, ...]
    replaces: bool = True  # stored before: its captions are replaced (a new article has none to delete)


# What an article's save reads of its stored row: content_hash, first_stored_at, revision.
StoredRow = tuple[str, str, int | None]
SELECT_STORED = "SELECT content_hash, first_stored_at, revision FROM articles WHERE id = ?"
# SQLite's default limit on host parameters is 32766 in current builds but 999 in old ones.
LOOKUP_CHUNK = 500


# SQLite's default limit of host parameters per statement is 32766: rows per upsert stay well below.
UPSERT_CHUNK = 200


def write_articles(db: Database, writes: Sequence[ArticleWrite]) -> None:
    """The rows of these articles, in order: articles first (captions and revisions reference them)."""
    conn = db.conn
    start = 0
    while start < len(writes):
        # Consecutive writes of the same columns go in one statement.
        end = start + 1
        while end < len(writes) and end - start < UPSERT_CHUNK and writes[end].columns == writes[start].columns:
            end += 1
        part = writes[start:end]
        conn.execute(upsert_articles(part[0].columns, len(part)), [v for write in part for v in write.values])
        start = end
    # Captions in the order one write at a time gives (so their row ids too): one statement for the
    # captions of consecutive new articles, the old captions of a stored one deleted where it comes.
    captions: list[tuple[object, ...]] = []
    for write in writes:
        if write.replaces:
            if captions:
                conn.executemany(INSERT_CAPTION, captions)
                captions = []
            conn.execute("DELETE FROM captions WHERE article_id = ?", (write.article_id,))
        captions += write.captions
    if captions:
        conn.executemany(INSERT_CAPTION, captions)
    conn.executemany(INSERT_REVISION, [write.revision for write in writes])


class PendingArticles:
    """A batch's article rows and URL states, held until one statement writes each kind (see
    upsert_articles), and the batch's view of its articles' stored rows (read once per batch).

    The archive writer holds them within its transaction and writes them before anything reads or
    updates stored articles (`flush`): at the end of the batch, before cleaning a source's stored
    articles of learned boilerplate, before the story index updates stored story links, and before an
    article already held is saved again. Rows are written in the order they were saved, so row ids,
    revision numbers and the export cursor come out as if each had been written at once. Nothing but
    a save changes what `stored_row` reads, so it stays right until the transaction ends (`discard`).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.writes: list[ArticleWrite] = []
        self.ids: set[str] = set()
        self.urls: list[UrlState] = []
        self.stored: dict[str, StoredRow | None] = {}

    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Read the stored rows of these articles, LOOKUP_CHUNK per query."""
        missing = [key for key in dict.fromkeys(article_ids) if key not in self.stored]
        for start in range(0, len(missing), LOOKUP_CHUNK):
            chunk = missing[start : start + LOOKUP_CHUNK]
            self.stored.update(dict.fromkeys(chunk))
            found = self.db.conn.execute(
                "SELECT id, content_hash, first_stored_at, revision FROM articles"
                f" WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            self.stored.update((str(key), (digest, first, revision)) for key, digest, first, revision in found)

    def stored_row(self, article_id: str) -> StoredRow | None:
        if article_id not in self.stored:
            row = self.db.conn.execute(SELECT_STORED, (article_id,)).fetchone()
            self.stored[article_id] = (row[0], row[1], row[2]) if row else None
        return self.stored[article_id]

    def add(self, write: ArticleWrite, stored: StoredRow) -> None:
        """Hold an article's rows; ``stored``: its stored row once they are written."""
        self.writes.append(write)
        self.ids.add(write.article_id)
        self.stored[write.article_id] = stored

    def record_urls(self, states: Iterable[UrlState]) -> None:
        self.urls += states

    def flush(self) -> None:
        if self.writes:
            writes, self.writes, self.ids = self.writes, [], set()
            write_articles(self.db, writes)
        if self.urls:
            urls, self.urls = self.urls, []
            record_urls(self.db, urls)

    def discard(self) -> None:
        """Forget held rows and what was read (the transaction ended: committed, or rolled back)."""
        self.writes, self.ids, self.urls, self.stored = [], set(), [], {}


INSERT_CAPTION = "INSERT INTO captions (article_id, position, text, credit, image_url) VALUES (?, ?, ?, ?, ?)"
INSERT_REVISION = """INSERT INTO article_revisions
    (article_id, revision, url, canonical_url, source, title, body, blocks, captions, authors, language,
     content_hash, published_at, modified_at, fetched_at, raw_html_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_RAW_PAGE = """INSERT INTO raw_pages (article_id, url, sha256, html_gz, fetched_at, content_type)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, sha256) DO NOTHING RETURNING id"""
SELECT_RAW_PAGE = "SELECT id FROM raw_pages WHERE article_id = ? AND sha256 = ?"


def blocks_json(article: Article) -> str:
    """The blocks as stored: what json.dumps of dataclasses.asdict gives, without asdict's deep copy."""
    return json.dumps([{"text": block.text, "kind": block.kind} for block in article.blocks], ensure_ascii=False)


def captions_json(article: Article) -> str:
    return json.dumps(
        [{"text": c.text, "credit": c.credit, "image_url": c.image_url} for c in article.captions],
        ensure_ascii=False,
    )


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
        "blocks": blocks_json(article),
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
    """Keep the fetched HTML, gzip-compressed, once per distinct page; its row id. The page is
    raw_html, or raw_html_gz alone when it arrived compressed (with its digest, from a cluster worker)."""
    raw, compressed = article.raw_html, article.raw_html_gz
    if raw is None and compressed is None:
        return None
    digest = article.raw_html_sha256
    if digest is None:
        digest = hashlib.sha256(raw if raw is not None else gzip.decompress(compressed or b"")).hexdigest()
    if compressed is None:
        # Looked up before compressing: a re-extraction saves pages stored before.
        found = db.conn.execute(SELECT_RAW_PAGE, (article_id, digest)).fetchone()
        if found:
            return int(found[0])
        compressed = gzip_page(raw or b"")
    # Compressed already: one statement for a new page (the common case), a lookup for a stored one.
    rows = db.conn.execute(
        INSERT_RAW_PAGE, (article_id, article.url, digest, compressed, article.fetched_at, article.raw_content_type)
    ).fetchall()
    if not rows:
        rows = db.conn.execute(SELECT_RAW_PAGE, (article_id, digest)).fetchall()
    return int(rows[0][0])


def save_article(
    db: Database,
    article_id: str,
    article: Article,
    *,
    digest: str | None = None,
    now: datetime | None = None,
    story: tuple[str | None, str | None] | None = None,
    pending: PendingArticles | None = None,
) -> Outcome:
    """Insert or update one article with its captions, revision and raw page.

    Call inside a transaction (``db.atomic()``), so an article is never visible without its
    captions or its revision. ``digest`` is the article's content_hash when the caller has it.
    ``story``: (story_id, duplicate_of) to write with the row; None leaves a stored row's as they are.
    An unchanged article is not written at all: the caller sets its story columns (set_story_columns).
    ``pending``: hold the article's rows there (the raw page is written at once) instead of writing them.
    """
    if pending is not None and article_id in pending.ids:
        pending.flush()  # the same article twice in a batch: the second compares with the first
    now_text = (now or datetime.now(UTC)).isoformat()
    new_hash = digest or content_hash(article)
    existing = pending.stored_row(article_id) if pending is not None else db.conn.execute(
        SELECT_STORED, (article_id,)
    ).fetchone()
    if existing is not None and existing[0] == new_hash:
        return Outcome.UNCHANGED
    revision = (existing[2] or 0) + 1 if existing else 1
    first_stored_at = existing[1] if existing else now_text
    row = article_row(article_id, article, digest=new_hash, first_stored_at=first_stored_at, revision=revision)
    values = tuple(row[column] for column in ARTICLE_COLUMNS)
    write = ArticleWrite(
        article_id,
        ARTICLE_COLUMNS if story is None else ARTICLE_COLUMNS + STORY_COLUMNS,
        values if story is None else values + story,
        [
            (article_id, position, caption.text, caption.credit, caption.image_url)
            for position, caption in enumerate(article.captions)
        ],
        (
            article_id,
            revision,
            article.url,
            article.canonical_url,
            article.source or None,
            article.title,
            row["body"],
            row["blocks"],
            captions_json(article),
            row["authors"],
            article.language,
            new_hash,
            article.published_at,
            article.modified_at,
            article.fetched_at,
            save_raw_page(db, article_id, article),
        ),
        replaces=existing is not None,
    )
    if pending is None:
        write_articles(db, [write])
    else:
        pending.add(write, (new_hash, first_stored_at, revision))
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
