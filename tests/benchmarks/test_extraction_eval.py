"""The development-set benchmark's metric and its reading of the sets' layouts."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.extraction_eval import (
    authors_f1,
    body_scores,
    date_within,
    find_sets,
    page_f1,
    readability_pages,
    tp_fp_fn,
)


def test_shingle_counts() -> None:
    # five tokens: two 4-token shingles; the prediction has the first of them and one of its own
    assert tp_fp_fn("one two three four five", "one two three four six") == (1, 1, 1)
    assert page_f1((1, 1, 1)) == 0.5
    # an empty prediction has no precision, and recall 0
    assert body_scores([(0, 0, 5), (2, 0, 0)]) == (1.0, 0.5, 2 / 3)


def test_metadata_rules() -> None:
    assert authors_f1(["Jane Doe", "John Roe"], ["jane doe"]) == 2 / 3
    assert date_within("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:30+00:00")
    assert not date_within("2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00+00:00")
    assert date_within("2024-05-01T10:00:00", "2024-05-01T10:00:00+02:00")  # no offset: wall clock


def test_sets_are_found_and_read(tmp_path: Path) -> None:
    (tmp_path / "d" / "input").mkdir(parents=True)
    (tmp_path / "d" / "GoldStandard").mkdir()
    page = tmp_path / "r" / "pages" / "one"
    page.mkdir(parents=True)
    (page / "source.html").write_text("<html><body><p>Text</p></body></html>")
    (page / "expected.html").write_text("<div><p>The article text.</p></div>")
    metadata = {"title": "A title", "byline": "By Jane Doe and John Roe", "publishedTime": None}
    (page / "expected-metadata.json").write_text(json.dumps(metadata))
    sets = find_sets(tmp_path)
    assert sets == {"dragnet": tmp_path / "d", "readability": tmp_path / "r" / "pages"}
    [read] = readability_pages(sets["readability"])
    assert (read.body.strip(), read.title, read.authors, read.date) == (
        "The article text.",
        "A title",
        ["Jane Doe", "John Roe"],
        None,
    )
