"""Captions: figure markup, JSON-LD images, slideshows, lead images; credits as the page marks them up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extraction import extract_article
from crawler.extraction.captions import extract_captions
from crawler.extraction.document import index_page
from crawler.items import Caption
from crawler.pages import parse_html

URL = "https://news.example/politik/2023/09/kim.html"


def captions(body: str, head: str = "") -> list[Caption]:
    return extract_captions(index_page(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"), URL))


def test_figure_with_credit_span() -> None:
    body = (
        '<figure><img src="/img/a.jpg"><figcaption>Kim in Moskau <span class="credit">© AFP</span>'
        "</figcaption></figure>"
    )
    assert captions(body) == [Caption("Kim in Moskau", "© AFP", "https://news.example/img/a.jpg")]


def test_credit_element_outside_the_figcaption() -> None:
    body = (
        '<figure><img src="a.jpg"><span class="image__copyright">Foto: dpa</span>'
        "<figcaption>Kim in Moskau</figcaption></figure>"
    )
    assert captions(body) == [Caption("Kim in Moskau", "Foto: dpa", "https://news.example/politik/2023/09/a.jpg")]


def test_bracketed_credit_element() -> None:
    body = '<figure><img src="a.jpg"><figcaption>Kim <small class="copyright">(AFP)</small></figcaption></figure>'
    assert captions(body)[0].credit == "AFP"


def test_classic_wordpress_caption() -> None:
    body = (
        '<div id="attachment_1" class="wp-caption aligncenter"><img src="https://cdn.example/k-300.jpg" '
        'srcset="https://cdn.example/k-300.jpg 300w, https://cdn.example/k-1024.jpg 1024w, '
        'https://cdn.example/k-768.jpg 768w"><p class="wp-caption-text">Kim in Moskau. Foto: Reuters</p></div>'
    )
    assert captions(body) == [Caption("Kim in Moskau.", "Foto: Reuters", "https://cdn.example/k-1024.jpg")]


def test_block_editor_caption_with_lazy_image() -> None:
    body = (
        '<figure class="wp-block-image"><img src="data:image/gif;base64,R0lGOD" data-src="/up/k.jpg">'
        '<figcaption class="wp-element-caption">Kim in Moskau © dpa</figcaption></figure>'
    )
    assert captions(body) == [Caption("Kim in Moskau", "© dpa", "https://news.example/up/k.jpg")]


def test_picture_sources_and_density_descriptors() -> None:
    body = (
        '<figure><picture><source srcset="/k.webp 1x, /k@2x.webp 2x"><img src="/k.jpg"></picture>'
        "<figcaption>Kim</figcaption></figure>"
    )
    assert captions(body)[0].image_url == "https://news.example/k@2x.webp"


def test_caption_paragraph_after_an_image() -> None:
    body = (
        '<div class="content"><img src="../bild.jpg"><p class="caption">Kim in Moskau (Foto: dpa)</p>'
        "<p>Ein Absatz.</p></div>"
    )
    assert captions(body) == [Caption("Kim in Moskau", "Foto: dpa", "https://news.example/politik/2023/bild.jpg")]


def test_caption_without_image() -> None:
    assert captions('<p class="image-caption">Kim in Moskau</p>') == [Caption("Kim in Moskau", None, None)]


def test_base_href() -> None:
    body = '<figure><img src="k.jpg"><figcaption>Kim</figcaption></figure>'
    assert captions(body, '<base href="https://cdn.example/media/">')[0].image_url == "https://cdn.example/media/k.jpg"


def test_non_http_images_are_dropped() -> None:
    body = '<figure><img src="javascript:void(0)"><figcaption>Kim</figcaption></figure>'
    assert captions(body) == [Caption("Kim", None, None)]


def test_duplicates_keep_the_first() -> None:
    body = (
        '<figure><img src="/1.jpg"><figcaption>Kim in  Moskau © AFP</figcaption></figure>'
        '<figure><img src="/2.jpg"><figcaption>Kim in Moskau</figcaption></figure>'
        '<figure><img src="/3.jpg"><figcaption>Putin in Wladiwostok</figcaption></figure>'
    )
    assert captions(body) == [
        Caption("Kim in Moskau", "© AFP", "https://news.example/1.jpg"),
        Caption("Putin in Wladiwostok", None, "https://news.example/3.jpg"),
    ]


def test_page_order_across_markups() -> None:
    body = (
        '<div class="wp-caption"><img src="/1.jpg"><p class="wp-caption-text">Erstens</p></div>'
        '<figure><img src="/2.jpg"><figcaption>Zweitens</figcaption></figure>'
        '<img src="/3.jpg"><p class="caption">Drittens</p>'
        '<div class="wp-caption"><img src="/4.jpg"><p class="wp-caption-text">Viertens</p></div>'
    )
    assert [caption.text for caption in captions(body)] == ["Erstens", "Zweitens", "Drittens", "Viertens"]


def test_figures_without_caption_text() -> None:
    body = (
        '<figure><img src="/1.jpg"></figure>'
        '<figure><img src="/2.jpg"><figcaption><span class="credit">© AFP</span></figcaption></figure>'
    )
    assert captions(body) == []


def test_credit_printed_beside_a_bare_caption() -> None:
    # CNET/CBS: <p class="image-caption"> with a sibling <span class="image-credit">(Credit: Getty)</span>
    body = (
        '<div class="image"><img src="/a.jpg"><p class="image-caption">Cybill Shepherd arrives in Century City.</p>'
        '<span class="image-credit">(Credit: Getty)</span></div>'
    )
    assert captions(body) == [
        Caption("Cybill Shepherd arrives in Century City.", "Credit: Getty", "https://news.example/a.jpg")
    ]


def test_cite_beside_a_caption_is_its_credit() -> None:
    # WSJ: the agency in a <cite> before the caption paragraph, whose class only ends in "caption"
    body = (
        '<div class="inset"><img src="/b.jpg"> <cite>Reuters</cite> <p class="targetCaption">A lawyer speaks.</p></div>'
    )
    assert captions(body) == [Caption("A lawyer speaks.", "Reuters", "https://news.example/b.jpg")]


def test_image_viewer_words_are_no_caption_text() -> None:
    body = '<figure><img src="/c.png"><figcaption>Enlarge / Setting up a separate 5GHz network</figcaption></figure>'
    assert captions(body)[0].text == "Setting up a separate 5GHz network"


def test_teasers_and_labels_styled_as_captions_are_dropped() -> None:
    body = (
        '<span class="caption">Notifications</span>'
        '<span class="caption">TOP LINKS ON THIS TOPIC</span>'
        '<div><img src="/t.gif"><span class="caption">Oscar Pistorius Advance to Olympic...</span></div>'
        '<div><img src="/d.jpg"><div class="caption">A man walks his dog on the beach.</div></div>'
    )
    assert [caption.text for caption in captions(body)] == ["A man walks his dog on the beach."]


def test_a_caption_only_the_jsonld_states_is_kept_once() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Marines train together",
        "image": [
            {
                "@type": "ImageObject",
                "url": "https://x.example/lead.jpg",
                "caption": "Marines at the exercise. Photo: AFP",
            },
            {"@type": "ImageObject", "url": "https://x.example/2.jpg", "name": "P01-241016-317.jpg"},
            {
                "@type": "ImageObject",
                "url": "https://x.example/3.jpg",
                "description": "The pier seen from the beach",
                "author": {"@type": "Person", "name": "Jane Doe"},
            },
            {"@type": "ImageObject", "url": "https://x.example/4.jpg", "caption": "Shown on the page"},
        ],
    }
    paragraphs = "".join(f"<p>Paragraph {n} of the story, long enough to count as article text.</p>" for n in range(4))
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body><article>'
        f"<h1>Marines train together</h1><figure><img src='/4.jpg'><figcaption>Shown on the page</figcaption></figure>"
        f"{paragraphs}</article></body></html>"
    )
    article = extract_article(html, "https://x.example/a")
    assert article.captions == [
        Caption("Shown on the page", None, "https://x.example/4.jpg"),
        Caption("Marines at the exercise.", "Photo: AFP", "https://x.example/lead.jpg"),
        Caption("The pier seen from the beach", "Jane Doe", "https://x.example/3.jpg"),
    ]


CAPTION_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "captions"


def test_credits_in_the_forms_news_sites_print_them() -> None:
    html = (CAPTION_FIXTURES / "credits-in-many-forms.html").read_bytes()
    captions = extract_article(html, "https://herald.example/festival.html").captions
    assert [(caption.text, caption.credit) for caption in captions] == [
        ("Sailing boats line the quay on Saturday.", "Marta Ruiz/Coast Herald"),
        ("The main stage before the concert.", "Harbour Trust"),
        ("The quay as it looked in the last century. (Archive)", None),
        ("Visitors at the fish market.", "Lichtbild/Jonas Weber"),
        ("Rowers cross the finish line in the afternoon.", "EFE"),
        ("Khách đi phà về đất liền.", "Ảnh: Minh Anh"),
        ("Fireworks close the first night.", "Photograph by Lea Brandt"),
        # a BEM caption block: the credit spans apart, the separator before them dropped
        ("Police officers at the entrance", "Copyright Ola Berg/AP"),
        # a paragraph classed as the image's description, beside the figure
        ("The mayor opens the festival on Friday evening.", "Karl Dorn/dpa"),
        # a figcaption holding only the credit: the image's alt text is the caption
        ("The festival app shows the programme", "Image Credits: Coast Herald"),
    ]
    assert captions[8].image_url == "https://herald.example/img/mayor.jpg"


def test_teaser_cards_and_author_photos_are_no_captions() -> None:
    html = (CAPTION_FIXTURES / "teasers-and-author-boxes.html").read_bytes()
    captions = extract_article(html, "https://tagesblatt.example/fernwaerme.html").captions
    assert [(caption.text, caption.credit) for caption in captions] == [
        # linked to the picture's viewer page and to the picture itself: lightboxes, so captions
        ("Neue Rohre liegen am Hafen bereit.", "Foto: Jan Kurz"),
        ("Die Baustelle an der Kanalstraße.", "Foto: Jan Kurz"),
        # the offscreen "Legende:" is the screen reader's label, not caption text
        ("Das Netz soll bis 2030 doppelt so lang sein.", None),
    ]


def test_captions_without_caption_markup() -> None:
    html = (CAPTION_FIXTURES / "unmarked-captions.html").read_bytes()
    captions = extract_article(html, "https://valley.example/readers.html").captions
    assert [(caption.text, caption.credit, caption.image_url) for caption in captions] == [
        # a paragraph under the image, known by the credit line after it
        (
            "Pictured right, reader Nina Bell speaks to the novelist at the bookshop.",
            "Image: Tom Vale",
            "https://valley.example/img/readers.jpg",
        ),
        # a JSON-LD ImageObject of its own: its description is the caption, its author the credit
        ("The queue reached the corner", "Valley Post/Ann Roe", "https://valley.example/img/queue.jpg"),
        # not the page's "© 2026 Valley Post" under the partner logo
    ]


def test_lead_image_alt_text_and_media_titles() -> None:
    html = (CAPTION_FIXTURES / "lead-image-alt-and-media-titles.html").read_bytes()
    captions = extract_article(html, "https://herald.example/hake.html").captions
    assert [(caption.text, caption.credit, caption.image_url) for caption in captions] == [
        # the screenshot's source is its credit; the video's title and the lone "Fotoğraf" are no captions
        ('"Best fish ever"', "Capture d'écran de Reddit", "https://herald.example/media/forum.png"),
        # the lead image, uncaptioned: its alt text and the credit beside it
        (
            "Fishermen unload hake at the port of Vigo",
            "Ana Souto/Coast Herald",
            "https://herald.example/media/800x450/hake-recovery-2024.jpg",
        ),
    ]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # a file name, or the word for a picture, describes nothing
        ('<img src="/m/hake-recovery.jpg" alt="hake-recovery.jpg">', []),
        ('<img src="/m/hake-recovery.jpg" alt="Content media">', []),
        # an image og:image does not name, with an alt text other than the headline
        ('<img src="/m/other-picture.jpg" alt="Fishermen unload hake">', []),
        # the site's logo, shared by a page without a picture of its own
        ('<a href="/"><img src="/m/hake-recovery.jpg" alt="Coast Herald news"></a>', []),
        ('<img src="/m/hake-recovery.jpg" alt="Coast Herald logo">', []),
        # the headline as alt text marks the lead image even in another crop than og:image's
        ('<img src="/m/crop-16x9.jpg" alt="Hake recovers in the Atlantic">', ["Hake recovers in the Atlantic"]),
        # the lead image has a caption already
        (
            '<figure><img src="/m/hake-recovery.jpg" alt="Fishermen"><figcaption>At the port</figcaption></figure>',
            ["At the port"],
        ),
    ],
)
def test_alt_text_caption_only_for_the_uncaptioned_lead_image(lead: str, expected: list[str]) -> None:
    meta = "/m/hake-recovery.jpg"
    html = (
        f'<html><head><title>Hake recovers in the Atlantic</title><meta property="og:image" content="{meta}">'
        f"</head><body><article><h1>Hake recovers in the Atlantic</h1>{lead}<p>{'The stock has grown back. ' * 8}</p></article></body></html>"
    )
    texts = [caption.text for caption in extract_article(html, "https://herald.example/hake.html").captions]
    assert texts == expected


def test_picture_less_figure_keeps_a_sentence_caption() -> None:
    # an embed's caption that reads as a sentence describes what it shows
    body = '<figure><div class="embed"></div><figcaption>The port of Vigo at dawn.</figcaption></figure>'
    assert captions(body) == [Caption("The port of Vigo at dawn.", None, None)]
    assert captions('<figure><div class="player"></div><figcaption>Watch the recovery</figcaption></figure>') == []


def test_running_times_and_repeated_credits_are_no_captions() -> None:
    body = (
        '<figure><img src="/v.jpg"><figcaption>01:48 min Voters in the harbour town have cast their ballots'
        "</figcaption></figure>"
        '<figure><img src="/l.jpg"><figcaption>Etlaq <span class="credit">Etlaq</span></figcaption></figure>'
        '<figure><img src="/p.jpg"><figcaption>Boats at 14:30 in the harbour</figcaption></figure>'
    )
    assert [caption.text for caption in captions(body)] == ["Boats at 14:30 in the harbour"]
