"""Who wrote the article: names from bylines and author lists, checked against the byline printed above it.

Bylines read "By Jane Doe and John Roe", "Von X und Y", "Par X et Y". Pages carry many byline-classed
elements: the article's, and one per teaser in every related-articles box. The article's is the one
nearest the headline. A meta author that no printed byline confirms while another byline is printed
is a blog's or section's name ("Celebrity Circuit"), or the site's own ("ABC News" above a "By The
Associated Press" story).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from lxml.html import HtmlElement

from crawler.textkeys import block_key

from .credits import AGENCIES
from .document import PageIndex, element_text, is_furniture, normalize_space
from .jsonld import JsonLdFacts

_PREFIX = re.compile(
    r"^(?:(?:post(?:ed)?\s+)?(?:(?:written|text|reporting|story)\s+)?"
    r"(?:by|von|par|por|di|door|text|texto|autor(?:in)?|author|auteur)|posted\s+by)"
    r"\s*:?\s+(?:the\s+)?",
    re.IGNORECASE,
)
# "and" in the languages of the bylines: en, de, fr, es, it/pt, nl, da/no, sv, fi, hu
_SPLIT = re.compile(
    r"\s*(?:,|;|&|\+|\b(?:and|und|et|y|e|en|sowie|og|och|ja|és)\b)\s*",
    re.IGNORECASE,
)
_TRAILER = re.compile(r"\s+(?:[|•·–—]|-\s).*$")
# where a byline element goes on past the names: profile links, a role, "on <date>"
_UI_WORDS = (
    r"e-?mail(?:\s+author)?|twitter|facebook|google\s*\+?|linkedin|instagram|rss|view\s+profile|profile"
    r"|follow(?:\s+@\w+)?|topics|more\s+(?:posts|articles|stories)|all\s+posts|bio|website"
    r"|folgen|abonnieren|suivre|seguir|mehr\s+(?:artikel|von)"
)
_RUN_ON = re.compile(
    rf"(?:(?<=[a-z])(?=(?:E-?mail|Twitter|Facebook|Google|View|Follow|Folgen|Topics)\b)|\s+(?:{_UI_WORDS})\b"
    r"|\s+(?:on|at|am|le|el|il)\s+(?=[\w.]*\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"|\s+(?:posted|published|updated|aktualisiert|veröffentlicht|publié|publicado)\b)",
    re.IGNORECASE,
)
# a role after the name: "Jane Doe Editor-at-large", "Judith Burns Education reporter"
_ROLE_AFTER = re.compile(
    r"(?:^|\s+)(?:(?:[A-Z][a-z]+\s+)?(?:editor|reporter|correspondent|writer|columnist|contributor)\b"
    r"|(?:Editor|Reporter|Correspondent|Staff|Senior|Chief|Contributing|Columnist|Redakteur|Korrespondent)\b)"
)
# "October 29, 2012 at 10:45 am by Todd Bishop": the names follow the last "by"
_LATE_PREFIX = re.compile(r"^.*\b(?:by|von|par|por)\s+", re.IGNORECASE)
_PARTICLES = frozenset("von van der den de la le du da di del della dos das ten ter zu al el bin ibn y".split())
_ROLES = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|redakt|korrespondent|journalist|envoy|envoyé|"
    r"corresponsal|redacción|redaction|rédaction|photos?|fotos?|updated|aktualisiert|published|min\b|uhr\b)",
    re.IGNORECASE,
)
# profile links and page tools that byline-classed elements hold instead of (or besides) names
_NOT_NAME_WORDS = frozenset(
    "email e-mail twitter facebook google linkedin instagram rss view profile follow topics size print reprints"
    " share comments comment subscribe website bio author authors folgen abonnieren suivre seguir"
    " veröffentlicht aktualisiert published updated artikel article articles nachrichten".split()
)
_DOMAIN_LIKE = re.compile(r"\w\.(?:[a-z]{2,3})\b|https?://")
_LOWER_AGENCIES = frozenset(name for name in AGENCIES if name.islower())
_MAX_BYLINE_CHARS = 120
_MAX_NAME_WORDS = 5


def parse_byline(text: str, *, require_prefix: bool = True) -> list[str]:
    """Names in a byline; [] when the text does not read as one.

    With `require_prefix` the text must start with "By"/"Von"/"Par"... (a paragraph of the body);
    without it (an element marked as byline) a bare list of names is accepted too.
    """
    if require_prefix and _PREFIX.match(text.lstrip()) is None:
        return []  # most paragraphs: no need to look further
    text = normalize_space(text)
    if not text or len(text) > _MAX_BYLINE_CHARS:
        return []
    prefix = _PREFIX.match(text)
    if prefix is None and require_prefix:
        return []
    rest = text[prefix.end() :] if prefix else _LATE_PREFIX.sub("", text)
    rest = _TRAILER.sub("", rest)
    for run_on in (_RUN_ON.search(rest), _ROLE_AFTER.search(rest)):
        if run_on is not None:
            rest = rest[: run_on.start()]
    names = [_before_slash(normalize_space(part).strip(" .")) for part in _SPLIT.split(rest)]
    # roles ("Staff Writer") and dates riding along in the byline are no names
    names = [name for name in names if name and not _ROLES.search(name) and not any(c.isdigit() for c in name)]
    if not names or not all(_is_name(name) or name in AGENCIES for name in names):
        return []
    return names


def reads_as_byline(text: str) -> bool:
    """ "Von Eileen Wagner 10.09.2025, 09:53 Uhr": a byline prefix and a name, say under an author's
    photo, where a caption would describe the picture."""
    prefix = _PREFIX.match(text)
    if prefix is None:
        return False
    words = [word.strip(",;") for word in text[prefix.end() :].split()[:2]]
    return len(words) == 2 and _is_name(" ".join(words))


def _before_slash(name: str) -> str:
    """ "Eliot Caroom/The Star-Ledger": the writer, not the paper."""
    head, slash, _ = name.partition("/")
    return head.strip() if slash and _is_name(head.strip()) else name


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS:
        return False
    if any(word.casefold().strip("+:") in _NOT_NAME_WORDS for word in words):
        return False
    if len(words) == 1 and _PREFIX.match(f"{text} x"):  # "Von", "By": a byline's first word alone
        return False
    if text in _LOWER_AGENCIES:
        return True
    # scripts without case (Korean, Chinese, Japanese, Arabic...) count as capitalised
    capitalised = [word for word in words if word[0].isupper() or (word[0].isalpha() and not word[0].islower())]
    return bool(capitalised) and all(word in capitalised or word.lower() in _PARTICLES for word in words)


def split_names(text: str) -> list[str]:
    """A JSON-LD or meta-tag author list: "Jane Doe, John Roe" or "Jane Doe and John Roe"; from
    "Jane Doe, professor of law at X, Site.com" the parts that read as names."""
    byline = parse_byline(text, require_prefix=False)
    if byline:
        return byline
    text = normalize_space(_PREFIX.sub("", normalize_space(text)))
    return [text] if text and not text.startswith(("http://", "https://")) else []


def split_list(text: str) -> list[str]:
    """A JSON-LD author name, which may list several ("Jane Doe and John Roe", "Kim,Lee") or run on
    into a role ("Jane Doe, professor of law at X, Site.com": the parts that read as names)."""
    text = normalize_space(text)
    parts = [part for part in _SPLIT.split(text) if part]
    if len(parts) > 1:
        names = [part for part in parts if (_is_name(part) or part in AGENCIES) and not _DOMAIN_LIKE.search(part)]
        if names:
            return names
    return [text] if text else []


def unique_names(names: Iterable[str]) -> list[str]:
    """Names in first-seen order, compared without case and spacing."""
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        name = normalize_space(name).strip(" ,;")
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result


AUTHOR_METAS = (
    "author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcterms.creator",
    "og:article:author", "article_author",
)  # fmt: skip
_MAX_BYLINE_ELEMENT_CHARS = 120
_BYLINE_SIBLINGS = 4
_MAX_BYLINE_CHILDREN = 6


def authors(page: PageIndex, facts: JsonLdFacts, byline_blocks: Iterable[str], site: str | None = None) -> list[str]:
    """Structured authors first (JSON-LD, meta tags), then the bylines printed on the page.

    JSON-LD that names anyone but the site itself has the last word: a meta value or a printed byline
    that names none of its people names a company, an editor or a photographer. Without it, a meta
    author that no printed byline confirms while another byline is printed is dropped likewise.
    """
    structured = [name for value in facts.authors for name in split_list(value)]
    stated_values = [split_names(value) for key in AUTHOR_METAS for value in page.metas.get(key, ())]
    stated = [name for names in stated_values for name in names]
    printed = [*_nearest_byline(page), *byline_blocks, *_bylines_under_headline(page)]
    houses = (site, facts.publisher)
    if any(not _is_house(block_key(name), _house_keys(houses)) for name in structured):
        # each meta value on its own: "author" may say "Condé Nast" where "article:author" names the writer
        stated = [name for names in stated_values for name in _confirming(names, structured)]
        printed = _confirming(printed, structured)
    elif printed:
        stated = _confirming(stated, printed)
    return _people(unique_names([*structured, *stated, *printed]), houses)


def _confirming(names: list[str], reference: list[str]) -> list[str]:
    """`names` when one of them is among `reference`'s, else none: meta tags or a byline-classed element
    that name only others name a company ("Condé Nast"), an editor or a photographer."""
    keys = [f" {key} " for name in reference if (key := block_key(name))]
    for name in names:
        key = block_key(name)
        # "Jane Doe" confirms "Jane Doe @janedoe" and the other way round
        if key and any(f" {key} " in other or other.strip() in f" {key} " for other in keys):
            return names
    return []


def _people(names: list[str], houses: Iterable[str | None]) -> list[str]:
    """The names less those that only repeat others: a profile slug ("jane-doe"), a whole byline whose
    names are listed one by one ("Jane Doe and John Roe"), a name run on into more text ("Jane Doe
    Jane Doe", "News Jane Doe"), a single word of another name; and the site or publisher itself
    beside the people who wrote."""
    keys = [block_key(name) for name in names]
    kept: list[str] = []
    seen: set[str] = set()
    for name, key in zip(names, keys, strict=True):
        if not key or key in seen:
            continue
        padded = f" {key} "
        if any(other != key and " " in other and f" {other} " in padded for other in keys):
            continue
        # one word of another name: "MND" beside "MND Staff", a surname beside the full name
        if " " not in key and any(other != key and f" {key} " in f" {other} " for other in keys):
            continue
        seen.add(key)
        kept.append(name)
    house_keys = _house_keys(houses)
    people = [name for name in kept if not _is_house(block_key(name), house_keys)]
    return people or kept


def _house_keys(houses: Iterable[str | None]) -> set[str]:
    return {key for house in houses if (key := block_key(house))}


def _is_house(key: str, house_keys: set[str]) -> bool:
    compact = key.replace(" ", "")
    return any(key == house or compact == house.replace(" ", "") or house in key.split() for house in house_keys)


def _nearest_byline(page: PageIndex) -> list[str]:
    """Names from the byline element nearest the headline, with its siblings (one per author)."""
    found: list[tuple[HtmlElement, list[str]]] = []
    for element in page.bylines:
        if element.tag in ("meta", "link") or is_furniture(element):
            continue
        names = _element_names(element)
        if names:
            found.append((element, names))
    if not found:
        return []
    # an element inside another byline holds part of it: one of its authors, or its profile link
    candidates = {element for element, _ in found}
    found = [(e, names) for e, names in found if not any(other in candidates for other in e.iterancestors())]
    headline = next((h for h in page.headings if not is_furniture(h)), None)
    order = page.page_order([element for element, _ in found] + ([headline] if headline is not None else []))
    anchor = order.get(headline, 0) if headline is not None else 0
    chosen, _ = min(found, key=lambda pair: abs(order.get(pair[0], 0) - anchor))
    parent = chosen.getparent()
    return [name for element, names in found if element is chosen or element.getparent() is parent for name in names]


def _element_names(element: HtmlElement) -> list[str]:
    name_meta = next((m for m in element.iter("meta") if m.get("itemprop") == "name"), None)
    text = name_meta.get("content", "") if name_meta is not None else element_text(element)
    if not text or len(text) > _MAX_BYLINE_ELEMENT_CHARS:
        return []
    return parse_byline(text, require_prefix=False)


def _bylines_under_headline(page: PageIndex) -> Iterator[str]:
    """A "By X"/"Von X" line among the few elements after the headline, which the body may not include."""
    for heading in page.headings[:2]:
        for anchor in (heading, heading.getparent()):
            if anchor is None:
                continue
            for sibling in islice(anchor.itersiblings(), _BYLINE_SIBLINGS):
                # a byline is a short line: skip containers (the body, a related-articles box) unread
                if isinstance(sibling.tag, str) and len(sibling) <= _MAX_BYLINE_CHILDREN:
                    text = element_text(sibling)
                    if text and len(text) <= _MAX_BYLINE_ELEMENT_CHARS:
                        yield from parse_byline(text)
