"""`scrapy crawl`, with the `news` spider's seeds and arguments checked before the crawl starts.

Scrapy would report a spider that fails to start with a traceback; a bad seeds file or `-a` value is
a user error, and an archive another crawl holds is an operator's situation, so each gets one line
naming the file, source, key or lock holder, and exit status 2.

Exit statuses (README, "Operating it"): 0 every source was reached; 3 some sources failed all their
listings; 4 no listing of any source could be fetched; 2 bad configuration; 1 anything else (a bug).
Each message goes through logging, so it reaches LOG_FILE (the Scrapyd job log) as well as the
terminal; with a LOG_FILE, a startup error is printed to stderr too, for whoever started the crawl.

The archive's lock is taken once, where the crawl opens the archive (crawler.context), while the
crawler is built and before the first request: there is no moment between a check and the taking in
which a second crawl could slip through.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import traceback
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.archive.lock import DatabaseBusy
from crawler.arguments import ArgumentError, load_configuration
from crawler.cluster.connection import ClusterUnavailable
from crawler.extensions.summary import exit_status, verdict
from crawler.seeds import SeedsError
from crawler.spiders.news import BadConfiguration, NewsSpider

logger = logging.getLogger(__name__)

# What stops a crawl before it starts and is the operator's to fix, not a bug.
STARTUP_ERRORS = (DatabaseBusy, BadConfiguration, ArgumentError, SeedsError, ClusterUnavailable)
EXIT_BAD_CONFIGURATION = 2


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)
            return
        assert self.settings is not None and self.crawler_process is not None
        if args[0] == NewsSpider.name:
            try:
                load_configuration(opts.spargs, self.settings.get("INGEST_SEEDS"))
            except (ArgumentError, SeedsError) as exc:
                self._cannot_start(exc, logged=False)
                return
        startup_error: list[BaseException] = []
        crawler = self._create_crawler(args[0])
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        _on_failure(running, startup_error.append)
        self.crawler_process.start()
        if startup_error and isinstance(startup_error[0], STARTUP_ERRORS):
            # The spider logged a BadConfiguration itself, before raising; the others are logged here.
            self._cannot_start(startup_error[0], logged=isinstance(startup_error[0], BadConfiguration))
        elif startup_error or self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif args[0] == NewsSpider.name and crawler.stats is not None and not self.settings.get("INGEST_REDIS_URL"):
            # A cluster worker sees only the listings it happened to pop: its verdict on sources would
            # be a guess. The cluster's is `scrapy sources` over the archive the writer fills.
            stats = crawler.stats.get_stats()
            self.exitcode = exit_status(stats)
            line = verdict(stats)
            if line:
                logger.error("%s", line)  # again, as the very last line, after Scrapy's stats dump

    def _cannot_start(self, exc: BaseException, *, logged: bool) -> None:
        message = f"Cannot start the crawl: {exc}"
        if not logged:
            logger.error("%s", message)
        assert self.settings is not None
        if self.settings.get("LOG_FILE"):  # without one, logging already wrote it to stderr
            print(message, file=sys.stderr)
        self.exitcode = EXIT_BAD_CONFIGURATION


def _on_failure(running: Any, record: Any) -> None:
    """Call ``record(exception)`` if the crawl fails; an expected startup error is taken here, so
    asyncio or Twisted does not print it again as an unretrieved or unhandled error with a traceback."""
    if isinstance(running, asyncio.Future):

        def done(task: asyncio.Future[Any]) -> None:
            if not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                record(exc)
                if not isinstance(exc, STARTUP_ERRORS):
                    traceback.print_exception(exc, file=sys.stderr)  # a bug: its traceback is wanted

        running.add_done_callback(done)
    elif isinstance(running, Deferred):

        def failed(failure: Failure) -> Failure | None:
            record(failure.value)
            return None if failure.check(*STARTUP_ERRORS) else failure

        running.addErrback(failed)
    else:  # pragma: no cover - Scrapy returns one of the two
        raise UsageError(f"unexpected crawl handle {running!r}")
