"""The one base spider. Portal spiders are a name and a profile.

The spider only finds pages: entry points from the profile (feeds, sitemaps, listings, date index
pages), links that match the profile's article or listing patterns, and politeness. Extraction is
the page class's job; cleaning and dates are the pipelines'.

Building a Request is expensive next to matching a string, so links are matched against the
profile's compiled patterns first and Requests are built only for article and listing URLs that
were not seen in this crawl and are not archived yet (unless the revisit policy asks for them).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse

from newscrawl.dates import parse_date
from newscrawl.pages import page_for
from newscrawl.pages.detect import not_article_reason
from newscrawl.portals import Profile, get_profile

#: Markers of a feed or sitemap document in its first bytes.
_XML_DOC_RE = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|urlset|sitemapindex|rdf:RDF)\b", re.S
)
#: Link hrefs that can never be pages.
_SKIP_HREF_RE = re.compile(r"^(mailto:|tel:|javascript:|whatsapp:|#)", re.I)


def _parse_day(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date like 2024-08-01, got {value!r}") from None


class PortalSpider(scrapy.Spider):
    """Crawl one portal described by a profile.

    Spider arguments (``-a name=value`` or the CLI's options):
    ``base_url`` (crawl a mirror or local replica instead of the live portal), ``since`` and
    ``until`` (dates, inclusive), ``max_articles``, ``query`` (also crawl the portal's search
    results for these words), ``revisit`` (``auto``: re-fetch archived articles younger than the
    profile's revisit window; ``none``; ``all``).
    """

    profile_key: str = ""

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        max_articles: int | str | None = None,
        query: str | None = None,
        revisit: str = "auto",
        allow_excluded: bool | str = False,
        profile: Profile | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profile: Profile = profile or get_profile(self.profile_key or self.name)
        self.base_url = (base_url or self.profile.base_url).rstrip("/")
        self.since = _parse_day(since, "since")
        self.until = _parse_day(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        self.max_articles = int(max_articles) if max_articles not in (None, "", 0, "0") else None
        self.query = query
        if revisit not in ("auto", "none", "all"):
            raise ValueError(f"revisit must be auto, none or all, got {revisit!r}")
        self.revisit = revisit
        self.allow_excluded = str(allow_excluded).lower() in ("1", "true", "yes")
        self.allowed_domains = list(self.profile.domains) + [urlsplit(self.base_url).hostname or ""]
        #: Crawling a mirror or replica: portal URLs found in pages are mapped onto it, so the
        #: crawl never leaves the mirror.
        self.mirrored = urlsplit(self.base_url).netloc != urlsplit(self.profile.base_url).netloc
        self.seen: set[str] = set()
        self.known: set[str] = set()
        self.articles_scheduled = 0
        self.listing_pages = 0

    # --- URLs ----------------------------------------------------------------------------------
    def site_url(self, path: str) -> str:
        """A profile path (or absolute portal URL) on the crawled base URL."""
        if path.startswith(("http://", "https://")):
            parts = urlsplit(path)
            if self.profile.owns(path):
                base = urlsplit(self.base_url)
                return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
            return path
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def portal_url(self, url: str) -> str:
        """A URL on the mirror mapped back onto the portal (the archive keys on portal URLs)."""
        parts = urlsplit(url)
        if not self.mirrored or parts.netloc != urlsplit(self.base_url).netloc:
            return url
        base = urlsplit(self.profile.base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def classify(self, url: str) -> str | None:
        return self.profile.classify(url, base_url=self.base_url)

    @staticmethod
    def normalize(url: str) -> str:
        """Drop the fragment; the archive keys on canonical URLs anyway."""
        return url.split("#", 1)[0]

    # --- start --------------------------------------------------------------------------------
    def load_known(self) -> None:
        """URLs already archived for this portal, less those the revisit policy re-fetches."""
        db_url = self.settings.get("NEWSCRAWL_DB_URL")
        if not db_url or self.revisit == "all":
            return
        try:
            from archive.db import open_archive
            from archive.store import known_urls, recent_urls
        except ImportError:  # pragma: no cover - archive is part of the install
            return
        engine, Session = open_archive(db_url)
        try:
            with Session() as session:
                known = known_urls(session, self.profile.key)
                if self.revisit == "auto" and self.profile.policy.revisit_hours > 0:
                    cutoff = datetime.now(UTC) - timedelta(hours=self.profile.policy.revisit_hours)
                    known -= recent_urls(session, self.profile.key, cutoff)
        finally:
            engine.dispose()
        self.known = known
        self.crawler.stats.set_value("newscrawl/known_urls", len(known))

    def entry_points(self) -> Iterator[str]:
        p = self.profile
        for path in (*p.feeds, *p.sitemaps, *p.start_urls, *p.listings):
            yield self.site_url(path)
        if self.query and p.search_url:
            yield self.site_url(p.search_url.format(query=self.query.replace(" ", "+"), page=1))
        if p.date_index and self.since:
            day = self.since
            last = self.until or datetime.now(UTC).date()
            while day <= last:
                yield self.site_url(p.date_index.format(date=day, page=1))
                day += timedelta(days=1)

    async def start(self) -> AsyncIterator[Any]:
        if not self.profile.policy.allowed and not self.allow_excluded:
            self.crawler.stats.set_value("newscrawl/excluded", self.profile.policy.reason)
            self.logger.error(
                "portal %s is excluded by its profile: %s (pass allow_excluded to override)",
                self.profile.key,
                self.profile.policy.reason,
            )
            return
        self.load_known()
        for url in self.entry_points():
            if url not in self.seen:
                self.seen.add(url)
                yield scrapy.Request(
                    url, callback=self.parse_listing, meta={"newscrawl_kind": "listing"}
                )

    # --- listings, feeds, sitemaps -------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        stats.inc_value("newscrawl/pages/listing")
        if _XML_DOC_RE.match(response.body[:2048]):
            links = list(self.feed_links(response))
        elif isinstance(response, TextResponse):
            links = [(href, None, None) for href in response.xpath("//a/@href").getall()]
        else:
            stats.inc_value("newscrawl/listing/not_html")
            return
        new_articles = 0
        listings: list[str] = []
        for href, published, kind in links:
            href = href.strip()
            if not href or _SKIP_HREF_RE.match(href):
                continue
            url = self.normalize(urljoin(response.url, href))
            if self.mirrored and self.profile.owns(url):
                url = self.site_url(url)
            if url in self.seen:
                continue
            kind = kind or self.classify(url)
            if kind == "article":
                self.seen.add(url)
                request = self.article_request(url, published)
                if request is not None:
                    new_articles += 1
                    yield request
            elif kind == "listing":
                self.seen.add(url)
                listings.append(url)
        # Follow pagination only while listings bring something new (an incremental crawl stops
        # at the first page of known articles), and never past the profile's cap.
        if not new_articles and response.meta.get("depth", 0) > 0:
            stats.inc_value("newscrawl/listing/nothing_new")
            return
        for url in listings:
            if self.listing_pages >= self.profile.policy.max_listing_pages:
                stats.inc_value("newscrawl/skipped/listing_cap")
                break
            self.listing_pages += 1
            yield scrapy.Request(
                url, callback=self.parse_listing, meta={"newscrawl_kind": "listing"}
            )

    def article_request(self, url: str, published: datetime | None) -> scrapy.Request | None:
        """A Request for an article URL, or None (counted) when it is not to be fetched."""
        stats = self.crawler.stats
        if url in self.known or self.portal_url(url) in self.known:
            stats.inc_value("newscrawl/skipped/archived")
            return None
        if published is not None and not self.in_range(published):
            stats.inc_value("newscrawl/skipped/out_of_range")
            return None
        if self.max_articles and self.articles_scheduled >= self.max_articles:
            stats.inc_value("newscrawl/skipped/max_articles")
            return None
        self.articles_scheduled += 1
        meta: dict[str, Any] = {"newscrawl_kind": "article"}
        if published is not None:
            meta["newscrawl_feed_date"] = published.isoformat()
        return scrapy.Request(url, callback=self.parse_article, meta=meta)

    def feed_links(self, response: Response) -> Iterator[tuple[str, datetime | None, str | None]]:
        """(link, published, kind) from RSS, Atom and (news) sitemaps.

        Child sitemaps of a sitemap index are listings; every other link is classified by the
        profile's patterns.
        """
        sel = scrapy.Selector(response, type="xml")
        sel.remove_namespaces()
        for node in sel.xpath("//item | //entry | //url | //sitemap"):
            link = (
                node.xpath("./link/text()").get()
                or node.xpath("./link/@href").get()
                or node.xpath("./loc/text()").get()
                or ""
            )
            raw = (
                node.xpath("./pubDate/text()").get()
                or node.xpath("./published/text()").get()
                or node.xpath(".//publication_date/text()").get()
                or node.xpath("./updated/text()").get()
                or node.xpath("./lastmod/text()").get()
            )
            published = None
            if raw:
                published = _rfc822(raw) or parse_date(raw.strip())
            if link:
                kind = "listing" if node.root.tag == "sitemap" else None
                yield link, published, kind

    def in_range(self, when: datetime) -> bool:
        if when.tzinfo is not None:
            when = when.astimezone(UTC) + timedelta(hours=self.profile.utc_offset_hours)
        local_day = when.date()
        if self.since and local_day < self.since:
            return False
        return not (self.until and local_day > self.until)

    # --- articles -----------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        self.crawler.stats.inc_value("newscrawl/pages/article")
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/rejected/not_html")
            self.logger.warning("not an HTML page, skipped: %s", response.url)
            return
        reason = not_article_reason(response, self.profile)
        if reason:
            self.crawler.stats.inc_value(f"newscrawl/rejected/{reason}")
            self.logger.warning("not an article (%s), not archived: %s", reason, response.url)
            return
        extra = []
        if response.meta.get("newscrawl_feed_date"):
            extra.append(("feed", response.meta["newscrawl_feed_date"]))
        page = page_for(response, self.profile, extra_date_candidates=extra)
        try:
            raw = page.to_raw()
        except Exception as exc:  # noqa: BLE001 - one broken page must not stop the crawl
            self.crawler.stats.inc_value("newscrawl/error/extraction")
            self.logger.error("extraction failed for %s: %r", response.url, exc)
            return
        raw.canonical_url = self.portal_url(raw.canonical_url or raw.url)
        if response.meta.get("newscrawl_truncated") or "dataloss" in (response.flags or []):
            raw.flags.append("truncated")
        yield raw

    def closed(self, reason: str) -> None:
        if reason not in ("finished", "shutdown"):
            self.logger.info("spider %s closed: %s", self.name, reason)


def _rfc822(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None


__all__ = ["PortalSpider", "CloseSpider"]
