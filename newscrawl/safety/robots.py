"""robots.txt politeness, replacing Scrapy's ``RobotsTxtMiddleware``.

Policy (RFC 9309, and what Google does with failures):

* robots.txt is fetched once per host (scheme + host + port) per crawl; rules are matched for the
  agent token ``newscrawl`` (``NEWSCRAWL_ROBOTS_AGENT``), falling back to ``*``.
* 2xx: parse and obey. 4xx (except 429): no usable robots.txt, allow all.
* The host refused at DNS (the SSRF guard refused its address, or the name does not resolve):
  nothing to wait for. The host is given up at once, with the reason in one log line and
  ``newscrawl/robots/refused/<reason>``; no retries.
* 5xx, 429, a timeout or a connection error: "disallow for now". Requests to the host are held
  back, robots.txt is fetched again after ``NEWSCRAWL_ROBOTS_RETRY_DELAY`` seconds, up to
  ``NEWSCRAWL_ROBOTS_MAX_TRIES`` fetches in all; then the host is given up (its requests are
  dropped) and ``newscrawl/robots/unavailable`` is counted.
* ``Crawl-delay``: the host's download slot delay becomes
  ``max(DOWNLOAD_DELAY, min(crawl_delay, NEWSCRAWL_MAX_CRAWL_DELAY))``, without jitter, and is
  restored after AutoThrottle adjusts it.

Stats: ``newscrawl/robots/{fetch,retry,unavailable,dropped,allow_all,forbidden,held,crawl_delay}``,
``newscrawl/robots/refused/<reason>``,
``newscrawl/robots/status/<code>``, ``newscrawl/robots/error/<ExceptionName>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from protego import Protego
from scrapy import Request, signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from newscrawl.safety.limits import classify_exception
from newscrawl.safety.slots import set_slot_delay
from newscrawl.safety.ssrf import dns_block_reason
from newscrawl.safety.useragent import ROBOTS_AGENT

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

__all__ = [
    "PoliteRobotsMiddleware",
    "effective_crawl_delay",
    "parse_robots",
    "robots_action",
]

RobotsAction = Literal["parse", "allow_all", "retry"]
# Meta key marking our own robots.txt requests (other components skip them).
ROBOTS_META = "newscrawl_robots"


def robots_action(status: int | None) -> RobotsAction:
    """What a robots.txt fetch outcome means; ``None`` stands for a network error or timeout.

    >>> [robots_action(s) for s in (200, 204, 404, 401, 403, 410)]
    ['parse', 'parse', 'allow_all', 'allow_all', 'allow_all', 'allow_all']
    >>> [robots_action(s) for s in (429, 500, 503, None)]
    ['retry', 'retry', 'retry', 'retry']
    >>> robots_action(301)  # redirects exhausted: no robots.txt
    'allow_all'
    """
    if status is None or status == 429 or status >= 500:
        return "retry"
    if 200 <= status < 300:
        return "parse"
    return "allow_all"


def effective_crawl_delay(
    download_delay: float, crawl_delay: float | None, cap: float
) -> float | None:
    """The slot delay a robots ``Crawl-delay`` asks for: ``max(DOWNLOAD_DELAY, min(delay, cap))``.

    None when robots.txt sets no (usable) delay.

    >>> effective_crawl_delay(1.0, 5, 30), effective_crawl_delay(1.0, 120, 30)
    (5.0, 30.0)
    >>> effective_crawl_delay(2.0, 0.5, 30), effective_crawl_delay(1.0, None, 30)
    (2.0, None)
    >>> effective_crawl_delay(1.0, -3, 30) is None
    True
    """
    if crawl_delay is None:
        return None
    try:
        delay = float(crawl_delay)
    except (TypeError, ValueError):
        return None
    if delay != delay or delay <= 0:  # NaN or nonsense
        return None
    return float(max(download_delay, min(delay, cap)))


def parse_robots(body: bytes | str | None) -> Protego:
    """Parse a robots.txt body leniently (bad bytes ignored, garbage means allow all).

    >>> rp = parse_robots(
    ...     b"User-agent: *\\nDisallow: /\\n\\nUser-agent: newscrawl\\nDisallow: /x\\n"
    ... )
    >>> rp.can_fetch("http://a.id/y", "newscrawl"), rp.can_fetch("http://a.id/x", "newscrawl")
    (True, False)
    >>> parse_robots(b"\\xff\\x00 nonsense").can_fetch("http://a.id/", "newscrawl")
    True
    """
    text = body.decode("utf-8", errors="ignore") if isinstance(body, bytes) else body or ""
    try:
        return Protego.parse(text)
    except Exception:  # Protego on hostile input: treat as an empty robots.txt
        return Protego.parse("")


class _RefusedAtDNS(Exception):
    """The host's name was refused at DNS: ``reason`` for stats, ``detail`` for the log."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass
