"""Image captions: from figure markup and the page's JSON-LD, with credits split off and image URLs
made absolute; and slideshows, whose captions are the article.

Splitting a credit off a caption's text is crawler.extraction.credits'.

Body blocks that repeat a caption are normally dropped (the caption is stored once, as a caption).
On a slideshow or photo post the captions are all the text there is; dropping them would leave no
body at all, so those stay in the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from lxml.html import HtmlElement

from crawler.items import Block, Caption
from crawler.textkeys import block_key

from .credits import PICTURE_WORDS, RUNNING_TIME, SENTENCE_END, split_credit, tidy_caption
from .document import PageIndex, element_text, normalize_space, text_key

# class tokens of the element holding a caption's text
_CAPTION_TEXT_CLASS = re.compile(
    r"^(?:wp-caption-text|wp-element-caption|caption|caption-text|figure-caption|figcaption"
    r"|[a-z0-9_-]*(?:image|img|photo|picture|figure|media|gallery)[-_]{1,2}(?:caption|description|legend)"
    r"(?:[-_]{1,2}text)?"
    r"|[a-z0-9-]*caption__(?:text|content)"  # BEM: "c-article-caption__text"
    r"|[a-z]+caption)$"  # "targetCaption", "photoCaption"
)
_CREDIT_CLASS = re.compile(r"(?:^|[-_])(?:credits?|copyright|photo-?credit|image-?credit|attribution)(?:$|[-_])")
_IMAGE_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-full-url", "data-lazy", "src")
_SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset")
_SRCSET_ENTRY = re.compile(r"\s*(\S+?),?(?:\s+(\d+(?:\.\d+)?)[wxh])?\s*(?:,|$)")
_MAX_CAPTION_CHARS = 1000
# words of the image viewer printed inside the caption element: "Enlarge / Kim in Moskau"
# and the label some sites print before a caption ("Legende: …", "Bildunterschrift: …")
_VIEWER_LABELS = re.compile(
    r"^(?:enlarge|zoom|expand|click\s+to\s+enlarge|view\s+(?:full\s+size|larger|gallery))\s*[/|:·•-]?\s*"
    r"|^(?:legende|légende|bildunterschrift|caption|leyenda|didascalia|onderschrift)\s?:\s*"
    r"|\s*[/|·•-]?\s*(?:enlarge|view\s+full\s+size|view\s+larger(?:\s+image)?|read\s+more|more\s*»?)$",
    re.IGNORECASE,
)
# a teaser's headline cut short, not a caption
_TRUNCATED = ("...", "…")
# a credit printed beside the caption rather than inside it: how many siblings to look through
_MAX_CAPTION_SIBLINGS = 6
_MIN_ALT_WORDS = 3
# an unmarked caption under an image, recognised by the credit line that follows it
_CREDIT_LINE_DEPTH = 4
# the page's footer and asides: their pictures are logos and teasers (class marks like "widget" say less)
_PAGE_FURNITURE = frozenset({"footer", "aside", "nav"})
_CAPTION_LINE_TAGS = frozenset({"p", "div", "span"})
_MAX_CREDIT_LINE_CHARS = 150
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# how far above a caption a teaser card's link may start; a link to an image file opens a lightbox
_TEASER_LINK_DEPTH = 6
_IMAGE_FILE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)|/(?:attachment|images?|photos?|gallery|galerie|bilder?)/", re.IGNORECASE
)


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
    for image in page.images:
        if any(node in used or node.tag in _PAGE_FURNITURE for node in image.iterancestors()):
            continue
        lines = _caption_above_credit_line(image)
        if lines is not None and not any(node in used for line in lines for node in line.iter()):
            paragraph, credit_line = lines
            used.update(lines)
            text, credit = split_credit(element_text(paragraph))[0], split_credit(element_text(credit_line))[1]
            found.append((paragraph, Caption(text, credit, _image_url(page, image, image.getparent()))))
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


def _caption_above_credit_line(image: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """An unmarked caption known by the credit line under it: "<div><img></div><p>Kim in Moskau</p>
    <p>Image: AFP</p>", the two paragraphs right after the image or the wrapper it stands in."""
    for anchor in islice((image, *image.iterancestors()), _CREDIT_LINE_DEPTH):
        # empty siblings (a slot for overlay controls) stand between image and caption unseen
        following = [
            node for node in anchor.itersiblings() if isinstance(node.tag, str) and node.text_content().strip()
        ][:2]
        if not following:
            continue
        if len(following) < 2 or following[0].tag not in _CAPTION_LINE_TAGS:
            return None
        text, credit_line = element_text(following[0]), element_text(following[1])
        if not text or len(text) > _MAX_CAPTION_CHARS or len(credit_line) > _MAX_CREDIT_LINE_CHARS:
            return None
        rest, credit = split_credit(credit_line)
        # "© 2026 The Canadian Press" under the last picture is the page's notice, not a photo credit
        return (following[0], following[1]) if credit and not rest and not _YEAR.search(credit) else None
    return None


