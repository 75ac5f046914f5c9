"""`scrapy crawl`, with the `news` spider's seeds and arguments checked before the crawl starts.

Scrapy would report a spider that fails to start with a traceback; a bad seeds file or `-a` value is
a user error, so it gets one line naming the file, source and key, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.archive.lock import DatabaseBusy, check_free
from crawler.arguments import ArgumentError, load_configuration
from crawler.seeds import SeedsError
from crawler.spiders.news import NewsSpider


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and args[0] == NewsSpider.name:
            assert self.settings is not None
            try:
                load_configuration(opts.spargs, self.settings.get("INGEST_SEEDS"))
                check_free(self.settings.get("INGEST_DB_PATH"))
            except (ArgumentError, SeedsError, DatabaseBusy) as exc:
                print(f"Cannot start the crawl: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
