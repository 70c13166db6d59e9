"""SSRF guard: check_url in every spelling, the middleware and the DNS resolver (no network)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import dnscache
from scrapy.settings import Settings
from twisted.internet.error import DNSLookupError

from newscrawl.safety.ssrf import (
    SSRFGuardMiddleware,
    SSRFSafeResolver,
    check_resolved,
    check_url,
    classify_ip,
    dns_block_reason,
    parse_allow,
    parse_host_ip,
)
from tests.test_safety_policy import FakeCrawler


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # loopback in every numeric spelling
        ("http://127.0.0.1/", "loopback"),
        ("http://127.0.0.1:8080/x", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://0X7F.0.0.1/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://0177.00.00.01/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://127.0.1/", "loopback"),
        ("http://127.0.0.1./", "loopback"),
        ("http://017700000001/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:7f00:1]/", "loopback"),
        ("http://[0:0:0:0:0:ffff:127.0.0.1]:80/", "loopback"),
        ("http://[::127.0.0.1]/", "loopback"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[64:ff9b::127.0.0.1]/", "loopback"),
        ("http://%31%32%37.0.0.1/", "loopback"),
        ("http://１２７。０。０。１/", "loopback"),
        ("http://user:pw@127.0.0.1/", "loopback"),
        ("http://kompas.com@127.0.0.1/", "loopback"),
        # names meaning "this machine" or a private network
        ("http://localhost/", "localhost"),
        ("http://LOCALHOST.:8000/", "localhost"),
        ("http://foo.localhost/", "local_name"),
        ("http://printer.local/", "local_name"),
        ("http://metadata.google.internal/", "local_name"),
        ("http://router.home.arpa/", "local_name"),
        ("http://intranet/", "single_label"),
        # other internal ranges
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://0xc0a80101/", "private"),
        ("http://[::ffff:192.168.1.1]/", "private"),
        ("http://100.64.0.1/", "cgnat"),
        ("http://100.127.255.254/", "cgnat"),
        ("http://169.254.169.254/latest/meta-data/", "link_local"),
        ("http://[fe80::1]/", "link_local"),
        ("http://[fe80::1%25eth0]/", "link_local"),
        ("http://[fd12:3456::1]/", "ula"),
        ("http://[fc00::1]/", "ula"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        # schemes and junk
        ("ftp://example.com/", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://127.0.0.1/", "scheme"),
        ("data:text/html,hi", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("//example.com/", "scheme"),
        ("http:///path", "no_host"),
        ("http://1.2.3.999/", "invalid_ip"),
        ("http://1.2.3.4.5/", "invalid_ip"),
        ("http://[::zz]/", "invalid_url"),
        ("http://example.com:99999/", "invalid_url"),
        ("http://127.0.0.1\\@example.com/", "invalid_host"),
    ],
)
def test_check_url_blocks(url, reason):
    assert check_url(url) == reason


@pytest.mark.parametrize(
    "url",
    [
        "https://surabayapagi.com/news-123-judul",
        "http://jatim.tribunnews.com/2024/08/13/slug?page=all",
        "https://www.detik.com/jatim/berita/d-7000000/slug",
        "HTTPS://KOMPAS.COM/read/2024/08/13/1/x",
        "http://93.184.216.34/",
        "http://[2606:4700::1111]/",
        "http://1.1.1.1:8080/x",
        "https://bücher.example/",
        "http://100.63.255.255/",  # just below CGNAT
        "http://100.128.0.1/",  # just above CGNAT
        "http://123.example/",  # ends in a label, not a number
    ],
)
def test_check_url_allows_public(url):
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("url", "allow", "expected"),
    [
        ("http://127.0.0.1:8000/", ["127.0.0.1"], None),
        ("http://2130706433:8000/", ["127.0.0.1"], None),  # the same address, another spelling
        ("http://127.0.0.2:8000/", ["127.0.0.1"], "loopback"),  # the canary stays blocked
        ("http://localhost:8000/", ["127.0.0.1"], "localhost"),  # names are not IPs
        ("http://localhost:8000/", ["localhost"], None),
        ("http://127.0.0.2/", ["127.0.0.0/8"], None),
        ("http://10.1.2.3/", ["10.0.0.0/8"], None),
        ("http://10.1.2.3/", ["192.168.0.0/16"], "private"),
        ("http://[::ffff:10.1.2.3]/", ["10.0.0.0/8"], None),
        ("http://[fd00::5]/", ["fd00::/8"], None),
        ("http://printer.local/", ["PRINTER.local."], None),
        ("ftp://127.0.0.1/", ["127.0.0.1"], "scheme"),
        ("http://127.0.0.1/", ["not an address", ""], "loopback"),
    ],
)
def test_check_url_allow(url, allow, expected):
    assert check_url(url, allow=allow) == expected


def test_parse_allow_accepts_strings_and_allowlists():
    allow = parse_allow("127.0.0.1")
    assert check_url("http://127.0.0.1/", allow) is None
    assert parse_allow(allow) is allow


@pytest.mark.parametrize(
    ("host", "ip"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("192.168.257", "192.168.1.1"),
        ("0xa.0x1.1", "10.1.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("example.com", None),
        ("1.2.3.256", None),
        ("08.1.1.1", None),  # 08 is not octal: rejected, like inet_aton
    ],
)
def test_parse_host_ip(host, ip):
    parsed = parse_host_ip(host)
    assert (str(parsed) if parsed is not None else None) == ip


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("8.8.8.8", None),
        ("127.0.0.53", "loopback"),
        ("10.0.0.1", "private"),
        ("100.100.100.200", "cgnat"),
        ("169.254.0.1", "link_local"),
        ("192.0.2.1", "private"),  # documentation range: never a real portal
        ("::ffff:169.254.169.254", "link_local"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
    ],
)
def test_classify_ip(address, reason):
    assert classify_ip(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("hostname", "address", "allow", "reason"),
    [
        ("news.example", "93.184.216.34", [], None),
        ("rebind.example", "127.0.0.1", [], "loopback"),
        ("rebind.example", "10.0.0.7", [], "private"),
        ("replica.test", "127.0.0.1", ["127.0.0.1"], None),
        ("replica.test", "127.0.0.1", ["replica.test"], None),
        ("replica.test", "127.0.0.2", ["127.0.0.1"], "loopback"),
    ],
)
def test_check_resolved(hostname, address, allow, reason):
    assert check_resolved(hostname, address, allow) == reason


def _resolve_cached(resolver: SSRFSafeResolver, name: str, address: str):
    """Resolve *name* through Scrapy's DNS cache (no network, no reactor)."""
    dnscache[name] = address
    try:
        outcome: list = []
        resolver.getHostByName(name).addBoth(outcome.append)
        return outcome[0]
    finally:
        dnscache.pop(name, None)


