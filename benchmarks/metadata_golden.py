"""Metadata accuracy on hand-checked pages: title, published date, authors, captions and credits.

    .venv/bin/python -m benchmarks.metadata_golden DATASET_DIR [--show-misses]

The expected values are in benchmarks/golden/dragnet_metadata.json (see its "conventions"); the pages
stay in the dataset (unpack ../shared/eval/dragnet.tar.xz to a temporary directory). Extraction is
exactly `scrapy extract` (crawler.commands.extract.FileExtractor).

Comparison: texts are compared NFKC-normalised, case-folded, with quotes unified and whitespace and
trailing punctuation dropped; author lists as sets, a leading "The" ignored ("The Associated Press").
A published date given with an offset must match to the minute; a local time without offset must
be the same wall-clock time under some UTC offset between -12 and +14 hours (a whole quarter hour);
a date alone must contain the instant for some such offset; null expects no date.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.utils.project import get_project_settings

from crawler.commands.extract import FileExtractor

GOLDEN = Path(__file__).resolve().parent / "golden" / "dragnet_metadata.json"
FIELDS = ("title", "published", "authors", "captions", "credits")
_QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’‹›`´'"})
_EARLIEST_OFFSET, _LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_QUOTES)
    return " ".join(text.split()).strip(" .,;:")


def same_authors(expected: list[str], found: list[str]) -> bool:
    def names(values: list[str]) -> set[str]:
        return {re.sub(r"^the ", "", norm(value)) for value in values}

    return names(expected) == names(found)


def same_published(expected: str | None, found: str | None) -> bool:
    if expected is None or found is None:
        return expected is found
    instant = datetime.fromisoformat(found).astimezone(UTC)
    if len(expected) == 10:  # a date alone: local midnight to midnight, under any offset
        day = datetime.fromisoformat(expected).replace(tzinfo=UTC)
        return day - _LATEST_OFFSET <= instant < day + timedelta(days=1) - _EARLIEST_OFFSET
    stated = datetime.fromisoformat(expected)
    if stated.tzinfo is not None:
        return abs(instant - stated) < timedelta(minutes=1)
    offset = stated.replace(tzinfo=UTC) - instant.replace(second=stated.second, microsecond=0)
    return _EARLIEST_OFFSET <= offset <= _LATEST_OFFSET and offset % timedelta(minutes=15) == timedelta(0)


def same_captions(expected: list[dict[str, Any]], found: list[dict[str, Any]], *, credits: bool) -> bool:
    keys = ("text", "credit") if credits else ("text",)
    return [tuple(norm(c.get(k)) for k in keys) for c in expected] == [
        tuple(norm(c.get(k)) for k in keys) for c in found
    ]


def score(expected: dict[str, Any], record: dict[str, Any]) -> dict[str, bool | None]:
    """Per field: True/False, or None where the page's value was not checked by hand."""
    captions = expected["captions"]
    return {
        "title": norm(expected["title"]) == norm(record["title"]),
        "published": same_published(expected["published"], record["published_at"]),
        "authors": same_authors(expected["authors"], record["authors"]),
        "captions": None if captions is None else same_captions(captions, record["captions"], credits=False),
        "credits": None if captions is None else same_captions(captions, record["captions"], credits=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path, help="directory with input/<id>.html")
    parser.add_argument("--show-misses", action="store_true", help="print expected and found values that differ")
    args = parser.parse_args()
    inputs = next((p for p in sorted(args.dataset.rglob("input")) if p.is_dir()), None)
    if inputs is None:
        raise SystemExit(f"{args.dataset}: no input/ directory found")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["pages"]
    extractor = FileExtractor.from_settings(get_project_settings())
    results: dict[str, list[bool]] = {name: [] for name in FIELDS}
    for page_id, expected in sorted(golden.items()):
        record = extractor.record(inputs / f"{page_id}.html")
        for name, correct in score(expected, record).items():
            if correct is None:
                continue
            results[name].append(correct)
            if not correct and args.show_misses:
                found = record["published_at" if name == "published" else "captions" if name == "credits" else name]
                wanted = expected["captions" if name == "credits" else name]
                print(f"{page_id} {name}: expected {wanted!r}\n{' ' * len(page_id)} {name}: found    {found!r}")
    print(f"{len(golden)} hand-checked pages")
    print(f"{'field':<12}{'correct':>9}{'pages':>7}{'accuracy':>10}")
    for name, outcomes in results.items():
        accuracy = sum(outcomes) / len(outcomes) if outcomes else 0.0
        print(f"{name:<12}{sum(outcomes):>9}{len(outcomes):>7}{accuracy:>10.1%}")


if __name__ == "__main__":
    main()
