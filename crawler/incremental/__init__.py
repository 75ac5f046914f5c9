"""Incremental crawling's pure core: what was fetched before, and what to fetch now.

No Scrapy component and no database here: `crawler.middlewares.incremental` applies these decisions
to requests and responses, and the archive stores the state they read.
"""
