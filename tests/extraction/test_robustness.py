"""Whatever arrives, extraction returns an Article or raises ExtractionError: never anything else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dates import parse_date_text
from crawler.extraction import ExtractionError, extract_article, split_credit

TAGS = ["p", "div", "figure", "figcaption", "span", "h1", "h2", "time", "script", "a", "ul", "li", "table", "td"]
ATTRIBUTES = [
    "",
    ' class="caption"',
    ' class="wp-caption"',
    ' class="credit"',
    ' class="byline"',
    ' rel="author"',
    ' datetime="2023-09-15T10:12:00+02:00"',
    ' type="application/ld+json"',
    ' src="/a.jpg" srcset="a.jpg 1x, b.jpg 2x"',
]
TEXTS = st.sampled_from(
    [
        "Kim in Moskau © AFP",
        "Ausgegeben am:",
        "15.09.2023 - 10:12",
        "By Jane Doe",
        '{"@type": [',
        "3 Minuten",
        "vor 2 Stunden",
        "Foto: dpa",
        "<",
        "&amp;",
        "\x00",
        "Der Kreml bestätigte außerdem, dass Putin kommt.",
    ]
) | st.text(max_size=40)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = ["<html><head><title>", draw(TEXTS), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(TAGS))
        parts.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>{draw(TEXTS)}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_soup(), st.text(max_size=200), st.binary(max_size=300)))
def test_any_input(page: str | bytes) -> None:
    try:
        article = extract_article(page, "https://news.example/a")
    except ExtractionError:
        return
    assert article.title or article.blocks
    assert all(block.text and block.text == block.text.strip() for block in article.blocks)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_date_and_credit_parsers_never_raise(text: str) -> None:
    parsed = parse_date_text(text, "de")
    assert parsed is None or parsed.utcoffset() is not None
    _, credit = split_credit(text)
    assert credit is None or credit.strip()
