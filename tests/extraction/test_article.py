"""The per-page budget: pathological pages are cut off with a named reason, quickly, and nothing leaks."""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

import pytest

from crawler.extraction import Budget, ExtractionBudgetExceeded, ExtractionError, extract_article
from crawler.extraction.article import time_limit

URL = "https://news.example/huge"
PARAGRAPH = "<p>The council met on Friday and voted on the harbour tram line after a long debate.</p>"


def table_page(megabytes: float) -> str:
    row = "<tr>" + "".join(f"<td>cell {i} with some text</td>" for i in range(10)) + "</tr>\n"
    rows = row * int(megabytes * 1024 * 1024 / len(row))
    return (
        f"<html><head><title>Results</title></head><body><h1>Results</h1>{PARAGRAPH}<table>{rows}</table></body></html>"
    )


def nested_page(depth: int) -> str:
    return (
        f"<html><head><title>Deep</title></head><body>{'<div>' * depth}{PARAGRAPH * 3}{'</div>' * depth}</body></html>"
    )


def test_a_30_mb_table_is_refused_before_parsing() -> None:
    page = table_page(30)
    started = time.monotonic()
    with pytest.raises(ExtractionBudgetExceeded, match="too large") as raised:
        extract_article(page, URL)  # the default budget
    assert raised.value.reason == "too_large"
    assert time.monotonic() - started < 0.5


def test_a_slow_page_is_interrupted_on_time() -> None:
    page = table_page(3)  # below the size limit, seconds of work without a time limit
    started = time.monotonic()
    with pytest.raises(ExtractionBudgetExceeded, match=r"longer than 0\.3 s") as raised:
        extract_article(page, URL, budget=Budget(max_bytes=0, max_seconds=0.3))
    assert raised.value.reason == "too_slow"
    assert time.monotonic() - started < 2.0


def test_the_budget_error_is_an_extraction_error() -> None:
    # the spider and `scrapy extract` catch ExtractionError: a budget overrun never stops a crawl
    assert issubclass(ExtractionBudgetExceeded, ExtractionError)


def test_10000_nested_elements_neither_raise_nor_hang() -> None:
    started = time.monotonic()
    try:
        extract_article(nested_page(10_000), URL)
    except ExtractionError:
        pass  # libxml2 stops nesting at its depth limit; refusing the page is fine, crashing is not
    assert time.monotonic() - started < 5.0


def test_an_existing_alarm_handler_and_timer_are_restored() -> None:
    fired: list[int] = []

    def previous(signum: int, frame: FrameType | None) -> None:
        fired.append(signum)

    old_handler = signal.signal(signal.SIGALRM, previous)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.8)
        with time_limit(5.0):
            time.sleep(0.05)
        assert signal.getsignal(signal.SIGALRM) is previous
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.5 < remaining < 0.8  # the outer timer goes on, minus the time the block used
        time.sleep(remaining + 0.2)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)


def test_no_timer_is_left_behind_after_an_overrun() -> None:
    with pytest.raises(ExtractionBudgetExceeded):
        extract_article(table_page(3), URL, budget=Budget(max_bytes=0, max_seconds=0.2))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_outside_the_main_thread_extraction_runs_without_a_time_limit() -> None:
    results: list[str | None] = []

    def work() -> None:
        article = extract_article(f"<html><body><h1>T</h1>{PARAGRAPH * 3}</body></html>", URL)
        results.append(article.title)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert results == ["T"]
