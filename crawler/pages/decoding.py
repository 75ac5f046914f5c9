"""Decode an HTML page even when its declared charset is wrong or missing.

The one decoder: the spider (with the HTTP header's charset), `scrapy reextract` and `scrapy extract`
(with whatever the caller knows) and feed autodiscovery all decode through `decode_page`.

Decoding never fails: any bytes give some text. Whether that text is a page is `parse_html`'s call
(`refuse_binary` names the file type of a PDF or image that arrives as bytes).

The rules, in order:
1. A byte-order mark wins over everything.
2. A body that is valid UTF-8 and not plain ASCII is UTF-8, whatever it declares. Text in a legacy
   encoding -- single-byte (a UTF-8 page served as ISO-8859-1 is a common server default) or
   multi-byte (a UTF-8 page still declaring <meta charset="shift_jis">) -- practically never
   happens to be valid UTF-8, while the mislabelling decodes without error as mojibake.
3. Then the HTTP header's charset, then the page's <meta charset> or XML declaration, then UTF-8,
   then windows-1252 -- each tried strictly, moving on when the bytes do not decode, so that a
   windows-1252 page served as UTF-8 keeps its umlauts. Labels are read as browsers read them
   (WHATWG: latin-1 means windows-1252, shift_jis means cp932); labels that name no text encoding
   (base64, rot13, utf-7) are ignored, and a <meta> declaring UTF-16/32 in an ASCII-compatible
   byte stream means UTF-8.
4. If nothing decodes strictly: windows-1252 with replacement characters.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import http_content_type_encoding, read_bom, resolve_encoding

from .errors import ExtractionError

FALLBACKS = ("utf-8", "cp1252")
# Python text codecs that no page is written in; a server or page that names one is hostile or broken.
NOT_PAGE_ENCODINGS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})
# A byte stream in which "<meta charset=...>" can be read as ASCII is no UTF-16 or UTF-32 stream.
_WIDE_ENCODINGS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# magic numbers of what servers most often send by mistake instead of a page
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "a RIFF (WebP/AVI/WAV) file",
    b"\x1f\x8b": "gzip-compressed data",
    b"PK\x03\x04": "a ZIP archive",
    b"\x00\x00\x01\x00": "an icon",
}
_SNIFF_BYTES = 4096
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""",
    re.IGNORECASE,
)
# WHATWG: these labels mean windows-1252; UTF-16 declared in an ASCII-compatible byte stream is a lie
_DECLARED_OVERRIDES = {"iso8859-1": "cp1252", "ascii": "cp1252", **dict.fromkeys(_WIDE_ENCODINGS, "utf-8")}


def decode_page(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """The page as text, and the encoding that decoded it; any bytes decode to some text.

    `content_type_header` is the HTTP Content-Type value ("text/html; charset=utf-8") or a bare
    charset label ("utf-8"), whichever the caller has.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding
    candidates = [_normalised(_charset(content_type_header)), _normalised(declared_encoding(body)), *FALLBACKS]
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


def page_text(body: bytes, content_type_header: str | None = None) -> str:
    """`decode_page`'s text alone, for callers that need not know the encoding."""
    return decode_page(body, content_type_header)[0]


def refuse_binary(body: bytes) -> None:
    """ExtractionError naming the file type when `body` starts like a PDF, image or archive."""
    for signature, description in BINARY_SIGNATURES.items():
        if body.startswith(signature):
            raise ExtractionError(f"not HTML: {description}")


def declared_encoding(head: bytes) -> str | None:
    """The codec name of a <meta charset> or XML declaration, if Python knows it as a text encoding."""
    match = _DECLARED_CHARSET.search(head[:_SNIFF_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
        b"abc".decode(name)  # LookupError for codecs that are no text encodings (base64, rot13)
    except (LookupError, UnicodeError):
        return None
    if name in NOT_PAGE_ENCODINGS:
        return None
    return _DECLARED_OVERRIDES.get(name, name)


def _charset(content_type_header: str | None) -> str | None:
    if not content_type_header:
        return None
    if "/" in content_type_header or "=" in content_type_header:
        return http_content_type_encoding(content_type_header)
    return content_type_header


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
