"""Normalise declared language tags and, failing those, guess the language from the body text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

try:  # the statistical identifier trafilatura uses, when installed
    from py3langid.langid import classify as _classify
except ImportError:  # pragma: no cover - depends on the environment
    _classify = None
CLASSIFY: Callable[[str], Any] | None = _classify

_TAG = re.compile(r"^([a-z]{2,3})(?:$|[-_])")
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})
_WORD = re.compile(r"[^\W\d_]+")
# the most frequent short words of each language, few of them shared with the others
_STOPWORDS = {
    "de": "der die das und ist nicht ein eine mit sich auf für dem den des von zu im auch wurde sagte wird",
    "en": "the and is was that with for are this have from not but which were said has been would will",
    "fr": "le la les et est une des du dans pour pas que qui sur avec sont ont été mais ce cette selon",
    "es": "el los las del que en una por con para es se más como pero fue sus sobre este han según",
    "it": "il gli della che una per non sono con del nel alla anche più come stato dei questo ha",
    "nl": "de het een van en niet dat is op te zijn voor met ook werd heeft aan maar naar deze",
}
_LOOKUP = {language: frozenset(words.split()) for language, words in _STOPWORDS.items()}
_MAX_WORDS = 1500
_MIN_HITS = 5


def normalize_language(value: str | None) -> str | None:
    """ "de-DE", "de_DE", "DE" -> "de"; None for anything that is not a language tag."""
    if not value:
        return None
    first = value.split(",")[0].strip().lower()
    match = _TAG.match(first)
    if match is None or match.group(1) in _NOT_LANGUAGES:
        return None
    return match.group(1)


def first_language(values: Iterable[str | None]) -> str | None:
    return next((language for value in values if (language := normalize_language(value))), None)


def detect_language(texts: Iterable[str]) -> str | None:
    """py3langid when installed, else a stopword vote over the first words; None when unsure."""
    if CLASSIFY is not None:
        sample = " ".join(texts)[:10000]
        return normalize_language(str(CLASSIFY(sample)[0])) if len(sample) >= 100 else None
    return _vote(texts)


def _vote(texts: Iterable[str]) -> str | None:
    counts = dict.fromkeys(_LOOKUP, 0)
    seen = 0
    for text in texts:
        for word in _WORD.findall(text.lower()):
            for language, words in _LOOKUP.items():
                if word in words:
                    counts[language] += 1
            seen += 1
            if seen >= _MAX_WORDS:
                break
        if seen >= _MAX_WORDS:
            break
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits < _MIN_HITS or hits < 1.5 * runner_up:
        return None
    return best
