"""Body fingerprints: the normalised word sequence, an exact hash of it and a MinHash signature.

Normalisation (NFKC, case folding, punctuation dropped) makes copies that differ only in typography
— curly quotes, full-width digits, a trailing full stop — hash the same.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from crawler.textkeys import words

__all__ = ["words"]

# FNV-1a's 64-bit prime: mixes a word hash into the running hash of a shingle.
SHINGLE_MIX = np.uint64(0x100000001B3)
# Only the low 16 bits of each minimum are kept (b-bit minwise hashing): half the bytes of 32-bit
# values, and an accidental collision (1 in 65,536) is far below the estimate's sampling error.
SIGNATURE_DTYPE = np.dtype("<u2")

Signature = npt.NDArray[np.uint16]


def text_hash(normalised: str) -> int:
    """A signed 64-bit hash (SQLite's INTEGER) of an already normalised text."""
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def body_hash(body_words: Sequence[str]) -> int:
    """Exact-duplicate key: equal for bodies that differ only in case, punctuation and spacing."""
    return text_hash(" ".join(body_words))


def estimated_jaccard(a: Signature, b: Signature) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def similarities(signature: Signature, others: npt.NDArray[np.uint16]) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of one signature against each row of ``others``."""
    return np.asarray((others == signature).mean(axis=1), dtype=np.float64)


def signature_bytes(signature: Signature) -> bytes:
    return signature.astype(SIGNATURE_DTYPE, copy=False).tobytes()


def signature_from_bytes(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype=SIGNATURE_DTYPE).astype(np.uint16)


class MinHasher:
    """MinHash over word shingles with seeded permutations, so signatures are comparable across runs
    and processes (Python's own ``hash`` is salted per process; zlib.crc32 is not).

    Each permutation is a multiply-add-shift hash of the 32-bit shingle hash, h(x) = (a*x + b) mod
    2^64 >> 32 with random 64-bit a (odd) and b: strongly universal, and numpy's wrapping uint64
    arithmetic computes it exactly. (An affine map modulo a prime only works when a*x wraps: with small
    multipliers, shingles with small hashes win every permutation.) Shingles are hashed by rolling
    word hashes with numpy instead of hashing each shingle string, which makes a signature about twice
    as fast as datasketch.MinHash.update_batch on news-length bodies.
    """

    def __init__(self, num_perm: int = 128, shingle_size: int = 5, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        rng = np.random.default_rng(seed)
        top = np.iinfo(np.uint64).max
        self._a = rng.integers(0, top, num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._b = rng.integers(0, top, num_perm, dtype=np.uint64, endpoint=True)

    @property
    def layout(self) -> str:
        """What a stored signature depends on; signatures from another layout are not comparable."""
        return f"minhash-mas:{self.num_perm}x{self.shingle_size}w:seed{self.seed}:16bit"

    def shingle_hashes(self, body_words: Sequence[str]) -> npt.NDArray[np.uint64]:
        """32-bit hashes of the distinct word n-grams; a body shorter than one shingle is one shingle."""
        return np.unique(self._all_shingle_hashes(body_words))

    def _all_shingle_hashes(self, body_words: Sequence[str]) -> npt.NDArray[np.uint64]:
        """The 32-bit hash of every word n-gram, in order, repeats included."""
        word_hashes = np.fromiter(map(zlib.crc32, map(str.encode, body_words)), dtype=np.uint64, count=len(body_words))
        size = min(self.shingle_size, len(body_words))
        count = len(body_words) - size + 1
        rolling = np.zeros(count, dtype=np.uint64)
        for offset in range(size):
            rolling = (rolling * SHINGLE_MIX) ^ word_hashes[offset : offset + count]
        folded = (rolling ^ (rolling >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
        return folded

    def signature(self, body_words: Sequence[str]) -> Signature:
        if not body_words:
            # No shingles: a signature no real body shares by more than chance.
            return np.full(self.num_perm, 0xFFFF, dtype=np.uint16)
        # A minimum over the hashes with their repeats is the minimum over the distinct ones: no
        # np.unique (a sort) needed.
        # (a*x + b) >> 32 is monotonic in a*x + b, so the shift is taken once, of each minimum; the
        # products are computed in place, one (permutations x shingles) array in all.
        permuted = np.multiply.outer(self._a, self._all_shingle_hashes(body_words))
        permuted += self._b[:, None]
        minima = permuted.min(axis=1)
        return ((minima >> np.uint64(32)) & np.uint64(0xFFFF)).astype(np.uint16)
