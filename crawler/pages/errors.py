"""Why a page yields nothing."""

from __future__ import annotations


class ExtractionError(ValueError):
    """Nothing usable on the page: not HTML, empty, or neither a title nor a body.

    Defined here, below extraction, because decoding and parsing are the first steps to refuse a page:
    one `except ExtractionError` (the spider's, `scrapy extract`'s) covers every refusal from bytes to Article.
    """
