"""WARC building blocks: HTTP messages as WARC records, rotating WARC files, a reader that survives
bad input. They know no crawl and no archive: the WARC extension writes with them, `scrapy
import-warc` reads with them."""
