"""The body beyond trafilatura: loose text, layout tables, closing headings, slideshows, JSON-LD articleBody."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from crawler.extraction import extract_article
from crawler.extraction.body import (
    _adds_only_navigation,
    _blocks,
    _continues_article,
    _holds_the_post,
)
from crawler.extraction.captions import captions_outside_body
from crawler.extraction.furniture import cut_after_article
from crawler.extraction.stated_body import reconcile, reference_text
from crawler.items import Block, Caption

PARAGRAPHS = [
    "The city council on Friday approved the harbour tram line after a debate that lasted most of the day.",
    "The line will have sixteen stops and link the ferry terminal with the hospital and the university.",
    "Construction is due to start next spring, and the first trams should run before the end of 2027.",
    "Opponents said the money would be better spent on buses, which could serve more neighbourhoods.",
    "The mayor said the vote was the most important decision the council had taken in a generation.",
]


def blocks_of(xml: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in _blocks(etree.fromstring(xml))]


def test_text_between_blocks_is_a_paragraph() -> None:
    # trafilatura leaves text that stood directly in a <div> as the tail of the element before it
    xml = "<body><head rend='h2'>Date</head>Loose <hi>text</hi> here.<p>A paragraph.</p>Tail.</body>"
    assert blocks_of(xml) == [("h2", "Date"), ("p", "Loose text here."), ("p", "A paragraph."), ("p", "Tail.")]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        # a data table: one line per row
        (
            "<body><table><row><cell>Team</cell><cell>Points</cell></row><row><cell>A</cell><cell>3</cell></row>"
            "</table></body>",
            [("p", "Team | Points"), ("p", "A | 3")],
        ),
        # one column of layout: the article inside it
        ("<body><table><row><cell><p>One.</p><p>Two.</p></cell></row></table></body>", [("p", "One."), ("p", "Two.")]),
        # several columns of layout: navigation and boxes beside the article, none of it kept
        (
            "<body><table><row><cell><p>Latest news</p></cell><cell><p>By Gareth Evans</p></cell>"
            "<cell><p>Sign up for our e-bulletin</p></cell></row></table><p>The article.</p></body>",
            [("p", "The article.")],
        ),
        # several columns, one of them the article: the wordiest cell is kept, nested rows do not count
        (
            "<body><table><row><cell><table><row><cell>Home</cell></row><row><cell>News</cell></row></table>"
            "</cell><cell><p>" + " ".join(["Word"] * 45) + "</p><p>Second.</p></cell>"
            "<cell><p>Sign up for our e-bulletin</p></cell></row></table></body>",
            [("p", " ".join(["Word"] * 45)), ("p", "Second.")],
        ),
    ],
)
def test_tables(xml: str, expected: list[tuple[str, str]]) -> None:
    assert blocks_of(xml) == expected


def test_a_listing_between_two_parts_of_the_article_is_dropped_alone() -> None:
    second_part = [
        "Water companies asked customers to stop watering gardens and washing cars, and two towns in the south"
        " have had their supply cut at night since the middle of August.",
        "Forecasters said the autumn was likely to bring more rain than usual, but warned that the ground was so"
        " dry that it would take months for reservoirs to fill again.",
    ]
    listing = [Block("Related stories"), Block("How the heatwave closed schools"), Block("Wildfires in the hills")]
    body = [*ARTICLE[:3], *listing, *(Block(text) for text in second_part)]
    assert [block.text for block in cut_after_article(body)] == [*PARAGRAPHS[:3], *second_part]
    # headlines to the end: the article ended at the listing
    assert len(cut_after_article([*ARTICLE[:3], *listing])) == 3


def test_the_default_mode_wins_only_when_it_adds_the_rest_of_an_article() -> None:
    start = [Block(" ".join(["Lead"] * 30) + ".")]
    prose = [Block(" ".join([f"Word{n}"] * 30) + ".") for n in range(6)]
    assert _continues_article(start, [*start, *prose])
    # more page, not more article: headlines and links, or one blob
    assert not _continues_article(start, [*start, *(Block(f"Headline {n}") for n in range(40))])
    assert not _continues_article(start, [*start, Block(" ".join(["blob"] * 400) + ".")])


def test_the_default_mode_wins_where_the_recall_mode_adds_only_a_blogroll() -> None:
    post = [Block("Open or closed"), *ARTICLE[:2]]
    blogroll = [Block(name) for name in ("Blogroll:", *(f"Friend blog {n}" for n in range(30)), "Blog Archive")]
    assert _adds_only_navigation([*post, *blogroll], ARTICLE[:2])
    # what the recall mode adds is prose, or the default mode misses part of the post: recall's stays
    assert not _adds_only_navigation([*post, *ARTICLE[2:], *blogroll[:12]], ARTICLE[:2])
    assert not _adds_only_navigation([*post, *blogroll], [Block("Friend blog 3"), Block("Blog Archive")])
    assert not _adds_only_navigation([*post, *blogroll], [])


def test_the_default_mode_wins_where_the_recall_mode_ran_into_the_footer_and_missed_the_post() -> None:
    links = [Block(f"Link {n} of the week: a story on the harbour", "li") for n in range(6)]
    closing = Block("Plus, the council published the minutes of the vote on its website this morning.")
    footer = [Block("Posted in Links | No Comments »"), Block("You can follow any responses to this entry.")]
    recall = [Block("Links of the week", "h2"), Block("Written by: Jason"), closing, *footer]
    assert _holds_the_post(recall, [*links, closing])
    # no footer to run into, or the default lacks a paragraph of the post: the recall mode's stays
    assert not _holds_the_post([Block("Links of the week", "h2"), closing], [*links, closing])
    assert not _holds_the_post(recall, links)


def texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks]


ARTICLE = [Block(text) for text in PARAGRAPHS]


@pytest.mark.parametrize(
    ("after", "kept"),
    [
        # reader comments, a related-posts list, a blog footer: nothing after them is article
        (["3 Comments", "Great story!", "I disagree."], 5),
        (["Related posts:", "Another headline", "A third headline"], 5),
        (["« Previous post | Main | Next post »", "TrackBack URL for this entry"], 5),
        (["Kommentare (12)", "Toller Artikel"], 5),
        # nothing that closes the article
        (["The council will meet again in March."], 6),
    ],
)
def test_cut_after_article(after: list[str], kept: int) -> None:
    assert len(cut_after_article([*ARTICLE, *(Block(text) for text in after)])) == kept


def test_a_listing_heading_whose_list_is_gone_is_dropped_alone() -> None:
    blocks = [*ARTICLE[:3], Block("Related stories"), *ARTICLE[3:]]
    assert texts(cut_after_article(blocks)) == PARAGRAPHS


def test_closing_words_near_the_top_do_not_cut() -> None:
    blocks = [ARTICLE[0], Block("Related stories"), Block("Council votes on budget"), *ARTICLE[1:]]
    assert len(cut_after_article(blocks)) == len(blocks)


def page(body: str, article_body: str | None = None) -> str:
    ld = ""
    if article_body is not None:
        data = {"@type": "NewsArticle", "headline": "Council approves tram line", "articleBody": article_body}
        ld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return f"<html lang='en'><head><title>Council approves tram line</title>{ld}</head><body><article>{body}</article></body></html>"


def test_articlebody_prunes_what_it_does_not_contain() -> None:
    body = (
        "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:3])
        + "<p>Read our guide to the best coffee shops near the harbour, updated every month by our editors.</p>"
        + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[3:])
        + "<p>Get the morning briefing in your inbox every weekday, with all the news from the harbour city.</p>"
    )
    article = extract_article(page(body, "\n".join(PARAGRAPHS)), "https://courier.example/tram")
    assert texts(article.blocks) == PARAGRAPHS


def test_articlebody_replaces_a_body_that_missed_most_of_it() -> None:
    extra = [
        f"Paragraph {n} of the council story, with the details of the vote and the money behind it." for n in range(8)
    ]
    article = extract_article(
        page(f"<p>{PARAGRAPHS[0]}</p>", "\n\n".join([PARAGRAPHS[0], *extra])), "https://x.example/a"
    )
    assert texts(article.blocks) == [PARAGRAPHS[0], *extra]


@pytest.mark.parametrize(
    "statement",
    [
        "Council approves tram line. Read more on our website.",  # a teaser: too short to judge by
        "\n".join(PARAGRAPHS[:2]) + " …",  # truncated: cannot tell what follows it
    ],
)
def test_articlebody_that_cannot_judge_changes_nothing(statement: str) -> None:
    blocks = [*ARTICLE, Block("Get the morning briefing in your inbox every weekday, with all the news.")]
    assert reconcile(blocks, statement) == blocks


def test_articlebody_markup_becomes_lines() -> None:
    assert reference_text("<p>One &amp; two.</p><p>Three<br>four</p>") == "One & two.\nThree\nfour"


def test_a_slideshow_keeps_its_captions_as_body() -> None:
    captions = [Caption(text, None, f"https://x.example/{n}.jpg") for n, text in enumerate(PARAGRAPHS[:3])]
    blocks = [Block("In pictures: the harbour tram"), *ARTICLE[:3]]
    assert captions_outside_body(blocks, captions) == []  # the captions are all the text there is
    # beside an article of its own, a repeated caption stays a caption (and leaves the body)
    assert captions_outside_body([*ARTICLE[3:], *ARTICLE[:1]], captions[:1]) == captions[:1]


def test_a_photo_post_keeps_its_captions_as_body() -> None:
    # an introduction of its own, and captions more than twice as long: the captions are the post
    intro = [Block(PARAGRAPHS[0]), Block(PARAGRAPHS[1]), Block(PARAGRAPHS[2])]
    captions = [Caption(f"Photo {n}: " + " ".join(["costume"] * 30), None, None) for n in range(4)]
    blocks = [*intro, *(Block(caption.text) for caption in captions)]
    assert captions_outside_body(blocks, captions) == []


def test_a_slideshow_caption_in_other_typography_stays_in_the_body() -> None:
    # the body repeats the caption with curly quotes and its credit: the boilerplate filter would
    # drop it as a caption, so the slideshow rule must recognise it in the same comparison form
    caption = Caption('Lindsay "LiLo" Lohan arrives at the premiere in Los Angeles on Sunday', "Getty Images", None)
    block = Block("Lindsay “LiLo” Lohan arrives at the premiere in Los Angeles on Sunday. Getty Images")
    assert captions_outside_body([block], [caption]) == []


def test_a_caption_repeated_beside_an_article_is_dropped_from_the_body() -> None:
    caption = "Supporters of the tram line fill the public gallery at City Hall."
    html = page(
        f"<h1>Council approves tram line</h1><figure><img src='/1.jpg'><figcaption>{caption}</figcaption></figure>"
        + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:2])
        + f"<p>{caption}</p>"
        + "".join(f"<p>{text}</p>" for text in PARAGRAPHS[2:])
    )
    article = extract_article(html, "https://x.example/kim")
    assert texts(article.blocks) == PARAGRAPHS
    assert article.captions == [Caption(caption, None, "https://x.example/1.jpg")]


def test_comments_with_a_section_after_their_reply_form_still_end_the_article() -> None:
    # "4 Responses", "Leave a Reply", then a box of card offers with prose of its own: the comments
    # heading is followed by a closing heading before any other section, so the article ended there
    after = [
        Block("4 Responses to “Council approves tram line”", "h3"),
        Block("Leave a Reply", "h3"),
        Block("Top Cards by Category", "h3"),
        Block(
            "Earn a bonus of one hundred dollars after you spend five hundred in your first three months, and more"
            " cash back on groceries, fuel and travel for as long as you keep the card open."
        ),
    ]
    assert texts(cut_after_article([*ARTICLE, *after])) == PARAGRAPHS


def test_an_empty_listing_section_does_not_end_the_article() -> None:
    # "See also" whose links trafilatura removed, then the next section of its level and much of the
    # body: a section boundary, not the end of the article
    notes = [Block("Notes", "h2"), *ARTICLE[3:]]
    blocks = [*ARTICLE[:3], Block("See also", "h2"), *notes]
    assert texts(cut_after_article(blocks)) == [*PARAGRAPHS[:3], "Notes", *PARAGRAPHS[3:]]
    # with its headlines still there, it ends the article
    assert (
        texts(cut_after_article([*ARTICLE, Block("See also", "h2"), Block("Tram lines of Europe", "li")])) == PARAGRAPHS
    )
    # and so it does when only a short box follows it
    newsletter = [
        Block("Related posts", "h2"),
        Block("Sign up to the newsletter", "h2"),
        Block("Tips every week.", "li"),
    ]
    assert texts(cut_after_article([*ARTICLE, *newsletter])) == PARAGRAPHS
