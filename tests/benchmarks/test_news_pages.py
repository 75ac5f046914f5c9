"""The WARC import benchmark's pages: distinct articles of a real page's size, one in ten a wire copy."""

from __future__ import annotations

import pytest

from benchmarks.news_pages import MAX_KB, MIN_KB, WIRE_EVERY, news_pages
from crawler.extraction import extract_article
from crawler.items import Article
from crawler.pages import decode_page

FIXTURES = 19  # pages under tests/sites
COPIES = 3 * FIXTURES


def shingles(article: Article) -> set[tuple[str, ...]]:
    words = article.body.split()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def overlap(a: Article, b: Article) -> float:
    first, second = shingles(a), shingles(b)
    return len(first & second) / max(1, min(len(first), len(second)))


@pytest.fixture(scope="module")
def articles() -> list[tuple[str, int, Article]]:
    extracted = []
    for page in news_pages(COPIES):
        text, _ = decode_page(page.html, "text/html; charset=utf-8")
        extracted.append((page.url, len(page.html), extract_article(text, page.url)))
    return extracted


def test_pages_are_of_a_real_news_pages_size(articles: list[tuple[str, int, Article]]) -> None:
    sizes = [size for _, size, _ in articles]
    # the drawn size is met to within the last piece of furniture added (a few KB)
    assert all(MIN_KB * 1024 <= size <= (MAX_KB + 8) * 1024 for size in sizes), sizes
    assert 80 * 1024 < sum(sizes) / len(sizes) < 120 * 1024


def test_copies_of_one_fixture_are_distinct_articles(articles: list[tuple[str, int, Article]]) -> None:
    for n in range(FIXTURES):
        first, second = articles[n][2], articles[n + FIXTURES][2]
        if (n + FIXTURES) % WIRE_EVERY == WIRE_EVERY - 1:
            continue  # a wire copy: the next test
        assert first.title != second.title
        assert overlap(first, second) < 0.1, articles[n][0]


def test_one_copy_in_ten_is_a_wire_copy_of_an_earlier_one(articles: list[tuple[str, int, Article]]) -> None:
    wires = [n for n in range(FIXTURES, COPIES) if n % WIRE_EVERY == WIRE_EVERY - 1]
    assert len(wires) == 4
    for n in wires:
        url, _, wire = articles[n]
        original = articles[n - FIXTURES][2]
        assert "://wire" in url and "://wire" not in original.url
        assert wire.title == original.title and wire.body != original.body
        assert overlap(wire, original) > 0.9


def test_a_site_keeps_one_host_and_its_language(articles: list[tuple[str, int, Article]]) -> None:
    languages = {}
    for url, _, article in articles:
        host, _, site = url.split("/")[2:5]  # https://<host>/<copy>/<site>/...
        if not host.startswith("wire"):
            assert host == f"www.{site}.example"
            languages[site] = article.language
    assert languages["tagesblatt"] == "de" and languages["lemonde-demo"] == "fr" and languages["dailyplanet"] == "en"
