"""The furniture of a real news page, generated: links, headlines, teaser cards, reader comments, inline scripts.

Real pages are 50–150 KB while the article in them is a few KB: the rest is this, and trafilatura's cost grows
with the page, not the article. Shared by the benchmarks that pad pages to a real page's size
(crawl_cost.py, news_pages.py); every piece is drawn from the ``random.Random`` it is given, so a page is the
same in every run. ``words`` is the vocabulary of the text (English by default).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from tests.sitegen import WORDS

SECTIONS = (
    "news world politics business markets tech science health education environment sport football "
    "tennis culture film music books travel food style opinion letters weather traffic obituaries"
).split()


def headline(rng: random.Random, low: int = 6, high: int = 12, words: Sequence[str] = WORDS) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize()


def link(rng: random.Random, text: str) -> str:
    section = rng.choice(SECTIONS)
    return (
        f'<a href="{{{{base}}}}/{section}/{rng.randint(1000, 99999)}-{text.lower().replace(" ", "-")[:40]}">{text}</a>'
    )


def script(rng: random.Random, words: Sequence[str] = WORDS) -> str:
    """An inline script of the kind ad, analytics and consent code puts on every page (~1.5 KB)."""
    keys = ", ".join(f'"{rng.choice(words)}_{i}": "{rng.getrandbits(64):016x}"' for i in range(24))
    return (
        "<script>(function(w,d){var c={" + keys + "};w.dataLayer=w.dataLayer||[];"
        "w.dataLayer.push({event:'page',config:c});var s=d.createElement('script');s.async=true;"
        f"s.src='https://cdn.example/tag-{rng.randint(1, 999)}.js';"
        "d.head.appendChild(s);})(window,document);</script>\n"
    )


def card(rng: random.Random, words: Sequence[str] = WORDS) -> str:
    teaser = " ".join(rng.choice(words) for _ in range(rng.randint(14, 24))).capitalize() + "."
    return (
        f'<div class="card"><a class="card-image" href="{{{{base}}}}/news/{rng.randint(1, 99999)}">'
        f'<img src="/img/thumb-{rng.randint(1, 9999)}.jpg" alt="" width="320" height="180" loading="lazy"></a>'
        f'<h4 class="card-title">{link(rng, headline(rng, words=words))}</h4><p class="card-teaser">{teaser}</p>'
        f'<span class="card-meta">{rng.randint(1, 23)} hours ago · {rng.choice(SECTIONS).title()}</span></div>\n'
    )


def comment(rng: random.Random, index: int, words: Sequence[str] = WORDS) -> str:
    text = " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize() + "." for _ in range(3))
    return (
        f'<li class="comment" id="comment-{index}"><div class="comment-meta"><span class="comment-author">'
        f"reader{rng.randint(1, 9999)}</span> <time>{rng.randint(1, 59)} minutes ago</time></div>"
        f'<div class="comment-body"><p>{text}</p></div><div class="comment-actions"><button>Reply</button> '
        f'<button>Like ({rng.randint(0, 99)})</button> <a href="#report-{index}">Report</a></div></li>\n'
    )
