"""Scrapy settings for newscrawl.

Our own settings are prefixed ``NEWSCRAWL_``. Defaults are polite: robots.txt obeyed, one request
at a time per host with a delay and AutoThrottle, an honest User-Agent naming the project.
"""

from __future__ import annotations

import os

from newscrawl import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# --- Our own settings -------------------------------------------------------------------------
#: Archive database URL; ``--db`` or the environment variable override it.
NEWSCRAWL_DB_URL = os.environ.get("NEWSCRAWL_DB_URL", "sqlite:///archive.sqlite3")
#: A way to reach whoever runs the crawl; it goes into the User-Agent.
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
#: Crawl portals whose profile excludes them (e.g. a crawl ban) only when this is True.
NEWSCRAWL_OVERRIDE_EXCLUSION = False
#: Minimum body length (characters) for an article to count as complete.
NEWSCRAWL_MIN_BODY_CHARS = 80

# --- Politeness -------------------------------------------------------------------------------
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Limits -----------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
RETRY_TIMES = 2

# --- Pipelines: clean -> dates -> validate -> archive -----------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.CleanPipeline": 100,
    "newscrawl.pipelines.DatePipeline": 200,
    "newscrawl.pipelines.ValidatePipeline": 300,
    "newscrawl.pipelines.ArchivePipeline": 800,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
