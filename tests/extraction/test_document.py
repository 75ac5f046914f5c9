"""The parsed page: decoding and parsing (charsets, what counts as no HTML at all) and JSON-LD reading."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from crawler.extraction import ExtractionError, extract_article
from crawler.extraction.document import MAX_SCRIPT_CHARS, read_jsonld
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


def test_graph_with_references() -> None:
    script = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "@id": "#site", "name": "Courier"},
                {"@type": "Organization", "@id": "#org", "name": "The Courier"},
                {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
                {
                    "@type": ["ReportageNewsArticle"],
                    "headline": "Headline",
                    "author": [{"@id": "#jane"}, {"@type": "Person", "givenName": "John", "familyName": "Roe"}],
                    "publisher": {"@id": "#org"},
                    "datePublished": "2023-09-15T10:12:00+02:00",
                    "dateModified": "2023-09-15T12:00:00+02:00",
                    "inLanguage": {"@type": "Language", "alternateName": "de"},
                    "description": "Kim &amp; Putin",
                },
            ],
        }
    )
    facts = read_jsonld([script])
    assert facts.headline == "Headline"
    assert facts.authors == ["Jane Doe", "John Roe"]
    assert facts.publisher == "The Courier"
    assert facts.date_published == "2023-09-15T10:12:00+02:00"
    assert facts.date_modified == "2023-09-15T12:00:00+02:00"
    assert facts.language == "de"
    assert facts.description == "Kim & Putin"


def test_article_types_win_over_web_pages() -> None:
    page = {"@type": "WebPage", "datePublished": "2020-01-01", "name": "Page"}
    article = {"@type": "http://schema.org/BlogPosting", "headline": "Post", "datePublished": "2023-09-15"}
    facts = read_jsonld([json.dumps(page), json.dumps([article])])
    assert (facts.headline, facts.date_published) == ("Post", "2023-09-15")


def test_web_page_when_there_is_no_article() -> None:
    facts = read_jsonld([json.dumps({"@type": "WebPage", "name": "Page", "datePublished": "2023-09-15"})])
    assert (facts.headline, facts.date_published) == ("Page", "2023-09-15")


def test_article_nested_as_main_entity() -> None:
    script = json.dumps({"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Inside"}})
    assert read_jsonld([script]).headline == "Inside"


def test_malformed_scripts_are_skipped() -> None:
    broken = '{"@type": "NewsArticle", "headline": "Broken",}'
    truncated = '{"@type": "NewsArticle", "headline": "Trunc'
    good = '{"@type": "NewsArticle", "headline": "Good", "author": "Tom Whitaker"}'
    facts = read_jsonld([broken, truncated, "", "null", "42", good])
    assert facts.headline == "Good"
    assert facts.authors == ["Tom Whitaker"]


def test_html_comment_and_cdata_wrappers() -> None:
    assert read_jsonld(['<!--\n{"@type": "Article", "headline": "A"}\n-->']).headline == "A"
    assert read_jsonld(['//<![CDATA[\n{"@type": "Article", "headline": "B"}\n//]]>']).headline == "B"


def test_control_characters_inside_strings() -> None:
    assert read_jsonld(['{"@type": "Article", "headline": "Line\nbreak"}']).headline == "Line break"


def test_oversized_script_is_skipped() -> None:
    huge = json.dumps({"@type": "Article", "headline": "Huge", "articleBody": "x" * MAX_SCRIPT_CHARS})
    assert read_jsonld([huge]).headline is None


def test_deeply_nested_lists_do_not_recurse_forever() -> None:
    script = "[" * 500 + '{"@type": "Article", "headline": "Deep"}' + "]" * 500
    assert read_jsonld([script]).headline is None


def test_author_urls_are_no_names() -> None:
    script = json.dumps({"@type": "Article", "author": ["https://example.com/jane", {"name": "Jane Doe"}]})
    assert read_jsonld([script]).authors == ["Jane Doe"]


def test_nothing() -> None:
    facts = read_jsonld([])
    assert facts.headline is None and facts.authors == []
