"""The end-to-end tests' site server: crawler.demo.server, under the name Scrapy's own tests use.

The server lives in the package because `make demo` serves demo/site/ with it; its serving rules
(templating, gzip, validators, sidecar faults) are documented there. ``python -m tests.mockserver``
still runs it, for serving tests/sites by hand.
"""

from __future__ import annotations

from crawler.demo.launcher import SiteServer as MockServer
from crawler.demo.server import StaticSiteServer, main

__all__ = ["MockServer", "StaticSiteServer"]

if __name__ == "__main__":
    main()