class _HostRobots:
    """robots.txt state of one host."""

    state: Literal["pending", "ready", "gave_up"] = "pending"
    parser: Protego | None = None  # None when ready: allow all
    delay: float | None = None  # effective Crawl-delay for the host's slot
    tries: int = 0
    reason: str = ""  # why the host was given up
    waiters: list[Deferred[None]] = field(default_factory=list)

    def wake(self) -> None:
        waiters, self.waiters = self.waiters, []
        for d in waiters:
            d.callback(None)


class PoliteRobotsMiddleware:
    """Downloader middleware obeying robots.txt with retry-later on server errors."""

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is False")
        self.crawler = crawler
        self.stats = crawler.stats
        self.agent: str = settings.get("NEWSCRAWL_ROBOTS_AGENT") or ROBOTS_AGENT
        self.retry_delay = max(0.0, settings.getfloat("NEWSCRAWL_ROBOTS_RETRY_DELAY", 60.0))
        self.max_tries = max(1, settings.getint("NEWSCRAWL_ROBOTS_MAX_TRIES", 3))
        self.max_crawl_delay = settings.getfloat("NEWSCRAWL_MAX_CRAWL_DELAY", 30.0)
        self.download_delay = settings.getfloat("DOWNLOAD_DELAY")
        self._hosts: dict[str, _HostRobots] = {}
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRobotsMiddleware:
        return cls(crawler)

    @staticmethod
    def _host_key(request: Request) -> str | None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            return None
        return f"{parsed.scheme}://{parsed.netloc}"

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.meta.get(ROBOTS_META):
            return None
        key = self._host_key(request)
        if key is None:
            return None
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _HostRobots()
            await self._fetch_until_settled(key, host)
        while host.state == "pending":
            self.stats.inc_value("newscrawl/robots/held")
            waiter: Deferred[None] = Deferred()
            host.waiters.append(waiter)
            await maybe_deferred_to_future(waiter)
        if host.state == "gave_up":
            self.stats.inc_value("newscrawl/robots/dropped")
            raise IgnoreRequest(f"host {key} given up: {host.reason or 'robots.txt unavailable'}")
        self._apply_delay(request, host)
        if host.parser is not None and not host.parser.can_fetch(request.url, self.agent):
            self.stats.inc_value("newscrawl/robots/forbidden")
            logger.debug("Forbidden by robots.txt: %(url)s", {"url": request.url})
            raise IgnoreRequest("Forbidden by robots.txt")
        return None

    async def _fetch_until_settled(self, key: str, host: _HostRobots) -> None:
        """Fetch robots.txt of *key*, retrying after a delay on 5xx/errors, then wake waiters."""
        try:
            while True:
                host.tries += 1
                try:
                    status, body = await self._fetch(key)
                except _RefusedAtDNS as refused:
                    self.stats.inc_value(f"newscrawl/robots/refused/{refused.reason}")
                    host.reason = f"refused at DNS ({refused.detail})"
                    logger.error(
                        "%(host)s refused at DNS (%(detail)s): its requests are dropped",
                        {"host": key, "detail": refused.detail},
                    )
                    host.state = "gave_up"
                    break
                action = robots_action(status)
                if action == "parse":
                    host.parser = parse_robots(body)
                    host.delay = self._crawl_delay(host.parser)
                    host.state = "ready"
                    break
                if action == "allow_all":
                    self.stats.inc_value("newscrawl/robots/allow_all")
                    host.state = "ready"
                    break
                if host.tries >= self.max_tries:
                    self.stats.inc_value("newscrawl/robots/unavailable")
                    logger.error(
                        "robots.txt of %(host)s unavailable after %(tries)d tries: "
                        "giving up on the host",
                        {"host": key, "tries": host.tries},
                    )
                    host.reason = f"robots.txt unavailable after {host.tries} tries"
                    host.state = "gave_up"
                    break
                self.stats.inc_value("newscrawl/robots/retry")
                logger.warning(
                    "robots.txt of %(host)s unavailable (%(status)s): holding its requests back, "
                    "retry %(next)d/%(max)d in %(delay).1fs",
                    {
                        "host": key,
                        "status": status if status is not None else "no response",
                        "next": host.tries + 1,
                        "max": self.max_tries,
                        "delay": self.retry_delay,
                    },
                )
                await sleep(self.retry_delay)
        except BaseException:
            host.state = "gave_up"
            raise
        finally:
            host.wake()

    async def _fetch(self, key: str) -> tuple[int | None, bytes]:
        """One robots.txt download: ``(status, body)``, status None on a network error."""
        request = Request(
            f"{key}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True, ROBOTS_META: True, "dont_retry": True},
            callback=NO_CALLBACK,
            dont_filter=True,
        )
        self.stats.inc_value("newscrawl/robots/fetch")
        try:
            response: Response = await self.crawler.engine.download_async(request)
        except (IgnoreRequest, DownloadCancelledError) as exc:
            # Blocked redirect, redirect loop or a robots.txt bigger than DOWNLOAD_MAXSIZE:
            # there is no usable robots.txt, as with a 4xx.
            self.stats.inc_value(f"newscrawl/robots/error/{type(exc).__name__}")
            return 404, b""
        except Exception as exc:
            self.stats.inc_value(f"newscrawl/robots/error/{type(exc).__name__}")
            if classify_exception(exc) == "dns":
                # Not a network error that passes: a retry would hold the host for minutes.
                hostname = urlparse_cached(request).hostname
                guard = dns_block_reason(hostname)
                if guard is not None:
                    raise _RefusedAtDNS(f"ssrf_{guard}", f"SSRF guard: {guard} address") from exc
                raise _RefusedAtDNS("unresolved", f"{hostname} does not resolve") from exc
            logger.warning("robots.txt of %(host)s failed: %(exc)r", {"host": key, "exc": exc})
            return None, b""
        self.stats.inc_value(f"newscrawl/robots/status/{response.status}")
        return response.status, response.body

    def _crawl_delay(self, parser: Protego) -> float | None:
        try:
            raw = parser.crawl_delay(self.agent)
        except Exception:
            return None
        delay = effective_crawl_delay(self.download_delay, raw, self.max_crawl_delay)
        if delay is not None:
            self.stats.inc_value("newscrawl/robots/crawl_delay")
            logger.info(
                "robots.txt Crawl-delay %(raw)s: slot delay %(delay).2fs",
                {"raw": raw, "delay": delay},
            )
        return delay

    def _apply_delay(self, request: Request, host: _HostRobots) -> None:
        """Make the download slot of *request* wait at least the host's Crawl-delay."""
        if host.delay is not None:
            set_slot_delay(self.crawler, request, host.delay, floor=True)

    def _response_downloaded(
        self, response: Response, request: Request, spider: Any = None
    ) -> None:
        # AutoThrottle lowers slot delays after each response; put the Crawl-delay floor back.
        key = self._host_key(request)
        host = self._hosts.get(key) if key else None
        if host is not None and host.delay is not None:
            self._apply_delay(request, host)
