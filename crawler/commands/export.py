"""`scrapy export --since CURSOR [-o FILE] [--format jsonl|csv]`: what changed after a cursor."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import IO, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive import open_db
from crawler.archive.changes import EXPORT_FIELDS, JSON_FIELDS, changes_since


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "--since CURSOR [-o FILE] [--format jsonl|csv]"

    def short_desc(self) -> str:
        return "Export article revisions that changed after a cursor (the last seq you exported)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", metavar="CURSOR", default=None, help="last seq already exported (0: all)")
        parser.add_argument("-o", "--output", metavar="FILE", default="-", help="output file (default: stdout)")
        parser.add_argument("--format", choices=("jsonl", "csv"), default=None, help="default: from -o, else jsonl")
        parser.add_argument("--limit", type=int, default=None, help="export at most this many changes")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if opts.since is None:
            raise UsageError("--since is required (use --since 0 for everything)")
        try:
            cursor = int(opts.since)
        except ValueError:
            raise UsageError(f"--since {opts.since}: expected a whole number (a seq)") from None
        if cursor < 0:
            raise UsageError("--since must be 0 or more")
        fmt = opts.format or ("csv" if str(opts.output).endswith(".csv") else "jsonl")
        db_path = Path(self.settings.get("INGEST_DB_PATH"))
        if not db_path.exists():
            raise UsageError(f"{db_path}: no such database (set INGEST_DB_PATH)")
        db = open_db(db_path)
        records = changes_since(db, cursor, limit=opts.limit)
        out: IO[str] = sys.stdout if opts.output == "-" else open(opts.output, "w", encoding="utf-8", newline="")
        last, count = cursor, 0
        try:
            writer = _writer(out, fmt)
            for record in records:
                writer(record)
                last, count = record["seq"], count + 1
        finally:
            if out is not sys.stdout:
                out.close()
            db.close()
        print(f"exported {count} change(s); next cursor: {last}", file=sys.stderr)


def _writer(out: IO[str], fmt: str) -> Any:
    if fmt == "jsonl":
        return lambda record: out.write(json.dumps(record, ensure_ascii=False) + "\n")
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()

    def write(record: dict[str, Any]) -> None:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if k in JSON_FIELDS else v for k, v in record.items()})

    return write
