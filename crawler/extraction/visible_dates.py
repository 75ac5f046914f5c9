"""Dates printed on the page: labelled date lines first, then a lone date near the article.

The page walk lives here, with extraction; what counts as a date line, and the dates in it, is
crawler.dates'.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from datetime import datetime, tzinfo
from itertools import islice
from typing import NamedTuple

from lxml.etree import iterwalk
from lxml.html import HtmlElement

from crawler.dates import LABEL, MAX_LINE_CHARS, DateMatch, find_date, has_date_word

from .page import PageIndex, is_furniture
from .text import normalize_space

_MAX_UNLABELLED_CHARS = 80
_LABEL_TO_DATE_CHARS = 40
_MODIFIED_LOOKAHEAD = 6
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})
_DATE_CLASS = re.compile(r"date|time|publish|posted|meta|byline|dateline", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


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
        if not raw or owner is None or len(raw) > 2 * MAX_LINE_CHARS or raw.isspace():
            continue
        has_digit = _DIGIT.search(raw) is not None
        hinted = len(raw) < MAX_LINE_CHARS and has_date_word(raw)
        if not (after_label or has_digit or hinted):
            continue
        text = normalize_space(raw)
        if len(text) <= MAX_LINE_CHARS:
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
