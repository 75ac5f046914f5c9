"""`python -m crawler.demo` (what `make demo` runs): serve demo/site/, crawl it, print what was stored."""

from __future__ import annotations

import sys

from crawler.demo.run import main

sys.exit(main())
