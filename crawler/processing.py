"""The within-article stages of the item pipeline, runnable outside a crawl.

`scrapy extract` and `scrapy reextract` must clean an article exactly as a crawl does. Rather than
re-listing the stages, they take them from ITEM_PIPELINES: every pipeline class that declares
``content_stage = True`` (the base pipelines.stage.ContentStagePipeline does) works on one article alone
(no database, no other articles), and is built from settings with its ``from_settings(settings, stats)``
classmethod.
"""

from __future__ import annotations

from typing import Any, Protocol

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from crawler.items import Article


class ContentStage(Protocol):
    content_stage: bool

    def process_item(self, item: Any) -> Any: ...


def build_content_stages(settings: BaseSettings, stats: StatsCollector | None = None) -> list[ContentStage]:
    """The content stages of ITEM_PIPELINES, in pipeline order."""
    stages: list[ContentStage] = []
    for path in build_component_list(settings.getwithbase("ITEM_PIPELINES")):
        cls = load_object(path)
        if getattr(cls, "content_stage", False):
            stages.append(cls.from_settings(settings, stats))
    return stages


def run_content_stages(article: Article, stages: list[ContentStage]) -> Article:
    """Run an article through the stages; a stage may raise DropItem."""
    item: Any = article
    for stage in stages:
        item = stage.process_item(item)
    return item
