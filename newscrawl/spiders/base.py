"""The one base spider. Portal spiders are a name and a profile.

The spider only finds pages: entry points from the profile (feeds, sitemaps, hub pages, listings,
date index pages), links that match the profile's article or listing patterns, and politeness.
Extraction is the page class's job; cleaning and dates are the pipelines'.

What is followed from where:

- feeds and sitemaps: every article link, and child sitemaps of a sitemap index;
- hub pages (the profile's ``hubs``, e.g. a home page): every article link and every listing
  link (section pages), plus the RSS/Atom feeds a page announces (``link rel=alternate``);
- listing pages: the article links of the main list (``selectors.listing_links``, else every
  link outside menus, headers, sidebars and footers) and the forward pagination: links to the
  same listing with a higher page number. Other listings (menus) are not followed from a listing.

Articles: a bot challenge, a listing or a soft 404 served where an article was expected is
counted and never archived. A split article is fetched whole (the profile's ``split_param``,
``?page=all``) or part by part, and yields one item. When the body comes out too short, the AMP
copy (``link[rel=amphtml]``) is tried.

Building a Request is expensive next to matching a string, so links are matched against the
profile's compiled patterns first and Requests are built only for article and listing URLs that
were not seen in this crawl and are not archived yet (unless the revisit policy asks for them).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import lxml.html
import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.response import get_base_url

from newscrawl.dates import parse_date
from newscrawl.items import RawArticle
from newscrawl.pages import page_for
from newscrawl.pages.detect import not_article_reason
from newscrawl.pages.generic import off_article
from newscrawl.portals import Profile, get_profile
from newscrawl.safety.decompress import DEFAULT_MAX_SIZE, decompress
from newscrawl.warc import page_refused

#: Markers of a feed or sitemap document in its first bytes: an optional UTF-8 BOM, then any
#: processing instructions (``<?xml ...?>``, Yoast's ``<?xml-stylesheet ...?>``) and comments.
_XML_DOC_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*>\s*|<!--.*?-->\s*)*<(rss|feed|urlset|sitemapindex|rdf:RDF)\b",
    re.S,
)
#: The magic bytes of a gzip file (a ``sitemap.xml.gz`` served without Content-Encoding).
_GZIP_MAGIC = b"\x1f\x8b"
#: Link hrefs that can never be pages.
_SKIP_HREF_RE = re.compile(r"^(mailto:|tel:|javascript:|whatsapp:|#)", re.I)
#: Query parameters that number listing pages.
_PAGE_PARAMS = frozenset(("page", "p", "paged", "halaman", "hal"))
#: A page number at the end of a listing path ("/page/3/", "/search/banjir/2").
_PATH_PAGE_RE = re.compile(r"(?:/page)?/(?P<n>\d{1,4})/?$")
#: HTTP statuses whose body the spider still reads (a bot challenge is often a 403 or 503).
READ_ERROR_STATUSES = [403, 404, 410, 429, 503]

#: Query parameters that only track clicks: two URLs differing in them are one page.
_TRACKING_PARAM_RE = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|_ga|igshid)$", re.I)


def _parse_day(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date like 2024-08-01, got {value!r}") from None


def page_position(url: str) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], int]:
    """``(listing key, page number)`` of a listing URL: two pages of one listing share the key.

    >>> page_position("https://x.id/kanal/politik/page/3/")
    (('x.id', '/kanal/politik', ()), 3)
    >>> page_position("https://x.id/kanal/politik/")[1]
    1
    >>> k, n = page_position("https://x.id/indeks?page=2&date=11/02/2023")
    >>> k[2], n
    ((('date', '11/02/2023'),), 2)
    """
    parts = urlsplit(url)
    number = None
    rest = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            rest.append((key, value))
    path = parts.path
    if number is None:
        m = _PATH_PAGE_RE.search(path)
        if m and m.start() > 0:
            number = int(m["n"])
            path = path[: m.start()]
    return (parts.netloc.lower(), path.rstrip("/") or "/", tuple(sorted(rest))), number or 1


def forward_pages(current: str, candidates: Iterable[str]) -> list[str]:
    """Links to later pages of the listing at ``current``, in page order, deduplicated.

    >>> forward_pages("https://x.id/t?page=2", ["https://x.id/t?page=1", "https://x.id/t?page=3",
    ...     "https://x.id/other?page=3", "https://x.id/t?page=3", "https://x.id/t?page=9"])
    ['https://x.id/t?page=3', 'https://x.id/t?page=9']
    """
    key, number = page_position(current)
    out = []
    for url in candidates:
        k, n = page_position(url)
        if k == key and n > number and url not in out:
            out.append(url)
    return out


def with_param(url: str, param: str) -> str:
    """``url`` with a ``name=value`` query parameter set (replacing the same name).

    >>> with_param("https://k.com/read/1/a", "page=all"), with_param("https://k.com/a?page=2", "page=all")
    ('https://k.com/read/1/a?page=all', 'https://k.com/a?page=all')
    """
    name = param.split("=", 1)[0]
    parts = urlsplit(url)
    query = [f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append(param)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(query), ""))


def body_text_length(html: str | None) -> int:
    """Characters of text in a body HTML fragment (0 when there is none).

    >>> body_text_length("<div><p>Satu</p><p>dua</p></div>"), body_text_length(None)
    (7, 0)
    """
    if not html or not html.strip():
        return 0
    try:
        return len(lxml.html.fromstring(html).text_content().strip())
    except (ValueError, lxml.etree.ParserError):
        return 0


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
        #: Every archived URL of the portal (``url_key`` form), refetched or not; None when the
        #: archive was not read. Requests say whether their URL is in it, so the WARC
        #: middleware looks for an identical earlier capture only where one can exist.
        self.archived: set[str] | None = None
        #: Articles scheduled from a hub, feed or sitemap that no listing page has shown yet.
        self.unclaimed: set[str] = set()
        self.articles_scheduled = 0
        self.listing_pages = 0

    # --- URLs ----------------------------------------------------------------------------------
    def site_url(self, path: str) -> str:
        """A profile path (or absolute portal URL) on the crawled base URL."""
        if path.startswith(("http://", "https://")):
            parts = urlsplit(path)
            if self.mirrored and self.profile.owns(path):
                base = urlsplit(self.base_url)
                return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
            return path
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def classify(self, url: str) -> str | None:
        return self.profile.classify(url, base_url=self.base_url)

    @staticmethod
    def normalize(url: str) -> str:
        """Drop the fragment; the archive keys on canonical URLs anyway."""
        return url.split("#", 1)[0]

    def url_key(self, url: str) -> str:
        """The form in which a URL is recognised as archived: on the portal rather than a
        mirror, scheme and host lowercased, without fragment or click-tracking parameters.

        >>> spider = PortalSpider(profile_key="surabayapagi", name="x")
        >>> spider.url_key("HTTPS://SurabayaPagi.com/news-1-a?utm_source=fb&id=2#top")
        'https://surabayapagi.com/news-1-a?id=2'
        """
        parts = urlsplit(url)
        scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
        if self.mirrored and netloc == urlsplit(self.base_url).netloc.lower():
            portal = urlsplit(self.profile.base_url)
            scheme, netloc = portal.scheme, portal.netloc.lower()
        query = "&".join(
            pair
            for pair in parts.query.split("&")
            if pair and not _TRACKING_PARAM_RE.match(pair.split("=", 1)[0])
        )
        return urlunsplit((scheme, netloc, parts.path or "/", query, ""))

    def absolute(self, base: str, href: str) -> str | None:
        """The crawlable URL of a link found on a page (mapped onto a mirror), or None."""
        href = (href or "").strip()
        if not href or _SKIP_HREF_RE.match(href):
            return None
        try:
            url = self.normalize(urljoin(base, href))
        except ValueError:
            return None
        if self.mirrored and self.profile.owns(url):
            url = self.site_url(url)
        return url

    @property
    def stats(self):
        return self.crawler.stats

    # --- start --------------------------------------------------------------------------------
    def load_known(self) -> None:
        """URLs already archived for this portal, less those the revisit policy re-fetches."""
        db_url = self.settings.get("NEWSCRAWL_DB_URL")
        if not db_url:
            return
        from archive.db import open_archive
        from archive.store import known_urls, recent_urls

        engine, Session = open_archive(db_url)
        try:
            with Session() as session:
                archived = known_urls(session, self.profile.key)
                known = set() if self.revisit == "all" else set(archived)
                if self.revisit == "auto" and self.profile.policy.revisit_hours > 0:
                    cutoff = datetime.now(UTC) - timedelta(hours=self.profile.policy.revisit_hours)
                    known -= recent_urls(session, self.profile.key, cutoff)
        finally:
            engine.dispose()
        self.archived = {self.url_key(u) for u in archived}
        if self.revisit == "all":
            return
        self.known = {self.url_key(u) for u in known}
        self.stats.set_value("newscrawl/known_urls", len(known))

    def entry_points(self) -> Iterator[tuple[str, bool]]:
        """``(url, is_hub)`` for every entry point of this crawl."""
        p = self.profile
        hubs = {self.site_url(h) for h in (p.hubs or p.start_urls)}
        for path in p.entry_points():
            url = self.site_url(path)
            yield url, url in hubs
        if self.query and p.search_url:
            yield (
                self.site_url(p.search_url.format(query=self.query.replace(" ", "+"), page=1)),
                False,
            )
        if p.date_index and self.since:
            day = self.since
            last = self.until or datetime.now(UTC).date()
            while day <= last:
                yield self.site_url(p.date_index.format(date=day, page=1)), False
                day += timedelta(days=1)

    async def start(self) -> AsyncIterator[Any]:
        override = self.allow_excluded or self.settings.getbool("NEWSCRAWL_OVERRIDE_EXCLUSION")
        if not self.profile.policy.allowed and not override:
            self.stats.set_value("newscrawl/excluded", self.profile.policy.reason)
            self.logger.error(
                "portal %s is excluded by its profile: %s (pass allow_excluded to override)",
                self.profile.key,
                self.profile.policy.reason,
            )
            return
        self.load_known()
        for url, hub in self.entry_points():
            if url not in self.seen:
                self.seen.add(url)
                yield self.listing_request(url, hub=hub)

    def listing_request(self, url: str, *, hub: bool = False) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            meta={"newscrawl_kind": "listing", "newscrawl_hub": hub, "newscrawl_archived": False},
        )

    # --- listings, feeds, sitemaps -------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Any]:
        """Schedule the article links of a feed, sitemap, hub or listing page, and what follows."""
        stats = self.stats
        stats.inc_value("newscrawl/pages/listing")
        hub = bool(response.meta.get("newscrawl_hub"))
        if response.body[:2] == _GZIP_MAGIC:
            response = gunzipped(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
            if response is None:
                stats.inc_value("newscrawl/error/gzip")
                return
        xml = bool(_XML_DOC_RE.match(response.body[:2048]))
        if xml:
            links = list(self.feed_links(response))
        elif isinstance(response, TextResponse):
            links = [(href, None, None, None) for href in self.listing_hrefs(response, hub=hub)]
        else:
            stats.inc_value("newscrawl/listing/not_html")
            return
        base = base_url_of(response)
        new_articles = 0
        listings: list[str] = []
        for href, published, modified, kind in links:
            url = self.absolute(base, href)
            if url is None:
                continue
            if url in self.seen:
                # An article first found on a hub, feed or sitemap is still new to the first
                # listing page that shows it (so that listing's pagination is followed).
                if url in self.unclaimed and not xml and not hub:
                    self.unclaimed.discard(url)
                    new_articles += 0 if self.max_reached() else 1
                continue
            kind = kind or self.classify(url)
            if kind == "article":
                self.seen.add(url)
                request = self.article_request(url, published, modified)
                if request is not None:
                    new_articles += 1
                    if xml or hub:
                        self.unclaimed.add(url)
                    yield request
            elif kind == "listing" and (xml or hub):
                listings.append(url)
        if not xml and not hub:
            candidates = (self.absolute(base, h) for h in response.xpath("//a/@href").getall())
            listings = forward_pages(
                response.url, [u for u in candidates if u and self.classify(u)]
            )
            listings = [u for u in listings if u not in self.seen]
            # Follow pagination only while listings bring something new (an incremental crawl
            # stops at the first page of known articles).
            if not new_articles and response.meta.get("depth", 0) > 0:
                stats.inc_value("newscrawl/listing/nothing_new")
                return
        if hub and isinstance(response, TextResponse):
            listings += self.announced_feeds(response)
        for url in dict.fromkeys(listings):
            if url in self.seen:
                continue
            if self.listing_pages >= self.profile.policy.max_listing_pages:
                stats.inc_value("newscrawl/skipped/listing_cap")
                break
            self.seen.add(url)
            self.listing_pages += 1
            yield self.listing_request(url)

    def listing_hrefs(self, response: TextResponse, *, hub: bool = False) -> list[str]:
        """Hrefs of a page's links that may lead to articles: all of a hub's; a listing's main
        list (the profile's ``listing_links``, else every link outside menus and sidebars)."""
        if hub:
            return response.xpath("//a/@href").getall()
        for css in self.profile.selector("listing_links"):
            hrefs = [
                a.get("href", "")
                for box in response.css(css)
                for a in box.root.xpath("descendant-or-self::a[@href]")
                if not off_article(a, within=box.root)
            ]
            urls = (self.absolute(base_url_of(response), h) for h in hrefs)
            if any(u and self.classify(u) == "article" for u in urls):
                return hrefs
        return [
            a.root.get("href", "")
            for a in response.xpath("//a[@href]")
            if not off_article(a.root, header=True)
        ]

    def announced_feeds(self, response: TextResponse) -> list[str]:
        """RSS/Atom feeds a page announces with ``link rel=alternate`` on the crawled site."""
        out = []
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            kind = (link.attrib.get("type") or "").lower()
            if "rss" in kind or "atom" in kind:
                url = self.absolute(base_url_of(response), link.attrib["href"])
                if url and urlsplit(url).netloc == urlsplit(response.url).netloc:
                    out.append(url)
        return out

    def article_request(
        self, url: str, published: datetime | None, modified: datetime | None = None
    ) -> scrapy.Request | None:
        """A Request for an article URL, or None (counted) when it is not to be fetched.

        ``modified`` (a sitemap's ``lastmod``, an Atom ``updated``) is never before publication,
        so it can only rule an article out of a ``since`` bound, never out of ``until``.
        """
        stats = self.stats
        key = self.url_key(url)
        if key in self.known:
            stats.inc_value("newscrawl/skipped/archived")
            return None
        if (published is not None and not self.in_range(published)) or (
            published is None and modified is not None and self.before_since(modified)
        ):
            stats.inc_value("newscrawl/skipped/out_of_range")
            return None
        if self.max_reached():
            stats.inc_value("newscrawl/skipped/max_articles")
            return None
        self.articles_scheduled += 1
        meta: dict[str, Any] = {
            "newscrawl_kind": "article",
            "handle_httpstatus_list": READ_ERROR_STATUSES,
        }
        if self.archived is not None:
            meta["newscrawl_archived"] = key in self.archived
        if published is not None:
            meta["newscrawl_feed_date"] = published.isoformat()
        return scrapy.Request(url, callback=self.parse_article, meta=meta)

    def max_reached(self) -> bool:
        return bool(self.max_articles and self.articles_scheduled >= self.max_articles)

    def feed_links(
        self, response: Response
    ) -> Iterator[tuple[str, datetime | None, datetime | None, str | None]]:
        """(link, published, modified, kind) from RSS, Atom and (news) sitemaps.

        Child sitemaps of a sitemap index are listings; every other link is classified by the
        profile's patterns. A sitemap entry's link is its ``loc`` (not an ``xhtml:link``
        hreflang alternate); ``lastmod`` and Atom ``updated`` are modification dates.
        """
        sel = scrapy.Selector(response, type="xml")
        sel.remove_namespaces()
        for node in sel.xpath("//item | //entry | //url | //sitemap"):
            link = (
                node.xpath("./loc/text()").get()
                or node.xpath("./link/text()").get()
                or node.xpath("./link[not(@rel) or @rel='alternate']/@href").get()
                or node.xpath("./link/@href").get()
                or ""
            ).strip()
            published = _feed_date(
                node.xpath("./pubDate/text()").get()
                or node.xpath("./published/text()").get()
                or node.xpath(".//publication_date/text()").get()
            )
            modified = _feed_date(
                node.xpath("./updated/text()").get() or node.xpath("./lastmod/text()").get()
            )
            if link:
                kind = "listing" if node.root.tag == "sitemap" else None
                yield link, published, modified, kind

    def local_day(self, when: datetime) -> date:
        if when.tzinfo is not None:
            when = when.astimezone(UTC) + timedelta(hours=self.profile.utc_offset_hours)
        return when.date()

    def before_since(self, when: datetime) -> bool:
        return bool(self.since and self.local_day(when) < self.since)

    def in_range(self, when: datetime) -> bool:
        if self.before_since(when):
            return False
        return not (self.until and self.local_day(when) > self.until)

    # --- articles -----------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        stats = self.stats
        stats.inc_value("newscrawl/pages/article")
        if not isinstance(response, TextResponse):
            stats.inc_value("newscrawl/rejected/not_html")
            self.logger.warning("not an HTML page, skipped: %s", response.url)
            return
        reason = not_article_reason(response, self.profile, base_url=self.base_url)
        if response.status >= 400 and reason != "bot_challenge":
            stats.inc_value(f"newscrawl/rejected/http_{response.status}")
            self.logger.info("HTTP %s, not archived: %s", response.status, response.url)
            return
        if reason:
            stats.inc_value(f"newscrawl/rejected/{reason}")
            self.logger.warning("not an article (%s), not archived: %s", reason, response.url)
            self.refused(response, reason)
            return
        extra = []
        if response.meta.get("newscrawl_feed_date"):
            extra.append(("feed", response.meta["newscrawl_feed_date"]))
        warc = response.meta.get("newscrawl_warc")
        page = page_for(
            response,
            self.profile,
            extra_date_candidates=extra,
            fetched_at=warc.get("warc_date") if warc else None,
        )
        try:
            parts = [] if response.meta.get("newscrawl_whole") else page.split_pages()
            if parts and self.profile.split_param:
                stats.inc_value("newscrawl/split/whole_page")
                meta = dict(response.meta, newscrawl_whole=True)
                yield response.request.replace(
                    url=with_param(response.url, self.profile.split_param),
                    meta=meta,
                    dont_filter=True,
                )
                return
            raw = page.to_raw()
        except Exception as exc:  # noqa: BLE001 - one broken page must not stop the crawl
            stats.inc_value("newscrawl/error/extraction")
            self.logger.error("extraction failed for %s: %r", response.url, exc)
            self.refused(response, "extraction_error")
            return
        raw.warc = warc
        # The WARC record is the raw page: the whole page text does not travel in the item
        # (``newscrawl extract --raw`` still shows it, from the saved file).
        raw.raw_html = None
        if response.meta.get("newscrawl_truncated") or "dataloss" in (response.flags or []):
            raw.flags.append("truncated")
        if parts and self.profile.extract.join_split_pages:
            raw.flags.append("split_joined")
            stats.inc_value("newscrawl/split/parts", len(parts))
            yield self.part_request(raw, [self.site_url(u) for u in parts])
            return
        yield from self.finish(raw, page.amp_url())

    def refused(self, response: Response, reason: str) -> None:
        """Record beside the page's WARC record why it was not archived (``reprocess --refused``
        can recover it)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.signals.send_catch_log(page_refused, response=response, reason=reason)

    def part_request(self, raw: RawArticle, parts: list[str]) -> scrapy.Request:
        return scrapy.Request(
            parts[0],
            callback=self.parse_part,
            errback=self.part_failed,
            meta={"newscrawl_raw": raw, "newscrawl_parts": parts[1:]},
            dont_filter=True,
        )

    def parse_part(self, response: Response) -> Iterator[Any]:
        """One more part of a split article: its body is appended; the last part yields."""
        raw: RawArticle = response.meta["newscrawl_raw"]
        if isinstance(response, TextResponse) and response.status == 200:
            html, _how = page_for(response, self.profile).body_html()
            if html:
                raw.body_html = f"<div>{raw.body_html or ''}{html}</div>"
        else:
            raw.flags.append("split_incomplete")
        rest = response.meta.get("newscrawl_parts") or []
        if rest:
            yield self.part_request(raw, rest)
        else:
            yield from self.finish(raw, None)

    def part_failed(self, failure: Any) -> Iterator[Any]:
        raw: RawArticle = failure.request.meta["newscrawl_raw"]
        raw.flags.append("split_incomplete")
        self.stats.inc_value("newscrawl/split/failed")
        yield raw

    def finish(self, raw: RawArticle, amp_url: str | None) -> Iterator[Any]:
        """Yield the raw article, after the AMP copy when the body came out too short."""
        options = self.profile.extract
        if (
            amp_url
            and options.amp_fallback
            and body_text_length(raw.body_html) < options.short_body_chars
        ):
            self.stats.inc_value("newscrawl/amp/tried")
            yield scrapy.Request(
                self.site_url(amp_url),
                callback=self.parse_amp,
                errback=self.amp_failed,
                meta={"newscrawl_raw": raw},
                dont_filter=True,
            )
            return
        yield raw

    def parse_amp(self, response: Response) -> Iterator[Any]:
        raw: RawArticle = response.meta["newscrawl_raw"]
        if isinstance(response, TextResponse) and response.status == 200:
            html, how = page_for(response, self.profile).body_html()
            if body_text_length(html) > body_text_length(raw.body_html):
                raw.body_html = html
                raw.body_source = f"amp:{how}"
                raw.flags.append("amp_body")
                self.stats.inc_value("newscrawl/amp/used")
        yield raw

    def amp_failed(self, failure: Any) -> Iterator[Any]:
        yield failure.request.meta["newscrawl_raw"]

    def closed(self, reason: str) -> None:
        if reason not in ("finished", "shutdown"):
            self.logger.info("spider %s closed: %s", self.name, reason)


def base_url_of(response: Response) -> str:
    """The URL relative links of a page resolve against: its ``<base href>``, else its URL."""
    if isinstance(response, HtmlResponse):
        try:
            return get_base_url(response)
        except ValueError:
            return response.url
    return response.url


def gunzipped(response: Response, max_size: int = DEFAULT_MAX_SIZE) -> XmlResponse | None:
    """A gzipped sitemap (``sitemap.xml.gz``) as an XML response, or None when it is broken or
    inflates past ``max_size`` (``DOWNLOAD_MAXSIZE``: the crawl's one bounded helper)."""
    try:
        body = decompress(response.body, "gzip", max_size=max_size)
    except ValueError:  # undecodable, or too large
        return None
    return XmlResponse(
        url=response.url, body=body, request=response.request, flags=list(response.flags)
    )


def _feed_date(raw: str | None) -> datetime | None:
    if not raw or not raw.strip():
        return None
    return _rfc822(raw) or parse_date(raw.strip())


def _rfc822(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None


__all__ = ["PortalSpider", "CloseSpider", "forward_pages", "page_position", "with_param"]
