from __future__ import annotations

import pytest

from crawler.discovery.text import MAX_TEXT, clean_title, element_text
from crawler.discovery.xml import parse_xml


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Plain\n\t title  ", "Plain title"),
        ("<b>Bold</b> and <a href='x'>linked</a>", "Bold and linked"),
        ("Fish &amp; chips &mdash; &#8220;quoted&#8221;", "Fish & chips — “quoted”"),
        ("a < b and c > d", "a < b and c > d"),  # not tags
        ("<!-- hidden -->Shown", "Shown"),
        ("<br/>", None),
        ("", None),
    ],
)
def test_clean_title(raw: str, expected: str | None) -> None:
    assert clean_title(raw) == expected


def test_element_text_maps_html_entities_and_drops_unknown_ones() -> None:
    root = parse_xml(b"<t>caf&eacute;&nbsp;au &unknown;lait <i>chaud</i> &amp; &#233;</t>")

    assert element_text(root) == "café\xa0au lait chaud & é"


def test_element_text_is_bounded() -> None:
    root = parse_xml(b"<t>" + b"<x>abcdefgh</x>" * (MAX_TEXT // 4) + b"</t>")

    assert len(element_text(root)) == MAX_TEXT
