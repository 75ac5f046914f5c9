"""split_credit across the credit conventions of news captions."""

from __future__ import annotations

import pytest

from crawler.extraction import split_credit


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # copyright sign or "(c)", glued on or separated
        (
            "Nordkoreas Machthaber Kim Jong Un führte im Kosmodrom Wostotschny Gespräche mit Russlands "
            "Präsident Wladimir Putin © STR / KCNA VIA KNS/AFP",
            (
                "Nordkoreas Machthaber Kim Jong Un führte im Kosmodrom Wostotschny Gespräche mit Russlands "
                "Präsident Wladimir Putin",
                "© STR / KCNA VIA KNS/AFP",
            ),
        ),
        ("Kim in Moskau. © dpa", ("Kim in Moskau.", "© dpa")),
        ("Kim in Moskau (c) dpa", ("Kim in Moskau", "(c) dpa")),
        ("Kim in Moskau | © picture alliance/dpa", ("Kim in Moskau", "© picture alliance/dpa")),
        ("Der Hafen von Wladiwostok. Copyright: Reuters", ("Der Hafen von Wladiwostok.", "Copyright: Reuters")),
        # labels
        ("Kim in Moskau. Foto: Mikhail Metzel/dpa", ("Kim in Moskau.", "Foto: Mikhail Metzel/dpa")),
        ("Kim in Moscow. Photo: Reuters", ("Kim in Moscow.", "Photo: Reuters")),
        ("Kim in Moskau. Bild: Screenshot/Telegram", ("Kim in Moskau.", "Bild: Screenshot/Telegram")),
        ("Kim in Moscow. Credit: AFP", ("Kim in Moscow.", "Credit: AFP")),
        (
            "Kim Jong Un in Moscow. Photograph: Alexander Zemlianichenko/AP",
            ("Kim Jong Un in Moscow.", "Photograph: Alexander Zemlianichenko/AP"),
        ),
        ("Kim in Moscow. Image: Getty", ("Kim in Moscow.", "Image: Getty")),
        ("Kim à Moscou. Crédit photo : AFP", ("Kim à Moscou.", "Crédit photo : AFP")),
        ("Foto: dpa", ("", "Foto: dpa")),
        # bracketed credits lose their brackets
        ("Kim in Moskau (AFP)", ("Kim in Moskau", "AFP")),
        ("Kim in Moskau (Foto: dpa)", ("Kim in Moskau", "Foto: dpa")),
        ("Le président à Moscou (Photo : AFP).", ("Le président à Moscou", "Photo : AFP")),
        # agency/photographer slash credits
        ("Kim in Moscow. REUTERS/Evelyn Hockstein", ("Kim in Moscow.", "REUTERS/Evelyn Hockstein")),
        ("Kim meets Putin. AFP/Getty Images", ("Kim meets Putin.", "AFP/Getty Images")),
        ("Kim meets Putin Jim Watson/AFP via Getty Images", ("Kim meets Putin", "Jim Watson/AFP via Getty Images")),
        ("Kim in Moskau Evelyn Hockstein/REUTERS", ("Kim in Moskau", "Evelyn Hockstein/REUTERS")),
        # trailing agency names
        ("Kim in Moskau. dpa", ("Kim in Moskau.", "dpa")),
        ("Kim in Moskau | dpa", ("Kim in Moskau", "dpa")),
        ("Kim in Moskau dpa", ("Kim in Moskau", "dpa")),
        ("Kim in Moskau - AFP", ("Kim in Moskau", "AFP")),
        # no credit
        ("Kim in Moskau", ("Kim in Moskau", None)),
        ("Kim und Putin (Archivbild)", ("Kim und Putin (Archivbild)", None)),
        ("A meeting with Reuters editors", ("A meeting with Reuters editors", None)),
        ("A photo of Kim", ("A photo of Kim", None)),
        ("  Kim\n in   Moskau ", ("Kim in Moskau", None)),
        ("", ("", None)),
    ],
)
def test_split_credit(caption: str, expected: tuple[str, str | None]) -> None:
    assert split_credit(caption) == expected
