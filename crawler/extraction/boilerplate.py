"""Recognise body blocks that are page furniture, not article text.

Trafilatura keeps short lines that sit inside the article container: the title repeated, date lines,
bylines, and captions that it met as bare paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.dates import is_date_line
from crawler.items import Block, Caption
from crawler.textkeys import block_key

from .authors import parse_byline

_MAX_BYLINE_BLOCK_CHARS = 100
_MAX_FURNITURE_CHARS = 160


def drop_boilerplate(
    blocks: Iterable[Block], *, title: str | None, captions: Iterable[Caption], language: str | None
) -> tuple[list[Block], list[str]]:
    """The blocks worth keeping, and the author names read from byline blocks that were dropped.

    This is the one place where the title and the captions repeated in the body are removed (the
    page's captions are known only here), compared in crawler.textkeys' form. Furniture that needs no
    page context (share buttons, reading times, "read also" links) is the clean stage's, as data in
    pipelines/junk_rules.toml.
    """
    drop_keys = {block_key(title)}
    for caption in captions:
        drop_keys.add(block_key(caption.text))
        if caption.credit:
            drop_keys.update((block_key(caption.credit), block_key(f"{caption.text} {caption.credit}")))
    drop_keys.discard("")
    # a block much longer than every title or caption cannot equal one: skip building its key
    longest = 2 * max(map(len, drop_keys), default=0) + 8
    kept: list[Block] = []
    bylines: list[str] = []
    for block in blocks:
        text = block.text
        if len(text) <= longest and block_key(text) in drop_keys:
            continue
        if len(text) <= _MAX_FURNITURE_CHARS:
            if is_date_line(text, language):
                continue
            names = parse_byline(text) if len(text) <= _MAX_BYLINE_BLOCK_CHARS else []
            if names:
                bylines.extend(names)
                continue
        kept.append(block)
    return kept, bylines
