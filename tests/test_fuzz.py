"""Fuzzing the pure parsers outside discovery: seeds, dates, credits, extraction, decoding, gunzip.

Each may refuse its input, but only with its own error. Seeded and a few seconds each in the normal
suite; set INGEST_FUZZ_EXAMPLES=N for N random (not derandomized) examples per test, e.g.
``INGEST_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py``. The discovery parsers
have their own fuzz tests in tests/discovery/test_fuzz.py.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.compression import DecompressedTooLarge, gunzip_capped
from crawler.dates import parse_date_text
from crawler.extraction import ExtractionError, extract_article, split_credit
from crawler.items import Hints
from crawler.pages import decode_page as decode_html
from crawler.seeds import SeedsError, load_seeds

EXAMPLES = int(os.environ.get("INGEST_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    """`examples` seeded examples; INGEST_FUZZ_EXAMPLES random ones instead when set."""
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        derandomize=not EXAMPLES,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ROOT = Path(__file__).resolve().parent
PAGES = tuple(
    path.read_bytes()
    for path in sorted((*ROOT.glob("sites/*/articles/*.html"), *ROOT.glob("sites/original/**/*.html")))
)[:6]


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    """A real document with a few bytes deleted, inserted or overwritten, or cut short."""
    body = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=len(body)))
        chunk = draw(st.binary(min_size=1, max_size=6) | st.sampled_from([b"<", b">", b"&", b"</", b'"', b"\x00"]))
        action = draw(st.sampled_from(("delete", "insert", "overwrite", "truncate")))
        if action == "delete":
            del body[position : position + len(chunk)]
        elif action == "insert":
            body[position:position] = chunk
        elif action == "overwrite":
            body[position : position + len(chunk)] = chunk
        else:
            del body[position:]
    return bytes(body)


# --- seeds -------------------------------------------------------------------------------------

SEED_TOKENS = (
    "[[source]]", "[source]", "[[source.x]]", "\n", 'name = "a"', 'name = "b"', "name = 1", 'name = ""', "name = [",
    'feeds = ["https://a.example/feed.xml"]', 'feeds = "http://b.example/rss"', "feeds = []", "feeds = [1, 2]",
    'feeds = ["ftp://x/y"]', 'feeds = ["http://[::1"]', 'feeds = ["http://a:99999999/"]', 'feeds = ["http://"]',
    'sitemaps = ["https://a.example/sitemap.xml"]', "sitemaps = {}", 'language = "de"', 'language = ""',
    "language = true", 'timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus"', 'timezone = "../../etc/passwd"',
    'timezone = "' + "a" * 300 + '"', 'timezone = "UTC\\u0000"', "timezone = 5", 'allowed_domains = ["a.example"]',
    'allowed_domains = [""]', "allowed_domains = 3", "unknown = 1", "x = { y = 1 }", "= broken", '"""', "'",
    "\ufeff", "é", "\x00", "# comment", "1979-05-27T07:32:00Z", "nan", "inf",
)  # fmt: skip

toml_values = st.recursive(
    st.none().map(lambda _: '""')
    | st.text(max_size=30).map(lambda text: json.dumps(text))
    | st.integers().map(str)
    | st.booleans().map(lambda value: str(value).lower())
    | st.sampled_from(['"https://a.example/feed"', '"http://[::1]:8080/x"', '"Europe/Berlin"', '"de"']),
    lambda children: st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    max_leaves=8,
)
seed_keys = st.sampled_from(("name", "feeds", "sitemaps", "language", "allowed_domains", "timezone")) | st.text(
    "abcxyz_", min_size=1, max_size=6
)


@st.composite
def seeds_documents(draw: st.DrawFn) -> str:
    """Well-formed TOML of [[source]] tables with known and unknown keys holding any kind of value."""
    tables = []
    for _ in range(draw(st.integers(0, 3))):
        keys = draw(st.dictionaries(seed_keys, toml_values, max_size=6))
        tables.append("[[source]]\n" + "".join(f"{json.dumps(key)} = {value}\n" for key, value in keys.items()))
    return "\n".join(tables)


seeds_text = (
    st.text(max_size=300)
    | st.lists(st.sampled_from(SEED_TOKENS) | st.text(max_size=6), max_size=30).map(" ".join)
    | st.lists(st.sampled_from(SEED_TOKENS), max_size=20).map("\n".join)
    | seeds_documents()
)


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-seeds")


@fuzz(500)
@given(text=seeds_text, binary=st.booleans())
def test_seeds_raise_only_seeds_errors(seeds_dir: Path, text: str, binary: bool) -> None:
    path = seeds_dir / "fuzz.toml"
    if binary:
        path.write_bytes(text.encode("utf-16"))  # not UTF-8 at all
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        sources = load_seeds(path)
    except SeedsError as error:
        assert str(path) in str(error)
        return
    for source in sources:
        assert source.name and (source.feeds or source.sitemaps)
        assert all(url.startswith(("http://", "https://")) for url in (*source.feeds, *source.sitemaps))
        if source.timezone:
            ZoneInfo(source.timezone)


