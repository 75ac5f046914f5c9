"""Bot-wall recognition on real-shaped pages written for these tests (tests/fixtures/botwalls/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.botwalls import Wall, detect

FIXTURES = Path(__file__).parent / "fixtures" / "botwalls"


@pytest.mark.parametrize(
    ("page", "status", "headers", "expected"),
    [
        ("cloudflare_interstitial.html", 403, {"server": "cloudflare"}, Wall("Cloudflare", '"Just a moment…" interstitial')),
        ("cloudflare_interstitial.html", 503, {}, Wall("Cloudflare", '"Just a moment…" interstitial')),
        ("site_403_forbidden.html", 403, {"cf-mitigated": "challenge"}, Wall("Cloudflare", "cf-mitigated: challenge")),
        ("aws_waf_challenge.html", 202, {"x-amzn-waf-action": "challenge"}, Wall("AWS WAF", "challenge, HTTP 202")),
        ("aws_waf_challenge.html", 202, {}, Wall("AWS WAF", "challenge, HTTP 202")),
        ("datadome_403.html", 403, {"x-datadome": "protected"}, Wall("DataDome", "block page, HTTP 403")),
        ("datadome_403.html", 429, {}, Wall("DataDome", "block page, HTTP 429")),
        ("perimeterx_403.html", 403, {}, Wall("PerimeterX", "block page, HTTP 403")),
        ("empty_challenge_script.html", 200, {}, Wall("DataDome", "an empty page that only loads a challenge script")),
        # Not walls: Cloudflare's script on an ordinary page; a site's own 403; the AWS page served as 200
        # still only loads the challenge: a wall.
        ("ordinary_article_with_cloudflare_script.html", 200, {"server": "cloudflare"}, None),
        ("site_403_forbidden.html", 403, {"server": "cloudflare"}, None),
        ("aws_waf_challenge.html", 200, {}, Wall("AWS WAF", "an empty page that only loads a challenge script")),
    ],
)
def test_detect(page: str, status: int, headers: dict[str, str], expected: Wall | None) -> None:
    assert detect(status, headers, (FIXTURES / page).read_bytes()) == expected


def test_an_empty_body_is_not_a_wall() -> None:
    assert detect(403, {}, b"") is None
    assert detect(200, {}, b"<rss><channel></channel></rss>") is None
