"""Scrapy settings for the news crawler, and the defaults of every INGEST_* setting.

Each INGEST_* setting is read once, in the ``from_crawler`` of the component that owns it, and
documented in README.md (a test checks that).
"""

from __future__ import annotations

BOT_NAME = "news_ingest"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# --- what this crawler is and how politely it fetches ---------------------------------------
USER_AGENT = "news-ingest/0.1 (+https://github.com/news-ingest/news-ingest)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control HTTP endpoint runs arbitrary Python: an unattended crawler needs none.
REMOTE_CONTROL_ENABLED = False
# Send only the origin, and only to the same origin: article URLs are nobody else's business.
REFERRER_POLICY = "same-origin"
RETRY_TIMES = 2
# The spider logs every final failure with its URL and reason; Scrapy's own line is not an error.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
# Scrapy re-reads a generator callback's source (inspect + ast) on every response to warn about a
# `return value` in it: ~9% of the crawl's CPU. Our callbacks are checked by tests and linters instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

# --- safety and limits (README: "Safety and limits") ---------------------------------------------
DOWNLOAD_TIMEOUT = 30
# Applies to the decompressed size too (Scrapy's HttpCompressionMiddleware enforces it).
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
METAREFRESH_ENABLED = False
# Refuses DNS answers that point inside the network (see crawler/resolver.py).
TWISTED_DNS_RESOLVER = "crawler.resolver.PrivateAddressGuardResolver"
URLLENGTH_LIMIT = 2083
DEPTH_LIMIT = 4

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt and the download itself, so a refused URL costs nothing.
    "crawler.middlewares.addresses.AddressFilterMiddleware": 50,
    # robots.txt per RFC 9309: an unreachable or 5xx robots.txt defers the host instead of allowing all.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.DeferringRobotsTxtMiddleware": 100,
    # Above the retry middleware (550), so it sees a 429/503's Retry-After before the retry is made.
    "crawler.middlewares.botwalls.BotWallMiddleware": 560,
}

SPIDER_MIDDLEWARES = {
    # Closest to the spider: sees its requests first and drops what an earlier run already has.
    "crawler.middlewares.incremental.IncrementalMiddleware": 950,
    # Cluster mode only (INGEST_REDIS_URL): seeds the run once, ends workers when the cluster is idle.
    "crawler.middlewares.cluster.ClusterMiddleware": 20,
}

# Cluster mode: the per-host delay and concurrency above hold across all workers (crawler/middlewares/
# hostgate.py); without INGEST_REDIS_URL these are Scrapy's own HTTP handler.
DOWNLOAD_HANDLERS = {
    "http": "crawler.middlewares.hostgate.HostGateDownloadHandler",
    "https": "crawler.middlewares.hostgate.HostGateDownloadHandler",
}

# Scrapy's own scheduler, or scrapy-redis's over INGEST_REDIS_URL (crawler/cluster/frontier.py).
SCHEDULER = "crawler.cluster.frontier.ClusterScheduler"

# --- the pipeline: clean -> dedupe paragraphs -> dates -> require content -> the archive (source
#     boilerplate, story linking and storage, in one transaction per batch) -----------------------
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 300,
    "pipelines.languages.LanguagePipeline": 350,
    "pipelines.paragraphs.ParagraphDedupPipeline": 400,
    "pipelines.dates.DateSanityPipeline": 450,
    "pipelines.required.RequiredFieldsPipeline": 500,
    "pipelines.archive.ArchivePipeline": 900,
    # Cluster mode only: items go to `scrapy archive-writer` over a Redis Stream instead.
    "pipelines.stream.StreamPipeline": 910,
}

