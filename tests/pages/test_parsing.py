"""The parser's fallback: a page libxml2 gives up on is read as a browser reads it."""

from __future__ import annotations

from lxml.html import HtmlElement, tostring

from crawler.pages import parse_html
from crawler.pages.parsing import _forgiving_tree

PARAGRAPHS = "".join(f"<p>Paragraph {n} of the article.</p>" for n in range(6))


def test_the_forgiving_tree_keeps_text_tails_and_attributes() -> None:
    tree = _forgiving_tree("<p class=lead data-x=1 o:bad=2>One <b>two</b> three<!-- note --><o:p>four</o:p></p>")
    assert tree is not None
    [paragraph] = tree.iter("p")
    assert dict(paragraph.attrib) == {"class": "lead", "data-x": "1"}
    # a tag lxml cannot name is left out with its content; the comment is no text
    assert tostring(paragraph, encoding=str) == '<p class="lead" data-x="1">One <b>two</b> three</p>'
    assert isinstance(paragraph, HtmlElement)


def test_nesting_past_libxml2s_limit_falls_back_to_the_html5_parser() -> None:
    tree = parse_html("<html><body>" + "<div>" * 300 + PARAGRAPHS + "</body></html>")
    assert [p.text for p in tree.iter("p")] == [f"Paragraph {n} of the article." for n in range(6)]


def test_a_page_lxml_reads_whole_keeps_lxmls_tree() -> None:
    # <title/> is an empty title to lxml, but to the HTML5 algorithm it opens a title that eats the page
    tree = parse_html(f"<html><head><title/></head><body>{PARAGRAPHS}</body></html>")
    assert len(list(tree.iter("p"))) == 6
