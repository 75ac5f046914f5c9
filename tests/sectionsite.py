"""A news site with no feed and no sitemap: a home page, section pages with pagination, and the
furniture real sites have (navigation, "most read", tag, author and category links, a footer,
external links, a PDF, a calendar archive, session-id URLs, a topic dossier that is no article).

Article URLs come in four schemes: dated paths, slugs with an id, numeric ids, query-string ids.
`generate_section_site` writes it and returns the seeds file and the article URLs (paths) a crawl
must store, exactly.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from tests.sitegen import PAGE, sentence

SECTIONS = ("politik", "wirtschaft", "sport")
PER_PAGE = 8


def article_path(number: int, section: str, slug: str, published: datetime) -> str:
    scheme = number % 4
    if scheme == 0:
        return f"{section}/{published:%Y/%m/%d}/{slug}.html"
    if scheme == 1:
        return f"{section}/{slug}-{10_000_000 + number}.html"
    if scheme == 2:
        return f"{section}/meldung/{50_000 + number}.html"
    return f"article.php?id={4_000 + number}"


def write(root: Path, path: str, html: str) -> None:
    target = root / (path.replace("?", "@") + (".html" if "?" in path else ""))
    if path.endswith("/") or not target.suffix:
        target = root / path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def furniture(most_read: list[tuple[str, str]]) -> tuple[str, str, str]:
    nav = (
        "<header><nav class='main-nav'><a href='{{base}}/'>Start</a> "
        + " ".join(f"<a href='{{{{base}}}}/{s}/'>{s.title()}</a>" for s in SECTIONS)
        + " <a href='{{base}}/ueber-uns/'>Über uns</a> <a href='{{base}}/login'>Anmelden</a>"
        " <a href='{{base}}/2023/09/'>Archiv September</a></nav></header>"
    )
    aside = (
        "<aside class='most-read'><h3>Meistgelesen</h3><ul>"
        + "".join(f"<li><a href='{{{{base}}}}/{p}'>{escape(t)}</a></li>" for p, t in most_read)
        + "</ul></aside>"
    )
    footer = (
        "<footer><a href='{{base}}/impressum'>Impressum</a> <a href='{{base}}/kontakt'>Kontakt</a>"
        " <a href='{{base}}/datenschutz'>Datenschutz</a> <a href='https://other.example/story-1'>Partner</a>"
        " <a href='{{base}}/media/jahresbericht-2023-komplett-als-pdf.pdf'>Jahresbericht</a></footer>"
    )
    return nav, aside, footer


def teaser(path: str, title: str, number: int) -> str:
    link = f"{{{{base}}}}/{path}"
    if number % 5 == 0 and "?" not in path:
        link = f"{{{{base}}}}/{path};jsessionid=ABC{number}"  # the same article under a session id
    return (
        f"<article class='teaser'><h2><a href='{link}'>{escape(title)}</a></h2>"
        f"<p>{escape(title)} — mehr dazu im Artikel.</p>"
        f"<footer><a href='{{{{base}}}}/tag/thema-{number % 3}/'>Thema {number % 3}</a> "
        f"<a href='{{{{base}}}}/autor/reporter-{number % 4}/'>Reporter {number % 4}</a></footer></article>"
    )


def listing_page(title: str, teasers: list[str], chrome: tuple[str, str, str], next_link: str | None) -> str:
    nav, aside, footer = chrome
    pagination = (
        f"<div class='pagination'><a rel='next' href='{{{{base}}}}/{next_link}'>Weiter</a></div>" if next_link else ""
    )
    return (
        f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"{nav}<main><h1>{title}</h1>{''.join(teasers)}{pagination}</main>{aside}{footer}</body></html>"
    )


def generate_section_site(root: Path, count: int = 36, *, seed: int = 0) -> tuple[Path, list[str]]:
    """Write the site under root; (the seeds file, the article paths a crawl must store)."""
    rng = random.Random(seed)
    articles: list[tuple[str, str, str]] = []  # (section, path, title)
    start = datetime(2023, 9, 1, 6, 0, tzinfo=UTC)
    for number in range(count):
        section = SECTIONS[number % len(SECTIONS)]
        published = start + timedelta(hours=5 * number)
        title = f"{sentence(rng, number)[:-1][:60]} ({number})"
        slug = "-".join(word.lower() for word in title.split()[:6] if word.isalpha()) or f"story-number-{number}"
        path = article_path(number, section, slug, published)
        paragraphs = [" ".join(sentence(rng, number) for _ in range(3)) for _ in range(5)]
        html = PAGE.format(
            title=escape(title),
            path=path.replace("&", "&amp;"),
            published=published.isoformat(),
            author=escape(f"Reporter {number % 4}"),
            number=number,
            caption=escape(sentence(rng, number)),
            paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        )
        write(root, path, html)
        articles.append((section, path, title))
    newest = articles[::-1]
    chrome = furniture([(path, title) for _, path, title in newest[:3]])
    # A topic dossier with an article-like slug: fetched once, found to be no article, remembered.
    dossier = "politik/dossier-klima-energie-und-die-wende"
    write(root, dossier + "/", listing_page("Dossier Klima", [], chrome, None))
    home_teasers = [teaser(path, title, n) for n, (_, path, title) in enumerate(newest[:6])]
    home_teasers.append(f"<h2><a href='{{{{base}}}}/{dossier}/'>Dossier: Klima, Energie und die Wende</a></h2>")
    write(root, "index.html", listing_page("Grenzblatt", home_teasers, chrome, None))
    for section in SECTIONS:
        own = [(path, title) for s, path, title in newest if s == section]
        pages = [own[i : i + PER_PAGE] for i in range(0, len(own), PER_PAGE)]
        for index, items in enumerate(pages):
            path = f"{section}/" if index == 0 else f"{section}/page/{index + 1}/"
            next_link = f"{section}/page/{index + 2}/" if index + 1 < len(pages) else None
            teasers = [teaser(p, t, n) for n, (p, t) in enumerate(items)]
            write(root, path, listing_page(section.title(), teasers, chrome, next_link))
    for extra in ("ueber-uns/", "impressum", "kontakt", "datenschutz", "login", "2023/09/"):
        write(root, extra if extra.endswith("/") else extra + "/", listing_page(extra, [], chrome, None))
    seeds = root / "seeds.toml"
    seeds.write_text('[[source]]\nname = "grenzblatt"\npages = ["{{base}}/"]\n', encoding="utf-8")
    return seeds, [path for _, path, _ in articles]
