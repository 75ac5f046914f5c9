from __future__ import annotations

import pytest

from crawler.items import Article, Block, Caption
from crawler.textkeys import block_key as normalise
from pipelines.paragraphs import ParagraphDedupPipeline, dedupe_blocks


def article(blocks: list[str], captions: list[Caption] | None = None) -> Article:
    return Article(
        url="https://e.com/a",
        canonical_url="https://e.com/a",
        blocks=[Block(t) for t in blocks],
        captions=captions or [],
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hello  world.", "hello world"),
        ("„Zitat“ hier!", '"zitat" hier'),
        ("«Citation»", '"citation"'),
        ("Line\nbreak …", "line break"),
        ("ＦＵＬＬ width", "full width"),
    ],
)
def test_normalise(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_repeated_promo_line_keeps_first_and_order() -> None:
    item = article(["A.", "Subscribe now!", "B.", "subscribe NOW", "C.", "Ok"])
    kept, repeats = dedupe_blocks(item)
    assert [b.text for b in kept] == ["A.", "Subscribe now!", "B.", "C.", "Ok"]
    assert repeats == 1


def test_a_page_printed_twice_loses_its_second_copy() -> None:
    paragraphs = ["The first paragraph of the story.", "The second paragraph of the story."]
    kept, repeats = dedupe_blocks(article([*paragraphs, *paragraphs]))
    assert ([b.text for b in kept], repeats) == (paragraphs, 2)


def test_repeats_that_are_most_of_the_text_stay() -> None:
    # one paragraph three times (a refrain, a template page): removing the repeats would discard most of it
    refrain = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor."
    blocks = [refrain, "Between.", refrain, refrain]
    kept, repeats = dedupe_blocks(article(blocks))
    assert ([b.text for b in kept], repeats) == (blocks, 0)


def test_similar_but_different_blocks_are_kept() -> None:
    item = article(["Der Kreml bestätigte das Treffen.", "Der Kreml bestätigte das Treffen nicht."])
    kept, _ = dedupe_blocks(item)
    assert len(kept) == 2


def test_pipeline_passes_other_items_through() -> None:
    pipeline = ParagraphDedupPipeline()
    other = {"not": "an article"}
    assert pipeline.process_item(other) is other


def test_required_fields_drop_soft_404_and_empty_bodies() -> None:
    from pipelines.required import EmptyBody, MissingTitle, RequiredFieldsPipeline, SoftNotFound

    pipeline = RequiredFieldsPipeline(min_body_chars=200)
    body = [Block("A real paragraph of news text. " * 10)]
    with pytest.raises(SoftNotFound):
        pipeline.process_item(Article(url="u", canonical_url="u", title="Page not found – The Courier", blocks=body))
    with pytest.raises(SoftNotFound):
        pipeline.process_item(Article(url="u", canonical_url="u", title="404", blocks=body))
    with pytest.raises(MissingTitle):
        pipeline.process_item(Article(url="u", canonical_url="u", title=" ", blocks=body))
    with pytest.raises(EmptyBody):
        pipeline.process_item(Article(url="u", canonical_url="u", title="T", blocks=[Block("Too short.")]))
    story = Article(url="u", canonical_url="u", title="Server error 404 costs airline millions", blocks=body * 6)
    assert pipeline.process_item(story) is story
