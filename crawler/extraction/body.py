"""The article body: trafilatura's main content as ordered blocks, trimmed where there is evidence.

This and nothing else in the project calls trafilatura. In the order extract_article applies them:
- `extract_blocks`: trafilatura's main-content tree turned into blocks (loose text, lists, quotes, data
  and layout tables), with its recall mode first and the default mode asked on short pages and on
  bodies that are mostly navigation lines;
- `cut_after_article`: where the article ends, at a reader-comments, related-articles or blog-footer
  heading in the later part of the body;
- `drop_boilerplate`: the title, captions, date lines and bylines repeated inside the article container;
- `never_worse`: the guard on all of the above, which may remove what trafilatura kept only with evidence.
The text the publisher states (JSON-LD articleBody, app data) is stated_body's; whether the page is for
subscribers, paywall's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from crawler.dates import is_date_line
from crawler.items import Block, Caption
from crawler.textkeys import block_key

from .document import element_text, normalize_space
from .people import parse_byline

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


# ---------------------------------------------------------------- where the article ends
# trafilatura's main-content container often reaches past the last paragraph into what follows it on
# the page: reader comments it did not recognise as such, "Related posts" lists, "Filed under" and
# "« Previous | Main | Next »" footers. A short block that reads as the heading of such a section
# ends the body, with everything after it. Only in the later part of the body: near the top the same
# words are more often an inline "Related:" link or a "3 comments" counter beside the byline.

# The share of the body's text that must come before a closing heading for it to count.
MIN_SHARE_BEFORE = 0.3
# ... and that must come after an empty listing section for it to be no more than that
MIN_SHARE_AFTER_EMPTY = 0.3
# closing words that also name a section of an article (on HTTP, on a debate), unlike "3 Comments"
_SECTION_NAME = re.compile(r"^(?:comments?|responses?|replies|reactions)[\s:]*$", re.IGNORECASE)
_MAX_HEADING_CHARS = 100

_COUNT = r"(?:\d+|no|one|two|three|keine?|une?|aucun|ningún|ningun|una)"
# reader comments and blog footers: nothing after them is article
_FINAL = re.compile(
    r"""^(?:
      (?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|reactions|kommentare?|leserkommentare
        |commentaires?|réactions|comentarios?|respuestas)(?:\s*\(\d+\))?
    | """
    + _COUNT
    + r"""\s+(?:comments?|responses?|replies|kommentare?|commentaires?|comentarios?)\b.{0,60}
    | (?:leave|post|add|write|submit)\s+(?:a\s+|your\s+)?(?:reply|comment|response)\b.*
    | join\s+the\s+(?:conversation|discussion)\b.*
    | (?:schreiben?\s+sie\s+)?(?:einen?\s+)?kommentar\s+(?:schreiben|verfassen|abgeben)
    | (?:laisser|écrire|ajouter)\s+un\s+commentaire
    | (?:deja|escribe|añade)\s+(?:un|tu)\s+comentario
    | (?:filed|posted)\s+(?:under|in)\b.*
    | tags?\s*:.*
    | trackback.*
    | «.*\|\s*main\s*\|.*
    | subscribe\s+to\s*:?\s*post\s+comments.*
    )[\s:.!?»›|]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# lists of other articles: the list may follow, or may already be gone while the article continues
