"""Limits and fault accounting: nothing cut short is stored as a complete article.

* :func:`is_complete` and :class:`ResponseCheckMiddleware`: responses with ``dataloss``, a
  Content-Length mismatch or HTML cut before ``</body>``/``</html>`` get
  ``response.meta["newscrawl_truncated"] = True``; bot challenges get
  ``response.meta["newscrawl_challenge"] = True``.
* :class:`SafeHttpCompressionMiddleware`: Scrapy's decompression (which already enforces
  ``DOWNLOAD_MAXSIZE`` on the *decompressed* size and drops the response) plus counting bombs.
* :class:`FaultCounterMiddleware`: every fault counted by kind, ``newscrawl/fault/<kind>``.
* :class:`PageLimitExtension`: closes the spider after ``NEWSCRAWL_MAX_PAGES`` responses.
* :class:`DownloadErrorLogExtension`: a download that finally failed (timeout, DNS, refused
  connection, ...) is one log line and ``newscrawl/download_failed/<kind>``, not a traceback.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import error as txerror
from w3lib.url import safe_url_string

from newscrawl.safety.charset import is_bot_challenge, may_hold_challenge_markup
from newscrawl.safety.decompress import UndecodableContent, decompress
from newscrawl.safety.ssrf import dns_block_reason

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

__all__ = [
    "DownloadErrorLogExtension",
    "FaultCounterMiddleware",
    "PageLimitExtension",
    "ResponseCheckMiddleware",
    "SafeHttpCompressionMiddleware",
    "classify_exception",
    "classify_status",
    "is_complete",
]

TRUNCATED_META = "newscrawl_truncated"
CHALLENGE_META = "newscrawl_challenge"
# Flag added to responses whose body was decompressed (Content-Length then counts the
# compressed bytes, so it says nothing about the body we hold).
DECOMPRESSED_FLAG = "decompressed"

# An opening <html> or <body> tag: the document claims to be a whole page.
_HTML_OPEN_RE = re.compile(rb"<(?:html|body)[\s>]", re.IGNORECASE)
# A closing </html> or </body> tag: the page reached its end.
_HTML_CLOSE_RE = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
# The <title> of a page, for challenge detection.
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
# Only this much of the head of a page is scanned for an opening tag / challenge markup.
_HEAD_SCAN = 65_536
_CHALLENGE_SCAN = 100_000


def _header(response: Any, name: bytes) -> bytes:
    try:
        value = response.headers.get(name)
    except Exception:
        return b""
    return value or b""


def is_complete(response: Any) -> bool:
    """False when *response* was cut short: ``dataloss`` flag, fewer bytes than its
    Content-Length, or an HTML page that opens ``<html>``/``<body>`` and never closes either.

    Lenient on purpose: fragments, non-HTML bodies, close-delimited bodies (flag ``partial``)
    and empty bodies are complete unless one of the above holds.

    >>> from scrapy.http import HtmlResponse
    >>> page = b"<html><body><h1>Judul</h1><p>Isi</p></body></html>"
    >>> is_complete(HtmlResponse("http://a.id/", body=page))
    True
    >>> is_complete(HtmlResponse("http://a.id/", body=page[:30]))
    False
    >>> is_complete(HtmlResponse("http://a.id/", body=page, flags=["dataloss"]))
    False
    >>> is_complete(HtmlResponse("http://a.id/", body=page, headers={"Content-Length": "999"}))
    False
    >>> is_complete(HtmlResponse("http://a.id/", body=b"<p>a fragment"))
    True
    >>> is_complete(None)
    False
    """
    try:
        flags = list(getattr(response, "flags", None) or [])
        body = response.body
    except Exception:
        return False
    if not isinstance(body, bytes):
        return False
    if "dataloss" in flags:
        return False
    method = getattr(getattr(response, "request", None), "method", "GET")
    declared = _header(response, b"Content-Length")
    if (
        declared
        and DECOMPRESSED_FLAG not in flags
        and method != "HEAD"
        and not _header(response, b"Content-Encoding")
    ):
        try:
            if len(body) < int(declared.strip()):
                return False
        except ValueError:
            pass
    content_type = _header(response, b"Content-Type").lower()
    is_html = b"html" in content_type or (
        not content_type and _HTML_OPEN_RE.search(body[:_HEAD_SCAN])
    )
    opens_page = _HTML_OPEN_RE.search(body[:_HEAD_SCAN]) is not None
    return not (is_html and opens_page and not _HTML_CLOSE_RE.search(body))


def classify_exception(exc: BaseException) -> str | None:
    """The fault kind of a download exception (``None`` for IgnoreRequest: not a fault).

    >>> classify_exception(DownloadTimeoutError()), classify_exception(CannotResolveHostError())
    ('timeout', 'dns')
    >>> classify_exception(DownloadConnectionRefusedError())
    'connection_refused'
    >>> classify_exception(DownloadCancelledError())
    'too_large'
    >>> classify_exception(ResponseDataLossError()), classify_exception(IgnoreRequest()) is None
    ('truncated', True)
    >>> classify_exception(ValueError("x"))
    'other'
    """
    if isinstance(exc, IgnoreRequest):
        return None
    if isinstance(exc, (DownloadTimeoutError, txerror.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(exc, (CannotResolveHostError, txerror.DNSLookupError)):
        return "dns"
    if isinstance(
        exc,
        (DownloadConnectionRefusedError, txerror.ConnectionRefusedError, ConnectionRefusedError),
    ):
        return "connection_refused"
    if isinstance(exc, DownloadCancelledError):
        return "too_large"
    if isinstance(exc, ResponseDataLossError):
        return "truncated"
    if isinstance(
        exc, (DownloadFailedError, txerror.ConnectionLost, txerror.ConnectError, ConnectionError)
    ):
        return "connection"
    return "other"


def classify_status(status: int) -> str | None:
    """The fault kind of an HTTP status, or None for success and redirects.

    >>> [classify_status(s) for s in (200, 301, 404, 429, 500, 503)]
    [None, None, 'http_4xx', 'http_429', 'http_5xx', 'http_5xx']
    """
    if status == 429:
        return "http_429"
    if 400 <= status < 500:
        return "http_4xx"
    if status >= 500:
        return "http_5xx"
    return None


class FaultCounterMiddleware:
    """Counts every fault by kind in ``newscrawl/fault/<kind>`` (each attempt, before retries).

    Place it on the downloader side (a high order number, above RedirectMiddleware's 600) so it
    sees raw responses and exceptions first. Kinds: timeout, dns, connection_refused,
    connection, too_large, truncated, http_4xx, http_429, http_5xx, redirect_loop, ssrf_dns,
    other; ``bomb`` comes from :class:`SafeHttpCompressionMiddleware` and ``challenge``/``empty``
    from :class:`ResponseCheckMiddleware`.
    """

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("NEWSCRAWL_FAULT_STATS", True):
            raise NotConfigured("NEWSCRAWL_FAULT_STATS is False")
        self.stats = crawler.stats
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FaultCounterMiddleware:
        return cls(crawler)

    def _count(self, kind: str, request: Request, detail: Any = "") -> None:
        self.stats.inc_value(f"newscrawl/fault/{kind}")
        logger.debug(
            "Fault %(kind)s: %(url)s %(detail)s",
            {"kind": kind, "url": request.url, "detail": detail},
        )

    def process_response(self, request: Request, response: Response) -> Response:
        kind = classify_status(response.status)
        if kind:
            self._count(kind, request, response.status)
        elif 300 <= response.status < 400 and self._is_redirect_loop(request, response):
            self._count("redirect_loop", request, request.meta.get("redirect_urls", []))
        return response

    def _is_redirect_loop(self, request: Request, response: Response) -> bool:
        location = response.headers.get(b"Location")
        if not location or request.meta.get("dont_redirect"):
            return False
        try:
            target = urljoin(request.url, safe_url_string(location))
        except Exception:
            return False
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            return True
        return request.meta.get("redirect_times", 0) + 1 > self.max_redirects

    def process_exception(self, request: Request, exception: Exception) -> None:
        kind = classify_exception(exception)
        if kind is None:
            return None
        if kind == "dns":
            reason = dns_block_reason(_hostname(request))
            if reason is not None:
                self.stats.inc_value("newscrawl/ssrf/blocked")
                self.stats.inc_value(f"newscrawl/ssrf/blocked/dns_{reason}")
                kind = "ssrf_dns"
        self._count(kind, request, f"{type(exception).__name__}: {exception}")
        return None


def _hostname(request: Request) -> str | None:
    from scrapy.utils.httpobj import urlparse_cached

    return urlparse_cached(request).hostname


class ResponseCheckMiddleware:
    """Marks cut-short responses and bot challenges in ``response.meta`` and counts them.

    Place it below HttpCompressionMiddleware (590), e.g. 585, so it sees decompressed bodies.
    Stats: ``newscrawl/response/truncated``, ``newscrawl/fault/truncated``,
    ``newscrawl/fault/challenge``, ``newscrawl/fault/empty``.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseCheckMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("newscrawl_robots") or request.method == "HEAD":
            return response
        if not is_complete(response):
            request.meta[TRUNCATED_META] = True
            self.stats.inc_value("newscrawl/response/truncated")
            self.stats.inc_value("newscrawl/fault/truncated")
            logger.warning(
                "Truncated response, not a complete page: %(url)s", {"url": response.url}
            )
        body = response.body
        if response.status == 200 and not body.strip():
            self.stats.inc_value("newscrawl/fault/empty")
        elif (
            isinstance(response, HtmlResponse)
            or b"html" in _header(response, b"Content-Type").lower()
        ):
            head = body[:_CHALLENGE_SCAN]
            match = _TITLE_RE.search(head)
            title = match.group(1).decode("utf-8", "replace").strip() if match else ""
            # The markup check needs the decoded head only when the bytes may hold a marker.
            html = head.decode("utf-8", "replace") if may_hold_challenge_markup(head) else ""
            if is_bot_challenge(title, html):
                request.meta[CHALLENGE_META] = True
                self.stats.inc_value("newscrawl/fault/challenge")
                logger.warning("Bot challenge page: %(url)s", {"url": response.url})
        return response


try:  # the exception HttpCompressionMiddleware chains when DOWNLOAD_MAXSIZE is hit
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded
except ImportError:  # pragma: no cover - private name; fall back to the message
    _DecompressionMaxSizeExceeded = None  # type: ignore[assignment,misc]


class SafeHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, counting decompression bombs (``newscrawl/fault/bomb``).

    Decompression is :func:`newscrawl.safety.decompress.decompress` (the crawl's one bounded
    helper): it stops at ``DOWNLOAD_MAXSIZE`` decompressed bytes, all stacked codings together,
    and the response is dropped with IgnoreRequest; this subclass counts it, drops a body that is
    not what its Content-Encoding says with one line (``newscrawl/fault/undecodable``), and flags
    decompressed responses so :func:`is_complete` does not compare them with the compressed
    Content-Length. Replaces the stock middleware at 590.
    """

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Response | Request:
        encoded = bool(response.headers.getlist("Content-Encoding"))
        try:
            result = super().process_response(request, response)
        except UndecodableContent as exc:
            if self.stats is not None:
                self.stats.inc_value("newscrawl/fault/undecodable")
            logger.warning(
                "Ignored response %(url)s: its body is not what Content-Encoding says (%(exc)s)",
                {"url": response.url, "exc": exc},
            )
            raise IgnoreRequest(f"undecodable body: {exc}") from exc
        except IgnoreRequest as exc:
            cause = exc.__cause__
            is_bomb = (
                _DecompressionMaxSizeExceeded is not None
                and isinstance(cause, _DecompressionMaxSizeExceeded)
            ) or "during decompression" in str(exc)
            if is_bomb and self.stats is not None:
                self.stats.inc_value("newscrawl/fault/bomb")
            raise
        if encoded and result is not response and DECOMPRESSED_FLAG not in result.flags:
            result.flags = [*result.flags, DECOMPRESSED_FLAG]
        return result

    def _handle_encoding(  # type: ignore[override]
        self, body: bytes, content_encoding: list[bytes], max_size: int
    ) -> tuple[bytes, list[bytes]]:
        """Scrapy's split into codings to undo and to keep, then our one bounded helper: the
        cap holds for all stacked codings together (``gzip, gzip``), not for each."""
        to_decode, to_keep = self._split_encodings(content_encoding)
        # ``to_decode`` is in the order to undo them: header order is the reverse.
        return decompress(body, list(reversed(to_decode)), max_size=max_size), to_keep


class PageLimitExtension:
    """Closes the spider (reason ``newscrawl_max_pages``) after ``NEWSCRAWL_MAX_PAGES`` responses.

    robots.txt responses do not count. ``NEWSCRAWL_MAX_PAGES = 0`` disables it.
    """

    REASON = "newscrawl_max_pages"

    def __init__(self, crawler: Crawler):
        self.max_pages = crawler.settings.getint("NEWSCRAWL_MAX_PAGES", 0)
        if self.max_pages <= 0:
            raise NotConfigured("NEWSCRAWL_MAX_PAGES is 0: no page cap")
        self.crawler = crawler
        self.pages = 0
        self.closing = False
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLimitExtension:
        return cls(crawler)

    def response_received(self, response: Response, request: Request, spider: Any = None) -> None:
        if request.meta.get("newscrawl_robots") or self.closing:
            return
        self.pages += 1
        if self.pages >= self.max_pages:
            self.closing = True
            self.crawler.stats.set_value("newscrawl/limits/max_pages_reached", self.pages)
            logger.info(
                "NEWSCRAWL_MAX_PAGES (%(max)d) reached: closing the spider", {"max": self.max_pages}
            )
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=self.REASON))


class _OneLineDownloadErrors(logging.Filter):
    """Turns Scrapy's "Error downloading <request>" record with a traceback into one line with
    the error, and counts it. Unexpected exceptions (kind ``other``) keep their traceback."""

    def __init__(self, stats: Any) -> None:
        super().__init__()
        self.stats = stats

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not str(record.msg).startswith("Error downloading"):
            return True
        kind = classify_exception(exc)
        if kind is None or kind == "other":
            return True
        self.stats.inc_value(f"newscrawl/download_failed/{kind}")
        args = record.args if isinstance(record.args, dict) else {}
        error = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        record.msg = "Error downloading %(request)s: %(error)s"
        record.args = {**args, "error": " ".join(error.split())}
        record.exc_info = None
        record.exc_text = None
        return True


class DownloadErrorLogExtension:
    """Ordinary download failures (timeouts, DNS, refused or lost connections, cut bodies) are
    one line each and counted in ``newscrawl/download_failed/<kind>``; Scrapy would print a
    traceback for each. Disable with ``NEWSCRAWL_FAULT_STATS = False``."""

    LOGGER = "scrapy.core.scraper"

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("NEWSCRAWL_FAULT_STATS", True):
            raise NotConfigured("NEWSCRAWL_FAULT_STATS is False")
        self.filter = _OneLineDownloadErrors(crawler.stats)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DownloadErrorLogExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any = None) -> None:
        logging.getLogger(self.LOGGER).addFilter(self.filter)

    def spider_closed(self, spider: Any = None) -> None:
        logging.getLogger(self.LOGGER).removeFilter(self.filter)
