"""Cross-check the extracted body against the article text the publisher states in JSON-LD.

A page whose body exists only as data (an app shell that renders it from Next.js __NEXT_DATA__ or
from an escaped `contentHtml` in a script) gets that text as its body when trafilatura finds less
than a plausible article.

Many news sites put the whole article into schema.org `articleBody`. Where it is complete it tells
which extracted blocks belong to the article: blocks it does not contain are teasers, captions,
newsletter boxes or ads. Where trafilatura found only a fraction of it, `articleBody` is the better
body. Neither happens unless the two clearly agree (or clearly disagree) in size and wording.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from crawler.items import Block

from .document import normalize_space

# Shorter statements are teasers or paywall stubs, not the article.
MIN_REFERENCE_WORDS = 80
# The body must hold this much of the reference's wording before the reference may prune it.
CONFIRMED_COVERAGE = 0.9
# A block sharing less than this with the reference is not part of the article.
MAX_FOREIGN_SHARE = 0.2
# The body holds less than this of the reference, which is at least REPLACE_RATIO times longer:
# trafilatura missed most of the article.
MAX_MISSED_COVERAGE = 0.5
REPLACE_RATIO = 2.0

_WORD = re.compile(r"\w+")
_BREAKS = re.compile(r"<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")
_MARKUP = re.compile(r"</?[a-zA-Z][^>]{0,2000}>")
_GRAM = 3


def reference_text(article_body: str) -> str:
    """articleBody as plain text with one paragraph per line (some sites put HTML in it)."""
    text = html.unescape(article_body)
    if _MARKUP.search(text):
        text = _TAG.sub(" ", _BREAKS.sub("\n", text))
    return "\n".join(line for raw in text.splitlines() if (line := normalize_space(raw)))


def reconcile(blocks: list[Block], article_body: str | None) -> list[Block]:
    """The body pruned to the article, or replaced by the reference; unchanged unless sure."""
    if not article_body:
        return blocks
    reference = reference_text(article_body)
    words = _WORD.findall(reference.casefold())
    if len(words) < MIN_REFERENCE_WORDS:
        return blocks
    known = _grams(words)
    block_grams = [_grams(_WORD.findall(block.text.casefold())) for block in blocks]
    found = set().union(*block_grams) if block_grams else set()
    coverage = len(known & found) / len(known)
    own_words = sum(len(_WORD.findall(block.text)) for block in blocks)
    if coverage < MAX_MISSED_COVERAGE and len(words) >= REPLACE_RATIO * own_words:
        return [Block(line, "p") for line in reference.splitlines()]
    if coverage < CONFIRMED_COVERAGE or reference.endswith(("…", "...")):
        return blocks  # a truncated statement cannot tell what follows it
    if len(blocks) == 1 and "\n" in reference:
        # the whole article in one block (trafilatura's last resort reads articleBody itself): the
        # statement's line breaks are its paragraphs
        return [Block(line, "p") for line in reference.splitlines()]
    shares = [len(grams & known) / len(grams) if grams else None for grams in block_grams]
    return _pruned(blocks, shares)


def _pruned(blocks: Sequence[Block], shares: Sequence[float | None]) -> list[Block]:
    """Blocks the reference contains; headings and very short lines only between such blocks."""
    matched = [index for index, share in enumerate(shares) if share is not None and share > MAX_FOREIGN_SHARE]
    if not matched:
        return list(blocks)
    first, last = matched[0], matched[-1]
    kept = []
    for index, (block, share) in enumerate(zip(blocks, shares, strict=True)):
        if share is None or block.kind != "p":
            # too short to compare, or a subheading the statement may leave out: kept inside the article
            if first <= index <= last:
                kept.append(block)
        elif share > MAX_FOREIGN_SHARE:
            kept.append(block)
    return kept


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _GRAM]) for i in range(len(words) - _GRAM + 1)}


# keys whose string value is an article's text in an app's data, most specific first
_BODY_KEYS = ("articleBody", "contentHtml", "bodyHtml", "articleText", "body", "content", "html", "text")
_BODY_KEY_SET = frozenset(_BODY_KEYS)
# an escaped string value under one of those keys, in a script that is no JSON document
_ESCAPED_VALUE = re.compile(r'"(articleBody|contentHtml|bodyHtml|articleText)"\s*:\s*"((?:[^"\\]|\\.){200,})"')
_MAX_DEPTH = 40


def data_body(scripts: Iterable[str]) -> str | None:
    """The longest article-length text the page's scripts carry under a body key; None when none."""
    best: str | None = None
    best_words = MIN_REFERENCE_WORDS - 1
    for script in scripts:
        for value in _body_values(script):
            words = len(_WORD.findall(reference_text(value)))
            if words > best_words:
                best, best_words = value, words
    return best


def _body_values(script: str) -> Iterator[str]:
    stripped = script.strip()
    if stripped.startswith(("{", "[")):
        try:
            yield from _strings_under_body_keys(json.loads(stripped), 0)
            return
        except ValueError:
            pass
    for match in _ESCAPED_VALUE.finditer(script):
        try:
            yield json.loads(f'"{match.group(2)}"')
        except ValueError:
            continue


def _strings_under_body_keys(data: Any, depth: int) -> Iterator[str]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                if key in _BODY_KEY_SET and len(value) > 200:
                    yield value
            else:
                yield from _strings_under_body_keys(value, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _strings_under_body_keys(item, depth + 1)


def body_from_data(blocks: list[Block], stated: str | None, plausible_words: int) -> list[Block]:
    """`stated`'s lines replace a body of less than a plausible article that it holds twice over."""
    if not stated:
        return blocks
    own_words = sum(len(_WORD.findall(block.text)) for block in blocks)
    if own_words >= plausible_words:
        return blocks
    reference = reference_text(stated)
    if len(_WORD.findall(reference)) < REPLACE_RATIO * max(own_words, 1):
        return blocks
    return [Block(line, "p") for line in reference.splitlines()]
