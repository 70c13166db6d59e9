"""Generic article extraction: JSON-LD, OpenGraph and meta tags, then the main text.

A page class turns one response into a :class:`~newscrawl.items.RawArticle`, one method per field.
:class:`GenericPage` works on any portal; with a :class:`~newscrawl.portals.Profile` it tries the
profile's selectors first and falls back, field by field, to the generic sources, so a changed
layout still gives a complete item. Portal classes override only the fields that differ.

No I/O and no Scrapy engine here: a response in, fields out.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newscrawl.clean import normalize_text
from newscrawl.dates import date_from_url
from newscrawl.items import RawArticle
from newscrawl.pages import jsonld
from newscrawl.portals import Profile

#: Containers that hold the article text on many CMSs, most specific first.
GENERIC_BODY_SELECTORS = (
    "[itemprop=articleBody]",
    "div.detail__body-text",
    "div.read__content",
    "div.txt-article",
    "div.entry-content",
    "div.post-content",
    "div.post-body",
    "div.article-content",
    "div.article-body",
    "div.content-detail",
    "div.detail-content",
    "div.detail-text",
    "div.wrap__article-detail-content",
)
#: Elements showing the publication date on many CMSs.
GENERIC_DATE_SELECTORS = (
    "div.detail__date",
    "div.read__time",
    "time.grey",
    "span.datetime",
    "span.date-publish",
    "time",
    ".post-date",
    ".entry-date",
    ".published",
    ".date",
    ".time",
    ".tanggal",
    ".waktu",
)
GENERIC_AUTHOR_SELECTORS = (
    "[itemprop=author] [itemprop=name]",
    "[rel=author]",
    "div.detail__author",
    ".author-name",
    ".author a",
)
GENERIC_TAG_SELECTORS = ("a[rel=tag]", ".tags a", ".tag a", ".post-tags a", ".tag-list a")
#: meta names/properties that carry the publication date, best first.
META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "content_publisheddate",
    "publishdate",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
)
META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified")
#: Elements that are never part of the article text when a broad container is used as body.
_NOT_BODY_XPATH = (
    ".//h1 | .//header | .//nav | .//aside | .//footer | .//form | .//script | .//style"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb ')]"
)
#: A year between 1990 and 2099: visible date strings carry one.
_YEAR_RE = re.compile(r"\b(?:19[9]\d|20\d\d)\b")
#: Title suffixes like " - Surabaya Pagi", " | Kompas.com".
_TITLE_SEP_RE = re.compile(r"\s+[-|–—:]\s+(?!.*\s[-|–—]\s)(?P<tail>[^-|–—]{2,40})$")
#: A trailing " - detikJatim" / " - Kompas.com" on an author line.
_AUTHOR_SUFFIX_RE = re.compile(r"\s*[-|,]\s*(detik\w*|[\w.]+\.(com|id|net|co\.id))\s*$", re.I)
#: Domain-like words: a title tail that names a site.
_DOMAINISH_RE = re.compile(r"\.(com|id|net|co)\b|^(detik|kompas|tribun|cnn|antara|jpnn)", re.I)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    out = normalize_text(text).strip()
    return out or None


class GenericPage:
    """Extraction for any portal; profile selectors first when a profile is given."""

    def __init__(
        self,
        response: TextResponse,
        profile: Profile | None = None,
        *,
        fetched_at: str | None = None,
        extra_date_candidates: list[tuple[str, str]] | None = None,
    ) -> None:
        self.response = response
        self.profile = profile
        self.url = response.url
        self._fetched_at = fetched_at
        self._extra_dates = list(extra_date_candidates or [])

    # --- parsed views of the page -------------------------------------------------------------
    @cached_property
    def sel(self) -> Selector:
        return Selector(text=self.response.text or "<html></html>", type="html")

    @cached_property
    def meta(self) -> dict[str, str]:
        """First ``content`` of every meta tag, keyed by lowercased name/property/itemprop."""
        out: dict[str, str] = {}
        for node in self.sel.xpath("//meta[@content]"):
            key = (
                node.attrib.get("name")
                or node.attrib.get("property")
                or node.attrib.get("itemprop")
            )
            if key:
                out.setdefault(key.strip().lower(), node.attrib["content"])
        return out

    @cached_property
    def jsonld_objects(self) -> list[dict[str, Any]]:
        return jsonld.parse_jsonld(
            self.sel.xpath("//script[@type='application/ld+json']/text()").getall()
        )

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        return jsonld.find_article(self.jsonld_objects) or {}

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        names = list(self.profile.site_names) if self.profile else []
        for key in ("og:site_name", "application-name", "publisher"):
            if self.meta.get(key):
                names.append(self.meta[key])
        host = urlsplit(self.url).hostname or ""
        if host:
            names += [host, host.removeprefix("www.")]
        return tuple(dict.fromkeys(n for n in names if n))

    # --- helpers ------------------------------------------------------------------------------
    def _profile_selectors(self, name: str) -> tuple[str, ...]:
        return self.profile.selector(name) if self.profile else ()

    @staticmethod
    def node_text(node: Selector, css: str) -> str | None:
        """Clean text of a node matched by ``css`` (the value itself for ``::attr()``/``::text``)."""
        return _clean(node.get() if "::" in css else " ".join(node.css("::text").getall()))

    def first_text(self, selectors: tuple[str, ...] | list[str]) -> str | None:
        """Text of the first selector that matches something non-empty (``::attr()`` works)."""
        for css in selectors:
            for node in self.sel.css(css):
                text = self.node_text(node, css)
                if text:
                    return text
        return None

    def all_texts(self, selectors: tuple[str, ...] | list[str]) -> list[str]:
        """Texts of every node of the first selector that matches anything."""
        for css in selectors:
            nodes = self.sel.css(css)
            texts = [t for t in (self.node_text(n, css) for n in nodes) if t]
            if texts:
                return list(dict.fromkeys(texts))
        return []

    def strip_site_suffix(self, title: str) -> str:
        """Drop a " - Site Name" tail that names the portal.

        (Examples in tests: only tails that look like the site's name are dropped.)
        """
        m = _TITLE_SEP_RE.search(title)
        if not m:
            return title
        tail = m["tail"].strip().lower()
        names = [n.lower() for n in self.site_names]
        if any(tail == n or tail in n or n in tail for n in names) or _DOMAINISH_RE.search(tail):
            return title[: m.start()].strip()
        return title

    # --- fields -------------------------------------------------------------------------------
    def canonical_url(self) -> str:
        href = self.sel.xpath("//link[@rel='canonical']/@href").get() or self.meta.get("og:url")
        if href:
            href = urljoin(self.url, href.strip())
            if urlsplit(href).scheme in ("http", "https"):
                return href
        return self.url

    def title(self) -> str | None:
        value = self.first_text(self._profile_selectors("title"))
        if value:
            return value
        headline = jsonld.text_value(self.article_ld.get("headline"))
        if headline:
            return _clean(headline)
        og = self.meta.get("og:title") or self.meta.get("twitter:title")
        if og and _clean(og):
            return self.strip_site_suffix(_clean(og))
        h1 = self.first_text(["h1"])
        if h1:
            return h1
        t = _clean(self.sel.xpath("//title/text()").get())
        return self.strip_site_suffix(t) if t else None

    def description(self) -> str | None:
        return _clean(
            self.meta.get("og:description")
            or self.meta.get("description")
            or jsonld.text_value(self.article_ld.get("description"))
        )

    def authors(self) -> list[str]:
        found = self.all_texts(self._profile_selectors("author"))
        if not found:
            found = jsonld.names(self.article_ld.get("author"))
        if not found and self.meta.get("author"):
            found = [self.meta["author"]]
        if not found:
            found = self.all_texts(GENERIC_AUTHOR_SELECTORS)
        return [_AUTHOR_SUFFIX_RE.sub("", a).strip() for a in found if a]

    def editor(self) -> str | None:
        return self.first_text(self._profile_selectors("editor"))

    def reporter(self) -> str | None:
        return self.first_text(self._profile_selectors("reporter"))

    def section(self) -> str | None:
        return (
            self.first_text(self._profile_selectors("section"))
            or jsonld.text_value(self.article_ld.get("articleSection"))
            or _clean(self.meta.get("article:section"))
        )

    def tags(self) -> list[str]:
        tags = self.all_texts(self._profile_selectors("tags"))
        if not tags:
            tags = [
                t.strip()
                for t in self.sel.xpath("//meta[@property='article:tag']/@content").getall()
                if t.strip()
            ]
        if not tags:
            tags = self.all_texts(GENERIC_TAG_SELECTORS)
        return [t.lstrip("#").strip() for t in tags if t.lstrip("#").strip()]

    def language(self) -> str | None:
        lang = self.sel.xpath("/html/@lang").get() or self.meta.get("og:locale") or ""
        lang = lang.strip().lower().replace("_", "-").split("-")[0]
        if lang in ("in", "ind"):
            lang = "id"
        return lang or (self.profile.language if self.profile else None)

    # --- body ---------------------------------------------------------------------------------
    def body_element(self) -> tuple[etree._Element | None, str]:
        """The element holding the article text and how it was found."""
        for css in self._profile_selectors("body"):
            node = self._substantial(css)
            if node is not None:
                return node, f"profile:{css}"
        for css in GENERIC_BODY_SELECTORS:
            node = self._substantial(css)
            if node is not None:
                return node, f"generic:{css}"
        node = self._densest_container()
        if node is not None:
            return node, "density"
        return None, "none"

    def _substantial(self, css: str) -> etree._Element | None:
        best = None
        best_len = 0
        for node in self.sel.css(css):
            n = len(
                "".join(
                    node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
                ).strip()
            )
            if n > best_len:
                best, best_len = node.root, n
        return best if best_len >= 150 else None

    def _densest_container(self) -> etree._Element | None:
        """The element whose paragraph children carry the most text (a readability-like score)."""
        scores: dict[etree._Element, float] = {}
        root = self.sel.root
        for p in root.iter("p", "br"):
            parent = p.getparent()
            if parent is None:
                continue
            text = (p.text or "") + (p.tail or "") if p.tag == "br" else "".join(p.itertext())
            n = len(text.strip())
            if n < 25:
                continue
            scores[parent] = scores.get(parent, 0.0) + n + 10 * text.count(",")
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + n / 3
        if not scores:
            return None
        best = max(scores, key=scores.get)
        return best if scores[best] >= 200 else None

    def body_html(self) -> tuple[str | None, str]:
        node, how = self.body_element()
        if node is None:
            body = jsonld.text_value(self.article_ld.get("articleBody"))
            if body:
                paras = "".join(
                    f"<p>{_escape(p)}</p>" for p in re.split(r"\n\s*\n|\r\n", body) if p.strip()
                )
                return f"<div>{paras}</div>", "jsonld:articleBody"
            return self._trafilatura_body()
        node = copy.deepcopy(node)
        for bad in node.xpath(_NOT_BODY_XPATH):
            parent = bad.getparent()
            if parent is not None:
                _drop_keep_tail(bad)
        return etree.tostring(node, encoding="unicode", method="html"), how

    def _trafilatura_body(self) -> tuple[str | None, str]:
        try:
            import trafilatura

            out = trafilatura.extract(
                self.response.text,
                output_format="html",
                include_comments=False,
                include_tables=False,
            )
        except Exception:  # noqa: BLE001 - a broken page must not break the crawl
            return None, "none"
        return (out, "trafilatura") if out else (None, "none")

    # --- dates --------------------------------------------------------------------------------
    def date_candidates(self) -> list[tuple[str, str]]:
        """Every publication date string found, tagged with where it came from."""
        out: list[tuple[str, str]] = []
        ld = jsonld.text_value(self.article_ld.get("datePublished"))
        if ld:
            out.append(("jsonld", ld))
        for key in META_PUBLISHED:
            if self.meta.get(key):
                out.append(("meta", self.meta[key].strip()))
        for dt in self.sel.xpath("//time[@datetime]/@datetime").getall()[:1]:
            out.append(("meta", dt.strip()))
        for text in self.visible_dates():
            out.append(("visible", text))
        out.extend(self._extra_dates)
        from_url = date_from_url(self.url)
        if from_url:
            out.append(("url", from_url))
        return list(dict.fromkeys(out))

    def visible_dates(self) -> list[str]:
        """Short visible strings that look like a date with a year (never running prose)."""
        selectors = self._profile_selectors("date") + GENERIC_DATE_SELECTORS
        out = []
        for css in selectors:
            for node in self.sel.css(css)[:3]:
                text = self.node_text(node, css)
                if text and len(text) <= 120 and _YEAR_RE.search(text):
                    out.append(text)
            if out:
                return out[:2]
        # Fall back to short text nodes near the headline: a date line under the title.
        h1 = self.sel.xpath("//h1")
        if h1:
            for text in (
                h1[0].xpath("following::text()[normalize-space()][position() <= 40]").getall()
            ):
                text = _clean(text)
                if text and len(text) <= 80 and _YEAR_RE.search(text):
                    out.append(text)
                    break
        return out

    def modified_candidates(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        ld = jsonld.text_value(self.article_ld.get("dateModified"))
        if ld:
            out.append(("jsonld", ld))
        out += [("meta", self.meta[k]) for k in META_MODIFIED if self.meta.get(k)]
        return out

    # --- the whole item -----------------------------------------------------------------------
    def to_raw(self) -> RawArticle:
        body, how = self.body_html()
        resp = self.response
        return RawArticle(
            url=self.url,
            source=self.profile.key if self.profile else "generic",
            canonical_url=self.canonical_url(),
            title=self.title(),
            description=self.description(),
            authors=self.authors(),
            editor=self.editor(),
            reporter=self.reporter(),
            section=self.section(),
            tags=self.tags(),
            body_html=body,
            body_source=how,
            date_candidates=self.date_candidates(),
            modified_candidates=self.modified_candidates(),
            language=self.language(),
            fetched_at=self._fetched_at or datetime.now(UTC).isoformat(timespec="seconds"),
            http_status=resp.status,
            raw_sha256=hashlib.sha256(resp.body).hexdigest(),
            raw_html=resp.text,
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _drop_keep_tail(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
