"""The lead image's description when the page prints no caption for it: its alt text.

A news page names its lead image in og:image (the picture shared with the link) and shows it above
the article, often without a caption. Its alt text is then the only description the page gives, and
it is what readers of a screen reader hear; news parsers (Fundus among them) store it as the image's
description. Other uncaptioned images are left alone: their alt texts are as often teaser headlines,
logos and "Hier klicken" buttons as descriptions.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.items import Caption

from .captions import is_credit
from .document import PageIndex, element_text, normalize_space, text_key

# "Pam Bondi", "Eine schwarze Tollkirsche"; a lone word is a label ("Foto", "Content media" is two)
_MIN_ALT_WORDS = 2
_MAX_ALT_CHARS = 400
_IMAGE_FILE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
# words that say what kind of thing the picture is, not what it shows
_PLACEHOLDER_WORDS = frozenset("image images picture photo foto bild media content placeholder thumbnail".split())
_IMAGE_URL_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original", "srcset", "data-srcset")
# a resized copy keeps the file's stem: ".../w_1600/hake-stock.jpg" for ".../w_1200/hake-stock.jpg"
_MIN_STEM_CHARS = 6
# how many wrappers up from the image its credit may stand
_CREDIT_DEPTH = 2
_FURNITURE = frozenset({"footer", "aside", "nav"})


def with_lead_image_alt(page: PageIndex, captions: list[Caption], title: str | None) -> list[Caption]:
    """`captions`, and the lead image's alt text as its caption when none of them is the lead image's.

    The lead image is the one og:image names (a resized copy of it counts) or, where the page serves
    another crop than it shares, the one whose alt text is the article's headline."""
    stem = _stem(page.meta("og:image"))
    if stem and any(_stem(caption.image_url) == stem for caption in captions):
        return captions
    title_key = text_key(title)
    for image in page.images:
        alt = normalize_space(image.get("alt"))
        if not (stem and _shows(image, stem)) and not (title_key and text_key(alt) == title_key):
            continue
        if any(node.tag in _FURNITURE or _is_home_link(page, node) for node in image.iterancestors()):
            return captions  # a page without a picture of its own shares the site's logo
        if not _describes(alt):
            return captions
        if text_key(alt) in {text_key(caption.text) for caption in captions}:
            return captions
        return [*captions, Caption(alt, _credit(image), _url(page, image))]
    return captions


def _credit(image: HtmlElement) -> str | None:
    """A credit-classed element beside the image ("<img><p class=teaser-image__credits>X</p>"), in a
    wrapper that holds no other image, so that the credit is this picture's."""
    for wrapper in islice(image.iterancestors(), _CREDIT_DEPTH):
        if sum(1 for _ in wrapper.iter("img")) > 1:
            return None
        for node in wrapper.iterdescendants():
            if isinstance(node.tag, str) and is_credit(node) and (text := element_text(node)):
                return text
    return None


def _is_home_link(page: PageIndex, node: HtmlElement) -> bool:
    if node.tag != "a" or not node.get("href"):
        return False
    return urlsplit(page.absolute(node.get("href")) or "").path in ("", "/")


def _url(page: PageIndex, image: HtmlElement) -> str | None:
    for attribute in _IMAGE_URL_ATTRIBUTES:
        value = (image.get(attribute) or "").split(",")[0].split()
        if value and not value[0].startswith("data:") and (resolved := page.absolute(value[0])):
            return resolved
    return None


def _stem(url: str | None) -> str | None:
    if not url:
        return None
    name = urlsplit(url.strip()).path.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0].casefold()
    return stem if len(stem) >= _MIN_STEM_CHARS else None


def _shows(image: HtmlElement, stem: str) -> bool:
    for attribute in _IMAGE_URL_ATTRIBUTES:
        value = image.get(attribute)
        if value and any(_stem(part.split()[0]) == stem for part in value.split(",") if part.strip()):
            return True
    return False


def _describes(alt: str) -> bool:
    words = alt.split()
    if len(words) < _MIN_ALT_WORDS or len(alt) > _MAX_ALT_CHARS or _IMAGE_FILE_NAME.match(alt):
        return False
    folded = [word.casefold().strip(".:") for word in words]
    return "logo" not in folded and not all(word in _PLACEHOLDER_WORDS for word in folded)
