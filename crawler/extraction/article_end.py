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
# a listed article is a headline: short, and not a sentence of the article going on
_MAX_HEADLINE_CHARS = 150


def cut_after_article(blocks: list[Block]) -> list[Block]:
    """The blocks before the first closing heading in the later part of the body; all when none.

    A listing heading whose list trafilatura already removed ("Related stories" followed by the
    article's next paragraph) is dropped alone.
    """
    total = sum(len(block.text) for block in blocks)
    kept: list[Block] = []
    before = 0
    for index, block in enumerate(blocks):
        text = block.text
        if index and len(text) <= _MAX_HEADING_CHARS and before >= MIN_SHARE_BEFORE * total:
            if _FINAL.match(text):
                return kept
            if _LISTING.match(text):
                following = blocks[index + 1].text if index + 1 < len(blocks) else ""
                if not following or _is_headline(following):
                    return kept
                before += len(text)
                continue
        kept.append(block)
        before += len(text)
    return kept


def _is_headline(text: str) -> bool:
    return len(text) <= _MAX_HEADLINE_CHARS and not text.endswith((".", "!", "?", ":", '"', "”", "»"))
