"""The article body: trafilatura's main-content extraction, turned into ordered blocks.

This and nothing else in the project calls trafilatura.
"""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from crawler.items import Block

from .text import element_text

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def extract_blocks(tree: HtmlElement, url: str) -> list[Block]:
    """Main-content blocks in page order; [] when trafilatura finds no body.

    trafilatura copies the tree before cleaning it, so `tree` stays intact for the metadata readers.
    Comments stay out (reader comments are no article text), and so do tables: on the mock corpus's
    table-layout pages include_tables=True turns navigation, sidebars and footers into body text, while
    without it trafilatura still finds the paragraphs inside the layout cells. No `deduplicate`: its
    cache is process-wide and would make one page's result depend on the pages extracted before it.
    """
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    return [block for block in _blocks(body) if block.text]


def _blocks(container: _Element) -> Iterator[Block]:
    for element in container:
        tag = element.tag
        if not isinstance(tag, str) or tag == "graphic":
            continue
        if tag == "head":
            rend = (element.get("rend") or "h2").lower()
            yield Block(element_text(element), rend if rend in _HEADINGS else "h2")
        elif tag == "list":
            yield from _list_items(element)
        elif tag == "quote":
            yield from _quote(element)
        elif tag == "table":
            yield from _table(element)
        elif tag in ("div", "section", "article", "main"):
            yield from _blocks(element)
        else:  # p, code, and stray inline elements
            yield Block(element_text(element), "p")


def _list_items(list_element: _Element) -> Iterator[Block]:
    for item in list_element:
        if item.tag != "item":
            continue
        nested = [child for child in item if child.tag == "list"]
        yield Block(element_text(item, skip=nested), "li")
        for child in nested:
            yield from _list_items(child)


def _quote(quote: _Element) -> Iterator[Block]:
    paragraphs = [child for child in quote if child.tag in ("p", "head", "list", "quote")]
    if not paragraphs:
        yield Block(element_text(quote), "quote")
        return
    for block in _blocks(quote):
        yield Block(block.text, "quote")


def _table(table: _Element) -> Iterator[Block]:
    """A data row becomes one line with its cells separated by " | "; a layout cell keeps its paragraphs."""
    for row in table.iter("row"):
        cells = [cell for cell in row if cell.tag == "cell"]
        if any(child.tag in ("p", "head", "list", "quote") for cell in cells for child in cell):
            for cell in cells:
                yield from _blocks(cell)
        else:
            texts = [text for cell in cells if (text := element_text(cell))]
            if texts:
                yield Block(" | ".join(texts), "p")
