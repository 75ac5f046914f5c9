"""What story linking needs from a persistent index, as a protocol: the linker is pure logic over it.

The archive provides the SQLite implementation (crawler.archive.stories.SqliteStoryIndex); tests and
benchmarks may use it or any other. Nothing here knows SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

SIGNATURE_LAYOUT_KEY = "signature"
BANDING_LAYOUT_KEY = "banding"


@dataclass(frozen=True)
class IndexedArticle:
    member: int
    article_id: str
    story_id: str
    source: str | None
    body_hash: int
    signature: npt.NDArray[np.uint16]
    facts: str  # JSON, see crawler.dedup.facts.StoryFacts.to_json
    published_at: str | None


@dataclass(frozen=True)
class IndexRow:
    """What is written for one article."""

    article_id: str
    story_id: str
    source: str | None
    body_hash: int
    signature: npt.NDArray[np.uint16]
    facts: str
    published_at: str | None
    indexed_at: str
    provenance: int = 3


class StoryIndex(Protocol):
    def atomic(self) -> AbstractContextManager[None]:
        """All writes inside happen together or not at all (nested inside a caller's transaction)."""
        ...

    def layout(self) -> dict[str, str]: ...

    def set_layout(self, key: str, value: str) -> None: ...

    def indexed_article(self, article_id: str) -> IndexedArticle | None: ...

    def same_body(self, body_hash: int, *, exclude: str, limit: int) -> list[IndexedArticle]: ...

    def bucket_neighbours(self, bucket_keys: Iterable[int], *, exclude: str, limit: int) -> list[IndexedArticle]: ...

    def save(
        self, row: IndexRow, bucket_keys: Sequence[int], *, member: int | None, old_bucket_keys: Sequence[int] = ()
    ) -> int:
        """Insert or replace the article's row; ``member``: its member number when indexed (as
        `indexed_article` gave it just before), None when not. Its member number."""
        ...

    def rebuild_buckets(self, keys_for: Callable[[npt.NDArray[np.uint16]], npt.NDArray[np.int64]]) -> int: ...

    def story_size(self, story_id: str) -> int: ...

    def story_founded(self, story_id: str) -> int | None: ...

    def merge_stories(self, into: str, others: Sequence[str]) -> None: ...

    def earliest_member(self, story_id: str) -> str | None: ...

    def point_to_original(self, story_id: str, original: str) -> int: ...
