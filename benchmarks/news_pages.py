"""Distinct news articles of a real page's size, made from the fixture pages of tests/sites.

The 19 fixture pages are few and small (7.8 KB on average; real news pages, and CC-NEWS records, are
50–150 KB). Copied as they are, every copy is a near-duplicate of all other copies of its page, so story
linking and boilerplate learning cost far more than on real news, and extraction far less. Each copy made
here is an article of its own, on a page of a real page's size:

* reworded: in the body, the title and the description (as extraction finds them on the fixture), every
  word of four letters or more is replaced by a word drawn for that copy from the fixtures' vocabulary in
  the page's language — the same replacement wherever the word recurs on the page (headline, og:title,
  JSON-LD) — and every digit by a permutation drawn for the copy. Words of up to three letters (articles,
  prepositions) stay, so the page still reads as its language. Two copies of one fixture share next to no
  shingles, while the markup, byline, dates, captions and the page's own furniture stay the fixture's;
* lengthened: the fixtures' articles run to 50–700 words, news articles to 400–1,000. Each copy's body gets
  its fixture's paragraphs again after its last, reworded anew for each round, up to a length drawn per copy
  (2,500–7,000 characters). Short articles amid a real page's furniture would also mislead the baseline:
  trafilatura retries an extraction that covers little of the page's text (recall mode, then justext), which
  it did on two pages in three before, and on 5 of Fundus' 130 real pages;
* padded to a size drawn per copy between 50 and 150 KB with a real page's furniture in its language
  (benchmarks/furniture.py): a nav of 60 links, a most-read list, a footer of 40 links and site scripts
  that are the same on every page of a site (what boilerplate learning sees on a real site), and, per
  page, up to 24 related-story cards, inline scripts, and on one page in four 12 reader comments (most
  sites load them with a script). Real pages' bytes are mostly scripts: here 65 KB of 104 on average
  (Fundus' real pages: 74 KB of 250, median);
* one copy in ten is a wire copy: the article of the previous copy of the same fixture, reworded the same
  way, under another host, with one sentence of its own — the near-duplicates that news has.

Hosts: one per fixture site (``www.dailyplanet.example``...), wire copies on ``wire<k>.example``.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.furniture import SECTIONS, card, comment, headline, link, script
from crawler.extraction import ExtractionError, extract_article
from crawler.pages import decode_page

SITES = Path(__file__).resolve().parent.parent / "tests" / "sites"
WIRE_EVERY = 10
MIN_KB, MAX_KB = 50, 150
MAX_CARDS, MAX_COMMENTS = 24, 12
ANALYSIS_BASE = "https://fixture.example"
# what of a page is no text: elements whose content is code, comments, and tags
MARKUP = re.compile(r"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
LD_JSON = re.compile(r"(<script[^>]*application/ld\+json[^>]*>)(.*?)(</script\s*>)", re.S | re.I)
# a word of four letters or more, or a run of digits, not inside an entity (&nbsp; &#8217;) or a longer token
REWORDED = re.compile(r"(?<![&#\w])(?:[^\W\d_]{4,}|\d+)(?!\w)")
MIN_BODY_CHARS = 12  # a shorter text between tags (a link in a paragraph) is left as it is
# news articles run to 400–1,000 words; the fixtures' to 50–700: theirs are lengthened to a drawn length
MIN_ARTICLE_CHARS, MAX_ARTICLE_CHARS = 2500, 7000
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
MORE = "<!-- more -->"  # where the added paragraphs go: after the fixture's last paragraph of the body


@dataclass(frozen=True)
class Fixture:
    name: str  # path under tests/sites
    site: str  # its top directory: one host per site, as a site has one layout
    html: str
    encoding: str  # the fixture's own (broken/ is windows-1252): each copy is encoded back in it
    language: str
    body: str  # the extracted body blocks, whitespace-normalised: the text a copy rewords
    phrases: tuple[str, ...]  # title and description, reworded wherever they recur
    paragraphs: tuple[str, ...]  # the body's <p> elements, as markup: what lengthens a copy


class Rewording:
    """One copy's replacement words and digits, drawn as words are met, so a word is replaced alike throughout."""

    def __init__(self, seed: int | str, words: Sequence[str]) -> None:
        self.rng = random.Random(seed)
        self.words = words
        self.chosen: dict[str, str] = {}
        self.digits = str.maketrans("0123456789", "".join(str(d) for d in self.rng.sample(range(10), 10)))

    def text(self, text: str) -> str:
        return REWORDED.sub(self._replace, text)

    def markup(self, fragment: str) -> str:
        """A fragment of HTML with the text between its tags reworded, the tags as they are."""
        return re.sub(r"(<[^>]*>)|([^<]+)", lambda m: m.group(1) or self.text(m.group(2)), fragment)

    def phrases(self, text: str, phrases: Sequence[str]) -> str:
        for phrase in phrases:
            for form in {phrase, html.escape(phrase), html.escape(phrase, quote=False)}:
                if form in text:
                    text = text.replace(form, self.text(form))
        return text

    def _replace(self, match: re.Match[str]) -> str:
        token = match.group()
        if token[0].isdigit():
            return token.translate(self.digits)
        key = token.lower()
        new = self.chosen.get(key)
        if new is None:
            new = self.chosen[key] = self.rng.choice(self.words)
        if token.isupper():
            return new.upper()
        return new.capitalize() if token[0].isupper() else new


