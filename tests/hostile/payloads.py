"""Byte payloads for the hostile site: compression bombs and real binary files.

The bombs are real, valid streams (a decompressor that does not stop reads gigabytes, checksum
included), built in well under a second: a full flush makes every 1 MiB block of spaces compress
to the same bytes, so the stream is one block repeated.
"""

from __future__ import annotations

import struct
import zlib

import brotli

MiB = 1 << 20
GiB = 1 << 30
_FILLER = b" " * MiB


def _deflate_blocks(size: int) -> bytes:
    """A raw deflate stream of ``size`` spaces (``size`` a multiple of 1 MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(_FILLER) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(_FILLER) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (size // MiB - 1) + compressor.flush()


def _checksum(size: int, function: str) -> int:
    value = 0 if function == "crc32" else 1
    block = _FILLER * 64
    update = zlib.crc32 if function == "crc32" else zlib.adler32
    for _ in range(size // len(block)):
        value = update(block, value)
    for _ in range(size % len(block) // MiB):
        value = update(_FILLER, value)
    return value


def gzip_bomb(size: int = GiB) -> bytes:
    """A gzip member that inflates to ``size`` bytes (1 GiB: about 1 MB on the wire)."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", _checksum(size, "crc32"), size & 0xFFFFFFFF)
    return header + _deflate_blocks(size) + trailer


def deflate_bomb(size: int = GiB) -> bytes:
    """A zlib stream (HTTP's "deflate") that inflates to ``size`` bytes."""
    return b"\x78\xda" + _deflate_blocks(size) + struct.pack(">I", _checksum(size, "adler32"))


def brotli_bomb(size: int = GiB) -> bytes:
    """A brotli stream that inflates to ``size`` bytes (1 GiB: under 2 kB on the wire)."""
    compressor = brotli.Compressor(quality=5)
    parts = [compressor.process(_FILLER) for _ in range(size // MiB)]
    return b"".join(parts) + compressor.finish()


def nested_gzip_bomb(size: int = 4 * GiB) -> bytes:
    """gzip inside gzip (``Content-Encoding: gzip, gzip``): 4 GiB in a few kilobytes."""
    return zlib.compress(gzip_bomb(size), 9, wbits=16 + 15)


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf() -> bytes:
    """A real one-page PDF document with a line of text."""
    stream = b"BT /F1 24 Tf 72 720 Td (Quarterly report) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
