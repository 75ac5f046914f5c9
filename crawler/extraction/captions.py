"""Image captions from figure markup, with credits split off and image URLs made absolute."""

from __future__ import annotations

import re
from itertools import islice

from lxml.html import HtmlElement

from crawler.items import Caption

from .credits import split_credit
from .page import PageIndex
from .text import element_text, normalize_space, text_key

# class tokens of the element holding a caption's text
_CAPTION_TEXT_CLASS = re.compile(
    r"^(?:wp-caption-text|wp-element-caption|caption|caption-text|figure-caption|figcaption"
    r"|[a-z0-9_-]*(?:image|img|photo|picture|figure|media|gallery)[-_]{1,2}caption(?:[-_]{1,2}text)?"
    r"|[a-z]+caption)$"  # "targetCaption", "photoCaption"
)
_CREDIT_CLASS = re.compile(r"(?:^|[-_])(?:credits?|copyright|photo-?credit|image-?credit|attribution)(?:$|[-_])")
_IMAGE_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-full-url", "data-lazy", "src")
_SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset")
_SRCSET_ENTRY = re.compile(r"\s*(\S+?),?(?:\s+(\d+(?:\.\d+)?)[wxh])?\s*(?:,|$)")
_MAX_CAPTION_CHARS = 1000
# words of the image viewer printed inside the caption element: "Enlarge / Kim in Moskau"
_VIEWER_LABELS = re.compile(
    r"^(?:enlarge|zoom|expand|click\s+to\s+enlarge|view\s+(?:full\s+size|larger|gallery))\s*[/|:·•-]?\s*"
    r"|\s*[/|·•-]?\s*(?:enlarge|view\s+full\s+size|view\s+larger(?:\s+image)?|read\s+more|more\s*»?)$",
    re.IGNORECASE,
)
# a teaser's headline cut short, not a caption
_TRUNCATED = ("...", "…")
# a credit printed beside the caption rather than inside it: how many siblings to look through
_MAX_CAPTION_SIBLINGS = 6


def extract_captions(page: PageIndex) -> list[Caption]:
    """Captions in page order, the first of identical ones (by normalised text) kept."""
    found: list[tuple[HtmlElement, Caption]] = []
    used: set[HtmlElement] = set()
    standalone = False
    for container in page.figures:
        caption_element = _caption_element(container)
        if caption_element is None or caption_element in used:
            continue
        used.update((container, caption_element))
        caption = _caption(page, caption_element, container)
        if caption is not None:
            found.append((container, caption))
    for element in page.caption_like:
        if element in used or not _is_caption_text(element):
            continue
        if any(ancestor in used for ancestor in element.iterancestors()):
            continue
        used.add(element)
        caption = _caption(page, element, None)
        if caption is not None:
            found.append((element, caption))
            standalone = True
    if len(found) > 1 and (standalone or page.mixed_order):
        # figures and caption-classed elements come from two passes: restore page order
        order = page.page_order([element for element, _ in found])
        found.sort(key=lambda pair: order.get(pair[0], 0))
    seen: set[str] = set()
    unique: list[Caption] = []
    for _, caption in found:
        key = text_key(caption.text)
        if key not in seen:
            seen.add(key)
            unique.append(caption)
    return unique


def _caption_element(container: HtmlElement) -> HtmlElement | None:
    for element in container.iterdescendants():
        if element.tag == "figcaption" or _is_caption_text(element):
            return element
    return None


def _is_caption_text(element: HtmlElement) -> bool:
    if element.tag == "figcaption":
        return True
    classes = (element.get("class") or "").lower().split()
    return any(_CAPTION_TEXT_CLASS.match(token) for token in classes) and not _is_credit(element)


def _is_credit(element: HtmlElement) -> bool:
    classes = (element.get("class") or "").lower().split()
    return any(_CREDIT_CLASS.search(token) for token in classes)


