"""`scrapy warc-pack [WARC_OR_DIR...] [-o FILE.wacz]`: WARC files packed as a WACZ (the `wacz` package),
which replayweb.page opens as it is: the WARCs, their CDXJ index, a pages list and a datapackage with
every file's digest. The package's validator checks the result before the command reports success.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from wacz.main import main as wacz_main

from crawler.webarchive.files import warc_inputs


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[WARC_OR_DIR...] [-o FILE.wacz] [--title TITLE]"

    def short_desc(self) -> str:
        return "Pack WARC files (default: INGEST_WARC_DIR) into one WACZ file"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", default=None, help="default: beside the WARCs")
        parser.add_argument("--title", default="news-ingest crawl", help="the WACZ's title")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        named = [Path(a) for a in args] or [Path(self.settings.get("INGEST_WARC_DIR") or ".")]
        try:
            inputs, output = warc_inputs(named, opts.output, "archive.wacz")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        chatter = io.StringIO()  # the package prints its progress on stdout
        with contextlib.redirect_stdout(chatter):
            created = wacz_main(
                ["create", "-o", str(output), "--detect-pages", "--title", opts.title, *map(str, inputs)]
            )
            valid = created == 0 and wacz_main(["validate", "-f", str(output)]) == 0
        if not valid:
            print(chatter.getvalue(), file=sys.stderr)
            print(f"{output}: the WACZ could not be created or is not valid", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"packed {len(inputs)} WARC file(s) into {output} (validated)", file=sys.stderr)
