"""The article body: trafilatura's main-content extraction, turned into ordered blocks.

This and nothing else in the project calls trafilatura.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from crawler.items import Block

from .text import element_text, normalize_space

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# a single word is a stray link of navigation ("Home"), not an article
MIN_BODY_WORDS = 2
# fewer words than this is a brief, a teaser or a fragment of an article rather than an article
PLAUSIBLE_ARTICLE_WORDS = 150
# the default mode replaces the recall mode's short result when it finds this many times as much
FALLBACK_RATIO = 2
# ... and what it adds is this many paragraphs of prose, this share of its words
MIN_ADDED_PARAGRAPHS = 5
PROSE_SHARE = 0.8
MIN_PROSE_WORDS = 25
_SENTENCE_ENDS = frozenset('.!?"”»’\'')
# the article column of a layout table holds at least this much; a shorter wordiest cell is a box
MIN_LAYOUT_COLUMN_WORDS = 40
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote"})
# trafilatura's inline markup: text inside it runs on with the text around it
_INLINE = frozenset({"hi", "ref", "lb", "del", "span", "a", "b", "i", "em", "strong"})


def extract_blocks(tree: HtmlElement, url: str) -> list[Block]:
    """Main-content blocks in page order; [] when trafilatura finds no body.

    trafilatura copies the tree before cleaning it, so `tree` stays intact for the metadata readers.
    favor_recall: on the Dragnet tuning half it scores higher in precision *and* recall than the
    default, and runs faster, because it skips the readability/jusText comparison that often swaps in a
    text with sidebars. Where it finds less than a plausible article, the default's comparison gets its
    chance, and wins when it adds the rest of an article (the recall mode sometimes stops after the
    first paragraphs of a page whose article the default finds whole) rather than more of the page.
    """
    blocks = _extract(tree, url, favor_recall=True)
    words = word_count(blocks)
    if words >= PLAUSIBLE_ARTICLE_WORDS:
        return blocks
    fallback = _extract(tree, url, favor_recall=False)
    if words < MIN_BODY_WORDS or _continues_article(blocks, fallback):
        blocks, words = fallback, word_count(fallback)
    return blocks if words >= MIN_BODY_WORDS else []


def _continues_article(short: list[Block], longer: list[Block]) -> bool:
    """True when `longer` adds the rest of an article to `short`: several paragraphs of prose that make
    up most of what it adds, not a sidebar of links and headlines or one blob of page text."""
    known = {block.text for block in short}
    added = [block for block in longer if block.text not in known]
    added_words = word_count(added)
    if added_words < FALLBACK_RATIO * word_count(short) - word_count(short):
        return False
    prose = [block for block in added if _is_prose(block.text)]
    return len(prose) >= MIN_ADDED_PARAGRAPHS and word_count(prose) >= PROSE_SHARE * added_words


def _is_prose(text: str) -> bool:
    return len(text.split()) >= MIN_PROSE_WORDS and text.rstrip()[-1:] in _SENTENCE_ENDS


def never_worse(kept: list[Block], found: list[Block], evidenced: Callable[[], list[Block]]) -> list[Block]:
    """The guard on the project's own body rules: `kept`, what is left of trafilatura's blocks `found`
    after all of them, unless they discarded most of trafilatura's text or left less than a plausible
    article where trafilatura had more. Then `evidenced()`: trafilatura's blocks less only what exact
    evidence removes (the caller says which)."""
    kept_words = word_count(kept)
    if kept_words * 2 >= word_count(found) and kept_words >= PLAUSIBLE_ARTICLE_WORDS:
        return kept  # the common case, decided without building the alternative
    fallback = evidenced()
    fallback_words = word_count(fallback)
    if kept_words * 2 < fallback_words or (
        kept_words < PLAUSIBLE_ARTICLE_WORDS and kept_words * 3 < fallback_words * 2
    ):
        return fallback
    return kept


def word_count(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks)


def _extract(tree: HtmlElement, url: str, *, favor_recall: bool) -> list[Block]:
    """Comments stay out (reader comments are no article text). Tables stay in: data tables are
    article text, and layout tables' cells still come out as their paragraphs. No `deduplicate`: its
    cache is process-wide and would make one page's result depend on the pages extracted before it.
    """
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        output_format="xml",
        favor_recall=favor_recall,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    return [block for block in _blocks(body) if block.text]


def _blocks(container: _Element) -> Iterator[Block]:
    """The blocks of a container; loose text between its blocks (a tail, inline markup) is a paragraph."""
    loose: list[str] = [container.text or ""]
    for element in container:
        tag = element.tag
        if isinstance(tag, str) and tag in _INLINE:
            loose.append(_inline_text(element))
            continue
        yield from _paragraph(loose)
        loose = [element.tail or ""]
        if not isinstance(tag, str) or tag == "graphic":
            continue
        if tag == "head":
            rend = (element.get("rend") or "h2").lower()
            yield Block(element_text(element), rend if rend in _HEADINGS else "h2")
        elif tag == "list":
            yield from _list_items(element)
        elif tag == "quote":
            yield from _quote(element)
        elif tag == "table":
            yield from _table(element)
        elif tag in ("div", "section", "article", "main"):
            yield from _blocks(element)
        else:  # p, code
            yield Block(element_text(element), "p")
    yield from _paragraph(loose)


def _inline_text(element: _Element) -> str:
    """An inline element's text with its tail, kept apart from the neighbours where a line breaks."""
    text = " " if element.tag == "lb" else "".join(element.itertext(with_tail=False))
    return text + (element.tail or "")


def _paragraph(pieces: list[str]) -> Iterator[Block]:
    text = normalize_space("".join(pieces))
    if text:
        yield Block(text, "p")


def _list_items(list_element: _Element) -> Iterator[Block]:
    for item in list_element:
        if item.tag != "item":
            continue
        nested = [child for child in item if child.tag == "list"]
        yield Block(element_text(item, skip=nested), "li")
        for child in nested:
            yield from _list_items(child)


def _quote(quote: _Element) -> Iterator[Block]:
    paragraphs = [child for child in quote if child.tag in ("p", "head", "list", "quote")]
    if not paragraphs:
        yield Block(element_text(quote), "quote")
        return
    for block in _blocks(quote):
        yield Block(block.text, "quote")


def _table(table: _Element) -> Iterator[Block]:
    """A data row becomes one line with its cells separated by " | ". A table with paragraphs in its
    cells is page layout: a row with one cell of text holds the article (or part of it); in a row of
    several columns the wordiest cell is the article column and the cells beside it are navigation,
    teasers and sign-up boxes, so only that cell is kept, and only when it holds article-length text.
    Rows of tables nested in a cell are that table's, read when the cell is."""
    rows = [[cell for cell in row if cell.tag == "cell"] for row in table if row.tag == "row"]
    if any(child.tag in _BLOCK_TAGS for cells in rows for cell in cells for child in cell):
        for cells in rows:
            filled = [(_word_count(cell), cell) for cell in cells if _has_text(cell)]
            if len(filled) == 1:
                yield from _blocks(filled[0][1])
            elif filled:
                words, wordiest = max(filled, key=lambda pair: pair[0])
                if words >= MIN_LAYOUT_COLUMN_WORDS:
                    yield from _blocks(wordiest)
        return
    for cells in rows:
        texts = [text for cell in cells if (text := element_text(cell))]
        if texts:
            yield Block(" | ".join(texts), "p")


def _word_count(element: _Element) -> int:
    return sum(len(text.split()) for text in element.itertext())


def _has_text(element: _Element) -> bool:
    return any(text.strip() for text in element.itertext())
