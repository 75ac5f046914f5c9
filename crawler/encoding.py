"""Decode an HTML page even when its declared charset is wrong or missing.

Browsers trust the HTTP header first; on the real web the header is often a server default that
contradicts the page (a windows-1252 page served as UTF-8). We try the candidates in the browser's
order but strictly, and move on when the bytes do not decode, so umlauts come out right.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

FALLBACKS = ("utf-8", "cp1252")


def _normalised(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def decode_html(body: bytes, header_encoding: str | None = None) -> tuple[str, str]:
    """The page as text, and the encoding that decoded it."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding
    candidates = [_normalised(header_encoding), _normalised(html_body_declared_encoding(body)), *FALLBACKS]
    tried: set[str] = set()
    for encoding in candidates:
        if encoding is None or encoding in tried:
            continue
        tried.add(encoding)
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return body.decode("cp1252", errors="replace"), "cp1252"
