"""The crawl's limits, read from settings in one place (README: "Safety and limits")."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.settings import BaseSettings

from crawler.extraction import Budget
from crawler.urls import DEFAULT_TRACKING_PARAMS


@dataclass(frozen=True)
class SpiderLimits:
    tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS
    max_size: int = 0  # bytes a gzipped sitemap may decompress to (DOWNLOAD_MAXSIZE); 0: no cap
    max_url_length: int = 2083
    max_entries: int = 2000  # entries taken from one listing per run
    max_sitemap_depth: int = 3
    max_pagination: int = 2  # pages of one home or section page listing followed per run
    keep_raw_html: bool = True
    budget: Budget = field(default_factory=Budget)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SpiderLimits:
        return cls(
            tracking_params=tuple(settings.getlist("INGEST_TRACKING_PARAMS")) or DEFAULT_TRACKING_PARAMS,
            max_size=settings.getint("DOWNLOAD_MAXSIZE"),
            max_url_length=settings.getint("URLLENGTH_LIMIT") or 2083,
            max_entries=settings.getint("INGEST_MAX_ENTRIES_PER_LISTING"),
            max_sitemap_depth=settings.getint("INGEST_MAX_SITEMAP_DEPTH"),
            max_pagination=settings.getint("INGEST_PAGES_MAX_PAGINATION", 2),
            keep_raw_html=settings.getbool("INGEST_KEEP_RAW_HTML"),
            budget=Budget(
                settings.getint("INGEST_EXTRACTION_MAX_BYTES"), settings.getfloat("INGEST_EXTRACTION_MAX_SECONDS")
            ),
        )
