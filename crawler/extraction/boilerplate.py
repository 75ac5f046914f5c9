"""Recognise body blocks that are page furniture, not article text.

Trafilatura keeps short lines that sit inside the article container: the title repeated, date lines,
reading times, bylines, share and comment prompts, and captions that it met as bare paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.dates import is_date_line
from crawler.items import Block, Caption

from .authors import parse_byline
from .text import normalize_space, text_key

_READING_TIME = re.compile(
    r"^(?:(?:geschätzte\s+)?(?:lesezeit|lesedauer|reading\s+time|read\s+time|temps\s+de\s+lecture"
    r"|tiempo\s+de\s+lectura|tempo\s+di\s+lettura|leestijd|leesduur)\s*:?\s*)?"
    r"(?:ca\.?\s*|approx\.?\s*|about\s+|environ\s+|~\s*)?\d{1,3}\s*(?:-\s*\d{1,3}\s*)?"
    r"(?:min(?:\.|s)?|minuten?|minutes?|minutos?|minuti|minuut|mn)\.?"
    r"(?:\s+(?:read|reading|reading\s+time|lesezeit|lesedauer|lesen|de\s+lecture|lecture|de\s+lectura"
    r"|lectura|di\s+lettura|lettura|leestijd|leesduur))?$",
    re.IGNORECASE,
)
_WIDGET_LINES = frozenset(
    " ".join(line.split())
    for line in """
    share|share this|share this article|share this story|share on facebook|share on twitter|tweet|email
    |e-mail|print|copy link|link copied|teilen|artikel teilen|diesen artikel teilen|beitrag teilen|drucken
    |link kopieren|partager|partager cet article|imprimer|compartir|compartir este artículo|imprimir
    |condividi|stampa|delen|leave a reply|leave a comment|cancel reply|post comment|comments|add comment
    |kommentare|kommentar schreiben|schreibe einen kommentar|hinterlasse einen kommentar
    |antworten|antwort abbrechen|laisser un commentaire|commentaires|deja un comentario|deja una respuesta
    |comentarios|lascia un commento|commenti|reageer|reacties|read more|weiterlesen|lire la suite|leer más
    |mehr zum thema|lesen sie auch|lire aussi|à lire aussi|lee también|leggi anche|advertisement|anzeige
    |werbung|publicité|publicidad|pubblicità|advertentie|contribuer|réutiliser ce contenu
    """.split("|")
)
# "Lire aussi | Another headline": a link to another article set between paragraphs
_READ_ALSO = re.compile(
    r"^(?:lire aussi|à lire aussi|voir aussi|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant"
    r"|read more|read also|see also|related|lee también|lea también|leggi anche|lees ook)\s*[:|»›]",
    re.IGNORECASE,
)
_WIDGET_WORDS = frozenset(
    "share teilen partager compartir condividi delen facebook twitter x whatsapp telegram linkedin email"
    " e-mail mail print drucken imprimer pinterest reddit flipboard xing messenger threads bluesky copy"
    " link".split()
)
_MAX_BYLINE_BLOCK_CHARS = 100
_MAX_FURNITURE_CHARS = 160
_DIGIT = re.compile(r"\d")
_WIDGET_SEPARATORS = re.compile(r"[\s|/•·,]+")


def drop_boilerplate(
    blocks: Iterable[Block], *, title: str | None, captions: Iterable[Caption], language: str | None
) -> tuple[list[Block], list[str]]:
    """The blocks worth keeping, and the author names read from byline blocks that were dropped.

    Block texts arrive whitespace-normalised; only short blocks can be furniture, so long ones skip
    the pattern checks.
    """
    drop_keys = {text_key(title)}
    for caption in captions:
        drop_keys.add(text_key(caption.text))
        if caption.credit:
            drop_keys.update((text_key(caption.credit), text_key(f"{caption.text} {caption.credit}")))
    drop_keys.discard("")
    # a block longer than every title or caption cannot equal one: skip building its key
    longest = max(map(len, drop_keys), default=0) + 4
    kept: list[Block] = []
    bylines: list[str] = []
    for block in blocks:
        text = block.text
        if len(text) <= longest and _key(text) in drop_keys:
            continue
        if len(text) <= _MAX_FURNITURE_CHARS:
            if _is_widget_key(_key(text)) or _READ_ALSO.match(text):
                continue
            if is_date_line(text, language):
                continue
            if _DIGIT.search(text) and _READING_TIME.match(text):
                continue
            names = parse_byline(text) if len(text) <= _MAX_BYLINE_BLOCK_CHARS else []
            if names:
                bylines.extend(names)
                continue
        kept.append(block)
    return kept, bylines


def _key(normalized: str) -> str:
    """text_key for text that is already whitespace-normalised."""
    return normalized.casefold().rstrip(" .:;,!")


def is_reading_time(text: str) -> bool:
    return len(text) < 80 and bool(_READING_TIME.match(normalize_space(text)))


def is_widget_line(text: str) -> bool:
    """Share buttons, comment prompts, "read more" links: a line made only of such words."""
    return len(text) <= _MAX_FURNITURE_CHARS and _is_widget_key(text_key(text))


def _is_widget_key(key: str) -> bool:
    key = key.strip(" :!?»›→…")
    if key in _WIDGET_LINES:
        return True
    if not key or len(key) > 80 or key.split(None, 1)[0].strip("|/•·,") not in _WIDGET_WORDS:
        return False
    words = _WIDGET_SEPARATORS.split(key)
    return len(words) >= 2 and all(word in _WIDGET_WORDS for word in words if word)
