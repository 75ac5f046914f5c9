"""Stream entries: what a worker hands the archive writer, as JSON (raw pages as base64).

One entry per article or per batch of outcomes; ``kind`` says which. Decoding rebuilds the same
dataclasses the archive's single-process pipeline hands it.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import asdict
from typing import Any

from crawler.compression import gzip_page
from crawler.incremental.state import UrlState
from crawler.items import Article, Block, Caption
from crawler.seeds import Source


def encode_article(article: Article) -> dict[str, str]:
    """The raw page travels compressed as the archive stores it: the worker compresses it, so the one
    archive writer does not (and the stream holds a fifth of the bytes)."""
    data = asdict(article)
    raw = data.pop("raw_html")
    compressed = data.pop("raw_html_gz")
    fields = {"kind": "article", "article": json.dumps(data)}
    if raw is not None:
        fields["raw_html_gz"] = base64.b64encode(compressed or gzip_page(raw)).decode("ascii")
    return fields


def decode_article(fields: dict[str, str]) -> Article:
    data: dict[str, Any] = json.loads(fields["article"])
    data["blocks"] = [Block(**block) for block in data["blocks"]]
    data["captions"] = [Caption(**caption) for caption in data["captions"]]
    compressed = fields.get("raw_html_gz")
    if compressed is not None:
        # Decompressed for the page's digest and re-extraction: a tenth of what compressing costs.
        page = base64.b64decode(compressed)
        return Article(**data, raw_html=gzip.decompress(page), raw_html_gz=page)
    raw = fields.get("raw_html")  # an entry from a worker of an earlier release
    return Article(**data, raw_html=base64.b64decode(raw) if raw is not None else None)


def encode_outcomes(settled: list[UrlState], entries: list[tuple[str, str, str]]) -> dict[str, str]:
    return {
        "kind": "outcomes",
        "settled": json.dumps([asdict(state) for state in settled]),
        "entries": json.dumps(entries),
    }


def decode_outcomes(fields: dict[str, str]) -> tuple[list[UrlState], list[tuple[str, str, str]]]:
    settled = [UrlState(**state) for state in json.loads(fields["settled"])]
    entries = [(key, listing, date) for key, listing, date in json.loads(fields["entries"])]
    return settled, entries


def encode_sources(sources: list[Source]) -> dict[str, str]:
    return {"kind": "sources", "sources": json.dumps([asdict(source) for source in sources])}


def decode_sources(fields: dict[str, str]) -> list[Source]:
    sources: list[dict[str, Any]] = json.loads(fields["sources"])
    fields_of: list[dict[str, Any]] = [
        {k: tuple(v) if isinstance(v, list) else v for k, v in source.items()} for source in sources
    ]
    return [Source(**source) for source in fields_of]
