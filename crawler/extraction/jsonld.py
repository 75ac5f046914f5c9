"""schema.org JSON-LD read into one JsonLdFacts: the article object's headline, authors, dates,
language, publisher, body and captioned images (the page's scripts come from crawler.extraction.document's
index, which finds them)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .document import normalize_space

MAX_SCRIPT_CHARS = 1_000_000
_MAX_DEPTH = 12
ARTICLE_TYPES = frozenset(
    "article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle backgroundnewsarticle"
    " reviewnewsarticle askpublicnewsarticle blogposting liveblogposting socialmediaposting report"
    " scholarlyarticle techarticle satiricalarticle".split()
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage"})
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


@dataclass
class JsonLdFacts:
    headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    date_published: str | None = None
    date_modified: str | None = None
    language: str | None = None
    publisher: str | None = None
    # raw: line breaks and any markup kept, for the body's reconciliation with it
    article_body: str | None = None
    # the article's ImageObjects that state a caption: (image URL, caption, credit)
    images: list[tuple[str | None, str, str | None]] = field(default_factory=list)


def read_jsonld(scripts: Iterable[str]) -> JsonLdFacts:
    """Facts from the first article-like object (falling back to a WebPage object) across all scripts."""
    nodes: list[dict[str, Any]] = []
    for script in scripts:
        if len(script) > MAX_SCRIPT_CHARS:
            continue
        try:
            if "<!" in script or "]]>" in script or "-->" in script:
                script = _WRAPPERS.sub("", script)
            data = json.loads(script, strict=False)
        except ValueError:
            continue  # malformed JSON-LD is common; the page's other metadata still counts
        nodes.extend(_walk(data, 0))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    article = next((node for node in nodes if _types(node) & ARTICLE_TYPES), None)
    if article is None:
        article = next((node for node in nodes if _types(node) & _PAGE_TYPES), None)
    # ImageObjects of their own, one script beside each picture in the body ("description": its caption)
    loose = [node for node in nodes if _types(node) == {"imageobject"}]
    if article is None:
        return JsonLdFacts(images=list(_images(loose, by_id)))
    publisher = _resolve(article.get("publisher"), by_id)
    return JsonLdFacts(
        headline=_string(article.get("headline")) or _string(article.get("name")),
        description=_string(article.get("description")),
        authors=list(_names(article.get("author"), by_id)),
        date_published=_string(article.get("datePublished")) or _string(article.get("dateCreated")),
        date_modified=_string(article.get("dateModified")),
        language=_language(article.get("inLanguage")),
        publisher=_string(publisher.get("name")) if isinstance(publisher, dict) else _string(publisher),
        article_body=_raw_string(article.get("articleBody")),
        images=_unique_images([*_images(article.get("image"), by_id), *_images(loose, by_id)]),
    )


def _unique_images(images: list[tuple[str | None, str, str | None]]) -> list[tuple[str | None, str, str | None]]:
    seen: set[str] = set()
    unique = []
    for image in images:
        key = image[0] or image[1]
        if key not in seen:
            seen.add(key)
            unique.append(image)
    return unique


def _images(value: Any, by_id: dict[str, dict[str, Any]]) -> Iterator[tuple[str | None, str, str | None]]:
    """Captioned ImageObjects: `caption`, else a `description` or `name` that reads as a sentence of
    words (not a file name); the credit from `creditText`, `copyrightHolder` or `author`."""
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, by_id)
        if not isinstance(item, dict):
            continue
        text = _string(item.get("caption"))
        if text is None:
            text = _string(item.get("description")) or _string(item.get("name"))
            if text is None or len(text.split()) < _MIN_CAPTION_WORDS or _FILE_NAME.search(text):
                continue
        credit = _string(item.get("creditText")) or next(
            (name for key in ("copyrightHolder", "author") for name in _names(item.get(key), by_id)), None
        )
        yield _string(item.get("contentUrl")) or _string(item.get("url")), text, credit


_MIN_CAPTION_WORDS = 3
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)\b|^https?://", re.IGNORECASE)


def _walk(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Top-level objects, list members and @graph members, in document order."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        # WebPage objects often nest the article as mainEntity
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {value.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for value in values if isinstance(value, str)}


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """Follow an {"@id": ...} reference into the @graph when the object carries nothing else."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    return value


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, by_id)
        if isinstance(item, dict):
            name = _string(item.get("name"))
            if name is None and (item.get("givenName") or item.get("familyName")):
                name = _string(f"{item.get('givenName') or ''} {item.get('familyName') or ''}")
        else:
            name = _string(item)
        if name and not name.startswith(("http://", "https://", "/")):
            yield name


def _language(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return _string(value)


def _raw_string(value: Any) -> str | None:
    if isinstance(value, list):
        value = "\n".join(item for item in value if isinstance(item, str))
    return value if isinstance(value, str) and value.strip() else None


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    # CMSs often HTML-escape JSON-LD strings a second time ("&#8211;", "&amp;")
    return normalize_space(html.unescape(value)) or None
