"""Paywall marking: whether a page says it is for subscribers, and whether its body stops at a paywall.

Two signals, neither proof: the publisher's own JSON-LD ``isAccessibleForFree: false`` (what Google asks
paywalled sites to declare; reliable when present, absent on most sites), and a body whose last block is
a subscription prompt ("Subscribe to continue reading", "Réservé aux abonnés", "Jetzt weiterlesen mit
…"): the text was cut there. The prompt block is dropped from the body; the article is kept either way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from crawler.items import Block

PAYWALLED = "paywalled"

# A whole short block that is a subscription prompt, in the languages of our seeds.
MARKERS = re.compile(
    r"""^(
        (subscribe|sign\ up|log\ in|register)\b.{0,60}\b(continue|keep)\ reading
      | (to\ )?continue\ reading,?\ (subscribe|log\ in|sign\ in|become\ a\ (member|subscriber))
      | this\ (article|story|content)\ is\ (only\ )?(available\ )?(exclusively\ )?for\ (subscribers|members)
      | (already\ a\ subscriber|subscribers\ only)\b
      | (la\ suite\ est\ |cet\ article\ est\ )?réservée?\ aux\ abonnés
      | il\ vous\ reste\ \d+\ ?%\ de\ cet\ article\ à\ lire
      | (jetzt\ )?(weiterlesen|lesen\ sie\ weiter)\ mit\b
      | dieser\ (artikel|beitrag)\ ist\ (nur\ )?für\ abonnenten
      | (jetzt\ )?(abonnieren|abo\ abschließen)\ und\ weiterlesen
    )""",
    re.IGNORECASE | re.VERBOSE,
)
MAX_MARKER_CHARS = 200


def paywall(blocks: list[Block], jsonld_scripts: Iterable[str]) -> tuple[list[Block], str | None, bool]:
    """(blocks without a trailing prompt, access, truncated): access is "paywalled" or None (no signal)."""
    truncated = bool(blocks) and _is_marker(blocks[-1].text)
    if truncated:
        blocks = blocks[:-1]
    declared = any(_not_free(node) for script in jsonld_scripts for node in _nodes(script))
    return blocks, PAYWALLED if declared or truncated else None, truncated


def _is_marker(text: str) -> bool:
    text = " ".join(text.split())
    return len(text) <= MAX_MARKER_CHARS and MARKERS.match(text) is not None


def _not_free(node: dict[str, Any]) -> bool:
    value = node.get("isAccessibleForFree")
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _nodes(script: str) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(script)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))
