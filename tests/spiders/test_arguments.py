"""The `news` spider's `-a` arguments (crawler/arguments.py): one table of bad values -> the message.

Each row is checked twice: where the arguments are parsed, and where a runner meets them — the spider
built from a crawler, which must refuse to start with the project's BadConfiguration.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.arguments import ArgumentError, load_configuration
from crawler.seeds import SeedsError
from crawler.spiders.news import BadConfiguration, NewsSpider

SEEDS = """\
[[source]]
name = "dailyplanet"
feeds = ["https://dailyplanet.example/feed.rss"]

[[source]]
name = "tagesblatt"
sitemaps = ["https://tagesblatt.example/sitemap.xml"]
"""

# `-a` arguments -> the exact message. {seeds} is a valid seeds file, {tmp} a directory without any.
BAD_ARGUMENTS = [
    ({"colour": "red"}, "-a colour: unknown spider argument (known: seeds, since, sources)"),
    ({"zone": "x", "depth": "2"}, "-a depth: unknown spider argument (known: seeds, since, sources)"),
    ({"since": "yesterday"}, "-a since=yesterday: expected a date as YYYY-MM-DD"),
    ({"since": "2024-13-01"}, "-a since=2024-13-01: expected a date as YYYY-MM-DD"),
    ({"since": "01/05/2024"}, "-a since=01/05/2024: expected a date as YYYY-MM-DD"),
    ({"sources": " , ,"}, "-a sources: expected comma-separated source names"),
    ({"sources": "dailyplanet,nowhere"}, "-a sources: no source named 'nowhere' in {seeds}"),
    ({"seeds": "{tmp}/missing.toml"}, "{tmp}/missing.toml: no such seeds file or directory"),
    ({"seeds": "{tmp}"}, "{tmp}: no *.toml seeds files in this directory"),
]  # fmt: skip


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    path = tmp_path / "seeds" / "news.toml"
    path.parent.mkdir()
    path.write_text(SEEDS, encoding="utf-8")
    return path


def filled(template: str, seeds: Path) -> str:
    return template.format(seeds=seeds, tmp=seeds.parent.parent)


def filled_kwargs(kwargs: dict[str, str], seeds: Path) -> dict[str, str]:
    return {name: filled(value, seeds) for name, value in kwargs.items()}


@pytest.mark.parametrize(("kwargs", "message"), BAD_ARGUMENTS)
def test_bad_argument_message(seeds: Path, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises((ArgumentError, SeedsError)) as raised:
        load_configuration(filled_kwargs(kwargs, seeds), default_seeds=str(seeds))
    assert str(raised.value) == filled(message, seeds)


@pytest.mark.parametrize(("kwargs", "message"), BAD_ARGUMENTS)
def test_spider_refuses_to_start_on_bad_argument(
    seeds: Path, kwargs: dict[str, str], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = get_crawler(NewsSpider, {"INGEST_SEEDS": str(seeds)})
    with caplog.at_level(logging.ERROR, logger="crawler.spiders.news"), pytest.raises(BadConfiguration) as raised:
        crawler._create_spider(**filled_kwargs(kwargs, seeds))
    assert str(raised.value) == filled(message, seeds)
    assert [r.getMessage() for r in caplog.records] == [f"Cannot start the crawl: {filled(message, seeds)}"]


def test_spider_takes_good_arguments(seeds: Path) -> None:
    crawler = get_crawler(NewsSpider, {"INGEST_SEEDS": str(seeds)})
    spider: Any = crawler._create_spider(since="2024-05-01", sources=" tagesblatt ", _job="6f1c")
    assert spider.arguments.since == datetime(2024, 5, 1, tzinfo=UTC)
    assert spider.arguments.sources == ("tagesblatt",)
    assert spider.arguments.seeds == seeds
    assert list(spider.sources) == ["tagesblatt"]
    assert spider.sources["tagesblatt"].sitemaps == ("https://tagesblatt.example/sitemap.xml",)


def test_seeds_argument_overrides_the_setting(seeds: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[[source]]\nname = "wire"\nfeeds = ["https://wire.example/feed.rss"]\n', encoding="utf-8")
    crawler = get_crawler(NewsSpider, {"INGEST_SEEDS": str(seeds)})
    spider: Any = crawler._create_spider(seeds=str(other))
    assert list(spider.sources) == ["wire"]
