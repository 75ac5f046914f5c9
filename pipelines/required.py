"""Drop articles that are not worth archiving: no title or (almost) no body after cleaning."""

from __future__ import annotations

import re
from typing import Any, Self

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.items import Article
from pipelines.stage import ContentStagePipeline


class MissingTitle(DropItem):
    """The page has no title we could find."""


class EmptyBody(DropItem):
    """Less body text than INGEST_MIN_BODY_CHARS once junk and repeats are removed."""


class NotAnArticle(DropItem):
    """A link from a home or section page led to a page with no article metadata (no date, no
    author): a listing, a topic page. Remembered, so it is not fetched again."""


class SoftNotFound(DropItem):
    """A "page not found" served with status 200."""


# Error pages that answer 200: short, and titled like an error page.
NOT_FOUND_TITLE = re.compile(
    r"(^|\W)(404|page not found|not found|seite (wurde )?nicht gefunden|page (non )?introuvable|"
    r"página no encontrada|pagina non trovata|pagina niet gevonden)(\W|$)",
    re.IGNORECASE,
)
SOFT_404_MAX_CHARS = 1500


class RequiredFieldsPipeline(ContentStagePipeline):
    def __init__(self, min_body_chars: int, stats: StatsCollector | None = None) -> None:
        self.min_body_chars = min_body_chars
        self.stats = stats

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        return cls(settings.getint("INGEST_MIN_BODY_CHARS"), stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if not (item.title or "").strip():
            self._count("ingest/required/missing_title", item)
            raise MissingTitle(f"{item.url}: no title")
        length = sum(len(block.text) for block in item.blocks)
        if length < SOFT_404_MAX_CHARS and NOT_FOUND_TITLE.search(item.title or ""):
            self._count("ingest/required/soft_not_found", item)
            raise SoftNotFound(f"{item.url}: an error page served as 200 (title {item.title!r})")
        if item.listing_kind == "page" and not item.published_at and not item.authors:
            self._count("ingest/required/not_an_article", item)
            raise NotAnArticle(f"{item.url}: linked from a section page, but no date and no author: not an article")
        if length < self.min_body_chars:
            self._count("ingest/required/empty_body", item)
            raise EmptyBody(f"{item.url}: body has {length} characters (< {self.min_body_chars})")
        return item

    def _count(self, key: str, item: Article) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
