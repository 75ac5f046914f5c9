"""What tells templated stories apart when they share most of their words.

A football result, a market report, a weather forecast or a lottery draw is the same text every day
with other numbers, teams and dates: at the word level they look like copies. What differs is the
facts: numbers (scores, index values, temperatures, drawn numbers, dates) and the names of days and
months. So each fact is recorded in its slot — the words around it — and two texts whose shared
slots hold different facts are different news, however similar the rest.

A copy of an article never puts a different number in the same words; it only drops some (a trimmed
paragraph) or adds some in new words (a promo line). Slots are therefore compared as multisets, and
one side holding a subset of the other's facts is no conflict.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, compress, filterfalse

from crawler import textkeys
from crawler.dates import parse_stored

# Numbers stay whole with their inner separators: "15,234.56", "3-1", "14.06.2023", "10:32".
TOKEN = textkeys.TOKEN
CONTEXT_WORDS = 3
# A body block needs this many ordinary words for its facts to count: shorter blocks are page
# furniture ("source site-28", "3 min read", "Updated 10:32") that differs between sites, not news.
MIN_PROSE_WORDS = 4
# Enough slots to compare any article; bounds the stored JSON for table-heavy pages.
MAX_SLOTS = 400

# Day and month names (en, de, fr, es): "Monday's draw" and "Tuesday's draw" are different draws.
# Names that are also everyday words are left out: English "may" and "march", French "mars" (Mars).
TEMPORAL_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    january february april june july august september october november december
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    januar jänner februar märz mai juni juli oktober dezember
    lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février avril juin juillet août septembre octobre novembre décembre
    lunes martes miércoles jueves viernes sábado domingo
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
    """.split()
)

Slots = Mapping[str, tuple[str, ...]]


def is_fact(token: str) -> bool:
    # Most tokens are all letters, and a letter is never a digit: one C call decides them, and only
    # the others are scanned character by character.
    return token in TEMPORAL_WORDS or (not token.isalpha() and any(char.isdigit() for char in token))


def fact_tokens(toks: Iterable[str]) -> set[str]:
    """The distinct tokens that are facts (is_fact), decided once each: this runs over every word of
    every article written, so the all-letter majority is set aside by C loops (set intersection,
    filterfalse) and only the rest is scanned for digits in Python."""
    distinct = set(toks)
    found = distinct.intersection(TEMPORAL_WORDS)
    found.update(tok for tok in filterfalse(str.isalpha, distinct) if any(map(str.isdigit, tok)))
    return found


def fact_flags(toks: Sequence[str], facts: set[str] | None = None) -> list[bool]:
    """is_fact of each token; ``facts``: fact_tokens of a stream holding these tokens."""
    found = fact_tokens(toks) if facts is None else facts
    return list(map(found.__contains__, toks))


def tokens(text: str) -> list[str]:
    return textkeys.tokens_of_folded(textkeys.fold(text))


def prose_tokens(blocks: Iterable[str], *, min_prose_words: int = MIN_PROSE_WORDS) -> list[str]:
    """The tokens of the blocks that are prose, as one stream: where a site splits or merges
    paragraphs does not change the words around a fact."""
    return _prose_stream(map(tokens, blocks), min_prose_words)[0]


def _prose_stream(block_tokens: Iterable[Sequence[str]], min_prose_words: int) -> tuple[list[str], list[bool]]:
    """prose_tokens of the blocks' tokens, with each token's is_fact flag (computed once, reused by
    the slots)."""
    blocks = list(block_tokens)
    facts = fact_tokens(chain.from_iterable(blocks))
    stream: list[str] = []
    flags: list[bool] = []
    for toks in blocks:
        block_flags = fact_flags(toks, facts)
        if len(block_flags) - sum(block_flags) >= min_prose_words:
            stream.extend(toks)
            flags.extend(block_flags)
    return stream, flags


def token_slots(toks: Sequence[str], prefix: str, *, limit: int = MAX_SLOTS) -> dict[str, list[str]]:
    """The facts of a token stream keyed by slot: the ordinary words on one side of the fact, plus
    its position in a run of facts ("4, 12, 19 and 33" are four slots, not one)."""
    return _token_slots(toks, fact_flags(toks), prefix, limit)


def _token_slots(toks: Sequence[str], fact_flags: Sequence[bool], prefix: str, limit: int) -> dict[str, list[str]]:
    slots: dict[str, list[str]] = {}
    for index in compress(range(len(toks)), fact_flags):
        tok = toks[index]
        # A side with no words is the text's edge, where sites add their own dates and tags: a
        # slot anchored there would compare a site's furniture with the article's facts.
        for side, order in (("<", range(index - 1, -1, -1)), (">", range(index + 1, len(toks)))):
            run, words = _context(toks, fact_flags, order)
            if not words:
                continue
            key = f"{prefix}{side}{' '.join(reversed(words) if side == '<' else words)}#{run}"
            if key in slots:
                slots[key].append(tok)
            elif len(slots) < limit:
                slots[key] = [tok]
    return slots


