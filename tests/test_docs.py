"""The README documents every setting and command (stats keys: tests/e2e/test_crawl.py)."""

from __future__ import annotations

import re
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
    # A module name cannot hold a hyphen: `archive-writer` is registered as an entry point.
    assert f"scrapy {command.replace('_', '-')}" in README


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README


# --- README <-> code, both ways -------------------------------------------------------------------
CODE = {
    path: path.read_text(encoding="utf-8")
    for folder in ("crawler", "pipelines")
    for path in sorted((ROOT / folder).rglob("*.py"))
}
STAT_LITERAL = re.compile(r"""["'](ingest/[a-z0-9_/]+)["']""")
README_STAT = re.compile(r"`(ingest/[^`]+)`")
# The only keys built at run time: one name per source and per junk rule, documented as patterns.
PATTERN_PREFIXES = ("ingest/source/{", "ingest/clean/removed/{")
F_STRING_STAT = re.compile(r"""f["'](ingest/[^"']*)""")


def code_stat_keys() -> set[str]:
    keys = {key for text in CODE.values() for key in STAT_LITERAL.findall(text)}
    # Prefixes such as "ingest/spider/" (used to derive per-source keys) are not keys.
    return {key for key in keys if not key.endswith("/")}


@pytest.mark.parametrize("key", sorted(code_stat_keys()))
def test_every_stat_key_in_the_code_is_documented(key: str) -> None:
    assert f"`{key}`" in README


@pytest.mark.parametrize(
    "key", sorted(k for k in set(README_STAT.findall(README)) if "<" not in k and "…" not in k and "*" not in k)
)
def test_every_documented_stat_key_exists_in_the_code(key: str) -> None:
    assert key in code_stat_keys()


def test_no_stat_key_is_built_where_grep_cannot_find_it() -> None:
    built = [
        f"{path.relative_to(ROOT)}: f'{match}'"
        for path, text in CODE.items()
        for match in F_STRING_STAT.findall(text)
        if not match.startswith(PATTERN_PREFIXES)
    ]
    assert built == []


@pytest.mark.parametrize("name", sorted(set(re.findall(r"`(INGEST_[A-Z0-9_]+)`", README))))
def test_every_documented_setting_exists(name: str) -> None:
    assert hasattr(settings, name)


@pytest.mark.parametrize("command", sorted(set(re.findall(r"scrapy ([a-z][a-z-]+)", README))))
def test_every_documented_command_exists(command: str) -> None:
    scrapy_builtin = {"crawl", "shell", "fetch", "list", "startproject", "genspider", "runspider", "settings",
                      "version", "view", "bench", "check", "parse", "edit"}
    ours = {p.stem.replace("_", "-") for p in (ROOT / "crawler" / "commands").glob("*.py")}
    assert command in ours | scrapy_builtin or command in {"spider", "project", "command", "crawler"}
