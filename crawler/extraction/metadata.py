"""What the page states about the article: headline, language, canonical URL, site name, description,
and the date candidates crawler.dates chooses the publication and modification times from.

og:title and twitter:title are often a shorter social-media headline ("Fred Willard on 'Lewd
Conduct' Charge" for "Fred Willard Describes Incident Related to Lewd Conduct Arrest as 'Much More
PG'"), sometimes even the blog's name. The displayed <h1> is the headline readers see; it is taken
when it reads like the page's <title> or social title, or is the only headline-like <h1> there is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lxml.etree import iterwalk
from lxml.html import HtmlElement

from crawler.dates import LABEL, MAX_LINE_CHARS, DateCandidates, DateLine, has_date_word
from crawler.items import Hints

from .document import PageIndex, element_text, is_furniture, normalize_space, text_key
from .jsonld import JsonLdFacts

try:  # the statistical identifier trafilatura uses, when installed
    from py3langid.langid import classify as _classify
except ImportError:  # pragma: no cover - depends on the environment
    _classify = None
CLASSIFY: Callable[[str], Any] | None = _classify


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")
# separators no headline uses itself: what follows them is the site even when its name is unknown
_SITE_SEPARATORS = re.compile(r"\s+(?:\||::|·|•|»)\s+")
# a heading the page marks as its title for search engines, not the headline shown to readers
_SEARCH_TITLE_CLASS = re.compile(r"\bseo[-_]?(?:title|headline)", re.IGNORECASE)
_SITE_TITLE_CLASS = re.compile(r"site-title|site-name|logo|brand|masthead", re.IGNORECASE)
_LEADING_MARKS = " »›>|:-–—"
# a stated title may open with a dash: the quotation dash of Nordic headlines ("- Angsten vil øke")
_LEADING_MARKS_KEPT_DASH = " »›>|:"
_DOMAIN = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|com\.au|de|fr|es|it|nl|in|info|news)$", re.IGNORECASE
)
_WORD = re.compile(r"\w{3,}")
# an element inside a heading that holds its kicker (overline, "Dachzeile"), set apart by class
_KICKER_CLASS = re.compile(r"overline|kicker|topline|dachzeile|roofline|eyebrow|titleheader|supertitle", re.I)
_MAX_SUFFIX_WORDS = 4
_MAX_KICKER_WORDS = 8
_KICKER_SEPARATOR = re.compile(r"\s+[-–—]\s+|:\s+")
_STRAIGHT_QUOTES = str.maketrans(dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟", '"'))
_MIN_HEADLINE_WORDS = 2
# share of a heading's words found in the <title> or social title for it to be the same headline
SAME_HEADLINE_SHARE = 0.5
LONE_HEADLINE_SHARE = 0.25


def title(page: PageIndex, facts: JsonLdFacts, site: str | None, hints: Hints) -> str | None:
    """JSON-LD headline, the displayed headline, og:title, <title>, the feed's title: the first found,
    in the form and without the kicker the page's own title tags agree on.

    Site names are cut from the JSON-LD headline, og:title and <title> ("Headline | Site", "Site -
    Headline"), and a kicker set apart by its class from the displayed headline; og:title is passed
    over when it shares no words with <title> (a blog's name instead of the post's). When og:title and
    <title> print the chosen headline alike but with other quotation marks ("'family'" for "‘family’")
    or another separator after a kicker, theirs is taken; when og:title states the chosen headline
    without a kicker ("Judy Lybke, ganz und gar nicht eigenartig" for "Neue Leipziger Schule: Judy
    Lybke, …"), the kicker goes.
    """
    page_title = strip_site_name(page.title, site)
    social = strip_site_name(page.meta("og:title", "twitter:title"), site)
    if social and page_title and not _share(social, page_title):
        social = None
    displayed = _displayed_headline(page, (page_title, social), site)
    stated = strip_site_name(facts.headline, site)
    if displayed and _is_search_title(page, stated):
        stated = None  # the headline for search engines; readers are shown the displayed one
    candidates = [
        text
        for candidate in (stated, displayed, social, page_title, hints.title)
        if (text := normalize_space(candidate))
    ]
    if not candidates:
        return None
    og_title = normalize_space(strip_site_name(page.meta("og:title"), site))
    chosen = _agreed_form(candidates[0], og_title, normalize_space(page_title))
    return _without_kicker(chosen, og_title)


def _is_search_title(page: PageIndex, headline: str | None) -> bool:
    """`headline` is what a heading marked as the search engines' title holds ("<h1 class=seotitle>" at
    the end of the breadcrumbs, the visible headline elsewhere)."""
    key = text_key(headline)
    return bool(key) and any(
        _SEARCH_TITLE_CLASS.search(heading.get("class") or "") and text_key(element_text(heading)) == key
        for heading in page.headings
    )


def _agreed_form(chosen: str, og_title: str, page_title: str) -> str:
    """The title tags' shared form of `chosen` when both print it with other quotation marks or
    another separator after a kicker ("Rückbau: Kühltürme gesprengt" for "Rückbau - Kühltürme
    gesprengt"); <title> may add a section after it."""
    if not og_title or og_title == chosen or not (page_title == og_title or page_title.startswith(f"{og_title} ")):
        return chosen
    return og_title if _comparable(og_title) == _comparable(chosen) else chosen


def _comparable(text: str) -> str:
    return _KICKER_SEPARATOR.sub(": ", text.translate(_STRAIGHT_QUOTES))


def _without_kicker(chosen: str, shorter: str) -> str:
    """`chosen` less a kicker that `shorter` leaves out: "Kicker: Headline" beside "Headline"."""
    chosen_key, shorter_key = text_key(chosen), text_key(shorter)
    if not shorter_key or len(shorter_key) >= len(chosen_key) or not chosen_key.endswith(shorter_key):
        return chosen
    kicker = chosen_key[: -len(shorter_key)].rstrip()
    return shorter if kicker.endswith(":") and 0 < len(kicker[:-1].split()) <= _MAX_KICKER_WORDS else chosen


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
            and not _SEARCH_TITLE_CLASS.search(heading.get("class") or "")
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
    if any(text_key(title).startswith(best_key) for title in stated):
        return best  # the title repeats the whole heading: a " - " inside it is the headline's own
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
    value = normalize_space(value).lstrip(_LEADING_MARKS_KEPT_DASH)
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


def site_name(page: PageIndex, facts: JsonLdFacts) -> str | None:
    return page.meta("og:site_name") or facts.publisher or page.meta("application-name")


def description(page: PageIndex, facts: JsonLdFacts) -> str | None:
    stated = page.meta("description", "og:description", "twitter:description", "dc.description")
    return stated or facts.description


def canonical_url(page: PageIndex) -> str:
    """The page's declared canonical URL, else its own. A relative one on a saved page (a file: URL)
    names no real address, so the file's own URL stands."""
    for link in (*page.canonical, page.meta("og:url")):
        absolute = page.absolute(link)
        if absolute and not absolute.startswith("file:"):
            return absolute
    return page.url


def declared_language(page: PageIndex, facts: JsonLdFacts, hints: Hints) -> str | None:
    return first_language(
        (
            page.html_lang,
            facts.language,
            page.meta("og:locale"),
            page.meta("content-language", "language", "dc.language", "dcterms.language"),
            hints.language,
        )
    )


_TAG = re.compile(r"^([a-z]{2,3})(?:$|[-_])")
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})
_LETTERS = re.compile(r"[^\W\d_]+")
# the most frequent short words of each language, few of them shared with the others
_STOPWORDS = {
    "de": "der die das und ist nicht ein eine mit sich auf für dem den des von zu im auch wurde sagte wird",
    "en": "the and is was that with for are this have from not but which were said has been would will",
    "fr": "le la les et est une des du dans pour pas que qui sur avec sont ont été mais ce cette selon",
    "es": "el los las del que en una por con para es se más como pero fue sus sobre este han según",
    "it": "il gli della che una per non sono con del nel alla anche più come stato dei questo ha",
    "nl": "de het een van en niet dat is op te zijn voor met ook werd heeft aan maar naar deze",
}
_LOOKUP = {language: frozenset(words.split()) for language, words in _STOPWORDS.items()}
_MAX_WORDS = 1500
_MIN_HITS = 5


