"""Date lines as pages print them: "Ausgegeben am: 15.09.2023 - 10:12", "Publié le …", "Updated …".

Used twice: to find the visible publication date when metadata has none (crawler.extraction gathers
the lines from the page, crawler.dates.page reads them), and to recognise date lines among body
paragraphs so they can be dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .clock import WEEKDAYS, squeeze
from .printed import find_date

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
MAX_LINE_CHARS = 120
_MAX_LINE_WORDS = 20
_MAX_SENTENCE_WORDS = 6
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


def is_date_line(text: str, language: str | None = None) -> bool:
    """True when a line holds only date labels, dates, times and filler ("Ausgegeben am:")."""
    if len(text) > 2 * MAX_LINE_CHARS:
        return False
    text = squeeze(text)
    if not text or len(text) > MAX_LINE_CHARS or text.count(" ") > _MAX_LINE_WORDS:
        return False
    if text[-1] in ".!?" and text.count(" ") >= _MAX_SENTENCE_WORDS:
        return False  # a sentence, not a date line
    if not may_hold_date(text):
        return False
    rest, labelled = LABEL.subn(" ", text)
    while True:
        rest = squeeze(rest)  # find_date's offsets refer to the normalised text
        match = find_date(rest, language, now=_ANY_MOMENT)
        if match is None:
            break
        rest = rest[: match.start] + " " + rest[match.end :]
        labelled += 1
    return labelled > 0 and not _FILLER.sub("", rest)


def may_hold_date(text: str) -> bool:
    """False for text that holds neither a digit nor a date label nor a relative-date word."""
    return bool(_DIGIT.search(text)) or has_date_word(text)


def has_date_word(text: str) -> bool:
    """True when a word of `text` may begin a date label or a digit-less relative date."""
    return not _HINT_WORDS.isdisjoint(_WORDS.findall(text.lower()))
