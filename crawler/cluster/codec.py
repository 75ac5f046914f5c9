"""Stream entries: what a worker hands the archive writer, as JSON (raw pages as base64).

One entry per article or per batch of outcomes; ``kind`` says which. Decoding rebuilds the same
dataclasses the archive's single-process pipeline hands it. An article entry may carry what the worker
prepared of it for the writer (crawler.dedup.prepared), under ``prepared``, with PREPARED_VERSION: an
entry without it, or of another version, is prepared by the writer itself.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from dataclasses import asdict
from typing import Any

from crawler.compression import gzip_page
from crawler.dedup.fingerprint import signature_bytes, signature_from_bytes
from crawler.dedup.prepared import PREPARED_VERSION, Fingerprint, PreparedArticle
from crawler.incremental.state import UrlState
from crawler.items import Article, Block, Caption
from crawler.seeds import Source


def encode_article(article: Article, prepared: PreparedArticle | None = None) -> dict[str, str]:
    """The raw page travels compressed as the archive stores it: the worker compresses it, so the one
    archive writer does not (and the stream holds a fifth of the bytes)."""
    data = asdict(article)
    raw = data.pop("raw_html")
    compressed = data.pop("raw_html_gz")
    digest = data.pop("raw_html_sha256")
    fields = {"kind": "article", "article": json.dumps(data)}
    if raw is not None:
        fields["raw_html_gz"] = base64.b64encode(compressed or gzip_page(raw)).decode("ascii")
        fields["raw_html_sha256"] = digest or hashlib.sha256(raw).hexdigest()
    if prepared is not None:
        fields["prepared"] = json.dumps(
            {
                "version": PREPARED_VERSION,
                "layout": prepared.layout,
                "blocks": prepared.blocks,
                "block_keys": prepared.block_keys,
                "url_key": prepared.url_key,
                "canonical_key": prepared.canonical_key,
                "fingerprints": [
                    [
                        f.removed,
                        f.body_hash,
                        base64.b64encode(signature_bytes(f.signature)).decode("ascii"),
                        f.facts_json,
                        f.empty,
                        f.bucket_keys,
                    ]
                    for f in prepared.fingerprints
                ],
            }
        )
    return fields


def decode_prepared(fields: dict[str, str]) -> PreparedArticle | None:
    """What the worker prepared of the entry's article; None when it prepared nothing, or under
    another version of crawler.dedup.prepared. Facts stay JSON until the writer uses them."""
    text = fields.get("prepared")
    if text is None:
        return None
    data: dict[str, Any] = json.loads(text)
    if data.get("version") != PREPARED_VERSION:
        return None
    return PreparedArticle(
        layout=data["layout"],
        blocks=data["blocks"],
        block_keys=tuple(data["block_keys"]),
        url_key=data["url_key"],
        canonical_key=data["canonical_key"],
        fingerprints=tuple(
            Fingerprint(
                tuple(removed),
                body_hash,
                signature_from_bytes(base64.b64decode(signature)),
                facts,
                empty,
                tuple(keys) if keys is not None else None,
            )
            for removed, body_hash, signature, facts, empty, keys in data["fingerprints"]
        ),
    )


def decode_article(fields: dict[str, str], *, decompress: bool = True) -> Article:
    """The article the worker encoded. ``decompress`` off: its raw page stays as the archive stores it
    (raw_html_gz, with the worker's raw_html_sha256; raw_html None), which is all the archive writer
    needs of it: gunzip cost it a tenth of an article's write."""
    data: dict[str, Any] = json.loads(fields["article"])
    data["blocks"] = [Block(**block) for block in data["blocks"]]
    data["captions"] = [Caption(**caption) for caption in data["captions"]]
    compressed = fields.get("raw_html_gz")
    if compressed is not None:
        page = base64.b64decode(compressed)
        digest = fields.get("raw_html_sha256")  # None from a worker of an earlier release
        if decompress or digest is None:
            return Article(**data, raw_html=gzip.decompress(page), raw_html_gz=page, raw_html_sha256=digest)
        return Article(**data, raw_html_gz=page, raw_html_sha256=digest)
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
