"""The seed case: the article this project was built from, as its publisher and as a scraper render it.

Expectations are written from /work/shared/seed-article.txt, not generated from the extractor.
"""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction import extract_article
from crawler.items import Article, Block, Caption, Hints
from tests.conftest import as_stored

SITES = Path(__file__).resolve().parents[1] / "sites"
BASE = "http://127.0.0.1:8000"
ORIGINAL = "/original/2023/09/15/kim-besucht-luftfahrtfabrik.html"
SCRAPER = "/scraper/2023/09/kim-besucht-eine-militaerische-luftfahrtfabrik.html"
BERLIN = ZoneInfo("Europe/Berlin")

TITLE = "Nordkoreas Machthaber Kim besucht eine militärische Luftfahrtfabrik im Fernen Osten Russlands"
CREDIT = "© STR / KCNA VIA KNS/AFP"
CAPTION_1 = (
    "Nordkoreas Machthaber Kim Jong Un führte im Kosmodrom Wostotschny Gespräche mit Russlands Präsident Wladimir Putin"
)
CAPTION_2 = "Kims Besuch hat weit verbreitete Besorgnis über illegale Waffenabkommen ausgelöst"
BLOCKS = [
    Block(
        "Der nordkoreanische Machthaber Kim Jong Un ist am Freitag nach seinem Gipfeltreffen mit Präsident Wladimir Putin in einer russischen Industriestadt eingetroffen, um ein militärisches Luftfahrtwerk zu besichtigen, berichteten russische Behörden.",
        "p",
    ),
    Block(
        "Die historischen Verbündeten Russland und Nordkorea stehen beide unter einer Reihe globaler Sanktionen – Moskau wegen seines Ukraine-Konflikts, Pjöngjang wegen seiner Atomtests – und Kims Besuch löste bei Kiews Verbündeten Besorgnis über mögliche Waffenabkommen aus.",
        "p",
    ),
    Block(
        "Zwei Tage nach dem Treffen mit Putin auf einem Weltraumbahnhof fuhr Kims kugelsicherer Zug in Komsomolsk am Amur im Fernen Osten Russlands ein, wo er mit Blumen, Musik, einer Tanzgruppe und feierlichen Brotlaiben empfangen wurde, teilte die Agentur Interfax mit.",
        "p",
    ),
    Block(
        "Kim, der sein Land selten verlässt, ist im wichtigsten russischen Industriezentrum, um ein Militär- und Zivilluftfahrtunternehmen zu besuchen.",
        "p",
    ),
    Block(
        "Während Pjöngjang Moskaus Hilfe bei der Entwicklung seines Raketenprogramms benötigt, haben US-Beamte und Experten erklärt, Russland sei daran interessiert, nordkoreanische Munition für den Einsatz in der Ukraine zu kaufen.",
        "p",
    ),
    Block(
        "Die Nachrichtenagentur TASS berichtete, Kim habe eine Luftfahrtfabrik besucht, die nach dem sowjetischen Kosmonauten Juri Gagarin – dem ersten Menschen im Weltraum – benannt ist.",
        "p",
    ),
    Block("Laut TASS produziert das Werk die russischen Kampfflugzeuge Suchoi Su-35 und Su-57.", "p"),
    Block(
        "Als Kims Zug am Dienstag in Russland ankam – er hatte Pjöngjang am Sonntag verlassen –, wurde dem nordkoreanischen Staatschef ein signiertes Foto von Gagarin an der Grenze geschenkt.",
        "p",
    ),
    Block("Austausch von Gewehren", "h2"),
    Block("Kim führte am Mittwoch Gespräche mit Putin im Kosmodrom Wostotschny.", "p"),
    Block(
        "Anschließend sagte Putin im Fernsehen, Kim werde in Komsomolsk am Amur „Fabriken besuchen, in denen Zivil- und Kampfflugzeugausrüstung hergestellt wird“.",
        "p",
    ),
    Block(
        "Er fügte hinzu, dass Kim auch den fernöstlichen Hafen Wladiwostok besuchen werde, um eine Ausstellung russischer Kriegsschiffe zu beaufsichtigen.",
        "p",
    ),
    Block(
        "„In Wladiwostok gibt es auch eine militärische Komponente … um die Fähigkeiten der Pazifikflotte zu demonstrieren“, sagte Putin gegenüber staatlichen Medien.",
        "p",
    ),
    Block(
        "Kim werde die Fernöstliche Föderale Universität in Wladiwostok sowie die Russische Akademie der Wissenschaften besuchen, einschließlich Laboratorien zur Erforschung der Meeresbiologie, fügte Putin hinzu.",
        "p",
    ),
    Block("Kims Fernostbesuch werde noch einige Tage dauern, sagte Kremlsprecher Dmitri Peskow am Donnerstag.", "p"),
    Block(
        "Der Kreml bestätigte außerdem, dass Putin, der versucht, Bündnisse mit anderen vom Westen geächteten Führern zu stärken, Kims Einladung zu einem Besuch in Nordkorea angenommen hatte.",
        "p",
    ),
    Block(
        "Auf ihrem Gipfel „schenkte Putin (Kim) ein Gewehr aus unserer Produktion höchster Qualität. Im Gegenzug erhielt er auch ein in Nordkorea hergestelltes Gewehr“, sagte Peskow.",
        "p",
    ),
    Block(
        "Putin schenkte dem nordkoreanischen Staatschef außerdem einen „Handschuh aus einem Raumanzug, der mehrere Male im Weltraum war“.",
        "p",
    ),
    Block("Die USA konsultieren Tokio und Seoul", "h2"),
    Block(
        "Peskow sagte, Moskau werde sich „schnell darauf vorbereiten“, Außenminister Sergej Lawrow nach Pjöngjang zu entsenden – seine Reise soll im Oktober stattfinden –, bevor ein Putin-Besuch arrangiert werde.",
        "p",
    ),
    Block(
        "Es wäre Putins zweite Reise nach Nordkorea. Er traf Kims Vater Kim Jong-il im Juli 2000 in Pjöngjang, kurz nachdem er Präsident geworden war.",
        "p",
    ),
    Block(
        "Mehr als zwei Jahrzehnte später steht Russland aufgrund der Moskauer Ukraine-Offensive vor einer beispiellosen Isolation vom Westen, und Putin versucht, Bündnisse aus der Sowjetzeit zu stärken.",
        "p",
    ),
    Block("Kims Besuch in Russland ist seine erste offizielle Auslandsreise seit Ausbruch der Covid-19-Pandemie.", "p"),
    Block(
        "Beide Länder unterliegen einer Reihe von Sanktionen, und Kims Besuch hat weit verbreitete Besorgnis über illegale Waffenabkommen ausgelöst.",
        "p",
    ),
    Block(
        "Kim wird von einem militärisch starken Gefolge begleitet, an den Putin-Gesprächen waren auch hochrangige russische Militärs beteiligt.",
        "p",
    ),
    Block(
        "Nach dem Gipfel erklärte Putin gegenüber Reportern, er sehe „Möglichkeiten“ für eine militärische Zusammenarbeit.",
        "p",
    ),
    Block(
        "Westliche Länder haben Moskau und Pjöngjang angesichts des andauernden Konflikts in der Ukraine vor einem Waffengeschäft gewarnt.",
        "p",
    ),
    Block(
        "Das Weiße Haus teilte am Donnerstag mit, dass der nationale Sicherheitsberater der USA, Jake Sullivan, mit seinen japanischen und südkoreanischen Amtskollegen gesprochen habe, um das Treffen zwischen Putin und Kim zu besprechen.",
        "p",
    ),
    Block(
        "Sie stellten fest, dass jegliche Waffenexporte aus Nordkorea nach Russland „direkt gegen mehrere Resolutionen des UN-Sicherheitsrats verstoßen würden, einschließlich Resolutionen, für deren Annahme Russland selbst gestimmt hat“, heißt es in einer Erklärung des Weißen Hauses.",
        "p",
    ),
]
# what extraction leaves for pipelines/clean.py (a scraper's source tag); all else is already gone
# Left by extraction to the clean stage (pipelines/junk_rules.toml): fixed furniture and scraper junk.
SCRAPER_JUNK = [Block("3 Minuten", "p"), Block("source site-28", "p")]


