"""Generic article extraction: JSON-LD, OpenGraph and meta tags, visible blocks, the main text.

A page class turns one response into a :class:`~newscrawl.items.RawArticle`, one method per field.
:class:`GenericPage` works on any portal; with a :class:`~newscrawl.portals.Profile` it tries the
profile's data first (selectors, the ``__NEXT_DATA__`` field map) and falls back, field by field,
to the generic sources, so a changed layout still gives a complete item. Portal classes override
only the fields that differ.

Generic sources, per field:

- title: JSON-LD ``headline``, ``og:title``, the article ``h1``, ``<title>`` (parts naming the
  site cut from either end); a candidate that is only the site's name (a logo in an ``h1``) is
  skipped, and a headline repaired from malformed JSON-LD counts only when it agrees with the page.
- body: known body containers, else the element whose paragraphs carry the most text, else
  JSON-LD ``articleBody``, else trafilatura. Photo captions outside the body (the header photo)
  are put in front of it as ``<figcaption>`` so cleaning files them under captions.
- authors / editor / reporter: credit blocks ("Reporter : X | Editor : Y", kompas's
  ``<h6>Penulis</h6><h6>X</h6>``, "Laporan oleh X"), ``meta[name=content_author]`` and
  ``content_editor``, JSON-LD ``author`` (unless it is the editor: kompas's trap), then
  ``meta[name=author]``; site names and accounts are never people.
- section: JSON-LD ``articleSection``, ``article:section``, ``content_category``, breadcrumbs.
- tags: ``article:tag``, then the tag box of the article (never a sidebar's "hot topics").
- dates: JSON-LD, meta tags, ``time[datetime]``, visible date strings, a time written in the URL
  (``/baca/<id>/<YYYYMMDD>/<HHMMSS>/``: a CMS timestamp, counted as machine-readable); when none
  of the visible ones has a time, a byline found by its text shape near the top of the article.

No I/O and no Scrapy engine here: a response in, fields out.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newscrawl.clean import filter_authors, normalize_text
from newscrawl.clean.metadata import is_site_name, site_keys, strip_site_parts
from newscrawl.clean.rules import classify_line
from newscrawl.dates import date_from_url, parse_date_detailed
from newscrawl.items import RawArticle
from newscrawl.pages import jsonld
from newscrawl.pages.blocks import (
    drop_embeds,
    drop_title_label,
    mark_image_captions,
    published_part,
    remove_keep_tail,
    same_title,
    similar_title,
)
from newscrawl.pages.credits import clean_name, element_lines, parse_credits
from newscrawl.pages.density import block_weights, densest_element, region_kind
from newscrawl.pages.fast import xpath
from newscrawl.portals import Profile
from newscrawl.safety.charset import raw_digest

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
    ".detail-date",
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
#: Breadcrumb trails, whose last item (not "Home", not the headline) is the section.
GENERIC_BREADCRUMB_SELECTORS = (
    ".breadcrumb",
    ".breadcrumbs",
    "[class*=breadcrumb]",
    "[class*=crumbs]",
    "nav[aria-label*=readcrumb]",
    "#breadcrumb",
)
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
META_SECTION = ("article:section", "content_category", "section", "category", "kanal")
#: Elements that are never part of the article text when a broad container is used as body.
_NOT_BODY_XPATH = (
    ".//h1 | .//header | .//nav | .//aside | .//footer | .//form | .//script | .//style"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb ')]"
)
#: A year between 1990 and 2099: visible date strings carry one.
_YEAR_RE = re.compile(r"\b(?:19[9]\d|20\d\d)\b")
#: How far around the headline (in elements, document order) a byline date is looked for, and
#: how far into the article text.
_BYLINE_BEFORE = 40
_BYLINE_AFTER = 200
_BYLINE_INTO_BODY = 40
#: A profile-selected title longer than this is not a headline (it caught a paragraph).
MAX_TITLE_CHARS = 300
#: A date later than the fetch by more than this is in the future: not the publication date.
FUTURE_SLACK = timedelta(days=1)
#: Title suffixes like " - Surabaya Pagi", " | Kompas.com".
_TITLE_SEP_RE = re.compile(r"\s+[-|–—:]\s+(?!.*\s[-|–—:]\s)(?P<tail>[^|–—]{2,40})$")
#: A trailing " - detikJatim" / " - Kompas.com" on an author line.
_AUTHOR_SUFFIX_RE = re.compile(r"\s*[-|,]\s*(detik\w*|[\w.]+\.(com|id|net|co\.id))\s*$", re.I)
#: Domain-like words: a title tail that names a site.
_DOMAINISH_RE = re.compile(r"\.(com|id|net|co)\b|^(detik|kompas|tribun|cnn|antara|jpnn)", re.I)
#: Separators inside class and id values ("detail__body-tag" -> detail, body, tag).
_TOKEN_SPLIT_RE = re.compile(r"[-_\s]+")
#: A ".class" part of a CSS selector.
_CSS_CLASS_RE = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
#: XML whitespace: what separates class words for XPath (and CSS) class matching.
_XML_WS_RE = re.compile(r"[ \t\n\r]+")
#: Class/id tokens of regions that are not the article (sidebars, menus, lists of other news).
_OFF_ARTICLE_TOKENS = frozenset(
    [
        "sidebar",
        "widget",
        "populer",
        "popular",
        "terpopuler",
        "trending",
        "hot",
        "menu",
        "navbar",
        "nav",
        "related",
        "terkait",
        "rekomendasi",
        "recommendation",
        "recommended",
        "most",
        "pilihan",
        "latest",
        "terbaru",
        "terkini",
        "komentar",
        "comment",
        "comments",
        "topik",
        "network",
    ]
)
#: Class/id tokens of credit blocks.
_CREDIT_TOKENS = frozenset(
    [
        "author",
        "authors",
        "penulis",
        "editor",
        "reporter",
        "credit",
        "credits",
        "byline",
        "pewarta",
        "redaksi",
        "writer",
        "redaktur",
        "kontributor",
    ]
)
#: Class/id tokens of tag boxes.
_TAG_TOKENS = frozenset(["tag", "tags", "tagcloud", "tagcloud3", "taglist", "keywords", "topik"])
#: Class/id tokens of a section label ("kanal-berita", "entry-category").
_SECTION_TOKENS = frozenset(["kanal", "category", "kategori", "rubrik", "channel"])
#: Hrefs of tag pages.
_TAG_HREF_RE = re.compile(r"/(?:tags?|topik|topic|label|kata-kunci|keywords?)/|[?&]tag=", re.I)
#: Links to an author's page.
_AUTHOR_LINK_XPATH = (
    "//a[contains(@href, '/author/') or contains(@href, '/penulis/')"
    " or contains(@href, '/reporter/') or contains(@href, '/wartawan/')]"
)
#: Class/id tokens of the site's header and top bar.
_PAGE_HEADER_TOKENS = frozenset(["header", "topbar", "top", "masthead", "navbar", "topnav"])
#: Words of author photos, logos and icons.
_AVATAR_RE = re.compile(r"avatar|author|penulis|profile|profil|logo|icon|gravatar")
#: Class/id tokens of photo captions.
_CAPTION_TOKENS = frozenset(["caption", "figcaption", "keterangan"])


#: Elements with a class or an id (the only ones whose tokens can say anything).
_NAMED_XPATH = "//*[@class or @id]"
#: Caption elements before the body (``preceding::`` from the body element).
_CAPTION_BEFORE_XPATH = "preceding::figcaption | preceding::figure | preceding::*[@class or @id]"
_CAPTION_ALL_XPATH = "//figcaption | //figure | //*[@class or @id]"
#: Words of a breadcrumb's first item.
_HOME_WORDS = frozenset(("home", "beranda", "index", "indeks", "depan", "halaman utama"))
#: Trafilatura's body replaces ours when it holds more than this many times our words (measured
#: on WCXB's development articles: from 1.7 to 2.5 the mean F1 barely moves).
TRAFILATURA_SHARE = 2.0
_WORD_RE = re.compile(r"\w+")
#: Query parameters that number the parts of a split article.
_PART_PARAMS = ("page", "halaman", "hal", "p")
#: Hrefs that may point at another part: a part parameter or a trailing number.
_PART_HREF_RE = re.compile(r"[?&](?:page|halaman|hal|p)=\d|/\d{1,2}/?(?:[?#]|$)", re.I)
#: A trailing part number in a path ("/slug/2").
_PATH_PART_RE = re.compile(r"^(?P<base>.+?)/(?P<n>\d{1,2})/?$")


@lru_cache(maxsize=1024)
def compiled_css(css: str) -> etree.XPath | None:
    """A CSS selector (``::attr(x)`` and ``::text`` allowed) compiled to an XPath, or None."""
    from parsel.csstranslator import HTMLTranslator

    try:
        return etree.XPath(HTMLTranslator().css_to_xpath(css))
    except Exception:  # noqa: BLE001 - cssselect raises several types; a bad selector matches nothing
        return None


def css_select(root: etree._Element, css: str) -> list[Any]:
    """Elements (or strings, for ``::attr()``/``::text``) matched by ``css`` under ``root``.

    >>> from lxml import html
    >>> doc = html.fromstring('<div><p class="a">x</p><meta name="k" content="v"></div>')
    >>> [e.text for e in css_select(doc, "p.a")], css_select(doc, "meta[name=k]::attr(content)")
    (['x'], ['v'])
    """
    compiled = compiled_css(css)
    if compiled is None:
        return []
    try:
        found = compiled(root)
    except etree.XPathError:
        return []
    return found if isinstance(found, list) else [found]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    out = normalize_text(text).strip()
    return out or None


@lru_cache(maxsize=1024)
def _required_classes(css: str) -> frozenset[str]:
    """Lower-case classes some element of the page must carry for ``css`` to match anything;
    empty when the selector could match without one (a list, ``:not()``, attributes, escapes).

    >>> sorted(_required_classes(".breadcrumb li:last-child a.x::text"))
    ['breadcrumb', 'x']
    >>> _required_classes(".a, .b"), _required_classes("p:not(.a)"), _required_classes("[a='.b']")
    (frozenset(), frozenset(), frozenset())
    """
    if any(ch in css for ch in ",()[]\\\"'"):
        return frozenset()
    return frozenset(m.lower() for m in _CSS_CLASS_RE.findall(css))


def _tokens(el: etree._Element) -> frozenset[str]:
    return _split_tokens(el.get("class") or "", el.get("id") or "")


@lru_cache(maxsize=8192)
def _split_tokens(cls: str, ident: str) -> frozenset[str]:
    """Lower-case words of a class and an id (pages repeat the same few values).

    >>> sorted(_split_tokens("detail__body-text Main", "artikel"))
    ['artikel', 'body', 'detail', 'main', 'text']
    """
    return frozenset(t for t in _TOKEN_SPLIT_RE.split(f"{cls} {ident}".lower()) if t)


def dig(obj: Any, path: str) -> list[Any]:
    """Values at a dotted ``path`` in parsed JSON; ``name[]`` walks every item of a list.

    >>> data = {"a": {"tags": [{"name": "x"}, {"name": "y"}], "author": {"name": "Ana"}}}
    >>> dig(data, "a.tags[].name"), dig(data, "a.author.name"), dig(data, "a.nope")
    (['x', 'y'], ['Ana'], [])
    """
    current = [obj]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt: list[Any] = []
        for node in current:
            if key:
                if not isinstance(node, dict) or key not in node:
                    continue
                node = node[key]
            if many and isinstance(node, list):
                nxt.extend(node)
            else:
                nxt.append(node)
        current = nxt
    return [v for v in current if v not in (None, "", [], {})]


def off_article(
    el: etree._Element, *, header: bool = False, within: etree._Element | None = None
) -> bool:
    """True inside sidebars, menus, footers and lists of other articles (and, with ``header``,
    inside the page header); an article's own ``<footer>`` (tags, credits) does not count.
    With ``within`` (a container chosen by a profile), only ``aside`` and ``nav`` elements below
    it count.

    >>> from lxml import html
    >>> doc = html.fromstring("<div><article><footer><a id=t>tag</a></footer></article>"
    ...     "<aside><a id=s>x</a></aside><div class='box terpopuler'><a id=p>y</a></div></div>")
    >>> [off_article(doc.get_element_by_id(i)) for i in ("t", "s", "p")]
    [False, True, True]
    """
    node: etree._Element | None = el
    footer = False
    while node is not None and node is not within:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "article":
            footer = False
        tokens = _tokens(node) if within is None else frozenset()
        if tag in ("aside", "nav") or tokens & _OFF_ARTICLE_TOKENS:
            return True
        if header and (tag == "header" or "header" in tokens):
            return True
        footer = footer or tag == "footer" or "footer" in tokens
        node = node.getparent()
    return footer


class GenericPage:
    """Extraction for any portal; the profile's data first when a profile is given."""

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
        from newscrawl.pages.detect import page_selector

        if not (self.response.text or "").strip():
            return Selector(text="<html></html>", type="html")
        return page_selector(self.response)

    @cached_property
    def root(self) -> etree._Element:
        return self.sel.root

    @cached_property
    def meta(self) -> dict[str, str]:
        """First ``content`` of every meta tag, keyed by lowercased name/property/itemprop."""
        out: dict[str, str] = {}
        for node in xpath(self.root, "//meta[@content]"):
            key = node.get("name") or node.get("property") or node.get("itemprop")
            if key:
                out.setdefault(key.strip().lower(), node.get("content"))
        return out

    @cached_property
    def jsonld_objects(self) -> list[dict[str, Any]]:
        return jsonld.parse_jsonld(
            [str(t) for t in xpath(self.root, "//script[@type='application/ld+json']/text()")]
        )

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        return jsonld.find_article(self.jsonld_objects) or {}

    @cached_property
    def next_data(self) -> Any:
        """The object at the profile's ``next_data.path`` in ``script#__NEXT_DATA__``, or None."""
        path = self.profile.next_data.get("path") if self.profile else None
        if not path or self._next_data_raw is None:
            return None
        found = dig(self._next_data_raw, path)
        return found[0] if found else None

    def next_value(self, name: str) -> list[Any]:
        """Values of one ``[next_data]`` field (``[]`` when the profile maps none)."""
        if self.next_data is None or not self.profile:
            return []
        path = self.profile.next_data.get(name)
        return dig(self.next_data, path) if path else []

    def next_text(self, name: str) -> str | None:
        values = [v for v in self.next_value(name) if isinstance(v, str | int | float)]
        return _clean(str(values[0])) if values else None

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

    @cached_property
    def _site_keys(self) -> frozenset[str]:
        return site_keys(self.site_names)

    def is_site_name(self, text: str) -> bool:
        """Whether ``text`` only names the site (a logo, "SURABAYAPAGI.COM", "KOMPAS.com")."""
        return len(text.split()) <= 3 and is_site_name(text, self._site_keys)

    @cached_property
    def _states(self) -> dict[etree._Element, tuple[bool, bool, bool]]:
        return {}

    def _state(self, el: etree._Element) -> tuple[bool, bool, bool]:
        """``(off, footer_counts, article_seen)`` of an element, memoised top-down: the same
        answer as :func:`off_article`, each element's classes read once."""
        states = self._states
        found = states.get(el)
        if found is not None:
            return found
        parent = el.getparent()
        hard, footer, article = self._state(parent) if parent is not None else (False, False, False)
        tag = el.tag if isinstance(el.tag, str) else ""
        tokens = self.tokens(el)
        hard = hard or tag in ("aside", "nav") or bool(tokens & _OFF_ARTICLE_TOKENS)
        footer = footer or ((tag == "footer" or "footer" in tokens) and not article)
        state = (hard, footer, article or tag == "article")
        states[el] = state
        return state

    def off_article(self, el: etree._Element) -> bool:
        """True inside sidebars, menus, footers and lists of other articles."""
        hard, footer, _ = self._state(el)
        return hard or footer

    @cached_property
    def _token_cache(self) -> dict[etree._Element, frozenset[str]]:
        return {}

    @cached_property
    def named(self) -> list[etree._Element]:
        """Elements with a class or an id, in document order."""
        return xpath(self.root, _NAMED_XPATH)

    def tokens(self, el: etree._Element) -> frozenset[str]:
        cache = self._token_cache
        found = cache.get(el)
        if found is None:
            found = cache[el] = _tokens(el)
        return found

    def in_body(self, el: etree._Element) -> bool:
        body = self.body_node[0]
        if body is None:
            return False
        node: etree._Element | None = el
        while node is not None:
            if node is body:
                return True
            node = node.getparent()
        return False

    # --- helpers ------------------------------------------------------------------------------
    def _profile_selectors(self, name: str) -> tuple[str, ...]:
        return self.profile.selector(name) if self.profile else ()

    @staticmethod
    def node_text(node: Any, css: str = "") -> str | None:
        """Clean text of a matched node (the value itself for ``::attr()``/``::text``)."""
        if not isinstance(node, etree._Element):
            return _clean(str(node))
        return _clean(" ".join(xpath(node, ".//text()[not(ancestor::script)]")))

    def css(self, css: str) -> list[Any]:
        need = _required_classes(css)
        if need and not need <= self._class_words:
            return []  # a class the selector needs is on no element of the page
        return css_select(self.root, css)

    @cached_property
    def _class_words(self) -> frozenset[str]:
        """Lower-case class words of every element of the page."""
        return frozenset(
            w for c in set(xpath(self.root, "//@class")) for w in _XML_WS_RE.split(c.lower()) if w
        )

    def first_text(self, selectors: tuple[str, ...] | list[str]) -> str | None:
        """Text of the first selector that matches something non-empty (``::attr()`` works)."""
        for css in selectors:
            for node in self.css(css):
                text = self.node_text(node)
                if text:
                    return text
        return None

    def all_texts(self, selectors: tuple[str, ...] | list[str]) -> list[str]:
        """Texts of every node of the first selector that matches anything."""
        for css in selectors:
            texts = [t for t in (self.node_text(n) for n in self.css(css)) if t]
            if texts:
                return list(dict.fromkeys(texts))
        return []

    def strip_site_suffix(self, title: str) -> str:
        """Drop the parts naming the portal from either end (:func:`strip_site_parts`), then a
        " - Site Name" tail that looks like a portal (and " Halaman all").

        (Examples in tests: only parts that look like the site's name are dropped.)
        """
        stripped = strip_site_parts(title, self.site_names)
        if stripped != title.strip():
            title = re.sub(r"\s+Halaman\s+(?:all|\d+)$", "", stripped, flags=re.I)
        m = _TITLE_SEP_RE.search(title)
        if not m:
            return title
        tail = m["tail"].strip().lower()
        names = [n.lower() for n in self.site_names]
        if any(tail == n or tail in n or n in tail for n in names) or _DOMAINISH_RE.search(tail):
            return re.sub(r"\s+Halaman\s+(?:all|\d+)$", "", title[: m.start()].strip(), flags=re.I)
        return title

    def _people(self, names: list[str]) -> list[str]:
        return filter_authors(
            [_AUTHOR_SUFFIX_RE.sub("", n).strip() for n in names if n], self.site_names
        )

    def _credit_name(self, text: str, role: str) -> str | None:
        """The name in a profile-selected credit text ("Editor: X" or just "X")."""
        parsed = parse_credits([text])
        if parsed:
            return parsed.get(role) or next(iter(parsed.values()))
        return clean_name(text)

    # --- fields -------------------------------------------------------------------------------
    def canonical_url(self) -> str:
        found = xpath(self.root, "//link[@rel='canonical']/@href")
        href = (found[0] if found else None) or self.meta.get("og:url")
        if href:
            href = urljoin(self.url, href.strip())
            if urlsplit(href).scheme in ("http", "https"):
                return href
        return self.url

    @cached_property
    def title_node(self) -> etree._Element | None:
        """The headline's ``h1``: the first one that is not a logo or the site's name."""
        for node in self.root.iter("h1"):
            text = _clean(" ".join(node.itertext()))
            if text and not self.is_site_name(text) and not self.off_article(node):
                return node
        return None

    @cached_property
    def _meta_title(self) -> str | None:
        """The headline as the page's metadata gives it (JSON-LD, then OpenGraph)."""
        for value in (
            self.next_text("title"),
            self._ld_headline(),
            self._og_title(),
        ):
            if value and not self.is_site_name(value):
                return value
        return None

    def title(self) -> str | None:
        """The headline as readers see it.

        The profile's selector wins (without a badge like "VIDEO" that the metadata title
        lacks); otherwise the visible ``h1`` wins when it says the same as the metadata title
        (readers see its quotes and dashes), else the metadata title.
        """
        reference = self._meta_title
        shown = self.profile_title()
        if shown:
            return drop_title_label(shown, reference)
        h1 = _clean(" ".join(self.title_node.itertext())) if self.title_node is not None else None
        if h1 and reference:
            if same_title(h1, reference):
                return h1
            unlabeled = drop_title_label(h1, reference)
            if unlabeled != h1:
                return unlabeled
            if similar_title(h1, reference):
                return h1  # the metadata carries an older or shortened headline
        candidates = [
            lambda: self.next_text("title"),
            lambda: self._ld_headline(),
            lambda: self._og_title(),
            lambda: (
                _clean(" ".join(self.title_node.itertext()))
                if self.title_node is not None
                else None
            ),
            lambda: self._html_title(),
            lambda: self._ld_headline(last_resort=True),
        ]
        for get in candidates:
            value = get()
            if value and not self.is_site_name(value):
                return value
        return None

    def valid_title(self, text: str | None) -> bool:
        """Whether a profile-selected text can be the headline: not empty, not the site's name,
        not a paragraph."""
        return bool(text) and len(text) <= MAX_TITLE_CHARS and not self.is_site_name(text)

    def profile_title(self) -> str | None:
        """The first valid headline the profile's title selectors find, else None."""
        for css in self._profile_selectors("title"):
            for node in self.css(css):
                text = self.node_text(node)
                if self.valid_title(text):
                    return text
        return None

    def _ld_headline(self, *, last_resort: bool = False) -> str | None:
        """JSON-LD ``headline``. A value repaired from a malformed block (a repair can cut it at
        an unescaped quote) is used only when it agrees with the visible page (the ``h1`` or
        ``og:title``), or, with ``last_resort``, when the page shows no headline at all."""
        value = _clean(jsonld.text_value(self.article_ld.get("headline")))
        if not value or not self.article_ld.get("@salvaged"):
            return None if last_resort else value
        h1 = _clean(" ".join(self.title_node.itertext())) if self.title_node is not None else None
        shown = [t for t in (h1, self._og_title()) if t]
        if last_resort:
            return None if shown else value
        agrees = any(same_title(value, t) or similar_title(t, value) for t in shown)
        return value if agrees else None

    def _og_title(self) -> str | None:
        og = _clean(self.meta.get("og:title") or self.meta.get("twitter:title"))
        return self.strip_site_suffix(og) if og else None

    def _html_title(self) -> str | None:
        found = xpath(self.root, "//title/text()")
        t = _clean(str(found[0])) if found else None
        return self.strip_site_suffix(t) if t else None

    def description(self) -> str | None:
        return _clean(
            self.meta.get("og:description")
            or self.meta.get("description")
            or jsonld.text_value(self.article_ld.get("description"))
            or self.next_text("description")
        )

    # --- people -------------------------------------------------------------------------------
    @cached_property
    def credits(self) -> dict[str, str]:
        """Roles named in the page's credit blocks and credit meta tags (outside the body)."""
        out: dict[str, str] = {}

        def merge(found: dict[str, str]) -> None:
            for role, name in found.items():
                out.setdefault(role, name)

        for css in self._profile_selectors("credits"):
            for node in self.css(css):
                if isinstance(node, etree._Element):
                    merge(parse_credits(element_lines(node)))
        for el in self.named:
            if el.tag in ("script", "style", "meta", "body", "html"):
                continue
            if not self.tokens(el) & _CREDIT_TOKENS or self.in_body(el) or self.off_article(el):
                continue
            lines = element_lines(el)
            if lines and sum(map(len, lines)) <= 300:
                merge(parse_credits(lines))
        for key, role in (("content_author", "writer"), ("content_editor", "editor")):
            name = clean_name(self.meta.get(key) or "")
            if name and not self.is_site_name(name):
                out.setdefault(role, name)
        return out

    def authors(self) -> list[str]:
        found = self.profile_authors()
        if found:
            return found
        if self.credits.get("writer"):
            found = self._people([self.credits["writer"]])
            if found:
                return found
        if not (self.profile and self.profile.extract.ignore_jsonld_author):
            editor = self.credits.get("editor") or self.editor()
            found = [
                n for n in self._people(jsonld.names(self.article_ld.get("author"))) if n != editor
            ]
            if found:
                return found
        if self.credits.get("reporter"):
            found = self._people([self.credits["reporter"]])
            if found:
                return found
        if self.meta.get("author"):
            found = self._people([self.meta["author"]])
            if found:
                return found
        found = self._people(self.all_texts(GENERIC_AUTHOR_SELECTORS))
        return found or self._people(self.author_links())

    def author_links(self) -> list[str]:
        """Names linked to an author page ("/author/x", "/penulis/x") near the headline."""
        out = []
        for a in xpath(self.root, _AUTHOR_LINK_XPATH):
            if self.off_article(a) or self.in_body(a):
                continue
            name = clean_name(" ".join(a.itertext()))
            if name and not self.is_site_name(name):
                out.append(name)
        return list(dict.fromkeys(out))[:3]

    def editor(self) -> str | None:
        text = self.first_text(self._profile_selectors("editor"))
        if text:
            name = self._credit_name(text, "editor")
            if name:
                return name
        return (
            self.next_text("editor")
            or self.credits.get("editor")
            or next(iter(self._people(jsonld.names(self.article_ld.get("editor")))), None)
        )

    def reporter(self) -> str | None:
        text = self.first_text(self._profile_selectors("reporter"))
        if text:
            name = self._credit_name(text, "reporter")
            if name:
                return name
        return self.next_text("reporter") or self.credits.get("reporter")

    # --- section and tags ---------------------------------------------------------------------
    def _section_name(self, text: str | None) -> str | None:
        """``text`` when it can name a section: not "Home", the site, the headline or prose."""
        text = (text or "").strip(" »›>/|")
        if not text or len(text) > 60 or text.lower() in _HOME_WORDS or self.is_site_name(text):
            return None
        if self.title_node is not None:
            title = _clean(" ".join(self.title_node.itertext())) or ""
            if text.lower() == title.lower():
                return None
        return text

    def section(self) -> str | None:
        for css in self._profile_selectors("section"):
            for node in self.css(css):
                value = self._section_name(self.node_text(node))
                if value:
                    return value
        value = self.next_text("section") or _clean(
            jsonld.text_value(self.article_ld.get("articleSection"))
        )
        if value:
            return value
        for key in META_SECTION:
            if _clean(self.meta.get(key)):
                return _clean(self.meta[key])
        return self.breadcrumb_section() or self.label_section() or self.url_section()

    def label_section(self) -> str | None:
        """The one link of a section label box before the body ("kanal", "category")."""
        body = self.body_node[0]
        for el in self.named:
            if not self.tokens(el) & _SECTION_TOKENS or self.off_article(el):
                continue
            if body is not None and (self.in_body(el) or _contains(el, body)):
                continue
            links = [a for a in el.iter("a") if (a.get("href") or "").strip()]
            if len(links) == 1:
                value = self._section_name(_clean(" ".join(links[0].itertext())))
                if value:
                    return value
        return None

    def url_section(self) -> str | None:
        """The text of a link to the first folder of the article's URL ("/nasional")."""
        parts = urlsplit(self.url)
        first = parts.path.strip("/").split("/")[0] if parts.path.count("/") >= 2 else ""
        if not first or not re.fullmatch(r"[a-z][a-z-]{2,40}", first):
            return None
        wanted = {f"{parts.scheme}://{parts.netloc}/{first}", f"/{first}"}
        for a in self.root.iter("a"):
            href = (a.get("href") or "").strip().rstrip("/")
            if href in wanted:
                value = self._section_name(_clean(" ".join(a.itertext())))
                if value and value.lower().replace(" ", "-") == first:
                    return value
        return None

    def breadcrumb_section(self) -> str | None:
        """The last breadcrumb item that is neither "Home" nor the site nor the headline."""
        title = (
            (_clean(" ".join(self.title_node.itertext())) or "").lower()
            if (self.title_node is not None)
            else ""
        )
        trails: list[list[str]] = []
        for css in GENERIC_BREADCRUMB_SELECTORS:
            for node in self.css(css):
                if not isinstance(node, etree._Element):
                    continue
                items = [_clean(" ".join(a.itertext())) for a in css_select(node, "a, li > span")]
                trails.append([i for i in items if i])
            if trails:
                break
        for obj in self.jsonld_objects:
            if "breadcrumblist" in str(obj.get("@type", "")).lower():
                items = obj.get("itemListElement") or []
                names = [
                    jsonld.text_value(i.get("name") or i.get("item"))
                    for i in items
                    if isinstance(i, dict)
                ]
                trails.append([_clean(n) for n in names if n and _clean(n)])
        for trail in trails:
            items = [
                i.strip(" »›>/")
                for i in trail
                if i.strip(" »›>/").lower() not in _HOME_WORDS
                and not self.is_site_name(i.strip(" »›>/"))
                and i.strip(" »›>/").lower() != title
                and len(i) <= 60
            ]
            if items:
                return items[-1]
        return None

    def tags(self) -> list[str]:
        tags = self.all_texts(self._profile_selectors("tags"))
        if not tags:
            tags = [_clean(str(t)) for t in self.next_value("tags")]
        if not tags:
            tags = [
                str(t).strip()
                for t in xpath(self.root, "//meta[@property='article:tag']/@content")
                if str(t).strip()
            ]
        if not tags:
            tags = self.tag_box()
        out = [t.lstrip("#").strip() for t in tags if t and t.lstrip("#").strip()]
        return list(dict.fromkeys(out))

    def tag_box(self) -> list[str]:
        """Link texts of the article's tag box (never one in a sidebar or a menu)."""
        body, title = self.body_node[0], self.title_node
        fallback: list[str] = []
        for el in self.named:
            if not self.tokens(el) & _TAG_TOKENS:
                continue
            if self.off_article(el) or self.in_body(el):
                continue
            if any(n is not None and _contains(el, n) for n in (body, title)):
                continue  # a post wrapper classed "tag-x tag-y" (WordPress), not a tag box
            links = xpath(el, ".//a") if el.tag != "a" else []
            pairs = [(_clean(" ".join(a.itertext())), a.get("href") or "") for a in links]
            pairs = [(t, h) for t, h in pairs if t and len(t) <= 60]
            if not 1 <= len(pairs) <= 30:
                continue
            tagged = [t for t, h in pairs if _TAG_HREF_RE.search(h)]
            if tagged:
                return tagged
            fallback = fallback or [t for t, _ in pairs]
        return fallback

    def language(self) -> str | None:
        found = xpath(self.root, "/html/@lang")
        lang = (str(found[0]) if found else "") or self.meta.get("og:locale") or ""
        lang = lang.strip().lower().replace("_", "-").split("-")[0]
        if lang in ("in", "ind"):
            lang = "id"
        return lang or (self.profile.language if self.profile else None)

    # --- captions -----------------------------------------------------------------------------
    def _is_caption_el(self, el: etree._Element) -> bool:
        return el.tag in ("figcaption", "figure") or bool(self.tokens(el) & _CAPTION_TOKENS)

    @cached_property
    def _doc_order(self) -> dict[etree._Element, int]:
        return {el: i for i, el in enumerate(self.root.iter())}

    def _under_image(self, el: etree._Element) -> bool:
        """A short text block right after the only image of a small box below the headline:
        a photo caption without a caption class (tribun's ``div.imgfull_div > img + div``)."""
        if el.tag not in ("div", "p", "span", "small"):
            return False
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is None or (prev.tail or "").strip():
            return False
        if prev.tag not in ("img", "amp-img", "picture") and not (
            prev.tag in ("a", "div", "span")
            and xpath(prev, ".//img")
            and not _clean(prev.text_content())
        ):
            return False
        parent = el.getparent()
        if parent is None or xpath(el, ".//img"):
            return False
        images = xpath(parent, ".//img | .//amp-img")
        if len(images) != 1 or _small_or_avatar(images[0]):
            return False
        text = _clean(el.text_content()) or ""
        links = sum(len(a.text_content()) for a in el.iter("a"))
        if not 20 <= len(text) <= 400 or links * 3 > len(text):
            return False
        title = self.title_node
        if title is not None:
            order = self._doc_order
            return order.get(el, -1) > order.get(title, 0)
        return True

    @cached_property
    def _profile_caption_els(self) -> list[etree._Element]:
        out = []
        for css in self._profile_selectors("captions"):
            out.extend(n for n in self.css(css) if isinstance(n, etree._Element))
        return out

    def outside_captions(self) -> list[str]:
        """Captions of photos shown before the body (the header photo), in page order."""
        body = self.body_node[0]
        texts: list[str] = list(self.next_value("caption"))
        if self.profile and self._profile_caption_els:
            els = [e for e in self._profile_caption_els if not self.in_body(e)]
        else:
            before = (
                xpath(body, _CAPTION_BEFORE_XPATH)
                if body is not None
                else (xpath(self.root, _CAPTION_ALL_XPATH))
            )
            els = [
                el
                for el in before
                if (self._is_caption_el(el) or self._under_image(el)) and not self.off_article(el)
            ]
        for el in els:
            if any(self._is_caption_el(sub) for sub in el.iterdescendants()):
                continue  # the inner caption element speaks for it
            text = _clean(" ".join(element_lines(el)))
            if text and 8 <= len(text) <= 500 and classify_line(text) != "ad_slot":
                texts.append(text)
        return [t for t in dict.fromkeys(str(t) for t in texts if t)]

    # --- body ---------------------------------------------------------------------------------
    @cached_property
    def body_node(self) -> tuple[etree._Element | None, str]:
        return self.body_element()

    def body_element(self) -> tuple[etree._Element | None, str]:
        """The element holding the article text and how it was found."""
        for css in self._profile_selectors("body"):
            node = self._substantial(css)
            if node is not None:
                return node, f"profile:{css}"
        dense, weight = self._density_body
        for css in GENERIC_BODY_SELECTORS:
            node = self._substantial(css)
            # A known container wins unless it is a teaser beside a much heavier article.
            if node is not None and (dense is None or self._weight_of(node) >= 0.6 * weight):
                return node, f"generic:{css}"
        if dense is not None:
            return dense, "density"
        return None, "none"

    @cached_property
    def _density_weights(self) -> dict[etree._Element, float]:
        return block_weights(self.root)

    @cached_property
    def _density_body(self) -> tuple[etree._Element | None, float]:
        """The element whose text blocks weigh the most (see :mod:`newscrawl.pages.density`)."""
        return densest_element(self.root, scores=self._density_weights)

    def _weight_of(self, el: etree._Element) -> float:
        return self._density_weights.get(el, 0.0)

    def _substantial(self, css: str) -> etree._Element | None:
        best = None
        best_len = 0
        for node in self.css(css):
            if not isinstance(node, etree._Element):
                continue
            n = _text_len(node)
            if n > best_len:
                best, best_len = node, n
        return best if best_len >= 150 else None

    @cached_property
    def _next_data_raw(self) -> Any:
        found = xpath(self.root, "//script[@id='__NEXT_DATA__']/text()")
        text = str(found[0]) if found else None
        if not text:
            return None
        try:  # Next.js page props nest deeper than JSON-LD, but not hundreds of levels
            return jsonld.loads_bounded(text, 256)
        except ValueError:
            return None

    def _next_data_body(self) -> etree._Element | None:
        raw = next((v for v in self.next_value("body") if isinstance(v, str)), None)
        if raw is None:
            # No mapped field (or the portal renamed it): the longest HTML string near the
            # profile's article object, else anywhere in the page props.
            raw = _longest_html([self.next_data]) if self.next_data is not None else None
            raw = raw or _longest_html(dig(self._next_data_raw, "props.pageProps"))
        if not raw or not raw.strip():
            return None
        try:
            return lxml.html.fragment_fromstring(raw, create_parent="div")
        except (etree.ParserError, ValueError):
            return None

    def body_html(self) -> tuple[str | None, str]:
        node, how = self.body_node
        from_next = self._next_data_body()
        if from_next is not None and (node is None or _text_len(from_next) > _text_len(node) * 1.1):
            node, how = from_next, "next_data"
        captions = self.outside_captions()
        if node is None:
            body = jsonld.text_value(self.article_ld.get("articleBody"))
            if body:
                paras = "".join(
                    f"<p>{escape(p, quote=False)}</p>"
                    for p in re.split(r"\n\s*\n|\r\n", body)
                    if p.strip()
                )
                return f"<div>{_caption_html(captions)}{paras}</div>", "jsonld:articleBody"
            html, how = self._trafilatura
            if html and captions:
                html = f"<div>{_caption_html(captions)}{html}</div>"
            return html, how
        inner_caps = set(self._profile_caption_els)
        node = _copy_marking(node, inner_caps)
        generic = how == "density" or how.startswith("generic:")
        for bad in xpath(node, _NOT_BODY_XPATH):
            if generic and bad.tag == "header" and _prose_chars(bad) >= 500:
                continue  # a "header" that holds the article (page builders misuse the tag)
            remove_keep_tail(bad)
        if generic:
            # Consent banners, share bars, newsletter boxes, tag clouds inside a found body.
            whole = _prose_chars(node)
            for bad in [el for el in node.iterdescendants() if region_kind(el)]:
                if region_kind(bad) in ("soft", "hard") and _prose_chars(bad) >= whole / 2:
                    continue  # a "sidebar"/"share" word on a wrapper of the article itself
                remove_keep_tail(bad)
        drop_embeds(node)
        mark_image_captions(node)
        for el in node.iter():
            if el.get("data-nc-caption") is not None or (
                isinstance(el.tag, str) and "keterangan" in _tokens(el)
            ):
                el.tag = "figcaption"
        self._drop_part_links(node)
        html = etree.tostring(node, encoding="unicode", method="html")
        if generic:
            # A second opinion: trafilatura's text when it holds more than twice our words (we
            # found one part of an article that its own analysis finds whole).
            other, other_how = self._trafilatura
            if other and _word_count(other) > TRAFILATURA_SHARE * _word_count(html):
                html, how = other, f"{other_how}:longer"
        if captions:
            html = f"<div>{_caption_html(captions)}{html}</div>"
        return html, how

    @cached_property
    def _trafilatura(self) -> tuple[str | None, str]:
        return self._trafilatura_body()

    def _trafilatura_body(self) -> tuple[str | None, str]:
        # trafilatura is imported at module level: a broken install fails loudly at start, and
        # only a failure on this page's content is caught here.
        try:
            out = trafilatura.extract(
                self.response.text,
                output_format="html",
                include_comments=False,
                include_tables=False,
            )
        except Exception:  # noqa: BLE001 - a broken page must not break the crawl
            return None, "none"
        return (out, "trafilatura") if out else (None, "none")

    def _drop_part_links(self, node: etree._Element) -> None:
        """Remove in-body pagination of a split article ("Halaman 1 2 3 Selanjutnya")."""
        parts = set(self.split_pages())
        if not parts:
            return
        for a in list(node.iter("a")):
            href = urljoin(self.url, (a.get("href") or "").strip()).split("#", 1)[0]
            if href not in parts and href != self.url:
                continue
            target = a
            for block in a.iterancestors():
                if block is node:
                    break
                if block.tag in ("p", "div", "ul", "ol", "nav", "span", "li") and (
                    len(" ".join(block.itertext()).strip()) <= 150
                ):
                    target = block
                else:
                    break
            if target.getparent() is not None:
                remove_keep_tail(target)

    # --- other pages of the same article -------------------------------------------------------
    def amp_url(self) -> str | None:
        """The AMP copy of this page (``link[rel=amphtml]``), or None."""
        found = xpath(self.root, "//link[@rel='amphtml']/@href")
        href = str(found[0]) if found else None
        if not href:
            return None
        url = urljoin(self.url, href.strip())
        return url if urlsplit(url).scheme in ("http", "https") and url != self.url else None

    def split_pages(self) -> list[str]:
        """URLs of the other parts of a split article ("Halaman 2", "?page=2"), in part order."""
        return list(self._split_pages)

    @cached_property
    def _split_pages(self) -> tuple[str, ...]:
        here = urlsplit(self.url)
        here_path = here.path.rstrip("/")
        found: dict[int, str] = {}
        selectors = self._profile_selectors("split_pages")
        hrefs = [
            h
            for css in selectors
            for node in self.css(css)
            if isinstance(node, etree._Element)
            for h in xpath(node, "descendant-or-self::a/@href")
        ]
        if not hrefs:
            hrefs = [str(h) for h in xpath(self.root, "//a/@href")]
        for href in hrefs:
            if not _PART_HREF_RE.search(href):
                continue
            url = urljoin(self.url, href.strip()).split("#", 1)[0]
            parts = urlsplit(url)
            if parts.netloc != here.netloc:
                continue
            number = None
            if parts.path.rstrip("/") == here_path:
                query = dict(parse_qsl(parts.query))
                for name in _PART_PARAMS:
                    if query.get(name, "").isdigit():
                        number = int(query[name])
                        break
            else:
                m = _PATH_PART_RE.match(parts.path)
                if m and m["base"].rstrip("/") == here_path and not parts.query:
                    number = int(m["n"])
            if number is not None and 2 <= number <= 30:
                found.setdefault(number, url)
        return tuple(found[n] for n in sorted(found))

    # --- dates --------------------------------------------------------------------------------
    def date_candidates(self) -> list[tuple[str, str]]:
        """Every publication date string found, tagged with where it came from."""
        out: list[tuple[str, str]] = []
        nd = self.next_text("published")
        if nd and self.valid_date(nd):
            out.append(("meta", nd))
        ld = jsonld.text_value(self.article_ld.get("datePublished"))
        if ld and not (self.profile and self.profile.extract.ignore_jsonld_date):
            out.append(("jsonld", ld))
        for key in META_PUBLISHED:
            if self.meta.get(key):
                out.append(("meta", self.meta[key].strip()))
        for dt in xpath(self.root, "//time[@datetime]/@datetime")[:1]:
            out.append(("meta", str(dt).strip()))
        visible = self.visible_dates()
        for text in visible:
            if self.valid_date(text):  # never a date in the future
                out.append(("visible", text))
        if not any(_has_time(t) for t in visible):
            out.extend(("visible", t) for t in self._byline_dates_agreeing(out))
        out.extend(self._extra_dates)
        from_url = date_from_url(self.url)
        if from_url:
            if "T" in from_url:  # a CMS timestamp written in the URL: as good as a meta value
                out.append(("meta", from_url))
            out.append(("url", from_url))
        return list(dict.fromkeys(out))

    def visible_dates(self) -> list[str]:
        """Short visible strings that look like a date with a year (never running prose).

        Dates shown after the headline come first; a date above it counts only outside the
        page header (whose "today" date is not the article's), then the first date-like line
        under the headline, then any other.
        """
        selectors = self._profile_selectors("date") + GENERIC_DATE_SELECTORS
        h1 = self.title_node
        order = self._doc_order
        h1_pos = order.get(h1, -1) if h1 is not None else -1
        above: list[str] = []
        above_header: list[str] = []
        for css in selectors:
            below: list[str] = []
            for node in self.css(css)[:3]:
                element = isinstance(node, etree._Element)
                if element and self.off_article(node):
                    continue
                text = self.node_text(node)
                if not (text and len(text) <= 120 and _YEAR_RE.search(text)):
                    continue
                text = published_part(text)  # "... | Diperbarui ...": the update is not it
                if not text or not self.valid_date(text):
                    continue
                if not element or h1 is None or order.get(node, 0) > h1_pos:
                    below.append(text)
                elif self._in_page_header(node):
                    above_header.append(text)
                else:
                    above.append(text)
            if below:
                return below[:2]
        # A date line under the headline that no selector names (a date with a time first).
        near = self._date_line_below_title()
        if near and _has_time(near):
            return [near]
        above.sort(key=lambda t: not _has_time(t))
        return above[:2] or ([near] if near else above_header[:2])

    @cached_property
    def _now(self) -> datetime:
        """When the page was fetched (aware), else now: what "in the future" is measured from."""
        try:
            when = datetime.fromisoformat(self._fetched_at) if self._fetched_at else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            return datetime.now(UTC)
        return when

    def valid_date(self, text: str) -> bool:
        """Whether a date string parses and is not in the future (:data:`FUTURE_SLACK`)."""
        parsed = parse_date_detailed(text, now=self._now)
        return parsed is not None and parsed.value <= self._now + FUTURE_SLACK

    def profile_dates(self) -> list[str]:
        """Valid publication date strings from the profile's own sources (its date selectors,
        its ``[next_data]`` path); empty when they find nothing valid."""
        out: list[str] = []
        for css in self._profile_selectors("date"):
            out = [t for t in self.all_texts((css,)) if self.valid_date(t)]
            if out:
                break
        nd = self.next_text("published") if self.profile else None
        if nd and self.valid_date(nd):
            out.append(nd)
        return out

    def profile_authors(self) -> list[str]:
        """People named by the profile's own author sources (selectors, ``[next_data]``)."""
        texts = self.all_texts(self._profile_selectors("author"))
        found = self._people([self._credit_name(t, "writer") or t for t in texts])
        return found or self._people([str(v) for v in self.next_value("author")])

    def fallback_fields(self, body_how: str) -> list[str]:
        """Fields the profile names its own source for where that source gave nothing valid,
        so the generic extractor gave the value (``body_how``: how the body was found)."""
        if self.profile is None:
            return []
        own = {
            "title": lambda: bool(
                self.profile_title() or self.valid_title(self.next_text("title"))
            ),
            "date": lambda: bool(self.profile_dates()),
            "body": lambda: (
                body_how.startswith("profile:")
                or (
                    body_how == "next_data"
                    and any(isinstance(v, str) for v in self.next_value("body"))
                )
            ),
            "authors": lambda: bool(self.profile_authors()),
        }
        return [name for name in self.profile.own_fields() if not own[name]()]

    @cached_property
    def _elements(self) -> list[etree._Element]:
        return list(self.root.iter())

    def byline_dates(self) -> list[str]:
        """Visible date lines with a time, found by their text shape near the top of the article.

        No selector and no ``h1`` needed: the elements around the headline (or, without one,
        just before and at the start of the article text) whose whole text is a short line that
        parses as a date with a time ("Rabu, 4 November 2015 | 21:04 WIB", "Oleh X | Selasa, 13
        Agu 2024 18:13 wib"); a line split over elements (date and time in two spans) is read
        whole. Sidebars, menus and the site's header (its "today" date) are skipped.
        """
        order = self._doc_order
        anchor = self.title_node
        body = self.body_node[0]
        if anchor is None:
            anchor = body
        if anchor is None or anchor not in order:
            return []
        start = max(0, order[anchor] - _BYLINE_BEFORE)
        end = order[anchor] + _BYLINE_AFTER
        if body is not None and body in order and order[body] > order[anchor]:
            end = min(end, order[body] + _BYLINE_INTO_BODY)
        found: list[str] = []
        for el in self._elements[start:end]:
            if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title"):
                continue
            text = _short_text(el, 120)
            if not text or not _YEAR_RE.search(text):
                continue
            text = published_part(text)
            if not text or not _has_time(text) or not self.valid_date(text):
                continue
            if self.off_article(el) or self._in_page_header(el):
                continue
            if text not in found:
                found.append(text)
            if len(found) >= 2:
                break
        return found

    def _byline_dates_agreeing(self, machine: list[tuple[str, str]]) -> list[str]:
        """:meth:`byline_dates` when the machine values give no time, on their day when they
        give one: a date line found by its shape never overrules a machine timestamp."""
        days = set()
        for source, raw in machine:
            if source not in ("jsonld", "meta"):
                continue
            parsed = parse_date_detailed(raw)
            if parsed is None:
                continue
            v = parsed.value
            if parsed.has_time and (v.hour, v.minute, v.second) != (0, 0, 0):
                return []
            days.add(v.date())
        out = []
        for text in self.byline_dates()[:1]:
            parsed = parse_date_detailed(text)
            if parsed is not None and (not days or parsed.value.date() in days):
                out.append(text)
        return out

    def _date_line_below_title(self) -> str | None:
        """The first short text with a year among the text nodes following the headline."""
        if self.title_node is None:
            return None
        for text in xpath(
            self.title_node, "following::text()[normalize-space()][position() <= 40]"
        ):
            text = _clean(str(text))
            if text and len(text) <= 80 and _YEAR_RE.search(text):
                text = published_part(text)
                if text and self.valid_date(text):
                    return text
        return None

    def _in_page_header(self, el: etree._Element) -> bool:
        """Inside the site's header or top bar (not a header that holds the headline)."""
        title = self.title_node
        for node in el.iterancestors():
            if node.tag == "header" or self.tokens(node) & _PAGE_HEADER_TOKENS:
                return title is None or not _contains(node, title)
        return False

    def modified_candidates(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        nd = self.next_text("modified")
        if nd:
            out.append(("meta", nd))
        ld = jsonld.text_value(self.article_ld.get("dateModified"))
        if ld:
            out.append(("jsonld", ld))
        out += [("meta", self.meta[k]) for k in META_MODIFIED if self.meta.get(k)]
        for text in self.all_texts(self._profile_selectors("modified")):
            out.append(("visible", text))
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
            fallback_fields=self.fallback_fields(how),
            date_candidates=self.date_candidates(),
            modified_candidates=self.modified_candidates(),
            language=self.language(),
            fetched_at=self._fetched_at or datetime.now(UTC).isoformat(timespec="seconds"),
            http_status=resp.status,
            raw_sha256=raw_digest(resp),
            raw_html=resp.text,
        )


