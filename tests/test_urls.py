from __future__ import annotations

import pytest

from crawler.urls import article_id, clean_url, url_key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.COM:80/a/B/?x=1#frag", "http://www.example.com/a/B/?x=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a?utm_source=rss&id=7&fbclid=abc&UTM_Medium=x", "https://example.com/a?id=7"),
        ("https://example.com/a?gclid=1&mc_cid=2&mc_eid=3", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com/a?q=%20a", "https://example.com/a?q=%20a"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    assert clean_url(url) == expected


def test_variants_share_one_key_and_id() -> None:
    variants = [
        "https://example.com/news/story/",
        "https://EXAMPLE.com:443/news/story?utm_campaign=feed",
        "https://example.com/news/story#comments",
    ]
    assert len({url_key(v) for v in variants}) == 1
    assert len({article_id(v) for v in variants}) == 1
    assert article_id("https://example.com/news/other") != article_id(variants[0])


def test_custom_tracking_params() -> None:
    assert clean_url("https://e.com/a?ref=x&id=1", ["ref"]) == "https://e.com/a?id=1"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.example.com/a", "https://example.com/amp/a", True),
        ("https://m.example.com/a", "https://www.example.com/a", True),
        ("https://amp.example.com/a", "https://example.com/a", True),
        ("http://example.com/a", "https://example.com/a", False),  # another port
        ("https://example.com/a", "https://other.example/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/a", False),
    ],
)
def test_same_site(a: str, b: str, same: bool) -> None:
    from crawler.urls import same_site

    assert same_site(a, b) is same
