"""SSRF guard: no request to loopback, private or otherwise internal addresses.

Two layers, both on by default (``NEWSCRAWL_SSRF_GUARD = True``):

* :class:`SSRFGuardMiddleware`, a downloader middleware, checks every request URL with
  :func:`check_url` before any connection is made. Redirects are new requests and pass through
  downloader middlewares again, so every hop is checked.
* :class:`SSRFSafeResolver`, installed with ``TWISTED_DNS_RESOLVER``, checks the address a name
  resolves to, every time it is used (cache hits included), so a name that resolves to a public
  address once and to ``127.0.0.1`` later (DNS rebinding) is refused at connection time.

``NEWSCRAWL_SSRF_ALLOW`` lists hostnames, IP addresses or CIDR networks that are let through
(the local test replicas and ``make demo`` use ``["127.0.0.1"]``).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

__all__ = [
    "AllowList",
    "SSRFGuardMiddleware",
    "SSRFSafeResolver",
    "check_resolved",
    "check_url",
    "classify_ip",
    "parse_allow",
    "parse_host_ip",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_SCHEMES = frozenset({"http", "https"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_ULA = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPAT = ipaddress.ip_network("::/96")
# Dots that IDNA (UTS #46) maps to "." : ideographic, fullwidth and halfwidth full stops.
_DOTS_RE = re.compile("[\u3002\uff0e\uff61]")
# Characters that never belong in a hostname we would connect to (whitespace, controls,
# separators a lenient parser might split on).
_BAD_HOST_CHARS_RE = re.compile(r"[\x00-\x20\x7f/\\@?#%<>^|`{}\[\]\"']")
# One IPv4 number as inet_aton/WHATWG read it: 0x-hex, 0-octal or decimal.
_IPV4_PART_RE = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")
# Names that always mean "this machine" or a private network (RFC 6761, RFC 8375, common
# private-use suffixes, cloud metadata hosts). A news portal is never one of them.
_LOCAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".localdomain",
    ".internal",
    ".intranet",
    ".lan",
    ".home.arpa",
    ".corp",
    ".private",
)
_LOCAL_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain"})


@dataclass(frozen=True)
class AllowList:
    """Hostnames and networks let through the guard; build it with :func:`parse_allow`."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    def allows_ip(self, ip: IPAddress) -> bool:
        """True when *ip* (or the IPv4 address it embeds) is in an allowed network."""
        candidates = [ip]
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            candidates.append(embedded)
        return any(
            c in net for c in candidates for net in self.networks if c.version == net.version
        )


def _normalise_host(host: str) -> str:
    """Lower-case, percent-decode, NFKC-normalise a host and strip brackets and final dots.

    >>> _normalise_host("[::1]")
    '::1'
    >>> _normalise_host("LocalHost.")
    'localhost'
    >>> _normalise_host("%31%32%37.0.0.1")
    '127.0.0.1'
    >>> _normalise_host("１２７。０。０。１")
    '127.0.0.1'
    """
    host = unquote(host.strip())
    host = unicodedata.normalize("NFKC", host)
    host = _DOTS_RE.sub(".", host).lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".") if host not in (".", "") else host


@lru_cache(maxsize=64)
def _parse_allow_cached(entries: tuple[str, ...]) -> AllowList:
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in entries:
        item = entry.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            continue
        except ValueError:
            pass
        host = _normalise_host(item)
        ip = _try_ip(host)
        if ip is not None:
            networks.append(ipaddress.ip_network(ip))
        else:
            names.add(host)
    return AllowList(frozenset(names), tuple(networks))


