"""Section and home pages as listings: which of a page's links are articles, sections, next pages.

A pure function of the parsed page and its URL (plus what the source's stored articles taught us),
deciding before anything is fetched, so that a section page with 300 links costs about as many
requests as it has articles. Evidence for an article link:

- its URL: a date in the path, a long slug, a numeric id, an article path word, or the shape of the
  source's stored article URLs (`UrlShapes`, learned per source);
- its place: a headline link in the page's main listing, not the navigation, the footer, or a
  "most read" box that every page repeats.

Evidence against: tag, category, author, search, page-N, login, about, contact and imprint paths (in
English, German, French, Spanish, Italian, Dutch), files that are not HTML, other sites.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.urls import clean_url, same_site

# Containers whose links are furniture: every page of the site repeats them.
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
_FURNITURE_HINT = re.compile(
    r"(^|[-_ ])(nav|navbar|navigation|menu|footer|header|masthead|sidebar|aside|breadcrumbs?|"
    r"most[-_]?(read|popular|viewed)|popular|trending|meistgelesen|plus[-_]lus|mas[-_]leidos|"
    r"related|teaser[-_]?bar|social|share|newsletter|cookie|login|subscribe)([-_ ]|$)",
    re.IGNORECASE,
)
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-](0?[1-9]|[12]\d|3[01]))?(/|-|$)")
_NUMERIC_ID = re.compile(r"(?<![a-z])\d{5,}(?![a-z])", re.IGNORECASE)
_QUERY_ID = re.compile(r"(^|&)(id|p|article|story|artikel|newsid|aid|nid)=\d{3,}(&|$)", re.IGNORECASE)
_ARTICLE_WORDS = frozenset(
    "article articles artikel story stories news nachrichten meldung beitrag beitraege post posts "
    "actualite actualites article-detail noticia noticias notizia notizie nieuws bericht".split()
)
_NEGATIVE_SEGMENTS = frozenset(
    "tag tags topic topics thema themen schlagwort schlagworte category categories kategorie rubrik "
    "categorie categoria categorias author authors autor autoren auteur auteurs redaktion search suche "
    "recherche buscar busqueda cerca zoeken login logout signin sign-in anmelden register registrieren "
    "account konto about about-us ueber-uns uber-uns impressum imprint contact contacts kontakt "
    "mentions-legales aviso-legal privacy datenschutz terms agb cgu newsletter abo subscribe shop "
    "archive archiv archives feed rss page seite pagina jobs karriere werbung advertise podcast video videos "
    "gallery galerie wetter weather horoscope horoskop".split()
)
_NOT_HTML = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|m4a|mov|avi|xml|rss|atom|json|css|js|txt|csv|docx?|xlsx?)$",
    re.IGNORECASE,
)
_PAGE_N = re.compile(r"(^|[/?&;])(page|seite|pagina|pg)[/=-]?\d{1,4}(/|&|$)", re.IGNORECASE)
_NEXT_TEXT = re.compile(
    r"^\s*(next|next page|older|older posts|more|weiter|nächste( seite)?|suivant(e)?|page suivante|"
    r"siguiente|página siguiente|successiv[ao]|volgende|»|›|>|→)\s*[»›>→]?\s*$",
    re.IGNORECASE,
)
_SLUG_WORD = re.compile(r"[a-zà-ÿß]+", re.IGNORECASE)
MIN_SLUG_WORDS = 4
MAX_SECTION_SEGMENTS = 2


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def url_shape(url: str) -> str:
    """The shape of a URL's path: digits runs as D, slugs of several words as S, a short word kept,
    the last segment's extension kept. Articles of one site share few shapes."""
    parts = urlsplit(url)
    shapes = []
    for segment in _segments(parts.path):
        stem, dot, extension = segment.rpartition(".") if "." in segment else (segment, "", "")
        if re.fullmatch(r"\d+", stem):
            shapes.append("D")
        elif len(_SLUG_WORD.findall(stem)) >= 3 or len(stem) > 24:
            shapes.append("S" + ("D" if re.search(r"\d{4,}", stem) else ""))
        else:
            shapes.append(stem.lower())
        if dot:
            shapes[-1] += "." + extension.lower()
    query = "?" + ",".join(sorted(k.split("=")[0].lower() for k in parts.query.split("&") if k)) if parts.query else ""
    return "/" + "/".join(shapes) + query


@dataclass
class UrlShapes:
    """The shapes of a source's known article URLs (from feeds, sitemaps and confirmed pages)."""

    counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, urls: Iterable[str]) -> UrlShapes:
        return cls(Counter(url_shape(url) for url in urls))

    def knows(self, url: str) -> bool:
        # A shape seen at least twice: one odd stored URL does not make its shape an article shape.
        return self.counts.get(url_shape(url), 0) >= 2


