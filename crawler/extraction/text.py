"""Transitional: the text helpers live in crawler.extraction.document; this name stays until the
body modules (body.py, reference.py) import them from there."""

from __future__ import annotations

from .document import element_text, normalize_space, text_key

__all__ = ["element_text", "normalize_space", "text_key"]
