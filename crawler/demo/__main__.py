"""`python -m crawler.demo [CRAWL ARGS...]` (what `make demo` runs): serve demo/site/, crawl it, print what was
stored. Arguments are handed to the crawl: `make demo DEMO_ARGS="-s INGEST_WARC_DIR=demo-warcs"`."""

from __future__ import annotations

import sys

from crawler.demo.run import main

sys.exit(main(sys.argv[1:]))
