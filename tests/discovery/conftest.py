from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discovery"


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    """Read a file from tests/fixtures/discovery/."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
