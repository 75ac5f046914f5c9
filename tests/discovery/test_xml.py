from __future__ import annotations

import pytest

from crawler.discovery.autodiscovery import html_tree as parse_html
from crawler.discovery.text import element_text
from crawler.discovery.xml import XMLParseError, parse_xml


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"\n \t", "empty body"),
        (b"no markup here", "not XML"),
        (b"\x1f\x8b\x08\x00rest", "gzip"),
    ],
)
def test_parse_xml_refuses(body: bytes, reason: str) -> None:
    with pytest.raises(XMLParseError, match=reason):
        parse_xml(body)


def test_parse_xml_error_is_a_value_error() -> None:
    assert issubclass(XMLParseError, ValueError)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<t>a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;</t>", "a & b < c > d \"e\" 'f'"),
        (b"<t>&#38; &#x26; &#233;</t>", "& & é"),
        (b"<t>caf&eacute; &mdash; &hellip;</t>", "café — …"),
        (b"<t>a & b &c d</t>", "a & b &c d"),  # bare ampersands are kept, not swallowed
        (b"<t>&undefined; gone</t>", "gone"),
        (b"<t><![CDATA[&amp; & <b>]]></t>", "&amp; & <b>"),  # CDATA is literal
        (b"<t><x>broken</t><u>&amp; kept</u>", "broken& kept"),  # an error earlier in the document
    ],
)
def test_references(body: bytes, expected: str) -> None:
    assert element_text(parse_xml(body)) == expected


def test_attribute_references() -> None:
    root = parse_xml(b'<t><broken></t><a href="/x?a=1&amp;b=2&c=3&nbsp;"/>')

    assert root.find(".//a").get("href") == "/x?a=1&b=2&c=3\xa0"


@pytest.mark.parametrize("html", [b"", "  ", b"\n"])
def test_parse_html_empty(html: bytes | str) -> None:
    assert parse_html(html) is None
