"""A per-page size and time budget, so one pathological page cannot stall a crawl.

Pages that take seconds are rare but real: megabyte tables, thousands of nested elements, text
dumps. The size limit is checked before parsing (parsing itself runs in C and cannot be
interrupted); the time limit interrupts the Python work after parsing with SIGALRM.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from crawler.pages import ExtractionError

# Real article pages, inline scripts included, stay well below these; 30 MB tables do not.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_SECONDS = 5.0


class ExtractionBudgetExceeded(ExtractionError):
    """The page is larger, or its extraction slower, than the budget allows."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "too_large" or "too_slow": a stats key suffix


@dataclass(frozen=True)
class Budget:
    """Limits for one page; 0 switches a limit off."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS

    def check_size(self, html: bytes | str) -> None:
        """Raise before parsing when the page is too large (characters count for text input)."""
        if self.max_bytes and len(html) > self.max_bytes:
            raise ExtractionBudgetExceeded(f"page too large: {len(html)} bytes (limit {self.max_bytes})", "too_large")


DEFAULT_BUDGET = Budget()


class _OutOfTime(BaseException):
    """Raised by the alarm handler. A BaseException, so that the `except Exception` and
    `except ValueError` blocks inside trafilatura cannot swallow it on the way out."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with ExtractionBudgetExceeded after `seconds` of wall time.

    Only in the main thread (where Scrapy runs callbacks), and only where SIGALRM exists;
    elsewhere the block runs unlimited. A timer and handler already installed by someone else
    are restored afterwards, with the time the block used subtracted from the timer.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            # disarm first: an alarm landing after this point can no longer interrupt anything
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        raise ExtractionBudgetExceeded(f"extraction took longer than {seconds:g} s", "too_slow") from None
    finally:
        # None: the previous handler was not installed from Python; the default is the closest
        signal.signal(signal.SIGALRM, previous_handler if previous_handler is not None else signal.SIG_DFL)
        if previous_delay > 0:
            # 1 µs, not 0: a zero delay would cancel the other timer instead of letting it fire
            remaining = max(previous_delay - (time.monotonic() - started), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)