def _context(toks: Sequence[str], fact_flags: Sequence[bool], order: Iterable[int]) -> tuple[int, list[str]]:
    """How many facts lie between this one and the words on that side, and those words."""
    run = 0
    context: list[str] = []
    for position in order:
        if fact_flags[position]:
            if context:
                break
            run += 1
            continue
        context.append(toks[position])
        if len(context) == CONTEXT_WORDS:
            break
    return run, context


@dataclass(frozen=True)
class StoryFacts:
    title: Slots = field(default_factory=dict)
    body: Slots = field(default_factory=dict)
    title_words: frozenset[str] = frozenset()
    published_at: datetime | None = None
    source: str = ""

    def to_json(self) -> str:
        """The slots and title words; published_at and source are stored in their own columns."""
        return json.dumps(
            {"t": self.title, "b": self.body, "w": sorted(self.title_words)},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, *, published_at: datetime | None, source: str) -> StoryFacts:
        data = json.loads(text)
        return cls(
            title={k: tuple(v) for k, v in data.get("t", {}).items()},
            body={k: tuple(v) for k, v in data.get("b", {}).items()},
            title_words=frozenset(data.get("w", [])),
            published_at=published_at,
            source=source,
        )


def extract_facts(
    title: str | None, blocks: Sequence[str], *, published_at: str | None = None, source: str = ""
) -> StoryFacts:
    return facts_of_tokens(title, map(tokens, blocks), published_at=published_at, source=source)


def facts_of_tokens(
    title: str | None, block_tokens: Iterable[Sequence[str]], *, published_at: str | None = None, source: str = ""
) -> StoryFacts:
    """extract_facts of blocks already cut into tokens (`tokens`, or crawler.dedup.blocktext)."""
    title_tokens = tokens(title or "")
    title_flags = fact_flags(title_tokens)
    title_slots = _token_slots(title_tokens, title_flags, "t", MAX_SLOTS)
    body_slots = _token_slots(*_prose_stream(block_tokens, MIN_PROSE_WORDS), "b", MAX_SLOTS)
    return StoryFacts(
        title={k: tuple(sorted(v)) for k, v in title_slots.items()},
        body={k: tuple(sorted(v)) for k, v in body_slots.items()},
        title_words=frozenset(tok for tok, fact in zip(title_tokens, title_flags, strict=True) if not fact),
        published_at=parse_stored(published_at),
        source=source,
    )


def slot_conflicts(a: Slots, b: Slots) -> tuple[int, int]:
    """(slots both texts fill, slots where neither text's facts contain the other's)."""
    shared = a.keys() & b.keys()
    conflicting = 0
    for key in shared:
        left, right = a[key], b[key]
        # Equal facts, or one fact each, decide most slots without building multisets.
        if left == right:
            continue
        if len(left) == 1 and len(right) == 1:
            conflicting += 1
            continue
        low, high = Counter(left), Counter(right)
        if not (low <= high or high <= low):
            conflicting += 1
    return len(shared), conflicting


@dataclass(frozen=True)
class StoryGuard:
    """When two similar texts are still different news.

    ``max_days_apart``: copies are republished within days; the same text a month later is another
    edition of a recurring item. ``body_tolerance``: the share of shared body slots that may
    disagree — one corrected figure in an update is still the story, a new set of scores is not.
    ``min_title_overlap`` and ``min_shared_facts``: two articles of the *same* source whose titles
    share few words are different pages that happen to share a body (a paywall stub, a gallery with
    only the comment rules) — unless their bodies agree on facts: a site that runs a wire story
    twice, as a flash and as a roundup, repeats its scores and figures.
    """

    max_days_apart: float = 7.0
    body_tolerance: float = 0.15
    min_title_overlap: float = 0.5
    min_shared_facts: int = 6  # slots, two per fact (the words before it and after it)

    def same_story(self, a: StoryFacts, b: StoryFacts) -> bool:
        if a.published_at and b.published_at:
            if abs(a.published_at - b.published_at) > timedelta(days=self.max_days_apart):
                return False
        if slot_conflicts(a.title, b.title)[1]:
            return False
        shared, conflicting = slot_conflicts(a.body, b.body)
        if conflicting and conflicting > self.body_tolerance * shared:
            return False
        if a.source and a.source == b.source and a.title_words and b.title_words:
            overlap = len(a.title_words & b.title_words) / len(a.title_words | b.title_words)
            if overlap < self.min_title_overlap and shared - conflicting < self.min_shared_facts:
                return False
        return True


def same_story(a: StoryFacts, b: StoryFacts) -> bool:
    """The default guard: see StoryGuard."""
    return StoryGuard().same_story(a, b)
