"""An honest User-Agent: who we are and how to reach whoever runs the crawl.

``newscrawl/<version> (+<contact>)``, the contact being ``NEWSCRAWL_CONTACT`` (a URL or an email
address) or the project URL. robots.txt rules are matched for the product token ``newscrawl``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["DEFAULT_CONTACT", "ROBOTS_AGENT", "HonestUserAgentMiddleware", "build_user_agent"]

ROBOTS_AGENT = "newscrawl"
DEFAULT_CONTACT = "https://github.com/newscrawl/newscrawl"


def _version() -> str:
    from newscrawl import __version__

    return __version__


def build_user_agent(settings: Mapping[str, Any] | Any = None) -> str:
    """The User-Agent header from settings (a Scrapy ``Settings`` or a plain dict).

    >>> ua = build_user_agent({})
    >>> ua.startswith("newscrawl/") and ua.endswith("(+https://github.com/newscrawl/newscrawl)")
    True
    >>> build_user_agent({"NEWSCRAWL_CONTACT": "arsip@example.org"}).split(" ", 1)[1]
    '(+arsip@example.org)'
    >>> build_user_agent({"NEWSCRAWL_CONTACT": "  "}) == build_user_agent(None)
    True
    """
    contact = None
    if settings is not None:
        try:
            contact = settings.get("NEWSCRAWL_CONTACT")
        except Exception:
            contact = None
    contact = str(contact).strip() if contact else ""
    return f"{ROBOTS_AGENT}/{_version()} (+{contact or DEFAULT_CONTACT})"


class HonestUserAgentMiddleware:
    """Replaces Scrapy's UserAgentMiddleware: every request says ``build_user_agent(settings)``.

    A ``User-Agent`` header already on a request is kept (set explicitly by the caller).
    """

    def __init__(self, user_agent: str):
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HonestUserAgentMiddleware:
        return cls(build_user_agent(crawler.settings))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent)
        return None
