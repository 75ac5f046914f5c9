"""Decode an HTML page even when its declared charset is wrong or missing.

Browsers trust the HTTP header first; on the real web the header is often a server default that
contradicts the page (a windows-1252 page served as UTF-8). We try the candidates in the browser's
order but strictly, and move on when the bytes do not decode, so umlauts come out right. The
opposite mislabelling (a UTF-8 page served as ISO-8859-1, a common server default) decodes without
error as mojibake, so a body that is valid UTF-8 and not plain ASCII is taken as UTF-8 whatever it
declares: text in a legacy encoding practically never happens to be valid UTF-8.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

FALLBACKS = ("utf-8", "cp1252")
# Python text codecs that no page is written in; a server or page that names one is hostile or broken.
NOT_PAGE_ENCODINGS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})


def _normalised(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    if not resolved:
        return None
    try:
        name = codecs.lookup(resolved).name
        # LookupError for codecs that exist but are not text encodings (base64, rot13, zlib_codec)
        b"\x00\x00\x00\x00".decode(name, errors="ignore")
    except (LookupError, UnicodeError):
        return None
    return None if name in NOT_PAGE_ENCODINGS else name


def decode_html(body: bytes, header_encoding: str | None = None) -> tuple[str, str]:
    """The page as text, and the encoding that decoded it."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding
    candidates = [_normalised(header_encoding), _normalised(html_body_declared_encoding(body)), *FALLBACKS]
    if not body.isascii():
        candidates.insert(0, "utf-8")
    tried: set[str] = set()
    for encoding in candidates:
        if encoding is None or encoding in tried:
            continue
        tried.add(encoding)
        try:
            return body.decode(encoding), encoding
        except UnicodeError:
            continue
    return body.decode("cp1252", errors="replace"), "cp1252"
