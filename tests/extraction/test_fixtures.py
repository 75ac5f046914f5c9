"""Whole pages in four languages and the awkward cases, from tests/fixtures/extraction/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction import ExtractionError, extract_article
from crawler.items import Article, Block, Caption
from tests.conftest import as_stored

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
FETCHED = datetime(2023, 9, 15, 12, 0, tzinfo=UTC)


def extract(name: str, url: str, **kwargs: Any) -> Article:
    return extract_article((FIXTURES / name).read_bytes(), url, fetched_at=FETCHED, **kwargs)


def test_english_jsonld_person_authors() -> None:
    article = extract("english-jsonld-authors.html", "https://courier.example/news/2023/09/15/tram?utm_source=rss")
    assert article.title == "City council approves harbour tram line in 9–4 vote"
    assert article.authors == ["Jane Doe", "John Roe"]
    # JSON-LD beats the meta tag and the WebPage object; -04:00 is EDT
    assert article.published_at == "2023-09-15T14:12:00+00:00"
    assert article.modified_at == "2023-09-15T16:30:00+00:00"
    assert article.language == "en"
    assert article.site_name == "The Harbour Courier"
    assert article.canonical_url == "https://courier.example/news/2023/09/15/council-approves-tram-line"
    assert article.description == "The 7.8-mile line would link downtown with the east side by 2028."
    assert article.fetched_at == "2023-09-15T12:00:00+00:00"
    assert article.captions == [
        Caption(
            "Supporters of the tram line fill the public gallery at City Hall during Friday's vote.",
            "Photograph: Marcus Lee/The Harbour Courier",
            "https://courier.example/media/2023/09/tram-vote-1600.jpg",
        )
    ]
    kinds = [(block.kind, block.text[:30]) for block in article.blocks]
    assert kinds == [
        ("p", "The city council on Friday app"),
        ("p", "The line would have 16 stops, "),
        ("p", "Council member Andre Whitfield"),
        ("h2", "Questions over funding"),
        ("p", "The city's budget office said "),
        ("li", "Construction is due to start i"),
        ("li", "Fares will match the existing "),
        ("quote", "“We cannot build a tram on a p"),
        ("p", "The mayor, who made the tram a"),
    ]


def test_english_byline_and_visible_date() -> None:
    article = extract("english-byline-only.html", "https://courier.example/bridge")
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.published_at == "2023-09-15T14:12:00+00:00"  # 10:12 a.m. ET, summer time
    assert article.language == "en"  # no declaration: detected
    assert article.title == "Harbour Bridge reopens to traffic after 14-month restoration"
    assert article.blocks[0].text.startswith("The Harbour Bridge reopened")
    assert len(article.blocks) == 4


FRENCH_URL = "https://quotidien.example/economie/article/2023/09/15/vendanges-bourgogne.html"


@pytest.mark.parametrize(
    ("timezone", "published"),
    [
        (None, "2023-09-15T08:12:00+00:00"),  # a French page's local time: Paris
        (ZoneInfo("Europe/Paris"), "2023-09-15T08:12:00+00:00"),
        (ZoneInfo("UTC"), "2023-09-15T10:12:00+00:00"),
    ],
)
def test_french_article(timezone: ZoneInfo | None, published: str) -> None:
    article = as_stored(extract("french-article.html", FRENCH_URL, default_timezone=timezone))
    assert article.title == "En Bourgogne, une chaleur tardive bouscule le calendrier des vendanges"
    assert article.authors == ["Claire Martin", "Julien Dufour"]
    assert article.published_at == published  # "Publié le vendredi 15 septembre 2023 à 10h12"
    assert article.language == "fr"
    assert article.site_name == "Le Quotidien de Bourgogne"
    assert article.canonical_url == FRENCH_URL
    assert article.captions == [
        Caption(
            "Des vendangeurs dans une parcelle de pinot noir près de Beaune, le 13 septembre 2023.",
            "Photo : AFP",
            "https://quotidien.example/economie/article/2023/img/vendanges-beaune.jpg",
        )
    ]
    assert [block.kind for block in article.blocks] == ["p", "p", "h2", "p"]
    assert "Partager" not in article.body


def test_spanish_article() -> None:
    article = extract("spanish-article.html", "https://diario.example/madrid/carriles-bici")
    assert article.title == "Madrid amplía la red de carriles bici en el centro"
    assert article.authors == ["Juan Pérez", "María García"]
    assert article.published_at == "2023-09-15T00:00:00+00:00"  # "15 de septiembre de 2023"
    assert article.language == "es"
    assert article.captions == [
        Caption(
            "Ciclistas en la Gran Vía de Madrid, el pasado martes.",
            "REUTERS/Susana Vera",
            "https://diario.example/fotos/carril-bici-gran-via.jpg",
        )
    ]
    assert len(article.blocks) == 3


def test_meta_author_only_latin1_page() -> None:
    article = extract("meta-author-only.html", "https://tagesblatt.example/bibliothek")
    assert article.authors == ["Anna Schmidt"]  # article:author is a profile URL: no name
    assert article.title == "Stadtbibliothek öffnet künftig auch sonntags"
    assert article.published_at == "2023-09-17T09:05:00+00:00"
    assert article.language == "de"  # nothing declared: detected from the text
    assert article.blocks[0] == Block(
        "Die Zentralbibliothek am Rathausplatz öffnet ab dem 1. Oktober auch sonntags. Jeweils von 13 bis 18 Uhr "
        "können Besucher dann Bücher ausleihen, lesen und die Arbeitsplätze nutzen, wie die Stadt am Freitag "
        "mitteilte.",
        "p",
    )


def test_malformed_jsonld_is_skipped() -> None:
    article = extract("malformed-jsonld.html", "https://courier.example/ledgers")
    assert article.title == "Library puts 19th-century shipping ledgers online"
    assert article.authors == ["Tom Whitaker"]  # not "Nobody" from the broken script
    assert article.published_at == "2023-09-16T13:00:00+00:00"
    assert article.site_name == "Harbour Courier"
    assert len(article.blocks) == 3


def test_non_html_input() -> None:
    with pytest.raises(ExtractionError, match="not HTML: a PNG image"):
        extract("not-html.bin", "https://courier.example/logo.png")


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.html")))
def test_fixture_bodies_hold_no_furniture(name: str) -> None:
    article = extract(name, "https://site.example/article")
    for block in article.blocks:
        assert not block.text.lower().startswith(("by ", "par ", "por ", "published", "publié", "share"))
        assert "min read" not in block.text
    assert article.blocks, name
