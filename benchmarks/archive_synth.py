"""Synthetic articles for benchmarks/archive_write.py, as plain dicts (standard library only).

Both the new writer and the old release's pipelines (another checkout, another process) import this
module and build their own Article items from the same dicts, so both store exactly the same input.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

SOURCES = ("gazette", "herald", "courier", "tribune", "chronicle")
PROMOS = {
    source: f"Sign up for the {source.title()} morning briefing: the day's news in your inbox before 7am."
    for source in SOURCES
}
NEAR_COPY_SHARE = 0.10
RAW_HTML_BYTES = 30_000


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ter", "an", "so", "ri", "ven", "dal", "por", "es", "ul", "tra", "ne", "bi", "gor"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(size)]


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(10, 20))]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 9999)))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _paragraph(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(_sentence(rng, vocab) for _ in range(rng.randint(2, 5)))


def _raw_html(rng: random.Random, title: str, paragraphs: list[str], size: int = RAW_HTML_BYTES) -> bytes:
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    page = f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\n{body}</article>"
    furniture = []
    while len(page) + sum(map(len, furniture)) < size:
        number = rng.randint(1, 99999)
        link = f'<a href="/section/{number}/story-{number * 7}.html">Story {number}</a>'
        furniture.append(f'<li class="nav-item">{link}</li>\n')
    return (page + "<nav><ul>" + "".join(furniture) + "</ul></nav></body></html>").encode("utf-8")


def generate(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` articles over SOURCES: 10–20 paragraphs, a caption, a recurring promo line per source,
    ~30 KB of raw HTML; about 10% are near copies (a paragraph dropped, the copier's promo line) of an
    earlier article of another source."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    start = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    articles: list[dict[str, Any]] = []
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        published = start + timedelta(minutes=7 * number)
        if number > 20 and rng.random() < NEAR_COPY_SHARE:
            original = rng.choice([a for a in articles[-50:] if a["source"] != source])
            paragraphs = list(original["paragraphs"])
            del paragraphs[rng.randrange(len(paragraphs))]
            title = original["title"]
            caption = original["caption"]
        else:
            paragraphs = [_paragraph(rng, vocab) for _ in range(rng.randint(10, 20))]
            title = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 10))).capitalize()
            caption = _sentence(rng, vocab)
        url = f"https://{source}.example/news/{published:%Y/%m/%d}/story-{number}.html"
        articles.append(
            {
                "url": url,
                "canonical_url": url,
                "source": source,
                "title": title,
                "paragraphs": paragraphs,
                "blocks": [*paragraphs, PROMOS[source]],
                "caption": caption,
                "authors": [f"{rng.choice(vocab).title()} {rng.choice(vocab).title()}"],
                "published_at": published.isoformat(),
                "fetched_at": (published + timedelta(minutes=30)).isoformat(),
                "language": "en",
                "raw_html": _raw_html(rng, title, paragraphs),
            }
        )
    return articles


def build(article_type: Any, block_type: Any, caption_type: Any, data: dict[str, Any]) -> Any:
    """An Article of whichever release's item classes are passed in."""
    return article_type(
        url=data["url"],
        canonical_url=data["canonical_url"],
        source=data["source"],
        title=data["title"],
        blocks=[block_type(text) for text in data["blocks"]],
        captions=[caption_type(data["caption"], credit="Photo: Agency", image_url=data["url"] + ".jpg")],
        authors=list(data["authors"]),
        published_at=data["published_at"],
        fetched_at=data["fetched_at"],
        language=data["language"],
        raw_html=data["raw_html"],
    )
