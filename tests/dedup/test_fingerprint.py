from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from crawler.dedup.fingerprint import (
    MinHasher,
    body_hash,
    estimated_jaccard,
    signature_bytes,
    signature_from_bytes,
    words,
)
from crawler.textkeys import block_key as normalise_text
from tests.dedup.samples import WIRE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hello, World!", "hello world"),
        ("„Zitat“ — hier…", "zitat hier"),
        ("ＦＵＬＬ width ２０２３", "full width 2023"),
        ("Line\nbreak\u00a0and  tabs\t", "line break and tabs"),
    ],
)
def test_normalisation_ignores_case_punctuation_and_spacing(a: str, b: str) -> None:
    assert normalise_text(a) == normalise_text(b)
    assert body_hash(words(a)) == body_hash(words(b))


def test_body_hash_differs_for_different_words() -> None:
    assert body_hash(words("The DAX rose 1.2 percent")) != body_hash(words("The DAX rose 1.3 percent"))


def shingles(tokens: list[str], size: int = 5) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@pytest.mark.parametrize("cut", [0, 1, 3])
def test_estimated_jaccard_tracks_true_jaccard(cut: int) -> None:
    hasher = MinHasher()
    a = words(" ".join(WIRE))
    b = words(" ".join([*WIRE[cut:], "A promo line that only the copy has, about a newsletter."]))
    true = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    assert estimated_jaccard(hasher.signature(a), hasher.signature(b)) == pytest.approx(true, abs=0.15)


def test_unrelated_texts_have_low_similarity() -> None:
    hasher = MinHasher()
    a = hasher.signature(words(" ".join(WIRE[:4])))
    b = hasher.signature(words(" ".join(WIRE[4:])))
    assert estimated_jaccard(a, b) < 0.1


def test_small_hash_values_do_not_dominate() -> None:
    """Regression: an affine map that never wraps lets the smallest shingle hashes win every
    permutation, so two texts sharing one line looked like copies."""
    hasher = MinHasher()
    shared = ["editor's note: this story has been updated with additional reporting."]
    a = hasher.signature(words(" ".join(WIRE[:4] + shared)))
    b = hasher.signature(words(" ".join(WIRE[4:] + shared)))
    assert estimated_jaccard(a, b) < 0.2


def test_short_and_empty_bodies() -> None:
    hasher = MinHasher()
    short = hasher.signature(["three", "short", "words"])
    assert short.shape == (128,)
    assert estimated_jaccard(short, hasher.signature(["three", "short", "words"])) == 1.0
    assert estimated_jaccard(hasher.signature([]), short) < 0.1


def test_signature_round_trips_through_bytes() -> None:
    signature = MinHasher().signature(words(WIRE[0]))
    blob = signature_bytes(signature)
    assert len(blob) == 256
    assert np.array_equal(signature_from_bytes(blob), signature)


def test_signatures_are_the_same_in_another_process() -> None:
    """Stored signatures are compared with ones computed in later runs: no per-process hash salt."""
    code = (
        "from crawler.dedup.fingerprint import MinHasher, words, signature_bytes;"
        f"print(signature_bytes(MinHasher().signature(words({WIRE[0]!r}))).hex())"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)},
    ).stdout.strip()
    assert output == signature_bytes(MinHasher().signature(words(WIRE[0]))).hex()


def test_layout_names_what_signatures_depend_on() -> None:
    assert MinHasher().layout != MinHasher(seed=2).layout
    assert MinHasher().layout != MinHasher(shingle_size=4).layout
