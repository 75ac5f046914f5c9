"""`scrapy warc-index [WARC_OR_DIR...] [-o FILE]`: a sorted CDXJ index of WARC files (cdxj-indexer).

The module's name is the command's: Scrapy names a command after its module. Without arguments it
indexes INGEST_WARC_DIR into INGEST_WARC_DIR/index.cdxj.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdxj_indexer.main import write_cdx_index
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.webarchive.files import warc_inputs


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[WARC_OR_DIR...] [-o FILE.cdxj]"

    def short_desc(self) -> str:
        return "Write a sorted CDXJ index of WARC files (default: INGEST_WARC_DIR)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", default=None, help="default: beside the WARCs")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        named = [Path(a) for a in args] or [Path(self.settings.get("INGEST_WARC_DIR") or ".")]
        try:
            inputs, output = warc_inputs(named, opts.output, "index.cdxj")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        write_cdx_index(str(output), [str(p) for p in inputs], {"sort": True})
        with output.open(encoding="utf-8") as index:
            lines = sum(1 for _ in index)
        print(f"indexed {len(inputs)} WARC file(s): {lines} record(s) in {output}", file=sys.stderr)