def test_resolver_refuses_rebinding_even_from_cache():
    resolver = SSRFSafeResolver(None, cache_size=10000, timeout=5)
    assert (
        _resolve_cached(resolver, "public.newscrawl-test.example", "93.184.216.34")
        == "93.184.216.34"
    )
    failure = _resolve_cached(resolver, "rebind.newscrawl-test.example", "127.0.0.1")
    assert failure.check(DNSLookupError)
    assert "loopback" in str(failure.value)
    assert dns_block_reason("rebind.newscrawl-test.example") == "loopback"


def test_resolver_allow_list_and_disabled():
    allowed = SSRFSafeResolver(None, 10000, 5, allow=parse_allow(["127.0.0.1"]))
    assert _resolve_cached(allowed, "replica.newscrawl-test.example", "127.0.0.1") == "127.0.0.1"
    off = SSRFSafeResolver(None, 10000, 5, enabled=False)
    assert _resolve_cached(off, "off.newscrawl-test.example", "10.0.0.1") == "10.0.0.1"


def test_resolver_from_crawler_reads_settings():
    crawler = FakeCrawler(
        {"NEWSCRAWL_SSRF_ALLOW": ["10.0.0.0/8"], "DNSCACHE_SIZE": 10000, "DNS_TIMEOUT": 3}
    )
    resolver = SSRFSafeResolver.from_crawler(crawler, None)
    assert resolver.enabled and resolver.timeout == 3
    assert _resolve_cached(resolver, "lan.newscrawl-test.example", "10.9.9.9") == "10.9.9.9"


def test_middleware_blocks_counts_and_logs(caplog):
    crawler = FakeCrawler({"NEWSCRAWL_SSRF_ALLOW": ["127.0.0.1"]})
    mw = SSRFGuardMiddleware.from_crawler(crawler)
    assert mw.process_request(Request("http://127.0.0.1:8000/ok")) is None
    redirected = Request(
        "http://2130706434:9/", meta={"redirect_urls": ["http://127.0.0.1:8000/r"]}
    )
    with pytest.raises(IgnoreRequest, match="loopback"):
        mw.process_request(redirected)
    assert crawler.stats.get_value("newscrawl/ssrf/blocked") == 1
    assert crawler.stats.get_value("newscrawl/ssrf/blocked/loopback") == 1
    # w3lib < 2.6 keeps the decimal spelling of the host, w3lib >= 2.6 writes it dotted.
    assert "2130706434" in caplog.text or "127.0.0.2" in caplog.text
    assert "redirected from http://127.0.0.1:8000/r" in caplog.text


def test_middleware_can_be_disabled():
    with pytest.raises(NotConfigured, match="NEWSCRAWL_SSRF_GUARD"):
        SSRFGuardMiddleware.from_crawler(FakeCrawler({"NEWSCRAWL_SSRF_GUARD": False}))
    assert isinstance(FakeCrawler({}).settings, Settings)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_check_url_never_raises_on_text(url):
    result = check_url(url)
    assert result is None or isinstance(result, str)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
    st.text(alphabet="0123456789abcdefxX.:[]%@-_ ", max_size=40) | st.text(max_size=40),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_check_url_never_raises_on_hostile_hosts(scheme, host, allow):
    result = check_url(f"{scheme}://{host}/path", allow=allow)
    assert result is None or isinstance(result, str)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_check_url_decimal_form_matches_dotted(value):
    dotted = str(ipaddress.IPv4Address(value))
    assert check_url(f"http://{value}/") == check_url(f"http://{dotted}/")
    assert check_url(f"http://{hex(value)}/") == check_url(f"http://{dotted}/")