def _caption_element(container: HtmlElement) -> HtmlElement | None:
    for element in container.iterdescendants():
        if element.tag == "figcaption" or _is_caption_text(element):
            return element
    return None


def _is_caption_text(element: HtmlElement) -> bool:
    if element.tag == "figcaption":
        return True
    classes = (element.get("class") or "").lower().split()
    return any(_CAPTION_TEXT_CLASS.match(token) for token in classes) and not is_credit(element)


def is_credit(element: HtmlElement) -> bool:
    classes = (element.get("class") or "").lower().split()
    return any(_CREDIT_CLASS.search(token) for token in classes)


def _caption(page: PageIndex, element: HtmlElement, container: HtmlElement | None) -> Caption | None:
    """`container` is the figure around the caption, None for a bare caption element."""
    if _in_teaser_link(element):
        return None
    scope = container if container is not None else element
    credits = [node for node in scope.iterdescendants() if isinstance(node.tag, str) and is_credit(node)]
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
        text = tidy_caption(text)  # "Police at the entrance - <span class=credit>…</span>"
        credit_text = credit_text.strip("()[] ") or glued
    else:
        text, credit_text = split_credit(text)
    text = _VIEWER_LABELS.sub("", text)
    if not text and credit_text and container is not None:
        # a figcaption that holds only the credit ("Image Credits: Strava"): the alt text describes the image
        image = next(container.iter("img"), None)
        alt = normalize_space(image.get("alt")) if image is not None else ""
        text = alt if len(alt.split()) >= _MIN_ALT_WORDS else ""
    if text.casefold().strip(".:") in PICTURE_WORDS or (credit_text and text_key(text) == text_key(credit_text)):
        text = ""  # "Fotoğraf" over its credit, or the credit twice: no subject named
    if RUNNING_TIME.match(text):
        return None  # "01:48 min Ergebnisse in Dixville Notch": a video teaser's title
    if not text or len(text) > _MAX_CAPTION_CHARS or text.endswith(_TRUNCATED):
        return None  # nothing, a page's worth, or a teaser's headline cut short
    image_url = _image_url(page, element, container)
    if image_url is None and container is None and (text.isupper() or " " not in text):
        return None  # a label or box heading styled as a caption ("Notifications", "TOP LINKS ON THIS TOPIC")
    pictureless = container is not None and next(container.iter("img", "picture"), None) is None
    if pictureless and not text.endswith(SENTENCE_END):
        return None  # a video player's or embed's title: the figure holds no picture and no sentence
    return Caption(text=text, credit=credit_text, image_url=image_url)


def _in_teaser_link(element: HtmlElement) -> bool:
    """A caption inside a link to another page is a teaser card's headline ("<a href=/story><figure><img>
    <figcaption>Headline</figcaption></figure></a>"); a link to the picture or its viewer page is a
    lightbox."""
    for node in islice(element.iterancestors(), _TEASER_LINK_DEPTH):
        if node.tag == "a":
            href = (node.get("href") or "").strip()
            return bool(href) and not href.startswith(("#", "javascript:")) and not _IMAGE_FILE.search(href)
    return False


def _credits_beside(element: HtmlElement) -> list[HtmlElement]:
    """Credit elements (and <cite>) among the caption's siblings: "<p class=caption>…</p><span
    class=credit>…</span>"; not in a large container, where they would belong to other images."""
    parent = element.getparent()
    if parent is None or len(parent) > _MAX_CAPTION_SIBLINGS:
        return []
    return [
        node
        for node in parent
        if node is not element and isinstance(node.tag, str) and (node.tag == "cite" or is_credit(node))
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
            if sibling.text_content().strip() and sibling.tag != "cite" and not is_credit(sibling):
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


# Less body text than this besides the captions, and more caption text than body text, or more
# than twice as much caption text as body text: the captions are the article (a photo post).
MIN_OWN_BODY_CHARS = 200


def captions_outside_body(blocks: Iterable[Block], captions: list[Caption]) -> list[Caption]:
    """The captions that stay captions; those a slideshow's body consists of are left out, so that
    the boilerplate filter and the paragraph dedup keep them in the body."""
    if not captions:
        return captions
    by_key = {key: caption for caption in captions for key in _keys(caption)}
    in_body: set[int] = set()
    caption_chars = own_chars = 0
    for block in blocks:
        caption = by_key.get(block_key(block.text))
        if caption is None:
            own_chars += len(block.text)
        else:
            caption_chars += len(block.text)
            in_body.add(id(caption))
    if caption_chars <= own_chars or (own_chars >= MIN_OWN_BODY_CHARS and caption_chars <= 2 * own_chars):
        return captions
    return [caption for caption in captions if id(caption) not in in_body]


def _keys(caption: Caption) -> list[str]:
    # the same forms the boilerplate filter drops, so that what this keeps in the body stays there
    keys = [block_key(caption.text)]
    if caption.credit:
        keys += [block_key(caption.credit), block_key(f"{caption.text} {caption.credit}")]
    return [key for key in keys if key]
