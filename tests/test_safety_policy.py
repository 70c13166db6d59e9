"""Politeness and limits as pure functions and single middlewares (no reactor, no network)."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import Settings

from newscrawl.demo.faults import gzip_bomb
from newscrawl.safety.limits import (
    FaultCounterMiddleware,
    PageLimitExtension,
    ResponseCheckMiddleware,
    SafeHttpCompressionMiddleware,
    classify_exception,
    classify_status,
    is_complete,
)
from newscrawl.safety.robots import (
    PoliteRobotsMiddleware,
    effective_crawl_delay,
    parse_robots,
    robots_action,
)
from newscrawl.safety.settings import SAFETY_SETTINGS, merged
from newscrawl.safety.useragent import HonestUserAgentMiddleware, build_user_agent


class FakeStats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class FakeSignals:
    def connect(self, *args: Any, **kwargs: Any) -> None:
        pass


class FakeCrawler:
    """Just enough of a Crawler for from_crawler(): settings, stats, signals."""

    def __init__(self, values: dict[str, Any]):
        self.settings = Settings(merged(SAFETY_SETTINGS, values))
        self.stats = FakeStats()
        self.signals = FakeSignals()
        self.engine = None
        self.spider = None


# -- robots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (200, "parse"),
        (206, "parse"),
        (301, "allow_all"),
        (401, "allow_all"),
        (403, "allow_all"),
        (404, "allow_all"),
        (410, "allow_all"),
        (429, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
        (None, "retry"),
    ],
)
def test_robots_action(status, action):
    assert robots_action(status) == action


@pytest.mark.parametrize(
    ("download_delay", "crawl_delay", "cap", "expected"),
    [
        (1.0, 10, 30, 10.0),
        (1.0, 0.5, 30, 1.0),
        (0.0, 0.5, 30, 0.5),
        (1.0, 600, 30, 30.0),
        (1.0, 600, 0.3, 1.0),  # the cap never goes below DOWNLOAD_DELAY
        (1.0, None, 30, None),
        (1.0, 0, 30, None),
        (1.0, float("nan"), 30, None),
        (1.0, "abc", 30, None),
    ],
)
def test_effective_crawl_delay(download_delay, crawl_delay, cap, expected):
    assert effective_crawl_delay(download_delay, crawl_delay, cap) == expected


@pytest.mark.parametrize(
    ("robots", "url", "allowed"),
    [
        ("User-agent: *\nDisallow: /private\n", "http://a.id/private/x", False),
        ("User-agent: *\nDisallow: /private\n", "http://a.id/berita/x", True),
        ("User-agent: newscrawl\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "http://a.id/x", False),
        ("User-agent: *\nDisallow: /\n\nUser-agent: newscrawl\nAllow: /\n", "http://a.id/x", True),
        ("User-agent: Googlebot\nDisallow: /\n", "http://a.id/x", True),
        ("", "http://a.id/x", True),
        ("<html>not robots</html>", "http://a.id/x", True),
    ],
)
def test_robots_rules_matched_for_newscrawl_token(robots, url, allowed):
    assert parse_robots(robots.encode()).can_fetch(url, "newscrawl") is allowed


def test_robots_crawl_delay_for_agent():
    rp = parse_robots(b"User-agent: *\nCrawl-delay: 4\n\nUser-agent: newscrawl\nCrawl-delay: 12\n")
    assert rp.crawl_delay("newscrawl") == 12


def test_robots_middleware_settings():
    mw = PoliteRobotsMiddleware.from_crawler(
        FakeCrawler({"NEWSCRAWL_ROBOTS_RETRY_DELAY": 5, "NEWSCRAWL_ROBOTS_MAX_TRIES": 0})
    )
    assert (mw.retry_delay, mw.max_tries, mw.agent) == (5.0, 1, "newscrawl")
    with pytest.raises(NotConfigured, match="ROBOTSTXT_OBEY"):
        PoliteRobotsMiddleware.from_crawler(FakeCrawler({"ROBOTSTXT_OBEY": False}))


# -- user agent ----------------------------------------------------------------------------


def test_user_agent_is_honest():
    ua = build_user_agent(Settings({"NEWSCRAWL_CONTACT": "https://arsip.example/kontak"}))
    assert ua.startswith("newscrawl/") and ua.endswith("(+https://arsip.example/kontak)")
    assert SAFETY_SETTINGS["USER_AGENT"] == build_user_agent({})
    mw = HonestUserAgentMiddleware.from_crawler(
        FakeCrawler({"NEWSCRAWL_CONTACT": "tim@arsip.example"})
    )
    request = Request("http://a.id/")
    mw.process_request(request)
    assert request.headers[b"User-Agent"].decode().endswith("(+tim@arsip.example)")


# -- settings ------------------------------------------------------------------------------


def test_safety_settings_defaults():
    s = SAFETY_SETTINGS
    assert (s["ROBOTSTXT_OBEY"], s["CONCURRENT_REQUESTS_PER_DOMAIN"], s["DOWNLOAD_DELAY"]) == (
        True,
        1,
        1.0,
    )
    assert s["AUTOTHROTTLE_ENABLED"] is True
    assert (s["DOWNLOAD_MAXSIZE"], s["DOWNLOAD_WARNSIZE"]) == (8 * 1024 * 1024, 2 * 1024 * 1024)
    assert (s["DOWNLOAD_TIMEOUT"], s["REDIRECT_MAX_TIMES"], s["DEPTH_LIMIT"]) == (30, 5, 6)
    mws = s["DOWNLOADER_MIDDLEWARES"]
    assert mws["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    # The URL check runs before robots.txt (no robots request to a blocked host), fault counting
    # runs on the downloader side of RedirectMiddleware (600), the response check below
    # decompression (590).
    assert (
        mws["newscrawl.safety.ssrf.SSRFGuardMiddleware"]
        < mws["newscrawl.safety.robots.PoliteRobotsMiddleware"]
    )
    assert mws["newscrawl.safety.limits.FaultCounterMiddleware"] > 600
    assert mws["newscrawl.safety.limits.ResponseCheckMiddleware"] < 590
    assert s["TWISTED_DNS_RESOLVER"] == "newscrawl.safety.ssrf.SSRFSafeResolver"
    assert "DNS_RESOLVER" not in s  # deprecated in Scrapy 2.19


# -- completeness and fault kinds ------------------------------------------------------------

PAGE = (
    b"<!DOCTYPE html><html><head><title>t</title></head>"
    b"<body><h1>Judul</h1><p>Isi</p></body></html>"
)


@pytest.mark.parametrize(
    ("body", "headers", "flags", "complete"),
    [
        (PAGE, {"Content-Type": "text/html"}, [], True),
        (PAGE, {"Content-Type": "text/html", "Content-Length": str(len(PAGE))}, [], True),
        (PAGE, {"Content-Type": "text/html", "Content-Length": str(len(PAGE) + 500)}, [], False),
        (PAGE, {"Content-Type": "text/html", "Content-Length": "999"}, ["decompressed"], True),
        (PAGE, {"Content-Type": "text/html"}, ["dataloss"], False),
        (PAGE, {"Content-Type": "text/html"}, ["partial"], True),
        (PAGE[:60], {"Content-Type": "text/html"}, ["partial"], False),
        (PAGE[:60], {"Content-Type": "text/html"}, [], False),
        (PAGE.replace(b"</body></html>", b"</body>"), {"Content-Type": "text/html"}, [], True),
        (PAGE.replace(b"</body></html>", b"</html>"), {"Content-Type": "text/html"}, [], True),
        (PAGE.upper(), {"Content-Type": "text/html"}, [], True),
        (b"<p>fragment without html tags", {"Content-Type": "text/html"}, [], True),
        (b"", {"Content-Type": "text/html"}, [], True),
        (b'{"json": true', {"Content-Type": "application/json"}, [], True),
        (PAGE[:60], {}, [], False),  # no Content-Type, but clearly a cut HTML page
        (PAGE, {"Content-Type": "text/html", "Content-Length": "junk"}, [], True),
    ],
)
def test_is_complete(body, headers, flags, complete):
    response = Response("http://a.id/x", body=body, headers=headers, flags=flags)
    assert is_complete(response) is complete


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (DownloadTimeoutError("x"), "timeout"),
        (CannotResolveHostError("x"), "dns"),
        (DownloadCancelledError(""), "too_large"),
        (ResponseDataLossError(), "truncated"),
        (ConnectionResetError(), "connection"),
        (IgnoreRequest(), None),
        (RuntimeError(), "other"),
    ],
)
def test_classify_exception(exc, kind):
    assert classify_exception(exc) == kind


@pytest.mark.parametrize(
    ("status", "kind"),
    [(200, None), (304, None), (403, "http_4xx"), (429, "http_429"), (502, "http_5xx")],
)
def test_classify_status(status, kind):
    assert classify_status(status) == kind


def test_fault_counter_counts_loops_statuses_and_exceptions():
    crawler = FakeCrawler({})
    mw = FaultCounterMiddleware.from_crawler(crawler)
    stats = crawler.stats
    # /loop -> /loop2 -> /loop: a cycle
    request = Request(
        "http://a.id/loop2", meta={"redirect_urls": ["http://a.id/loop"], "redirect_times": 1}
    )
    mw.process_response(request, Response(request.url, status=302, headers={"Location": "/loop"}))
    # a long chain: the next hop would exceed REDIRECT_MAX_TIMES (5)
    request = Request(
        "http://a.id/c?n=5", meta={"redirect_urls": ["http://a.id/c"] * 5, "redirect_times": 5}
    )
    mw.process_response(request, Response(request.url, status=302, headers={"Location": "/c?n=6"}))
    # an ordinary redirect is not a fault
    request = Request("http://a.id/old")
    mw.process_response(request, Response(request.url, status=301, headers={"Location": "/new"}))
    mw.process_response(request, Response(request.url, status=503))
    mw.process_exception(request, DownloadTimeoutError("slow"))
    mw.process_exception(request, IgnoreRequest("robots"))
    assert stats.values == {
        "newscrawl/fault/redirect_loop": 2,
        "newscrawl/fault/http_5xx": 1,
        "newscrawl/fault/timeout": 1,
    }


def test_response_check_marks_truncated_challenge_and_empty():
    crawler = FakeCrawler({})
    mw = ResponseCheckMiddleware.from_crawler(crawler)
    cut = Request("http://a.id/cut")
    mw.process_response(cut, HtmlResponse(cut.url, body=PAGE[:50], request=cut))
    assert cut.meta["newscrawl_truncated"] is True
    challenge = Request("http://a.id/ch")
    body = b"<html><head><title>Just a moment...</title></head><body></body></html>"
    mw.process_response(challenge, HtmlResponse(challenge.url, body=body, request=challenge))
    assert challenge.meta["newscrawl_challenge"] is True
    empty = Request("http://a.id/empty")
    mw.process_response(empty, HtmlResponse(empty.url, body=b"", request=empty))
    good = Request("http://a.id/ok")
    mw.process_response(good, HtmlResponse(good.url, body=PAGE, request=good))
    assert "newscrawl_truncated" not in good.meta and "newscrawl_challenge" not in good.meta
    assert crawler.stats.values == {
        "newscrawl/response/truncated": 1,
        "newscrawl/fault/truncated": 1,
        "newscrawl/fault/challenge": 1,
        "newscrawl/fault/empty": 1,
    }


def test_decompression_bomb_is_stopped_and_counted():
    crawler = FakeCrawler({"DOWNLOAD_MAXSIZE": 1024 * 1024})
    mw = SafeHttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://a.id/bomb")
    bomb = gzip_bomb(b"<html><body>", 64 * 1024 * 1024)
    assert len(bomb) < 100_000
    headers = {"Content-Encoding": "gzip", "Content-Type": "text/html"}
    with pytest.raises(IgnoreRequest, match="DOWNLOAD_MAXSIZE"):
        mw.process_response(request, Response(request.url, body=bomb, headers=headers))
    assert crawler.stats.get_value("newscrawl/fault/bomb") == 1
    # an ordinary gzip page is decoded and flagged as decompressed
    page = gzip.compress(PAGE)
    out = mw.process_response(
        request,
        Response(request.url, body=page, headers={**headers, "Content-Length": str(len(page))}),
    )
    assert isinstance(out, TextResponse) and out.body == PAGE
    assert "decompressed" in out.flags and is_complete(out)


def test_page_limit_extension():
    with pytest.raises(NotConfigured):
        PageLimitExtension.from_crawler(FakeCrawler({"NEWSCRAWL_MAX_PAGES": 0}))

    closed: list[str] = []

    class Engine:
        async def close_spider_async(self, reason: str) -> None:
            closed.append(reason)

    crawler = FakeCrawler({"NEWSCRAWL_MAX_PAGES": 2})
    crawler.engine = Engine()
    ext = PageLimitExtension.from_crawler(crawler)

    async def crawl() -> None:  # the close is scheduled on the running loop, as in a crawl
        robots = Request("http://a.id/robots.txt", meta={"newscrawl_robots": True})
        ext.response_received(Response(robots.url), robots)
        for n in range(4):
            req = Request(f"http://a.id/{n}")
            ext.response_received(Response(req.url), req)
        await asyncio.sleep(0)

    asyncio.run(crawl())
    assert closed == ["newscrawl_max_pages"]
    assert crawler.stats.get_value("newscrawl/limits/max_pages_reached") == 2
