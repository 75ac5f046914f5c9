"""JSON-LD read into JsonLdFacts (crawler.extraction.jsonld)."""

from __future__ import annotations

import json

from crawler.extraction.jsonld import MAX_SCRIPT_CHARS, read_jsonld


def test_graph_with_references() -> None:
    script = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "@id": "#site", "name": "Courier"},
                {"@type": "Organization", "@id": "#org", "name": "The Courier"},
                {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
                {
                    "@type": ["ReportageNewsArticle"],
                    "headline": "Headline",
                    "author": [{"@id": "#jane"}, {"@type": "Person", "givenName": "John", "familyName": "Roe"}],
                    "publisher": {"@id": "#org"},
                    "datePublished": "2023-09-15T10:12:00+02:00",
                    "dateModified": "2023-09-15T12:00:00+02:00",
                    "inLanguage": {"@type": "Language", "alternateName": "de"},
                    "description": "Kim &amp; Putin",
                },
            ],
        }
    )
    facts = read_jsonld([script])
    assert facts.headline == "Headline"
    assert facts.authors == ["Jane Doe", "John Roe"]
    assert facts.publisher == "The Courier"
    assert facts.date_published == "2023-09-15T10:12:00+02:00"
    assert facts.date_modified == "2023-09-15T12:00:00+02:00"
    assert facts.language == "de"
    assert facts.description == "Kim & Putin"


def test_article_types_win_over_web_pages() -> None:
    page = {"@type": "WebPage", "datePublished": "2020-01-01", "name": "Page"}
    article = {"@type": "http://schema.org/BlogPosting", "headline": "Post", "datePublished": "2023-09-15"}
    facts = read_jsonld([json.dumps(page), json.dumps([article])])
    assert (facts.headline, facts.date_published) == ("Post", "2023-09-15")


def test_web_page_when_there_is_no_article() -> None:
    facts = read_jsonld([json.dumps({"@type": "WebPage", "name": "Page", "datePublished": "2023-09-15"})])
    assert (facts.headline, facts.date_published) == ("Page", "2023-09-15")


def test_article_nested_as_main_entity() -> None:
    script = json.dumps({"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Inside"}})
    assert read_jsonld([script]).headline == "Inside"


def test_malformed_scripts_are_skipped() -> None:
    broken = '{"@type": "NewsArticle", "headline": "Broken",}'
    truncated = '{"@type": "NewsArticle", "headline": "Trunc'
    good = '{"@type": "NewsArticle", "headline": "Good", "author": "Tom Whitaker"}'
    facts = read_jsonld([broken, truncated, "", "null", "42", good])
    assert facts.headline == "Good"
    assert facts.authors == ["Tom Whitaker"]


def test_html_comment_and_cdata_wrappers() -> None:
    assert read_jsonld(['<!--\n{"@type": "Article", "headline": "A"}\n-->']).headline == "A"
    assert read_jsonld(['//<![CDATA[\n{"@type": "Article", "headline": "B"}\n//]]>']).headline == "B"


def test_control_characters_inside_strings() -> None:
    assert read_jsonld(['{"@type": "Article", "headline": "Line\nbreak"}']).headline == "Line break"


def test_oversized_script_is_skipped() -> None:
    huge = json.dumps({"@type": "Article", "headline": "Huge", "articleBody": "x" * MAX_SCRIPT_CHARS})
    assert read_jsonld([huge]).headline is None


def test_deeply_nested_lists_do_not_recurse_forever() -> None:
    script = "[" * 500 + '{"@type": "Article", "headline": "Deep"}' + "]" * 500
    assert read_jsonld([script]).headline is None


def test_author_urls_are_no_names() -> None:
    script = json.dumps({"@type": "Article", "author": ["https://example.com/jane", {"name": "Jane Doe"}]})
    assert read_jsonld([script]).authors == ["Jane Doe"]


def test_nothing() -> None:
    facts = read_jsonld([])
    assert facts.headline is None and facts.authors == []
