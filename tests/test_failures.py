from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError
from twisted.python.failure import Failure

from crawler.refusals import RobotsUnavailable
from crawler.spiders.failures import describe_failure


def http_error(status: int, headers: dict[str, str] | None = None) -> Failure:
    response = Response("https://e.com/a", status=status, headers=headers or {}, request=Request("https://e.com/a"))
    return Failure(HttpError(response, "ignored"))


@pytest.mark.parametrize(
    ("failure", "reason", "final", "declined"),
    [
        (http_error(404), "HTTP 404", True, False),
        (http_error(410), "HTTP 410", True, False),
        (http_error(429), "HTTP 429", False, False),
        (http_error(503), "HTTP 503", False, False),
        (http_error(302, {"Location": "file:///etc/passwd"}), "HTTP 302: redirect to file:///etc/passwd not followed", True, False),
        (Failure(IgnoreRequest("Forbidden by robots.txt")), "Forbidden by robots.txt", True, True),
        (Failure(RobotsUnavailable("robots.txt unavailable")), "robots.txt unavailable", False, True),
        (Failure(TCPTimedOutError()), "TCPTimedOutError: TCP connection timed out", False, False),
    ],
)
def test_describe_failure(failure: Failure, reason: str, final: bool, declined: bool) -> None:
    described = describe_failure(failure)
    assert described.reason.startswith(reason)
    assert (described.final, described.declined) == (final, declined)
