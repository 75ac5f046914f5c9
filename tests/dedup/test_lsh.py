from __future__ import annotations

import numpy as np
import pytest

from crawler.dedup.lsh import Banding, banding_for, bucket_keys


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.9])
def test_banding_proposes_pairs_at_the_threshold(threshold: float) -> None:
    banding = banding_for(threshold, 128)
    assert banding.bands * banding.rows <= 128
    assert banding.candidate_probability(threshold) >= 0.99
    # ... and few unrelated pairs.
    assert banding.candidate_probability(0.1) < 0.05


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5, 1.5])
def test_banding_rejects_thresholds_outside_0_1(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        banding_for(threshold, 128)


def test_bucket_keys_one_per_band_and_deterministic() -> None:
    banding = Banding(bands=16, rows=6)
    signatures = np.random.default_rng(1).integers(0, 65536, (3, 128), dtype=np.uint16)
    keys = bucket_keys(signatures, banding)
    assert keys.shape == (3, 16)
    assert keys.dtype == np.int64
    assert np.array_equal(keys, bucket_keys(signatures.copy(), banding))
    assert np.array_equal(bucket_keys(signatures[1], banding)[0], keys[1])


def test_the_band_number_is_part_of_the_key() -> None:
    constant = np.full(128, 7, dtype=np.uint16)
    keys = bucket_keys(constant, Banding(bands=16, rows=6))[0]
    assert len(set(keys.tolist())) == 16


def test_signatures_agreeing_in_one_band_share_exactly_that_key() -> None:
    banding = Banding(bands=16, rows=6)
    rng = np.random.default_rng(2)
    a = rng.integers(0, 65536, 128, dtype=np.uint16)
    b = rng.integers(0, 65536, 128, dtype=np.uint16)
    b[12:18] = a[12:18]  # band 2
    shared = bucket_keys(a, banding)[0] == bucket_keys(b, banding)[0]
    assert shared.tolist() == [index == 2 for index in range(16)]
