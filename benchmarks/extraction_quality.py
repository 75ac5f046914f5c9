"""Body quality and speed of our extraction vs bare trafilatura, on a hand-cleaned dataset.

    .venv/bin/python -m benchmarks.extraction_quality DATASET_DIR [--half reporting|tuning|all]

DATASET_DIR holds `input/<id>.html` and `GoldStandard/<id>.txt` (the Dragnet layout; a directory
above it works too). Unpack ../shared/eval/dragnet.tar.xz to a temporary directory; never commit it.

Ours is exactly `scrapy extract` (crawler.commands.extract.FileExtractor: read, decode, extract,
content stages); trafilatura is `trafilatura.extract(text)` with its defaults, given the same decoded
text. Both run in this process, page after page, and are timed in CPU seconds.

Metric, as in the public article-extraction benchmarks: `\\w+` tokens (Unicode, case kept),
overlapping 4-token shingles counted as multisets; per page precision = matched / predicted and
recall = matched / expected; each averaged over pages; F1 = 2PR / (P + R) of the two averages.
An empty prediction has no precision and is left out of the precision average, but counts as
recall 0 (the public benchmarks' convention), the same for both extractors. Gold text after the
Dragnet comments separator ("!@#$%^&*() COMMENTS") is reader comments, not article: the main
figures leave it out; the "incl. comments" line scores against the whole gold file.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from scrapy.utils.project import get_project_settings

from crawler.commands.extract import FileExtractor
from crawler.pages import decode_page

TOKEN = re.compile(r"\w+")
# "!@#$%^&*()  COMMENTS", typos included ("COMMNENTS", "CORRECTED", none at all)
COMMENTS_SEPARATOR = re.compile(r"^[^\w\n]*%\^&\*[^\w\n]*(?:[A-Z]+[^\w\n]*)?$", re.MULTILINE)
SHINGLE = 4


@dataclass(frozen=True)
class Page:
    id: str
    html: Path
    article: str
    comments: str


@dataclass
class Scores:
    """One extractor's per-page (precision, recall) pairs; None where a value is undefined."""

    name: str
    pairs: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    with_comments: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    empty: int = 0
    exceptions: int = 0
    cpu_seconds: float = 0.0

    def averages(self, comments: bool = False) -> tuple[float, float, float]:
        pairs = (self.with_comments if comments else self.pairs).values()
        precisions = [p for p, _ in pairs if p is not None]
        recalls = [r for _, r in pairs if r is not None]
        precision = sum(precisions) / len(precisions) if precisions else 0.0
        recall = sum(recalls) / len(recalls) if recalls else 0.0
        return precision, recall, f1(precision, recall)


def f1(precision: float | None, recall: float | None) -> float:
    return 2 * precision * recall / (precision + recall) if precision and recall else 0.0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    # a text shorter than one shingle is one short shingle, as in the public benchmark
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def precision_recall(expected: str, predicted: str) -> tuple[float | None, float | None]:
    gold, guess = shingles(expected), shingles(predicted)
    matched = sum((gold & guess).values())
    predicted_count, expected_count = sum(guess.values()), sum(gold.values())
    if predicted_count == expected_count == matched:
        return 1.0, 1.0  # both empty, or identical
    precision = matched / predicted_count if predicted_count else None
    recall = matched / expected_count if expected_count else None
    return precision, recall


def read_gold(path: Path) -> str:
    """Gold files come as UTF-8, UTF-16 with a BOM, or windows-1252."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def half_of(page_id: str) -> str:
    """A fixed split independent of file order: the first byte of the id's SHA-1."""
    return "tuning" if hashlib.sha1(page_id.encode()).digest()[0] % 2 == 0 else "reporting"


