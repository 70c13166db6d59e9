"""The ``generic`` spider: any news portal, without a profile.

``newscrawl crawl --url https://any-portal.example/`` runs it. It builds a throwaway profile for
the portal's host and then works like every portal spider, with three differences:

- entry points are discovered: the start page (a hub), the feeds it announces
  (``link rel=alternate``), ``/feed`` and ``/rss``, the ``Sitemap:`` lines of ``robots.txt``,
  ``/sitemap.xml`` and ``/sitemap_news.xml``;
- links are classified by heuristics (:func:`classify_link`) instead of profile patterns;
- extraction is :class:`~newscrawl.pages.generic.GenericPage` and the global cleaning rules.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import scrapy
from scrapy.http import Response

from newscrawl.portals import CrawlPolicy, Profile
from newscrawl.spiders.base import PortalSpider

#: Discovered feed and sitemap locations tried on every portal.
DEFAULT_FEEDS = ("/feed", "/rss")
DEFAULT_SITEMAPS = ("/sitemap_news.xml", "/sitemap.xml")
#: A slug of at least four words ("polisi-tangkap-pelaku-curanmor"), maybe with an extension.
_SLUG_RE = re.compile(r"^[\w%]+(?:-[\w%]+){3,}(?:\.html?|\.php)?$", re.I)
#: A numeric article id (five digits or more) as a path segment or glued to a slug.
_ID_RE = re.compile(r"(?:^|[-_])\d{5,}(?:[-_]|$)|^d-\d+$|^\d{5,}$")
#: A date in the path ("/2024/08/13/", "/20240813/").
_DATE_PATH_RE = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/\d{1,2}/|/(?:19|20)\d{6}/")
#: Path words of index pages: tags, categories, search, authors, pagination, feeds.
_LISTING_WORDS = frozenset(
    [
        "tag",
        "tags",
        "topik",
        "topic",
        "topics",
        "kategori",
        "category",
        "categories",
        "kanal",
        "rubrik",
        "rubric",
        "section",
        "indeks",
        "index",
        "search",
        "cari",
        "page",
        "halaman",
        "author",
        "penulis",
        "reporter",
        "terkini",
        "terbaru",
        "terpopuler",
        "populer",
        "feed",
        "rss",
        "arsip",
        "archive",
    ]
)
#: Paths that are never news pages.
_JUNK_RE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|mp[34]|css|js|zip|woff2?)$"
    r"|/(?:wp-admin|wp-login|login|logout|register|daftar|masuk|cart|privacy|kebijakan-privasi"
    r"|pedoman-media-siber|tentang-kami|about|kontak|contact|redaksi|karir|iklan|advertise)(?:/|$)"
    r"|/amp/?$|^/amp/",
    re.I,
)
#: Feed and sitemap paths.
_FEED_RE = re.compile(r"(?:/feed/?|/rss/?|\.xml|/atom/?)$", re.I)
#: "Sitemap: <url>" lines of robots.txt.
_ROBOTS_SITEMAP_RE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)


def generic_profile(url: str) -> Profile:
    """A profile for a portal known only by a URL: its host, the URL as the hub page.

    >>> p = generic_profile("https://www.contoh-berita.id/")
    >>> p.key, p.domains, p.start_urls, p.base_url
    ('generic', ('contoh-berita.id',), ('/',), 'https://www.contoh-berita.id')
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an http(s) URL, got {url!r}")
    host = parts.hostname.lower()
    domain = host.removeprefix("www.")
    start = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Profile(
        key="generic",
        name=host,
        base_url=f"{parts.scheme}://{parts.netloc}",
        domains=(domain,),
        site_names=(host, domain),
        start_urls=(start,),
        hubs=(start,),
        feeds=DEFAULT_FEEDS,
        sitemaps=DEFAULT_SITEMAPS,
        policy=CrawlPolicy(revisit_hours=48, max_listing_pages=30),
    )


def classify_link(url: str) -> str | None:
    """``"article"``, ``"listing"`` or None for a same-site link, by the shape of its path.

    >>> classify_link("https://x.id/baca-71234-polisi-tangkap-pelaku-curanmor")
    'article'
    >>> classify_link("https://x.id/2024/08/13/banjir-rob-di-kenjeran")
    'article'
    >>> classify_link("https://x.id/kanal/pemerintahan/page/2/")
    'listing'
    >>> classify_link("https://x.id/politik"), classify_link("https://x.id/feed/")
    ('listing', 'listing')
    >>> classify_link("https://x.id/tag/polisi-tangkap-pelaku-curanmor")
    'listing'
    >>> classify_link("https://x.id/img/logo.png") is None, classify_link("https://x.id/redaksi") is None
    (True, True)
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if _JUNK_RE.search(path):
        return None
    if _FEED_RE.search(path):
        return "listing"
    segments = [s for s in path.split("/") if s]
    words = {s.lower() for s in segments}
    query = dict(parse_qsl(parts.query))
    if words & _LISTING_WORDS:
        return "listing"
    last = segments[-1] if segments else ""
    if last and _SLUG_RE.match(last):
        return "article"
    if _DATE_PATH_RE.search(path + "/") and last and "-" in last:
        return "article"
    if len(segments) >= 2 and any(_ID_RE.search(s) for s in segments) and "-" in path:
        return "article"
    if len(segments) <= 2 or "page" in query:
        return "listing"
    return None


class GenericSpider(PortalSpider):
    """Crawl any portal from a start URL (spider argument ``url``)."""

    name = "generic"

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        if not url:
            raise ValueError("the generic spider needs a start url (-a url=https://...)")
        kwargs["profile"] = generic_profile(url)
        super().__init__(*args, **kwargs)

    def classify(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if parts.netloc != urlsplit(self.base_url).netloc and not self.profile.owns(url):
            return None
        return classify_link(url)

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.site_url("/robots.txt"),
            callback=self.parse_robots,
            meta={"newscrawl_kind": "robots", "handle_httpstatus_list": [404, 403]},
            dont_filter=True,
        )
        async for request in super().start():
            yield request

    def parse_robots(self, response: Response) -> Iterator[Any]:
        """Follow the sitemaps ``robots.txt`` names."""
        if response.status != 200:
            return
        text = response.body[:200_000].decode("utf-8", "replace")
        for m in _ROBOTS_SITEMAP_RE.finditer(text):
            url = self.absolute(response.url, m.group(1))
            if url and url not in self.seen and self.classify(url):
                self.seen.add(url)
                self.stats.inc_value("newscrawl/generic/robots_sitemaps")
                yield self.listing_request(url)
