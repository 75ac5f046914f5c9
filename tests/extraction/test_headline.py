"""The displayed headline against <title> and og:title, on pages written for this table."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article

BODY = "".join(
    f"<p>Paragraph {n} of the story, long enough to count as article text for the extractor.</p>" for n in range(4)
)


def title_of(head: str, top: str) -> str | None:
    html = f"<html><head>{head}</head><body>{top}<article>{BODY}</article></body></html>"
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
def test_title(head: str, top: str, title: str) -> None:
    assert title_of(head, top) == title


def test_a_one_word_heading_is_the_title_when_nothing_else_names_the_page() -> None:
    assert title_of("", "<h1>Results</h1>") == "Results"
