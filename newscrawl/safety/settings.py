"""Settings of the safety components, to merge into the project's settings.

``SAFETY_SETTINGS`` holds Scrapy settings and our own ``NEWSCRAWL_`` settings with their
defaults. Merge it *before* project-specific values, and merge the two dict settings
(``DOWNLOADER_MIDDLEWARES``, ``EXTENSIONS``) key by key rather than replacing them::

    from newscrawl.safety.settings import SAFETY_SETTINGS, merged

    globals().update(merged(SAFETY_SETTINGS, {"DOWNLOADER_MIDDLEWARES": {...}}))

Our settings, with defaults:

``NEWSCRAWL_CONTACT`` (``https://github.com/newscrawl/newscrawl``)
    URL or email put in the User-Agent: ``newscrawl/<version> (+<contact>)``.
``NEWSCRAWL_ROBOTS_AGENT`` (``"newscrawl"``)
    Agent token robots.txt groups are matched for (``*`` otherwise).
``NEWSCRAWL_ROBOTS_RETRY_DELAY`` (60.0 s), ``NEWSCRAWL_ROBOTS_MAX_TRIES`` (3)
    robots.txt answering 5xx/429 or not answering: hold the host's requests, fetch again after
    the delay, give up on the host after this many fetches.
``NEWSCRAWL_MAX_CRAWL_DELAY`` (30.0 s)
    A robots ``Crawl-delay`` above this is capped.
``NEWSCRAWL_SSRF_GUARD`` (True), ``NEWSCRAWL_SSRF_ALLOW`` ([])
    The SSRF guard and what it lets through (hostnames, IPs, CIDR networks). The local replicas
    and ``make demo`` need ``["127.0.0.1"]``. Must be project or command-line settings: the DNS
    resolver is built from the process settings, not from a spider's ``custom_settings``.
``NEWSCRAWL_MAX_PAGES`` (20000)
    Responses per crawl before the spider is closed (reason ``newscrawl_max_pages``); 0 = no cap.
``NEWSCRAWL_FAULT_STATS`` (True)
    Count faults by kind in ``newscrawl/fault/<kind>``.
"""

from __future__ import annotations

from typing import Any

from newscrawl.safety.decompress import DEFAULT_MAX_SIZE
from newscrawl.safety.useragent import DEFAULT_CONTACT, build_user_agent

MIB = 1024 * 1024

# Downloader middleware order (lower = closer to the engine). Scrapy's defaults for reference:
# Offsite 50, RobotsTxt 100, DownloadTimeout 350, UserAgent 500, Retry 550, MetaRefresh 580,
# HttpCompression 590, Redirect 600, Cookies 700, HttpProxy 750, DownloaderStats 850,
# HttpCache 900.
SAFETY_DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    # URL-level SSRF check first, so a blocked host never even gets a robots.txt request.
    "newscrawl.safety.ssrf.SSRFGuardMiddleware": 45,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.safety.robots.PoliteRobotsMiddleware": 100,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newscrawl.safety.useragent.HonestUserAgentMiddleware": 500,
    # Sees decompressed, final (non-redirect) responses.
    "newscrawl.safety.limits.ResponseCheckMiddleware": 585,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.safety.limits.SafeHttpCompressionMiddleware": 590,
    # Below decompression: repairs the text of wrong-charset pages (the WARC keeps the bytes).
    "newscrawl.safety.charset.CharsetRepairMiddleware": 580,
    # Downloader side: sees raw responses (before redirects) and every exception first.
    "newscrawl.safety.limits.FaultCounterMiddleware": 950,
}

SAFETY_EXTENSIONS: dict[str, int | None] = {
    "newscrawl.safety.limits.PageLimitExtension": 100,
    "newscrawl.safety.limits.DownloadErrorLogExtension": 0,
}

SAFETY_SETTINGS: dict[str, Any] = {
    # Politeness
    "ROBOTSTXT_OBEY": True,
    "USER_AGENT": build_user_agent({}),
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "DOWNLOAD_DELAY": 1.0,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 2.0,
    "AUTOTHROTTLE_MAX_DELAY": 60.0,
    "NEWSCRAWL_CONTACT": DEFAULT_CONTACT,
    "NEWSCRAWL_ROBOTS_AGENT": "newscrawl",
    "NEWSCRAWL_ROBOTS_RETRY_DELAY": 60.0,
    "NEWSCRAWL_ROBOTS_MAX_TRIES": 3,
    "NEWSCRAWL_MAX_CRAWL_DELAY": 30.0,
    # SSRF guard (the resolver covers DNS rebinding; DNS_RESOLVER is deprecated in Scrapy 2.19)
    "NEWSCRAWL_SSRF_GUARD": True,
    "NEWSCRAWL_SSRF_ALLOW": [],
    "TWISTED_DNS_RESOLVER": "newscrawl.safety.ssrf.SSRFSafeResolver",
    "DNS_TIMEOUT": 15,
    # Limits (news pages are ~100-500 KB)
    # Also the cap of every decompression (newscrawl.safety.decompress), stacked codings together.
    "DOWNLOAD_MAXSIZE": DEFAULT_MAX_SIZE,
    "DOWNLOAD_WARNSIZE": 2 * MIB,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_FAIL_ON_DATALOSS": True,
    "REDIRECT_MAX_TIMES": 5,
    "DEPTH_LIMIT": 6,
    "NEWSCRAWL_MAX_PAGES": 20_000,
    "NEWSCRAWL_FAULT_STATS": True,
    "DOWNLOADER_MIDDLEWARES": SAFETY_DOWNLOADER_MIDDLEWARES,
    "EXTENSIONS": SAFETY_EXTENSIONS,
}

# Settings whose values are dicts merged key by key by :func:`merged`.
_DICT_SETTINGS = ("DOWNLOADER_MIDDLEWARES", "EXTENSIONS", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES")


def merged(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers override earlier ones; component dicts are merged key by key.

    >>> out = merged(SAFETY_SETTINGS, {"DOWNLOAD_DELAY": 0, "DOWNLOADER_MIDDLEWARES": {"x.Y": 1}})
    >>> out["DOWNLOAD_DELAY"], out["DOWNLOADER_MIDDLEWARES"]["x.Y"]
    (0, 1)
    >>> out["DOWNLOADER_MIDDLEWARES"]["newscrawl.safety.ssrf.SSRFGuardMiddleware"]
    45
    >>> SAFETY_SETTINGS["DOWNLOADER_MIDDLEWARES"].get("x.Y") is None
    True
    """
    result: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key in _DICT_SETTINGS and isinstance(value, dict):
                result[key] = {**result.get(key, {}), **value}
            else:
                result[key] = value
    return result
