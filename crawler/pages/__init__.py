"""Pages as fetched: bytes decoded to text one way, and text parsed to an lxml tree one way.

A bottom layer: it imports nothing from the rest of the crawler.
"""

from __future__ import annotations

from .decoding import declared_encoding, decode_page, page_text, refuse_binary
from .errors import ExtractionError
from .parsing import parse_html

__all__ = ["ExtractionError", "declared_encoding", "decode_page", "page_text", "parse_html", "refuse_binary"]
