"""One decoder for every way a page comes in: the spider's (with the HTTP header) and raw bytes
(`scrapy reextract`, `scrapy extract`) must give the same text and the same article."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extraction import extract_article
from crawler.pages import ExtractionError, decode_page, parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
URL = "https://news.example.jp/2023/09/15/station"
JAPANESE = "東京都内で十五日、新しい地下鉄の駅が開業した。"


@pytest.fixture
def shift_jis_label() -> bytes:
    return (FIXTURES / "utf8-declares-shift-jis.html").read_bytes()


@pytest.mark.parametrize("header", [None, "text/html", "text/html; charset=shift_jis", "text/html; charset=utf-8"])
def test_utf8_declaring_shift_jis_decodes_as_utf8(shift_jis_label: bytes, header: str | None) -> None:
    text, encoding = decode_page(shift_jis_label, header)
    assert encoding == "utf-8"
    assert text == shift_jis_label.decode("utf-8")


@pytest.mark.parametrize("header", [None, "text/html; charset=shift_jis"])
def test_spider_path_and_bytes_path_give_the_same_article(shift_jis_label: bytes, header: str | None) -> None:
    text, _ = decode_page(shift_jis_label, header)  # the spider: decode with the header, extract the text
    from_spider = extract_article(text, URL)
    from_bytes = extract_article(shift_jis_label, URL, content_type=header)  # reextract: the stored bytes
    assert from_spider == from_bytes
    assert any(JAPANESE in block.text for block in from_bytes.blocks)
    assert from_bytes.title is not None and "東京" in from_bytes.title


def test_parse_html_bytes_and_text_agree(shift_jis_label: bytes) -> None:
    text, _ = decode_page(shift_jis_label)
    assert parse_html(shift_jis_label).findtext(".//h1") == parse_html(text).findtext(".//h1") == "東京で新しい駅が開業"


def test_header_value_or_bare_charset() -> None:
    body = "<p>Straße</p>".encode("cp1252")
    assert decode_page(body, "text/html; charset=windows-1252") == decode_page(body, "windows-1252")
    assert decode_page(body, "text/html; charset=base64") == ("<p>Straße</p>", "cp1252")


def test_valid_utf8_wins_over_any_label() -> None:
    body = "<meta charset='iso-8859-1'><p>Straße “quoted”</p>".encode()
    assert decode_page(body, "text/html; charset=iso-8859-1") == (body.decode(), "utf-8")


def test_a_wide_charset_declared_in_ascii_bytes_means_utf8() -> None:
    assert decode_page(b"<meta charset='utf-16'><p>ok</p>") == ("<meta charset='utf-16'><p>ok</p>", "utf-8")


def test_latin1_header_means_windows_1252() -> None:
    body = "<p>“quoted”</p>".encode("cp1252")
    assert decode_page(body, "text/html; charset=ISO-8859-1") == ("<p>“quoted”</p>", "cp1252")


@pytest.mark.parametrize(
    ("body", "what"),
    [(b"%PDF-1.4\n", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\x1f\x8b\x08\x00", "gzip"), (b"PK\x03\x04", "ZIP")],
)
def test_binary_bytes_are_refused_with_their_file_type(body: bytes, what: str) -> None:
    assert isinstance(decode_page(body, "text/html")[0], str)  # decoding alone never refuses
    with pytest.raises(ExtractionError, match=rf"not HTML: .*{what}"):
        parse_html(body, "text/html")