def load_pages(dataset: Path, half: str) -> list[Page]:
    root = next((p.parent for p in sorted(dataset.rglob("GoldStandard")) if (p.parent / "input").is_dir()), None)
    if root is None:
        raise SystemExit(f"{dataset}: no input/ and GoldStandard/ directories found")
    pages = []
    for html in sorted((root / "input").glob("*.html")):
        gold_path = root / "GoldStandard" / f"{html.stem}.txt"
        if not gold_path.exists() or (half != "all" and half_of(html.stem) != half):
            continue
        gold = read_gold(gold_path)
        separator = COMMENTS_SEPARATOR.search(gold)
        article, comments = (gold[: separator.start()], gold[separator.end() :]) if separator else (gold, "")
        pages.append(Page(html.stem, html, article, comments))
    return pages


def run(pages: list[Page]) -> tuple[Scores, Scores]:
    extractor = FileExtractor.from_settings(get_project_settings())
    ours, bare = Scores("ours"), Scores("trafilatura")

    def our_body(page: Page) -> str:
        return str(extractor.record(page.html)["body"] or "")

    def trafilatura_body(page: Page) -> str:
        text, _ = decode_page(page.html.read_bytes())
        return trafilatura.extract(text) or ""

    for page in pages:
        for scores, body_of in ((ours, our_body), (bare, trafilatura_body)):
            _score(scores, page, body_of)
    return ours, bare


def _score(scores: Scores, page: Page, body_of: Callable[[Page], str]) -> None:
    started = time.process_time()
    try:
        body = body_of(page)
    except Exception as exc:  # counted and shown: every page must extract without one
        scores.exceptions += 1
        print(f"{scores.name}: {page.id}: {type(exc).__name__}: {exc}")
        body = ""
    scores.cpu_seconds += time.process_time() - started
    scores.empty += not TOKEN.search(body)
    scores.pairs[page.id] = precision_recall(page.article, body)
    scores.with_comments[page.id] = precision_recall(f"{page.article}\n{page.comments}", body)


def report(pages: list[Page], ours: Scores, bare: Scores, worst: int) -> None:
    print(f"{len(pages)} pages; {SHINGLE}-token shingles; empty predictions count as recall 0, no precision")
    print(f"{'':<14}{'precision':>10}{'recall':>10}{'F1':>8}{'empty':>7}{'errors':>8}{'docs/s':>9}"
          f"{'F1 incl. comments':>19}")  # fmt: skip
    for scores in (ours, bare):
        average_precision, average_recall, score = scores.averages()
        rate = len(pages) / scores.cpu_seconds if scores.cpu_seconds else 0.0
        print(f"{scores.name:<14}{average_precision:>10.4f}{average_recall:>10.4f}{score:>8.4f}{scores.empty:>7}"
              f"{scores.exceptions:>8}{rate:>9.1f}{scores.averages(comments=True)[2]:>19.4f}")  # fmt: skip
    ratio = ours.cpu_seconds / bare.cpu_seconds if bare.cpu_seconds else float("nan")
    print(f"CPU time per page, ours / trafilatura: {ratio:.2f}x (ours also extracts metadata and captions)")
    print(f"\n{worst} worst pages (ours):  id  F1  precision  recall  | trafilatura F1")
    ranked = sorted(pages, key=lambda page: f1(*ours.pairs[page.id]))
    for page in ranked[:worst]:
        page_precision, page_recall = ours.pairs[page.id]
        print(f"  {page.id:<8}{f1(page_precision, page_recall):6.3f}  {_fmt(page_precision)}  {_fmt(page_recall)}"
              f"  | {f1(*bare.pairs[page.id]):.3f}")  # fmt: skip


def _fmt(value: float | None) -> str:
    return f"{value:6.3f}" if value is not None else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path, help="directory with input/ and GoldStandard/")
    parser.add_argument("--half", choices=("reporting", "tuning", "all"), default="reporting")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    args = parser.parse_args()
    pages = load_pages(args.dataset, args.half)
    ours, bare = run(pages)
    report(pages, ours, bare, args.worst)


if __name__ == "__main__":
    main()
