"""The comparison form of a block of text: one normalisation for every "is this the same text?".

NFKC (full-width and compatibility forms fold), case-folded, only the `\\w+` words kept: copies that
differ in typography — curly or straight quotes, a trailing full stop, spacing, a credit's slashes —
compare equal. Extraction (title and caption repeats), the paragraph stage (repeated blocks), per-source
boilerplate and the duplicate fingerprints all use it.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The text's words in comparison form."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def block_key(text: str | None) -> str:
    """The comparison form of a block: its words, joined by single spaces ("" for no words)."""
    return " ".join(words(text)) if text else ""
