"""Generate a synthetic news site of N articles, for crash tests and benchmarks.

Deterministic for a given seed: the same call writes the same bytes, so an interrupted crawl and an
uninterrupted one see the same site. Pages follow tests/sites' templates (JSON-LD, figure, furniture).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

WORDS = (
    "council harbour minister budget river railway school hospital museum festival market bridge tram "
    "election mayor report police court weather storm farmers port library station airport energy water "
    "housing teachers nurses workers union company profits prices inflation bank tourism museum archive "
    "village city region coast island valley forest mountain plan vote protest agreement contract project "
    "study survey university researchers scientists doctors patients students visitors residents drivers "
    "announced said warned expected approved rejected opened closed delayed extended reduced increased "
    "new old local national regional public private major minor early late higher lower record first last"
).split()

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Synthetic Gazette</title>
<link rel="canonical" href="{{{{base}}}}/{path}">
<meta property="og:site_name" content="Synthetic Gazette">
<meta property="og:title" content="{title}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{title}",
 "datePublished": "{published}", "author": {{"@type": "Person", "name": "{author}"}}}}
</script>
</head>
<body>
<header><nav><a href="{{{{base}}}}/">Home</a> <a href="{{{{base}}}}/news/">News</a> <a href="{{{{base}}}}/sport/">Sport</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By {author}</p>
<figure><img src="/img/{number}.jpg" alt=""><figcaption>{caption} <span class="credit">Photo: {author}</span></figcaption></figure>
{paragraphs}
</article>
<aside><h3>Most read</h3><ul><li><a href="{{{{base}}}}/news/1">Another story</a></li></ul></aside>
</main>
<footer><p>© Synthetic Gazette. All rights reserved.</p></footer>
</body>
</html>
"""


def sentence(rng: random.Random, number: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    words.insert(rng.randint(1, len(words) - 1), str(number * 7 + rng.randint(0, 999)))
    return " ".join(words).capitalize() + "."


def article_html(number: int, *, revision: int = 0, seed: int = 0) -> tuple[str, str, datetime]:
    rng = random.Random(seed * 1_000_003 + number)
    title = f"{sentence(rng, number)[:-1][:70]} ({number})"
    published = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * number)
    paragraphs = [" ".join(sentence(rng, number) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(4, 7))]
    if revision:
        paragraphs.append(f"Update {revision}: this article was corrected after publication.")
    path = f"news/{number // 1000:03d}/article-{number}.html"
    page = PAGE.format(
        title=escape(title),
        path=path,
        published=published.isoformat(),
        author=escape(f"Reporter {number % 17}"),
        number=number,
        caption=escape(sentence(rng, number)),
        paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in paragraphs),
    )
    return path, page, published


def feed_xml(items: list[tuple[str, str, datetime]]) -> str:
    entries = "\n".join(
        f"<item><title>{escape(title)}</title><link>{{{{base}}}}/{path}</link>"
        f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for path, title, published in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Synthetic Gazette</title>'
        f"<link>{{{{base}}}}/</link>\n{entries}\n</channel></rss>\n"
    )


def generate_site(root: Path, count: int, *, seed: int = 0, per_feed: int = 500) -> Path:
    """Write `count` articles and feeds of `per_feed` entries under root; returns the seeds file."""
    root.mkdir(parents=True, exist_ok=True)
    items: list[tuple[str, str, datetime]] = []
    for number in range(count):
        path, page, published = article_html(number, seed=seed)
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        items.append((path, f"Article {number}", published))
    feeds = []
    for index in range(0, count, per_feed):
        name = f"feeds/feed-{index // per_feed}.rss"
        (root / "feeds").mkdir(exist_ok=True)
        (root / name).write_text(feed_xml(items[index : index + per_feed]), encoding="utf-8")
        feeds.append(f'"{{{{base}}}}/{name}"')
    seeds = root / "seeds.toml"
    seeds.write_text(f'[[source]]\nname = "gazette"\nlanguage = "en"\nfeeds = [{", ".join(feeds)}]\n', encoding="utf-8")
    return seeds


def rewrite_article(root: Path, number: int, *, revision: int, seed: int = 0) -> Path:
    """Change one article's text on disk, as a site correcting a story would."""
    path, page, _ = article_html(number, revision=revision, seed=seed)
    target = root / path
    target.write_text(page, encoding="utf-8")
    return target