def normalize_language(value: str | None) -> str | None:
    """ "de-DE", "de_DE", "DE" -> "de"; None for anything that is not a language tag."""
    if not value:
        return None
    first = value.split(",")[0].strip().lower()
    match = _TAG.match(first)
    if match is None or match.group(1) in _NOT_LANGUAGES:
        return None
    return match.group(1)


def first_language(values: Iterable[str | None]) -> str | None:
    return next((language for value in values if (language := normalize_language(value))), None)


def detect_language(texts: Iterable[str]) -> str | None:
    """py3langid when installed, else a stopword vote over the first words; None when unsure."""
    if CLASSIFY is not None:
        sample = " ".join(texts)[:10000]
        return normalize_language(str(CLASSIFY(sample)[0])) if len(sample) >= 100 else None
    return _vote(texts)


def _vote(texts: Iterable[str]) -> str | None:
    counts = dict.fromkeys(_LOOKUP, 0)
    seen = 0
    for text in texts:
        for word in _LETTERS.findall(text.lower()):
            for language, words in _LOOKUP.items():
                if word in words:
                    counts[language] += 1
            seen += 1
            if seen >= _MAX_WORDS:
                break
        if seen >= _MAX_WORDS:
            break
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits < _MIN_HITS or hits < 1.5 * runner_up:
        return None
    return best


