"""The article body: trafilatura's main content as ordered blocks, trimmed where there is evidence.

This and nothing else in the project calls trafilatura. In the order extract_article applies them:
- `extract_blocks`: trafilatura's main-content tree turned into blocks (loose text, lists, quotes, data
  and layout tables), with its recall mode first and the default mode asked on short pages and on
  bodies that are mostly navigation lines;
- what of it is no article (crawler.extraction.furniture): where the article ends, and the title,
  captions, date lines and bylines repeated inside the article container;
- `never_worse`: the guard on all of that, which may remove what trafilatura kept only with evidence.
The text the publisher states (JSON-LD articleBody, app data) is stated_body's; whether the page is for
subscribers, paywall's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from crawler.items import Block

from .document import element_text, normalize_space
from .furniture import cut_after_article

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
# a shorter line of a short post may be its heading or byline, which the default mode may leave out
MIN_POST_PARAGRAPH_WORDS = 8
_SENTENCE_ENDS = frozenset(".!?\"”»’'。！？")
# a recall-mode body with this share of its words in navigation lines gets the default mode's opinion
NAVIGATION_SHARE = 0.4
MAX_NAVIGATION_CHARS = 30
# ... which wins when it has this share of the body's words, and what the recall mode adds is this
# many navigation lines, holding this share of the added words
MIN_SHARED_WORDS = 0.9
MIN_NAVIGATION_LINES = 10
ADDED_NAVIGATION_SHARE = 0.6
_WORD = re.compile(r"\w+")
# the article column of a layout table holds at least this much; a shorter wordiest cell is a box
MIN_LAYOUT_COLUMN_WORDS = 40
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote"})
# not shown, or not text of its own: a word in a link is navigation
_UNSHOWN = frozenset({"script", "style", "noscript", "template", "a", "nav"})
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
        if _navigation_words(blocks) < NAVIGATION_SHARE * words:
            return blocks
        fallback = _extract(tree, url, favor_recall=False)
        return fallback if _adds_only_navigation(blocks, fallback) else blocks
    fallback = _extract(tree, url, favor_recall=False)
    if words < MIN_BODY_WORDS or _continues_article(blocks, fallback) or _holds_the_post(blocks, fallback):
        blocks, words = fallback, word_count(fallback)
    if words >= MIN_BODY_WORDS or (blocks and _is_all_page_text(tree, blocks)):
        return blocks
    return []


def _is_all_page_text(tree: HtmlElement, blocks: list[Block]) -> bool:
    """A body of one word is no stray link when it is all the text the page shows outside links."""
    body = tree.find("body")
    if body is None:
        return False
    shown: list[str] = []
    _shown_text(body, shown)
    return normalize_space(" ".join(shown)) == " ".join(block.text for block in blocks)


def _shown_text(element: _Element, shown: list[str]) -> None:
    shown.append(element.text or "")
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _UNSHOWN:
            _shown_text(child, shown)
        shown.append(child.tail or "")


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


def _holds_the_post(noisy: list[Block], clean: list[Block]) -> bool:
    """True when `noisy` runs on past a closing footer ("Posted in … | No Comments") and `clean` holds
    each paragraph before that footer, and more words: the recall mode read past the post into its
    footer and missed part of it (a list of links that is the post), the default mode did not."""
    before_footer = cut_after_article(noisy)
    if len(before_footer) == len(noisy) or not clean:
        return False
    paragraphs = [block.text for block in before_footer if len(block.text.split()) >= MIN_POST_PARAGRAPH_WORDS]
    text = "\n".join(block.text for block in clean)
    return (
        bool(paragraphs)
        and all(paragraph in text for paragraph in paragraphs)
        and (word_count(clean) > word_count(before_footer))
    )


def _navigation_words(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks if _is_navigation_line(block.text))


def _is_navigation_line(text: str) -> bool:
    """A blogroll entry, a menu item, an archive month: a few words and no sentence."""
    return len(text) <= MAX_NAVIGATION_CHARS and text.rstrip()[-1:] not in _SENTENCE_ENDS


def _adds_only_navigation(noisy: list[Block], clean: list[Block]) -> bool:
    """True when `noisy` is `clean`'s text plus a run of navigation lines: the default mode found the
    same prose without the blogroll or the menus that the recall mode took in with it (and is no list
    of links itself)."""
    if not clean or _navigation_words(clean) >= NAVIGATION_SHARE * word_count(clean):
        return False
    noisy_words = set(_WORD.findall(" ".join(block.text for block in noisy).casefold()))
    clean_words = set(_WORD.findall(" ".join(block.text for block in clean).casefold()))
    if len(clean_words & noisy_words) < MIN_SHARED_WORDS * len(clean_words):
        return False
    kept = [block.text for block in clean]
    added = [block for block in noisy if not any(block.text in text for text in kept)]
    lines = [block for block in added if _is_navigation_line(block.text)]
    return len(lines) >= MIN_NAVIGATION_LINES and word_count(lines) >= ADDED_NAVIGATION_SHARE * word_count(added)


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
    """A data row becomes one line with its cells separated by " | ". A table whose words are mostly in
    cells with paragraphs is page layout: a row with one cell of text holds the article (or part of
    it); in a row of several columns the wordiest cell is the article column and the cells beside it
    are navigation, teasers and sign-up boxes, so only that cell is kept, and only when it holds
    article-length text.
    Rows of tables nested in a cell are that table's, read when the cell is."""
    rows = [[cell for cell in row if cell.tag == "cell"] for row in table if row.tag == "row"]
    if _is_layout(rows):
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


def _is_layout(rows: list[list[_Element]]) -> bool:
    """Cells with paragraphs in them hold most of the table's words: page layout. A data table whose
    cells are mostly short values, one of them with a paragraph of notes, stays a data table."""
    in_paragraph_cells = total = 0
    for cells in rows:
        for cell in cells:
            words = _word_count(cell)
            total += words
            if any(child.tag in _BLOCK_TAGS for child in cell):
                in_paragraph_cells += words
    return in_paragraph_cells > 0 and in_paragraph_cells * 2 >= total


def _word_count(element: _Element) -> int:
    return sum(len(text.split()) for text in element.itertext())


def _has_text(element: _Element) -> bool:
    return any(text.strip() for text in element.itertext())
