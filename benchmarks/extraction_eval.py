"""Ours (`scrapy extract`) vs bare trafilatura on the three development sets, side by side.

    .venv/bin/python -m benchmarks.extraction_eval EVAL_DIR [--sets dragnet,readability,fundus]
                                                   [--dragnet-half reporting|tuning|all] [--rows FILE.jsonl]

EVAL_DIR holds the unpacked sets (never commit them): ../shared/eval/dragnet.tar.xz (a directory with
`input/` and `GoldStandard/`), readability-test-pages.tar.xz (`pages/<name>/source.html`, `expected.html`,
`expected-metadata.json`) and fundus-dev.tar.xz (`gold.jsonl`, `html/`, `fundus_score.py`).

Ours is exactly `scrapy extract` (crawler.commands.extract.FileExtractor: read, decode, extract, content
stages). trafilatura is `trafilatura.extract(text, url=url)` with its defaults on the same decoded text;
that call alone is timed. Its metadata (title, author, date) comes from a second, untimed call with
`with_metadata=True`, on the sets that have metadata gold.

Body: `\\w+` tokens after NFC, 4-token shingle multisets, per page tp/fp/fn; P = mean tp/(tp+fp) over pages
with a prediction, R = mean tp/(tp+fn) over pages with gold, F1 = 2PR/(P+R) of the means. The gold never
includes the title (Dragnet's article part before its comments separator; Readability's expected.html
text; Fundus's `body`). Metadata: title exact after whitespace normalisation; authors set F1 of
case-folded names (Readability: its byline string split at "," "and" "&", a leading "By" dropped); date
within 60 s. Fundus metadata, captions and credits are scored by the set's own fundus_score.py.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from lxml.html import document_fromstring
from scrapy.utils.project import get_project_settings

from benchmarks.extraction_quality import load_pages as load_dragnet
from crawler.commands.extract import FileExtractor
from crawler.pages import decode_page

TOKEN = re.compile(r"\w+")
SHINGLE = 4
SETS = ("dragnet", "readability", "fundus")
# the pages listed as regressions: trafilatura at least this good, ours below the other bound
GOOD, BAD = 0.8, 0.5


@dataclass(frozen=True)
class Page:
    set: str
    id: str
    path: Path
    url: str | None
    body: str
    title: str | None = None
    authors: list[str] | None = None
    date: str | None = None
    gold: dict[str, Any] | None = None  # the Fundus record, for its own scorer


@dataclass
class Run:
    """One extractor on one set: per-page rows and CPU time."""

    name: str
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    errors: int = 0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(unicodedata.normalize("NFC", text or ""))
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def tp_fp_fn(gold: str, predicted: str) -> tuple[int, int, int]:
    expected, guess = shingles(gold), shingles(predicted)
    tp = sum((expected & guess).values())
    return tp, sum(guess.values()) - tp, sum(expected.values()) - tp


def page_f1(counts: tuple[int, int, int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 1.0


def body_scores(counts: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in counts if tp + fp]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in counts if tp + fn]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def _ws(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def authors_f1(gold: list[str], predicted: list[str]) -> float:
    expected = {_ws(name).casefold() for name in gold if _ws(name)}
    guess = {_ws(name).casefold() for name in predicted if _ws(name)}
    return 2 * len(expected & guess) / (len(expected) + len(guess)) if expected or guess else 1.0


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def date_within(gold: str, predicted: str | None) -> bool:
    """Both with an offset: the instants; otherwise the wall-clock times."""
    expected, guess = _parse_date(gold), _parse_date(predicted)
    if expected is None or guess is None:
        return False
    if (expected.tzinfo is None) != (guess.tzinfo is None):
        expected, guess = expected.replace(tzinfo=None), guess.replace(tzinfo=None)
    return abs(expected - guess) <= timedelta(seconds=60)


# ------------------------------------------------------------------ the sets


def find_sets(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for gold in sorted(root.rglob("GoldStandard")):
        if (gold.parent / "input").is_dir():
            found.setdefault("dragnet", gold.parent)
    for pages in sorted(root.rglob("pages")):
        if any(pages.glob("*/expected-metadata.json")):
            found.setdefault("readability", pages)
    for gold in sorted(root.rglob("gold.jsonl")):
        if (gold.parent / "fundus_score.py").exists():
            found.setdefault("fundus", gold.parent)
    return found


def dragnet_pages(root: Path, half: str) -> Iterator[Page]:
    for page in load_dragnet(root, half):
        yield Page("dragnet", page.id, page.html, None, page.article)


def readability_pages(root: Path) -> Iterator[Page]:
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
        expected = (folder / "expected.html").read_text(encoding="utf-8")
        tree = document_fromstring(expected) if expected.strip() else None
        body = "\n".join(t for t in tree.itertext()) if tree is not None else ""
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        byline = meta.get("byline")
        authors = _byline_names(byline) if byline else None
        # a fixed URL: the pages are saved without theirs, and both extractors get the same one
        url = f"http://fakehost/test/{folder.name}/"
        yield Page("readability", folder.name, folder / "source.html", url, body, meta.get("title"), authors,
                   meta.get("publishedTime"))  # fmt: skip


def _byline_names(byline: str) -> list[str]:
    byline = re.sub(r"^\s*by\s+", "", byline.strip(), flags=re.IGNORECASE)
    return [name for name in re.split(r"\s*(?:,|\band\b|&)\s*", byline) if name.strip()]


def fundus_pages(root: Path) -> Iterator[Page]:
    with (root / "gold.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            record.setdefault("split", None)
            yield Page("fundus", record["id"], root / record["html"], record["url"], record["body"],
                       record["title"], record["authors"] or None, record["publishing_date"], record)  # fmt: skip


def _fundus_scorer(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("fundus_score", root / "fundus_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ running


def run_set(pages: list[Page], extractor: FileExtractor, scorer: ModuleType | None) -> tuple[Run, Run]:
    ours, bare = Run("ours"), Run("trafilatura")
    for page in pages:
        data = page.path.read_bytes()
        raw = gzip.decompress(data) if page.path.suffix == ".gz" else data
        text, _ = decode_page(raw)

        def ours_record(page: Page = page) -> dict[str, Any]:
            return extractor.record(page.path, page.url)

        def bare_record(page: Page = page, text: str = text) -> dict[str, Any]:
            return {"body": trafilatura.extract(text, url=page.url) or ""}

        for run, extract in ((ours, ours_record), (bare, bare_record)):
            record = _timed(run, page, extract)
            if run is bare and (page.title or page.date or page.authors):
                record.update(_trafilatura_metadata(text, page.url))
            run.rows[page.id] = _score(page, record, scorer)
    return ours, bare


def _timed(run: Run, page: Page, extract: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.process_time()
    try:
        record = extract()
    except Exception as exc:  # shown and counted: every page must extract without one
        run.errors += 1
        print(f"{run.name}: {page.set}/{page.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
        record = {"body": ""}
    run.cpu_seconds += time.process_time() - started
    return record


def _trafilatura_metadata(text: str, url: str | None) -> dict[str, Any]:
    try:
        found = json.loads(trafilatura.extract(text, url=url, with_metadata=True, output_format="json") or "{}")
    except Exception:
        found = {}
    author = found.get("author") or ""
    return {
        "title": found.get("title"),
        "authors": [name for name in re.split(r"\s*;\s*", author) if name],
        "published_at": found.get("date"),
        "captions": [],
    }


def _score(page: Page, record: dict[str, Any], scorer: ModuleType | None) -> dict[str, Any]:
    body = str(record.get("body") or "")
    row: dict[str, Any] = {"body": tp_fp_fn(page.body, body), "error": record.get("error")}
    if scorer is not None and page.gold is not None:
        fundus = scorer.score_page(page.gold, scorer.normalise_pred(record), "body")
        for key in ("title_exact", "authors_f1", "date_60s", "cap_recall", "cap_precision", "credits"):
            row[key] = fundus.get(key)
        return row
    if page.title:
        row["title_exact"] = _ws(record.get("title")) == _ws(page.title)
    if page.authors:
        row["authors_f1"] = authors_f1(page.authors, list(record.get("authors") or []))
    if page.date:
        row["date_60s"] = date_within(page.date, record.get("published_at"))
    return row


# ------------------------------------------------------------------ reporting

COLUMNS = ("P", "R", "F1", "empty", "title", "authors", "date60", "cap R", "cap P", "credits", "docs/s", "CPU ms")


def _mean(values: list[Any]) -> float | None:
    values = [float(v) for v in values if v is not None]
    return sum(values) / len(values) if values else None


def summary(run: Run, pages: int) -> list[str]:
    rows = list(run.rows.values())
    precision, recall, score = body_scores([row["body"] for row in rows])
    empty = sum(1 for row in rows if row["body"][0] + row["body"][1] == 0)
    cells = [f"{precision:.3f}", f"{recall:.3f}", f"{score:.3f}", str(empty)]
    for key in ("title_exact", "authors_f1", "date_60s", "cap_recall", "cap_precision", "credits"):
        value = _mean([row.get(key) for row in rows])
        cells.append("-" if value is None else f"{value:.3f}")
    rate = pages / run.cpu_seconds if run.cpu_seconds else 0.0
    cells += [f"{rate:.1f}", f"{1000 * run.cpu_seconds / pages:.1f}" if pages else "-"]
    return cells


def report(results: dict[str, tuple[list[Page], Run, Run]]) -> list[str]:
    print("| set | extractor | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    regressions = []
    total = {"ours": 0.0, "trafilatura": 0.0}
    for name, (pages, ours, bare) in results.items():
        for run in (ours, bare):
            print(f"| {name} ({len(pages)}) | {run.name} | " + " | ".join(summary(run, len(pages))) + " |")
            total[run.name] += run.cpu_seconds
        ratio = ours.cpu_seconds / bare.cpu_seconds if bare.cpu_seconds else float("nan")
        print(f"| {name} | CPU ours / trafilatura | {ratio:.2f}x |" + " |" * (len(COLUMNS) - 1))
        for page in pages:
            mine, theirs = page_f1(ours.rows[page.id]["body"]), page_f1(bare.rows[page.id]["body"])
            if theirs >= GOOD and mine < BAD:
                regressions.append(f"{name}/{page.id}: ours {mine:.3f}, trafilatura {theirs:.3f}")
    if total["trafilatura"]:
        print(f"\nCPU ours / trafilatura, all sets: {total['ours'] / total['trafilatura']:.2f}x")
    print(f"\npages where trafilatura >= {GOOD} and ours < {BAD}: {len(regressions)}")
    for line in regressions:
        print("  " + line)
    return regressions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", type=Path, help="directory holding the unpacked development sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: dragnet,readability,fundus")
    parser.add_argument("--dragnet-half", choices=("reporting", "tuning", "all"), default="all")
    parser.add_argument("--rows", type=Path, help="write per-page scores (JSON lines) for comparing runs")
    args = parser.parse_args()
    found = find_sets(args.eval_dir)
    wanted = [name for name in args.sets.split(",") if name]
    missing = [name for name in wanted if name not in found]
    if missing:
        raise SystemExit(f"{args.eval_dir}: set(s) not found: {', '.join(missing)}")
    extractor = FileExtractor.from_settings(get_project_settings())
    results: dict[str, tuple[list[Page], Run, Run]] = {}
    for name in wanted:
        root = found[name]
        scorer = _fundus_scorer(root) if name == "fundus" else None
        if name == "dragnet":
            pages = list(dragnet_pages(root, args.dragnet_half))
        elif name == "readability":
            pages = list(readability_pages(root))
        else:
            pages = list(fundus_pages(root))
        results[name] = (pages, *run_set(pages, extractor, scorer))
    report(results)
    if args.rows:
        with args.rows.open("w", encoding="utf-8") as out:
            for name, (pages, ours, bare) in results.items():
                for page in pages:
                    for run in (ours, bare):
                        row = {"set": name, "id": page.id, "extractor": run.name, **run.rows[page.id]}
                        row["f1"] = page_f1(row["body"])
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
