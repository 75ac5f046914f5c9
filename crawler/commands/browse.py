"""`scrapy browse [--port N] [--immutable]`: the archive in Datasette, on 127.0.0.1, read-only.

Datasette opens the archive read-only either way: by default with a plain read-only connection that
sees a running crawl's writes as they commit (WAL); `--immutable` for a copy nothing writes any more,
which Datasette may then read without locking and count once. Nothing can be written through it:
Datasette runs SQL read-only and no plugin that writes is installed. The metadata names every
table and ships canned queries (latest articles, with an Atom feed through datasette-atom; one story
with all its copies and its original; an article with captions and credits; its revisions; per-source
health; full-text search with highlighted snippets).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

# Highlighting marks: Datasette shows cell text escaped, so the marks are characters, not markup; Latin-1
# ones, which every font has (CJK brackets showed as boxes in a plain Chromium).
MARK_OPEN, MARK_CLOSE = "«", "»"

QUERIES: dict[str, dict[str, Any]] = {
    "latest_articles": {
        "title": "Latest articles",
        "description": "The 100 most recently published articles (newest first). Also as an Atom feed: add .atom.",
        "sql": """SELECT id AS atom_id, title AS atom_title,
       coalesce(modified_at, published_at, fetched_at) AS atom_updated, url AS atom_link,
       description AS atom_content, source, published_at, language, story_id, id
FROM articles ORDER BY coalesce(published_at, fetched_at) DESC LIMIT 100""",
    },
    "story": {
        "title": "One story: all its copies",
        "description": "Every article of a story; the original is the one no other copies (duplicate_of empty).",
        "sql": """SELECT CASE WHEN a.duplicate_of IS NULL THEN 'original' ELSE 'copy of ' || a.duplicate_of END AS role,
       a.title, a.source, a.published_at, a.url, a.id
FROM articles a WHERE a.story_id = :story_id
ORDER BY a.duplicate_of IS NOT NULL, a.published_at""",
    },
    "article": {
        "title": "One article, with its captions and their credits",
        # the captions beside the title, where a reader looks first; the long body last
        "sql": """SELECT a.title,
       (SELECT group_concat(c.text || CASE WHEN c.credit IS NOT NULL AND c.credit != ''
                                          THEN ' (Credit: ' || c.credit || ')' ELSE '' END, char(10))
        FROM captions c WHERE c.article_id = a.id ORDER BY c.position) AS captions,
       a.source, a.published_at, a.modified_at, a.language, a.authors, a.url, a.story_id, a.revision, a.body
FROM articles a WHERE a.id = :article_id""",
    },
    "revisions": {
        "title": "An article's revisions",
        "sql": """SELECT revision, fetched_at, title, content_hash, length(body) AS body_chars, seq
FROM article_revisions WHERE article_id = :article_id ORDER BY revision""",
    },
    "source_health": {
        "title": "Per-source health",
        "description": "Articles per source, how recent the newest is, and how many arrived in the last day.",
        "sql": """SELECT s.name AS source, s.file,
       count(a.id) AS articles,
       max(a.fetched_at) AS last_fetched,
       max(a.published_at) AS newest_published,
       sum(a.fetched_at >= datetime('now', '-1 day')) AS fetched_last_day,
       sum(a.duplicate_of IS NOT NULL) AS copies
FROM sources s LEFT JOIN articles a ON a.source = s.name
GROUP BY s.name ORDER BY articles DESC""",
    },
    "search": {
        "title": "Full-text search",
        "description": f"Titles and bodies matching the words; matches are marked {MARK_OPEN}like this{MARK_CLOSE}.",
        "sql": f"""SELECT a.title, snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 24) AS snippet,
       a.source, a.published_at, a.id, a.story_id
FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
WHERE articles_fts MATCH :q ORDER BY rank LIMIT 50""",
    },
}

TABLES = {
    "articles": "One row per article: the latest revision's text and metadata; story_id and duplicate_of link copies.",
    "captions": "Image captions of each article, with the credit printed beside the picture.",
    "article_revisions": "Every stored revision of every article (seq is the export cursor).",
    "sources": "The seeds' sources (file: the seeds file, or import-warc).",
    "raw_pages": "The HTML each revision was extracted from (gzip).",
    "crawl_runs": "One row per crawl, with its stats.",
    "warc_imports": "How far each scrapy import-warc input got.",
    "warc_captures": "Per URL, the last WARC response record with its payload: what revisits refer to.",
}


def metadata(database: str) -> dict[str, Any]:
    return {
        "title": "news-ingest archive",
        "description": "Articles crawled or imported by news-ingest, read-only.",
        "databases": {
            database: {
                "queries": QUERIES,
                "tables": {name: {"description": text} for name, text in TABLES.items()},
            }
        },
    }


def datasette_command(db: Path, metadata_path: Path, port: int, *, immutable: bool) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--metadata", str(metadata_path)]
    command += ["--immutable", str(db)] if immutable else [str(db)]
    return command


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--port N] [--immutable]"

    def short_desc(self) -> str:
        return "Browse the archive in Datasette on 127.0.0.1, read-only"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (0: any free port)")
        parser.add_argument("--immutable", action="store_true", help="the file is a copy nothing writes to")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        db = Path(self.settings.get("INGEST_DB_PATH"))
        if not db.is_file():
            raise UsageError(f"{db}: no archive here (set INGEST_DB_PATH, or run a crawl or `make demo` first)")
        with tempfile.TemporaryDirectory() as tmp:
            metadata_path = Path(tmp) / "metadata.json"
            metadata_path.write_text(json.dumps(metadata(db.stem), ensure_ascii=False), encoding="utf-8")
            print(f"Browsing {db} at http://127.0.0.1:{opts.port}/{db.stem} (Ctrl-C stops)", file=sys.stderr)
            try:
                command = datasette_command(db, metadata_path, opts.port, immutable=opts.immutable)
                self.exitcode = subprocess.run(command, check=False).returncode
            except KeyboardInterrupt:
                self.exitcode = 0