def _caption(page: PageIndex, element: HtmlElement, container: HtmlElement | None) -> Caption | None:
    """`container` is the figure around the caption, None for a bare caption element."""
    scope = container if container is not None else element
    credits = [node for node in scope.iterdescendants() if isinstance(node.tag, str) and _is_credit(node)]
    if not credits and container is None:
        credits = _credits_beside(element)
    # only the outermost credit elements: a credit span may wrap a "©" span of its own
    credits = [node for node in credits if not any(a in credits for a in node.iterancestors())]
    inner_credits = [node for node in credits if node is element or element in node.iterancestors()]
    text = element_text(element, skip=inner_credits)
    credit_text = normalize_space(" ".join(element_text(node) for node in credits)) or None
    if credit_text:
        # a credit element may repeat a credit that is also glued to the text
        text, glued = split_credit(text)
        credit_text = credit_text.strip("()[] ") or glued
    else:
        text, credit_text = split_credit(text)
    text = _VIEWER_LABELS.sub("", text)
    if not text or len(text) > _MAX_CAPTION_CHARS or text.endswith(_TRUNCATED):
        return None  # nothing, a page's worth, or a teaser's headline cut short
    image_url = _image_url(page, element, container)
    if image_url is None and container is None and (text.isupper() or " " not in text):
        return None  # a label or box heading styled as a caption ("Notifications", "TOP LINKS ON THIS TOPIC")
    return Caption(text=text, credit=credit_text, image_url=image_url)


def _credits_beside(element: HtmlElement) -> list[HtmlElement]:
    """Credit elements (and <cite>) among the caption's siblings: "<p class=caption>…</p><span
    class=credit>…</span>"; not in a large container, where they would belong to other images."""
    parent = element.getparent()
    if parent is None or len(parent) > _MAX_CAPTION_SIBLINGS:
        return []
    return [
        node
        for node in parent
        if node is not element and isinstance(node.tag, str) and (node.tag == "cite" or _is_credit(node))
    ]


def _image_url(page: PageIndex, element: HtmlElement, container: HtmlElement | None) -> str | None:
    image = next(container.iter("img"), None) if container is not None else _image_before(element)
    if image is None:
        return None
    sources = [image]
    # libxml2 does not know <source> is empty and nests the <img> inside it: look two levels up
    picture = next((node for node in islice(image.iterancestors(), 2) if node.tag == "picture"), None)
    if picture is not None:
        sources = [*picture.iter("source"), image]
    for source in sources:
        for attribute in _SRCSET_ATTRIBUTES:
            url = _largest_in_srcset(source.get(attribute))
            if url and (resolved := page.absolute(url)):
                return resolved
    for attribute in _IMAGE_ATTRIBUTES:
        value = image.get(attribute)
        if value and not value.strip().startswith("data:") and (resolved := page.absolute(value)):
            return resolved
    return None


def _image_before(element: HtmlElement) -> HtmlElement | None:
    """The image a bare caption element describes: the nearest one before it, among its siblings or
    its parent's siblings ("<img><p class=caption>", "<div><img></div><span class=caption>")."""
    inside = next(element.iter("img"), None)
    if inside is not None:
        return inside
    for anchor in (element, element.getparent()):
        if anchor is None:
            return None
        for sibling in anchor.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            image = sibling if sibling.tag == "img" else next(sibling.iter("img"), None)
            if image is not None:
                return image
            if sibling.text_content().strip() and sibling.tag != "cite" and not _is_credit(sibling):
                break  # text between image and caption, other than its credit: they do not belong together
    return None


def _largest_in_srcset(srcset: str | None) -> str | None:
    if not srcset:
        return None
    best, best_size = None, -1.0
    for url, size in _SRCSET_ENTRY.findall(srcset):
        if not url or url.startswith("data:"):
            continue
        value = float(size) if size else 1.0
        if value > best_size:
            best, best_size = url, value
    return best


def with_stated_captions(captions: list[Caption], stated: list[tuple[str | None, str, str | None]]) -> list[Caption]:
    """The page's captions, then the captions its JSON-LD states for images the page showed none for
    (a lead image whose caption only the data carries); credits split off as on the page."""
    known_texts = {text_key(caption.text) for caption in captions}
    known_images = {caption.image_url for caption in captions if caption.image_url}
    result = list(captions)
    for image_url, text, credit in stated:
        if image_url in known_images:
            continue
        caption_text, split = split_credit(text)
        key = text_key(caption_text)
        if not key or key in known_texts:
            continue
        known_texts.add(key)
        if image_url:
            known_images.add(image_url)
        result.append(Caption(caption_text, credit or split, image_url))
    return result
