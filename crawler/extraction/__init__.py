"""Article extraction: a pure function from (HTML, URL, hints) to an Article.

The only package in the project that imports trafilatura.
"""

from __future__ import annotations

from crawler.pages import ExtractionError

from .article import Budget, ExtractionBudgetExceeded, extract_article
from .credits import split_credit

__all__ = [
    "Budget",
    "ExtractionBudgetExceeded",
    "ExtractionError",
    "extract_article",
    "split_credit",
]