def parse_allow(allow: Iterable[str] | AllowList | None) -> AllowList:
    """Build an :class:`AllowList` from hostnames, IP addresses and CIDR networks.

    >>> a = parse_allow(["127.0.0.1", "10.0.0.0/8", "Intranet.Example."])
    >>> sorted(a.names), [str(n) for n in a.networks]
    (['intranet.example'], ['127.0.0.1/32', '10.0.0.0/8'])
    >>> parse_allow(None)
    AllowList(names=frozenset(), networks=())
    """
    if isinstance(allow, AllowList):
        return allow
    if allow is None or isinstance(allow, str):
        allow = [allow] if allow else []
    return _parse_allow_cached(tuple(str(a) for a in allow))


def _parse_ipv4_number(part: str) -> int | None:
    """One part of a numeric IPv4 host, as ``inet_aton`` reads it (hex, octal or decimal).

    >>> _parse_ipv4_number("0x7f"), _parse_ipv4_number("0177"), _parse_ipv4_number("127")
    (127, 127, 127)
    >>> _parse_ipv4_number("0x"), _parse_ipv4_number("09") is None
    (0, True)
    """
    if not _IPV4_PART_RE.match(part):
        return None
    try:
        if part[:2] in ("0x", "0X"):
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": then the host must parse as IPv4 (or is rejected).

    >>> _ends_in_number("127.1"), _ends_in_number("0x7f000001"), _ends_in_number("kompas.com")
    (True, True, False)
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    return bool(last) and (last.isdigit() or _parse_ipv4_number(last) is not None)


def _parse_ipv4_forms(host: str) -> ipaddress.IPv4Address | None:
    """Parse every numeric IPv4 form (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``).

    Returns None when *host* is not a valid numeric IPv4 address.

    >>> str(_parse_ipv4_forms("2130706433")), str(_parse_ipv4_forms("0x7f.1"))
    ('127.0.0.1', '127.0.0.1')
    >>> str(_parse_ipv4_forms("0177.0.0.1")), str(_parse_ipv4_forms("127.1"))
    ('127.0.0.1', '127.0.0.1')
    >>> _parse_ipv4_forms("1.2.3.999") is None, _parse_ipv4_forms("1.2.3.4.5") is None
    (True, True)
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    nums = [n for n in numbers if n is not None]
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        return None
    value = nums[-1]
    for i, n in enumerate(nums[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _try_ip(host: str) -> IPAddress | None:
    """*host* (normalised) as an IP address in any accepted form, else None."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            return None
    if _ends_in_number(host):
        return _parse_ipv4_forms(host)
    return None


