"""Author names from bylines ("By Jane Doe and John Roe", "Von X und Y", "Par X et Y") and lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .credits import AGENCIES
from .text import normalize_space

_PREFIX = re.compile(
    r"^(?:(?:post(?:ed)?\s+)?(?:(?:written|text|reporting|story)\s+)?"
    r"(?:by|von|par|por|di|door|text|texto|autor(?:in)?|author|auteur)|posted\s+by)"
    r"\s*:?\s+(?:the\s+)?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bsowie\b)\s*", re.IGNORECASE)
_TRAILER = re.compile(r"\s+(?:[|•·–—]|-\s).*$")
# where a byline element goes on past the names: profile links, a role, "on <date>"
_UI_WORDS = (
    r"e-?mail(?:\s+author)?|twitter|facebook|google\s*\+?|linkedin|instagram|rss|view\s+profile|profile"
    r"|follow(?:\s+@\w+)?|topics|more\s+(?:posts|articles|stories)|all\s+posts|bio|website"
    r"|folgen|abonnieren|suivre|seguir|mehr\s+(?:artikel|von)"
)
_RUN_ON = re.compile(
    rf"(?:(?<=[a-z])(?=(?:E-?mail|Twitter|Facebook|Google|View|Follow|Folgen|Topics)\b)|\s+(?:{_UI_WORDS})\b"
    r"|\s+(?:on|at|am|le|el|il)\s+(?=[\w.]*\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"|\s+(?:posted|published|updated|aktualisiert|veröffentlicht|publié|publicado)\b)",
    re.IGNORECASE,
)
# a role after the name: "Jane Doe Editor-at-large", "Judith Burns Education reporter"
_ROLE_AFTER = re.compile(
    r"(?:^|\s+)(?:(?:[A-Z][a-z]+\s+)?(?:editor|reporter|correspondent|writer|columnist|contributor)\b"
    r"|(?:Editor|Reporter|Correspondent|Staff|Senior|Chief|Contributing|Columnist|Redakteur|Korrespondent)\b)"
)
# "October 29, 2012 at 10:45 am by Todd Bishop": the names follow the last "by"
_LATE_PREFIX = re.compile(r"^.*\b(?:by|von|par|por)\s+", re.IGNORECASE)
_PARTICLES = frozenset("von van der den de la le du da di del della dos das ten ter zu al el bin ibn y".split())
_ROLES = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|redakt|korrespondent|journalist|envoy|envoyé|"
    r"corresponsal|redacción|redaction|rédaction|photos?|fotos?|updated|aktualisiert|published|min\b|uhr\b)",
    re.IGNORECASE,
)
# profile links and page tools that byline-classed elements hold instead of (or besides) names
_NOT_NAME_WORDS = frozenset(
    "email e-mail twitter facebook google linkedin instagram rss view profile follow topics size print reprints"
    " share comments comment subscribe website bio author authors folgen abonnieren suivre seguir"
    " veröffentlicht aktualisiert published updated".split()
)
_LOWER_AGENCIES = frozenset(name for name in AGENCIES if name.islower())
_MAX_BYLINE_CHARS = 120
_MAX_NAME_WORDS = 5


def parse_byline(text: str, *, require_prefix: bool = True) -> list[str]:
    """Names in a byline; [] when the text does not read as one.

    With `require_prefix` the text must start with "By"/"Von"/"Par"... (a paragraph of the body);
    without it (an element marked as byline) a bare list of names is accepted too.
    """
    if require_prefix and _PREFIX.match(text.lstrip()) is None:
        return []  # most paragraphs: no need to look further
    text = normalize_space(text)
    if not text or len(text) > _MAX_BYLINE_CHARS:
        return []
    prefix = _PREFIX.match(text)
    if prefix is None and require_prefix:
        return []
    rest = text[prefix.end() :] if prefix else _LATE_PREFIX.sub("", text)
    rest = _TRAILER.sub("", rest)
    for run_on in (_RUN_ON.search(rest), _ROLE_AFTER.search(rest)):
        if run_on is not None:
            rest = rest[: run_on.start()]
    names = [_before_slash(normalize_space(part).strip(" .")) for part in _SPLIT.split(rest)]
    # roles ("Staff Writer") and dates riding along in the byline are no names
    names = [name for name in names if name and not _ROLES.search(name) and not any(c.isdigit() for c in name)]
    if not names or not all(_is_name(name) or name in AGENCIES for name in names):
        return []
    return names


def _before_slash(name: str) -> str:
    """ "Eliot Caroom/The Star-Ledger": the writer, not the paper."""
    head, slash, _ = name.partition("/")
    return head.strip() if slash and _is_name(head.strip()) else name


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS:
        return False
    if any(word.casefold().strip("+:") in _NOT_NAME_WORDS for word in words):
        return False
    if len(words) == 1 and _PREFIX.match(f"{text} x"):  # "Von", "By": a byline's first word alone
        return False
    if text in _LOWER_AGENCIES:
        return True
    capitalised = [word for word in words if word[0].isupper()]
    return bool(capitalised) and all(word[0].isupper() or word.lower() in _PARTICLES for word in words)


def split_names(text: str) -> list[str]:
    """A meta-tag author list: "Jane Doe, John Roe" or "Jane Doe and John Roe"."""
    byline = parse_byline(text, require_prefix=False)
    if byline:
        return byline
    text = normalize_space(_PREFIX.sub("", normalize_space(text)))
    return [text] if text and not text.startswith(("http://", "https://")) else []


def unique_names(names: Iterable[str]) -> list[str]:
    """Names in first-seen order, compared without case and spacing."""
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        name = normalize_space(name).strip(" ,;")
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result
