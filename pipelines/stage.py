"""The base of the within-article pipeline stages (clean, paragraphs, dates, required).

A content stage works on one article alone, no database and no other articles, so `scrapy extract`
and `scrapy reextract` run it outside a crawl (crawler.processing finds it by ``content_stage``). It is
built from settings once: in a crawl through ``from_crawler``, outside one through ``from_settings``.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector


class ContentStagePipeline:
    content_stage = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls.from_settings(crawler.settings, crawler.stats)

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        raise NotImplementedError
