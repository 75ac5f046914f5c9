"""Transitional: byline parsing lives in crawler.extraction.people; this name stays until the
boilerplate filter imports it from there."""

from __future__ import annotations

from .people import parse_byline, split_names, unique_names

__all__ = ["parse_byline", "split_names", "unique_names"]