def url_evidence(url: str) -> str | None:
    """Why the URL looks like an article ("date", "slug", "id", "word"), or None."""
    parts = urlsplit(url)
    path = parts.path
    segments = _segments(path)
    if not segments and not parts.query:
        return None
    last = segments[-1] if segments else ""
    stem = last.rsplit(".", 1)[0]
    if _DATE_IN_PATH.search(path) and (len(_SLUG_WORD.findall(stem)) >= 2 or _NUMERIC_ID.search(stem)):
        return "date"
    if _QUERY_ID.search(parts.query):
        return "id"
    if _NUMERIC_ID.search(last):
        return "id"
    if len(_SLUG_WORD.findall(stem)) >= MIN_SLUG_WORDS:
        return "slug"
    if any(segment.lower() in _ARTICLE_WORDS for segment in segments[:-1]) and len(stem) >= 8:
        return "word"
    return None


def url_rejection(url: str, page_url: str) -> str | None:
    """Why the URL is not an article whatever its shape ("offsite", "not_html", "listing_path"), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_site(url, page_url):
        return "offsite"
    if _NOT_HTML.search(parts.path):
        return "not_html"
    segments = [segment.lower() for segment in _segments(parts.path)]
    if any(segment in _NEGATIVE_SEGMENTS for segment in segments):
        return "listing_path"
    if _PAGE_N.search(parts.path) or _PAGE_N.search(parts.query):
        return "listing_path"
    if _DATE_IN_PATH.fullmatch(parts.path.rstrip("/") + "/") and not url_evidence(url):
        return "listing_path"  # a calendar archive: /2023/09/ or /2023/09/15/
    return None


def _in_furniture(element: HtmlElement) -> bool:
    ancestors = list(element.iterancestors())
    for index, ancestor in enumerate(ancestors):
        if ancestor.tag in ("header", "footer") and any(a.tag == "article" for a in ancestors[index + 1 :]):
            continue  # a teaser card's own header or footer, not the page's
        if ancestor.tag in _FURNITURE_TAGS:
            return True
        hints = f"{ancestor.get('class', '')} {ancestor.get('id', '')} {ancestor.get('role', '')}"
        if hints.strip() and _FURNITURE_HINT.search(hints):
            return True
        if ancestor.get("role") in ("navigation", "banner", "contentinfo"):
            return True
    return False


@dataclass
class PageLinks:
    articles: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)  # reason -> links


def _clean(href: str | None, base: str) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        url = urljoin(base, href.strip())
    except ValueError:
        return None
    # Session ids and tracking parameters off: one article, one URL (crawler.urls).
    return clean_url(url) if url.startswith(("http://", "https://")) else None


def classify_links(root: HtmlElement, page_url: str, *, shapes: UrlShapes | None = None) -> PageLinks:
    """The page's same-site article links in document order, its section links (from navigation
    and section headings) and its next pages; each rejected link counted by reason."""
    base = page_url
    for base_element in root.iter("base"):
        if base_element.get("href"):
            base = urljoin(page_url, base_element.get("href") or "")
            break
    found = PageLinks()
    seen: set[str] = set()
    page_key = page_url.split("#", 1)[0].rstrip("/")
    for link in root.iter("a", "link"):
        url = _clean(link.get("href"), base)
        if url is None or url.rstrip("/") == page_key:
            continue
        rel = (link.get("rel") or "").lower().split()
        text = " ".join((link.text_content() if link.tag == "a" else "").split())
        if "next" in rel or (link.tag == "a" and _NEXT_TEXT.match(text)):
            if same_site(url, page_url) and url not in found.next_pages:
                found.next_pages.append(url)
            continue
        if link.tag != "a" or url in seen:
            continue
        seen.add(url)
        rejection = url_rejection(url, page_url)
        if rejection is not None:
            found.rejected[rejection] += 1
            continue
        furniture = _in_furniture(link)
        evidence = url_evidence(url) or ("learned" if shapes is not None and shapes.knows(url) else None)
        if evidence is not None and not furniture:
            found.articles.append(url)
        elif evidence is None and (furniture or _section_heading(link)) and _section_like(url):
            found.sections.append(url)
        else:
            found.rejected["furniture" if furniture else "no_evidence"] += 1
    return found


def _section_like(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.query and 1 <= len(_segments(parts.path)) <= MAX_SECTION_SEGMENTS


def _section_heading(link: HtmlElement) -> bool:
    parent = link.getparent()
    return parent is not None and parent.tag in ("h2", "h3") and url_evidence(link.get("href") or "") is None