EXTENSIONS = {
    "crawler.extensions.runs.CrawlRunsExtension": 100,
    "crawler.extensions.progress.ProgressExtension": 500,
    "crawler.extensions.summary.SourceSummaryExtension": 510,
    # Off unless INGEST_WARC_DIR is set (NotConfigured).
    "crawler.extensions.warc.WarcWriterExtension": 520,
    # Our progress line replaces Scrapy's per-minute "Crawled N pages" line.
    "scrapy.extensions.logstats.LogStats": None,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# --- INGEST_* defaults ---------------------------------------------------------------------------
INGEST_SEEDS = "seeds"
INGEST_DB_PATH = "news.db"
INGEST_STORAGE_BATCH_SIZE = 25
INGEST_STORAGE_FLUSH_SECONDS = 1.0  # a batch not yet full is written this long after its first article
INGEST_PROGRESS_INTERVAL = 60.0
INGEST_CLEAN_RULES = ""  # empty: the bundled pipelines/junk_rules.toml
INGEST_TRACKING_PARAMS: list[str] = []  # empty: crawler.urls.DEFAULT_TRACKING_PARAMS
INGEST_MIN_BODY_CHARS = 200
INGEST_EXTRACTION_MAX_BYTES = 8 * 1024 * 1024  # larger pages are not parsed (ExtractionBudgetExceeded)
INGEST_EXTRACTION_MAX_SECONDS = 5.0  # one page's extraction is interrupted after this; 0: no limit
INGEST_ALLOW_PRIVATE_NETWORKS = False
INGEST_INCREMENTAL = True
INGEST_REFRESH_MAX_AGE_HOURS = 48.0
INGEST_REFRESH_INTERVAL_HOURS = 6.0
INGEST_REFRESH_MAX_ARTICLES = 1000
INGEST_ADAPTIVE_POLLING = False
INGEST_POLL_MIN_MINUTES = 15.0
INGEST_POLL_MAX_MINUTES = 720.0
INGEST_KEEP_RAW_HTML = True
INGEST_EARLIEST_DATE = "1990-01-01"
INGEST_FUTURE_DATE_TOLERANCE_MINUTES = 120.0
INGEST_MAX_ENTRIES_PER_LISTING = 2000
INGEST_MAX_SITEMAP_DEPTH = 3
INGEST_PAGES_MAX_PAGINATION = 2  # pages of a home or section page listing followed, the first included
INGEST_DUPLICATES_ENABLED = True
INGEST_DUPLICATES_POLICY = "link"  # or "drop"
INGEST_NEAR_DUPLICATE_THRESHOLD = 0.6
INGEST_DUPLICATES_MAX_DAYS_APART = 7.0
INGEST_BOILERPLATE_ENABLED = True
INGEST_BOILERPLATE_MIN_ARTICLES = 5
INGEST_BOILERPLATE_MAX_CHARS = 300
INGEST_BOILERPLATE_MIN_SHARE = 0.1
INGEST_SOURCES_FAILING_RUNS = 3  # `scrapy sources`: runs in a row without one listing make a source "failing"
INGEST_BOTWALL_BACKOFF_HOURS = 1.0  # a host behind a bot wall is not asked again for this long, doubled per wall
INGEST_BOTWALL_BACKOFF_MAX_HOURS = 24.0
INGEST_RETRY_AFTER_MAX_SECONDS = 60.0  # a longer Retry-After defers the host to a later run
INGEST_WARC_DIR = ""  # empty: no WARC output
INGEST_WARC_PREFIX = "news-ingest"
INGEST_WARC_MAX_BYTES = 1024**3  # a file is closed, and a new one opened, past this size (the IA's 1 GB)
INGEST_WARC_MAX_SECONDS = 3600.0  # ... or this long after it was opened; 0: no limit
INGEST_WARC_IMPORT_CHUNK_BYTES = 8 * 1024 * 1024  # import-warc reads (and downloads, by Range) in such pieces
# Cluster mode: empty runs one process on SQLite; a redis:// URL makes this process a cluster worker.
INGEST_REDIS_URL = ""
INGEST_REDIS_STREAM_MAXLEN = 10000  # unwritten stream entries at which workers wait for the writer
INGEST_REDIS_POLITENESS = True  # DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN per host, cluster-wide
INGEST_REDIS_ALIVE_SECONDS = 15  # a worker silent this long is dead: its requests go back in the queue
INGEST_WRITER_BATCH_SIZE = 500  # stream entries `scrapy archive-writer` writes per transaction, at most
