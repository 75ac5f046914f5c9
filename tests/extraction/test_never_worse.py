"""Whole pages of the kinds where the project's body rules once lost what trafilatura kept.

Each fixture in tests/fixtures/extraction/never_worse/ goes the `scrapy extract` way (decode, extract,
content stages); its article paragraphs, written here by hand, must all be in the body, and the
furniture around them must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.commands.extract import FileExtractor
from crawler.extraction import extract_article
from crawler.extraction.body import _is_all_page_text, never_worse
from crawler.items import Block
from crawler.pages import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "never_worse"


@pytest.fixture(scope="module")
def extractor() -> FileExtractor:
    settings = Settings()
    settings.setmodule(project_settings)
    return FileExtractor.from_settings(settings)


def body_of(extractor: FileExtractor, name: str) -> str:
    record = extractor.record(FIXTURES / name, f"https://news.example/{name}")
    assert record["error"] is None
    return str(record["body"])


def test_layout_table_keeps_the_article_column(extractor: FileExtractor) -> None:
    # nested navigation table in the left column, boxes in the right one: the article column stays
    body = body_of(extractor, "layout-table.html")
    for sentence in (
        "The new flood barrier on the lower river was completed this week",
        "Engineers said a mild winter",
        "The barrier is meant to protect about four thousand homes",
        "County officials said the project came in under its budget",
        "Residents who lost furniture and cars in the last flood",
    ):
        assert sentence in body
    assert "Advertise with us" not in body


def test_a_teaser_in_jsonld_does_not_prune_the_article(extractor: FileExtractor) -> None:
    # articleBody holds the first three paragraphs only: the four after them are the article too
    body = body_of(extractor, "jsonld-teaser.html")
    for sentence in (
        "The regional rail operator will run night trains",
        "Unions welcomed the plan",
        "The ministry said the service would be reviewed",
        "Hotel owners on the coast said",
        "Environmental groups said the decision showed",
    ):
        assert sentence in body


def _blocks(*word_counts: int) -> list[Block]:
    return [Block(" ".join(["word"] * count)) for count in word_counts]


@pytest.mark.parametrize(
    ("kept", "evidenced", "guarded"),
    [
        # the rules left most of a long article: theirs
        (_blocks(200, 100), _blocks(200, 100, 100), False),
        # they discarded most of it
        (_blocks(120), _blocks(120, 200, 100), True),
        # they left less than a plausible article where trafilatura had half as much again
        (_blocks(60), _blocks(60, 40), True),
        # a short page the rules trimmed a little
        (_blocks(60), _blocks(60, 10), False),
    ],
)
def test_never_worse(kept: list[Block], evidenced: list[Block], guarded: bool) -> None:
    assert never_worse(kept, evidenced, lambda: evidenced) == (evidenced if guarded else kept)


def test_a_page_nested_past_the_parsers_limit_keeps_its_article(extractor: FileExtractor) -> None:
    # 280 unclosed <font> tags in the navigation: libxml2 stops at its depth limit, a browser does not
    body = body_of(extractor, "deep-nesting.html")
    for sentence in (
        "The harbour authority has approved a plan to dredge the main channel",
        "Fishermen warned that the work would stir up silt",
        "The authority said the contractor would work only at low tide",
        "The project is expected to cost about four million euros",
    ):
        assert sentence in body


LIBRARY = (
    "The city library will stay open until ten in the evening",
    "The library board said students preparing for exams",
    "The extra hours will cost about two hundred thousand a year",
    "Staff will work the evening shifts in rotation",
    "The board will decide in December whether to open on Sunday afternoons",
)


@pytest.mark.parametrize("name", ["next-data.html", "escaped-content.html", "jsonld-only.html"])
def test_a_body_that_exists_only_as_data(extractor: FileExtractor, name: str) -> None:
    # an app shell: the article is in __NEXT_DATA__, in an escaped contentHtml, or in JSON-LD alone
    body = body_of(extractor, name)
    assert body.split("\n\n")[0].startswith(LIBRARY[0])
    for sentence in LIBRARY:
        assert sentence in body
    assert "Loading" not in body and "The pool is closed." not in body


def test_an_article_split_over_sibling_containers_is_kept_whole(extractor: FileExtractor) -> None:
    # three containers of the article with an ad row and a related-stories box between them
    body = body_of(extractor, "split-article.html")
    for sentence in (
        "The national weather service said on Monday",
        "River levels fell so low that barges",
        "Water companies asked customers to stop watering gardens",
        "Forecasters said the autumn was likely to bring more rain",
    ):
        assert sentence in body
    assert "Wildfires spread" not in body and "Advertisement" not in body


def test_comments_after_a_short_post_stay_out() -> None:
    # the guard takes a comments heading as evidence: the readers' text is no article, however long
    post = [Block(f"Part {n} of a short post about the storm: " + " ".join(["the", "flooded", "street"] * 18) + ".")
            for n in range(2)]  # fmt: skip
    comments = [Block("3 Comments"), *(Block(f"Reader {n}: " + " ".join(["reader", "text"] * 36)) for n in range(4))]
    record = extract_article(
        "<html><body><article>"
        + "".join(f"<p>{block.text}</p>" for block in [*post, *comments])
        + "</article></body></html>",
        "https://news.example/post",
    )
    assert [block.text for block in record.blocks] == [block.text for block in post]


def test_a_data_table_with_a_paragraph_of_notes_stays_a_data_table(extractor: FileExtractor) -> None:
    # one cell holds a <p>: that does not make the table page layout, all of its rows are article text
    body = body_of(extractor, "data-table-with-notes.html")
    for row in (
        "North Quay to Eastholm | 1998 | Two crossings after midnight",
        "North Quay to Saltby | 2004 | One crossing at half past one",
        "Saltby to Fennmouth | 2019 | Replaces the night bus",
        "Fennmouth to North Quay | 2023 | A trial for the winter",
    ):
        assert row in body
    assert "drop the route if fewer than forty passengers" in body


def test_a_section_named_like_a_comments_heading_does_not_end_the_article(extractor: FileExtractor) -> None:
    # "Response" heads a section of the article: another section follows it, reader comments would not
    body = body_of(extractor, "section-named-response.html")
    for sentence in (
        "A response object carries the status code",
        "Responses can also be built by a script",
        "Both requests and responses can carry a body",
        "A body that has been read is marked as used",
    ):
        assert sentence in body


def test_a_page_of_one_word_has_that_word_as_its_body() -> None:
    # a single word is a stray link on a page with more text; here it is all the page shows (the
    # content stages then drop the page as too short to store, but extraction does not lose the word)
    article = extract_article((FIXTURES / "one-word.html").read_bytes(), "https://news.example/one-word")
    assert [block.text for block in article.blocks] == ["Closed"]
    # the same word beside other text the page shows is no body; script text is not shown
    shown = parse_html("<html><body><p>Closed</p><script>var x = 1;</script> </body></html>")
    assert _is_all_page_text(shown, [Block("Closed")])
    beside = parse_html("<html><body><div>Opening</div><p>Closed</p></body></html>")
    assert not _is_all_page_text(beside, [Block("Closed")])
    link = parse_html("<html><body><p><a href='/'>Home</a></p></body></html>")
    assert not _is_all_page_text(link, [Block("Home")])
