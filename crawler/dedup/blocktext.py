"""One block's comparison forms, cut once per write and shared by boilerplate keys, fingerprints and facts.

The archive writer used to fold and scan each block three times (its boilerplate key, the body's words,
the facts' tokens); a BlockText holds the one scan: the fact tokens and, cut from them, the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.textkeys import fold, tokens_of_folded, words_of_tokens


@dataclass(frozen=True, slots=True)
class BlockText:
    tokens: list[str]  # crawler.textkeys.TOKEN matches of the folded block (what facts read)
    words: list[str]  # crawler.textkeys.words of the block

    @classmethod
    def of(cls, text: str) -> BlockText:
        toks = tokens_of_folded(fold(text))
        return cls(toks, words_of_tokens(toks))

    @property
    def key_text(self) -> str:
        """crawler.textkeys.block_key of the block."""
        return " ".join(self.words)
