"""Date lines as pages print them: "Ausgegeben am: 15.09.2023 - 10:12", "Publié le …", "Updated …".

Used twice: to find the visible publication date when metadata has none, and to recognise date
lines among body paragraphs so they can be dropped.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from itertools import islice
from typing import NamedTuple

from lxml.etree import iterwalk
from lxml.html import HtmlElement

from .dates import WEEKDAYS, DateMatch, find_date
from .page import PageIndex, is_furniture
from .text import normalize_space

_PUBLISHED = (
    r"ausgegeben am|veröffentlicht(?:\s+am)?|erschienen(?:\s+am)?|publiziert(?:\s+am)?"
    r"|erstellt(?:\s+am)?|datum"
    r"|stand|first\s+published(?:\s+on)?|published(?:\s+on|\s+at)?|posted(?:\s+on|\s+at)?|date"
    r"|publiée?(?:\s+le)?|paru(?:\s+le)?|publicad[oa](?:\s+el)?|fecha|pubblicato(?:\s+il)?"
    r"|gepubliceerd(?:\s+op)?|geplaatst(?:\s+op)?"
)
_MODIFIED = (
    r"zuletzt\s+aktualisiert(?:\s+am)?|aktualisiert(?:\s+am)?|geändert(?:\s+am)?|last\s+updated(?:\s+on)?"
    r"|updated(?:\s+on|\s+at)?|last\s+modified|modified(?:\s+on)?|mis\s+à\s+jour(?:\s+le)?|modifiée?(?:\s+le)?"
    r"|actualisée?(?:\s+le)?|actualizad[oa](?:\s+el)?|última\s+actualización|aggiornato(?:\s+il)?"
    r"|bijgewerkt(?:\s+op)?"
)
LABEL = re.compile(rf"(?<!\w)(?:(?P<modified>{_MODIFIED})|(?P<published>{_PUBLISHED}))(?!\w)\s*:?\s*", re.IGNORECASE)
# what may stand around the dates of a date line: weekdays, bare times ("mis à jour à 12h00"), zone
# names, little words, punctuation
_FILLER = re.compile(
    rf"(?<!\w)(?:{WEEKDAYS}"
    r"|\d{1,2}(?:[:h.]\d{2})+(?:\s*(?:uhr|h))?|\d{1,2}\s*(?:uhr|h|[ap]\.?m\.?)"
    r"|uhr|um|am|on|at|le|à|el|a\s+las|il|op|de|del|the|ET|MEZ|MESZ|CET|CEST)(?!\w)\.?"
    r"|[\s\W_]",
    re.IGNORECASE,
)
_MAX_LINE_CHARS = 120
_MAX_LINE_WORDS = 20
_MAX_SENTENCE_WORDS = 6
_MAX_UNLABELLED_CHARS = 80
_LABEL_TO_DATE_CHARS = 40
_MODIFIED_LOOKAHEAD = 6
# only for recognising "vor 2 Stunden"-style lines: the reference moment is irrelevant there
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)

# first words of the labels above and of digit-less relative dates ("vor einer Stunde"): a cheap test
# that keeps the slow label pattern away from text that cannot hold a date
_HINT_WORDS = frozenset(
    """ausgegeben veröffentlicht erschienen publiziert erstellt datum stand first published posted date
    publié publiée paru publicado publicada fecha pubblicato gepubliceerd geplaatst zuletzt aktualisiert
    geändert last updated modified mis modifié modifiée actualisé actualisée actualizado actualizada última
    aggiornato bijgewerkt ago vor il hace geleden fa""".split()
)
_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})
_DATE_CLASS = re.compile(r"date|time|publish|posted|meta|byline|dateline", re.IGNORECASE)


def is_date_line(text: str, language: str | None = None) -> bool:
    """True when a line holds only date labels, dates, times and filler ("Ausgegeben am:")."""
    if len(text) > 2 * _MAX_LINE_CHARS:
        return False
    text = normalize_space(text)
    if not text or len(text) > _MAX_LINE_CHARS or text.count(" ") > _MAX_LINE_WORDS:
        return False
    if text[-1] in ".!?" and text.count(" ") >= _MAX_SENTENCE_WORDS:
        return False  # a sentence, not a date line
    if not may_hold_date(text):
        return False
    rest, labelled = LABEL.subn(" ", text)
    while True:
        rest = normalize_space(rest)  # find_date's offsets refer to the normalised text
        match = find_date(rest, language, now=_ANY_MOMENT)
        if match is None:
            break
        rest = rest[: match.start] + " " + rest[match.end :]
        labelled += 1
    return labelled > 0 and not _FILLER.sub("", rest)


def may_hold_date(text: str) -> bool:
    """False for text that holds neither a digit nor a date label nor a relative-date word."""
    return bool(_DIGIT.search(text)) or not _HINT_WORDS.isdisjoint(_WORDS.findall(text.lower()))


def visible_dates(
    page: PageIndex, language: str | None, *, now: datetime | None, tz: tzinfo | None
) -> tuple[DateMatch | None, DateMatch | None]:
    """(published, modified) from the page text: labelled lines first, then a lone date near the article."""
    published: DateMatch | None = None
    modified: DateMatch | None = None
    fallback: tuple[int, DateMatch] | None = None
    pieces = _short_texts(page.tree)
    # a sliding window: a label's date and time may stand in the next three pieces ("by", name, date, time)
    window: deque[_Piece] = deque(islice(pieces, 4))
    since_published = 0
    while window:
        piece = window.popleft()
        if piece.labelled:
            following = " ".join(item.text for item in islice(window, 3))
            # "Stand: 15.09.2023 | Aktualisiert: 16.09.2023": every label in the piece gets its date
            for label in LABEL.finditer(piece.text):
                match = find_date(f"{piece.text[label.end() :]} {following}", language, now=now, tz=tz)
                if match is None or match.start > _LABEL_TO_DATE_CHARS or _rank(piece.owner) is None:
                    continue
                if label.group("modified"):
                    modified = modified or match
                else:
                    published = published or match
        elif len(piece.text) <= _MAX_UNLABELLED_CHARS and (fallback is None or fallback[0] > 0):
            match = find_date(piece.text, language, now=now, tz=tz)
            if match is not None and not match.timed and window:
                # the time of day often stands in the next element: "<span>Nov 6, 2012</span> <span>10:43AM</span>"
                joined = find_date(f"{piece.text} {window[0].text}", language, now=now, tz=tz)
                if joined is not None and joined.timed and joined.start == match.start:
                    match = joined
            rank = _rank(piece.owner) if match is not None else None
            if match is not None and rank is not None and (fallback is None or rank < fallback[0]):
                fallback = (rank, match)
        if published is not None:
            since_published += 1
            # an "updated" line stands next to the "published" one, if there is one at all
            if modified is not None or since_published > _MODIFIED_LOOKAHEAD:
                break
        window.extend(islice(pieces, 1))
    if published is None and fallback is not None:
        published = fallback[1]
    return published, modified


class _Piece(NamedTuple):
    text: str
    owner: HtmlElement
    labelled: bool


def _short_texts(tree: HtmlElement) -> Iterator[_Piece]:
    """Short visible text pieces of the body in page order, each with the element it stands in.

    Pieces without a digit or a date label are left out, except right after a labelled one: the
    label and the date may sit in adjacent elements.
    """
    body = tree.find("body")
    if body is None:
        return
    after_label = False
    for event, element in iterwalk(body, events=("start", "end")):
        if event == "start":
            if element.tag in _NOT_TEXT:
                continue
            raw, owner = element.text, element
        else:
            raw, owner = element.tail, element.getparent()
        if not raw or owner is None or len(raw) > 2 * _MAX_LINE_CHARS or raw.isspace():
            continue
        has_digit = _DIGIT.search(raw) is not None
        hinted = len(raw) < _MAX_LINE_CHARS and not _HINT_WORDS.isdisjoint(_WORDS.findall(raw.lower()))
        if not (after_label or has_digit or hinted):
            continue
        text = normalize_space(raw)
        if len(text) <= _MAX_LINE_CHARS:
            labelled = hinted and LABEL.search(text) is not None
            yield _Piece(text, owner, labelled)
            after_label = labelled or (after_label and not has_digit)


def _rank(element: HtmlElement) -> int | None:
    """0: a date-classed element in the article; 1: other article text; 2: elsewhere; None: furniture."""
    if is_furniture(element):
        return None
    rank = 2
    for depth, node in enumerate((element, *element.iterancestors())):
        marks = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        if depth < 3 and (node.tag == "time" or _DATE_CLASS.search(marks)):
            return 0
        if node.tag in ("article", "main"):
            rank = 1
    return rank
