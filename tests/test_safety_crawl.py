"""Real crawls against the fault-injecting portal, each in a subprocess (one reactor per process).

The crawl settings are ``SAFETY_SETTINGS`` plus what a test needs (127.0.0.1 allowed, short
timeouts, no delays); a small extension dumps the final stats, the items and the download
slots to a JSON file when the spider closes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import scrapy
from parsel import Selector
from scrapy import signals

from newscrawl.demo.faults import (
    GOOD_PATHS,
    GOOD_TITLES,
    RECOVERABLE_PATHS,
    RECOVERABLE_TITLES,
    CanaryServer,
    FaultPortal,
)
from newscrawl.safety.charset import decode_html, is_bot_challenge, looks_like_soft_404
from newscrawl.safety.limits import is_complete
from newscrawl.safety.settings import SAFETY_SETTINGS, merged

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
# Bound on one crawl subprocess; the crawls themselves take seconds.
CRAWL_TIMEOUT = 120

BASE_TEST_SETTINGS: dict[str, Any] = {
    "NEWSCRAWL_SSRF_ALLOW": ["127.0.0.1"],
    "DOWNLOAD_TIMEOUT": 2,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "DOWNLOAD_MAXSIZE": 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 512 * 1024,
    "RETRY_TIMES": 1,
    "NEWSCRAWL_ROBOTS_RETRY_DELAY": 0.2,
    "CLOSESPIDER_TIMEOUT": 90,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "EXTENSIONS": {"tests.test_safety_crawl.DumpCrawl": 0},
}


class FaultSpider(scrapy.Spider):
    """Follows every link of the index; yields a dict for each page that is a good article."""

    name = "faults"

    def __init__(self, start_urls: list[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.start_urls = start_urls

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_index, dont_filter=True)

    def parse_index(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_page)

    def parse_page(self, response):
        if response.meta.get("newscrawl_truncated") or response.meta.get("newscrawl_challenge"):
            return
        if not is_complete(response):
            return
        content_type = response.headers.get(b"Content-Type")
        text, encoding = decode_html(
            response.body, content_type.decode("latin-1") if content_type else None
        )
        if not text.strip():
            return
        sel = Selector(text=text)
        title = sel.css("title::text").get()
        h1 = sel.css("h1::text").get()
        date = sel.css("time::attr(datetime)").get()
        paragraphs = [p.strip() for p in sel.css("article p::text").getall() if p.strip()]
        body = "\n\n".join(paragraphs)
        if not (h1 and date and paragraphs):
            return
        if is_bot_challenge(title, text) or looks_like_soft_404(h1, body):
            return
        yield {"path": urlsplit(response.url).path, "h1": h1, "encoding": encoding, "body": body}


class DumpCrawl:
    """Writes stats, items and download slots to ``NEWSCRAWL_TEST_DUMP`` when the spider closes."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings["NEWSCRAWL_TEST_DUMP"]
        self.items: list[dict[str, Any]] = []
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_scraped(self, item, **kwargs):
        self.items.append(dict(item))

    def spider_closed(self, spider, reason):
        slots = {
            key: {"delay": slot.delay, "jitter": slot.jitter}
            for key, slot in self.crawler.engine.downloader.slots.items()
        }
        data = {
            "reason": reason,
            "stats": self.crawler.stats.get_stats(),
            "items": self.items,
            "slots": slots,
        }
        Path(self.path).write_text(json.dumps(data, default=str, ensure_ascii=True))


