"""Scrapy settings for newscrawl.

Our own settings are prefixed ``NEWSCRAWL_``. Defaults are polite: robots.txt obeyed, one request
at a time per host with a delay and AutoThrottle, an honest User-Agent naming the project.
"""

from __future__ import annotations

import os

from newscrawl.safety.settings import SAFETY_SETTINGS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# --- Our own settings -------------------------------------------------------------------------
#: Archive database URL; ``--db`` or the environment variable override it.
NEWSCRAWL_DB_URL = os.environ.get("NEWSCRAWL_DB_URL", "sqlite:///archive.sqlite3")
#: WARC preservation of every response (newscrawl.warc.WarcMiddleware): on, where, rotation size.
NEWSCRAWL_WARC_ENABLED = True
NEWSCRAWL_WARC_DIR = os.environ.get("NEWSCRAWL_WARC_DIR", "warcs")
NEWSCRAWL_WARC_MAX_SIZE = 512 * 1024 * 1024
#: Write a revisit record when the archive already holds the same payload for the URL.
NEWSCRAWL_WARC_REVISITS = True
#: Alert targets for degraded crawls (print, file:PATH, http(s)://..., mailto:ADDR).
NEWSCRAWL_ALERTS: list[str] = [t for t in os.environ.get("NEWSCRAWL_ALERTS", "").split() if t]
#: Previous finished runs whose median a crawl's health is compared with.
NEWSCRAWL_HEALTH_HISTORY = 5
#: Selector drift (newscrawl.health.Drift): a run is degraded when one of these fields fell back
#: to generic extraction on more than this share of its items (with at least MIN_PAGES items).
NEWSCRAWL_DRIFT_MAX_FALLBACK = 0.5
NEWSCRAWL_DRIFT_MIN_PAGES = 5
NEWSCRAWL_DRIFT_FIELDS = ["title", "date", "body"]
#: Run the saved searches (``newscrawl watch``) after every crawl.
NEWSCRAWL_RUN_WATCHES = True
#: Minimum body length (characters) for an article to count as complete.
NEWSCRAWL_MIN_BODY_CHARS = 80

# --- Politeness, SSRF guard and limits: newscrawl/safety/settings.py documents each -------
# robots.txt obeyed (5xx/timeouts hold the host back), Crawl-delay honoured, one request at a
# time per host with a delay and AutoThrottle, a User-Agent naming the project and
# NEWSCRAWL_CONTACT, no requests to private or loopback addresses unless NEWSCRAWL_SSRF_ALLOW
# names them, responses capped at 8 MiB (decompression bombs included), redirects capped.
globals().update(SAFETY_SETTINGS)
#: A way to reach whoever runs the crawl; it goes into the User-Agent.
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", SAFETY_SETTINGS["NEWSCRAWL_CONTACT"])
DOWNLOAD_DELAY_JITTER = 0.5
CONCURRENT_REQUESTS = 16
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# A backstop only: listing pagination is capped per portal (profile policy.max_listing_pages)
# and each next page is one level deeper, so this must stay above those caps.
DEPTH_LIMIT = 200
RETRY_TIMES = 2

# --- Pipelines: clean -> dates -> validate -> archive -----------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.CleanPipeline": 100,
    "newscrawl.pipelines.DatePipeline": 200,
    "newscrawl.pipelines.ValidatePipeline": 300,
    "newscrawl.pipelines.ArchivePipeline": 800,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "newscrawl.logformatter.NewscrawlLogFormatter"
# Scrapy's remote-control server runs code sent to a local port; a crawler never needs it.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- WARC: every response as received (before redirects, retries, decompression) --------------
DOWNLOADER_MIDDLEWARES = {
    **SAFETY_SETTINGS["DOWNLOADER_MIDDLEWARES"],
    "newscrawl.warc.WarcMiddleware": 650,
}

# --- Distributed crawls: -s NEWSCRAWL_REDIS_URL=redis://... (or --redis) shares one crawl ----
ADDONS = {"newscrawl.distributed.RedisAddon": 0}
NEWSCRAWL_REDIS_IDLE_CLOSE = 10
NEWSCRAWL_REDIS_WORKER_TTL = 60
NEWSCRAWL_REDIS_HEARTBEAT = 15
