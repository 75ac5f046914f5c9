"""Home and section pages in cluster mode: which pages the run requested is shared by the workers,
and the URL shapes section pages are judged by come from the writer's record, not an archive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from lxml.html import fromstring

from crawler.cluster.keys import ClusterKeys
from crawler.cluster.state import RECENT_URLS, RedisPages, RedisState, StoredArticle
from crawler.discovery.sections import UrlShapes
from crawler.spiders.pages import PageFollower
from tests.cluster.redis_server import RedisServer

KEYS = ClusterKeys()
HOME = """<html><body><nav><a href="/politics/">Politics</a> <a href="/sport/">Sport</a></nav>
<a href="/?page=2" rel="next">Next</a></body></html>"""


@pytest.fixture
def client(tmp_path: Path) -> Iterator[redis.Redis]:
    with RedisServer(tmp_path / "redis") as server:
        yield redis.Redis.from_url(server.url)


def test_two_workers_follow_a_pages_sections_and_next_page_once(client: redis.Redis) -> None:
    seeder, other = (PageFollower(max_pagination=2, book=RedisPages(client, KEYS)) for _ in range(2))
    seeder.seeded("https://news.example/")
    first = seeder.follow(fromstring(HOME), "https://news.example/", depth=0, page_number=0, shapes=UrlShapes())
    again = other.follow(fromstring(HOME), "https://news.example/", depth=0, page_number=0, shapes=UrlShapes())
    assert first.sections == ["https://news.example/politics/", "https://news.example/sport/"]
    assert first.next_page == "https://news.example/?page=2"
    assert (again.sections, again.next_page, again.pagination_over_limit) == ([], None, False)


def test_the_writers_record_of_new_articles_gives_the_shapes(client: redis.Redis) -> None:
    state = RedisState(client, KEYS)
    state.remember_stored([
        StoredArticle(f"id{n}", f"https://news.example/2024/03/0{n}/story.html", "news", None, "2024-03-01T09:00:00+00:00", new=True)
        for n in range(1, 4)
    ])
    state.remember_stored([StoredArticle("id1", "https://news.example/2024/03/01/story.html", "news", None, "2024-03-02T09:00:00+00:00")])
    assert state.article_urls("news") == [f"https://news.example/2024/03/0{n}/story.html" for n in (3, 2, 1)]
    assert state.article_urls("other") == []
    assert UrlShapes.of(state.article_urls("news")).knows("https://news.example/2024/04/09/story.html")


def test_one_batch_of_the_writer_keeps_each_sources_newest_urls_newest_first(client: redis.Redis) -> None:
    state = RedisState(client, KEYS)
    url = "https://{}.example/story-{}.html"
    batch = [StoredArticle(f"{s}{n}", url.format(s, n), s, None, "2024-03-01T09:00:00+00:00", new=True) for n in range(RECENT_URLS + 5) for s in ("a", "b")]
    batch.append(StoredArticle("old", url.format("a", 0), "a", None, "2024-03-01T09:00:00+00:00"))  # not new: not listed again
    state.remember_stored(batch)
    for source in ("a", "b"):
        assert state.article_urls(source) == [url.format(source, n) for n in range(RECENT_URLS + 4, 4, -1)]
