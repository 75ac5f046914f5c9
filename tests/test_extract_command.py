"""`scrapy extract`, run as users run it: a subprocess from the project root."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler.commands.extract import FIELDS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
ARTICLE = FIXTURES / "english-jsonld-authors.html"


def scrapy_extract(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "extract", *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env, check=False)


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of saved pages: plain and gzipped, nested, and three that cannot be extracted."""
    root = tmp_path_factory.mktemp("pages")
    shutil.copy(ARTICLE, root / "a-tram.html")
    (root / "nested").mkdir()
    (root / "nested" / "b-tram.html.gz").write_bytes(gzip.compress(ARTICLE.read_bytes()))
    (root / "c-broken.html.gz").write_bytes(b"\x1f\x8b\x08 this is no gzip stream")
    shutil.copy(FIXTURES / "not-html.bin", root / "d-binary.html")
    (root / "e-empty.html").write_bytes(b"")
    (root / "notes.txt").write_text("not a page", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def directory_run(
    pages: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("out") / "pages.jsonl"
    result = scrapy_extract(pages, "-o", out)
    return result, lines(out.read_text(encoding="utf-8"))


def test_a_directory_gives_one_line_per_page_in_sorted_order(pages: Path, directory_run: Any) -> None:
    result, records = directory_run
    assert result.returncode == 0, result.stderr
    names = [Path(record["file"]).relative_to(pages).as_posix() for record in records]
    assert names == ["a-tram.html", "c-broken.html.gz", "d-binary.html", "e-empty.html", "nested/b-tram.html.gz"]
    assert all(list(record) == list(FIELDS) for record in records)
    assert "extracted 5 file(s); 3 with an error" in result.stderr


def test_the_article_fields(directory_run: Any) -> None:
    _, records = directory_run
    plain, gzipped = records[0], records[-1]
    assert plain["error"] is None
    assert plain["title"] == "City council approves harbour tram line in 9–4 vote"
    assert plain["authors"] == ["Jane Doe", "John Roe"]
    assert plain["published_at"] == "2023-09-15T14:12:00+00:00"
    assert plain["language"] == "en"
    assert plain["body"].startswith("The city council on Friday")
    assert "\n\n" in plain["body"]  # blocks joined by a blank line
    assert plain["captions"][0]["credit"] == "Photograph: Marcus Lee/The Harbour Courier"
    assert set(plain["captions"][0]) == {"text", "credit", "image_url"}
    # the page URL is the file's; the page's relative og:url names no real address then
    assert plain["url"].startswith("file:///") and plain["url"].endswith("/a-tram.html")
    assert plain["canonical_url"] == plain["url"]
    # the gzipped copy extracts exactly like the page it was made from
    assert {k: v for k, v in gzipped.items() if k not in ("file", "url", "canonical_url")} == {
        k: v for k, v in plain.items() if k not in ("file", "url", "canonical_url")
    }


def test_bad_files_get_their_reason_and_do_not_stop_the_run(directory_run: Any) -> None:
    _, records = directory_run
    errors = {Path(record["file"]).name: record["error"] for record in records[1:4]}
    assert errors["c-broken.html.gz"].startswith("ValueError: not a valid gzip stream")
    assert errors["d-binary.html"].startswith("ExtractionError: not HTML")
    assert errors["e-empty.html"] == "ExtractionError: empty document"
    assert all(record["body"] == "" and record["captions"] == [] for record in records[1:4])


def test_one_file_to_stdout_with_its_url() -> None:
    result = scrapy_extract(ARTICLE, "--url", "https://courier.example/news/tram.html")
    assert result.returncode == 0, result.stderr
    [record] = lines(result.stdout)
    assert record["url"] == "https://courier.example/news/tram.html"
    assert record["canonical_url"] == "https://courier.example/news/2023/09/15/council-approves-tram-line"
    assert record["captions"][0]["image_url"] == "https://courier.example/media/2023/09/tram-vote-1600.jpg"


def test_a_missing_file_is_reported_in_its_line(tmp_path: Path) -> None:
    result = scrapy_extract(tmp_path / "gone.html")
    [record] = lines(result.stdout)
    assert result.returncode == 0
    assert record["error"].startswith("FileNotFoundError")


def test_a_short_article_keeps_its_body_and_says_why_a_crawl_would_drop_it(tmp_path: Path) -> None:
    page = tmp_path / "short.html"
    page.write_text(
        "<html><head><title>Brief</title></head><body><h1>Brief</h1><p>Two short lines here.</p></body></html>"
    )
    [record] = lines(scrapy_extract(page).stdout)
    assert record["body"].endswith("Two short lines here.")
    assert record["error"].startswith("EmptyBody: ")


def test_relative_dates_need_the_fetch_time(tmp_path: Path) -> None:
    page = tmp_path / "recent.html"
    page.write_text(
        "<html lang='es'><head><title>Noticia</title></head><body><h1>Noticia</h1><span class='fecha'>hace 2 horas"
        "</span><p>El ayuntamiento aprobó el martes la nueva línea de tranvía del puerto tras un largo debate.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    [without] = lines(scrapy_extract(page).stdout)
    [record] = lines(scrapy_extract(page, "--fetched-at", "2023-09-15T12:00:00+00:00").stdout)
    assert without["published_at"] is None
    assert record["published_at"] == "2023-09-15T10:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give at least one file or directory"),
        ((ARTICLE, ARTICLE, "--url", "https://x.example/a"), "--url names one page"),
        ((ARTICLE, "--timezone", "Mars/Olympus"), "unknown time zone"),
        ((ARTICLE, "--fetched-at", "yesterday"), "expected an ISO 8601 date"),
    ],
)
def test_usage_errors(args: tuple[str | Path, ...], message: str) -> None:
    result = scrapy_extract(*args)
    assert result.returncode == 2
    assert message in result.stderr
