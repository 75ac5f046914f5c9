"""Transitional: slideshow captions live in crawler.extraction.captions; this name stays until the
body tests import captions_outside_body from there."""

from __future__ import annotations

from .captions import captions_outside_body

__all__ = ["captions_outside_body"]
