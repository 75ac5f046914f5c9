"""Remove scraper junk and page furniture from article bodies, by a data-driven rule list."""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Self

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.items import Article, Block
from pipelines.stage import ContentStagePipeline

logger = logging.getLogger(__name__)

BUNDLED_RULES = "junk_rules.toml"


@dataclass(frozen=True)
class JunkRule:
    name: str
    pattern: re.Pattern[str]


def bundled_rules_text() -> str:
    # importlib.resources, not __file__: the package may run from a zipped egg (Scrapyd).
    return resources.files("pipelines").joinpath(BUNDLED_RULES).read_text(encoding="utf-8")


def load_rules(path: Path | None = None) -> list[JunkRule]:
    """Read a rules file (None: the bundled list); a bad rule fails with the file, the rule and the reason."""
    origin = str(path) if path else f"pipelines/{BUNDLED_RULES}"
    try:
        text = path.read_text(encoding="utf-8") if path else bundled_rules_text()
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{origin}: cannot read junk rules: {exc}") from None
    return parse_rules(data, origin)


def parse_rules(data: dict[str, Any], path: str) -> list[JunkRule]:
    rules: list[JunkRule] = []
    for index, entry in enumerate(data.get("rule", []), start=1):
        name, pattern = entry.get("name"), entry.get("pattern")
        if not isinstance(name, str) or not isinstance(pattern, str):
            raise ValueError(f"{path}: rule #{index}: keys 'name' and 'pattern' are required strings")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{path}: rule {name!r}: key 'pattern': {exc}") from None
        rules.append(JunkRule(name, compiled))
    return rules


def matching_rule(text: str, rules: list[JunkRule]) -> JunkRule | None:
    # runs of whitespace as one space: str.split() splits at exactly what re's \s matches, six times faster
    normalised = " ".join(text.split())
    for rule in rules:
        if rule.pattern.fullmatch(normalised):
            return rule
    return None


def clean_blocks(blocks: list[Block], rules: list[JunkRule]) -> tuple[list[Block], list[str]]:
    """The blocks no rule matches, in order, and the names of the rules that removed the others."""
    kept: list[Block] = []
    removed: list[str] = []
    for block in blocks:
        rule = matching_rule(block.text, rules)
        if rule is None and block.text.strip():
            kept.append(block)
        elif rule is not None:
            removed.append(rule.name)
    return kept, removed


class CleanPipeline(ContentStagePipeline):
    def __init__(self, rules: list[JunkRule], stats: StatsCollector | None = None) -> None:
        self.rules = rules
        self.stats = stats

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None = None) -> Self:
        path = settings.get("INGEST_CLEAN_RULES")
        return cls(load_rules(Path(path) if path else None), stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        item.blocks, removed = clean_blocks(item.blocks, self.rules)
        for name in removed:
            if self.stats is not None:
                self.stats.inc_value(f"ingest/clean/removed/{name}")
        if removed:
            logger.debug("Cleaned %s: removed %s", item.url, ", ".join(removed))
        return item
