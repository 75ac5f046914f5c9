"""The import contract names every top-level module of the crawler package.

import-linter checks only the modules a layers contract names (its `exhaustive` option needs
containers, and the contract spans two root packages), so a new module would otherwise sit outside
every layer unnoticed.
"""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import crawler

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def contract_layers() -> list[set[str]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return [{name.strip().strip("()") for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


def test_every_crawler_module_has_a_layer() -> None:
    named = set().union(*contract_layers())
    modules = {f"crawler.{info.name}" for info in pkgutil.iter_modules(crawler.__path__)}
    assert modules - named == set()
