"""Issue 12: a host refused at DNS fails at once (fault 8), and ordinary download failures are one
line and a counter, not a traceback. Real crawls in subprocesses against the fault portal."""

from __future__ import annotations

import logging

import pytest
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newscrawl.demo.faults import GOOD_PATHS, FaultPortal
from newscrawl.safety.limits import _OneLineDownloadErrors
from newscrawl.safety.ssrf import SSRFSafeResolver
from tests.test_safety_crawl import _paths, _stat, run_crawl


class FakeDNSResolver(SSRFSafeResolver):
    """The crawl's resolver, with two made-up names answered without a DNS server:
    ``*.rebind.example`` resolves to 127.0.0.1 (the guard refuses it) and ``*.invalid`` does not
    resolve. Every other name goes to the real resolver."""

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's name
        if name.endswith(".rebind.example"):
            d = defer.succeed("127.0.0.1")
            if self.enabled:
                d.addCallback(self._check, name)
            return d
        if name.endswith(".invalid"):
            return defer.fail(DNSLookupError(f"address {name!r} not found"))
        return super().getHostByName(name, timeout)


@pytest.mark.e2e
def test_host_refused_at_dns_fails_fast_with_the_reason(tmp_path) -> None:
    with FaultPortal("ok", fault_links=False) as portal:
        port = portal.port
        result = run_crawl(
            tmp_path,
            [f"http://news.rebind.example:{port}/", "http://news.invalid/"],
            TWISTED_DNS_RESOLVER="tests.test_crawl_faults.FakeDNSResolver",
            NEWSCRAWL_SSRF_ALLOW=[],  # news.rebind.example resolves to 127.0.0.1: refused
            NEWSCRAWL_ROBOTS_RETRY_DELAY=60,
            NEWSCRAWL_ROBOTS_MAX_TRIES=3,
            CLOSESPIDER_TIMEOUT=20,  # today's two-minute hold ends here, as a failure
        )
        requested = portal.paths()
    assert requested == []  # never connected
    assert result["reason"] == "finished"
    assert _stat(result, "newscrawl/robots/fetch") == 2  # once per host, no retries
    assert _stat(result, "newscrawl/robots/retry") == 0
    assert _stat(result, "newscrawl/robots/unavailable") == 0
    assert _stat(result, "newscrawl/robots/refused/ssrf_loopback") == 1
    assert _stat(result, "newscrawl/robots/refused/unresolved") == 1
    log = result["log"]
    assert f"news.rebind.example:{port} refused at DNS (SSRF guard: loopback" in log
    assert "http://news.invalid refused at DNS (news.invalid does not resolve)" in log
    assert "Traceback" not in log


@pytest.mark.e2e
def test_download_failures_are_one_line_and_counted(tmp_path) -> None:
    with FaultPortal("ok", index_paths=[*GOOD_PATHS, "/slow"], slow_seconds=5) as portal:
        result = run_crawl(tmp_path, [portal.url("/")], RETRY_TIMES=0)
    assert _paths(result) == sorted(GOOD_PATHS)
    assert _stat(result, "newscrawl/download_failed/timeout") == 1
    lines = [line for line in result["log"].splitlines() if "Error downloading" in line]
    assert len(lines) == 1 and "/slow" in lines[0] and "TimeoutError" in lines[0]
    assert "Traceback" not in result["log"]


def test_one_line_filter_keeps_tracebacks_of_unexpected_errors() -> None:
    class Stats:
        values: dict[str, int] = {}

        def inc_value(self, key: str) -> None:
            self.values[key] = self.values.get(key, 0) + 1

    stats = Stats()
    filt = _OneLineDownloadErrors(stats)

    def record(exc: BaseException) -> logging.LogRecord:
        try:
            raise exc
        except BaseException:
            import sys

            info = sys.exc_info()
        return logging.LogRecord(
            "scrapy.core.scraper",
            logging.ERROR,
            __file__,
            1,
            "Error downloading %(request)s",
            ({"request": "<GET http://a.id/>"},),
            info,
        )

    rec = record(ConnectionRefusedError("Connection was refused by other side"))
    assert filt.filter(rec) and rec.exc_info is None
    assert rec.getMessage() == (
        "Error downloading <GET http://a.id/>: "
        "ConnectionRefusedError: Connection was refused by other side"
    )
    assert stats.values == {"newscrawl/download_failed/connection_refused": 1}
    bug = record(KeyError("x"))
    assert filt.filter(bug) and bug.exc_info is not None  # a bug keeps its traceback