# --- dates and credits -------------------------------------------------------------------------

DATE_TOKENS = (
    "15.09.2023", "15. September 2023", "2023-09-15T10:12:00+02:00", "September 15, 2023", "15 sept. 2023",
    "10:12 Uhr", "10h12", "vor 2 Stunden", "hace 2 horas", "il y a 3 jours", "2 hours ago", "gestern", "yesterday",
    "Publié le vendredi 15 septembre 2023 à 10h12", "Aktualisiert:", "31.02.2023", "00.00.0000", "99/99/9999",
    "9999-12-31T23:59:59", "0001-01-01", "1970-01-01", "2099-06-01", "29 février 2023", "vor 99999999999 Tagen",
    "12:60", "25:00", "+99:99", "UTC", "CEST", "GMT+14", " ", "\u00a0", "\u200b", "-", "/", ".", ",", "年", "月",
)  # fmt: skip
date_texts = st.text(max_size=80) | st.lists(st.sampled_from(DATE_TOKENS) | st.text(max_size=5), max_size=12).map(
    " ".join
)
languages = st.sampled_from((None, "de", "en", "fr", "es", "it", "nl", "xx", ""))
zones = st.sampled_from(
    (None, UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("Pacific/Kiritimati"), timezone(timedelta(hours=-12)))
)
moments = st.none() | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@fuzz(800)
@given(text=date_texts, language=languages, now=moments, tz=zones)
def test_date_text_never_raises(text: str, language: str | None, now: datetime | None, tz: timezone | None) -> None:
    parsed = parse_date_text(text, language, now=now, tz=tz)
    assert parsed is None or parsed.utcoffset() == timedelta(0)


def test_huge_relative_dates_are_ignored() -> None:
    now = datetime(2024, 3, 1, tzinfo=UTC)
    for text in ("vor 1000000 Tagen", "hace 99999999 días", "il y a 1000000000 jours", "5000000 years ago"):
        parsed = parse_date_text(text, None, now=now)
        assert parsed is None or parsed.year >= 1


@pytest.mark.parametrize("charset", ["base64", "rot13", "undefined", "idna"])
def test_page_bytes_declaring_a_non_text_codec(charset: str) -> None:
    page = f"<html><head><meta charset='{charset}'><title>A title</title></head><body><p>{'Words. ' * 40}</p>"
    try:
        extract_article(page.encode(), "https://fuzz.example/a")
    except ExtractionError:
        pass


CREDIT_TOKENS = (
    "Foto:", "Photo:", "Bild:", "©", "(c)", "(C)", "Copyright", "AFP", "dpa", "Reuters", "/", "|", "–", "—", ":",
    "Getty Images", "[", "]", "(", ")", "Photo: AP Photo/Jane Doe", "Kim in Moskau", " ", "\n", "\u00a0",
)  # fmt: skip


@fuzz(800)
@given(
    st.text(max_size=120) | st.lists(st.sampled_from(CREDIT_TOKENS) | st.text(max_size=8), max_size=14).map(" ".join)
)
def test_credit_split_never_raises(text: str) -> None:
    caption, credit = split_credit(text)
    assert isinstance(caption, str)
    assert credit is None or credit == credit.strip() != ""


# --- extraction --------------------------------------------------------------------------------

HTML_TOKENS = (
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<title>", "</title>", "<h1>", "</h1>", "<p>", "</p>",
    "<article>", "</article>", "<figure>", "<figcaption>", "</figcaption>", "</figure>", "<img src='/a.jpg'>",
    "<img srcset=', , 2x'>", "<time datetime='2023-09-15T10:12:00+02:00'>", "<time datetime='garbage'>", "</time>",
    '<script type="application/ld+json">', "</script>", '{"@type": "NewsArticle", "headline": "H", "datePublished": "',
    '{"@graph": [{"@type": ["NewsArticle"], "author": {"name": null}}]}', '{"@type":', "[[[[", "]]]]", '"}',
    "<meta property='article:published_time' content='2099-01-01'>", "<meta charset='utf-16'>", "<meta charset='base64'>", "<meta charset='idna'>",
    "<meta name='author' content='Jane Doe'>", "<link rel='canonical' href='http://[::1'>", "<base href='javascript:x'>",
    "<link rel='canonical' href='//evil.example/x'>", "<span class='credit'>Foto: dpa</span>", "<p class='byline'>By ",
    "<table><tr><td>", "</td></tr></table>", "<div>" * 5, "</div>" * 5, "<![CDATA[", "]]>", "<!--", "-->", "<?xml ?>",
    "<svg><foreignObject>", "&nbsp;", "&#0;", "&#x110000;", "&bogus;", "\x00", "\ufeff", "\u2028", "é", "Ä",
    "Der Kreml bestätigte außerdem, dass Putin kommt. ", "The council voted nine to four on Tuesday evening. ",
)  # fmt: skip
html_soup = st.lists(st.sampled_from(HTML_TOKENS) | st.text(max_size=10), max_size=80).map("".join)
pages = html_soup | st.text(max_size=500) | st.binary(max_size=500) | mutated(PAGES)
hints = st.builds(
    Hints,
    source=st.sampled_from(("", "fuzz")),
    title=st.none() | st.text(max_size=30),
    published_at=st.none() | st.datetimes(timezones=st.just(UTC)),
    language=languages,
)


