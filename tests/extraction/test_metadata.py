"""Title, language, canonical URL, site name, description, dates: sources and their order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction import extract_article
from crawler.extraction.metadata import detect_language, normalize_language
from crawler.items import Article, Hints

URL = "https://news.example/politik/kim.html"
BODY = "".join(
    f"<p>Absatz {n}: Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die "
    f"Reise im Oktober stattfinden wird.</p>"
    for n in range(3)
)


def extract(head: str = "", top: str = "", **kwargs: Any) -> Article:
    html = f"<html lang='de'><head>{head}</head><body>{top}<div class='article-body'>{BODY}</div></body></html>"
    return extract_article(html, URL, **kwargs)


@pytest.mark.parametrize(
    ("head", "top", "title"),
    [
        (
            '<title>Kim in Moskau | Weltnachrichten</title><meta property="og:title" content="Kim reist nach '
            'Moskau"><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kim besucht '
            'Moskau"}</script>',
            "<h1>Kim in Moskau</h1>",
            "Kim besucht Moskau",
        ),
        (
            '<title>Kim in Moskau | Weltnachrichten</title><meta property="og:title" content="Kim reist nach '
            'Moskau - Weltnachrichten"><meta property="og:site_name" content="Weltnachrichten">',
            "",
            "Kim reist nach Moskau",
        ),
        (
            "<title>Kim in Moskau – Nachrichten Heute</title>",
            '<h1 class="entry-title">Kim in Moskau</h1>',
            "Kim in Moskau",
        ),
        (
            "<title>Kim in Moskau – Nachrichten Heute</title>",
            '<header><h1 class="site-title">Nachrichten Heute</h1></header><h1>Kim in Moskau</h1>',
            "Kim in Moskau",
        ),
        ("<title>Kim in Moskau | Weltnachrichten</title>", "", "Kim in Moskau"),
        ("<title>Weltnachrichten | Kim in Moskau</title>", "", "Kim in Moskau"),
        ("<title>Kim trifft Putin in Moskau | Politik | Weltnachrichten</title>", "", "Kim trifft Putin in Moskau"),
        ("<title>Kim - ein Porträt</title>", "", "Kim - ein Porträt"),
    ],
)
def test_title(head: str, top: str, title: str) -> None:
    assert extract(head, top).title == title


def test_title_from_hints_last() -> None:
    assert extract(hints=Hints(title="Aus dem Feed")).title == "Aus dem Feed"


def test_site_name_prefix_is_cut_when_known() -> None:
    head = '<title>Weltnachrichten - Kim in Moskau</title><meta property="og:site_name" content="Weltnachrichten">'
    assert extract(head).title == "Kim in Moskau"


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        ('<link rel="canonical" href="https://news.example/kim">', "https://news.example/kim"),
        ('<link rel="canonical" href="/kim?x=1">', "https://news.example/kim?x=1"),
        ('<meta property="og:url" content="https://news.example/og">', "https://news.example/og"),
        (
            '<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="//cdn.example/k">',
            "https://cdn.example/k",
        ),
        ('<link rel="canonical" href="ftp://news.example/kim">', URL),
        ("", URL),
    ],
)
def test_canonical_url(head: str, canonical: str) -> None:
    assert extract(head).canonical_url == canonical


def test_site_name_and_description() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"name": "Welt GmbH"}, '
        '"description": "Aus JSON-LD"}</script>'
    )
    article = extract(jsonld)
    assert (article.site_name, article.description) == ("Welt GmbH", "Aus JSON-LD")
    article = extract(jsonld + '<meta property="og:site_name" content="Welt"><meta name="description" content="Meta">')
    assert (article.site_name, article.description) == ("Welt", "Meta")


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("head", "top", "published", "modified"),
    [
        # JSON-LD first
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
            '"2023-09-15T10:12:00+02:00", "dateModified": "2023-09-15T11:00:00+02:00"}</script>'
            '<meta property="article:published_time" content="2020-01-01T00:00:00Z">',
            "",
            "2023-09-15T08:12:00+00:00",
            "2023-09-15T09:00:00+00:00",
        ),
        # then meta tags, in many dialects
        (
            '<meta property="article:published_time" content="2023-09-15T10:12:00+02:00">',
            "",
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        ('<meta name="parsely-pub-date" content="2023-09-15T08:12:00Z">', "", "2023-09-15T08:12:00+00:00", None),
        ('<meta name="sailthru.date" content="2023-09-15 10:12:00">', "", "2023-09-15T08:12:00+00:00", None),
        ('<meta name="DC.date" content="2023-09-15">', "", "2023-09-14T22:00:00+00:00", None),
        (
            '<meta property="og:updated_time" content="2023-09-15T12:00:00+02:00">',
            "",
            None,
            "2023-09-15T10:00:00+00:00",
        ),
        # then <time datetime>, outside related-article lists
        (
            "",
            '<aside><time datetime="2023-01-01T00:00:00Z">1.1.2023</time></aside>'
            '<time datetime="2023-09-15T10:12">15.09.2023</time>',
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        (
            "",
            '<time class="updated" datetime="2023-09-16T10:00:00+02:00">16.09.</time>'
            '<time datetime="2023-09-15T10:12:00+02:00">15.09.</time>',
            "2023-09-15T08:12:00+00:00",
            "2023-09-16T08:00:00+00:00",
        ),
        # then the visible date line, label and date in adjacent elements
        (
            "",
            '<div class="meta"><span>Veröffentlicht am</span> <span>15. September 2023, 10:12 Uhr</span></div>',
            "2023-09-15T08:12:00+00:00",
            None,
        ),
        (
            "",
            "<p>Stand: 15.09.2023 10:12 Uhr | Aktualisiert: 16.09.2023 09:00 Uhr</p>",
            "2023-09-15T08:12:00+00:00",
            "2023-09-16T07:00:00+00:00",
        ),
        ("", '<span class="date">vor 2 Stunden</span>', "2023-09-15T10:00:00+00:00", None),
        # sidebars' dates are no publication dates
        ("", '<div class="sidebar"><p>Veröffentlicht am 01.01.2020</p></div>', None, None),
    ],
)
def test_dates(head: str, top: str, published: str | None, modified: str | None) -> None:
    article = extract(head, top, fetched_at=datetime(2023, 9, 15, 12, 0, tzinfo=UTC), default_timezone=BERLIN)
    assert (article.published_at, article.modified_at) == (published, modified)


def test_dates_from_hints_last() -> None:
    hints = Hints(published_at=datetime(2023, 9, 15, 10, 12), modified_at=datetime(2023, 9, 15, 9, 0, tzinfo=UTC))
    article = extract(hints=hints, default_timezone=BERLIN)
    assert article.published_at == "2023-09-15T08:12:00+00:00"
    assert article.modified_at == "2023-09-15T09:00:00+00:00"


def test_page_dates_win_over_hints() -> None:
    hints = Hints(published_at=datetime(2020, 1, 1, tzinfo=UTC))
    article = extract('<meta property="article:published_time" content="2023-09-15T08:12:00Z">', hints=hints)
    assert article.published_at == "2023-09-15T08:12:00+00:00"


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("head", "top", "published"),
    [
        # a day alone in the metadata is completed by the time printed on that day
        (
            '<meta name="dc.date.issued" content="2012-11-05">',
            '<p class="date">Nov 5, 2012 - 3:39PM EST</p>',
            "2012-11-05T20:39:00+00:00",
        ),
        # date and time in adjacent elements
        (
            "",
            '<div class="info"><span class="datestamp">November 06, 2012</span> <span class="timestamp">10:43AM'
            "</span></div>",
            "2012-11-06T15:43:00+00:00",
        ),
        # "Posted by <a>X</a> on <date> at <span>time</span>": the label's date and time several pieces on
        (
            "",
            '<p class="byline">Posted by <a href="/mf">Max Fisher</a> on October 29, 2012 at <span>2:54 pm</span></p>',
            "2012-10-29T18:54:00+00:00",
        ),
        # a weekday settles a dotted date: Tuesday, 6 November 2012 (11 June 2012 was a Monday)
        ("", '<div class="pubDate">Tuesday, 11.06.2012 / 4:54 PM</div>', "2012-11-06T21:54:00+00:00"),
        # a local time its CMS labelled "Z", beside the same time with its offset
        (
            '<meta name="datePublished" content="2012-11-06T11:52:29Z">'
            '<meta name="sailthru.date" content="Tue, 06 Nov 2012 11:52:29 -0800">',
            "",
            "2012-11-06T19:52:29+00:00",
        ),
        # the offset stated first, the same wall-clock time labelled "Z" after it: the offset holds
        (
            '<meta property="article:published_time" content="2025-06-05T14:46:12+02:00">'
            '<meta name="cXenseParse:recs:publishtime" content="2025-06-05T14:46:12Z">',
            "",
            "2025-06-05T12:46:12+00:00",
        ),
        # a "Z" time beside a time printed without any zone: nothing says the "Z" is wrong
        (
            '<meta name="datePublished" content="2024-07-17T11:21:03Z">'
            '<meta name="sailthru.date" content="2024-07-17 07:21:03">',
            "",
            "2024-07-17T11:21:03+00:00",
        ),
        # metadata only other sites use, and a day without a time that nothing completes
        ('<meta name="originalpublicationdate" content="2012/07/24 10:50:16">', "", "2012-07-24T14:50:16+00:00"),
        ('<meta name="displaydate" content="2012-11-06">', "", "2012-11-06T05:00:00+00:00"),
    ],
)
def test_dates_completed_across_sources(head: str, top: str, published: str) -> None:
    article = extract(head, top, default_timezone=NEW_YORK)
    assert article.published_at == published


def test_an_impossible_relative_date_is_ignored() -> None:
    article = extract("", '<span class="date">vor 1000000 Tagen</span>', fetched_at=datetime(2023, 9, 15, tzinfo=UTC))
    assert article.published_at is None


ENGLISH_BODY = "".join(
    f"<p>Paragraph {n} of the story, long enough to count as article text for the extractor.</p>" for n in range(4)
)


def title_of(head: str, top: str) -> str | None:
    html = f"<html><head>{head}</head><body>{top}<article>{ENGLISH_BODY}</article></body></html>"
    return extract_article(html, "https://news.example/a").title


@pytest.mark.parametrize(
    ("head", "top", "title"),
    [
        # the JSON-LD headline carries the site's suffix too
        (
            "<meta property='og:site_name' content='The Valley Post'>"
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "Green hydrogen pipeline flagged - The Valley Post"}</script>',
            "<h1>Green hydrogen pipeline flagged</h1>",
            "Green hydrogen pipeline flagged",
        ),
        # a kicker set apart by its class above the headline, with a dash for screen readers
        (
            "<title>Unrest in the north: Talks resume on Monday - News</title>",
            "<h1><span class='article-title__overline'>Unrest in the north</span>"
            "<span class='offscreen'> - </span><span class='article-title__text'>Talks resume on Monday</span></h1>",
            "Talks resume on Monday",
        ),
        # a shorter social title loses to the headline the page shows, which matches <title>
        (
            "<title>Fred Willard Describes Incident as 'Much More PG' - ABC News</title>"
            "<meta property='og:title' content=\"Fred Willard on 'Lewd Conduct' Charge\">",
            "<h1>Fred Willard Describes Incident as 'Much More PG'</h1>",
            "Fred Willard Describes Incident as 'Much More PG'",
        ),
        # the only headline on the page, sharing words with the social title
        (
            "<title>China Manufacturing Falls at Slower Pace - WSJ.com</title>"
            "<meta property='og:title' content='China Data Hint at Improvement'>",
            "<h1>Data Hint Chinese Economy Is Better Off</h1>",
            "Data Hint Chinese Economy Is Better Off",
        ),
        # several <h1>: the logo and section names lose to the one that reads like the title
        (
            "<title>Someone Needs to Be Elected Tonight | Danger Room | Wired.com</title>",
            "<h1>WIRED</h1><h1>Danger Room</h1><h1>Someone Needs to Be Elected Tonight</h1>",
            "Someone Needs to Be Elected Tonight",
        ),
        # an og:title that is the blog's name, not the post's
        (
            "<title>Posluszny agrees with owner that Jaguars start is embarrassing - NFL.com</title>"
            "<meta property='og:title' content='Official Blog of the National Football League'>",
            "<h2 class='nav'>NFL Network</h2>",
            "Posluszny agrees with owner that Jaguars start is embarrassing",
        ),
        # a headline <h1> that carries a section and date in a child element
        (
            "<title>Turnout appears high in many parts of the country - IBNLive</title>",
            "<h1>Turnout appears high in many parts of the country <span>World, Updated Nov 07, 2012</span></h1>",
            "Turnout appears high in many parts of the country",
        ),
        # a page without <h1> that titles its headline <h2>
        (
            "<title>Drama Desk Winner Joins The Birthday Party - Theater News - Nov 6, 2012</title>",
            "<h2 class='article-title'>Drama Desk Winner Joins The Birthday Party</h2>",
            "Drama Desk Winner Joins The Birthday Party",
        ),
        # JSON-LD's headline is the publisher's statement and comes first
        (
            "<title>Site</title><script type='application/ld+json'>"
            '{"@type": "NewsArticle", "headline": "Stated headline"}</script>',
            "<h1>Displayed headline</h1>",
            "Stated headline",
        ),
        # a headline unlike every stated title is no evidence: og:title stays
        (
            "<title>In Egypt, Rumor of Pyramids’ Demise Proves Flimsy - NYTimes.com</title>"
            "<meta property='og:title' content='In Egypt, Rumor of Pyramids’ Demise Proves Flimsy'>",
            "<h1>Contrary to Gossip, Giza Has No Date With the Wrecking Ball</h1>",
            "In Egypt, Rumor of Pyramids’ Demise Proves Flimsy",
        ),
    ],
)
def test_displayed_headline(head: str, top: str, title: str) -> None:
    assert title_of(head, top) == title


def test_a_one_word_heading_is_the_title_when_nothing_else_names_the_page() -> None:
    assert title_of("", "<h1>Results</h1>") == "Results"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de", "de"),
        ("de-DE", "de"),
        ("de_AT", "de"),
        ("EN-gb", "en"),
        (" fr ", "fr"),
        ("de, en", "de"),
        ("gsw-CH", "gsw"),
        ("und", None),
        ("x-default", None),
        ("", None),
        (None, None),
        ("german", None),
    ],
)
def test_normalize_language(tag: str | None, expected: str | None) -> None:
    assert normalize_language(tag) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die Reise "
            "im Oktober stattfinden wird, sagte ein Sprecher des Ministeriums in Moskau.",
            "de",
        ),
        (
            "The council said that the line would be built with money from the state and that it was "
            "expected to open in 2028, which is later than planned.",
            "en",
        ),
        (
            "Le gouvernement a annoncé que les travaux seront terminés avant la fin de l'année, selon "
            "le ministre qui était en visite dans la région pour les vendanges.",
            "fr",
        ),
        (
            "El ayuntamiento aprobó la construcción de los carriles, que según el consistorio estarán "
            "terminados antes del verano, pero los comerciantes pidieron más tiempo para las obras.",
            "es",
        ),
        (
            "Il governo ha annunciato che i lavori saranno completati entro la fine dell'anno, come "
            "previsto dal piano che è stato presentato alla stampa.",
            "it",
        ),
        (
            "De gemeente heeft besloten dat het nieuwe fietspad niet voor de zomer klaar is, maar de "
            "wethouder zegt dat het werk in het najaar wordt afgerond.",
            "nl",
        ),
        ("Kim Putin Moskau Wladiwostok", None),
        ("", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language([text]) == expected


def page(html_attributes: str = "", head: str = "") -> str:
    body = "".join(
        "<p>Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die Reise im "
        "Oktober stattfinden wird, sagte ein Sprecher.</p>"
        for _ in range(3)
    )
    return f"<html {html_attributes}><head><title>Kim</title>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("html_attributes", "head", "hints", "expected"),
    [
        ('lang="fr-FR"', "", Hints(), "fr"),  # the page's own declaration wins, even over its text
        ("", '<script type="application/ld+json">{"@type": "Article", "inLanguage": "es"}</script>', Hints(), "es"),
        ("", '<meta property="og:locale" content="it_IT">', Hints(), "it"),
        ("", '<meta http-equiv="content-language" content="nl">', Hints(), "nl"),
        ("", "", Hints(language="en-US"), "en"),
        ("", "", Hints(), "de"),  # detected
    ],
)
def test_language_sources(html_attributes: str, head: str, hints: Hints, expected: str) -> None:
    assert extract_article(page(html_attributes, head), "https://e.example/a", hints).language == expected


TITLE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "titles"


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        # og:title states the headline without the kicker the other sources open it with
        ("kicker-only-in-jsonld.html", "Galerist bleibt sich treu"),
        # og:title and <title> agree on the quotation marks
        ("quotes-in-title-tags.html", "Trail app adds 'family' plan and dark mode"),
        # the quotation dash of a Nordic headline is part of it
        ("nordic-quote-dash.html", "- Angsten vil øke"),
        # og:title and <title> (with a section after it) agree on ": " after the kicker
        ("separator-after-kicker.html", "Rückbau von Atomkraftwerk: Kühltürme gesprengt"),
        # a headline with " - " inside, printed alike in <h1> and <title>, is not cut at the dash
        ("dash-inside-headline.html", "'I sell holidays - booking the right day could save you thousands'"),
        # the JSON-LD headline is what the <h1> marked as the SEO title holds: the displayed headline wins
        ("search-engine-title.html", "Neue Rheinbrücke – doch das Geld fehlt noch"),
    ],
)
def test_title_on_fixture_pages(fixture: str, title: str) -> None:
    html = (TITLE_FIXTURES / fixture).read_bytes()
    assert extract_article(html, "https://news.example/2023/story.html").title == title
