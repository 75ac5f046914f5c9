"""What trafilatura keeps that is no article: the page after the article ends, and furniture inside it.

- `cut_after_article`: where the article ends, at a reader-comments, related-articles or blog-footer
  heading in the later part of the body;
- `drop_boilerplate`: the title, captions, date lines and bylines repeated inside the article container.
Both only remove blocks on exact evidence; body.never_worse decides whether what is left may stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.dates import is_date_line
from crawler.items import Block, Caption
from crawler.textkeys import block_key

from .people import parse_byline

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