def parse_host_ip(host: str) -> IPAddress | None:
    """The IP address a URL host denotes, whatever numeric form it takes; None for names.

    >>> str(parse_host_ip("0x7f000001")), str(parse_host_ip("[::ffff:127.0.0.1]"))
    ('127.0.0.1', '::ffff:7f00:1')
    >>> parse_host_ip("surabayapagi.com") is None
    True
    """
    return _try_ip(_normalise_host(host))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, compatible, 6to4, NAT64)."""
    if ip.version != 6:
        return None
    assert isinstance(ip, ipaddress.IPv6Address)
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPAT and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def classify_ip(ip: IPAddress) -> str | None:
    """Why *ip* must not be contacted (a short reason), or None for a public address.

    >>> [classify_ip(ipaddress.ip_address(a)) for a in ("127.0.0.1", "10.1.2.3", "100.64.0.1")]
    ['loopback', 'private', 'cgnat']
    >>> [classify_ip(ipaddress.ip_address(a)) for a in ("169.254.169.254", "224.0.0.1", "0.0.0.0")]
    ['link_local', 'multicast', 'unspecified']
    >>> [classify_ip(ipaddress.ip_address(a)) for a in ("::ffff:10.0.0.1", "fd00::1", "fe80::1")]
    ['private', 'ula', 'link_local']
    >>> [classify_ip(ipaddress.ip_address(a)) for a in ("2002:7f00:1::", "240.0.0.1")]
    ['loopback', 'reserved']
    >>> [classify_ip(ipaddress.ip_address(a)) for a in ("203.0.113.9", "8.8.8.8")]
    ['private', None]
    """
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        reason = classify_ip(embedded)
        if reason is not None:
            return reason
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.version == 4 and ip in _CGNAT:
        return "cgnat"
    if ip.version == 6 and ip in _ULA:
        return "ula"
    if ip.version == 6 and getattr(ip, "is_site_local", False):
        return "site_local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "not_global"
    return None


def _local_name_reason(host: str) -> str | None:
    """Reason for refusing a hostname that names this machine or a private network."""
    if host in _LOCAL_NAMES:
        return "localhost"
    if host.endswith(_LOCAL_SUFFIXES):
        return "local_name"
    if "." not in host:
        return "single_label"
    return None


def check_url(url: str, allow: Iterable[str] | AllowList | None = ()) -> str | None:
    """Why *url* must not be fetched (a short reason), or None when it may be.

    Only http and https; no internal address in any spelling; names that mean "this machine"
    (``localhost``, ``*.local``, single labels) refused by name. Other names pass here and are
    checked by :class:`SSRFSafeResolver` when resolved. *allow* lets hostnames, IPs or CIDR
    networks through.

    >>> check_url("https://surabayapagi.com/news-1-x") is None
    True
    >>> [check_url(u) for u in ("http://127.0.0.1/", "http://2130706433/", "http://0x7f000001/")]
    ['loopback', 'loopback', 'loopback']
    >>> [check_url(u) for u in ("http://0177.0.0.1/", "http://127.1/", "http://[::ffff:7f00:1]/")]
    ['loopback', 'loopback', 'loopback']
    >>> [check_url(u) for u in ("http://localhost:8080/", "http://169.254.169.254/", "ftp://x.id/")]
    ['localhost', 'link_local', 'scheme']
    >>> check_url("http://127.0.0.1:8000/", allow=["127.0.0.1"]) is None
    True
    >>> check_url("http://user@10.0.0.5/", allow=["192.168.0.0/16"])
    'private'
    >>> check_url("http://1.2.3.999/"), check_url("not a url"), check_url(None)
    ('invalid_ip', 'scheme', 'invalid_url')
    """
    if not isinstance(url, str):
        return "invalid_url"
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return "invalid_url"
    if parts.scheme.lower() not in _SCHEMES:
        return "scheme"
    netloc = parts.netloc
    if "\\" in netloc:
        return "invalid_host"
    raw_host = netloc.rpartition("@")[2]
    if raw_host.startswith("["):
        raw_host = raw_host[: raw_host.find("]") + 1]
    else:
        raw_host = raw_host.partition(":")[0]
    host = _normalise_host(raw_host)
    if not host:
        return "no_host"
    allowed = parse_allow(allow)
    if host in allowed.names:
        return None
    if ":" in host:
        ip = _try_ip(host)
        if ip is None:
            return "invalid_ip"
    elif _ends_in_number(host):
        ip = _parse_ipv4_forms(host)
        if ip is None:
            return "invalid_ip"
    else:
        if _BAD_HOST_CHARS_RE.search(host):
            return "invalid_host"
        return _local_name_reason(host)
    if allowed.allows_ip(ip):
        return None
    return classify_ip(ip)


def check_resolved(
    hostname: str, address: str, allow: Iterable[str] | AllowList | None = ()
) -> str | None:
    """Why the resolved *address* of *hostname* must not be connected to, or None.

    >>> check_resolved("news.example", "93.184.216.34") is None
    True
    >>> check_resolved("rebind.example", "127.0.0.1")
    'loopback'
    >>> check_resolved("localhost", "127.0.0.1", allow=["127.0.0.1"]) is None
    True
    >>> check_resolved("x.example", "not-an-ip")
    'invalid_ip'
    """
    allowed = parse_allow(allow)
    if _normalise_host(hostname or "") in allowed.names:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "invalid_ip"
    if allowed.allows_ip(ip):
        return None
    return classify_ip(ip)


# Hostnames the resolver refused recently, with the reason: the downloader only sees a bare
# "Couldn't find the hostname" error, and FaultCounterMiddleware looks the reason up here.
_DNS_BLOCKS: OrderedDict[str, str] = OrderedDict()
_DNS_BLOCKS_LIMIT = 4096


def _record_dns_block(hostname: str, reason: str) -> None:
    _DNS_BLOCKS[hostname] = reason
    _DNS_BLOCKS.move_to_end(hostname)
    while len(_DNS_BLOCKS) > _DNS_BLOCKS_LIMIT:
        _DNS_BLOCKS.popitem(last=False)


def dns_block_reason(hostname: str | None) -> str | None:
    """The reason the resolver refused *hostname* in this process, if it did."""
    if not hostname:
        return None
    return _DNS_BLOCKS.get(hostname) or _DNS_BLOCKS.get(_normalise_host(hostname))


def _guard_enabled(settings: Any) -> bool:
    return settings.getbool("NEWSCRAWL_SSRF_GUARD", True)


class SSRFGuardMiddleware:
    """Downloader middleware refusing requests to internal addresses (every redirect hop too).

    Settings: ``NEWSCRAWL_SSRF_GUARD`` (default True), ``NEWSCRAWL_SSRF_ALLOW`` (list).
    Stats: ``newscrawl/ssrf/blocked`` and ``newscrawl/ssrf/blocked/<reason>``.
    """

    def __init__(self, crawler: Crawler):
        if not _guard_enabled(crawler.settings):
            raise NotConfigured("NEWSCRAWL_SSRF_GUARD is False: the SSRF guard is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.allow = parse_allow(crawler.settings.getlist("NEWSCRAWL_SSRF_ALLOW"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SSRFGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        reason = check_url(request.url, self.allow)
        if reason is None:
            return None
        self.stats.inc_value("newscrawl/ssrf/blocked")
        self.stats.inc_value(f"newscrawl/ssrf/blocked/{reason}")
        hops = request.meta.get("redirect_urls") or []
        logger.warning(
            "SSRF guard blocked %(url)s (%(reason)s)%(via)s",
            {
                "url": request.url,
                "reason": reason,
                "via": f" redirected from {hops[-1]}" if hops else "",
            },
        )
        raise IgnoreRequest(f"SSRF guard: {reason}: {request.url}")


@implementer(IResolverSimple)
class SSRFSafeResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses to hand out internal addresses.

    Install with ``TWISTED_DNS_RESOLVER = "newscrawl.safety.ssrf.SSRFSafeResolver"``. It is built
    from the *process* settings (``CrawlerProcess``), so ``NEWSCRAWL_SSRF_ALLOW`` and
    ``NEWSCRAWL_SSRF_GUARD`` must be project/command-line settings, not a spider's
    ``custom_settings``. Every answer, cached or fresh, is checked, so DNS rebinding is caught
    at connection time. A refused name fails like an unknown name (``DNSLookupError``).
    """

    def __init__(
        self,
        reactor: Any,
        cache_size: int,
        timeout: float,
        allow: AllowList | None = None,
        enabled: bool = True,
    ):
        super().__init__(reactor, cache_size, timeout)
        self.allow = allow or AllowList()
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> SSRFSafeResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            allow=parse_allow(settings.getlist("NEWSCRAWL_SSRF_ALLOW")),
            enabled=_guard_enabled(settings),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802
        d = super().getHostByName(name, timeout)
        if self.enabled:
            d.addCallback(self._check, name)
        return d

    def _check(self, address: str, name: str) -> str:
        reason = check_resolved(name, address, self.allow)
        if reason is None:
            return address
        _record_dns_block(name, reason)
        logger.warning(
            "SSRF guard refused DNS answer %(name)s -> %(address)s (%(reason)s)",
            {"name": name, "address": address, "reason": reason},
        )
        raise DNSLookupError(f"SSRF guard: {name} resolves to {address} ({reason})")
