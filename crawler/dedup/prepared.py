"""What an article's write needs that does not depend on the archive: computed where the article is made.

The archive writer is one process; crawl workers are many. Everything the writer computes from the
article alone — the blocks' boilerplate keys, the url keys, and the fingerprints story linking reads
(body hash, MinHash signature, LSH bucket keys, facts) — can be computed by a worker and handed over
with the article, so the writer keeps to what needs the archive's state.

The fingerprints depend on which blocks the writer removes as the source's learned boilerplate, which
only the archive knows. A worker therefore prepares them for the removals most likely (none, the last
block, the first, both: where sites put their furniture) and the writer uses the one prepared for the
blocks it actually removed, or computes it itself, through the same `Preparation.fingerprint`.
A prepared article carries its preparation's layout; one of another layout is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from crawler.dates import parse_stored
from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.blocktext import BlockText
from crawler.dedup.facts import StoryFacts
from crawler.dedup.fingerprint import MinHasher, Signature, text_hash
from crawler.dedup.linking import make_entry
from crawler.dedup.lsh import Banding, bucket_keys
from crawler.items import Article
from crawler.urls import url_key

# Bumped whenever what a PreparedArticle holds, or how any of it is computed, changes.
PREPARED_VERSION = 1


@dataclass(frozen=True)
class Fingerprint:
    """Story linking's view of the article's body once the blocks at ``removed`` are gone."""

    removed: tuple[int, ...]
    body_hash: int
    signature: Signature
    facts_json: str  # StoryFacts.to_json(): what the story index stores, and what the stream carries
    empty: bool
    bucket_keys: tuple[int, ...] | None  # None: no banding (linking off)
    facts: StoryFacts | None = None  # None: parsed from facts_json when this fingerprint is used

    def story_facts(self, *, published_at: str | None, source: str) -> StoryFacts:
        """The facts (of an article published at ``published_at`` by ``source``, as prepared)."""
        if self.facts is not None:
            return self.facts
        return StoryFacts.from_json(self.facts_json, published_at=parse_stored(published_at), source=source)


@dataclass(frozen=True)
class PreparedArticle:
    layout: str
    blocks: int  # how many blocks the article had when prepared
    block_keys: tuple[int | None, ...]  # BoilerplateRule.key_of of each block
    url_key: str
    canonical_key: str | None
    fingerprints: tuple[Fingerprint, ...]

    def fingerprint(self, removed: tuple[int, ...]) -> Fingerprint | None:
        return next((f for f in self.fingerprints if f.removed == removed), None)


class Preparation:
    """The settings a prepared article depends on, and the one place each of its parts is computed."""

    def __init__(
        self,
        *,
        hasher: MinHasher,
        banding: Banding | None,
        rule: BoilerplateRule | None,
        tracking_params: tuple[str, ...],
    ) -> None:
        self.hasher = hasher
        self.banding = banding
        self.rule = rule
        self.tracking_params = tracking_params
        banding_layout = banding.layout if banding is not None else "-"
        max_chars = rule.max_chars if rule is not None else "-"
        tracking = text_hash("\n".join(tracking_params))
        self.layout = (
            f"v{PREPARED_VERSION}|{hasher.layout}|{banding_layout}|max_chars:{max_chars}|tracking:{tracking:x}"
        )

    def block_keys(self, texts: Sequence[BlockText]) -> tuple[int | None, ...]:
        rule = self.rule
        if rule is None:
            return (None,) * len(texts)
        return tuple(rule.key_of(text) for text in texts)

    def url_keys(self, article: Article) -> tuple[str, str | None]:
        """url_key of the fetched URL and of the canonical URL (None without one)."""
        tracking = self.tracking_params
        canonical = url_key(article.canonical_url, tracking) if article.canonical_url else None
        fetched = canonical if canonical is not None and article.url == article.canonical_url else None
        return fetched or url_key(article.url, tracking), canonical

    def fingerprint(
        self,
        title: str | None,
        texts: Sequence[BlockText],
        *,
        published_at: str | None,
        source: str,
        removed: tuple[int, ...] = (),
    ) -> Fingerprint:
        """``texts``: the BlockTexts of the blocks kept (those not at ``removed``)."""
        entry = make_entry(
            self.hasher, "", title=title, blocks=(), published_at=published_at, source=source, texts=texts
        )
        keys = None
        if self.banding is not None and not entry.empty:
            keys = tuple(int(key) for key in bucket_keys(entry.signature, self.banding)[0].tolist())
        elif self.banding is not None:
            keys = ()
        return Fingerprint(
            removed, entry.body_hash, entry.signature, entry.facts.to_json(), entry.empty, keys, entry.facts
        )

    def prepare(self, article: Article) -> PreparedArticle:
        """What a worker hands over with the article (see the module's docstring)."""
        texts = [BlockText.of(block.text) for block in article.blocks]
        keys = self.block_keys(texts)
        fetched, canonical = self.url_keys(article)
        fingerprints: tuple[Fingerprint, ...] = ()
        if self.banding is not None:
            fingerprints = tuple(
                self.fingerprint(
                    article.title,
                    list(compress(texts, [position not in removed for position in range(len(texts))])),
                    published_at=article.published_at,
                    source=article.source,
                    removed=removed,
                )
                for removed in likely_removals(keys)
            )
        return PreparedArticle(self.layout, len(texts), keys, fetched, canonical, fingerprints)

    def accepts(self, prepared: PreparedArticle | None, article: Article) -> PreparedArticle | None:
        """``prepared`` if it was prepared under these settings from this article's blocks, else None."""
        if prepared is None or prepared.layout != self.layout or prepared.blocks != len(article.blocks):
            return None
        return prepared


def likely_removals(keys: Sequence[int | None]) -> list[tuple[int, ...]]:
    """Block positions a source's learned boilerplate is most likely to take: none, the last block,
    the first, or both — of those that can be boilerplate at all (a key)."""
    last = len(keys) - 1
    removals: list[tuple[int, ...]] = [()]
    if last >= 1 and keys[last] is not None:
        removals.append((last,))
    if last >= 1 and keys[0] is not None:
        removals.append((0,))
        if keys[last] is not None and last >= 2:
            removals.append((0, last))
    return removals
