"""Where the article ends: a comments, related-articles or blog-footer heading closes it.

trafilatura's main-content container often reaches past the last paragraph into what follows it on
the page: reader comments it did not recognise as such, "Related posts" lists, "Filed under" and
"« Previous | Main | Next »" footers. A short block that reads as the heading of such a section
ends the body, with everything after it. Only in the later part of the body: near the top the same
words are more often an inline "Related:" link or a "3 comments" counter beside the byline.
"""

from __future__ import annotations

import re

from crawler.items import Block

# The share of the body's text that must come before a closing heading for it to count.
MIN_SHARE_BEFORE = 0.3
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
    article's next paragraph) is dropped alone; one whose headlines stand between two parts of the
    article (the prose goes on after them) is dropped with its headlines. `listings=False` cuts only
    at the headings that nothing of the article follows (reader comments, blog footers).
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
            if _FINAL.match(text):
                return kept
            if listings and _LISTING.match(text):
                following = blocks[index + 1].text if index + 1 < len(blocks) else ""
                if not following or _is_headline(following):
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


def _is_headline(text: str) -> bool:
    return len(text) <= _MAX_HEADLINE_CHARS and not text.endswith((".", "!", "?", ":", '"', "”", "»"))