def page(path: str) -> bytes:
    return (SITES / path.lstrip("/")).read_bytes().replace(b"{{base}}", BASE.encode())


@pytest.fixture(scope="module")
def original() -> Article:
    return extract_article(page(ORIGINAL), BASE + ORIGINAL, default_timezone=BERLIN)


@pytest.fixture(scope="module")
def scraper() -> Article:
    return extract_article(page(SCRAPER), BASE + SCRAPER, default_timezone=BERLIN)


def test_original_body(original: Article) -> None:
    assert original.blocks == BLOCKS


def test_scraper_body(scraper: Article) -> None:
    # the reading time sits under the headline, the scraper's tag at the end
    assert scraper.blocks == [*BLOCKS[:1], SCRAPER_JUNK[0], *BLOCKS[1:], SCRAPER_JUNK[1]]


def test_scraper_as_stored(scraper: Article) -> None:
    assert as_stored(copy.deepcopy(scraper)).blocks == BLOCKS


@pytest.mark.parametrize("name", ["original", "scraper"])
def test_no_furniture_in_body(name: str, request: pytest.FixtureRequest) -> None:
    article: Article = as_stored(copy.deepcopy(request.getfixturevalue(name)))
    texts = [block.text for block in article.blocks]
    for junk in (TITLE, "Ausgegeben am:", "15.09.2023 - 10:12", "3 Minuten", "Leave a Reply", CAPTION_2):
        assert junk not in texts
    assert not any("©" in text or "Teilen" == text or "Lesen Sie auch" in text for text in texts)


