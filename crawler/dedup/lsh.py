"""Locality-sensitive hashing over MinHash signatures: which bands to cut, and their bucket keys.

Two signatures with Jaccard similarity s share at least one of b bands of r rows with probability
1 - (1 - s^r)^b. The index only proposes candidates; each is then verified by its estimated Jaccard
and the facts guard, so the banding is chosen for recall at the threshold (a missed candidate is a
missed duplicate), and among those for the steepest curve (fewest needless candidates below it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# 64-bit mixing constants (splitmix64 / FNV): a band's rows become one well-spread SQLite INTEGER.
BAND_SALT = np.uint64(0x9E3779B97F4A7C15)
ROW_MIX = np.uint64(0x100000001B3)
FINAL_MIX = np.uint64(0xBF58476D1CE4E5B9)


@dataclass(frozen=True)
class Banding:
    bands: int
    rows: int

    @property
    def layout(self) -> str:
        return f"bands:{self.bands}x{self.rows}"

    def candidate_probability(self, similarity: float) -> float:
        return 1.0 - (1.0 - similarity**self.rows) ** self.bands


def banding_for(threshold: float, num_perm: int, *, min_recall: float = 0.99) -> Banding:
    """The fewest bands of the most rows that still propose a pair at ``threshold`` with probability
    ``min_recall`` (datasketch's own optimum balances misses and false candidates instead, and at
    0.8 proposes only 40% of the pairs that sit right at the threshold)."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    best = Banding(num_perm, 1)
    for rows in range(1, num_perm + 1):
        hit = threshold**rows
        if hit <= 0.0:
            break
        bands = max(1, math.ceil(math.log1p(-min_recall) / math.log1p(-hit)))
        if bands * rows <= num_perm:
            best = Banding(bands, rows)
    return best


def bucket_keys(signatures: npt.NDArray[np.uint16], banding: Banding) -> npt.NDArray[np.int64]:
    """One key per band for each signature (shape (n, num_perm) -> (n, bands)); the band's number
    is mixed in, so one key column serves every band."""
    signatures = np.atleast_2d(signatures)
    used = banding.bands * banding.rows
    rows = signatures[:, :used].astype(np.uint64).reshape(len(signatures), banding.bands, banding.rows)
    keys = np.broadcast_to(
        (np.arange(1, banding.bands + 1, dtype=np.uint64) * BAND_SALT)[None, :], rows.shape[:2]
    ).copy()
    for row in range(banding.rows):
        keys = (keys ^ rows[:, :, row]) * ROW_MIX
    keys ^= keys >> np.uint64(31)
    keys *= FINAL_MIX
    keys ^= keys >> np.uint64(29)
    return keys.view(np.int64)
