"""Language: declared tags normalised, the stopword vote as the last resort."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from crawler.extraction.language import detect_language, normalize_language
from crawler.items import Hints


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de", "de"),
        ("de-DE", "de"),
        ("de_AT", "de"),
        ("EN-gb", "en"),
        (" fr ", "fr"),
        ("de, en", "de"),
        ("gsw-CH", "gsw"),
        ("und", None),
        ("x-default", None),
        ("", None),
        (None, None),
        ("german", None),
    ],
)
def test_normalize_language(tag: str | None, expected: str | None) -> None:
    assert normalize_language(tag) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die Reise "
            "im Oktober stattfinden wird, sagte ein Sprecher des Ministeriums in Moskau.",
            "de",
        ),
        (
            "The council said that the line would be built with money from the state and that it was "
            "expected to open in 2028, which is later than planned.",
            "en",
        ),
        (
            "Le gouvernement a annoncé que les travaux seront terminés avant la fin de l'année, selon "
            "le ministre qui était en visite dans la région pour les vendanges.",
            "fr",
        ),
        (
            "El ayuntamiento aprobó la construcción de los carriles, que según el consistorio estarán "
            "terminados antes del verano, pero los comerciantes pidieron más tiempo para las obras.",
            "es",
        ),
        (
            "Il governo ha annunciato che i lavori saranno completati entro la fine dell'anno, come "
            "previsto dal piano che è stato presentato alla stampa.",
            "it",
        ),
        (
            "De gemeente heeft besloten dat het nieuwe fietspad niet voor de zomer klaar is, maar de "
            "wethouder zegt dat het werk in het najaar wordt afgerond.",
            "nl",
        ),
        ("Kim Putin Moskau Wladiwostok", None),
        ("", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language([text]) == expected


def page(html_attributes: str = "", head: str = "") -> str:
    body = "".join(
        "<p>Der Kreml bestätigte außerdem, dass Putin die Einladung angenommen hat und dass die Reise im "
        "Oktober stattfinden wird, sagte ein Sprecher.</p>"
        for _ in range(3)
    )
    return f"<html {html_attributes}><head><title>Kim</title>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("html_attributes", "head", "hints", "expected"),
    [
        ('lang="fr-FR"', "", Hints(), "fr"),  # the page's own declaration wins, even over its text
        ("", '<script type="application/ld+json">{"@type": "Article", "inLanguage": "es"}</script>', Hints(), "es"),
        ("", '<meta property="og:locale" content="it_IT">', Hints(), "it"),
        ("", '<meta http-equiv="content-language" content="nl">', Hints(), "nl"),
        ("", "", Hints(language="en-US"), "en"),
        ("", "", Hints(), "de"),  # detected
    ],
)
def test_language_sources(html_attributes: str, head: str, hints: Hints, expected: str) -> None:
    assert extract_article(page(html_attributes, head), "https://e.example/a", hints).language == expected
