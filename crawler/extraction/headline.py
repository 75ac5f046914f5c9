"""The article's headline: what the page shows above the article, checked against its <title>.

og:title and twitter:title are often a shorter social-media headline ("Fred Willard on 'Lewd
Conduct' Charge" for "Fred Willard Describes Incident Related to Lewd Conduct Arrest as 'Much More
PG'"), sometimes even the blog's name. The displayed <h1> is the headline readers see; it is taken
when it reads like the page's <title> or social title, or is the only headline-like <h1> there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.items import Hints

from .jsonld import JsonLdFacts
from .page import PageIndex, is_furniture
from .text import element_text, normalize_space, text_key

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")
# separators no headline uses itself: what follows them is the site even when its name is unknown
_SITE_SEPARATORS = re.compile(r"\s+(?:\||::|·|•|»)\s+")
_SITE_TITLE_CLASS = re.compile(r"site-title|site-name|logo|brand|masthead", re.IGNORECASE)
_LEADING_MARKS = " »›>|:-–—"
_DOMAIN = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|com\.au|de|fr|es|it|nl|in|info|news)$", re.IGNORECASE
)
_WORD = re.compile(r"\w{3,}")
# an element inside a heading that holds its kicker (overline, "Dachzeile"), set apart by class
_KICKER_CLASS = re.compile(r"overline|kicker|topline|dachzeile|roofline|eyebrow|titleheader|supertitle", re.I)
_MAX_SUFFIX_WORDS = 4
_MIN_HEADLINE_WORDS = 2
# share of a heading's words found in the <title> or social title for it to be the same headline
SAME_HEADLINE_SHARE = 0.5
LONE_HEADLINE_SHARE = 0.25


def title(page: PageIndex, facts: JsonLdFacts, site: str | None, hints: Hints) -> str | None:
    """JSON-LD headline, the displayed headline, og:title, <title>, the feed's title: the first found.

    Site names are cut from the JSON-LD headline, og:title and <title> ("Headline | Site", "Site -
    Headline"), and a kicker set apart by its class from the displayed headline; og:title is passed
    over when it shares no words with <title> (a blog's name instead of the post's).
    """
    page_title = strip_site_name(page.title, site)
    social = strip_site_name(page.meta("og:title", "twitter:title"), site)
    if social and page_title and not _share(social, page_title):
        social = None
    displayed = _displayed_headline(page, (page_title, social), site)
    for candidate in (
        strip_site_name(facts.headline, site),
        displayed,
        social,
        page_title,
        hints.title,
    ):
        text = normalize_space(candidate)
        if text:
            return text
    return None


def _displayed_headline(page: PageIndex, references: Iterable[str | None], site: str | None) -> str | None:
    stated = [reference for reference in references if reference]
    # with a stated title to compare against, a one-word heading is a logo or section name
    min_words = _MIN_HEADLINE_WORDS if stated else 1
    texts: list[str] = []
    for heading in page.headings:
        kickers = [child for child in heading.iterdescendants() if _KICKER_CLASS.search(child.get("class") or "")]
        text = element_text(heading, skip=kickers).lstrip(_LEADING_MARKS) if kickers else element_text(heading)
        if (
            len(text.split()) >= min_words
            and text not in texts
            and text_key(text) != text_key(site)
            and not _SITE_TITLE_CLASS.search(heading.get("class") or "")
            and not is_furniture(heading)
        ):
            texts.append(text)
    if not texts:
        return None
    if not stated:
        return texts[0]
    known = " ".join(stated)
    needed = LONE_HEADLINE_SHARE if len(texts) == 1 else SAME_HEADLINE_SHARE
    # among headings that read like the title, the one sharing the most words ("Danger Room", a
    # section name, also appears in "Headline | Danger Room | Wired.com")
    scored = [(_shared_words(text, known), -index, text) for index, text in enumerate(texts)]
    fitting = [entry for entry in scored if _share(entry[2], known) >= needed]
    if not fitting:
        return None
    _, _, best = max(fitting)
    # a heading that runs on past the stated title holds a date or section label in a child element
    best_key = text_key(best)
    for title in stated:
        for known in (title, _TITLE_SEPARATORS.split(title)[0]):
            if len(known) < len(best) and best_key.startswith(text_key(known)):
                return known
    return best


def _shared_words(text: str, reference: str) -> int:
    known = set(_WORD.findall(reference.casefold()))
    return sum(word in known for word in _WORD.findall(text.casefold()))


def _share(text: str, reference: str) -> float:
    """The share of `text`'s words (of three letters or more) that `reference` contains."""
    words = _WORD.findall(text.casefold())
    if not words:
        return 0.0
    known = set(_WORD.findall(reference.casefold()))
    return sum(word in known for word in words) / len(words)


def strip_site_name(value: str | None, site: str | None) -> str | None:
    value = normalize_space(value).lstrip(_LEADING_MARKS)
    if not value:
        return None
    parts = _TITLE_SEPARATORS.split(value)
    if len(parts) < 2:
        return value
    if _DOMAIN.match(parts[-1]):  # "Headline - NFL.com"
        return strip_site_name(_rejoin(value, parts[:-1]), site)
    site_key = text_key(site)
    if site_key:
        for index in (-1, 0):
            part_key = text_key(parts[index])
            if part_key and (part_key == site_key or site_key in part_key or part_key in site_key):
                rest = parts[:-1] if index == -1 else parts[1:]
                return _rejoin(value, rest)
    # no known site name: after a "|"-like separator, a segment of fewer words than the rest is taken
    # for the site (or a section name), the end first: "Headline | Site", then "Site | Headline"
    site_parts = _SITE_SEPARATORS.split(value)
    while len(site_parts) > 1:  # "Headline | Section | Site" loses both
        for index, rest in ((-1, site_parts[:-1]), (0, site_parts[1:])):
            words = len(site_parts[index].split())
            if words <= _MAX_SUFFIX_WORDS and words < sum(len(part.split()) for part in rest):
                site_parts = rest
                break
        else:
            break
    return _rejoin(value, site_parts)


def _rejoin(value: str, parts: list[str]) -> str:
    """The original text spanning `parts`, separators included ("A - B | Site" -> "A - B")."""
    start = value.find(parts[0])
    end = value.rfind(parts[-1]) + len(parts[-1])
    return value[start:end].strip()
