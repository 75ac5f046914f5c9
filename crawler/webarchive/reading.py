"""Reading WARC files that may be damaged, record by record, from any stream of bytes.

A well-made ``.warc.gz`` has one record per gzip member (as the crawl writes them and as Common Crawl
does). The reader splits the compressed bytes into members itself, so that bad input costs only
itself: a corrupt member is skipped by searching for the next gzip header, a truncated file ends at
its last whole member, and a record whose Content-Length disagrees with its data is reported. Each
member's offset is where a resumed import starts again. Bytes are pushed in (``feed``) as they arrive
from a file or a download; memory is bounded by one member (``max_member_bytes``). Uncompressed
``.warc`` files are split the same way, at their record boundaries.

Members are inflated by ISA-L (isal), a drop-in for zlib's decompressobj (eof, unused_data) that
inflates about twice as fast: inflating is most of what reading costs.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import cast

from isal import isal_zlib
from warcio.recordloader import ArcWarcRecordLoader

GZIP_MAGIC = b"\x1f\x8b\x08"
# isal's stub declares its error class as an instance (``error: Exception``); it is a class
INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, cast(type[Exception], isal_zlib.error))
DEFAULT_MAX_MEMBER = 64 * 1024 * 1024
# a header line after the first line of a block: the name up to the first colon, the value to its end
HEADER_LINE = re.compile(r"\r\n([^:\r\n]*):([^\r\n]*)")
CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*$", re.IGNORECASE | re.MULTILINE)
# what bytes.strip() keeps: a byte that is no ASCII whitespace
NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")


@dataclass
class Member:
    offset: int  # of its first byte in the file (compressed)
    end: int  # offset of what follows it
    data: bytes = b""  # the record(s), uncompressed
    error: str | None = None  # set: the bytes from offset to end could not be read


@dataclass
class WarcRecord:
    offset: int  # of the member that holds it
    end: int
    warc_type: str
    url: str
    date: str
    http_status: int | None = None
    content_type: str = ""
    body: bytes = b""  # the HTTP payload, transfer- and content-decoded


class GzipSplitter:
    """Compressed bytes in, whole gzip members (and the damage found between them) out, in order."""

    # bytes given to the decompressor at a time: its unused tail is copied at each member's end, so a
    # step much longer than a member (2 to 20 kB compressed, typically) costs a copy per member
    STEP = 16 * 1024

    def __init__(self, start: int = 0, max_member_bytes: int = DEFAULT_MAX_MEMBER) -> None:
        self.buffer = bytearray()
        self.pos = 0  # buffer[pos:] is what is not consumed yet; compacted now and then, not per member
        self.base = start  # file offset of buffer[pos]
        self.max_member_bytes = max_member_bytes
        self.damage: tuple[int, str] | None = None
        self._reset()

    def _reset(self) -> None:
        self._decompressor = isal_zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._fed = 0  # bytes of buffer[pos:] given to the decompressor
        self._out: list[bytes] = []
        self._size = 0

    def _pending(self) -> int:
        return len(self.buffer) - self.pos

    def feed(self, data: bytes) -> Iterator[Member]:
        if self.pos > len(self.buffer) // 2:
            del self.buffer[: self.pos]
            self.pos = 0
        self.buffer += data
        yield from self._members(final=False)

    def close(self) -> Iterator[Member]:
        yield from self._members(final=True)
        if self._pending() and self.damage is None:
            self.damage = (self.base, "truncated: the file ends inside a gzip member")
        self._advance(self._pending())
        yield from self._flush_damage()

    def _members(self, *, final: bool) -> Iterator[Member]:
        view = memoryview(self.buffer)
        try:
            while self._pending():
                if self._fed == 0 and not self.buffer.startswith(GZIP_MAGIC, self.pos):
                    if self._pending() < 3 and not final:
                        return
                    if not self._resync("not a gzip member", final):
                        return
                    continue
                start = self.pos + self._fed
                piece = view[start : start + self.STEP]
                if not piece:
                    return  # the member goes on in bytes not yet received
                try:
                    chunk = self._decompressor.decompress(piece)
                except INFLATE_ERRORS as exc:
                    if not self._resync(f"corrupt gzip member: {exc}", final):
                        return
                    continue
                self._fed += len(piece)
                self._size += len(chunk)
                if self._size <= self.max_member_bytes:
                    self._out.append(chunk)
                else:
                    self._out = []
                if self._decompressor.eof:
                    used = self._fed - len(self._decompressor.unused_data)
                    too_big = self._size > self.max_member_bytes
                    data, member_start = b"".join(self._out), self.base
                    self._advance(used)
                    yield from self._flush_damage(member_start)
                    if too_big:
                        message = f"gzip member over {self.max_member_bytes} bytes: skipped"
                        yield Member(member_start, self.base, error=message)
                    else:
                        yield Member(member_start, self.base, data)
                    continue
                if self._fed > self.max_member_bytes and self._size > self.max_member_bytes:
                    # one whole-file gzip member, or garbage that inflates: give up on it, look further
                    if not self._resync(f"gzip member over {self.max_member_bytes} bytes", final):
                        return
                    continue
        finally:
            view.release()

    def _resync(self, reason: str, final: bool) -> bool:
        """Drop bytes up to the next gzip header after this one; False: none yet, wait for more."""
        if self.damage is None:
            self.damage = (self.base, reason)
        found = self.buffer.find(GZIP_MAGIC, self.pos + 1)
        if found < 0:
            # keep two bytes: a header may straddle this chunk and the next
            pending = self._pending()
            self._advance(pending if final else max(pending - 2, 0))
            return False
        self._advance(found - self.pos)
        return True

    def _flush_damage(self, end: int | None = None) -> Iterator[Member]:
        if self.damage is not None:
            start, reason = self.damage
            self.damage = None
            yield Member(start, self.base if end is None else end, error=reason)

    def _advance(self, count: int) -> None:
        self.pos += count
        self.base += count
        self._reset()


class PlainSplitter:
    """An uncompressed WARC cut at its record boundaries (WARC header block + Content-Length + CRLF CRLF)."""

    def __init__(self, start: int = 0, max_member_bytes: int = DEFAULT_MAX_MEMBER) -> None:
        self.buffer = bytearray()
        self.pos = 0  # buffer[pos:] is not consumed yet
        self.base = start  # file offset of buffer[pos]
        self.max_member_bytes = max_member_bytes
        self.skip_to: int | None = None  # file offset an oversized record ends at

    def feed(self, data: bytes) -> Iterator[Member]:
        if self.pos > len(self.buffer) // 2:
            del self.buffer[: self.pos]
            self.pos = 0
        self.buffer += data
        while len(self.buffer) > self.pos:
            if self.skip_to is not None:
                cut = min(self.skip_to - self.base, len(self.buffer) - self.pos)
                self._advance(cut)
                if self.base < self.skip_to:
                    return
                self.skip_to = None
                continue
            head_end = self.buffer.find(b"\r\n\r\n", self.pos)
            if head_end < 0:
                if len(self.buffer) - self.pos > 65536:  # no header is that long
                    yield from self._skip("not a WARC record header")
                    continue
                return
            match = CONTENT_LENGTH.search(bytes(self.buffer[self.pos : head_end]))
            if not self.buffer.startswith(b"WARC/", self.pos) or match is None:
                yield from self._skip("not a WARC record header")
                continue
            length = head_end + 4 + int(match.group(1)) + 4 - self.pos
            if length > self.max_member_bytes:
                start = self.base
                self.skip_to = start + length
                yield Member(start, self.skip_to, error=f"record over {self.max_member_bytes} bytes: skipped")
                continue
            if len(self.buffer) - self.pos < length:
                return
            start = self.base
            data = bytes(self.buffer[self.pos : self.pos + length])
            self._advance(length)
            yield Member(start, self.base, data)

    def _advance(self, count: int) -> None:
        self.pos += count
        self.base += count

    def _skip(self, reason: str) -> Iterator[Member]:
        start = self.base
        found = self.buffer.find(b"\r\nWARC/", self.pos + 1)
        self._advance(found + 2 - self.pos if found >= 0 else len(self.buffer) - self.pos)
        yield Member(start, self.base, error=reason)

    def close(self) -> Iterator[Member]:
        rest = len(self.buffer) - self.pos
        if self.skip_to is None and bytes(self.buffer[self.pos :]).strip():
            yield Member(self.base, self.base + rest, error="truncated: the file ends inside a record")
        self._advance(rest)


def parse_member(member: Member) -> Iterator[WarcRecord | Member]:
    """The records of one member (normally one), or the member back with what was wrong with it."""
    data, position = member.data, 0
    # searched for, not data[position:].strip(): that copied the rest of the member (a whole page) twice
    while NOT_SPACE.search(data, position):
        head_end = data.find(b"\r\n\r\n", position)
        match = CONTENT_LENGTH.search(data, position, head_end) if head_end >= 0 else None
        if not data.startswith(b"WARC/", position) or match is None:
            yield Member(member.offset, member.end, error="not a WARC record")
            return
        block_end = head_end + 4 + int(match.group(1))
        # the block is followed by exactly CRLF CRLF: anything else means its Content-Length is wrong
        if not data.startswith(b"\r\n\r\n", block_end):
            yield Member(member.offset, member.end, error="record length does not match its data")
            return
        try:
            yield _record(member, data, position, block_end)
        except Exception as exc:  # a body that does not decode (bad chunking, bad gzip) spoils only itself
            yield Member(member.offset, member.end, error=f"unreadable record: {type(exc).__name__}: {exc}")
            return
        position = block_end + 4


def _headers(block: bytes) -> dict[str, str]:
    """Header lines (after the first) as a dict, names lower-cased, the first of a repeated name kept."""
    found: dict[str, str] = {}
    for name, value in HEADER_LINE.findall(block.decode("latin-1")):
        found.setdefault(name.strip().lower(), value.strip())
    return found


def _record(member: Member, data: bytes, start: int, end: int) -> WarcRecord:
    """The record in ``data[start:end]``. The fast path parses a plain HTTP response itself, slicing
    out only the headers and the body; warcio decodes anything chunked or encoded."""
    head_end = data.find(b"\r\n\r\n", start, end)
    warc = _headers(data[start:head_end])
    warc_type = warc.get("warc-type", "")
    if warc_type != "response" or not warc.get("content-type", "").startswith("application/http"):
        return (
            _record_by_warcio(member, data[start:end])
            if warc_type == "revisit"
            else WarcRecord(
                member.offset, member.end, warc_type, warc.get("warc-target-uri", ""), warc.get("warc-date", "")
            )
        )
    http_start = head_end + 4
    http_end = data.find(b"\r\n\r\n", http_start, end)
    if http_end < 0:
        return _record_by_warcio(member, data[start:end])
    status_line = data[http_start : data.find(b"\r\n", http_start, http_end + 2)]
    http = _headers(data[http_start:http_end])
    if "transfer-encoding" in http or "content-encoding" in http or not status_line.startswith(b"HTTP/"):
        return _record_by_warcio(member, data[start:end])
    parts = status_line.split(None, 2)
    code = parts[1] if len(parts) > 1 else b""
    return WarcRecord(
        offset=member.offset,
        end=member.end,
        warc_type=warc_type,
        url=warc.get("warc-target-uri", ""),
        date=warc.get("warc-date", ""),
        http_status=int(code) if code.isdigit() else None,
        content_type=http.get("content-type", ""),
        body=data[http_end + 4 : end],
    )


def _record_by_warcio(member: Member, raw: bytes) -> WarcRecord:
    record = ArcWarcRecordLoader().parse_record_stream(BytesIO(raw), ensure_http_headers=False)
    headers, http = record.rec_headers, record.http_headers
    status, content_type, body = None, "", b""
    if record.rec_type in ("response", "revisit") and http is not None and http.statusline:
        code = http.get_statuscode()
        status = int(code) if code and code.isdigit() else None
        content_type = http.get_header("Content-Type") or ""
        if record.rec_type == "response":
            body = record.content_stream().read()
    return WarcRecord(
        offset=member.offset,
        end=member.end,
        warc_type=record.rec_type or "",
        url=headers.get_header("WARC-Target-URI") or "",
        date=headers.get_header("WARC-Date") or "",
        http_status=status,
        content_type=content_type,
        body=body,
    )


class WarcSplitter:
    """Gzip members or plain records, chosen by the input's first bytes once they have arrived."""

    def __init__(self, start: int = 0, max_member_bytes: int = DEFAULT_MAX_MEMBER) -> None:
        self.start, self.max_member_bytes = start, max_member_bytes
        self.head = b""
        self.inner: GzipSplitter | PlainSplitter | None = None

    def feed(self, data: bytes) -> Iterator[Member]:
        if self.inner is None:
            self.head += data
            if len(self.head) < len(b"WARC/"):
                return
            data, self.head = self.head, b""
            plain = data.startswith(b"WARC/")
            self.inner = (PlainSplitter if plain else GzipSplitter)(self.start, self.max_member_bytes)
        yield from self.inner.feed(data)

    def close(self) -> Iterator[Member]:
        if self.inner is None:
            self.inner = GzipSplitter(self.start, self.max_member_bytes)
            yield from self.inner.feed(self.head)
        yield from self.inner.close()