def _longest_html(nodes: list[Any], depth: int = 0) -> str | None:
    """The longest HTML string (with paragraphs) in parsed JSON, a few levels deep."""
    best: str | None = None
    for node in nodes:
        values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for value in values:
            found = None
            if isinstance(value, str):
                if len(value) > 500 and "<p" in value:
                    found = value
            elif depth < 3 and isinstance(value, dict | list):
                found = _longest_html([value], depth + 1)
            if found and (best is None or len(found) > len(best)):
                best = found
    return best


def _small_or_avatar(img: etree._Element) -> bool:
    """An icon, logo or author photo (by its size or its class and alt text), not a news photo.

    >>> from lxml import html
    >>> _small_or_avatar(html.fromstring('<img class="avatar" src="a.jpg">'))
    True
    >>> _small_or_avatar(html.fromstring('<img src="banjir.jpg" width="700">'))
    False
    """
    words = f"{img.get('class') or ''} {img.get('alt') or ''} {img.get('src') or ''}".lower()
    if _AVATAR_RE.search(words):
        return True
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 120:
            return True
    return False


def _short_text(el: etree._Element, limit: int) -> str | None:
    """The clean text of ``el`` when it is at most ``limit`` characters, else None; a long
    element's text is not read to its end.

    >>> _short_text(lxml.html.fromstring("<p><b>Rabu,</b> 4 Nov 2015</p>"), 40)
    'Rabu, 4 Nov 2015'
    >>> _short_text(lxml.html.fromstring("<p>" + "x" * 50 + "</p>"), 40) is None
    True
    """
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece.strip())
        if size > limit * 2:
            return None
        parts.append(piece)
    text = _clean(" ".join(parts))
    return text if text and len(text) <= limit else None


