"""Pure parsers that turn feeds, sitemaps and HTML pages into URLs worth fetching.

No network and no Scrapy here: every function takes bytes (or text) and a URL and returns data.
"""

from __future__ import annotations

from crawler.discovery.autodiscovery import find_feed_links
from crawler.discovery.entries import Entry
from crawler.discovery.feeds import FeedError, ParsedFeed, parse_feed
from crawler.discovery.sitemaps import ParsedSitemap, SitemapError, parse_sitemap
from crawler.discovery.sniff import sniff

__all__ = [
    "Entry",
    "FeedError",
    "ParsedFeed",
    "ParsedSitemap",
    "SitemapError",
    "find_feed_links",
    "parse_feed",
    "parse_sitemap",
    "sniff",
]