def load_fixtures() -> tuple[list[Fixture], dict[str, list[str]]]:
    """The fixture pages with what extraction finds on them, and each language's vocabulary."""
    fixtures: list[Fixture] = []
    vocabulary: dict[str, set[str]] = defaultdict(set)
    for path in sorted(SITES.rglob("*.html")):
        name = path.relative_to(SITES).as_posix()
        page, encoding = decode_page(path.read_bytes())
        try:
            article = extract_article(page.replace("{{base}}", ANALYSIS_BASE), f"{ANALYSIS_BASE}/{name}")
        except ExtractionError:
            continue
        body = "\n".join(" ".join(block.text.split()) for block in article.blocks)
        language = (article.language or "en").split("-")[0]
        vocabulary[language].update(w.lower() for w in REWORDED.findall(body) if not w[0].isdigit())
        phrases = tuple(p for p in (article.title, article.description) if p and len(p.split()) > 1)
        paragraphs = [m for m in PARAGRAPH.finditer(page) if _body_paragraph(TAG.sub("", m.group(1)), body)]
        if paragraphs:
            page = page[: paragraphs[-1].end()] + MORE + page[paragraphs[-1].end() :]
        fixture = Fixture(
            name, name.split("/")[0], page, encoding, language, body, phrases, tuple(p.group() for p in paragraphs)
        )
        fixtures.append(fixture)
    return fixtures, {language: sorted(words) for language, words in vocabulary.items()}


def reworded(fixture: Fixture, rewording: Rewording) -> str:
    """The fixture page with its body, title and description reworded."""
    parts: list[str] = []
    position = 0
    for match in MARKUP.finditer(fixture.html):
        parts.append(_text(fixture, rewording, fixture.html[position : match.start()]))
        parts.append(_markup(fixture, rewording, match.group()))
        position = match.end()
    parts.append(_text(fixture, rewording, fixture.html[position:]))
    return "".join(parts)


def lengthened(page: str, fixture: Fixture, seed: int, words: Sequence[str], sentence: str = "") -> str:
    """The page with paragraphs added after its body's last, to a length drawn for the article: the
    fixture's own paragraphs, reworded once more for each round, so that no two repeat each other.
    ``sentence``, if any, is a paragraph of its own before them."""
    target = random.Random(seed).randint(MIN_ARTICLE_CHARS, MAX_ARTICLE_CHARS)
    length, added = len(fixture.body), [f"<p>{sentence}</p>"] if sentence else []
    while length < target and fixture.paragraphs:
        rewording = Rewording(f"{seed}/{length}", words)
        for paragraph in fixture.paragraphs:
            added.append(rewording.markup(paragraph))
            length += len(TAG.sub("", paragraph))
            if length >= target:
                break
    return page.replace(MORE, "\n".join(added), 1)


def _body_paragraph(text: str, body: str) -> bool:
    normalised = " ".join(html.unescape(text).split())
    return len(normalised) >= 40 and normalised in body


def _in_body(fixture: Fixture, text: str) -> bool:
    normalised = " ".join(html.unescape(text).split())
    return len(normalised) >= MIN_BODY_CHARS and normalised in fixture.body


def _text(fixture: Fixture, rewording: Rewording, text: str) -> str:
    if _in_body(fixture, text):
        return rewording.text(text)
    return rewording.phrases(text, fixture.phrases)


