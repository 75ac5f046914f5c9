"""The parsed page: decoding and parsing (charsets, what counts as no HTML at all) and JSON-LD reading."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from crawler.extraction import ExtractionError, extract_article
from crawler.pages import declared_encoding, parse_html
from crawler.pages import page_text as decode_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
PAGE = "<html><head>{head}<title>Größe</title></head><body><p>Straße, Café, “quoted”</p></body></html>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PAGE.format(head='<meta charset="utf-8">').encode("utf-8"), "Straße, Café, “quoted”"),
        (PAGE.format(head='<meta charset="windows-1252">').encode("cp1252"), "Straße, Café, “quoted”"),
        # latin-1 labels mean windows-1252, whose curly quotes latin-1 lacks
        (PAGE.format(head="<meta charset='ISO-8859-1'>").encode("cp1252"), "Straße, Café, “quoted”"),
        (
            PAGE.format(head='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">')
            .replace("“quoted”", "€")
            .encode("iso-8859-15"),
            "Straße, Café, €",
        ),
        # no declaration: UTF-8 if it decodes, else windows-1252
        (PAGE.format(head="").encode("utf-8"), "Straße, Café, “quoted”"),
        (PAGE.format(head="").encode("cp1252"), "Straße, Café, “quoted”"),
        # declared latin-1 but really UTF-8, a common server mistake
        (PAGE.format(head='<meta charset="iso-8859-1">').encode("utf-8"), "Straße, Café, “quoted”"),
        # a byte-order mark wins over everything
        (codecs.BOM_UTF8 + PAGE.format(head='<meta charset="windows-1252">').encode("utf-8"), "Straße, Café, “quoted”"),
        (PAGE.format(head="").encode("utf-16"), "Straße, Café, “quoted”"),
        # an unknown label falls back
        (PAGE.format(head='<meta charset="x-no-such-charset">').encode("utf-8"), "Straße, Café, “quoted”"),
    ],
)
def test_decoding(data: bytes, expected: str) -> None:
    tree = parse_html(data)
    assert tree.findtext(".//p") == expected


def test_declared_encoding() -> None:
    assert declared_encoding(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_encoding(b'<meta http-equiv="content-type" content="text/html; charset=Shift_JIS">') == "shift_jis"
    assert declared_encoding(b'<?xml version="1.0" encoding="ISO-8859-1"?><html>') == "cp1252"
    assert declared_encoding(b"<html><head>") is None


def test_xml_declaration_in_text_input() -> None:
    tree = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>Hallo</p></body></html>')
    assert tree.findtext(".//p") == "Hallo"


def test_decode_html_replaces_undecodable_bytes() -> None:
    assert decode_html(b'<meta charset="utf-8"><p>\xff\xfe ok</p>').endswith("ok</p>")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\t ", "empty document"),
        ("", "empty document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (bytes(range(32)) * 64, "binary"),
        (b"Just some plain text, no markup at all.", "no markup"),
        (b'{"title": "JSON is not HTML"}', "no markup"),
    ],
)
def test_not_html(data: bytes | str, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_article(data, "https://example.com/a")


def test_not_html_fixture() -> None:
    with pytest.raises(ExtractionError, match="not HTML"):
        extract_article((FIXTURES / "not-html.bin").read_bytes(), "https://example.com/image")


@pytest.mark.parametrize(
    "html",
    [
        "<html><head></head><body></body></html>",
        "<html><body><div><span> </span></div></body></html>",
        "<html><head><script>var x = 1;</script></head><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_nothing_extractable(html: str) -> None:
    with pytest.raises(ExtractionError, match="neither a title nor body text"):
        extract_article(html, "https://example.com/a")


def test_title_alone_is_enough() -> None:
    article = extract_article("<html><head><title>Only a title</title></head><body></body></html>", "https://e.com/a")
    assert article.title == "Only a title"
    assert article.blocks == []


def test_extraction_error_is_a_value_error() -> None:
    assert issubclass(ExtractionError, ValueError)