@fuzz(400)
@given(page=pages, hint=hints, fetched=moments, tz=zones)
def test_extraction_raises_only_extraction_errors(
    page: str | bytes, hint: Hints, fetched: datetime | None, tz: timezone | None
) -> None:
    try:
        article = extract_article(page, "https://fuzz.example/a/b.html", hint, fetched_at=fetched, default_timezone=tz)
    except ExtractionError:
        return
    assert article.title or article.blocks
    assert all(block.text and block.text == block.text.strip() for block in article.blocks)
    for value in (article.published_at, article.modified_at):
        assert value is None or datetime.fromisoformat(value).utcoffset() == timedelta(0)


# --- decoding and decompression ----------------------------------------------------------------

LABELS = st.none() | st.sampled_from(
    ("utf-8", "UTF8", "iso-8859-1", "latin1", "windows-1252", "cp1252", "utf-16", "utf-16le", "utf-32", "utf-7",
     "shift_jis", "gb18030", "koi8-r", "x-user-defined", "unicode-1-1-utf-7", "bogus", "", " ", "../../etc", "a" * 300,
     "utf-8\x00", "ISO-2022-JP", "hz-gb-2312", "base64", "rot13", "zlib", "uu")
)  # fmt: skip
bodies = (
    st.binary(max_size=600)
    | st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass"))
    | st.text(max_size=200).map(lambda text: text.encode("utf-16"))
    | st.tuples(st.sampled_from((b"<meta charset='", b"<?xml version='1.0' encoding='")), LABELS.map(lambda label: (label or "").encode("utf-8", "replace")), st.binary(max_size=200)).map(lambda parts: parts[0] + parts[1] + b"'>" + parts[2])
    | mutated(PAGES)
)  # fmt: skip


@fuzz(1000)
@given(body=bodies, header=LABELS)
def test_decoding_always_gives_text(body: bytes, header: str | None) -> None:
    text, encoding = decode_html(body, header)
    assert isinstance(text, str)
    assert encoding
    if body.isascii() and b"\x00" not in body and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert text == body.decode("ascii") or encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


@st.composite
def gzip_streams(draw: st.DrawFn) -> bytes:
    """Valid, truncated, corrupted and concatenated gzip members, and plain noise."""
    payload = draw(st.binary(max_size=3000) | st.integers(0, 200_000).map(lambda size: b"a" * size))
    stream = gzip.compress(payload, compresslevel=draw(st.integers(0, 9)), mtime=0)
    shape = draw(st.sampled_from(("whole", "truncated", "corrupted", "twice", "trailing", "raw-deflate", "noise")))
    if shape == "truncated":
        stream = stream[: draw(st.integers(0, len(stream)))]
    elif shape == "corrupted":
        position = draw(st.integers(0, len(stream) - 1))
        stream = stream[:position] + bytes([stream[position] ^ draw(st.integers(1, 255))]) + stream[position + 1 :]
    elif shape == "twice":
        stream += stream
    elif shape == "trailing":
        stream += draw(st.binary(min_size=1, max_size=20))
    elif shape == "raw-deflate":
        stream = zlib.compress(payload)
    elif shape == "noise":
        stream = b"\x1f\x8b" + draw(st.binary(max_size=200))
    return stream


@fuzz(600)
@given(data=gzip_streams(), cap=st.sampled_from((0, 1, 100, 4096, 65_536, 1_000_000)))
def test_gunzip_raises_only_value_errors_and_keeps_to_its_cap(data: bytes, cap: int) -> None:
    try:
        result = gunzip_capped(data, cap)
    except DecompressedTooLarge:
        return
    except ValueError as error:
        assert "gzip" in str(error)
        return
    assert not cap or len(result) <= cap
    try:
        whole = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    except zlib.error:
        return
    assert whole.startswith(result) or result.startswith(whole)