_LISTING = re.compile(
    r"""^(?:
      (?:related|similar|recommended|popular|more|latest|recent|other|further|trending)
        \s+(?:posts?|articles?|stories|news|reading|links|content|coverage|videos?|entries)\b.{0,40}
    | you\s+(?:may|might|will)\s+also\s+(?:like|enjoy|be\s+interested\s+in)\b.*
    | (?:also|more)\s+(?:on|from)\s+[\w .'’-]{1,40}
    | (?:read|see|watch)\s+(?:next|more|also)
    | (?:share|like)\s+this(?:\s+(?:article|story|post|entry))?
    | mehr\s+zum\s+thema|weitere\s+(?:artikel|beiträge|nachrichten)|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren
    | sur\s+le\s+même\s+sujet|à\s+lire\s+également|les\s+plus\s+lus
    | noticias\s+relacionadas|te\s+puede\s+interesar|más\s+noticias|lo\s+más\s+leído
    )[\s:.!?»›|]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# a paragraph this long after a listing's headlines is the article going on, not a teaser
MIN_RESUMING_WORDS = 25
# a listed article is a headline: short, and not a sentence of the article going on
_MAX_HEADLINE_CHARS = 150


def cut_after_article(blocks: list[Block], *, listings: bool = True) -> list[Block]:
    """The blocks before the first closing heading in the later part of the body; all when none.

    A listing heading whose list trafilatura already removed ("Related stories" followed by the
    article's next paragraph, or by the next heading of its level) is dropped alone; one whose
    headlines stand between two parts of the article (the prose goes on after them) is dropped with
    its headlines. `listings=False` cuts only at the headings that nothing of the article follows
    (reader comments, blog footers).
    """
    total = sum(len(block.text) for block in blocks)
    kept: list[Block] = []
    before = 0
    skip_to = 0
    for index, block in enumerate(blocks):
        text = block.text
        if index < skip_to:
            continue
        if index and len(text) <= _MAX_HEADING_CHARS and before >= MIN_SHARE_BEFORE * total:
            if _FINAL.match(text) and not (_SECTION_NAME.match(text) and _next_section(blocks, index)):
                return kept
            if listings and _LISTING.match(text):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                # the next heading of its level right after it, with much of the body still to come: an
                # empty section (its list already gone) rather than the end of the article
                empty = (
                    following is not None
                    and block.kind != "p"
                    and following.kind == block.kind
                    and total - before - len(text) >= MIN_SHARE_AFTER_EMPTY * total
                )
                if following is None or (_is_headline(following.text) and not empty):
                    resumes = _article_resumes(blocks, index + 1)
                    if resumes is None:
                        return kept
                    skip_to = resumes  # a list of other stories set between two parts of the article
                before += len(text)
                continue
        kept.append(block)
        before += len(text)
    return kept


def _article_resumes(blocks: list[Block], start: int) -> int | None:
    """Where the article goes on after the headlines of a listing that starts at `start`: the next
    paragraph of prose, when the headlines end before the body does; None when they run to the end."""
    index = start
    while index < len(blocks) and _is_headline(blocks[index].text):
        index += 1
    rest = blocks[index:]
    if rest and len(rest[0].text.split()) >= MIN_RESUMING_WORDS and not _FINAL.match(rest[0].text):
        return index
    return None


def _next_section(blocks: list[Block], index: int) -> bool:
    """True when the heading at `index` (a bare "Response") is followed by another section of the
    article: a later heading of the same level, no listing heading, with a paragraph of prose under
    it, and no closing heading on the way. A "Response" section of an article on HTTP goes on to
    "Dealing with bodies"; reader comments go on to their reply form, or to nothing of the article."""
    kind = blocks[index].kind
    if kind == "p":
        return False  # a footer line ("Filed under", "Tags:") rather than a section heading
    for later in range(index + 1, len(blocks) - 1):
        block = blocks[later]
        if len(block.text) <= _MAX_HEADING_CHARS and _FINAL.match(block.text):
            return False  # "3 Responses" then "Leave a Reply": the comments go on to their form
        if block.kind == kind and not _LISTING.match(block.text):
            if len(blocks[later + 1].text.split()) >= MIN_RESUMING_WORDS:
                return True
    return False


def _is_headline(text: str) -> bool:
    return len(text) <= _MAX_HEADLINE_CHARS and not text.endswith((".", "!", "?", ":", '"', "”", "»"))


# ---------------------------------------------------------------- furniture inside the article container
# trafilatura keeps short lines that sit inside the article container: the title repeated, date lines,
# bylines, and captions that it met as bare paragraphs.

_MAX_BYLINE_BLOCK_CHARS = 100
_MAX_FURNITURE_CHARS = 160


def drop_boilerplate(
    blocks: Iterable[Block], *, title: str | None, captions: Iterable[Caption], language: str | None
) -> tuple[list[Block], list[str]]:
    """The blocks worth keeping, and the author names read from byline blocks that were dropped.

    This is the one place where the title and the captions repeated in the body are removed (the
    page's captions are known only here), compared in crawler.textkeys' form. Furniture that needs no
    page context (share buttons, reading times, "read also" links) is the clean stage's, as data in
    pipelines/junk_rules.toml.
    """
    drop_keys = {block_key(title)}
    for caption in captions:
        drop_keys.add(block_key(caption.text))
        if caption.credit:
            drop_keys.update((block_key(caption.credit), block_key(f"{caption.text} {caption.credit}")))
    drop_keys.discard("")
    # a block much longer than every title or caption cannot equal one: skip building its key
    longest = 2 * max(map(len, drop_keys), default=0) + 8
    kept: list[Block] = []
    bylines: list[str] = []
    for block in blocks:
        text = block.text
        if len(text) <= longest and block_key(text) in drop_keys:
            continue
        if len(text) <= _MAX_FURNITURE_CHARS:
            if is_date_line(text, language):
                continue
            names = parse_byline(text) if len(text) <= _MAX_BYLINE_BLOCK_CHARS else []
            if names:
                bylines.extend(names)
                continue
        kept.append(block)
    return kept, bylines
