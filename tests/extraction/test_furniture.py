"""Body blocks that are page furniture: date lines, bylines and captions (extraction), reading times
and widgets (the clean stage's bundled rules, pipelines/junk_rules.toml: one place for fixed patterns)."""

from __future__ import annotations

import pytest

from crawler.dates import is_date_line
from crawler.extraction.furniture import drop_boilerplate
from crawler.items import Block, Caption
from pipelines.clean import clean_blocks, load_rules, matching_rule

RULES = load_rules()


def is_reading_time(line: str) -> bool:
    rule = matching_rule(line, RULES)
    return rule is not None and rule.name.startswith("reading_time")


def is_widget_line(line: str) -> bool:
    rule = matching_rule(line, RULES)
    return rule is not None and rule.name in {"widget_label", "share_buttons", "share_widget", "comment_form"}


@pytest.mark.parametrize(
    "line",
    [
        "3 Minuten",
        "Lesezeit: 3 Minuten",
        "Lesezeit 4 Min.",
        "3 min read",
        "5 minute read",
        "Reading time: 6 minutes",
        "Temps de lecture : 3 min",
        "3 min de lecture",
        "Tiempo de lectura: 4 minutos",
        "ca. 2 Minuten Lesezeit",
    ],
)
def test_reading_times(line: str) -> None:
    assert is_reading_time(line)


@pytest.mark.parametrize(
    "line",
    [
        "Ausgegeben am:",
        "15.09.2023 - 10:12",
        "Ausgegeben am: 15.09.2023 - 10:12",
        "Veröffentlicht am 15. September 2023, 10:12 Uhr",
        "Aktualisiert am 15.09.2023 um 12:00 Uhr",
        "Stand: 15.09.2023",
        "Published Sept. 15, 2023 10:12 a.m. ET",
        "Updated: September 15, 2023",
        "Publié le vendredi 15 septembre 2023 à 10h12, mis à jour à 12h00",
        "Publicado el 15 de septiembre de 2023",
        "vor 2 Stunden",
        "Freitag, 15.09.2023",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    ["Share", "Teilen", "Partager", "Leave a Reply", "Schreibe einen Kommentar", "Facebook Twitter E-Mail"],
)
def test_widget_lines(line: str) -> None:
    assert is_widget_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Laut TASS produziert das Werk die russischen Kampfflugzeuge Suchoi Su-35 und Su-57.",
        "Es wäre Putins zweite Reise nach Nordkorea. Er traf Kims Vater Kim Jong-il im Juli 2000 in Pjöngjang.",
        "Am 15.09.2023 reiste Kim nach Komsomolsk weiter, wo er ein Flugzeugwerk besichtigte.",
        "Stand der Dinge",
        "3 Minuten dauerte die Rede, dann ging Kim.",
        "Austausch von Gewehren",
        "Die Tasse Kaffee kostet 3 Euro.",
        "Share prices rose 3 percent on Friday.",
        "Veröffentlicht in Welt",
    ],
)
def test_article_text_is_not_furniture(line: str) -> None:
    assert not is_reading_time(line)
    assert not is_date_line(line)
    assert not is_widget_line(line)


def test_drop_boilerplate() -> None:
    blocks = [
        Block("Kim besucht Luftfahrtfabrik", "h2"),
        Block("Von Anna Schmidt und Lukas Becker"),
        Block("Ausgegeben am:"),
        Block("15.09.2023 - 10:12"),
        Block("3 Minuten"),
        Block("Der nordkoreanische Machthaber Kim Jong Un ist am Freitag eingetroffen."),
        Block("Kims Besuch hat Besorgnis ausgelöst"),
        Block("Kims Besuch hat Besorgnis ausgelöst © AFP"),
        Block("Lesen Sie auch: Putin empfängt Kim"),
        Block("Austausch von Gewehren", "h2"),
        Block("Teilen"),
        Block("source site-28"),
    ]
    kept, bylines = drop_boilerplate(
        blocks,
        title="Kim besucht Luftfahrtfabrik",
        captions=[Caption("Kims Besuch hat Besorgnis ausgelöst", "© AFP")],
        language="de",
    )
    assert kept == [
        # left to pipelines/clean.py: fixed furniture patterns and scraper-specific junk
        Block("3 Minuten"),
        Block("Der nordkoreanische Machthaber Kim Jong Un ist am Freitag eingetroffen."),
        Block("Lesen Sie auch: Putin empfängt Kim"),
        Block("Austausch von Gewehren", "h2"),
        Block("Teilen"),
        Block("source site-28"),
    ]
    assert bylines == ["Anna Schmidt", "Lukas Becker"]
    cleaned, removed = clean_blocks(kept, RULES)
    assert cleaned == [
        Block("Der nordkoreanische Machthaber Kim Jong Un ist am Freitag eingetroffen."),
        Block("Austausch von Gewehren", "h2"),
    ]
    assert sorted(removed) == ["read_also_link", "reading_time", "scraper_source_tag", "share_widget"]


def test_a_caption_repeated_in_other_typography_is_dropped() -> None:
    """Captions repeated in the body are removed here, and only here, in crawler.textkeys' form."""
    caption = Caption("Kims Besuch hat weit verbreitete Besorgnis ausgelöst", "© STR / KCNA VIA KNS/AFP")
    blocks = [
        Block("Beide Länder unterliegen einer Reihe von Sanktionen."),
        Block("„Kims Besuch hat weit verbreitete Besorgnis ausgelöst.“"),
        Block("Kims Besuch hat weit verbreitete Besorgnis ausgelöst © STR/KCNA via KNS / AFP"),
        Block("STR / KCNA VIA KNS/AFP"),
    ]
    kept, _ = drop_boilerplate(blocks, title=None, captions=[caption], language="de")
    assert kept == [Block("Beide Länder unterliegen einer Reihe von Sanktionen.")]
