"""The WARC import job of `scrapy import-warc`: records in, articles through the crawl's extraction,
content stages and archive, progress kept per input. Runnable without the command (the benchmark does).

importer: one run over local or remote inputs; remote: their download through Scrapy's downloader.
"""
