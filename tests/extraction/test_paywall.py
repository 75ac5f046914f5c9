from __future__ import annotations

import pytest

from crawler.extraction.paywall import paywall
from crawler.items import Block

BODY = [Block("The council voted nine to four for the tram line on Tuesday."), Block("Work starts in spring.")]


@pytest.mark.parametrize(
    "prompt",
    [
        "Subscribe to continue reading.",
        "Sign up now to keep reading this story",
        "This article is only available for subscribers.",
        "Already a subscriber? Log in",
        "La suite est réservée aux abonnés.",
        "Il vous reste 72 % de cet article à lire.",
        "Jetzt weiterlesen mit SZ Plus",
        "Dieser Artikel ist nur für Abonnenten",
    ],
)
def test_a_body_ending_at_a_prompt_is_paywalled_and_truncated(prompt: str) -> None:
    blocks, access, truncated = paywall([*BODY, Block(prompt)], [])
    assert (blocks, access, truncated) == (BODY, "paywalled", True)


def test_a_prompt_in_the_middle_or_a_long_paragraph_is_not_a_marker() -> None:
    long = "Subscribe to continue reading, the mayor joked, " + "and the council laughed at length. " * 8
    assert paywall([*BODY, Block(long)], []) == ([*BODY, Block(long)], None, False)
    middle = [Block("Subscribe to continue reading."), *BODY]
    assert paywall(middle, []) == (middle, None, False)


@pytest.mark.parametrize(
    ("script", "access"),
    [
        ('{"@type": "NewsArticle", "isAccessibleForFree": false}', "paywalled"),
        ('{"@type": "NewsArticle", "isAccessibleForFree": "False"}', "paywalled"),
        ('{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "isAccessibleForFree": "false"}]}', "paywalled"),
        ('[{"@type": "NewsArticle", "isAccessibleForFree": true}]', None),
        ('{"@type": "NewsArticle"}', None),
        ("not json", None),
    ],
)
def test_json_ld_declaration(script: str, access: str | None) -> None:
    assert paywall(BODY, [script]) == (BODY, access, False)