_PUBLISHED_METAS = (
    "article:published_time og:article:published_time og:published_time article.published datepublished"
    " parsely-pub-date sailthru.date publish-date publish_date publishdate published_time pubdate pub_date date"
    " dc.date dc.date.issued dcterms.date dcterms.issued dcterms.created citation_publication_date"
    " cxenseparse:recs:publishtime datecreated release_date published originalpublicationdate"
    " article_date_original ptime displaydate"
).split()
_MODIFIED_METAS = (
    "article:modified_time og:article:modified_time og:updated_time article.updated datemodified modified_time"
    " last-modified lastmod dc.date.modified dcterms.modified"
).split()
_MODIFIED_MARK = re.compile(r"updat|modif|aktualisiert|edited", re.IGNORECASE)
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})
_DATE_CLASS = re.compile(r"date|time|publish|posted|meta|byline|dateline", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def date_candidates(page: PageIndex, facts: JsonLdFacts) -> DateCandidates:
    """The page's stated dates for crawler.dates to choose from; its printed date lines are read only
    when the chooser asks for them."""
    return DateCandidates(
        published=[value for value in (facts.date_published, *_metas(page, _PUBLISHED_METAS)) if value],
        modified=[value for value in (facts.date_modified, *_metas(page, _MODIFIED_METAS)) if value],
        times=list(_time_values(page)),
        lines=_date_lines(page.tree),
    )


def _metas(page: PageIndex, keys: Iterable[str]) -> list[str]:
    return [value for key in keys for value in page.metas.get(key, ())]


def _time_values(page: PageIndex) -> Iterator[tuple[str, bool]]:
    for element in page.times:
        value = element.get("datetime")
        if not value or is_furniture(element):
            continue
        marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        parent = element.getparent()
        if parent is not None:
            marks += f" {parent.get('class') or ''}"
        yield value, _MODIFIED_MARK.search(marks) is not None


def _date_lines(tree: HtmlElement) -> Iterator[DateLine]:
    """Short visible text pieces of the body in page order, each ranked by the element it stands in.

    Pieces without a digit or a date label are left out, except right after a labelled one: the
    label and the date may sit in adjacent elements.
    """
    body = tree.find("body")
    if body is None:
        return
    after_label = False
    for event, element in iterwalk(body, events=("start", "end")):
        if event == "start":
            if element.tag in _NOT_TEXT:
                continue
            raw, owner = element.text, element
        else:
            raw, owner = element.tail, element.getparent()
        if not raw or owner is None or len(raw) > 2 * MAX_LINE_CHARS or raw.isspace():
            continue
        has_digit = _DIGIT.search(raw) is not None
        hinted = len(raw) < MAX_LINE_CHARS and has_date_word(raw)
        if not (after_label or has_digit or hinted):
            continue
        text = normalize_space(raw)
        if len(text) <= MAX_LINE_CHARS:
            labelled = hinted and LABEL.search(text) is not None
            yield DateLine(text, labelled, _rank(owner))
            after_label = labelled or (after_label and not has_digit)


def _rank(element: HtmlElement) -> int | None:
    """0: a date-classed element in the article; 1: other article text; 2: elsewhere; None: furniture."""
    if is_furniture(element):
        return None
    rank = 2
    for depth, node in enumerate((element, *element.iterancestors())):
        marks = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        if depth < 3 and (node.tag == "time" or _DATE_CLASS.search(marks)):
            return 0
        if node.tag in ("article", "main"):
            rank = 1
    return rank
