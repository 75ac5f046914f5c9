"""Link an article to its story: exact copy, near copy, or a new story — over the SQLite index.

A story is named after the article that started it and never renamed, so a story_id handed out
once stays valid. An article joins the story of its best verified match; stories are not merged
transitively, because chaining near-copies is how templated items would creep into one cluster.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

import numpy as np

from crawler.dates import parse_stored
from crawler.dedup.blocktext import BlockText
from crawler.dedup.facts import StoryFacts, StoryGuard, facts_of_tokens
from crawler.dedup.fingerprint import MinHasher, Signature, body_hash, similarities
from crawler.dedup.index import BANDING_LAYOUT_KEY, SIGNATURE_LAYOUT_KEY, IndexedArticle, IndexRow, StoryIndex
from crawler.dedup.lsh import Banding, banding_for, bucket_keys

logger = logging.getLogger(__name__)

# Estimated Jaccard similarity of word 5-shingles from which two bodies may be the same story (then
# checked by the facts guard). benchmarks/duplicates.py: recall 0.89 at 0.8, 0.96 at 0.7, 0.99 at 0.6,
# with precision 1.0 at each once the guard has rejected templated look-alikes.
DEFAULT_THRESHOLD = 0.6
# Candidates verified per article: enough for every copy of a big wire story to be seen by the
# buckets it shares most, while a pathological bucket cannot make one lookup scan thousands of rows.
MAX_CANDIDATES = 64
# Candidates' parsed facts kept per linker (a few MB at most).
PARSED_FACTS_KEPT = 4096


class Match(StrEnum):
    EXACT = "exact"
    NEAR = "near"
    NEW_STORY = "new_story"
    KNOWN = "known"  # indexed before (a re-crawl): its story is kept


@dataclass(frozen=True)
class Entry:
    """One article, fingerprinted for the index."""

    article_id: str
    body_hash: int
    signature: Signature
    facts: StoryFacts
    empty: bool = False
    provenance: int = 3  # 0: declares authors, site name and description, like a publisher's page
    # The signature's LSH bucket keys when computed beforehand under the linker's banding
    # (crawler.dedup.prepared); None: the linker computes them.
    bucket_keys: tuple[int, ...] | None = None
    facts_json: str | None = None  # facts.to_json(), when computed beforehand

    @property
    def stored_facts(self) -> str:
        return self.facts_json if self.facts_json is not None else self.facts.to_json()

    @property
    def published_at(self) -> str | None:
        # Whole seconds in UTC, so the stored text sorts in time order.
        moment = self.facts.published_at
        return moment.isoformat(timespec="seconds") if moment else None


@dataclass(frozen=True)
class Link:
    story_id: str
    duplicate_of: str | None  # the story's earliest-published member; None for that member itself
    match: Match
    matched: str | None = None  # the article it was matched against
    similarity: float | None = None
    merged: tuple[str, ...] = ()  # stories that this article showed to be the same, now story_id


@dataclass(frozen=True)
class Candidate:
    article: IndexedArticle
    similarity: float
    match: Match
    facts: StoryFacts


def make_entry(
    hasher: MinHasher,
    article_id: str,
    *,
    title: str | None,
    blocks: Sequence[str],
    published_at: str | None,
    source: str = "",
    texts: Sequence[BlockText] | None = None,
) -> Entry:
    """``texts``: the blocks' BlockText when the caller cut them already (the archive writer does,
    for boilerplate keys). The words of the joined body are the blocks' words in order
    (crawler.textkeys.fold), so each block is scanned once for the words and the facts."""
    if texts is None:
        texts = [BlockText.of(text) for text in blocks]
    body_words = [word for text in texts for word in text.words]
    return Entry(
        article_id=article_id,
        body_hash=body_hash(body_words),
        signature=hasher.signature(body_words),
        facts=facts_of_tokens(title, [text.tokens for text in texts], published_at=published_at, source=source),
        empty=not body_words,
    )


class StoryLinker:
    """Finds and records the story of each article, over a persistent index (one per archive)."""

    def __init__(
        self,
        index: StoryIndex,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        guard: StoryGuard | None = None,
        hasher: MinHasher | None = None,
        max_candidates: int = MAX_CANDIDATES,
    ) -> None:
        self.index = index
        self.threshold = threshold
        self.guard = guard or StoryGuard()
        self.hasher = hasher or MinHasher()
        self.banding: Banding = banding_for(threshold, self.hasher.num_perm)
        self.max_candidates = max_candidates
        self._parsed: dict[tuple[str, str | None, str | None], StoryFacts] = {}
        self._check_layout()

    def entry(
        self,
        article_id: str,
        *,
        title: str | None,
        blocks: Sequence[str],
        published_at: str | None,
        source: str = "",
        provenance: int = 3,
        texts: Sequence[BlockText] | None = None,
    ) -> Entry:
        entry = make_entry(
            self.hasher, article_id, title=title, blocks=blocks, published_at=published_at, source=source, texts=texts
        )
        return replace(entry, provenance=provenance)

    def link(self, entry: Entry, *, now: datetime | None = None) -> Link:
        """Find the article's story and record it, all in one transaction."""
        with self.index.atomic():
            return self._link(entry, (now or datetime.now(UTC)).isoformat())

    def _link(self, entry: Entry, now: str) -> Link:
        existing = self.index.indexed_article(entry.article_id)
        if existing is not None and self._unchanged(existing, entry):
            return self._links(existing.story_id, entry.article_id, Match.KNOWN)
        # A re-crawled article keeps a story it shares with others (their links name it); one alone
        # in its story may have changed enough to join another.
        matches: list[Candidate] = []
        if entry.empty:
            keys: list[int] = []
        elif entry.bucket_keys is not None:
            keys = list(entry.bucket_keys)
        else:
            keys = self._keys(entry.signature)
        if existing is not None and self.index.story_size(existing.story_id) > 1:
            story_id = existing.story_id
        else:
            matches = [] if entry.empty else self._verified_matches(entry, keys)
            if matches:
                story_id = matches[0].article.story_id
            elif existing is not None:
                story_id = existing.story_id
            else:
                story_id = entry.article_id
        merged = self._merge(story_id, matches)
        story_id = merged[0] if merged else story_id
        original_before = self.index.earliest_member(story_id)
        self.index.save(
            IndexRow(
                article_id=entry.article_id,
                story_id=story_id,
                source=entry.facts.source or None,
                body_hash=entry.body_hash,
                signature=entry.signature,
                facts=entry.stored_facts,
                published_at=entry.published_at,
                indexed_at=now,
                provenance=entry.provenance,
            ),
            keys,
            member=existing.member if existing is not None else None,
            old_bucket_keys=self._keys(existing.signature) if existing is not None else [],
        )
        # A story without members before this save has this article alone (most new articles' case).
        original = entry.article_id if original_before is None else self.index.earliest_member(story_id)
        original = original or entry.article_id
        moved = existing is not None and existing.story_id != story_id
        if original_before is not None and (original != original_before or merged or moved):
            self.index.point_to_original(story_id, original)
        duplicate_of = None if original == entry.article_id else original
        if existing is not None:
            match = Match.KNOWN
        elif matches:
            match = matches[0].match
        else:
            match = Match.NEW_STORY
        best = matches[0] if matches else None
        return Link(
            story_id,
            duplicate_of,
            match,
            matched=best.article.article_id if best else None,
            similarity=best.similarity if best else None,
            merged=tuple(merged[1:]),
        )

    def _verified_matches(self, entry: Entry, keys: Sequence[int]) -> list[Candidate]:
        """Indexed articles that are the same story: exact copies first, then near copies by
        estimated Jaccard, best first; each passed the facts guard. ``keys``: the entry's buckets."""
        verified = [
            Candidate(candidate, 1.0, Match.EXACT, facts)
            for candidate in self.index.same_body(entry.body_hash, exclude=entry.article_id, limit=self.max_candidates)
            if self.guard.same_story(entry.facts, facts := self._facts(candidate))
        ]
        seen = {c.article.article_id for c in verified}
        neighbours = [
            n
            for n in self.index.bucket_neighbours(keys, exclude=entry.article_id, limit=self.max_candidates)
            if n.article_id not in seen
        ]
        if neighbours:
            scores = similarities(entry.signature, np.stack([n.signature for n in neighbours]))
            # A stable sort keeps the buckets' order (most shared bands, then oldest) on ties.
            for position in np.argsort(-scores, kind="stable"):
                score = float(scores[position])
                if score < self.threshold:
                    break
                candidate = neighbours[int(position)]
                facts = self._facts(candidate)
                if self.guard.same_story(entry.facts, facts):
                    verified.append(Candidate(candidate, score, Match.NEAR, facts))
        return verified

    def _merge(self, story_id: str, matches: Sequence[Candidate]) -> list[str]:
        """When the article is the same story as members of several stories — copies that arrived
        before their original and were too unlike each other to link — those stories are one: the
        oldest keeps its id. A story joins only if its member agrees with the best match's facts too,
        so one article lacking the facts cannot bridge two templated stories. Returns [survivor,
        merged...], or [] when nothing merged."""
        if not matches:
            return []
        best = matches[0]
        joining = {
            m.article.story_id
            for m in matches[1:]
            if m.article.story_id != story_id and self.guard.same_story(best.facts, m.facts)
        }
        if not joining:
            return []
        founded = {sid: self.index.story_founded(sid) or 0 for sid in (story_id, *joining)}
        survivor = min(founded, key=lambda sid: (founded[sid], sid))
        others = sorted(sid for sid in founded if sid != survivor)
        self.index.merge_stories(survivor, others)
        logger.debug("Merged stories %s into %s", ", ".join(others), survivor)
        return [survivor, *others]

    def _keys(self, signature: Signature) -> list[int]:
        return [int(key) for key in bucket_keys(signature, self.banding)[0].tolist()]

    def _links(self, story_id: str, article_id: str, match: Match) -> Link:
        original = self.index.earliest_member(story_id)
        return Link(story_id, None if original in (None, article_id) else original, match)

    def _facts(self, candidate: IndexedArticle) -> StoryFacts:
        """The candidate's stored facts, parsed; a story's members are candidates of article after
        article, so the parses of the recent ones are kept (a pure function of the stored values)."""
        key = (candidate.facts, candidate.published_at, candidate.source)
        facts = self._parsed.get(key)
        if facts is None:
            if len(self._parsed) >= PARSED_FACTS_KEPT:
                self._parsed.clear()
            facts = self._parsed[key] = StoryFacts.from_json(
                candidate.facts,
                published_at=parse_stored(candidate.published_at),
                source=candidate.source or "",
            )
        return facts

    @staticmethod
    def _unchanged(existing: IndexedArticle, entry: Entry) -> bool:
        return (
            existing.body_hash == entry.body_hash
            and existing.published_at == entry.published_at
            and existing.facts == entry.stored_facts
            and (existing.source or "") == entry.facts.source
        )

    def _check_layout(self) -> None:
        """Refuse signatures of another layout; re-band the stored ones when only the banding changed
        (INGEST_NEAR_DUPLICATE_THRESHOLD was changed) — the only time buckets are rebuilt."""
        with self.index.atomic():
            current = self.index.layout()
            signature_layout = current.get(SIGNATURE_LAYOUT_KEY)
            if signature_layout is None:
                self.index.set_layout(SIGNATURE_LAYOUT_KEY, self.hasher.layout)
            elif signature_layout != self.hasher.layout:
                raise ValueError(
                    f"The story index holds signatures of layout {signature_layout!r}, this crawler makes"
                    f" {self.hasher.layout!r}: they cannot be compared"
                )
            banding_layout = current.get(BANDING_LAYOUT_KEY)
            if banding_layout != self.banding.layout:
                if banding_layout is not None:
                    count = self.index.rebuild_buckets(lambda sigs: bucket_keys(sigs, self.banding))
                    logger.warning(
                        "Story index re-banded from %s to %s for threshold %s (%d articles)",
                        banding_layout,
                        self.banding.layout,
                        self.threshold,
                        count,
                    )
                self.index.set_layout(BANDING_LAYOUT_KEY, self.banding.layout)
