"""Schema changes, one numbered migration each. Never edit an applied migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("news_ingest")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.table("sources").create(
        {
            "name": str,
            "file": str,
            "feeds": str,  # JSON array
            "sitemaps": str,  # JSON array
            "language": str,
            "timezone": str,
            "added_at": str,
            "updated_at": str,
        },
        pk="name",
    )
    db.table("articles").create(
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
    db.table("articles").create_index(["source"])
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["url"])
    db.table("captions").create(
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
    db.table("crawl_runs").create(
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
    db.table("articles").enable_fts(["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")


@MIGRATIONS()
def m002_incremental(db: Database) -> None:
    """Cross-run state, article revisions with a change sequence, raw HTML for re-extraction."""
    db.table("listing_state").create(
        {
            "url": str,
            "source": str,
            "kind": str,  # "feed" | "sitemap"
            "etag": str,
            "last_modified": str,
            "body_hash": str,
            "status": int,
            "fetched_at": str,
            "changed_at": str,  # last time the listing had new or changed entries
            "poll_interval": float,  # seconds; used by adaptive polling
            "next_poll_at": str,
        },
        pk="url",
    )
    db.table("url_state").create(
        {
            "url_key": str,  # crawler.urls.url_key of a fetched URL or of a canonical URL
            "article_id": str,
            "fetched_at": str,
            "entry_date": str,  # the listing's lastmod/updated/published when last fetched
            "content_hash": str,
        },
        pk="url_key",
    )
    db.table("url_state").create_index(["article_id"])
    db.execute(
        """
        CREATE TABLE article_revisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the export cursor: monotonic, never reused
            article_id TEXT NOT NULL REFERENCES articles(id),
            revision INTEGER NOT NULL,
            url TEXT,
            canonical_url TEXT,
            source TEXT,
            title TEXT,
            body TEXT,
            blocks TEXT,  -- JSON, as articles.blocks
            captions TEXT,  -- JSON array of {text, credit, image_url}
            authors TEXT,  -- JSON array
            language TEXT,
            content_hash TEXT NOT NULL,
            published_at TEXT,
            modified_at TEXT,
            fetched_at TEXT,
            raw_html_id INTEGER REFERENCES raw_pages(id),
            UNIQUE (article_id, revision)
        )
        """
    )
    db.table("raw_pages").create(
        {
            "id": int,
            "article_id": str,
            "url": str,
            "sha256": str,  # of the uncompressed HTML, so identical pages are stored once
            "html_gz": bytes,
            "fetched_at": str,
        },
        pk="id",
    )
    db.table("raw_pages").create_index(["article_id", "sha256"], unique=True)
    db.table("articles").add_column("revision", int)


@MIGRATIONS()
def m010_stories(db: Database) -> None:
    """The persistent near-duplicate index, and each article's story and earliest-published original."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS story_signatures (
            id INTEGER PRIMARY KEY,  -- the compact member number story_buckets points to
            article_id TEXT NOT NULL UNIQUE,  -- articles.id (the row may not be stored yet)
            story_id TEXT NOT NULL,  -- the article id that started the story
            source TEXT,
            body_hash INTEGER NOT NULL,  -- exact duplicates: hash of the normalised body
            signature BLOB NOT NULL,  -- MinHash, 128 little-endian uint16
            facts TEXT NOT NULL,  -- JSON: numbers and dates by their context, title words
            published_at TEXT,  -- ISO 8601 UTC, so text order is time order
            indexed_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS story_signatures_body_hash ON story_signatures (body_hash)")
    # Serves both "members of a story" and "its earliest member" (rowid breaks published_at ties).
    db.execute("CREATE INDEX IF NOT EXISTS story_signatures_story ON story_signatures (story_id, published_at)")
    # WITHOUT ROWID: the primary key is the table, so a lookup by bucket is one B-tree descent and no
    # second index is stored.
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS story_buckets (
            bucket INTEGER NOT NULL,  -- an LSH band's key, the band number mixed in
            member INTEGER NOT NULL,  -- story_signatures.id
            PRIMARY KEY (bucket, member)
        ) WITHOUT ROWID
        """
    )
    # The signature and banding layout the stored rows were built with.
    db.execute("CREATE TABLE IF NOT EXISTS story_index (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    articles = db.table("articles")
    for column in ("story_id", "duplicate_of"):
        if column not in articles.columns_dict:
            articles.add_column(column, str)
    articles.create_index(["story_id"], if_not_exists=True)


@MIGRATIONS()
def m011_source_boilerplate(db: Database) -> None:
    """Blocks that recur across a source's articles, counted per distinct article; the boilerplate
    learned from them."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS source_blocks (
            source TEXT NOT NULL,
            block_hash INTEGER NOT NULL,  -- hash of the normalised block text
            text TEXT NOT NULL,  -- the block as first seen
            articles_seen INTEGER NOT NULL,  -- distinct articles of the source that contained it
            recent_articles TEXT NOT NULL,  -- JSON: the ids that counted (bounded), so re-crawls count once
            is_boilerplate INTEGER NOT NULL DEFAULT 0,
            first_seen_tick INTEGER NOT NULL,  -- source_block_clock.articles when first seen
            last_seen_tick INTEGER NOT NULL,
            first_seen_at TEXT NOT NULL,
            learned_at TEXT,
            PRIMARY KEY (source, block_hash)
        ) WITHOUT ROWID
        """
    )
    # A per-source clock of articles processed: how often a block recurs, and when it went stale.
    db.execute("CREATE TABLE IF NOT EXISTS source_block_clock (source TEXT PRIMARY KEY, articles INTEGER NOT NULL)")


@MIGRATIONS()
def m012_story_provenance(db: Database) -> None:
    """How much a member looks like the publisher's own page (0 = most): breaks published-time ties,
    so a scraper copy carrying the original's timestamp does not become the story's original."""
    db.execute("ALTER TABLE story_signatures ADD COLUMN provenance INTEGER NOT NULL DEFAULT 3")


@MIGRATIONS()
def m013_entry_dates_per_listing(db: Database) -> None:
    """Each listing's own entry date per URL (JSON object listing -> date): an article in a feed and
    a sitemap is judged changed only by the same listing's later date."""
    db.execute("ALTER TABLE url_state ADD COLUMN entry_dates TEXT")


