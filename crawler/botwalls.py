"""Recognise a bot wall: a challenge or block page served instead of the page asked for.

Pure: (status, headers, body) in, a ``Wall`` (vendor and why) or None out. Each rule needs a vendor's
own marker, never a status alone: a 403 from a site is the site's answer, a 403 with DataDome's
captcha page is a wall. Cloudflare injects its challenge-platform script into ordinary pages too, so
that script alone proves nothing; its interstitial title, ``_cf_chl_opt`` or ``cf-mitigated`` do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# How much of a page is looked at: walls are small, and markers sit in the head or the first script.
SCAN_BYTES = 64 * 1024
# A page with less visible text than this that loads a challenge script is only the challenge.
EMPTY_TEXT_CHARS = 200


@dataclass(frozen=True)
class Wall:
    vendor: str
    reason: str


CHALLENGE_SCRIPTS = (
    (b"/cdn-cgi/challenge-platform/", "Cloudflare"),
    (b"captcha-delivery.com", "DataDome"),
    (b"js.datadome.co", "DataDome"),
    (b"awswaf.com", "AWS WAF"),
    (b"client.perimeterx.net", "PerimeterX"),
    (b"px-cdn.net", "PerimeterX"),
    (b"/_incapsula_resource", "Imperva"),
)
SCRIPT_SRC = re.compile(rb"<script[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
TAGS = re.compile(rb"<(script|style|noscript)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)
TITLE = re.compile(rb"<title[^>]*>\s*(.*?)\s*</title", re.IGNORECASE | re.DOTALL)


def detect(status: int, headers: Mapping[str, str], body: bytes) -> Wall | None:
    """``headers``: names in lower case (one value each)."""
    head = body[:SCAN_BYTES]
    lower = head.lower()
    title = _title(head)
    # Cloudflare: the header is the vendor's own statement; else the interstitial's title and options.
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return Wall("Cloudflare", "cf-mitigated: challenge")
    if title.startswith(b"just a moment") and (b"_cf_chl_opt" in lower or b"/cdn-cgi/challenge-platform/" in lower):
        return Wall("Cloudflare", '"Just a moment…" interstitial')
    if b"_cf_chl_opt" in lower and status in (403, 429, 503):
        return Wall("Cloudflare", f"challenge page, HTTP {status}")
    if status in (403, 429) and title.startswith(b"attention required") and b"cloudflare" in lower:
        return Wall("Cloudflare", f"block page, HTTP {status}")
    # AWS WAF: a challenge is a 202 with the action header or the challenge script.
    if status == 202 and (
        headers.get("x-amzn-waf-action", "").lower() in ("challenge", "captcha") or b"awswaf" in lower
    ):
        return Wall("AWS WAF", "challenge, HTTP 202")
    if status in (403, 405, 429):
        if "x-datadome" in headers or "x-dd-b" in headers or b"captcha-delivery.com" in lower:
            return Wall("DataDome", f"block page, HTTP {status}")
        if b"_pxappid" in lower or b"px-captcha" in lower or b"perimeterx" in lower:
            return Wall("PerimeterX", f"block page, HTTP {status}")
        if b"_incapsula_resource" in lower or b"incapsula incident id" in lower:
            return Wall("Imperva", f"block page, HTTP {status}")
    # Any status: a page with next to no text whose scripts are a vendor's challenge.
    for src in SCRIPT_SRC.findall(head):
        for marker, vendor in CHALLENGE_SCRIPTS:
            if marker in src.lower() and _visible_chars(head) < EMPTY_TEXT_CHARS:
                return Wall(vendor, "an empty page that only loads a challenge script")
    return None


def _title(head: bytes) -> bytes:
    found = TITLE.search(head)
    if not found:
        return b""
    return found.group(1).replace(b"\xe2\x80\xa6", b"...").replace(b"&hellip;", b"...").strip().lower()


def _visible_chars(head: bytes) -> int:
    return len(b"".join(TAGS.sub(b" ", head).split()))
