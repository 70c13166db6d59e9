"""Run a crawl from Python: what the CLI, the scheduler, the demo and the tests call.

Twisted's reactor cannot be restarted, so one process runs one crawl; callers that need several
(tests, the scheduler) start a process per crawl.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def project_settings(overrides: Mapping[str, Any] | None = None):
    """The project's Scrapy settings with ``overrides`` applied at command-line priority."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def local_replica_settings(host: str = "127.0.0.1") -> dict[str, Any]:
    """Settings for crawling a replica served on this machine: allowed by the SSRF guard, and
    no politeness delay (it is our own server)."""
    return {
        "NEWSCRAWL_SSRF_ALLOW": [host],
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "DOWNLOAD_DELAY_JITTER": 0,
    }


def run_crawl(
    site: str,
    *,
    db_url: str | None = None,
    settings: Mapping[str, Any] | None = None,
    **spider_args: Any,
) -> dict[str, Any]:
    """Crawl ``site`` (a portal key) into the archive at ``db_url`` and return the crawl stats.

    ``spider_args`` are the spider's arguments: ``base_url``, ``since``, ``until``,
    ``max_articles``, ``query``, ``revisit``, ``allow_excluded``.
    """
    from scrapy.crawler import CrawlerProcess

    overrides = dict(settings or {})
    if db_url:
        overrides["NEWSCRAWL_DB_URL"] = db_url
    process = CrawlerProcess(project_settings(overrides))
    crawler = process.create_crawler(site)
    args = {k: v for k, v in spider_args.items() if v is not None}
    process.crawl(crawler, **args)
    process.start()
    return dict(crawler.stats.get_stats())