def test_original_captions(original: Article) -> None:
    assert original.captions == [
        Caption(CAPTION_1, CREDIT, f"{BASE}/original/media/2023/09/kim-putin-wostotschny.jpg"),
        # relative srcset, largest entry
        Caption(CAPTION_2, CREDIT, f"{BASE}/original/2023/09/15/media/kim-besuch-1280.jpg"),
    ]


def test_scraper_captions(scraper: Article) -> None:
    assert scraper.captions == [
        # wp-caption with the credit glued on; the srcset's 1500w original wins over src
        Caption(CAPTION_1, CREDIT, f"{BASE}/scraper/wp-content/uploads/2023/09/kim-putin.jpg"),
        # lazy-loaded: data-src, not the data: placeholder
        Caption(CAPTION_2, CREDIT, f"{BASE}/scraper/wp-content/uploads/2023/09/kim-besuch.jpg"),
    ]


def test_original_metadata(original: Article) -> None:
    assert original.title == TITLE
    assert original.url == BASE + ORIGINAL
    assert original.canonical_url == BASE + ORIGINAL
    assert original.published_at == "2023-09-15T08:12:00+00:00"
    assert original.modified_at is None
    assert original.authors == ["AFP"]
    assert original.language == "de"
    assert original.site_name == "Weltnachrichten"
    assert original.description == (
        "Der nordkoreanische Machthaber Kim Jong Un ist nach seinem Gipfeltreffen mit Wladimir Putin in "
        "Komsomolsk am Amur eingetroffen."
    )


def test_scraper_metadata(scraper: Article) -> None:
    assert scraper.title == TITLE
    assert scraper.canonical_url == BASE + SCRAPER
    assert scraper.authors == []
    assert scraper.language == "de"
    assert scraper.site_name is None
    assert scraper.description is None


def test_scraper_date_line_in_berlin_time(scraper: Article) -> None:
    # "Ausgegeben am:" and "15.09.2023 - 10:12" stand in adjacent elements; 10:12 CEST is 08:12 UTC
    assert scraper.published_at == "2023-09-15T08:12:00+00:00"


def test_scraper_date_line_without_timezone_takes_the_languages_zone() -> None:
    # No zone from the page or the seeds: a German page's local time is read as Berlin time.
    article = extract_article(page(SCRAPER), BASE + SCRAPER)
    assert article.published_at == "2023-09-15T08:12:00+00:00"


def test_scraper_date_line_with_an_explicit_zone() -> None:
    article = extract_article(page(SCRAPER), BASE + SCRAPER, default_timezone=ZoneInfo("UTC"))
    assert article.published_at == "2023-09-15T10:12:00+00:00"


def test_feed_timestamp_refines_a_printed_date_of_the_same_day() -> None:
    hint = Hints(published_at=datetime(2023, 9, 15, 8, 12, 30, tzinfo=ZoneInfo("UTC")))
    article = extract_article(page(SCRAPER), BASE + SCRAPER, hint, default_timezone=ZoneInfo("UTC"))
    assert article.published_at == "2023-09-15T08:12:30+00:00"


def test_original_offset_wins_over_default_timezone() -> None:
    article = extract_article(page(ORIGINAL), BASE + ORIGINAL, default_timezone=ZoneInfo("America/New_York"))
    assert article.published_at == "2023-09-15T08:12:00+00:00"


def test_text_input_equals_bytes_input() -> None:
    as_text = extract_article(page(SCRAPER).decode("utf-8"), BASE + SCRAPER, default_timezone=BERLIN)
    assert as_text == extract_article(page(SCRAPER), BASE + SCRAPER, default_timezone=BERLIN)


def test_source_and_fetched_at_come_from_the_caller() -> None:
    fetched = datetime(2023, 9, 15, 12, 0, 5, tzinfo=BERLIN)
    article = extract_article(page(ORIGINAL), BASE + ORIGINAL, Hints(source="weltnachrichten"), fetched_at=fetched)
    assert article.source == "weltnachrichten"
    assert article.fetched_at == "2023-09-15T10:00:05+00:00"
    assert article.raw_html is None


def test_extraction_is_pure() -> None:
    first = extract_article(page(SCRAPER), BASE + SCRAPER, default_timezone=BERLIN)
    extract_article(page(ORIGINAL), BASE + ORIGINAL)
    assert extract_article(page(SCRAPER), BASE + SCRAPER, default_timezone=BERLIN) == first


def test_mock_server_base_url_flows_into_urls() -> None:
    other = "http://127.0.0.1:54321"
    html = (SITES / ORIGINAL.lstrip("/")).read_text("utf-8").replace("{{base}}", other)
    article = extract_article(html, other + ORIGINAL)
    assert article.canonical_url == other + ORIGINAL
    assert [caption.image_url for caption in article.captions] == [
        f"{other}/original/media/2023/09/kim-putin-wostotschny.jpg",
        f"{other}/original/2023/09/15/media/kim-besuch-1280.jpg",
    ]
