"""Author names from bylines, meta lists and JSON-LD, and how the sources combine."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extraction import extract_article
from crawler.extraction.people import _people, parse_byline, split_names, unique_names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, John Roe and Max Mustermann", ["Jane Doe", "John Roe", "Max Mustermann"]),
        ("BY JANE DOE", ["JANE DOE"]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("By Jane Doe | September 15, 2023", ["Jane Doe"]),
        ("By the Associated Press", ["Associated Press"]),
        ("Von Anna Schmidt und Lukas Becker", ["Anna Schmidt", "Lukas Becker"]),
        ("Von Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("Von dpa", ["dpa"]),
        ("Par Claire Martin et Julien Dufour", ["Claire Martin", "Julien Dufour"]),
        ("Par AFP", ["AFP"]),
        ("Por Juan Pérez y María García", ["Juan Pérez", "María García"]),
        ("Door Jan de Vries en Eva Jansen", ["Jan de Vries", "Eva Jansen"]),
        # sentences that start like bylines
        ("Von Moskau aus reiste Kim weiter nach Wladiwostok", []),
        ("By the end of the year the line will be open", []),
        ("Par ailleurs, le gouvernement a annoncé", []),
        # no prefix: not a byline in running text
        ("Jane Doe and John Roe", []),
    ],
)
def test_parse_byline(byline: str, names: list[str]) -> None:
    assert parse_byline(byline) == names


def test_byline_element_needs_no_prefix() -> None:
    assert parse_byline("Jane Doe and John Roe", require_prefix=False) == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        ("Anna Schmidt", ["Anna Schmidt"]),
        ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe", ["Jane Doe"]),
        ("Redaktion Weltnachrichten", ["Redaktion Weltnachrichten"]),
        ("https://www.facebook.com/jane.doe", []),
    ],
)
def test_split_names(meta: str, names: list[str]) -> None:
    assert split_names(meta) == names


def test_unique_names_keep_first_spelling_and_order() -> None:
    assert unique_names(["Jane Doe", "John Roe", "jane  doe", "AFP", "John Roe"]) == ["Jane Doe", "John Roe", "AFP"]


def page(head: str, body: str) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {n} of a story about the harbour tram, long enough to count as article text for the "
        f"extractor, with a few more words in it.</p>"
        for n in range(4)
    )
    return (
        f"<html lang='en'><head><title>Tram line approved</title>{head}</head><body><article><h1>Tram line "
        f"approved</h1>{body}<div class='entry-content'>{paragraphs}</div></article></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "body", "authors"),
    [
        # JSON-LD Person and Organization, single and in lists
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", '
            '"name": "Jane Doe"}, {"@type": "Organization", "name": "Reuters"}]}</script>',
            "",
            ["Jane Doe", "Reuters"],
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": "Jane Doe"}</script>',
            "",
            ["Jane Doe"],
        ),
        # meta name=author, article:author only when it is not a URL
        ('<meta name="author" content="Jane Doe">', "", ["Jane Doe"]),
        ('<meta property="article:author" content="https://facebook.com/jane">', "", []),
        ('<meta property="article:author" content="Jane Doe">', "", ["Jane Doe"]),
        # bylines: an element marked as such, a rel=author link, a byline paragraph
        ("", '<p class="byline">By Jane Doe and John Roe</p>', ["Jane Doe", "John Roe"]),
        ("", '<span class="author">Par <a rel="author" href="/a/cm">Claire Martin</a></span>', ["Claire Martin"]),
        ("", "<p>Von Anna Schmidt und Lukas Becker</p>", ["Anna Schmidt", "Lukas Becker"]),
        # sources combine, structured first, without repeats
        (
            '<meta name="author" content="Jane Doe"><script type="application/ld+json">{"@type": "Article", '
            '"author": {"@type": "Person", "name": "John Roe"}}</script>',
            '<p class="byline">By John Roe and Jane Doe</p>',
            ["John Roe", "Jane Doe"],
        ),
        # comment authors are no article authors
        ("", '<div class="comments"><span class="comment-author">Troll42</span></div>', []),
    ],
)
def test_article_authors(head: str, body: str, authors: list[str]) -> None:
    article = extract_article(page(head, body), "https://courier.example/tram")
    assert article.authors == authors
    assert not any(block.text.startswith(("By ", "Von ")) for block in article.blocks)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # byline elements go on past the names: profile links, roles, dates, the paper
        ("Spencer AckermanEmail Author", ["Spencer Ackerman"]),
        ("Mike Fahey View Profile Email Facebook Twitter RSS", ["Mike Fahey"]),
        ("By Lauren Moraski Topics Celebrity", ["Lauren Moraski"]),
        ('Simon Sage Editor-at-very-large "Blogger, gamer, giant."', ["Simon Sage"]),
        ("By Judith Burns Education reporter BBC News", ["Judith Burns"]),
        ("Eliot Caroom/The Star-Ledger", ["Eliot Caroom"]),
        ("Posted by Max Fisher on October 29, 2012 at 2:54 pm", ["Max Fisher"]),
        ("By Jon Fingas posted Nov 13th 2012 1:55PM", ["Jon Fingas"]),
        ("October 29, 2012 at 10:45 am by Todd Bishop", ["Todd Bishop"]),
        ("Post written by Leo Babauta.", ["Leo Babauta"]),
        ("The Canadian Press", ["The Canadian Press"]),
        # page tools in author-classed elements are nobody
        ("View Profile", []),
        ("Text Size Print Reprints", []),
        ("Email Author", []),
    ],
)
def test_byline_elements(byline: str, names: list[str]) -> None:
    assert parse_byline(byline, require_prefix=False) == names


TEASERS = "".join(
    f'<li><a href="/{n}">Teaser {n}</a><span class="author">Other Writer{n}</span></li>' for n in range(5)
)


@pytest.mark.parametrize(
    ("head", "body", "authors"),
    [
        # the byline nearest the headline, not the teasers' bylines around it
        ("", f'<p class="byline">By Ta-Nehisi Coates</p><ul class="stories">{TEASERS}</ul>', ["Ta-Nehisi Coates"]),
        # a meta author that the printed byline contradicts is the blog's or site's name
        (
            '<meta name="author" content="Celebrity Circuit">',
            '<p class="byline">By Lauren Moraski</p>',
            ["Lauren Moraski"],
        ),
        (
            '<meta name="author" content="ABC News">',
            '<p class="byline">By The Associated Press</p>',
            ["Associated Press"],
        ),
        # and one the byline confirms stays
        ('<meta name="author" content="ABC News">', '<div class="byline">By ABC NEWS</div>', ["ABC News"]),
        # several author elements side by side, one per author
        (
            "",
            '<p class="byline"><span class="author">Hilary Osborne</span> and <span class="author">Phillip '
            "Inman</span></p>",
            ["Hilary Osborne", "Phillip Inman"],
        ),
        # a layout class on the page's body ("one-sidebar") does not make the byline furniture
        ("", '<div class="content-sidebar-wrap"><span class="author vcard">Todd Bishop</span></div>', ["Todd Bishop"]),
    ],
)
def test_nearest_byline(head: str, body: str, authors: list[str]) -> None:
    article = extract_article(page(head, body), "https://courier.example/tram")
    assert article.authors == authors


@pytest.mark.parametrize(
    ("names", "houses", "people"),
    [
        # a whole byline beside its names one by one, and a name run on into more text
        (["Jane Doe and John Roe", "Jane Doe", "John Roe, dpa", "John Roe"], (), ["Jane Doe", "John Roe"]),
        (["Jane Doe", "Jane Doe Jane Doe", "News Jane Doe", "jane-doe"], (), ["Jane Doe"]),
        # the site and the publisher beside the people who wrote; alone, the site is all there is
        (["heise online", "Dirk Knop", "STERN.de"], ("heise online", "stern.de"), ["Dirk Knop"]),
        (["Valley Post"], ("Valley Post", None), ["Valley Post"]),
        # a one-word name inside a longer one is no run-on of it: the longer stays, the word repeats it
        (["MND Staff", "MND"], (), ["MND Staff"]),
        (["Heryadi", "Heryadi Putra"], (), ["Heryadi Putra"]),
    ],
)
def test_people(names: list[str], houses: tuple[str | None, ...], people: list[str]) -> None:
    assert _people(names, houses) == people


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # page tools and date labels run on after the name, a byline's first word alone
        ("Von Anna Muster Folgen", ["Anna Muster"]),
        ("Von Anna Muster, Folgen", ["Anna Muster"]),
        ("Von Anna MusterFolgen", ["Anna Muster"]),
        ("Anna Muster Veröffentlicht 12.03.2024", ["Anna Muster"]),
        ("Von", []),
        ("Folgen", []),
        ("Von Bernd von der Heide", ["Bernd von der Heide"]),
    ],
)
def test_author_words_are_no_names(text: str, names: list[str]) -> None:
    assert parse_byline(text, require_prefix=False) == names


PEOPLE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "people"


@pytest.mark.parametrize(
    ("fixture", "authors"),
    [
        # a byline-classed element that JSON-LD does not confirm names an editor or photographer
        ("jsonld-author-beside-editor.html", ["Anna Berger"]),
        # each author meta on its own: "author" says the company, "article:author" the writer
        ("meta-company-author.html", ["Philippa Weiss"]),
        # several writers in one JSON-LD name, joined by "og" (da/no), "och" (sv), ...
        ("jsonld-joined-names.html", ["Karin Holm", "Per Lund"]),
        # "Name, role at X, Site.lt": the part that reads as a name
        ("jsonld-name-with-role.html", ["Tomas Petraitis"]),
        # Korean, Chinese, Japanese names have no capitals and still are names
        ("uncased-script.html", ["김민수", "이지은"]),
        # JSON-LD that credits the site itself has no say over the printed byline
        ("jsonld-house-author.html", ["Maria Kern"]),
    ],
)
def test_authors_on_fixture_pages(fixture: str, authors: list[str]) -> None:
    html = (PEOPLE_FIXTURES / fixture).read_bytes()
    assert extract_article(html, "https://times.example/2023/tram.html").authors == authors
