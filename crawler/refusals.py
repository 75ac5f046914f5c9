"""Why the crawler declined a request: raised by the downloader middlewares, read by the spider.

The spider decides from these whether a later run should ask again (crawler.spiders.failures), so
they live below both: a spider never imports a middleware, nor a middleware a spider.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class RobotsUnavailable(IgnoreRequest):
    """The host's robots.txt failed (5xx, timeout, connection error): the host waits for a later run."""


class RefusedAddress(IgnoreRequest):
    """The request's scheme or address is not one the crawler may fetch."""


class HostBackedOff(IgnoreRequest):
    """The host answered with a bot wall (or asked to wait with Retry-After): not asked again before
    its backoff ends; a later run tries again."""