def _markup(fixture: Fixture, rewording: Rewording, markup: str) -> str:
    ld_json = LD_JSON.fullmatch(markup)
    if ld_json is None:
        return rewording.phrases(markup, fixture.phrases) if not markup.startswith(("<script", "<style")) else markup
    try:
        data = json.loads(ld_json.group(2))
    except ValueError:
        return rewording.phrases(markup, fixture.phrases)
    return ld_json.group(1) + json.dumps(_json(data, rewording, fixture), ensure_ascii=False) + ld_json.group(3)


def _json(value: Any, rewording: Rewording, fixture: Fixture, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _json(v, rewording, fixture, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v, rewording, fixture, key) for v in value]
    if isinstance(value, str):
        return rewording.text(value) if key == "articleBody" else rewording.phrases(value, fixture.phrases)
    return value


def padded(page: str, site: str, rng: random.Random, words: Sequence[str]) -> str:
    """The page with a real news page's furniture, to a size drawn between MIN_KB and MAX_KB."""
    site_rng = random.Random(site)  # nav, footer, most read and site scripts: alike on every page of the site
    nav = "".join(f"<li>{link(site_rng, site_rng.choice(SECTIONS).title())}</li>" for _ in range(60))
    footer = "".join(f"<li>{link(site_rng, headline(site_rng, 1, 3, words))}</li>" for _ in range(40))
    most_read = "".join(
        f"<li><span>{i + 1}</span> {link(site_rng, headline(site_rng, words=words))}</li>" for i in range(10)
    )
    head = "".join(script(site_rng, words) for _ in range(4))
    top = f'<nav class="sections"><ul>{nav}</ul></nav>\n'
    bottom = (
        f'<aside class="most-read"><h3>Most read</h3><ol>{most_read}</ol></aside>\n'
        f'<footer class="site-footer"><ul class="footer-links">{footer}</ul></footer>\n'
    )
    cards: list[str] = []
    comments: list[str] = []
    scripts: list[str] = []
    size = len(page) + len(head) + len(top) + len(bottom) + 200  # the sections' own tags
    target = rng.randint(MIN_KB, MAX_KB) * 1024
    # most pages load reader comments with a script; one in four has some in its HTML
    most_comments = rng.choice((0, 0, 0, MAX_COMMENTS))
    while size < target:
        # real pages' bytes are mostly scripts and teasers: that mix, bounded like a real page
        added = []
        if len(cards) < MAX_CARDS:
            added.append(card(rng, words))
            cards.append(added[-1])
        if len(comments) < most_comments:
            added.append(comment(rng, len(comments), words))
            comments.append(added[-1])
        added.append(script(rng, words))
        scripts.append(added[-1])
        size += sum(len(piece) for piece in added)
    related = '<section class="related"><h3>More on this story</h3>' + "".join(cards) + "</section>\n"
    if comments:
        related += (
            '<section class="comments"><h3>Comments</h3><p class="comment-rules">Comments are moderated.</p><ol>'
            + "".join(comments)
            + "</ol></section>\n"
        )
    page = page.replace("</head>", head + "</head>", 1)
    page = re.sub(r"<body\b[^>]*>", lambda m: m.group() + "\n" + top, page, count=1)
    if "</article>" in page:
        page = page.replace("</article>", "</article>\n" + related, 1)
    else:
        bottom = related + bottom
    return page.replace("</body>", bottom + "".join(scripts) + "</body>", 1)


@dataclass(frozen=True)
class NewsPage:
    url: str
    html: bytes


def news_pages(count: int) -> Iterator[NewsPage]:
    """``count`` pages: copy n is of fixture n mod 19, and every WIRE_EVERY-th copy a wire copy."""
    fixtures, vocabulary = load_fixtures()
    for n in range(count):
        fixture = fixtures[n % len(fixtures)]
        words = vocabulary[fixture.language]
        wire = n % WIRE_EVERY == WIRE_EVERY - 1 and n >= len(fixtures)
        # a wire copy rewords as the previous copy of its fixture did: the same article
        article_seed = n - len(fixtures) if wire else n
        host = f"wire{n % 3}.example" if wire else f"www.{fixture.site}.example"
        sentence = f"Distributed by the agency desk, copy number {n}." if wire else ""
        page = lengthened(reworded(fixture, Rewording(article_seed, words)), fixture, article_seed, words, sentence)
        page = padded(page, host, random.Random(n), words)
        # a base of its own per copy: canonical links differ, so each copy is an article of its own
        base = f"https://{host}/{n}"
        body = page.replace("{{base}}", base).encode(fixture.encoding, "xmlcharrefreplace")
        yield NewsPage(f"{base}/{fixture.name}", body)
