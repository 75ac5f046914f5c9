"""crawler.dates and crawler.pages are bottom layers: they import nothing from the crawler but its items."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "crawler"


def crawler_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("crawler"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("crawler"):
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("package", ["dates", "pages"])
def test_bottom_layer_imports_only_items(package: str) -> None:
    files = sorted((ROOT / package).glob("*.py"))
    assert files
    for path in files:
        assert crawler_imports(path) <= {"crawler.items"}, path
