"""What a failed request means: the reason to log, and whether a later run should try again."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.proxies import is_connection_error, without_credentials
from crawler.refusals import HostBackedOff, RobotsUnavailable

# Stat keys by request kind, written out so that each can be found (and is documented) as it is.
NOT_FETCHED = {
    "feed": "ingest/spider/feed_not_fetched",
    "sitemap": "ingest/spider/sitemap_not_fetched",
    "page": "ingest/spider/page_not_fetched",
    "article": "ingest/spider/article_not_fetched",
}
ERRORS = {
    "feed": "ingest/spider/feed_errors",
    "sitemap": "ingest/spider/sitemap_errors",
    "page": "ingest/spider/page_errors",
    "article": "ingest/spider/article_errors",
}
BLOCKED = {
    "feed": "ingest/spider/feed_blocked",
    "sitemap": "ingest/spider/sitemap_blocked",
    "page": "ingest/spider/page_blocked",
    "article": "ingest/spider/article_blocked",
}
REDIRECT_REPEATED = {
    "feed": "ingest/spider/feed_redirect_repeated",
    "sitemap": "ingest/spider/sitemap_redirect_repeated",
    "page": "ingest/spider/page_redirect_repeated",
    "article": "ingest/spider/article_redirect_repeated",
}
SPIDER_PREFIX = "ingest/spider/"


@dataclass(frozen=True)
class FailedRequest:
    reason: str
    final: bool  # True: the answer will not change by asking again (a 404, a refused address)
    declined: bool = False  # a policy said no (robots.txt, the address filter): not the site's error
    proxy: str | None = None  # "unreachable" or "refused": the operator's proxy failed, not the site


def describe_failure(failure: Failure) -> FailedRequest:
    value = failure.value
    if isinstance(value, HttpError):
        response = value.response
        status = response.status
        proxy = failure.request.meta.get("proxy") if hasattr(failure, "request") else None  # type: ignore[attr-defined]
        if status == 407 and proxy:
            return FailedRequest(
                f"proxy {without_credentials(proxy)} refused the request (HTTP 407, authentication)",
                final=False,
                proxy="refused",
            )
        if 300 <= status < 400:
            # A redirect the redirect middleware would not follow: no Location, or a non-HTTP one.
            location = response.headers.get(b"Location")
            target = location.decode("latin-1")[:200] if location else "nowhere"
            return FailedRequest(f"HTTP {status}: redirect to {target} not followed", final=True)
        return FailedRequest(f"HTTP {status}", final=400 <= status < 500 and status not in (408, 429))
    if isinstance(value, IgnoreRequest):
        # A host whose robots.txt failed is asked again next run; other refusals are final.
        return FailedRequest(str(value), final=not isinstance(value, (RobotsUnavailable, HostBackedOff)), declined=True)
    name = failure.type.__name__ if failure.type else "error"
    proxy = failure.request.meta.get("proxy") if hasattr(failure, "request") else None  # type: ignore[attr-defined]
    if proxy and is_connection_error(name):
        reason = f"proxy {without_credentials(proxy)} unreachable: {name}: {failure.getErrorMessage()}"
        return FailedRequest(reason, final=False, proxy="unreachable")
    return FailedRequest(f"{name}: {failure.getErrorMessage()}", final=False)