def _has_time(text: str) -> bool:
    """Whether a date string parses with a time of day.

    >>> _has_time("Selasa, 13 Agu 2024 18:13 WIB"), _has_time("Rabu, 14 Agustus 2024")
    (True, False)
    """
    parsed = parse_date_detailed(text)
    return parsed is not None and parsed.has_time


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    """Whether ``inner`` is ``outer`` or inside it."""
    node: etree._Element | None = inner
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _text_len(el: etree._Element) -> int:
    return len("".join(xpath(el, ".//text()[not(ancestor::script) and not(ancestor::style)]")))


def _word_count(html: str) -> int:
    """Words of the text of an HTML fragment (``\\w+`` runs).

    >>> _word_count("<div><p>Satu dua</p><p>tiga, empat.</p></div>")
    4
    """
    return len(_WORD_RE.findall(re.sub(r"<[^>]*>", " ", html)))


def _prose_chars(el: etree._Element) -> int:
    """Characters of the paragraphs inside ``el``."""
    return sum(len("".join(p.itertext())) for p in el.iter("p"))


def _caption_html(captions: list[str]) -> str:
    return "".join(f"<figure><figcaption>{escape(c)}</figcaption></figure>" for c in captions)


def _copy_marking(node: etree._Element, marked: set[etree._Element]) -> etree._Element:
    """A deep copy of ``node`` in which copies of the ``marked`` elements carry a marker."""
    if not marked:
        return copy.deepcopy(node)
    for el in marked:
        el.set("data-nc-caption", "")
    try:
        return copy.deepcopy(node)
    finally:
        for el in marked:
            del el.attrib["data-nc-caption"]
