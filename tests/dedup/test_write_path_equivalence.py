"""The archive writer's faster text path gives exactly what the straightforward definitions give.

Stored signatures, body hashes and facts must not change: an article indexed before and its copy
indexed now would no longer link. Each reference below is the plain definition (one regex over the
joined body, a per-token is_fact, MinHash by a Python loop over every shingle and permutation), run
on the paragraphs of the HTML fixture pages (English, French, Spanish, German) and on strings built
to break the shortcuts (combining marks at block edges, final sigma, ligatures, full-width digits).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

import lxml.html
import pytest

from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.blocktext import BlockText
from crawler.dedup.facts import TEMPORAL_WORDS, extract_facts, fact_flags, fact_tokens
from crawler.dedup.fingerprint import MinHasher, body_hash
from crawler.dedup.linking import make_entry
from crawler.textkeys import block_key, words

TESTS = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\w+(?:[.,:/-]\w+)*")  # the facts' tokens as first written: not possessive
MASK64 = (1 << 64) - 1

TRICKY_BLOCKS = [
    "Ὀδυσσεύς ΣΟΦΟΣ ΛΟΓΟΣ: the final sigma folds alike",
    "\u0301starts with a combining acute, ends with one e\u0301",
    "ﬁnancial ﬂows of ＄１２，３４５.６７ on Ｍｏｎｄａｙ; 10:32, 3-1, 14.06.2023",
    "Straße, İstanbul, ǅemal; under_score and -5 and 1..2 and a/b/c and x.",
    "Ethiopic ፩፪ and superscripts ²³ and circled ① digits, Kharoshthi 𐩀",
    "한국어 문장 ᄒ\u1161\u11ab 조합 and Devanagari नमस्ते २०२३",
    "tabs\tand\u00a0non-breaking\u2003spaces, and\u2028line separators",
    "",
    "...",
    "Lundi 3 mars, le match s'est terminé 2-1 après prolongation à 20h45.",
]


def fixture_blocks() -> list[list[str]]:
    """The paragraphs of every HTML fixture page, one list per page."""
    pages = []
    for path in sorted([*(TESTS / "sites").rglob("*.html"), *(TESTS / "fixtures" / "extraction").glob("*.html")]):
        tree = lxml.html.fromstring(path.read_bytes())
        paragraphs = [text for p in tree.iter("p", "li", "h1", "h2") if (text := p.text_content().strip())]
        if paragraphs:
            pages.append(paragraphs)
    assert len(pages) >= 15
    return pages


PAGES = [*fixture_blocks(), TRICKY_BLOCKS]


def reference_words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def reference_is_fact(token: str) -> bool:
    return token in TEMPORAL_WORDS or (not token.isalpha() and any(char.isdigit() for char in token))


def reference_signature(hasher: MinHasher, body_words: list[str]) -> list[int]:
    """MinHash as the layout defines it, one shingle and one permutation at a time."""
    if not body_words:
        return [0xFFFF] * hasher.num_perm
    word_hashes = [zlib.crc32(word.encode("utf-8")) for word in body_words]
    size = min(hasher.shingle_size, len(body_words))
    shingles = []
    for start in range(len(body_words) - size + 1):
        rolling = 0
        for word_hash in word_hashes[start : start + size]:
            rolling = ((rolling * 0x100000001B3) & MASK64) ^ word_hash
        shingles.append((rolling ^ (rolling >> 32)) & 0xFFFFFFFF)
    signature = []
    for a, b in zip(hasher._a.tolist(), hasher._b.tolist(), strict=True):
        signature.append(min((((a * x + b) & MASK64) >> 32) for x in shingles) & 0xFFFF)
    return signature


@pytest.mark.parametrize("blocks", PAGES, ids=range(len(PAGES)))
def test_block_text_words_and_tokens_are_the_regex_definitions(blocks: list[str]) -> None:
    rule = BoilerplateRule()
    for text in blocks:
        cut = BlockText.of(text)
        folded = unicodedata.normalize("NFKC", text).casefold()
        assert cut.tokens == TOKEN.findall(folded)
        assert cut.words == reference_words(text) == words(text)
        assert cut.key_text == block_key(text)
        assert rule.key_of(cut) == rule.key(text)


@pytest.mark.parametrize("blocks", PAGES, ids=range(len(PAGES)))
def test_entry_is_the_joined_body_definition(blocks: list[str]) -> None:
    hasher = MinHasher()
    title = blocks[0]
    entry = make_entry(hasher, "a", title=title, blocks=blocks, published_at="2023-03-06T10:00:00+00:00")
    body_words = reference_words("\n\n".join(blocks))
    assert entry.body_hash == body_hash(body_words)
    assert entry.signature.tolist() == reference_signature(hasher, body_words)
    assert entry.empty == (not body_words)
    assert entry.facts == extract_facts(title, blocks, published_at="2023-03-06T10:00:00+00:00")


@pytest.mark.parametrize("blocks", PAGES, ids=range(len(PAGES)))
def test_fact_flags_are_the_per_token_definition(blocks: list[str]) -> None:
    streams = [TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()) for text in blocks]
    every = [token for toks in streams for token in toks]
    assert fact_tokens(every) == {token for token in every if reference_is_fact(token)}
    for toks in streams:
        assert fact_flags(toks) == [reference_is_fact(token) for token in toks]


def test_the_tricky_strings_hold_facts_of_every_kind() -> None:
    found = fact_tokens(token for text in TRICKY_BLOCKS for token in BlockText.of(text).tokens)
    assert {"12,345.67", "monday", "10:32", "3-1", "14.06.2023", "lundi", "2-1", "20h45"} <= found
    assert any(not token.isascii() for token in found)  # a digit only isdigit() knows


def test_cut_blocks_handed_in_give_the_same_entry() -> None:
    hasher = MinHasher()
    blocks = PAGES[0]
    plain = make_entry(hasher, "a", title="t", blocks=blocks, published_at=None)
    cut = make_entry(hasher, "a", title="t", blocks=blocks, published_at=None, texts=[BlockText.of(b) for b in blocks])
    assert (plain.body_hash, plain.signature.tolist(), plain.facts) == (
        cut.body_hash,
        cut.signature.tolist(),
        cut.facts,
    )