@MIGRATIONS()
def m014_fts_update_on_text_only(db: Database) -> None:
    """The full-text index follows title and body only: the trigger sqlite-utils created fired on every
    UPDATE of an article (story links, fetched_at, boilerplate cleaning of other columns) and rewrote
    the article's index entries each time. Same statements, narrowed to ``UPDATE OF title, body``."""
    db.execute('DROP TRIGGER IF EXISTS "articles_au"')
    db.execute(
        """CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "body" ON "articles" BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "body") VALUES('delete', old.rowid, old."title", old."body");
  INSERT INTO "articles_fts" (rowid, "title", "body") VALUES (new.rowid, new."title", new."body");
END"""  # noqa: E501 - sqlite-utils' statements, verbatim
    )


@MIGRATIONS()
def m015_raw_page_content_type(db: Database) -> None:
    """The Content-Type a raw page was served with: its charset is part of how the crawl decoded it."""
    db.execute("ALTER TABLE raw_pages ADD COLUMN content_type TEXT")


@MIGRATIONS()
def m016_warc_imports(db: Database) -> None:
    """How far `scrapy import-warc` got in each WARC file or URL: a killed import resumes there."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS warc_imports (
            input TEXT PRIMARY KEY,  -- the file's absolute path or the URL, as given
            next_offset INTEGER NOT NULL,  -- first byte not yet imported (a record boundary)
            records INTEGER NOT NULL,  -- records read so far, over all runs
            articles INTEGER NOT NULL,  -- articles handed to the archive so far
            finished INTEGER NOT NULL DEFAULT 0,  -- 1: read to the end
            updated_at TEXT NOT NULL
        )
        """
    )


@MIGRATIONS()
def m017_host_backoff(db: Database) -> None:
    """Hosts that answered with a bot wall (or a long Retry-After): not asked again before
    ``not_before``; ``walls`` in a row set how long the next wait is (doubling)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS host_backoff (
            host TEXT PRIMARY KEY,
            not_before TEXT NOT NULL,
            walls INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )


@MIGRATIONS()
def m018_paywall_marking(db: Database) -> None:
    """access: "paywalled" when the page says so or its body stops at a subscription prompt (NULL: no
    signal); truncated: 1 when the body stops at such a prompt."""
    db.execute("ALTER TABLE articles ADD COLUMN access TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS()
def m019_warc_captures(db: Database) -> None:
    """The last response written with its payload to a WARC, per URL: a later crawl that fetches the
    same body again writes a revisit record referring to it (identical-payload-digest)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS warc_captures (
            url TEXT PRIMARY KEY,  -- WARC-Target-URI
            payload_digest TEXT NOT NULL,  -- WARC-Payload-Digest, sha1:BASE32
            warc_date TEXT NOT NULL,  -- WARC-Date of that record
            record_id TEXT NOT NULL  -- WARC-Record-ID of that record
        ) WITHOUT ROWID
        """
    )