def crawl_main(config_path: str) -> None:
    """Subprocess entry point: one crawl with the settings in the JSON config."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    config = json.loads(Path(config_path).read_text())
    settings = Settings()
    settings.setdict(
        merged(SAFETY_SETTINGS, BASE_TEST_SETTINGS, config["settings"]), priority="project"
    )
    process = CrawlerProcess(settings)
    process.crawl(FaultSpider, start_urls=config["start_urls"])
    process.start()


def run_crawl(tmp_path: Path, start_urls: list[str], **overrides: Any) -> dict[str, Any]:
    dump = tmp_path / "dump.json"
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"start_urls": start_urls, "settings": {**overrides, "NEWSCRAWL_TEST_DUMP": str(dump)}}
        )
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tests.test_safety_crawl import crawl_main; crawl_main(sys.argv[1])",
            str(config),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
    )
    log = proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert dump.exists(), log[-4000:]
    result = json.loads(dump.read_text())
    result["log"] = log
    return result


def _stat(result: dict[str, Any], key: str) -> int:
    return result["stats"].get(key, 0)


def _paths(result: dict[str, Any]) -> list[str]:
    return sorted(item["path"] for item in result["items"])


@pytest.fixture
def canaries():
    """Canaries on 127.0.0.2 and 127.0.0.3, and one on 127.0.0.1 (reachable only by name)."""
    try:
        remote = CanaryServer("127.0.0.2").start()
        decimal = CanaryServer("127.0.0.3").start()
    except OSError as exc:
        pytest.skip(
            f"cannot bind the canaries to 127.0.0.2/3 ({exc}); needs 127/8 routed to loopback (Linux)"
        )
    local = CanaryServer("127.0.0.1").start()
    yield remote, local, decimal
    remote.stop()
    local.stop()
    decimal.stop()


def test_fault_portal_crawl(tmp_path, canaries):
    remote, local, decimal = canaries
    with FaultPortal(
        "ok",
        canary_port=remote.port,
        local_canary_port=local.port,
        decimal_canary_port=decimal.port,
        slow_seconds=5,
    ) as portal:
        result = run_crawl(tmp_path, [portal.url("/")])
        requested = portal.paths()
        agents = {agent for _, _, agent in portal.requests}

    # The crawl finished on its own, every good page and every recoverable page was yielded and
    # nothing else.
    assert result["reason"] == "finished"
    assert _paths(result) == sorted(GOOD_PATHS + RECOVERABLE_PATHS)
    titles = {item["path"]: item["h1"] for item in result["items"]}
    assert titles == {**GOOD_TITLES, **RECOVERABLE_TITLES}
    for item in result["items"]:
        assert "\x00" not in item["body"]
        item["body"].encode("utf-8")
    # CharsetRepairMiddleware hands the spider those pages re-encoded as UTF-8 (the cp1252
    # bytes, the NULs and the lone surrogates are gone) and counts each repair.
    assert {
        i["path"]: i["encoding"] for i in result["items"] if i["path"] in RECOVERABLE_PATHS
    } == {"/wrong-charset": "utf-8", "/meta-conflict": "utf-8", "/nul": "utf-8"}
    assert result["stats"]["newscrawl/charset/repaired"] == 3

    # The canaries never heard from us; the redirects to them were really followed up to the
    # guard (redirected requests pass through the downloader middlewares again).
    assert remote.connections == [] and local.connections == [] and decimal.connections == []
    assert {"/redirect-internal", "/redirect-decimal", "/redirect-localhost"} <= set(requested)
    # Three distinct blocked targets (127.0.0.2, 127.0.0.3 spelled in decimal, localhost).
    assert _stat(result, "newscrawl/ssrf/blocked") >= 3
    assert _stat(result, "newscrawl/ssrf/blocked/loopback") >= 2
    assert _stat(result, "newscrawl/ssrf/blocked/localhost") >= 1
    assert "SSRF guard blocked http://127.0.0.2:" in result["log"]

    # Every fault counted by kind.
    for kind in (
        "timeout",
        "truncated",
        "too_large",
        "bomb",
        "redirect_loop",
        "http_5xx",
        "empty",
        "challenge",
    ):
        assert _stat(result, f"newscrawl/fault/{kind}") >= 1, kind
    assert _stat(result, "newscrawl/fault/too_large") >= 2  # /huge and /huge-declared
    assert _stat(result, "newscrawl/fault/redirect_loop") >= 2  # /loop cycle and /chain
    # No spider code blew up on hostile pages (10,000 nested divs, NULs, bad charsets).
    assert not [k for k in result["stats"] if k.startswith("spider_exceptions")]
    assert "ScrapyDeprecationWarning" not in result["log"]

    # Politeness: robots.txt once, an honest User-Agent on every request.
    assert requested.count("/robots.txt") == 1
    assert all(
        agent.startswith("newscrawl/") and "(+https://github.com/newscrawl/newscrawl)" in agent
        for agent in agents
    )


def test_truncated_page_kept_by_lenient_download_is_flagged(tmp_path):
    """With DOWNLOAD_FAIL_ON_DATALOSS off, a cut page arrives, flagged, and is not stored."""
    with FaultPortal("ok", index_paths=[*GOOD_PATHS, "/truncated"]) as portal:
        result = run_crawl(tmp_path, [portal.url("/")], DOWNLOAD_FAIL_ON_DATALOSS=False)
    assert _paths(result) == sorted(GOOD_PATHS)
    assert _stat(result, "newscrawl/response/truncated") == 1
    assert _stat(result, "newscrawl/fault/truncated") == 1


def test_robots_404_allows_all(tmp_path):
    with FaultPortal("404", fault_links=False) as portal:
        result = run_crawl(tmp_path, [portal.url("/")])
    assert _paths(result) == sorted(GOOD_PATHS)
    assert _stat(result, "newscrawl/robots/allow_all") == 1
    assert _stat(result, "newscrawl/robots/status/404") == 1


def test_robots_5xx_holds_host_back_then_gives_up(tmp_path):
    with FaultPortal("5xx", fault_links=False) as portal:
        result = run_crawl(tmp_path, [portal.url("/")], NEWSCRAWL_ROBOTS_MAX_TRIES=3)
        requested = portal.paths()
    # Only robots.txt was ever requested, three times: the index was held back, then dropped.
    assert requested == ["/robots.txt"] * 3
    assert result["items"] == []
    assert _stat(result, "newscrawl/robots/fetch") == 3
    assert _stat(result, "newscrawl/robots/retry") == 2
    assert _stat(result, "newscrawl/robots/unavailable") == 1
    assert _stat(result, "newscrawl/robots/dropped") == 1
    assert result["reason"] == "finished"


def test_robots_5xx_then_ok_releases_held_requests(tmp_path):
    with FaultPortal("flaky", fault_links=False, robots_failures=1) as portal:
        # Two start requests: one waits for robots.txt, the other is held back behind it.
        result = run_crawl(tmp_path, [portal.url("/"), portal.url("/?again")])
        requested = portal.paths()
    # Nothing but robots.txt until it answered; then the crawl went on as normal.
    assert requested[:2] == ["/robots.txt", "/robots.txt"]
    assert requested.count("/robots.txt") == 2
    assert _paths(result) == sorted(GOOD_PATHS)
    assert _stat(result, "newscrawl/robots/retry") == 1
    assert _stat(result, "newscrawl/robots/held") >= 1
    assert _stat(result, "newscrawl/robots/unavailable") == 0


def test_robots_timeout_is_unavailable(tmp_path):
    with FaultPortal("timeout", fault_links=False, slow_seconds=4) as portal:
        result = run_crawl(tmp_path, [portal.url("/")], NEWSCRAWL_ROBOTS_MAX_TRIES=2)
        requested = portal.paths()
    assert set(requested) == {"/robots.txt"}
    assert result["items"] == []
    assert _stat(result, "newscrawl/fault/timeout") == 2
    assert _stat(result, "newscrawl/robots/unavailable") == 1


def test_robots_disallow_for_newscrawl_token(tmp_path):
    with FaultPortal("disallow", fault_links=False) as portal:
        result = run_crawl(tmp_path, [portal.url("/")])
        requested = portal.paths()
    # "User-agent: newscrawl / Disallow: /article/2" applies to us,
    # not "User-agent: * / Disallow: /".
    assert "/article/2" not in requested
    assert _paths(result) == ["/article/1", "/article/3"]
    assert _stat(result, "newscrawl/robots/forbidden") == 1


def test_crawl_delay_applied_to_slot_and_capped(tmp_path):
    with FaultPortal("crawl-delay", fault_links=False, crawl_delay=30) as portal:
        result = run_crawl(
            tmp_path,
            [portal.url("/")],
            NEWSCRAWL_MAX_CRAWL_DELAY=0.3,
            # AutoThrottle would lower the delay after each response; the floor must hold.
            AUTOTHROTTLE_ENABLED=True,
            AUTOTHROTTLE_START_DELAY=0.01,
            AUTOTHROTTLE_MAX_DELAY=0.5,
        )
    assert _paths(result) == sorted(GOOD_PATHS)
    # Capped at 0.3 (not 30); AutoThrottle may raise it (up to its 0.5 max) but never below.
    slot = result["slots"]["127.0.0.1"]
    assert 0.3 <= slot["delay"] <= 0.5 and slot["jitter"] == 0.0
    assert _stat(result, "newscrawl/robots/crawl_delay") == 1


def test_page_cap_closes_spider(tmp_path):
    with FaultPortal("ok", fault_links=False) as portal:
        result = run_crawl(
            tmp_path, [portal.url("/")], NEWSCRAWL_MAX_PAGES=2, CONCURRENT_REQUESTS_PER_DOMAIN=1
        )
    assert result["reason"] == "newscrawl_max_pages"
    assert _stat(result, "newscrawl/limits/max_pages_reached") == 2


def test_dns_resolver_guard_alone(tmp_path, canaries):
    """With the URL-level middleware off, the resolver still refuses internal answers."""
    remote, local, _decimal = canaries
    result = run_crawl(
        tmp_path,
        [f"http://localhost:{local.port}/", f"http://127.0.0.2:{remote.port}/"],
        NEWSCRAWL_SSRF_ALLOW=[],
        ROBOTSTXT_OBEY=False,
        RETRY_TIMES=0,
        DOWNLOADER_MIDDLEWARES={"newscrawl.safety.ssrf.SSRFGuardMiddleware": None},
    )
    assert remote.connections == [] and local.connections == []
    assert _stat(result, "newscrawl/ssrf/blocked") == 2
    assert _stat(result, "newscrawl/ssrf/blocked/dns_loopback") == 2
    assert _stat(result, "newscrawl/fault/ssrf_dns") == 2
