"""Per-source boilerplate: which blocks may be learned, and when a recurring block is boilerplate.

A block that recurs across many articles of one source — "source site-28", a newsletter promo, a
legal footer — is that source's furniture. Two things keep real text from being learned:
- only short blocks qualify (``max_chars``): a wire paragraph quoted by a series of articles is
  long; furniture is a line or two;
- the block must recur in a share of the source's articles since it was first seen (``min_share``),
  not just in more than ``min_articles`` of them: a footer is on every page, while a background
  sentence ("The Kremlin declined to comment.") turns up in a handful of a busy source's hundreds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crawler.dedup.blocktext import BlockText
from crawler.dedup.fingerprint import text_hash
from crawler.textkeys import block_key


def block_hash(text: str) -> int | None:
    """The key of a block's normalised text (case, punctuation and spacing ignored); None if empty."""
    normalised = block_key(text)
    return text_hash(normalised) if normalised else None


@dataclass(frozen=True)
class BoilerplateRule:
    min_articles: int = 5
    max_chars: int = 300
    min_share: float = 0.1

    def key(self, text: str) -> int | None:
        """The block's key if it is short enough to be furniture, else None."""
        return self._key_of(block_key(text))

    def key_of(self, text: BlockText) -> int | None:
        """`key` of a block already cut (crawler.dedup.blocktext)."""
        return self._key_of(text.key_text)

    def _key_of(self, normalised: str) -> int | None:
        if not normalised or len(normalised) >= self.max_chars:
            return None
        return text_hash(normalised)

    def is_boilerplate(self, articles_seen: int, first_seen_tick: int, tick: int) -> bool:
        """``tick`` counts the source's articles; the block was first seen at ``first_seen_tick``."""
        if articles_seen <= self.min_articles:
            return False
        return articles_seen >= self.min_share * (tick - first_seen_tick + 1)

    @property
    def remembered_ids(self) -> int:
        """Article ids kept per block to count each article once: once a block has been seen in more
        than ``min_articles`` articles it is learned or hopeless, so more ids would not change anything."""
        return self.min_articles + 1

    @property
    def stale_after(self) -> int:
        """Source articles without a sighting after which a block's count is forgotten. A block that
        recurs in ``min_share`` of the articles goes this long unseen with probability below 1e-9,
        so forgetting costs nothing and keeps the table at a few hundred articles' blocks per source."""
        if self.min_share <= 0:
            return 1000
        return max(100, math.ceil(20 / self.min_share))
