"""Pages whose article is their captions: slideshows and photo posts.

Body blocks that repeat a caption are normally dropped (the caption is stored once, as a caption).
On a slideshow the captions are all the text there is; dropping them would leave no body at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.items import Block, Caption
from crawler.textkeys import block_key

# Less body text than this besides the captions, and more caption text than body text, or more
# than twice as much caption text as body text: the captions are the article (a photo post).
MIN_OWN_BODY_CHARS = 200


def captions_outside_body(blocks: Iterable[Block], captions: list[Caption]) -> list[Caption]:
    """The captions that stay captions; those a slideshow's body consists of are left out, so that
    the boilerplate filter and the paragraph dedup keep them in the body."""
    if not captions:
        return captions
    by_key = {key: caption for caption in captions for key in _keys(caption)}
    in_body: set[int] = set()
    caption_chars = own_chars = 0
    for block in blocks:
        caption = by_key.get(block_key(block.text))
        if caption is None:
            own_chars += len(block.text)
        else:
            caption_chars += len(block.text)
            in_body.add(id(caption))
    if caption_chars <= own_chars or (own_chars >= MIN_OWN_BODY_CHARS and caption_chars <= 2 * own_chars):
        return captions
    return [caption for caption in captions if id(caption) not in in_body]


def _keys(caption: Caption) -> list[str]:
    # the same forms the boilerplate filter drops, so that what this keeps in the body stays there
    keys = [block_key(caption.text)]
    if caption.credit:
        keys += [block_key(caption.credit), block_key(f"{caption.text} {caption.credit}")]
    return [key for key in keys if key]
