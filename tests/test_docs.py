"""The README documents every setting and command (stats keys: tests/e2e/test_crawl.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(n for n in dir(settings) if n.startswith("INGEST_")))
def test_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in README or f"{name}`" in README


@pytest.mark.parametrize(
    "command", sorted(p.stem for p in (ROOT / "crawler" / "commands").glob("*.py") if p.stem != "__init__")
)
def test_command_is_documented(command: str) -> None:
    assert f"scrapy {command}" in README


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
