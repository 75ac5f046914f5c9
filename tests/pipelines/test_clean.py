from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import Article, Block
from pipelines.clean import CleanPipeline, clean_blocks, load_rules

RULES = load_rules()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("source site-28", "scraper_source_tag"),
        ("Source Site28", "scraper_source_tag"),
        ("Leave a Reply", "comment_form"),
        ("Leave a Comment", "comment_form"),
        ("Schreibe einen Kommentar", "comment_form"),
        ("12 Kommentare", "comment_form"),
        ("Share this:", "share_widget"),
        ("Artikel teilen", "share_widget"),
        ("3 Minuten", "reading_time"),
        ("5 min read", "reading_time"),
        ("Lesezeit: 4 Minuten", "reading_time"),
        ("Temps de lecture : 2 min", "reading_time"),
        ("Advertisement", "advertisement"),
        ("Anzeige", "advertisement"),
        ("We use cookies to improve your experience. Accept all", "cookie_notice"),
        ("Diese Website verwendet Cookies.", "cookie_notice"),
        ("Ausgegeben am:", "date_label"),
        ("Publié le", "date_label"),
        ("Sign up for our newsletter", "newsletter_promo"),
        ("Newsletter abonnieren", "newsletter_promo"),
        ("Read more", "read_more"),
        ("Skip to content", "skip_link"),
        ("\u3000Skip\u00a0 to\u2003content\n", "skip_link"),  # any whitespace, runs of it, at the ends
    ],
)
def test_junk_lines_are_removed_by_their_rule(text: str, rule: str) -> None:
    kept, removed = clean_blocks([Block(text)], RULES)
    assert kept == []
    assert removed == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "Kims Fernostbesuch werde noch einige Tage dauern, sagte Kremlsprecher Dmitri Peskow am Donnerstag.",
        "The minister said the source of the leak was a site in Ohio.",
        "Anzeigen gegen den Bürgermeister wurden am Montag eingereicht.",
        "It took 3 minutes for the rescue team to arrive.",
        "Readers who share this view wrote to the paper.",
        "Austausch von Gewehren",
    ],
)
def test_real_sentences_are_kept(text: str) -> None:
    kept, removed = clean_blocks([Block(text)], RULES)
    assert [b.text for b in kept] == [text]
    assert removed == []


def test_pipeline_counts_removals_by_rule() -> None:
    stats = MemoryStatsCollector.__new__(MemoryStatsCollector)
    stats._stats = {}
    pipeline = CleanPipeline(RULES, stats)
    article = Article(
        url="https://e.com/a",
        canonical_url="https://e.com/a",
        blocks=[Block("First paragraph."), Block("source site-28"), Block("Leave a Reply"), Block("Last.")],
    )
    pipeline.process_item(article)
    assert [b.text for b in article.blocks] == ["First paragraph.", "Last."]
    assert stats.get_value("ingest/clean/removed/scraper_source_tag") == 1
    assert stats.get_value("ingest/clean/removed/comment_form") == 1


def test_bad_rules_file_names_file_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nname = "broken"\npattern = "(unclosed"\n')
    with pytest.raises(ValueError, match=r"rules.toml: rule 'broken': key 'pattern'"):
        load_rules(path)
