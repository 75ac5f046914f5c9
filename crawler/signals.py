"""Signals of our own, sent through the crawler's SignalManager."""

from __future__ import annotations

# Sent by the spider when an article request ends without an item: kwargs ``request`` and
# ``outcome`` ("not_article" for a final answer such as a 404 or a non-HTML page, "transient" for
# a failure worth retrying next run, such as a 503 or a timeout).
article_settled = object()
