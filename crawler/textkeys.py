"""The comparison form of a block of text: one normalisation for every "is this the same text?".

NFKC (full-width and compatibility forms fold), case-folded, only the `\\w+` words kept: copies that
differ in typography — curly or straight quotes, a trailing full stop, spacing, a credit's slashes —
compare equal. Extraction (title and caption repeats), the paragraph stage (repeated blocks), per-source
boilerplate and the duplicate fingerprints all use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

WORD = re.compile(r"\w+")
# On ASCII text Unicode `\w` is [A-Za-z0-9_]; the ASCII patterns find the same matches, faster.
WORD_ASCII = re.compile(r"\w+", re.ASCII)
# Words with their inner separators kept whole, so numbers stay whole: "15,234.56", "3-1",
# "14.06.2023", "10:32" (the story facts' tokens). Possessive: a match never backtracks.
TOKEN = re.compile(r"\w++(?:[.,:/-]\w++)*+")
TOKEN_ASCII = re.compile(r"\w++(?:[.,:/-]\w++)*+", re.ASCII)
TOKEN_SEPARATORS = ".,:/-"


def fold(text: str) -> str:
    """NFKC, then case folding: the text every comparison form is cut from.

    Both are applied character by character around a line break (a line break neither composes nor
    reorders with its neighbours, and case folding has no context), so folding blocks one by one and
    joining them with blank lines gives the fold of the joined text: the fingerprints fold each block
    once and reuse it.
    """
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """The text's words in comparison form."""
    folded = fold(text)
    return (WORD_ASCII if folded.isascii() else WORD).findall(folded)


def tokens_of_folded(folded: str) -> list[str]:
    """TOKEN matches of an already folded text."""
    return (TOKEN_ASCII if folded.isascii() else TOKEN).findall(folded)


def words_of_tokens(toks: Sequence[str]) -> list[str]:
    """The words of a text from its TOKEN matches: every `\\w+` run of a text lies in exactly one
    token, and a token is such runs joined by single separators, so cutting the tokens at their
    separators gives the text's words, in order, without scanning it again."""
    joined = " ".join(toks)
    for separator in TOKEN_SEPARATORS:
        if separator in joined:
            joined = joined.replace(separator, " ")
    # `\w` characters are never whitespace: split() cuts only where the separators and spaces were.
    return joined.split()


def block_key(text: str | None) -> str:
    """The comparison form of a block: its words, joined by single spaces ("" for no words)."""
    return " ".join(words(text)) if text else ""
